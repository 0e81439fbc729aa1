//go:build chaos

// Package chaos kills the publisher with SIGKILL at random moments while
// it publishes many posts through a proxy that drops connections, loses
// answers after the server committed, rate-limits, fails with 5xx and
// revokes tokens — then restarts it until every post is settled, and
// checks on the server what Herald claims:
//
//   - a published target is on the server exactly once, as the remote ids
//     Herald recorded;
//   - check 1: a failed target is not on the server, except the parts
//     Herald recorded as published;
//   - check 2: no target fails from a transient cause (a dropped answer, a
//     5xx, a 429, a kill, a revoked token) while its missed-time window is
//     open — here every post has a day of grace, so only a permanent error
//     may fail one, and the proxy injects none;
//   - check 3: a revoked token stays revoked: Herald sends nothing with it
//     once it has recorded the revocation, the server accepts nothing made
//     with it, and the targets it blocked are published once after the
//     channel is reconnected;
//   - check 4: Herald sends nothing for a channel inside a 429 window the
//     server announced, once it has recorded the 429.
//
// Every check counts events and orders them by Herald's own records (its
// database as it stood when a request reached the proxy); none depends on
// how fast the machine is. A slow machine only sees fewer requests fall
// inside a window, never a request counted that Herald sent in ignorance.
//
//	go test -tags chaos -count=1 -v -run TestKilled ./test/chaos/
package chaos

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jonboulle/clockwork"
	"gorm.io/gorm"

	"herald/backend/db"
	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/network/mastodon"
	"herald/backend/network/mastodon/mastodontest"
	"herald/backend/notify"
	"herald/backend/publish"
	"herald/backend/store"
)

const (
	channels = 5
	posts    = 300 // a fifth of them are three-part threads
	// rateWindow is how long a 429 asks Herald to leave the channel alone.
	rateWindow = time.Second
	statuses   = "/api/v1/statuses"
	// maxPrinted bounds how many requests checks 3 and 4 print one by one.
	maxPrinted = 100
)

// Failure classes that say something about the post or the channel
// itself, never about the moment: only these may fail a target while its
// missed-time window is open (check 2). The proxy injects none of them.
var permanentClasses = []string{
	string(network.ClassContentRejected), string(network.ClassMediaRejected), string(network.ClassInvalidInput),
	"missing_channel", "unsupported", "invalid_post", // the engine's own: the channel or the stored variant is gone or unreadable
}

// itemRef is one item of a target: 0 is the post, 1 and 2 a thread's replies.
type itemRef struct {
	target int64
	item   int
}

// window is a 429 the proxy answered: it announced (Retry-After and
// X-RateLimit-Reset) that the channel takes no requests before until.
type window struct {
	channel, target int64
	attempt         int64 // Herald's attempt that received it (its pending ledger row then)
	from, until     time.Time
}

// revocation is a token the proxy revoked on the server, answering 401.
type revocation struct {
	channel, target int64
	attempt         int64 // Herald's attempt that received the 401
	at              time.Time
}

// sighting is one request that reached the proxy for a channel while a 429
// window was open, or carrying a revoked token.
type sighting struct {
	at      time.Time
	channel int64
	method  string
	path    string
	key     string // Idempotency-Key, on creates
	target  int64  // the target the key belongs to (0: not a create)
	known   bool   // Herald's database had recorded the 429 / revocation when it arrived
	why     string
}

func (s sighting) String() string {
	what := s.method + " " + s.path
	if s.target != 0 {
		what += fmt.Sprintf(" (target %d, key %s)", s.target, s.key)
	}
	return fmt.Sprintf("%s on channel %d at %s: %s", what, s.channel, s.at.Format("15:04:05.000000"), s.why)
}

