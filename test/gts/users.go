package gts

import (
	"context"
	"testing"

	"golang.org/x/oauth2"

	"herald/backend/network"
	"herald/backend/network/mastodon"
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

// Credential signs in as a user through Herald's Mastodon client (the
// browser part played by SignInAs) and returns the credential, for tests
// that act as a second account.
func (s *Server) Credential(ctx context.Context, t *testing.T, email, password string) network.Credential {
	t.Helper()
	const redirect = "http://127.0.0.1:1/callback"
	c := mastodon.New(mastodon.Options{})
	verifier := oauth2.GenerateVerifier()
	req, err := c.BeginAuth(ctx, s.URL(), redirect, "state-"+email, oauth2.S256ChallengeFromVerifier(verifier))
	if err != nil {
		t.Fatal(err)
	}
	code, _ := s.SignInAs(t, req.AuthURL, email, password)
	cred, err := c.Exchange(ctx, s.URL(), req, code, verifier, redirect)
	if err != nil {
		t.Fatal(err)
	}
	return cred
}
