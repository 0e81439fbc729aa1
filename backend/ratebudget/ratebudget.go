// Package ratebudget gives every channel a request budget, sized from its
// network's documented limits (policy.go) and narrowed by the rate-limit
// headers the network answers with, so Herald never sends more than a
// network allows — also not right after a restart, because what each
// budget had spent and what the headers said is kept in SQLite.
//
// The budget sits in the HTTP client every network package is given
// (Budgets.Doer). Callers say whose request it is and how urgent with
// WithChannel; a request without a channel (sign-in, instance rules) is
// not budgeted. Publishing comes first: Health may not use the last 10% of
// a budget, Ingest not the last 25%, Measure not the last 40%, and none
// ever takes a request a waiting higher priority needs.
//
// A request waits for its budget at most MaxWait. One that would wait
// longer is not sent: it fails at once with a network.Error of class
// rate_limited whose ResetAt says when the budget allows it, so callers
// treat it as they treat the network's own 429 (the publish engine parks
// the channel, the inbox sync skips it) instead of holding a job for the
// rest of a window.
package ratebudget

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"golang.org/x/time/rate"

	"herald/backend/model"
	"herald/backend/network"
)

// Priority orders the requests that wait for one budget.
type Priority int

const (
	// Publish: publishing and what it needs (token refresh, reconcile,
	// hand-off). It may spend a budget to its last request.
	Publish Priority = iota
	// Health: liveness checks, proactive refresh, read-back.
	Health
	// Ingest: the inbox sync.
	Ingest
	// Measure: metrics (the channel's counts, its posts' counts, the
	// backfill), which can always wait for the inbox.
	Measure
)

func (p Priority) String() string {
	switch p {
	case Publish:
		return "publish"
	case Health:
		return "health"
	case Ingest:
		return "ingest"
	case Measure:
		return "measure"
	}
	return fmt.Sprintf("priority(%d)", int(p))
}

// reserve is the share of a budget a priority must leave to those above
// it, so a burst of syncing never leaves a due post waiting.
func (p Priority) reserve() float64 {
	switch p {
	case Health:
		return 0.10
	case Ingest:
		return 0.25
	case Measure:
		return 0.40
	}
	return 0
}

type ctxKey struct{}

type tag struct {
	channel  int64
	priority Priority
}

// WithChannel marks the requests made with ctx as channelID's, at
// priority p. The publish engine, the health jobs and the inbox sync set
// it before they call a network.
func WithChannel(ctx context.Context, channelID int64, p Priority) context.Context {
	return context.WithValue(ctx, ctxKey{}, tag{channel: channelID, priority: p})
}

// FromContext returns what WithChannel set; ok is false when nothing was.
func FromContext(ctx context.Context) (channelID int64, p Priority, ok bool) {
	t, ok := ctx.Value(ctxKey{}).(tag)
	return t.channel, t.priority, ok
}

// Doer sends HTTP requests (network.HTTPDoer).
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Store keeps budgets across restarts (store.RateBudgets).
type Store interface {
	LoadRateBudgets(ctx context.Context) ([]model.RateBudget, error)
	SaveRateBudget(ctx context.Context, b model.RateBudget) error
	PruneRateBudgets(ctx context.Context, before time.Time) error
}

// Options configure Budgets.
type Options struct {
	Store Store           // nil: budgets live in memory only
	Clock clockwork.Clock // default: the real clock
	Log   *slog.Logger    // default: discard
	// MaxWait is the longest a request waits for its budget; default
	// DefaultMaxWait.
	MaxWait time.Duration
}

// DefaultMaxWait: long enough to ride out a burst's refill, short enough
// that no job sits on a budget the network closed for minutes.
const DefaultMaxWait = 30 * time.Second

// keep is how long a budget row is kept after its last write: longer
// than any rule's window, after which it would start full anyway.
const keep = 48 * time.Hour

// saveTimeout bounds one write of a budget; it runs even when the
// request's context has ended, because the request was let through.
const saveTimeout = 5 * time.Second

