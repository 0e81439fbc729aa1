package oauth

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// noRedirectClient is a browser stand-in that never follows redirects
// and opens a fresh connection per request, so "refused" means refused.
func noRedirectClient() *http.Client {
	return &http.Client{
		Timeout:       5 * time.Second,
		Transport:     &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

type response struct {
	status int
	header http.Header
	body   string // HTML entities decoded, for matching sentences
	raw    string
}

func do(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := noRedirectClient().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: html.UnescapeString(string(b)), raw: string(b)}
}

func get(t *testing.T, rawURL string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, req)
}

func listen(t *testing.T, o Options) *Loopback {
	t.Helper()
	l, err := Listen(context.Background(), o)
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l
}

func callbackURL(l *Loopback, q url.Values) string {
	return l.RedirectURI() + "?" + q.Encode()
}

func addrOf(t *testing.T, l *Loopback) string {
	t.Helper()
	u, err := url.Parse(l.RedirectURI())
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// assertClosed checks nothing accepts connections on the listener's port.
func assertClosed(t *testing.T, addr string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err == nil {
		c.Close()
		t.Errorf("dialing %s after the sign-in finished succeeded; the listener is still open", addr)
	}
}

func TestCallbackOutcomes(t *testing.T) {
	const code = "the-authorization-code"
	cases := []struct {
		name    string
		query   func(state string) url.Values
		status  int
		page    []string // sentences the browser must see
		wantErr error    // errors.Is target; nil for success
		denied  *DeniedError
		errText string // in err.Error()
		wantIss string
		okClass bool
	}{
		{
			name: "success returns the code and the other parameters",
			query: func(s string) url.Values {
				return url.Values{"code": {code}, "state": {s}, "iss": {"https://social.example"}}
			},
			status:  http.StatusOK,
			page:    []string{"You're signed in — you can close this tab and return to Herald."},
			wantIss: "https://social.example",
			okClass: true,
		},
		{
			name:    "state mismatch",
			query:   func(string) url.Values { return url.Values{"code": {code}, "state": {"not-the-state"}} },
			status:  http.StatusBadRequest,
			page:    []string{"This link is not from Herald's current sign-in", "Return to Herald to try again"},
			wantErr: ErrStateMismatch,
			errText: "does not belong to this sign-in",
		},
		{
			name:    "state missing",
			query:   func(string) url.Values { return url.Values{"code": {code}} },
			status:  http.StatusBadRequest,
			page:    []string{"not from Herald's current sign-in"},
			wantErr: ErrStateMismatch,
		},
		{
			name:    "state repeated",
			query:   func(s string) url.Values { return url.Values{"code": {code}, "state": {s, s}} },
			status:  http.StatusBadRequest,
			page:    []string{"not from Herald's current sign-in"},
			wantErr: ErrStateMismatch,
		},
		{
			name:    "access denied",
			query:   func(s string) url.Values { return url.Values{"error": {"access_denied"}, "state": {s}} },
			status:  http.StatusBadRequest,
			page:    []string{"You declined access", "Return to Herald to try again"},
			denied:  &DeniedError{Code: "access_denied"},
			errText: "You declined access",
		},
		{
			name: "other error with description",
			query: func(s string) url.Values {
				return url.Values{"error": {"invalid_scope"}, "error_description": {"The requested scope is invalid."}, "state": {s}}
			},
			status:  http.StatusBadRequest,
			page:    []string{"The network refused the sign-in: The requested scope is invalid.", "Return to Herald to try again"},
			denied:  &DeniedError{Code: "invalid_scope", Description: "The requested scope is invalid."},
			errText: "The network refused the sign-in: The requested scope is invalid.",
		},
		{
			name:    "error without description",
			query:   func(s string) url.Values { return url.Values{"error": {"server_error"}, "state": {s}} },
			status:  http.StatusBadRequest,
			page:    []string{"The network refused the sign-in (server_error)."},
			denied:  &DeniedError{Code: "server_error"},
			errText: "The network refused the sign-in (server_error).",
		},
		{
			name:    "missing code",
			query:   func(s string) url.Values { return url.Values{"state": {s}} },
			status:  http.StatusBadRequest,
			page:    []string{"without an authorization code", "Return to Herald to try again"},
			wantErr: ErrMissingCode,
			errText: "without an authorization code",
		},
		{
			name:    "empty code",
			query:   func(s string) url.Values { return url.Values{"code": {""}, "state": {s}} },
			status:  http.StatusBadRequest,
			page:    []string{"without an authorization code"},
			wantErr: ErrMissingCode,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := listen(t, Options{})
			addr := addrOf(t, l)

			r := get(t, callbackURL(l, tc.query(l.State())))
			if r.status != tc.status {
				t.Errorf("status = %d, want %d", r.status, tc.status)
			}
			for _, s := range tc.page {
				if !strings.Contains(r.body, s) {
					t.Errorf("page does not say %q:\n%s", s, r.body)
				}
			}
			checkPageHeaders(t, r)

			res, err := l.Wait(context.Background())
			switch {
			case tc.okClass:
				if err != nil {
					t.Fatalf("Wait error = %v, want success", err)
				}
				if res.Code != code {
					t.Errorf("Code = %q, want %q", res.Code, code)
				}
				if got := res.Params.Get("iss"); got != tc.wantIss {
					t.Errorf("Params iss = %q, want %q", got, tc.wantIss)
				}
				if res.Params.Has("code") || res.Params.Has("state") {
					t.Errorf("Params = %v, must not repeat code or state", res.Params)
				}
			case tc.denied != nil:
				var d *DeniedError
				if !errors.As(err, &d) {
					t.Fatalf("Wait error = %v (%T), want *DeniedError", err, err)
				}
				if *d != *tc.denied {
					t.Errorf("DeniedError = %+v, want %+v", *d, *tc.denied)
				}
			default:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Wait error = %v, want %v", err, tc.wantErr)
				}
			}
			if tc.errText != "" && !strings.Contains(err.Error(), tc.errText) {
				t.Errorf("error text %q does not contain %q", err.Error(), tc.errText)
			}
			if err != nil && (strings.Contains(err.Error(), code) || strings.Contains(err.Error(), l.State())) {
				t.Errorf("error text %q leaks the code or the state", err.Error())
			}

			// The first callback decided: the listener is gone, and a second
			// callback (even a valid one) cannot reach it.
			assertClosed(t, addr)
			if _, err := noRedirectClient().Get(callbackURL(l, url.Values{"code": {"again"}, "state": {l.State()}})); err == nil {
				t.Error("a second callback was accepted")
			}
			if res2, err2 := l.Wait(context.Background()); res2.Code != res.Code || !errors.Is(err2, err) {
				t.Errorf("second Wait = %+v, %v; want the first outcome %+v, %v", res2, err2, res, err)
			}
		})
	}
}

