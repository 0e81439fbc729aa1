package ratebudget

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"herald/backend/db"
	"herald/backend/network"
	"herald/backend/store"
)

var t0 = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

// openStore opens (or reopens) the SQLite file at path.
func openStore(t testing.TB, path string, clock clockwork.Clock) *store.RateBudgets {
	t.Helper()
	g, _, err := db.Open(context.Background(), db.Options{Path: path, BackupDir: filepath.Dir(path), Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(g) })
	return store.NewRateBudgets(g, clock.Now)
}

func newBudgets(t testing.TB, st Store, clock clockwork.Clock) *Budgets {
	t.Helper()
	b, err := New(context.Background(), Options{Store: st, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func statusReq(t testing.TB) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, "https://mastodon.example/api/v1/statuses", nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// take tries one request of channel 1 at p now; a request that may not
// go leaves the line at once.
func take(t testing.TB, b *Budgets, p Priority) (time.Duration, *waiter, bool) {
	t.Helper()
	w := b.enqueue(Mastodon(), 1, p, statusReq(t))
	b.mu.Lock()
	d, ok := b.tryLocked(w, b.clock.Now())
	b.mu.Unlock()
	if !ok {
		b.leave(w)
	}
	return d, w, ok
}

// maxInWindow is the most of times (sorted) within any window of length
// per.
func maxInWindow(times []time.Time, per time.Duration) int {
	best, lo := 0, 0
	for hi := range times {
		for times[hi].Sub(times[lo]) >= per {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

// A server that counts what reaches it, at the fake clock's time, while
// one caller sends as fast as the budget lets it: no 5-minute window
// ever sees more than 300 requests.
func TestABurstNeverExceedsTheBudgetAtTheServer(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	var mu sync.Mutex
	var seen []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		seen = append(seen, clock.Now())
		mu.Unlock()
	}))
	defer srv.Close()
	b := newBudgets(t, nil, clock)
	d := b.Doer(Mastodon(), srv.Client())

	const total = 700
	done := make(chan error, 1)
	go func() {
		ctx := WithChannel(context.Background(), 1, Publish)
		for range total {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/v1/timelines/home", nil)
			resp, err := d.Do(req)
			if err != nil {
				done <- err
				return
			}
			_ = resp.Body.Close()
		}
		done <- nil
	}()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			if got := maxInWindow(seen, 5*time.Minute); got > 300 {
				t.Fatalf("%d requests reached the server within 5 minutes, budget 300", got)
			}
			if len(seen) != total {
				t.Fatalf("server saw %d requests, want %d", len(seen), total)
			}
			if span := seen[len(seen)-1].Sub(seen[0]); span < 5*time.Minute {
				t.Fatalf("%d requests went out within %s", total, span)
			}
			return
		default:
		}
		// The sender waits on a timer: move the clock to it.
		wctx, wcancel := context.WithTimeout(ctx, 20*time.Millisecond)
		if clock.BlockUntilContext(wctx, 1) == nil {
			clock.Advance(time.Second)
		}
		wcancel()
		if ctx.Err() != nil {
			t.Fatal("the sender did not finish")
		}
	}
}

// Driving the limiter with explicit times: a sender that goes whenever
// allowed, at every priority, stays within every rule's window.
func TestTheBudgetHoldsInEveryWindowForEveryRule(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	b := newBudgets(t, nil, clock)
	upload, _ := http.NewRequest(http.MethodPost, "https://mastodon.example/api/v2/media", nil)
	var general, media []time.Time
	for len(media) < 100 {
		w := b.enqueue(Mastodon(), 1, Publish, upload)
		b.mu.Lock()
		d, ok := b.tryLocked(w, clock.Now())
		b.mu.Unlock()
		if ok {
			media = append(media, clock.Now())
			general = append(general, clock.Now())
			continue
		}
		b.leave(w)
		if _, _, ok := take(t, b, Publish); ok {
			general = append(general, clock.Now())
			continue
		}
		clock.Advance(min(d, time.Second))
	}
	if got := maxInWindow(media, 30*time.Minute); got > 30 {
		t.Errorf("%d uploads within 30 minutes, budget 30", got)
	}
	if got := maxInWindow(general, 5*time.Minute); got > 300 {
		t.Errorf("%d requests within 5 minutes, budget 300", got)
	}
}

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

// The server says 3 remain until 12:05: only 3 go before then, even
// though Herald's own budget is nearly full.
func TestHeadersNarrowTheBudget(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	b := newBudgets(t, nil, clock)
	_, w, ok := take(t, b, Publish)
	if !ok {
		t.Fatal("the first request had to wait")
	}
	b.answered(w.buckets, 200, header("X-RateLimit-Limit", "300", "X-RateLimit-Remaining", "3",
		"X-RateLimit-Reset", t0.Add(5*time.Minute).Format(time.RFC3339Nano)), clock.Now())
	for i := range 3 {
		if _, _, ok := take(t, b, Publish); !ok {
			t.Fatalf("request %d of the 3 remaining had to wait", i+1)
		}
	}
	d, _, ok := take(t, b, Publish)
	if ok {
		t.Fatal("a 4th request went out though the server said 3 remain")
	}
	if d != 5*time.Minute {
		t.Errorf("wait = %s, want until the reset (5m)", d)
	}
	clock.Advance(5 * time.Minute)
	if _, _, ok := take(t, b, Publish); !ok {
		t.Error("after the reset the budget still refused")
	}
}

// A server with a lower limit than the documented one: the budget shrinks
// to it, also after the count's window ends.
func TestAStricterServerShrinksTheBudget(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	b := newBudgets(t, nil, clock)
	_, w, _ := take(t, b, Publish)
	b.answered(w.buckets, 200, header("X-RateLimit-Limit", "50", "X-RateLimit-Remaining", "49",
		"X-RateLimit-Reset", t0.Add(time.Minute).Format(time.RFC3339)), clock.Now())
	clock.Advance(time.Minute)
	var sent []time.Time
	for clock.Now().Before(t0.Add(31 * time.Minute)) {
		if d, _, ok := take(t, b, Publish); ok {
			sent = append(sent, clock.Now())
		} else {
			clock.Advance(d)
		}
	}
	if got := maxInWindow(sent, 5*time.Minute); got > 50 {
		t.Errorf("%d requests within 5 minutes, the server allows 50", got)
	}
}

// Bluesky says how its count is measured; a write-points count it does
// not know (5,000 an hour) must not hold back a PDS's requests.
func TestBlueskyHeadersGoToTheirRule(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	b := newBudgets(t, nil, clock)
	req, _ := http.NewRequest(http.MethodPost, "https://pds.example/xrpc/com.atproto.repo.createRecord", nil)
	try := func() bool {
		w := b.enqueue(Bluesky(), 1, Publish, req)
		b.mu.Lock()
		_, ok := b.tryLocked(w, clock.Now())
		b.mu.Unlock()
		if ok {
			b.answered(w.buckets, 200, nil, clock.Now())
		} else {
			b.leave(w)
		}
		return ok
	}
	w := b.enqueue(Bluesky(), 1, Publish, req)
	b.mu.Lock()
	b.tryLocked(w, clock.Now())
	b.mu.Unlock()
	reset := t0.Add(time.Hour).Unix()
	b.answered(w.buckets, 200, header("RateLimit-Limit", "5000", "RateLimit-Remaining", "2",
		"RateLimit-Reset", itoa(reset), "RateLimit-Policy", "5000;w=3600"), clock.Now())
	for i := range 5 {
		if !try() {
			t.Fatalf("request %d was held back by a count of another limit", i+1)
		}
	}
	w = b.enqueue(Bluesky(), 1, Publish, req)
	b.mu.Lock()
	b.tryLocked(w, clock.Now())
	b.mu.Unlock()
	b.answered(w.buckets, 200, header("RateLimit-Limit", "3000", "RateLimit-Remaining", "1",
		"RateLimit-Reset", itoa(t0.Add(4*time.Minute).Unix()), "RateLimit-Policy", "3000;w=300"), clock.Now())
	if !try() {
		t.Fatal("the one remaining request was refused")
	}
	if try() {
		t.Fatal("a request went out after the PDS said none remain")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// drain spends channel 1's budget at Publish down to below n tokens.
func drain(t *testing.T, b *Budgets, n float64) {
	t.Helper()
	for {
		b.mu.Lock()
		bk := b.buckets["mastodon/general/channel:1"]
		b.mu.Unlock()
		if bk != nil && bk.lim.TokensAt(b.clock.Now()) < n {
			return
		}
		if _, _, ok := take(t, b, Publish); !ok {
			t.Fatal("publish could not spend the budget")
		}
	}
}

// Ingest stops at its reserve (a quarter of the budget) while publishing
// goes on to the last request; health keeps a tenth.
func TestIngestStopsAtItsReserveWhilePublishGoesOn(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	b := newBudgets(t, nil, clock)
	burst := 60.0 // Mastodon's general rule
	drain(t, b, burst*0.25+1)
	if _, _, ok := take(t, b, Ingest); ok {
		t.Error("ingest spent into the reserve kept for publishing")
	}
	if _, _, ok := take(t, b, Health); !ok {
		t.Error("health was refused above its own reserve")
	}
	drain(t, b, burst*0.10+1)
	if _, _, ok := take(t, b, Health); ok {
		t.Error("health spent into the reserve kept for publishing")
	}
	n := 0
	for {
		if _, _, ok := take(t, b, Publish); !ok {
			break
		}
		n++
	}
	if n < 6 {
		t.Errorf("publishing got only %d of the last requests", n)
	}
}

// Measure stops at its reserve (40% of the budget) while the inbox goes on
// to its own: metrics never take what a sync of the inbox needs.
func TestMeasureStopsBeforeIngest(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	b := newBudgets(t, nil, clock)
	burst := 60.0 // Mastodon's general rule
	drain(t, b, burst*0.40+1)
	if _, _, ok := take(t, b, Measure); ok {
		t.Error("measure spent into the reserve kept for the inbox and publishing")
	}
	if _, _, ok := take(t, b, Ingest); !ok {
		t.Error("ingest was refused above its own reserve")
	}
}

// An ingest request waiting first does not get the token a publish
// waiting behind it needs.
func TestAWaitingIngestDoesNotStarveAPublish(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	b := newBudgets(t, nil, clock)
	drain(t, b, 1)
	ingest := b.enqueue(Mastodon(), 1, Ingest, statusReq(t))
	publish := b.enqueue(Mastodon(), 1, Publish, statusReq(t))
	try := func(w *waiter) (time.Duration, bool) {
		b.mu.Lock()
		defer b.mu.Unlock()
		return b.tryLocked(w, clock.Now())
	}
	var published bool
	for range 10_000 {
		if _, ok := try(ingest); ok {
			if !published {
				t.Fatal("ingest went before the publish that was waiting")
			}
			return
		}
		if published {
			clock.Advance(time.Second)
			continue
		}
		d, ok := try(publish)
		if ok {
			published = true
			continue
		}
		clock.Advance(d)
	}
	t.Fatal("ingest never went")
}

// Through the Doer, with real goroutines: a publish that starts waiting
// after an ingest still goes first.
func TestPublishOvertakesAWaitingIngest(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	var mu sync.Mutex
	var order []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		order = append(order, r.URL.Query().Get("who"))
		mu.Unlock()
	}))
	defer srv.Close()
	b := newBudgets(t, nil, clock)
	d := b.Doer(Mastodon(), srv.Client())
	drain(t, b, 1)
	send := func(p Priority, who string, done chan<- error) {
		ctx := WithChannel(context.Background(), 1, p)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/v1/notifications?who="+who, nil)
		resp, err := d.Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		done <- err
	}
	ingestDone, publishDone := make(chan error, 1), make(chan error, 1)
	go send(Ingest, "ingest", ingestDone)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	go send(Publish, "publish", publishDone)
	if err := clock.BlockUntilContext(ctx, 2); err != nil {
		t.Fatal(err)
	}
	for len(ingestDone) == 0 {
		clock.Advance(100 * time.Millisecond)
		select {
		case err := <-ingestDone:
			ingestDone <- err
		case <-ctx.Done():
			t.Fatal("ingest never went")
		case <-time.After(time.Millisecond):
		}
	}
	if err := <-publishDone; err != nil {
		t.Fatal(err)
	}
	if err := <-ingestDone; err != nil {
		t.Fatal(err)
	}
	if len(order) != 2 || order[0] != "publish" {
		t.Fatalf("server saw %v, want the publish first", order)
	}
}

