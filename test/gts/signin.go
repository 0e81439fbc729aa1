package gts

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"
)

// SignIn plays the person at the browser with plain HTTP: it opens authURL
// (GoToSocial redirects to its sign-in page), signs in with the user's
// e-mail and password, presses "Allow" on the consent page, and returns
// the code and state of the final redirect to the app's redirect URI
// without following it.
func (s *Server) SignIn(t *testing.T, authURL string) (code, state string) {
	t.Helper()
	return s.signIn(t, authURL, s.user.email, s.user.password)
}

// SignInAs is SignIn as another user (AddUser).
func (s *Server) SignInAs(t *testing.T, authURL, email, password string) (code, state string) {
	t.Helper()
	return s.signIn(t, authURL, email, password)
}

func (s *Server) signIn(t *testing.T, authURL, email, password string) (code, state string) {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	b := &browser{t: t, base: s.url, client: &http.Client{
		Jar:           jar,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}

	// 1. The authorize URL: not signed in yet, so 303 to /auth/sign_in.
	loc := b.expectRedirect(b.do(http.MethodGet, authURL, nil), "/auth/sign_in")
	b.expectPage(b.do(http.MethodGet, loc, nil), `action="/auth/sign_in"`)

	// 2. The sign-in form: the username field takes the e-mail.
	loc = b.expectRedirect(b.do(http.MethodPost, s.url+"/auth/sign_in",
		url.Values{"username": {email}, "password": {password}}), "/oauth/authorize")

	// 3. The consent page, then "Allow".
	b.expectPage(b.do(http.MethodGet, loc, nil), `action="/oauth/authorize"`)
	resp := b.do(http.MethodPost, s.url+"/oauth/authorize", url.Values{})
	if resp.status != http.StatusFound && resp.status != http.StatusSeeOther {
		t.Fatalf("GoToSocial answered Allow with %d, want a redirect to the app:\n%s", resp.status, snippet(resp.body))
	}
	back, err := url.Parse(resp.location)
	if err != nil {
		t.Fatalf("redirect after Allow %q: %v", resp.location, err)
	}
	if e := back.Query().Get("error"); e != "" {
		t.Fatalf("GoToSocial redirected with error %q: %s", e, back.Query().Get("error_description"))
	}
	return back.Query().Get("code"), back.Query().Get("state")
}

// browser is the person's browser: a cookie jar and redirects by hand.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
}

type page struct {
	status   int
	location string // absolute
	body     string
}

func (b *browser) do(method, rawURL string, form url.Values) page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(context.Background(), method, rawURL, body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	p := page{status: resp.StatusCode, body: string(raw)}
	if loc := resp.Header.Get("Location"); loc != "" {
		u, err := resp.Request.URL.Parse(loc)
		if err != nil {
			b.t.Fatalf("bad Location %q: %v", loc, err)
		}
		p.location = u.String()
	}
	return p
}

// expectRedirect checks p redirects to path on the server and returns the
// absolute location.
func (b *browser) expectRedirect(p page, path string) string {
	b.t.Helper()
	if p.status < 300 || p.status > 399 || p.location != b.base+path {
		b.t.Fatalf("want a redirect to %s, got %d to %q:\n%s", path, p.status, p.location, snippet(p.body))
	}
	return p.location
}

func (b *browser) expectPage(p page, marker string) {
	b.t.Helper()
	if p.status != http.StatusOK || !strings.Contains(p.body, marker) {
		b.t.Fatalf("want a page with %s, got %d:\n%s", marker, p.status, snippet(p.body))
	}
}

func snippet(s string) string {
	if len(s) > 1500 {
		return s[:1500] + "…"
	}
	return s
}