// checkPageHeaders checks the headers every outcome page carries, and that
// the CSP's style hash matches the page's only style element.
func checkPageHeaders(t *testing.T, r response) {
	t.Helper()
	want := map[string]string{
		"Cache-Control":          "no-store",
		"Referrer-Policy":        "no-referrer",
		"Content-Type":           "text/html; charset=utf-8",
		"X-Content-Type-Options": "nosniff",
	}
	for k, v := range want {
		if got := r.header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	csp := r.header.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'none'", "frame-ancestors 'none'", "form-action 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("CSP %q lacks %q", csp, d)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "script-src") {
		t.Errorf("CSP %q allows more than the page's own style", csp)
	}
	m := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindAllStringSubmatch(r.raw, -1)
	if len(m) != 1 {
		t.Fatalf("page has %d style elements, want 1", len(m))
	}
	sum := sha256.Sum256([]byte(m[0][1]))
	if h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, h) {
		t.Errorf("CSP %q does not allow the page's style (%s)", csp, h)
	}
	for _, ext := range []string{"<script", "<link", "<img", "src=", "href=", "http://", "https://"} {
		if strings.Contains(r.raw, ext) {
			t.Errorf("page is not self-contained: it contains %q", ext)
		}
	}
}

func TestPageEscapesNetworkText(t *testing.T) {
	l := listen(t, Options{AppName: "Herald"})
	desc := `<script>alert("x")</script> & <b>bold</b>`
	r := get(t, callbackURL(l, url.Values{"error": {"invalid_request"}, "error_description": {desc}, "state": {l.State()}}))
	if strings.Contains(r.raw, "<script>") || strings.Contains(r.raw, "<b>") {
		t.Errorf("network text reached the page unescaped:\n%s", r.raw)
	}
	if !strings.Contains(r.raw, "&lt;script&gt;") {
		t.Errorf("page does not show the escaped description:\n%s", r.raw)
	}
	if _, err := l.Wait(context.Background()); err == nil {
		t.Fatal("Wait succeeded on an error callback")
	}
}

