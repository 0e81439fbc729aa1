package gts

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	_ "github.com/glebarez/go-sqlite" // the "sqlite" database/sql driver
)

// RevokeToken invalidates an access token on the server side, as a person
// removing the app in their server's settings would, and confirms that
// verify_credentials then answers 401.
//
// GoToSocial 0.17.3 has no /oauth/revoke (it arrived in a later release)
// and no API or CLI to delete a token, so where the endpoint is missing
// the token's row is deleted from the running server's SQLite database
// and the server's token cache (configured to two entries, see
// writeConfig) is flushed with two lookups of random tokens. Should the
// server still accept the token, it is restarted, which empties every
// cache.
func (s *Server) RevokeToken(t *testing.T, clientID, clientSecret, accessToken string) {
	t.Helper()
	status := s.post(t, "/oauth/revoke", url.Values{"client_id": {clientID}, "client_secret": {clientSecret}, "token": {accessToken}})
	if status >= 200 && status <= 299 {
		s.expectTokenDead(t, accessToken)
		return
	}
	if status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
		t.Fatalf("POST /oauth/revoke answered %d", status)
	}

	s.deleteTokenRow(t, accessToken)
	for range 2 {
		s.verifyCredentials(t, "flush-"+randomHex())
	}
	if pollUntil(5*time.Second, 200*time.Millisecond, func() bool { return s.verifyCredentials(t, accessToken) == http.StatusUnauthorized }) {
		return
	}
	t.Log("GoToSocial still accepts the deleted token (cached); restarting it")
	s.Restart(t)
	s.expectTokenDead(t, accessToken)
}

func (s *Server) deleteTokenRow(t *testing.T, accessToken string) {
	t.Helper()
	// busy_timeout: GoToSocial writes to the same WAL database.
	db, err := sql.Open("sqlite", "file:"+s.dir+"/sqlite.db?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatalf("open GoToSocial's database: %v", err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), cliTimeout)
	defer cancel()
	res, err := db.ExecContext(ctx, "DELETE FROM tokens WHERE access = ?", accessToken)
	if err != nil {
		t.Fatalf("delete the token from GoToSocial's database: %v", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("GoToSocial's database holds %d rows for the token, want 1", n)
	}
}

func (s *Server) expectTokenDead(t *testing.T, accessToken string) {
	t.Helper()
	if got := s.verifyCredentials(t, accessToken); got != http.StatusUnauthorized {
		t.Fatalf("verify_credentials after revoking the token = %d, want 401", got)
	}
}

// verifyCredentials returns the status of GET
// /api/v1/accounts/verify_credentials with accessToken.
func (s *Server) verifyCredentials(t *testing.T, accessToken string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, s.url+"/api/v1/accounts/verify_credentials", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	return s.send(t, req)
}

func (s *Server) post(t *testing.T, path string, form url.Values) int {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, s.url+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	return s.send(t, req)
}

func (s *Server) send(t *testing.T, req *http.Request) int {
	t.Helper()
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

func randomHex() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