// proxy sits between Herald and the fake server, misbehaves on the
// requests that create statuses, and records what reaches the server
// during an announced 429 window or with a revoked token.
type proxy struct {
	rp   *httputil.ReverseProxy
	fake *mastodontest.Server
	rng  *rand.Rand
	// ro reads Herald's database (read-only) to learn what Herald had
	// recorded when a request arrived.
	ro *sql.DB

	mu       sync.Mutex
	keys     map[string]itemRef // Idempotency-Key → item
	counts   map[string]int
	tokens   map[string]int64 // access token → channel
	revoked  map[string]revocation
	windows  []window
	inWindow []sighting // check 4
	deadUse  []sighting // check 3: requests with a revoked token
	accepted []sighting // check 3: creates the server accepted with a revoked token
	dbErrs   []string
}

func (p *proxy) roll() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rng.Float64()
}

func (p *proxy) count(what string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.counts[what]++
}

func (p *proxy) addToken(access string, channel int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokens[access] = channel
}

func (p *proxy) isRevoked(access string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.revoked[access]
	return ok
}

func (p *proxy) dbErr(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dbErrs = append(p.dbErrs, err.Error())
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	at := time.Now().Round(0) // wall clock, as Herald reads it
	tok := bearer(r)
	key := r.Header.Get("Idempotency-Key")
	p.mu.Lock()
	ch, ours := p.tokens[tok]
	ref := p.keys[key]
	rev, dead := p.revoked[tok]
	var open []window
	for _, wd := range p.windows {
		if wd.channel == ch && !at.Before(wd.from) && at.Before(wd.until) {
			open = append(open, wd)
		}
	}
	p.mu.Unlock()
	s := sighting{at: at, channel: ch, method: r.Method, path: r.URL.Path, key: key, target: ref.target}
	if ours && len(open) > 0 {
		p.sawInWindow(s, open)
	}
	if dead {
		p.sawRevoked(s, rev)
	}

	create := r.Method == http.MethodPost && r.URL.Path == statuses
	if !create || !ours || dead {
		// The server itself answers: a revoked token is refused there.
		p.forward(w, r, s, create && dead)
		return
	}
	switch x := p.roll(); {
	case x < 0.08: // the connection drops before the server sees anything
		p.count("drop_before")
		hijackClose(w)
	case x < 0.16: // the server commits, the answer never arrives
		p.count("drop_after_commit")
		rec := httptest.NewRecorder()
		p.rp.ServeHTTP(rec, r)
		hijackClose(w)
	case x < 0.21:
		p.count("rate_limited")
		attempt := p.pendingAttempt(s.target)
		from := time.Now().Round(0)
		until := from.Add(rateWindow)
		p.mu.Lock()
		p.windows = append(p.windows, window{channel: ch, target: s.target, attempt: attempt, from: from, until: until})
		p.mu.Unlock()
		// Both headers name the same moment or later: X-RateLimit-Reset
		// exactly, Retry-After counted from when Herald reads the answer.
		w.Header().Set("Retry-After", strconv.Itoa(int(rateWindow/time.Second)))
		w.Header().Set("X-RateLimit-Reset", until.UTC().Format(time.RFC3339Nano))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"error":"Too many requests"}`))
	case x < 0.26:
		p.count("server_error")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`<html>503 Service Unavailable</html>`))
	case x < 0.28:
		// The person revokes Herald's token on the server: from now on
		// the server refuses it, as a real one would.
		p.count("unauthorized")
		p.fake.RevokeToken(tok)
		attempt := p.pendingAttempt(s.target)
		p.mu.Lock()
		p.revoked[tok] = revocation{channel: ch, target: s.target, attempt: attempt, at: time.Now().Round(0)}
		p.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"The access token is invalid"}`))
	default:
		p.forward(w, r, s, false)
	}
}

// forward passes the request to the server; for a create with a revoked
// token it records a success (which the server must never give).
func (p *proxy) forward(w http.ResponseWriter, r *http.Request, s sighting, revokedCreate bool) {
	sw := &statusWriter{ResponseWriter: w}
	p.rp.ServeHTTP(sw, r)
	if revokedCreate && sw.code >= 200 && sw.code < 300 {
		s.why = fmt.Sprintf("the server answered %d to a create with a revoked token", sw.code)
		p.mu.Lock()
		p.accepted = append(p.accepted, s)
		p.mu.Unlock()
	}
}