// A request whose context ends while it waits returns the context's error
// and is never sent.
func TestACancelledWaitIsNotSent(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	var hits int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
	}))
	defer srv.Close()
	b := newBudgets(t, nil, clock)
	drain(t, b, 1)
	ctx, cancel := context.WithCancel(WithChannel(context.Background(), 1, Publish))
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/api/v1/statuses", nil)
	errc := make(chan error, 1)
	go func() {
		_, err := b.Doer(Mastodon(), srv.Client()).Do(req)
		errc <- err
	}()
	bctx, bcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer bcancel()
	if err := clock.BlockUntilContext(bctx, 1); err != nil {
		t.Fatal(err)
	}
	cancel()
	err := <-errc
	if !errors.Is(err, context.Canceled) || !errors.Is(err, network.ErrNotSent) {
		t.Fatalf("err = %v, want context.Canceled and ErrNotSent", err)
	}
	if ne := network.TransportError("mastodon", "publish", err); ne.Sent {
		t.Error("the network error says the request may have been sent")
	}
	mu.Lock()
	defer mu.Unlock()
	if hits != 0 {
		t.Errorf("server saw %d requests", hits)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if n := len(b.buckets["mastodon/general/channel:1"].waiters); n != 0 {
		t.Errorf("%d waiters left in line", n)
	}
}