func TestIgnoredRequestsKeepWaiting(t *testing.T) {
	l := listen(t, Options{})
	base := strings.TrimSuffix(l.RedirectURI(), DefaultPath)
	good := callbackURL(l, url.Values{"code": {"c0de"}, "state": {l.State()}})

	if r := get(t, base+"/favicon.ico"); r.status != http.StatusNotFound {
		t.Errorf("favicon status = %d, want 404", r.status)
	}
	if r := get(t, base+"/other?code=x&state="+l.State()); r.status != http.StatusNotFound {
		t.Errorf("other path status = %d, want 404", r.status)
	}
	if r := get(t, base+DefaultPath+"/"); r.status != http.StatusNotFound {
		t.Errorf("path with a trailing slash status = %d, want 404", r.status)
	}
	for _, m := range []string{http.MethodPost, http.MethodHead, http.MethodPut} {
		req, _ := http.NewRequest(m, good, strings.NewReader(""))
		r := do(t, req)
		if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != http.MethodGet {
			t.Errorf("%s status = %d, Allow = %q; want 405, GET", m, r.status, r.header.Get("Allow"))
		}
	}
	// A page that rebinds its own name to 127.0.0.1 arrives with that name.
	req, _ := http.NewRequest(http.MethodGet, good, nil)
	req.Host = "attacker.example:" + strings.Split(addrOf(t, l), ":")[1]
	if r := do(t, req); r.status != http.StatusMisdirectedRequest {
		t.Errorf("foreign Host status = %d, want 421", r.status)
	}

	select {
	case <-l.done:
		t.Fatal("an ignored request ended the sign-in")
	default:
	}
	if r := get(t, good); r.status != http.StatusOK {
		t.Fatalf("callback status = %d, want 200", r.status)
	}
	res, err := l.Wait(context.Background())
	if err != nil || res.Code != "c0de" {
		t.Fatalf("Wait = %+v, %v; want the code", res, err)
	}
}

func TestLocalhostHostIsAccepted(t *testing.T) {
	l := listen(t, Options{})
	req, _ := http.NewRequest(http.MethodGet, callbackURL(l, url.Values{"code": {"c"}, "state": {l.State()}}), nil)
	req.Host = "localhost:" + strings.Split(addrOf(t, l), ":")[1]
	if r := do(t, req); r.status != http.StatusOK {
		t.Fatalf("status = %d, want 200", r.status)
	}
	if _, err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// A second callback that arrives on a connection the server accepted
// before the first callback closed the listener gets a "finished" page,
// and the first outcome stands.
func TestSecondCallbackOnOpenConnectionIsIgnored(t *testing.T) {
	l := listen(t, Options{})
	addr := addrOf(t, l)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	br := bufio.NewReader(conn)
	send := func(target string) response {
		t.Helper()
		if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", target, addr); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return response{status: resp.StatusCode, header: resp.Header, body: html.UnescapeString(string(b)), raw: string(b)}
	}
	// Make sure the server has accepted this connection.
	if r := send("/favicon.ico"); r.status != http.StatusNotFound {
		t.Fatalf("favicon status = %d", r.status)
	}

	if r := get(t, callbackURL(l, url.Values{"code": {"first"}, "state": {l.State()}})); r.status != http.StatusOK {
		t.Fatalf("first callback status = %d", r.status)
	}
	r := send(DefaultPath + "?" + url.Values{"code": {"second"}, "state": {l.State()}}.Encode())
	if r.status != http.StatusConflict || !strings.Contains(r.body, "already finished") {
		t.Errorf("second callback = %d %q; want 409 and a page saying the sign-in is finished", r.status, r.body)
	}
	checkPageHeaders(t, r)

	res, err := l.Wait(context.Background())
	if err != nil || res.Code != "first" {
		t.Fatalf("Wait = %+v, %v; want the first code", res, err)
	}
	assertClosed(t, addr)
}

func TestTimeout(t *testing.T) {
	l := listen(t, Options{Timeout: 100 * time.Millisecond})
	addr := addrOf(t, l)
	_, err := l.Wait(context.Background())
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("Wait error = %v, want ErrTimeout", err)
	}
	if !strings.Contains(err.Error(), "No sign-in arrived within 100ms") {
		t.Errorf("error text = %q", err.Error())
	}
	assertClosed(t, addr)
}