// sawInWindow records a request inside announced 429 windows, and whether
// Herald had recorded the 429 (the attempt that got it closed as
// rate-limited, or the channel parked past this moment) when it arrived.
func (p *proxy) sawInWindow(s sighting, open []window) {
	_, parked, err := p.channelState(s.channel)
	if err != nil {
		p.dbErr(err)
		return
	}
	var why []string
	if parked.After(s.at) {
		s.known = true
		why = append(why, fmt.Sprintf("channel parked until %s", parked.Format("15:04:05.000000")))
	}
	for _, wd := range open {
		class, err := p.attemptClass(wd.attempt)
		if err != nil {
			p.dbErr(err)
			return
		}
		if class == string(network.ClassRateLimited) {
			s.known = true
		}
		why = append(why, fmt.Sprintf("429 window %s–%s from target %d's attempt (row %d), recorded %q",
			wd.from.Format("15:04:05.000000"), wd.until.Format("15:04:05.000000"), wd.target, wd.attempt, class))
	}
	s.why = strings.Join(why, "; ")
	p.mu.Lock()
	p.inWindow = append(p.inWindow, s)
	p.mu.Unlock()
}

// sawRevoked records a request carrying a revoked token, and whether
// Herald had recorded the revocation (the attempt that got the 401 closed
// as auth_dead, or the channel disconnected) when it arrived.
func (p *proxy) sawRevoked(s sighting, rev revocation) {
	status, _, err := p.channelState(s.channel)
	if err != nil {
		p.dbErr(err)
		return
	}
	class, err := p.attemptClass(rev.attempt)
	if err != nil {
		p.dbErr(err)
		return
	}
	s.known = class == string(network.ClassAuthDead) || status == string(model.ChannelDisconnected)
	s.why = fmt.Sprintf("token revoked at %s on target %d's attempt (row %d), recorded %q; channel %s",
		rev.at.Format("15:04:05.000000"), rev.target, rev.attempt, class, status)
	p.mu.Lock()
	p.deadUse = append(p.deadUse, s)
	p.mu.Unlock()
}

// pendingAttempt is the ledger row of the target's attempt in flight.
func (p *proxy) pendingAttempt(target int64) int64 {
	if target == 0 {
		return 0
	}
	var id int64
	err := p.ro.QueryRow(`SELECT id FROM attempts WHERE target_id = ? AND outcome = ? ORDER BY id DESC LIMIT 1`, target, model.OutcomePending).Scan(&id)
	if err != nil && err != sql.ErrNoRows {
		p.dbErr(err)
	}
	return id
}

func (p *proxy) attemptClass(id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	var class string
	err := p.ro.QueryRow(`SELECT error_class FROM attempts WHERE id = ?`, id).Scan(&class)
	if err != nil {
		return "", fmt.Errorf("read attempt %d: %w", id, err)
	}
	return class, nil
}

func (p *proxy) channelState(id int64) (status string, parked time.Time, err error) {
	var until any
	if err := p.ro.QueryRow(`SELECT status, rate_limited_until FROM channels WHERE id = ?`, id).Scan(&status, &until); err != nil {
		return "", time.Time{}, fmt.Errorf("read channel %d: %w", id, err)
	}
	switch v := until.(type) {
	case time.Time:
		parked = v
	case string:
		parked = parseTime(v)
	case []byte:
		parked = parseTime(string(v))
	}
	return status, parked, nil
}

