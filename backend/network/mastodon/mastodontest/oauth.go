package mastodontest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// codeLifetime is Doorkeeper's default authorization code lifetime.
const codeLifetime = 10 * time.Minute

// grant is an authorization code or an access token and what it allows.
type grant struct {
	clientID      string
	accountID     string
	scopes        []string
	redirectURI   string
	challenge     string
	challengeMeth string
	expires       time.Time // codes only
	created       time.Time
}

func (g grant) hasAnyScope(want ...string) bool {
	for _, s := range g.scopes {
		if slices.Contains(want, s) {
			return true
		}
		// "read" covers "read:accounts", "write" covers "write:statuses".
		for _, w := range want {
			if strings.HasPrefix(w, s+":") {
				return true
			}
		}
	}
	return false
}

// authorize plays the consent page with the person already signed in and
// clicking "Authorize". Like Doorkeeper it shows an error page for an
// unknown client or redirect URI, and redirects with error= otherwise.
//
// https://docs.joinmastodon.org/methods/oauth/#authorize
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	app, ok := s.apps[q.Get("client_id")]
	var a App
	if ok {
		a = *app
	}
	accountID := s.signedIn
	now := s.now()
	s.mu.Unlock()
	redirect := q.Get("redirect_uri")
	if !ok {
		errorPage(w, http.StatusUnauthorized, "Client authentication failed due to unknown client.")
		return
	}
	if !slices.Contains(a.RedirectURIs, redirect) {
		errorPage(w, http.StatusBadRequest, "The redirect uri included is not valid.")
		return
	}
	back := func(v url.Values) {
		if st := q.Get("state"); st != "" {
			v.Set("state", st)
		}
		sep := "?"
		if strings.Contains(redirect, "?") {
			sep = "&"
		}
		http.Redirect(w, r, redirect+sep+v.Encode(), http.StatusFound)
	}
	fail := func(code string) { back(url.Values{"error": {code}}) }
	if q.Get("response_type") != "code" {
		fail("unsupported_response_type")
		return
	}
	scopes := strings.Fields(q.Get("scope"))
	if len(scopes) == 0 {
		scopes = a.Scopes
	}
	for _, sc := range scopes {
		if !slices.Contains(a.Scopes, sc) {
			fail("invalid_scope")
			return
		}
	}
	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	if challenge != "" && method != "S256" {
		fail("invalid_request")
		return
	}
	code := randomString(20)
	s.mu.Lock()
	s.codes[code] = &grant{
		clientID: a.ClientID, accountID: accountID, scopes: scopes, redirectURI: redirect,
		challenge: challenge, challengeMeth: method, expires: now.Add(codeLifetime), created: now,
	}
	s.mu.Unlock()
	back(url.Values{"code": {code}})
}

func errorPage(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte("<html><body><h1>An error has occurred</h1><p>" + msg + "</p></body></html>"))
}

// Approve plays the person at the browser: it opens authURL on the fake,
// which checks client_id, redirect_uri and response_type, and returns the
// code and state the redirect to Herald's loopback listener carries.
func (s *Server) Approve(t *testing.T, authURL string) (code, state string) {
	t.Helper()
	if !strings.HasPrefix(authURL, s.srv.URL+"/oauth/authorize?") {
		t.Fatalf("auth URL %q is not this server's /oauth/authorize", authURL)
	}
	client := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, authURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("open the authorize page: %v", err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize page answered %s, want a redirect to Herald", resp.Status)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatalf("authorize redirect: %v", err)
	}
	if e := loc.Query().Get("error"); e != "" {
		t.Fatalf("authorize redirected with error %q", e)
	}
	return loc.Query().Get("code"), loc.Query().Get("state")
}

// https://docs.joinmastodon.org/methods/oauth/#token
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	p, err := params(r)
	if err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "The request is missing a required parameter.")
		return
	}
	app, ok := s.clientAuth(r, p)
	if !ok {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client",
			"Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.")
		return
	}
	if p.Get("grant_type") != "authorization_code" {
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type",
			"The authorization grant type is not supported by the authorization server.")
		return
	}
	invalidGrant := func() {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant",
			"The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.")
	}
	s.mu.Lock()
	code := p.Get("code")
	g, ok := s.codes[code]
	delete(s.codes, code) // single use, even when the exchange fails
	now := s.now()
	s.mu.Unlock()
	if !ok || g.clientID != app.ClientID || g.redirectURI != p.Get("redirect_uri") || now.After(g.expires) {
		invalidGrant()
		return
	}
	if g.challenge != "" && !pkceMatches(g.challenge, p.Get("code_verifier")) {
		invalidGrant()
		return
	}
	access := randomString(32)
	tok := *g
	tok.created, tok.expires = now, time.Time{}
	s.mu.Lock()
	s.tokens[access] = &tok
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": access,
		"token_type":   "Bearer",
		"scope":        strings.Join(tok.scopes, " "),
		"created_at":   now.Unix(),
	})
}

// pkceMatches checks an S256 code verifier (RFC 7636 §4.6).
func pkceMatches(challenge, verifier string) bool {
	if verifier == "" {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	want := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

// clientAuth finds the app by client_id and client_secret in the body or
// in HTTP Basic authentication.
func (s *Server) clientAuth(r *http.Request, p url.Values) (App, bool) {
	id, secret := p.Get("client_id"), p.Get("client_secret")
	if u, pw, ok := r.BasicAuth(); ok {
		id, secret = u, pw
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.apps[id]
	if !ok || subtle.ConstantTimeCompare([]byte(a.ClientSecret), []byte(secret)) != 1 {
		return App{}, false
	}
	return *a, true
}

// revoke follows RFC 7009 as Doorkeeper does: 200 {} for a revoked or
// unknown token, 403 when the client may not revoke it.
//
// https://docs.joinmastodon.org/methods/oauth/#revoke
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	p, err := params(r)
	if err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "The request is missing a required parameter.")
		return
	}
	unauthorized := func() {
		writeOAuthError(w, http.StatusForbidden, "unauthorized_client", "You are not authorized to revoke this token")
	}
	app, ok := s.clientAuth(r, p)
	if !ok {
		unauthorized()
		return
	}
	tok := p.Get("token")
	s.mu.Lock()
	g, known := s.tokens[tok]
	mine := known && g.clientID == app.ClientID
	if mine {
		delete(s.tokens, tok)
	}
	s.mu.Unlock()
	if known && !mine {
		unauthorized()
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}
