//go:build gotosocial

package gts_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"herald/test/gts"
)

// TestHarness checks the harness on its own, with plain HTTP: sign-in,
// token, restart on the same database, server-side revoke.
//
//	go test -tags gotosocial -count=1 -v ./test/gts/
func TestHarness(t *testing.T) {
	s := gts.Start(t)
	const cb = "http://127.0.0.1:9/callback"

	var app struct{ ClientID, ClientSecret string }
	postJSON(t, s.URL()+"/api/v1/apps", url.Values{"client_name": {"harness"}, "redirect_uris": {cb}, "scopes": {"read write"}}, &map[string]*string{
		"client_id": &app.ClientID, "client_secret": &app.ClientSecret,
	})
	q := url.Values{"response_type": {"code"}, "client_id": {app.ClientID}, "redirect_uri": {cb}, "scope": {"read write"}, "state": {"s1"}}
	code, state := s.SignIn(t, s.URL()+"/oauth/authorize?"+q.Encode())
	if code == "" || state != "s1" {
		t.Fatalf("SignIn = %q, %q", code, state)
	}
	var access string
	postJSON(t, s.URL()+"/oauth/token", url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "client_id": {app.ClientID},
		"client_secret": {app.ClientSecret}, "redirect_uri": {cb},
	}, &map[string]*string{"access_token": &access})

	s.Restart(t)
	if got := verify(t, s.URL(), access); got != http.StatusOK {
		t.Fatalf("verify_credentials after a restart = %d, want 200 (same database)", got)
	}
	var me struct {
		Username string `json:"username"`
	}
	if code := s.API(t, access, http.MethodGet, "/api/v1/accounts/verify_credentials", nil, &me); code != http.StatusOK || me.Username != "alice" {
		t.Fatalf("API verify_credentials = %d, %+v", code, me)
	}
	var posted struct {
		ID      string `json:"id"`
		Content string `json:"content"`
	}
	if code := s.API(t, access, http.MethodPost, "/api/v1/statuses", url.Values{"status": {"harness"}, "visibility": {"public"}}, &posted); code != http.StatusOK || posted.ID == "" {
		t.Fatalf("API POST /api/v1/statuses = %d, %+v", code, posted)
	}
	s.RevokeToken(t, app.ClientID, app.ClientSecret, access)
	if got := verify(t, s.URL(), access); got != http.StatusUnauthorized {
		t.Fatalf("verify_credentials after RevokeToken = %d, want 401", got)
	}
	if !strings.Contains(s.Logs(), "path=/api/v1/accounts/verify_credentials") {
		t.Error("Logs() does not hold the server's request log")
	}
}

func postJSON(t *testing.T, rawURL string, form url.Values, out *map[string]*string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, rawURL, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %d %v", rawURL, resp.StatusCode, err)
	}
	for k, p := range *out {
		v, _ := body[k].(string)
		if v == "" {
			t.Fatalf("POST %s: no %s in the answer", rawURL, k)
		}
		*p = v
	}
}

func verify(t *testing.T, base, access string) int {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, base+"/api/v1/accounts/verify_credentials", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}