// Budgets owns every budget. One lock guards them all: a request may
// spend from several at once (a Mastodon upload spends from "general" and
// "media"), and it must take from all of them or from none.
type Budgets struct {
	store   Store
	clock   clockwork.Clock
	log     *slog.Logger
	maxWait time.Duration

	mu      sync.Mutex
	buckets map[string]*bucket
	saved   map[string]model.RateBudget // loaded rows not yet in use
	seq     uint64
	changed chan struct{} // closed and replaced whenever a waiter may now go
}

// bucket is one rule's budget for one channel or host.
type bucket struct {
	key      string
	rule     Rule
	requests int // the rule's Requests, or less when the network said so
	lim      *rate.Limiter
	waiters  []*waiter // in turn: priority, then arrival
	inflight int       // let through, not yet answered

	// The network's own count from its last headers: capRemaining more
	// requests until capReset (zero: no count in force).
	capLimit     int
	capRemaining int
	capReset     time.Time

	saveMu sync.Mutex // orders this bucket's writes
}

type waiter struct {
	priority Priority
	seq      uint64
	buckets  []*bucket
}

func (w *waiter) before(o *waiter) bool {
	if w.priority != o.priority {
		return w.priority < o.priority
	}
	return w.seq < o.seq
}

// New loads the stored budgets (pruning old ones) and returns Budgets.
func New(ctx context.Context, o Options) (*Budgets, error) {
	b := &Budgets{store: o.Store, clock: o.Clock, log: o.Log, maxWait: o.MaxWait, buckets: map[string]*bucket{},
		saved: map[string]model.RateBudget{}, changed: make(chan struct{})}
	if b.maxWait <= 0 {
		b.maxWait = DefaultMaxWait
	}
	if b.clock == nil {
		b.clock = clockwork.NewRealClock()
	}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	if b.store == nil {
		return b, nil
	}
	if err := b.store.PruneRateBudgets(ctx, b.clock.Now().Add(-keep)); err != nil {
		return nil, fmt.Errorf("open request budgets: %w", err)
	}
	rows, err := b.store.LoadRateBudgets(ctx)
	if err != nil {
		return nil, fmt.Errorf("open request budgets: %w", err)
	}
	for _, r := range rows {
		b.saved[r.Bucket] = r
	}
	return b, nil
}

// Doer returns next with p's budgets in front of it. b may be nil: then
// nothing is budgeted.
func (b *Budgets) Doer(p Policy, next Doer) Doer {
	if b == nil {
		return next
	}
	return &doer{b: b, policy: p, next: next}
}

type doer struct {
	b      *Budgets
	policy Policy
	next   Doer
}

// Do waits for the request's budgets, sends it, and reads the network's
// count from the answer. A request whose context ends while it waits is
// not sent; its error wraps the context's and network.ErrNotSent. One
// whose budget stays closed past MaxWait is not sent either (a
// rate_limited *network.Error).
func (d *doer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	channel, p, ok := FromContext(ctx)
	if !ok {
		return d.next.Do(req)
	}
	w := d.b.enqueue(d.policy, channel, p, req)
	if w == nil {
		return d.next.Do(req)
	}
	if until, err := d.b.wait(ctx, w); err != nil {
		return nil, fmt.Errorf("wait for channel %d's %s request budget: %w (%w)", channel, d.policy.Network, err, network.ErrNotSent)
	} else if !until.IsZero() {
		return nil, &network.Error{Network: d.policy.Network, Op: "wait for the request budget", Class: network.ClassRateLimited,
			ResetAt: until, Err: network.ErrNotSent,
			Message: "Herald is holding back requests to stay within this network's rate limit until " + until.UTC().Format(time.RFC3339)}
	}
	d.b.save(ctx, w.buckets)
	resp, err := d.next.Do(req)
	var status int
	var h http.Header
	if resp != nil {
		status, h = resp.StatusCode, resp.Header
	}
	if changed := d.b.answered(w.buckets, status, h, d.b.clock.Now()); len(changed) > 0 {
		d.b.save(ctx, changed)
	}
	return resp, err
}

