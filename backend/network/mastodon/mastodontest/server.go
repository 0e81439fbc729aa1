// Package mastodontest is a fake Mastodon-API server for Herald's tests.
// It follows Mastodon's documented wire format (form and JSON bodies where
// Mastodon takes both, its error entity, its rate-limit headers) and
// implements networktest.Fake and networktest.PublishFake, so it drives
// the conformance suites as well as any other test that needs a Mastodon
// server.
//
// Metrics follow Mastodon's entities: statuses count their replies,
// boosts, favourites and quotes, accounts their followers, follows and
// statuses, all kept from what accounts did (Engage, Follow), and
// GET /api/v2/search finds accounts; the fake implements
// networktest.MetricsFake.
//
// Publishing follows Mastodon too: media upload with asynchronous
// processing (SetMediaProcessing), statuses with replies, visibility and
// content warnings, Idempotency-Key remembered for an hour
// (IgnoreIdempotencyKey plays GoToSocial), scheduled statuses
// (FireScheduled plays the server's scheduler), and faults on the next
// create-status request (InjectPublish).
//
// Routes live in one table (routes); tests add or replace a route with
// Handle, e.g. to make /api/v1/statuses answer as another server would.
package mastodontest

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"herald/backend/network/networktest"
)

// Server is a running fake. All methods are safe for concurrent use.
type Server struct {
	srv *httptest.Server
	mux *http.ServeMux

	mu       sync.Mutex
	handlers map[string]http.HandlerFunc // by ServeMux pattern
	calls    map[string]int              // by URL path
	fault    networktest.Fault
	now      func() time.Time

	limits   Limits
	accounts []Account
	signedIn string // the account id the person at the browser is signed in as

	apps   map[string]*App   // by client id
	codes  map[string]*grant // by authorization code
	tokens map[string]*grant // by access token
	serial int

	// Publishing (statuses.go, media.go, scheduled.go).
	statuses     []*Status
	media        map[string]*Media
	scheduled    []*ScheduledStatus
	idempotency  map[string]idempotent // by account id + key
	ignoreIdem   bool
	publishFault networktest.PublishFault
	mediaPolls   int
	objectSerial int64

	inbox   inboxState   // inbox.go
	mod     moderation   // moderate.go
	metrics metricsState // metrics.go
}

var (
	_ networktest.Fake        = (*Server)(nil)
	_ networktest.PublishFake = (*Server)(nil)
)

// NewServer starts a fake with one account (see DefaultAccount) and
// Mastodon's default limits; it stops when the test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{
		mux:      http.NewServeMux(),
		handlers: map[string]http.HandlerFunc{},
		calls:    map[string]int{},
		now:      time.Now,
		limits:   DefaultLimits(),
		apps:     map[string]*App{},
		codes:    map[string]*grant{},
		tokens:   map[string]*grant{},

		media:       map[string]*Media{},
		idempotency: map[string]idempotent{},
		mediaPolls:  1,
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	for pattern, h := range s.routes() {
		s.Handle(pattern, h)
	}
	for pattern, h := range s.moderationRoutes() {
		s.Handle(pattern, h)
	}
	for pattern, h := range s.metricsRoutes() {
		s.Handle(pattern, h)
	}
	s.AddAccount(DefaultAccount())
	return s
}

// routes is the fake's handler table, keyed by ServeMux pattern.
func (s *Server) routes() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"POST /api/v1/statuses":                   s.createStatus,
		"GET /api/v1/statuses/{id}":               s.getStatus,
		"GET /api/v1/accounts/{id}/statuses":      s.accountStatuses,
		"POST /api/v2/media":                      s.createMediaV2,
		"POST /api/v1/media":                      s.createMediaV1,
		"GET /api/v1/media/{id}":                  s.getMedia,
		"GET /api/v1/scheduled_statuses":          s.listScheduled,
		"GET /api/v1/scheduled_statuses/{id}":     s.getScheduled,
		"DELETE /api/v1/scheduled_statuses/{id}":  s.cancelScheduled,
		"GET /api/v1/instance":                    s.instanceV1,
		"GET /api/v2/instance":                    s.instanceV2,
		"POST /api/v1/apps":                       s.createApp,
		"GET /oauth/authorize":                    s.authorize,
		"POST /oauth/token":                       s.token,
		"POST /oauth/revoke":                      s.revoke,
		"GET /api/v1/accounts/verify_credentials": s.verifyCredentials,
		"GET /api/v1/notifications":               s.notifications,
		"GET /api/v1/conversations":               s.conversations,
		"GET /api/v1/statuses/{id}/context":       s.statusContext,
	}
}

// Handle adds a route, or replaces the handler of an existing pattern
// ("GET /api/v2/instance", "POST /api/v1/statuses").
func (s *Server) Handle(pattern string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.handlers[pattern]; ok {
		s.handlers[pattern] = h
		return
	}
	s.handlers[pattern] = h
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		h := s.handlers[pattern]
		s.mu.Unlock()
		h(w, r)
	})
}

// serve counts the call, applies an injected fault to API calls, then
// routes.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.calls[r.URL.Path]++
	fault := s.fault
	now := s.now()
	s.mu.Unlock()
	if strings.HasPrefix(r.URL.Path, "/api/") {
		switch fault {
		case networktest.FaultRateLimited:
			// https://docs.joinmastodon.org/api/rate-limits/
			w.Header().Set("X-RateLimit-Limit", "300")
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", now.Add(5*time.Minute).UTC().Format("2006-01-02T15:04:05.000000Z"))
			writeError(w, http.StatusTooManyRequests, "Too many requests")
			return
		case networktest.FaultServerError:
			// What a reverse proxy in front of a busy server sends.
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"))
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

// URL is the fake's base URL (http://127.0.0.1:port).
func (s *Server) URL() string { return s.srv.URL }

// Instance is the base URL Herald is given as the server.
func (s *Server) Instance() string { return s.srv.URL }

// Client is an HTTP client for the fake.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Inject sets the behaviour of subsequent /api/ calls (not sign-in).
func (s *Server) Inject(f networktest.Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// SetNow replaces the fake's clock (rate-limit resets, code expiry).
func (s *Server) SetNow(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// Calls is how many requests reached path (any method), faults included.
func (s *Server) Calls(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[path]
}

// CallCounts returns a copy of the request counts by URL path.
func (s *Server) CallCounts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.calls)
}

// Login is for password networks; Mastodon signs in through the browser.
func (s *Server) Login() (identifier, password string) { return "", "" }

// RotatesRefreshTokens is false: Mastodon issues no refresh tokens.
func (s *Server) RotatesRefreshTokens() bool { return false }

// ExpireAccessTokens does nothing: Mastodon access tokens never expire.
func (s *Server) ExpireAccessTokens() {}
