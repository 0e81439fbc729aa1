package gts

import (
	"testing"
)

// AddUser creates and confirms another user and returns the e-mail and
// password it signs in with (SignInAs). The admin commands write the
// database directly, so the server is stopped around them and started
// again on the same port.
func (s *Server) AddUser(t *testing.T, username string) (email, password string) {
	t.Helper()
	email, password = username+"@example.org", strongPassword()
	s.stop()
	s.cli(t, "admin", "account", "create", "--username", username, "--email", email, "--password", password)
	s.cli(t, "admin", "account", "confirm", "--username", username)
	s.start(t)
	return email, password
}