// bucketKey names a rule's budget for a request.
func bucketKey(network string, r Rule, channel int64, req *http.Request) string {
	if r.Scope == PerHost {
		return fmt.Sprintf("%s/%s/host:%s", network, r.Name, req.URL.Host)
	}
	return fmt.Sprintf("%s/%s/channel:%d", network, r.Name, channel)
}

// enqueue puts a request in line at every budget it spends from; nil when
// no rule counts it.
func (b *Budgets) enqueue(p Policy, channel int64, pr Priority, req *http.Request) *waiter {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seq++
	w := &waiter{priority: pr, seq: b.seq}
	for _, r := range p.Rules {
		if r.Match != nil && !r.Match(req) {
			continue
		}
		bk := b.bucketLocked(bucketKey(p.Network, r, channel, req), r)
		bk.waiters = append(bk.waiters, w)
		sort.SliceStable(bk.waiters, func(i, j int) bool { return bk.waiters[i].before(bk.waiters[j]) })
		w.buckets = append(w.buckets, bk)
	}
	if len(w.buckets) == 0 {
		return nil
	}
	return w
}

// bucketLocked returns the bucket named key, creating it from the stored
// row if there is one.
func (b *Budgets) bucketLocked(key string, r Rule) *bucket {
	if bk, ok := b.buckets[key]; ok {
		return bk
	}
	bk := &bucket{key: key, rule: r}
	bk.size(r.Requests, b.clock.Now())
	if row, ok := b.saved[key]; ok {
		delete(b.saved, key)
		bk.restore(row, b.clock.Now())
	}
	b.buckets[key] = bk
	return bk
}

// size sets the bucket to n requests per window, keeping the rule's share
// of burst. The refill is (n - burst + ½) per window: any window then
// holds at most ⌊burst + refill⌋ = n requests, and a bucket of one still
// refills.
func (bk *bucket) size(n int, now time.Time) {
	burst := max(1, bk.rule.Burst*n/bk.rule.Requests)
	per := float64(n-burst) + 0.5
	limit := rate.Limit(per / bk.rule.Per.Seconds())
	bk.requests = n
	if bk.lim == nil {
		bk.lim = rate.NewLimiter(limit, burst)
		return
	}
	// Narrowing keeps what was spent: the tokens carry over, capped at
	// the new burst when next read.
	tokens := bk.lim.TokensAt(now)
	bk.lim = rate.NewLimiter(limit, burst)
	setTokens(bk.lim, tokens, now)
}

// setTokens makes lim hold tokens at time at. A Limiter cannot be set
// directly: a new one is full, so the difference is taken at the moment
// that leaves the fraction to be refilled by at.
func setTokens(lim *rate.Limiter, tokens float64, at time.Time) {
	burst := float64(lim.Burst())
	if tokens >= burst {
		return
	}
	tokens = max(tokens, 0)
	whole := math.Floor(tokens)
	lead := time.Duration((tokens - whole) / float64(lim.Limit()) * float64(time.Second))
	lim.ReserveN(at.Add(-lead), lim.Burst()-int(whole))
}

// restore brings back a stored state: the network's narrower limit, what
// was spent, and the network's count while its window lasts.
func (bk *bucket) restore(row model.RateBudget, now time.Time) {
	if row.HeaderLimit > 0 && row.HeaderLimit < bk.requests {
		bk.size(row.HeaderLimit, now)
	}
	setTokens(bk.lim, row.Tokens, row.TokensAt)
	if row.HeaderReset != nil && row.HeaderReset.After(now) {
		bk.capLimit, bk.capRemaining, bk.capReset = row.HeaderLimit, row.HeaderRemaining, *row.HeaderReset
		if bk.capLimit <= 0 {
			bk.capLimit = bk.requests
		}
	}
}