// The timeout runs even when nobody waits, so a forgotten listener closes.
func TestTimeoutWithoutWaitClosesListener(t *testing.T) {
	l := listen(t, Options{Timeout: 50 * time.Millisecond})
	addr := addrOf(t, l)
	<-l.done
	assertClosed(t, addr)
	if _, err := l.Wait(context.Background()); !errors.Is(err, ErrTimeout) {
		t.Fatalf("Wait error = %v, want ErrTimeout", err)
	}
}

func TestDefaultTimeoutMessage(t *testing.T) {
	l := listen(t, Options{})
	if l.timeout != DefaultTimeout {
		t.Fatalf("timeout = %v, want %v", l.timeout, DefaultTimeout)
	}
	l.expire()
	_, err := l.Wait(context.Background())
	if !errors.Is(err, ErrTimeout) || !strings.HasPrefix(err.Error(), "No sign-in arrived within 5 minutes") {
		t.Fatalf("Wait error = %v", err)
	}
}

func TestHumanDuration(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want string
	}{
		{5 * time.Minute, "5 minutes"},
		{time.Minute, "1 minute"},
		{90 * time.Second, "90 seconds"},
		{time.Second, "1 second"},
		{2 * time.Hour, "2 hours"},
		{100 * time.Millisecond, "100ms"},
		{1500 * time.Millisecond, "1.5s"},
	}
	for _, tc := range cases {
		if got := humanDuration(tc.d); got != tc.want {
			t.Errorf("humanDuration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestCancel(t *testing.T) {
	cases := []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}{
		{"cancelled while waiting", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(20*time.Millisecond, cancel)
			return ctx, cancel
		}, context.Canceled},
		{"cancelled before waiting", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx, cancel
		}, context.Canceled},
		{"deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 20*time.Millisecond)
		}, context.DeadlineExceeded},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := listen(t, Options{})
			addr := addrOf(t, l)
			ctx, cancel := tc.ctx()
			defer cancel()
			_, err := l.Wait(ctx)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Wait error = %v, want %v", err, tc.want)
			}
			assertClosed(t, addr)
			// The outcome is final: a later Wait with a live ctx agrees.
			if _, err2 := l.Wait(context.Background()); !errors.Is(err2, tc.want) {
				t.Errorf("second Wait error = %v, want %v", err2, tc.want)
			}
		})
	}
}

func TestClose(t *testing.T) {
	l := listen(t, Options{})
	addr := addrOf(t, l)
	waited := make(chan error, 1)
	go func() {
		_, err := l.Wait(context.Background())
		waited <- err
	}()
	if err := l.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	if err := <-waited; !errors.Is(err, ErrClosed) {
		t.Fatalf("Wait error = %v, want ErrClosed", err)
	}
	if err := l.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	assertClosed(t, addr)
	select {
	case <-l.serveDone:
	default:
		t.Error("the serving goroutine is still running after Close")
	}
}

func TestCloseAfterSuccessKeepsResult(t *testing.T) {
	l := listen(t, Options{})
	get(t, callbackURL(l, url.Values{"code": {"kept"}, "state": {l.State()}}))
	if err := l.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	res, err := l.Wait(context.Background())
	if err != nil || res.Code != "kept" {
		t.Fatalf("Wait after Close = %+v, %v; want the code", res, err)
	}
}

func TestPortInUse(t *testing.T) {
	busy, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	port := busy.Addr().(*net.TCPAddr).Port

	_, err = Listen(context.Background(), Options{Port: port})
	if !errors.Is(err, ErrPortInUse) {
		t.Fatalf("Listen error = %v, want ErrPortInUse", err)
	}
	if !strings.Contains(err.Error(), strconv.Itoa(port)) {
		t.Errorf("error %q does not name port %d", err.Error(), port)
	}
}

func TestFixedPort(t *testing.T) {
	probe, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := probe.Addr().(*net.TCPAddr).Port
	probe.Close()

	l := listen(t, Options{Port: port, Path: "/"})
	if want := "http://127.0.0.1:" + strconv.Itoa(port) + "/"; l.RedirectURI() != want {
		t.Fatalf("RedirectURI = %q, want %q", l.RedirectURI(), want)
	}
	get(t, callbackURL(l, url.Values{"code": {"c"}, "state": {l.State()}}))
	if res, err := l.Wait(context.Background()); err != nil || res.Code != "c" {
		t.Fatalf("Wait = %+v, %v", res, err)
	}
}