func parseTime(s string) time.Time {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.code == 0 {
		s.code = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.code == 0 {
		s.code = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

func hijackClose(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			_ = c.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// world is what the parent keeps between runs of the publisher.
type world struct {
	fake     *mastodontest.Server
	px       *proxy
	dbPath   string
	credFile string
	creds    map[string]network.Credential // by channel id
	accounts map[int64]string              // channel id → account id on the fake
}

func (wd *world) writeCreds(t *testing.T) {
	t.Helper()
	b, _ := json.Marshal(wd.creds)
	if err := os.WriteFile(wd.credFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestKilledPublisherNeverLosesOrDoublesAPost(t *testing.T) {
	if os.Getenv("HERALD_CHAOS_CHILD") == "1" {
		t.Skip("parent only")
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("HERALD_CHAOS_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d (rerun with HERALD_CHAOS_SEED=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 7))

	fake := mastodontest.NewServer(t)
	fake.IgnoreIdempotencyKey(true) // like GoToSocial: only reconciling prevents duplicates
	target, _ := url.Parse(fake.URL())
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ErrorLog = log.New(io.Discard, "", 0) // a killed publisher cancels its requests
	px := &proxy{rp: rp, fake: fake, rng: rand.New(rand.NewPCG(seed, 11)), keys: map[string]itemRef{},
		counts: map[string]int{}, tokens: map[string]int64{}, revoked: map[string]revocation{}}
	front := httptest.NewServer(px)
	defer front.Close()

	dir := t.TempDir()
	wd := &world{fake: fake, px: px, dbPath: filepath.Join(dir, "herald.db"), credFile: filepath.Join(dir, "creds.json"),
		creds: map[string]network.Credential{}, accounts: map[int64]string{}}
	ctx := context.Background()
	g, _, err := db.Open(ctx, db.Options{Path: wd.dbPath, BackupDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	texts := map[int64][]string{} // target id → texts of its items
	keys := map[int64]string{}    // target id → idempotency key
	var targetIDs []int64
	now := time.Now().UTC()
	for c := 0; c < channels; c++ {
		acct := fake.Account()
		if c > 0 {
			acct = fake.AddAccount(mastodontest.Account{ID: fmt.Sprint(5000 + c), Username: fmt.Sprintf("shop%d", c)})
		}
		ch := model.Channel{Network: "mastodon", Instance: front.URL, RemoteID: acct.ID, Handle: acct.Username, DisplayName: acct.Username}
		if err := store.NewChannels(g, time.Now).Create(ctx, &ch); err != nil {
			t.Fatal(err)
		}
		cred := fake.Credential(acct.ID, "read write")
		wd.creds[fmt.Sprint(ch.ID)] = cred
		wd.accounts[ch.ID] = acct.ID
		px.addToken(cred.AccessToken, ch.ID)
		for i := 0; i < posts/channels; i++ {
			due := now.Add(time.Duration(rng.IntN(8000)) * time.Millisecond)
			body := fmt.Sprintf("chaos %d post %d/%d %d", seed, c, i, rng.Int())
			items := []string{body}
			thread := "[]"
			if i%5 == 0 {
				items = append(items, body+" (2/3)", body+" (3/3)")
				b, _ := json.Marshal(items[1:])
				thread = string(b)
			}
			p := model.Post{Status: model.PostScheduled, ScheduledAt: &due, TimeZone: "UTC", MissedPolicy: model.MissedPublishLate,
				GraceMinutes: 24 * 60, Origin: "app", CreatedAt: now, UpdatedAt: now}
			if err := g.Create(&p).Error; err != nil {
				t.Fatal(err)
			}
			tg := model.PostTarget{PostID: p.ID, ChannelID: ch.ID, Body: body, Thread: thread, Options: `{"visibility":"public"}`, ItemIDs: "[]",
				Status: model.TargetScheduled, DueAt: &due, NextAttemptAt: &due, IdempotencyKey: fmt.Sprintf("k-%d-%d", seed, p.ID), CreatedAt: now, UpdatedAt: now}
			if err := g.Create(&tg).Error; err != nil {
				t.Fatal(err)
			}
			targetIDs = append(targetIDs, tg.ID)
			texts[tg.ID] = items
			keys[tg.ID] = tg.IdempotencyKey
			px.mu.Lock()
			for n := range items {
				px.keys[itemKey(tg.IdempotencyKey, n)] = itemRef{target: tg.ID, item: n}
			}
			px.mu.Unlock()
		}
	}
	_ = db.Close(g)
	wd.writeCreds(t)
	px.ro, err = sql.Open(sqlite.DriverName, wd.dbPath+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer px.ro.Close()

	start := time.Now()
	kills, runs := 0, 0
	deadline := time.Now().Add(4 * time.Minute)
	for run := 0; ; run++ {
		reconnect(t, wd) // the user reconnects any channel a 401 disconnected
		unsettled := countUnsettled(t, wd.dbPath)
		if unsettled == 0 {
			break
		}
		if time.Now().After(deadline) {
			// The checks below still run and say which targets and why.
			t.Errorf("%d targets were still unsettled after 4 minutes", unsettled)
			break
		}
		runs++
		cmd := exec.Command(os.Args[0], "-test.run=^TestChaosChild$", "-test.v")
		cmd.Env = append(os.Environ(), "HERALD_CHAOS_CHILD=1", "HERALD_CHAOS_DB="+wd.dbPath, "HERALD_CHAOS_CREDS="+wd.credFile)
		out, _ := cmd.StdoutPipe()
		cmd.Stderr = cmd.Stdout
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go drain(out)
		// Kill at a random moment in most runs; let every fifth run settle.
		if run%5 != 4 {
			time.Sleep(time.Duration(30+rng.IntN(600)) * time.Millisecond)
			_ = cmd.Process.Signal(syscall.SIGKILL)
			kills++
		} else {
			time.Sleep(4 * time.Second)
			_ = cmd.Process.Signal(syscall.SIGKILL)
		}
		_ = cmd.Wait()
	}
	elapsed := time.Since(start)

	// Count on the server side: every status, by the items it could be.
	made := map[itemRef][]mastodontest.Status{}
	px.mu.Lock()
	defer px.mu.Unlock()
	for _, s := range fake.StatusesBy("") {
		seen := map[itemRef]bool{}
		if ref, ok := px.keys[s.IdempotencyKey]; ok {
			seen[ref] = true
		}
		for id, items := range texts {
			if n := slices.Index(items, s.Text); n >= 0 {
				seen[itemRef{target: id, item: n}] = true
			}
		}
		for ref := range seen {
			made[ref] = append(made[ref], s)
		}
	}
	g, _, err = db.Open(ctx, db.Options{Path: wd.dbPath, BackupDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(g)

	var authBlocked []int64 // targets an attempt found with a revoked token
	if err := g.Model(&model.Attempt{}).Where("error_class = ?", network.ClassAuthDead).Distinct().Pluck("target_id", &authBlocked).Error; err != nil {
		t.Fatal(err)
	}
	published, failed, wrongFailures, authPublished := 0, 0, 0, 0
	for _, id := range targetIDs {
		var tg model.PostTarget
		if err := g.First(&tg, id).Error; err != nil {
			t.Fatal(err)
		}
		var recorded []string
		if err := json.Unmarshal([]byte(orDefault(tg.ItemIDs, "[]")), &recorded); err != nil {
			t.Errorf("target %d: unreadable item ids %q", id, tg.ItemIDs)
		}
		switch tg.Status {
		case model.TargetPublished:
			published++
			for n, text := range texts[id] {
				on := made[itemRef{target: id, item: n}]
				switch {
				case len(on) != 1:
					t.Errorf("target %d is published but %q exists %d times on the server%s", id, text, len(on), ids(on))
				case n >= len(recorded) || recorded[n] != on[0].ID:
					t.Errorf("target %d is published and %q exists once on the server as %s, but Herald recorded the items as %v", id, text, on[0].ID, recorded)
				}
			}
		case model.TargetFailed:
			failed++
			t.Logf("target %d failed: [%s] %s", id, tg.ErrorClass, tg.ErrorMessage)
			if tg.ErrorMessage == "" {
				t.Errorf("target %d failed without a reason", id)
			}
			// Check 1: a failed target is not on the server, except the
			// items Herald recorded as made (a thread that went out in part).
			for n, text := range texts[id] {
				on := made[itemRef{target: id, item: n}]
				switch {
				case n < len(recorded) && (len(on) != 1 || on[0].ID != recorded[n]):
					t.Errorf("check 1 failed: target %d failed with item %d recorded as %s, but %q exists %d times on the server%s",
						id, n, recorded[n], text, len(on), ids(on))
				case n >= len(recorded) && len(on) > 0:
					t.Errorf("check 1 failed: target %d failed and Herald records no remote id for item %d, but %q exists %d times on the server%s (key %s)",
						id, n, text, len(on), ids(on), itemKey(keys[id], n))
				}
			}
			// Check 2: only a closed window or a permanent error may fail a
			// target; the proxy's faults are all transient (or a revoked
			// token, which blocks until reconnect).
			var p model.Post
			if err := g.First(&p, tg.PostID).Error; err != nil {
				t.Fatal(err)
			}
			closes := tg.DueAt.Add(time.Duration(p.GraceMinutes) * time.Minute)
			if !slices.Contains(permanentClasses, tg.ErrorClass) && !tg.UpdatedAt.After(closes) {
				wrongFailures++
				t.Errorf("check 2 failed: target %d failed: [%s] %q at %s, though its window is open until %s and the class is not permanent; %s",
					id, tg.ErrorClass, tg.ErrorMessage, tg.UpdatedAt.UTC().Format(time.RFC3339Nano), closes.UTC().Format(time.RFC3339), ledger(t, g, id))
			}
		default:
			t.Errorf("target %d ended as %s", id, tg.Status)
		}
		if slices.Contains(authBlocked, id) && tg.Status == model.TargetPublished {
			authPublished++
		} else if slices.Contains(authBlocked, id) {
			where := "its ledger is above"
			if tg.Status != model.TargetFailed {
				where = ledger(t, g, id)
			}
			t.Errorf("check 3 failed: target %d was blocked by a revoked token and ended as %s, not published after the reconnect; %s", id, tg.Status, where)
		}
	}

	for _, e := range px.dbErrs {
		t.Errorf("the proxy could not read Herald's database: %s", e)
	}
	// Check 3: a revoked token is dead for good. The server refuses it (it
	// never accepts a create made with it), and Herald, once it has
	// recorded the revocation (the attempt that got the 401 closed as
	// auth_dead, or the channel disconnected), sends nothing more with it.
	// A request that arrives before that record is not counted: Herald
	// could not know yet (the 401 was still in flight, or the publisher was
	// killed before recording it and the next one had to learn it again).
	// The channel is reconnected with a new token, so the targets the
	// revocation blocked must end published, each exactly once.
	deadKnown := 0
	for _, s := range px.deadUse {
		if s.known {
			deadKnown++
			if deadKnown <= maxPrinted {
				t.Errorf("check 3 failed: a revoked token was used after Herald recorded its revocation: %s", s)
			}
		} else {
			t.Logf("revoked token used before Herald had recorded the revocation (allowed): %s", s)
		}
	}
	if deadKnown > maxPrinted {
		t.Errorf("check 3 failed: %d more requests with a revoked token after Herald recorded it (not printed)", deadKnown-maxPrinted)
	}
	for _, s := range px.accepted {
		t.Errorf("check 3 failed: %s", s)
	}
	// Check 4: inside a 429 window the server announced, nothing reaches
	// it for that channel once Herald has recorded the 429 (the attempt
	// closed as rate_limited, or the channel parked). As with revocations,
	// a request Herald sent before it could know is only printed.
	//
	// "Before it could know" is decided by Herald's database as it stood
	// when the request arrived, not by a clock: Herald sends a channel's
	// requests one after another, so a request that arrives after the
	// record was made was sent after it. The window itself is the moment
	// the proxy announced in X-RateLimit-Reset (Retry-After, counted from
	// when Herald read the answer, names the same moment or later), and
	// Herald reads the same wall clock.
	windowKnown := 0
	for _, s := range px.inWindow {
		if s.known {
			windowKnown++
			if windowKnown <= maxPrinted {
				t.Errorf("check 4 failed: sent inside a 429 window Herald had recorded: %s", s)
			}
		} else {
			t.Logf("request inside a 429 window before Herald had recorded the 429 (allowed): %s", s)
		}
	}
	if windowKnown > maxPrinted {
		t.Errorf("check 4 failed: %d more requests inside a 429 window Herald had recorded (not printed)", windowKnown-maxPrinted)
	}
	var faults []string
	for _, k := range []string{"drop_before", "drop_after_commit", "rate_limited", "server_error", "unauthorized"} {
		faults = append(faults, fmt.Sprintf("%s=%d", k, px.counts[k]))
	}
	t.Logf("%d targets: %d published exactly once, %d failed with a reason (%d from a transient cause); "+
		"%d revoked tokens blocked %d targets, %d of them published after the reconnect; %d requests with a revoked token (%d after Herald recorded it); "+
		"%d 429 windows announced, %d requests inside one (%d after Herald recorded the 429); %d runs, %d SIGKILLs in %s; faults: %s",
		len(targetIDs), published, failed, wrongFailures,
		len(px.revoked), len(authBlocked), authPublished, len(px.deadUse), deadKnown,
		len(px.windows), len(px.inWindow), windowKnown, runs, kills, elapsed.Round(time.Millisecond), strings.Join(faults, " "))
	if published == 0 {
		t.Error("nothing was published")
	}
}

// itemKey is the Idempotency-Key Herald's Mastodon client sends for item n
// of a target whose key is key (see mastodon.itemKey).
func itemKey(key string, n int) string {
	if n == 0 {
		return key
	}
	return key + "-" + strconv.Itoa(n)
}

func ids(on []mastodontest.Status) string {
	if len(on) == 0 {
		return ""
	}
	var s []string
	for _, st := range on {
		s = append(s, st.ID)
	}
	return " (" + strings.Join(s, ", ") + ")"
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// ledger is a target's attempts, oldest first, on one line (so that
// make test's filter keeps it with the failure it explains).
func ledger(t *testing.T, g *gorm.DB, targetID int64) string {
	t.Helper()
	var as []model.Attempt
	if err := g.Where("target_id = ?", targetID).Order("id").Find(&as).Error; err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, a := range as {
		fin := "-"
		if a.FinishedAt != nil {
			fin = a.FinishedAt.UTC().Format("15:04:05.000000")
		}
		lines = append(lines, fmt.Sprintf("#%d (row %d) %s–%s %s [%s] %s", a.Number, a.ID, a.StartedAt.UTC().Format("15:04:05.000000"), fin, a.Outcome, a.ErrorClass, a.ErrorMessage))
	}
	return fmt.Sprintf("ledger of target %d: %s", targetID, strings.Join(lines, " | "))
}

// TestChaosChild is the publisher process the parent kills.
func TestChaosChild(t *testing.T) {
	if os.Getenv("HERALD_CHAOS_CHILD") != "1" {
		t.Skip("run by TestKilledPublisherNeverLosesOrDoublesAPost")
	}
	ctx := context.Background()
	g, _, err := db.Open(ctx, db.Options{Path: os.Getenv("HERALD_CHAOS_DB"), BackupDir: filepath.Dir(os.Getenv("HERALD_CHAOS_DB"))})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(os.Getenv("HERALD_CHAOS_CREDS"))
	if err != nil {
		t.Fatal(err)
	}
	var creds map[string]network.Credential
	if err := json.Unmarshal(raw, &creds); err != nil {
		t.Fatal(err)
	}
	chs := store.NewChannels(g, time.Now)
	logger := slog.New(slog.DiscardHandler)
	e := publish.New(publish.Deps{DB: g, Channels: chs, Credentials: staticCreds(creds),
		Networks: network.NewRegistry(mastodon.New(mastodon.Options{HTTP: &http.Client{Timeout: 2 * time.Second}})),
		Health:   disconnector{chs}, Notifier: notify.Discard{}, Emitter: events.Discard{}, Clock: clockwork.NewRealClock(), Log: logger,
		Policy: publish.Policy{Tolerance: time.Hour, Stagger: time.Second, RetryBase: 50 * time.Millisecond, RetryCap: 500 * time.Millisecond,
			AttemptTimeout: 5 * time.Second, Batch: 20, Workers: 8}}) // no Overlap: one request at a time per channel, which the 429 check relies on
	if err := e.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	e.Run(ctx) // until SIGKILL
}

type staticCreds map[string]network.Credential

func (s staticCreds) Fresh(_ context.Context, ch model.Channel) (network.Credential, error) {
	return s[fmt.Sprint(ch.ID)], nil
}

func (s staticCreds) Renew(ctx context.Context, ch model.Channel, _ network.Credential) (network.Credential, error) {
	return s.Fresh(ctx, ch)
}

// disconnector plays the health monitor: a 401 disconnects the channel.
type disconnector struct{ chs *store.Channels }

func (d disconnector) ReportErrorAt(ctx context.Context, id, _ int64, err error) bool {
	if network.IsAuthDead(err) {
		_, _ = d.chs.Transition(ctx, id, model.ChannelDisconnected, "token revoked")
	}
	return true
}

// reconnect plays the user, between runs of the publisher: every channel
// Herald shows disconnected is signed in to again, which issues a new
// token (the revoked one stays revoked on the server), and its waiting
// posts resume.
//
// Revocation used to be a single 401 from the proxy while the token kept
// working on the server, and reconnecting handed Herald the same token
// again. A real revocation is permanent and a reconnect is a new grant,
// so the proxy now revokes the token on the server itself and the user
// gets a new one here. That makes "revoked stays revoked" checkable: no
// request with an old token after Herald recorded the revocation, and no
// create the server accepted with one (check 3).
func reconnect(t *testing.T, wd *world) {
	t.Helper()
	ctx := context.Background()
	g, _, err := db.Open(ctx, db.Options{Path: wd.dbPath, BackupDir: filepath.Dir(wd.dbPath)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(g)
	var chIDs []int64
	g.Model(&model.Channel{}).Where("status = ?", model.ChannelDisconnected).Pluck("id", &chIDs)
	for _, id := range chIDs {
		old := wd.creds[fmt.Sprint(id)]
		if !wd.px.isRevoked(old.AccessToken) {
			t.Errorf("check 3 failed: channel %d was disconnected though its token was never revoked", id)
		}
		cred := wd.fake.Credential(wd.accounts[id], "read write")
		wd.creds[fmt.Sprint(id)] = cred
		wd.px.addToken(cred.AccessToken, id)
		if err := store.NewChannels(g, time.Now).Authorized(ctx, id, store.Profile{Handle: "x"}, nil, nil, true); err != nil {
			t.Fatal(err)
		}
		if _, err := store.NewTargets(g, time.Now).Unblock(ctx, id, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if len(chIDs) > 0 {
		wd.writeCreds(t)
	}
}

// countUnsettled is how many targets have not reached an end state.
func countUnsettled(t *testing.T, dbPath string) int64 {
	t.Helper()
	g, _, err := db.Open(context.Background(), db.Options{Path: dbPath, BackupDir: filepath.Dir(dbPath)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(g)
	var n int64
	g.Model(&model.PostTarget{}).Where("status NOT IN ?", []model.TargetStatus{model.TargetPublished, model.TargetFailed, model.TargetSkipped, model.TargetCancelled}).Count(&n)
	return n
}

func drain(r interface{ Read([]byte) (int, error) }) {
	s := bufio.NewScanner(r)
	for s.Scan() {
		_ = s.Text()
	}
}