// wait blocks until w may go, then spends one request from each of its
// budgets. It gives up when ctx ends (err), or at once when the budget
// stays closed past MaxWait (until: when it would open, or when the wait
// would have ended if it depends on other waiters).
func (b *Budgets) wait(ctx context.Context, w *waiter) (until time.Time, err error) {
	deadline := b.clock.Now().Add(b.maxWait)
	for {
		if err := ctx.Err(); err != nil {
			b.leave(w)
			return time.Time{}, err
		}
		b.mu.Lock()
		now := b.clock.Now()
		d, ok := b.tryLocked(w, now)
		changed := b.changed
		b.mu.Unlock()
		if ok {
			return time.Time{}, nil
		}
		if d >= 0 && now.Add(d).After(deadline) {
			b.leave(w)
			return now.Add(d), nil
		}
		if !now.Before(deadline) {
			b.leave(w)
			return now.Add(b.maxWait), nil
		}
		if d < 0 {
			d = deadline.Sub(now)
		}
		timer := b.clock.NewTimer(d)
		select {
		case <-ctx.Done():
			timer.Stop()
			b.leave(w)
			return time.Time{}, ctx.Err()
		case <-timer.Chan():
		case <-changed:
			timer.Stop()
		}
	}
}

// forever is tryLocked's "until another waiter moves".
const forever = time.Duration(-1)

// tryLocked lets w go at now if every budget it spends from allows it:
// enough requests left for w and for every waiter ahead of it, above w's
// reserve, in the limiter and in the network's own count. Otherwise it
// says how long to wait before trying again (forever: until a waiter
// ahead goes or gives up).
func (b *Budgets) tryLocked(w *waiter, now time.Time) (time.Duration, bool) {
	var wait time.Duration
	for _, bk := range w.buckets {
		ahead := 0
		for _, o := range bk.waiters {
			if o == w {
				break
			}
			ahead++
		}
		burst := float64(bk.lim.Burst())
		need := float64(ahead) + min(1+w.priority.reserve()*burst, burst)
		if need > burst {
			return forever, false
		}
		if tokens := bk.lim.TokensAt(now); tokens < need {
			wait = max(wait, time.Duration((need-tokens)/float64(bk.lim.Limit())*float64(time.Second))+time.Millisecond)
		}
		if !bk.capReset.IsZero() && !now.Before(bk.capReset) {
			bk.capReset, bk.capRemaining, bk.capLimit = time.Time{}, 0, 0 // the network's window is over
		}
		if !bk.capReset.IsZero() {
			limit := float64(bk.capLimit)
			needCap := float64(ahead) + min(1+w.priority.reserve()*limit, max(limit, 1))
			if float64(bk.capRemaining) < needCap {
				wait = max(wait, bk.capReset.Sub(now))
			}
		}
	}
	if wait > 0 {
		return wait, false
	}
	for _, bk := range w.buckets {
		bk.lim.ReserveN(now, 1)
		if !bk.capReset.IsZero() {
			bk.capRemaining--
		}
		bk.inflight++
	}
	b.removeLocked(w)
	return 0, true
}

// leave takes a waiter that gave up out of line.
func (b *Budgets) leave(w *waiter) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.removeLocked(w)
}

// removeLocked takes w out of every line and wakes the waiters behind it.
func (b *Budgets) removeLocked(w *waiter) {
	for _, bk := range w.buckets {
		for i, o := range bk.waiters {
			if o == w {
				bk.waiters = append(bk.waiters[:i], bk.waiters[i+1:]...)
				break
			}
		}
	}
	b.broadcastLocked()
}

func (b *Budgets) broadcastLocked() {
	close(b.changed)
	b.changed = make(chan struct{})
}

