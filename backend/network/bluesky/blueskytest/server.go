// Package blueskytest is a fake Bluesky for tests: one httptest server that
// plays the entryway, the PDS and the PLC directory, following the XRPC wire
// format (https://atproto.com/specs/xrpc): /xrpc/<nsid> paths, JSON bodies,
// {"error","message"} errors, ratelimit-* headers, and session JWTs whose
// refresh tokens rotate.
//
// Point a client at it with both Entryway and PLCDirectory set to URL():
//
//	s := blueskytest.NewServer(t)
//	c := bluesky.New(bluesky.Options{Entryway: s.URL(), PLCDirectory: s.URL()})
//	handle, _, pw := s.Account()
//	cred, err := c.Login(ctx, "", handle, pw)
package blueskytest

import (
	"crypto/rand"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"herald/backend/network/networktest"
)

// The fake's one account.
const (
	Handle       = "herald-test.bsky.social"
	DID          = "did:plc:heraldtestfakeaccount234"
	AppPassword  = "hrld-test-4pp5-pass"
	MainPassword = "correct horse battery staple"
	Email        = "herald-test@example.com"
	DisplayName  = "Herald Test"
)

// PLC is the key under which Calls counts DID document look-ups.
const PLC = "plc.directory"

// Server is the fake. All methods are safe for concurrent use.
type Server struct {
	srv    *httptest.Server
	secret []byte

	mu         sync.Mutex
	now        func() time.Time
	accessTTL  time.Duration
	refreshTTL time.Duration
	fault      networktest.Fault
	nsidFaults map[string]networktest.Fault
	status     string // "", "takendown", "suspended", "deactivated"
	authFactor bool   // the main password needs an emailed code
	sessions   map[string]*session
	tokens     map[string]*issued // by jti
	calls      map[string]int
	routes     map[string]route
	repo       repoState
	inbox      inboxState // inbox.go
	side       sideState  // moderate.go
	metrics    metricsState
	public     publicState // public.go
}

var (
	_ networktest.Fake        = (*Server)(nil)
	_ networktest.PublishFake = (*Server)(nil)
	_ networktest.MetricsFake = (*Server)(nil)
)

// NewServer starts a fake that stops when the test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{
		secret:     []byte(rand.Text()),
		now:        time.Now,
		accessTTL:  2 * time.Hour,
		refreshTTL: 60 * 24 * time.Hour,
		nsidFaults: map[string]networktest.Fault{},
		sessions:   map[string]*session{},
		tokens:     map[string]*issued{},
		calls:      map[string]int{},
		repo:       newRepoState(),
		inbox:      newInboxState(),
		metrics:    newMetricsState(),
	}
	s.routes = s.builtinRoutes()
	s.srv = httptest.NewServer(s)
	t.Cleanup(s.srv.Close)
	return s
}

// URL is the base URL of the entryway, the PDS and the PLC directory.
func (s *Server) URL() string { return s.srv.URL }

// Instance is URL (networktest.Fake).
func (s *Server) Instance() string { return s.srv.URL }

// Account returns the fake account's handle, DID and app password.
func (s *Server) Account() (handle, did, appPassword string) { return Handle, DID, AppPassword }

// Login returns the handle and app password (networktest.Fake).
func (s *Server) Login() (identifier, password string) { return Handle, AppPassword }

// Approve fails: Bluesky app-password sessions have no browser step.
func (s *Server) Approve(t *testing.T, _ string) (code, state string) {
	t.Helper()
	t.Fatal("blueskytest: Bluesky signs in with an app password, there is nothing to approve")
	return "", ""
}

// RotatesRefreshTokens is true: a refresh JWT works once.
func (s *Server) RotatesRefreshTokens() bool { return true }

// Inject makes every later API call fail with f, until Inject(FaultNone).
// Sign-in (createSession, resolveHandle, DID documents) is not affected;
// use InjectNSID for that.
func (s *Server) Inject(f networktest.Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// InjectNSID makes calls of one NSID (or PLC) fail with f, sign-in
// included, until InjectNSID(nsid, FaultNone).
func (s *Server) InjectNSID(nsid string, f networktest.Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f == networktest.FaultNone {
		delete(s.nsidFaults, nsid)
		return
	}
	s.nsidFaults[nsid] = f
}

// RevokeAll ends every session, as revoking the app password does: its
// access and refresh tokens stop working. Signing in again still works.
func (s *Server) RevokeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ss := range s.sessions {
		ss.revoked = true
	}
}

// ExpireAccessTokens makes every access token issued so far expired;
// refreshing still works.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, tk := range s.tokens {
		if !tk.refresh {
			tk.expired = true
		}
	}
}

// SetAccessTTL sets the lifetime of access tokens issued from now on
// (default 2 h); with SetClock a test can then let them expire.
func (s *Server) SetAccessTTL(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accessTTL = d
}

// SetRefreshTTL sets the lifetime of refresh tokens issued from now on
// (default 60 days).
func (s *Server) SetRefreshTTL(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshTTL = d
}

// SetClock replaces the fake's clock (for issuing and checking tokens and
// for rate-limit resets).
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// SetStatus sets the account's hosting status: "takendown" (sign-in and
// refresh fail with AccountTakedown), "deactivated", "suspended", or ""
// for active.
func (s *Server) SetStatus(status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = status
}

// RequireAuthFactor makes sign-in with the main password ask for the code
// Bluesky emails (AuthFactorTokenRequired). App passwords never need it.
func (s *Server) RequireAuthFactor(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.authFactor = on
}

// Calls returns how many requests reached nsid (or PLC), faulted ones
// included.
func (s *Server) Calls(nsid string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[nsid]
}

// CallCounts returns a copy of the per-NSID request counts.
func (s *Server) CallCounts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.calls)
}

// HandlerFunc serves an authenticated XRPC call for the account did.
type HandlerFunc func(w http.ResponseWriter, r *http.Request, did string)

// Handle adds (or replaces) an XRPC method that needs an access token,
// such as com.atproto.repo.createRecord in a publishing test. The fake
// checks the method, the token and injected faults before h runs.
func (s *Server) Handle(nsid, method string, h HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes[nsid] = route{method: method, auth: authAccess, h: func(w http.ResponseWriter, r *http.Request, c caller) {
		h(w, r, c.did)
	}}
}

// ServeHTTP routes /xrpc/<nsid> to the XRPC methods and /did:plc:… to the
// PLC directory.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/xrpc/"):
		s.serveXRPC(w, r, strings.TrimPrefix(r.URL.Path, "/xrpc/"))
	case strings.HasPrefix(r.URL.Path, "/did:"):
		s.servePLC(w, r, strings.TrimPrefix(r.URL.Path, "/"))
	default:
		http.NotFound(w, r)
	}
}