func TestRedirectURIHasTheBoundPort(t *testing.T) {
	l := listen(t, Options{})
	u, err := url.Parse(l.RedirectURI())
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Path != DefaultPath || u.RawQuery != "" {
		t.Errorf("RedirectURI = %q, want http://127.0.0.1:PORT/callback", l.RedirectURI())
	}
	bound := l.ln.Addr().(*net.TCPAddr)
	if !bound.IP.Equal(net.IPv4(127, 0, 0, 1)) {
		t.Errorf("bound to %v, want 127.0.0.1 only", bound.IP)
	}
	if u.Port() != strconv.Itoa(bound.Port) || bound.Port == 0 {
		t.Errorf("RedirectURI port %s, bound port %d", u.Port(), bound.Port)
	}
	c, err := net.DialTimeout("tcp", u.Host, time.Second)
	if err != nil {
		t.Fatalf("dialing the redirect URI's host: %v", err)
	}
	c.Close()
}

func TestPKCEChallenge(t *testing.T) {
	l := listen(t, Options{})
	v := l.Verifier()
	// RFC 7636 §4.1: 43–128 unreserved characters.
	if !regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`).MatchString(v) {
		t.Errorf("verifier %q is not an RFC 7636 verifier", v)
	}
	sum := sha256.Sum256([]byte(v))
	want := base64.RawURLEncoding.EncodeToString(sum[:])
	if l.Challenge() != want {
		t.Errorf("Challenge = %q, want base64url(sha256(verifier)) = %q", l.Challenge(), want)
	}
	if strings.ContainsAny(l.Challenge(), "=+/") {
		t.Errorf("Challenge %q is padded or not URL-safe", l.Challenge())
	}
}

func TestStateAndVerifierAreRandomAndUnique(t *testing.T) {
	states := map[string]bool{}
	verifiers := map[string]bool{}
	for range 20 {
		l := listen(t, Options{})
		s := l.State()
		raw, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil || len(raw) != 32 {
			t.Fatalf("state %q is not 32 bytes of base64url (err %v)", s, err)
		}
		if bytes.Equal(raw, make([]byte, 32)) {
			t.Fatal("state is all zeros")
		}
		if states[s] || verifiers[l.Verifier()] {
			t.Fatal("a state or verifier repeated")
		}
		states[s], verifiers[l.Verifier()] = true, true
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestInvalidOptions(t *testing.T) {
	cases := []struct {
		name string
		o    Options
	}{
		{"negative port", Options{Port: -1}},
		{"port too big", Options{Port: 70000}},
		{"relative path", Options{Path: "callback"}},
		{"path with a query", Options{Path: "/cb?x=1"}},
		{"negative timeout", Options{Timeout: -time.Second}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if l, err := Listen(context.Background(), tc.o); err == nil {
				_ = l.Close()
				t.Fatal("Listen accepted invalid options")
			}
		})
	}
}

// lockedBuffer collects log output from concurrent handlers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestLogsNeverHoldSecrets(t *testing.T) {
	const code = "SECRET-AUTH-CODE-123"
	var out lockedBuffer
	log := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))

	var secrets []string
	for _, q := range []func(string) url.Values{
		func(s string) url.Values { return url.Values{"code": {code}, "state": {s + "x"}} },
		func(s string) url.Values { return url.Values{"error": {"access_denied"}, "state": {s}} },
		func(s string) url.Values { return url.Values{"code": {code}, "state": {s}} },
	} {
		l := listen(t, Options{Log: log})
		secrets = append(secrets, l.State(), l.Verifier())
		base := strings.TrimSuffix(l.RedirectURI(), DefaultPath)
		get(t, base+"/favicon.ico?code="+code+"&state="+l.State())
		get(t, callbackURL(l, q(l.State())))
		_, _ = l.Wait(context.Background())
	}
	logged := out.String()
	if !strings.Contains(logged, "callback received") {
		t.Fatalf("nothing was logged:\n%s", logged)
	}
	for _, s := range append(secrets, code) {
		if strings.Contains(logged, s) {
			t.Errorf("the log contains a secret %q:\n%s", s, logged)
		}
	}
}