// A request without a channel (sign-in) is not budgeted.
func TestARequestWithoutAChannelIsNotBudgeted(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	b := newBudgets(t, nil, clock)
	d := b.Doer(Mastodon(), srv.Client())
	for range 400 {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/instance", nil)
		resp, err := d.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	if len(b.buckets) != 0 {
		t.Errorf("%d budgets were made for unbudgeted requests", len(b.buckets))
	}
}

// After a restart (new Budgets over the same SQLite file) the server's
// "3 remain until 12:05" still holds, and the spent budget is not full
// again.
func TestARestartHonoursWhatWasSpentAndWhatTheServerSaid(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	path := filepath.Join(t.TempDir(), "h.db")
	st := openStore(t, path, clock)
	b := newBudgets(t, st, clock)
	_, w, _ := take(t, b, Publish)
	b.answered(w.buckets, 200, header("X-RateLimit-Limit", "300", "X-RateLimit-Remaining", "3",
		"X-RateLimit-Reset", t0.Add(5*time.Minute).Format(time.RFC3339)), clock.Now())
	b.save(context.Background(), w.buckets)
	clock.Advance(time.Minute)

	b2 := newBudgets(t, openStore(t, path, clock), clock)
	for i := range 3 {
		if _, _, ok := take(t, b2, Publish); !ok {
			t.Fatalf("request %d of the 3 remaining had to wait after the restart", i+1)
		}
	}
	if d, _, ok := take(t, b2, Publish); ok || d != 4*time.Minute {
		t.Fatalf("after the restart a 4th request: went %v, wait %s; want a wait until 12:05", ok, d)
	}

	// Spend the whole burst, restart: the budget starts where it was.
	clock.Advance(10 * time.Minute)
	n := 0
	for {
		w := b2.enqueue(Mastodon(), 1, Publish, statusReq(t))
		b2.mu.Lock()
		_, ok := b2.tryLocked(w, clock.Now())
		b2.mu.Unlock()
		if !ok {
			b2.leave(w)
			break
		}
		b2.save(context.Background(), w.buckets)
		n++
	}
	if n < 60 {
		t.Fatalf("spent %d, want the whole burst of 60", n)
	}
	b3 := newBudgets(t, openStore(t, path, clock), clock)
	if _, _, ok := take(t, b3, Publish); ok {
		t.Error("after a restart the spent budget was full again")
	}
}

// A 429 without a count holds the budget until Retry-After.
func TestA429HoldsTheBudgetUntilRetryAfter(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	b := newBudgets(t, nil, clock)
	_, w, _ := take(t, b, Publish)
	b.answered(w.buckets, http.StatusTooManyRequests, header("Retry-After", "90"), clock.Now())
	if d, _, ok := take(t, b, Publish); ok || d != 90*time.Second {
		t.Fatalf("after a 429: went %v, wait %s; want a wait of 90s", ok, d)
	}
}

// A server whose clock is minutes off: the reset is read relative to its
// Date header.
func TestAServerClockMinutesOff(t *testing.T) {
	now := t0
	server := now.Add(-7 * time.Minute)
	a, ok := readAnswer(200, header("X-RateLimit-Limit", "300", "X-RateLimit-Remaining", "0",
		"X-RateLimit-Reset", server.Add(2*time.Minute).Format(time.RFC3339), "Date", server.Format(http.TimeFormat)), now)
	if !ok {
		t.Fatal("headers not read")
	}
	if want := now.Add(2*time.Minute + time.Second); !a.reset.Equal(want) {
		t.Errorf("reset = %s, want %s", a.reset, want)
	}
}

// A budget the network closed for longer than MaxWait fails the request
// at once, unsent, as rate limited until the reset: a job does not sit on
// it for the rest of the window.
func TestABudgetClosedPastMaxWaitFailsAtOnceAsRateLimited(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	var hits int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		w.Header().Set("X-RateLimit-Limit", "300")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", clock.Now().Add(4*time.Minute).Format(time.RFC3339Nano))
		w.Header().Set("Date", clock.Now().Format(http.TimeFormat))
	}))
	defer srv.Close()
	b, err := New(context.Background(), Options{Clock: clock, MaxWait: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	d := b.Doer(Mastodon(), srv.Client())
	send := func() error {
		req, _ := http.NewRequestWithContext(WithChannel(context.Background(), 1, Publish), http.MethodGet, srv.URL+"/api/v1/accounts/verify_credentials", nil)
		resp, err := d.Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		return err
	}
	if err := send(); err != nil {
		t.Fatal(err)
	}
	err = send()
	var ne *network.Error
	// The reset is read against the server's Date, plus the second Date
	// cannot express.
	if !errors.As(err, &ne) || ne.Class != network.ClassRateLimited || !ne.ResetAt.Equal(t0.Add(4*time.Minute+time.Second)) {
		t.Fatalf("err = %v, want rate_limited until 12:04:01", err)
	}
	if te := network.TransportError("mastodon", "check", err); te.Class != network.ClassRateLimited || te.Sent || !te.ResetAt.Equal(ne.ResetAt) {
		t.Errorf("as a transport error: %+v", te)
	}
	mu.Lock()
	defer mu.Unlock()
	if hits != 1 {
		t.Errorf("server saw %d requests, want 1", hits)
	}
}
