package mastodontest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"herald/backend/network/mastodon/mastodontest"
	"herald/backend/network/networktest"
)

// do sends a request to the fake and returns the status, headers and the
// decoded JSON body (nil when the body is not JSON).
func do(t *testing.T, s *mastodontest.Server, method, path, contentType, body string, hdr map[string]string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, s.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, resp.Header, out
}

const form = "application/x-www-form-urlencoded"

func registerJSON(t *testing.T, s *mastodontest.Server, redirects ...string) (id, secret string) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"client_name": "Herald", "redirect_uris": redirects, "scopes": "read write"})
	status, _, body := do(t, s, http.MethodPost, "/api/v1/apps", "application/json", string(b), nil)
	if status != http.StatusOK {
		t.Fatalf("register app: %d %v", status, body)
	}
	return body["client_id"].(string), body["client_secret"].(string)
}

func authorizePath(id, redirect, challenge string, extra url.Values) string {
	q := url.Values{"response_type": {"code"}, "client_id": {id}, "redirect_uri": {redirect}, "scope": {"read write"},
		"state": {"xyz"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	for k, v := range extra {
		q[k] = v
	}
	return "/oauth/authorize?" + q.Encode()
}

func TestAppsAcceptsFormAndJSON(t *testing.T) {
	s := mastodontest.NewServer(t)
	registerJSON(t, s, "http://127.0.0.1:5000/callback", "http://127.0.0.1:5001/callback")
	status, _, body := do(t, s, http.MethodPost, "/api/v1/apps", form,
		url.Values{"client_name": {"Herald"}, "redirect_uris": {"http://127.0.0.1:5000/callback"}, "scopes": {"read"}}.Encode(), nil)
	if status != http.StatusOK || body["client_secret"] == "" || body["client_secret_expires_at"] != 0.0 {
		t.Fatalf("form registration: %d %v", status, body)
	}
	if len(s.Apps()) != 2 {
		t.Errorf("%d apps registered, want 2", len(s.Apps()))
	}
	for _, bad := range []url.Values{
		{"client_name": {"Herald"}, "redirect_uris": {"/callback"}},
		{"client_name": {"Herald"}},
		{"redirect_uris": {"http://127.0.0.1/callback"}},
		{"client_name": {"Herald"}, "redirect_uris": {"http://127.0.0.1/callback"}, "scopes": {"everything"}},
	} {
		status, _, body := do(t, s, http.MethodPost, "/api/v1/apps", form, bad.Encode(), nil)
		if status != http.StatusUnprocessableEntity || !strings.HasPrefix(body["error"].(string), "Validation failed") {
			t.Errorf("register %v: %d %v, want 422 Validation failed", bad, status, body)
		}
	}
}

func TestAuthorizeChecksClientAndRedirect(t *testing.T) {
	s := mastodontest.NewServer(t)
	const cb = "http://127.0.0.1:5000/callback"
	id, _ := registerJSON(t, s, cb)
	if status, _, _ := do(t, s, http.MethodGet, authorizePath("unknown", cb, "c", nil), "", "", nil); status != http.StatusUnauthorized {
		t.Errorf("unknown client: %d, want an error page", status)
	}
	if status, _, _ := do(t, s, http.MethodGet, authorizePath(id, "http://127.0.0.1:5001/callback", "c", nil), "", "", nil); status != http.StatusBadRequest {
		t.Errorf("unregistered redirect: %d, want an error page", status)
	}
	for name, extra := range map[string]url.Values{
		"unsupported_response_type": {"response_type": {"token"}},
		"invalid_scope":             {"scope": {"admin:write"}},
		"invalid_request":           {"code_challenge_method": {"plain"}},
	} {
		status, h, _ := do(t, s, http.MethodGet, authorizePath(id, cb, "c", extra), "", "", nil)
		loc, _ := url.Parse(h.Get("Location"))
		if status != http.StatusFound || loc.Query().Get("error") != name || loc.Query().Get("state") != "xyz" {
			t.Errorf("%s: %d → %s", name, status, h.Get("Location"))
		}
	}
}

func TestTokenEndpoint(t *testing.T) {
	s := mastodontest.NewServer(t)
	const cb = "http://127.0.0.1:5000/callback"
	id, secret := registerJSON(t, s, cb)
	verifier := oauth2.GenerateVerifier()
	newCode := func() string {
		code, state := s.Approve(t, s.URL()+authorizePath(id, cb, oauth2.S256ChallengeFromVerifier(verifier), nil))
		if code == "" || state != "xyz" {
			t.Fatalf("Approve = %q, %q", code, state)
		}
		return code
	}
	exchange := func(code string, basic bool) (int, map[string]any) {
		v := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {cb}, "code_verifier": {verifier}}
		hdr := map[string]string{}
		if basic {
			req, _ := http.NewRequest(http.MethodPost, "/", nil)
			req.SetBasicAuth(id, secret)
			hdr["Authorization"] = req.Header.Get("Authorization")
		} else {
			v.Set("client_id", id)
			v.Set("client_secret", secret)
		}
		status, _, body := do(t, s, http.MethodPost, "/oauth/token", form, v.Encode(), hdr)
		return status, body
	}

	code := newCode()
	status, body := exchange(code, true)
	if status != http.StatusOK || body["token_type"] != "Bearer" || body["scope"] != "read write" || body["refresh_token"] != nil || body["expires_in"] != nil {
		t.Fatalf("exchange with HTTP Basic: %d %v", status, body)
	}
	access := body["access_token"].(string)
	if status, body := exchange(code, false); status != http.StatusBadRequest || body["error"] != "invalid_grant" {
		t.Errorf("code reuse: %d %v, want invalid_grant", status, body)
	}

	// Codes expire after 10 minutes.
	code = newCode()
	s.SetNow(func() time.Time { return time.Now().Add(11 * time.Minute) })
	if status, body := exchange(code, false); status != http.StatusBadRequest || body["error"] != "invalid_grant" {
		t.Errorf("expired code: %d %v, want invalid_grant", status, body)
	}
	s.SetNow(time.Now)

	// Revoke: only the client that owns a token may revoke it.
	otherID, otherSecret := registerJSON(t, s, cb)
	status, _, body = do(t, s, http.MethodPost, "/oauth/revoke", form,
		url.Values{"client_id": {otherID}, "client_secret": {otherSecret}, "token": {access}}.Encode(), nil)
	if status != http.StatusForbidden || body["error"] != "unauthorized_client" || !s.TokenValid(access) {
		t.Errorf("revoke by another client: %d %v", status, body)
	}
	status, _, _ = do(t, s, http.MethodPost, "/oauth/revoke", "application/json",
		`{"client_id":"`+id+`","client_secret":"`+secret+`","token":"`+access+`"}`, nil)
	if status != http.StatusOK || s.TokenValid(access) {
		t.Errorf("revoke (JSON body): %d, token still valid %v", status, s.TokenValid(access))
	}
}

func TestVerifyCredentialsAndFaults(t *testing.T) {
	s := mastodontest.NewServer(t)
	cred := s.Credential(s.Account().ID, "")
	auth := map[string]string{"Authorization": "Bearer " + cred.AccessToken}

	status, _, body := do(t, s, http.MethodGet, "/api/v1/accounts/verify_credentials", "", "", auth)
	if status != http.StatusOK || body["id"] != s.Account().ID || body["acct"] != "alice" || body["source"] == nil {
		t.Fatalf("verify_credentials: %d %v", status, body)
	}
	if status, _, body := do(t, s, http.MethodGet, "/api/v1/accounts/verify_credentials", "", "", nil); status != http.StatusUnauthorized || body["error"] != "The access token is invalid" {
		t.Errorf("without a token: %d %v", status, body)
	}

	s.Inject(networktest.FaultRateLimited)
	status, h, _ := do(t, s, http.MethodGet, "/api/v1/accounts/verify_credentials", "", "", auth)
	reset, err := time.Parse(time.RFC3339Nano, h.Get("X-RateLimit-Reset"))
	if status != http.StatusTooManyRequests || h.Get("X-RateLimit-Remaining") != "0" || err != nil || reset.Before(time.Now()) {
		t.Errorf("rate limited: %d, headers %v", status, h)
	}
	s.Inject(networktest.FaultServerError)
	if status, _, _ := do(t, s, http.MethodGet, "/api/v1/instance", "", "", nil); status != http.StatusServiceUnavailable {
		t.Errorf("server error: %d", status)
	}
	s.Inject(networktest.FaultNone)

	if got := s.Calls("/api/v1/accounts/verify_credentials"); got != 3 {
		t.Errorf("Calls = %d, want 3", got)
	}
	s.RevokeAll()
	if status, _, _ := do(t, s, http.MethodGet, "/api/v1/accounts/verify_credentials", "", "", auth); status != http.StatusUnauthorized {
		t.Errorf("after RevokeAll: %d, want 401", status)
	}
}

func TestHandleAddsAndReplacesRoutes(t *testing.T) {
	s := mastodontest.NewServer(t)
	s.Handle("POST /api/v1/statuses", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"1"}`))
	})
	if status, _, body := do(t, s, http.MethodPost, "/api/v1/statuses", form, "status=hi", nil); status != http.StatusOK || body["id"] != "1" {
		t.Errorf("added route: %d %v", status, body)
	}
	s.Handle("GET /api/v2/instance", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNotFound) })
	if status, _, _ := do(t, s, http.MethodGet, "/api/v2/instance", "", "", nil); status != http.StatusNotFound {
		t.Errorf("replaced route: %d", status)
	}
}