// answered records the answer to a request that spent from bks and
// narrows the budget its headers speak of. It returns the buckets whose
// state changed.
func (b *Budgets) answered(bks []*bucket, status int, h http.Header, now time.Time) []*bucket {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, bk := range bks {
		bk.inflight--
	}
	if h == nil {
		return nil
	}
	a, ok := readAnswer(status, h, now)
	if !ok {
		return nil
	}
	var targets []*bucket
	if a.limit == 0 && status == http.StatusTooManyRequests {
		// Refused without saying which limit: hold every budget the
		// request spent from until the reset.
		targets = bks
	} else if bk := attribute(bks, a); bk != nil {
		targets = []*bucket{bk}
	}
	for _, bk := range targets {
		bk.narrow(a, now)
	}
	if len(targets) > 0 {
		b.broadcastLocked()
	}
	return targets
}

// attribute finds the budget a response's headers count: the rule whose
// window RateLimit-Policy names, else the one whose documented limit the
// header repeats, else the smallest rule a lower limit fits under (the
// server set its own, stricter one). A count it cannot place is ignored:
// a Bluesky write-points count (5,000 an hour) must not hold back reads.
func attribute(bks []*bucket, a answer) *bucket {
	if a.window > 0 {
		for _, bk := range bks {
			if bk.rule.Per == a.window {
				return bk
			}
		}
	}
	if a.limit <= 0 {
		return nil
	}
	for _, bk := range bks {
		if bk.rule.Requests == a.limit || bk.requests == a.limit {
			return bk
		}
	}
	var best *bucket
	for _, bk := range bks {
		if bk.rule.Requests > a.limit && (best == nil || bk.rule.Requests < best.rule.Requests) {
			best = bk
		}
	}
	return best
}

// narrow applies the network's count: never more than it says remain
// before its reset. Requests still out when it answered may not be in
// its count yet, so they are taken off too. Answers arrive out of order:
// within one window the lowest count wins, a later window replaces the
// count, an earlier one is stale.
func (bk *bucket) narrow(a answer, now time.Time) {
	if a.limit > 0 && a.limit < bk.requests {
		bk.size(a.limit, now)
	}
	if !a.reset.After(now) {
		return
	}
	remaining := max(a.remaining-bk.inflight, 0)
	limit := a.limit
	if limit <= 0 {
		limit = bk.requests
	}
	const sameWindow = 2 * time.Second
	switch {
	case bk.capReset.IsZero() || !now.Before(bk.capReset) || a.reset.After(bk.capReset.Add(sameWindow)):
		bk.capLimit, bk.capRemaining, bk.capReset = limit, remaining, a.reset
	case a.reset.Before(bk.capReset.Add(-sameWindow)):
		// an answer from before the current window
	default:
		bk.capRemaining = min(bk.capRemaining, remaining)
		if a.reset.After(bk.capReset) {
			bk.capReset = a.reset
		}
	}
}

// snapshotLocked is bk's state as stored.
func (bk *bucket) snapshotLocked(now time.Time) model.RateBudget {
	row := model.RateBudget{Bucket: bk.key, Tokens: bk.lim.TokensAt(now), TokensAt: now}
	if !bk.capReset.IsZero() {
		r := bk.capReset
		row.HeaderLimit, row.HeaderRemaining, row.HeaderReset = bk.capLimit, bk.capRemaining, &r
	} else if bk.requests < bk.rule.Requests {
		row.HeaderLimit = bk.requests
	}
	return row
}

// save writes bks' current state. It runs before a request is sent, so a
// crash right after still finds the request counted.
func (b *Budgets) save(ctx context.Context, bks []*bucket) {
	if b.store == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), saveTimeout)
	defer cancel()
	for _, bk := range bks {
		bk.saveMu.Lock()
		b.mu.Lock()
		row := bk.snapshotLocked(b.clock.Now())
		b.mu.Unlock()
		if err := b.store.SaveRateBudget(ctx, row); err != nil {
			b.log.Warn("request budget not saved; a restart may start it fuller than it is", "bucket", bk.key, "err", err)
		}
		bk.saveMu.Unlock()
	}
}
