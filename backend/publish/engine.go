// Package publish is Herald's publishing engine: claim → publish → record
// → verify. The database is the schedule: a target is claimed atomically
// before any network call, its remote ids are stored the moment they are
// known, every attempt is in its ledger, and an attempt whose outcome is
// unknown is reconciled against the channel's own posts before any retry.
// A crash at any point loses nothing and publishes nothing twice.
package publish

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
	"gorm.io/gorm"

	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/notify"
	"herald/backend/store"
)

// Channels reads channels.
type Channels interface {
	Get(ctx context.Context, id int64) (model.Channel, error)
}

// Credentials hands out valid credentials.
type Credentials interface {
	Fresh(ctx context.Context, ch model.Channel) (network.Credential, error)
	Renew(ctx context.Context, ch model.Channel, stale network.Credential) (network.Credential, error)
}

// ErrorReporter learns about channel errors (auth_dead disconnects). gen
// is the credential generation the failed request used: an error of a
// credential replaced since (the user reconnected) must not disconnect the
// channel, and the reporter says so by returning false.
type ErrorReporter interface {
	ReportErrorAt(ctx context.Context, channelID, gen int64, err error) bool
}

// Deps are the engine's collaborators.
type Deps struct {
	DB          *gorm.DB
	Channels    Channels
	Credentials Credentials
	Networks    *network.Registry
	Health      ErrorReporter
	Notifier    notify.Notifier
	Emitter     events.Emitter
	Clock       clockwork.Clock
	Log         *slog.Logger
	// MediaDir is where attachments were copied to.
	MediaDir string
	// OnOpenPost answers a click on a notification's "Open" button.
	OnOpenPost func(postID int64)
	// OnOpenInbox answers "Open" on a notification about a reply: the
	// conversation of the inbox item it answers.
	OnOpenInbox func(itemID int64)
	Policy      Policy
}

// Policy tunes retries and catch-up.
type Policy struct {
	// Tolerance: a target first picked up later than this after its time
	// was missed (Herald was closed, the machine slept, publishing paused).
	Tolerance time.Duration
	// Stagger spaces a channel's catch-up posts so a feed is not flooded.
	Stagger time.Duration
	// RetryBase and RetryCap bound the exponential backoff.
	RetryBase, RetryCap time.Duration
	// AttemptTimeout bounds one attempt's network work.
	AttemptTimeout time.Duration
	// Batch is how many targets one claim takes.
	Batch int
	// Workers is how many channels publish at once.
	Workers int
	// Overlap: after this long without an answer, the channel's next
	// target due at the same moment starts (zero: never overlap).
	Overlap time.Duration
}

// DefaultPolicy is what Herald ships with.
func DefaultPolicy() Policy {
	return Policy{Tolerance: 2 * time.Minute, Stagger: 3 * time.Minute, RetryBase: 30 * time.Second, RetryCap: 30 * time.Minute,
		AttemptTimeout: 2 * time.Minute, Batch: 100, Workers: 64, Overlap: 3 * time.Second}
}

// Engine publishes due targets.
type Engine struct {
	d       Deps
	targets *store.Targets
	limits  *store.RateLimits
	audit   *store.Audit
	token   string
	paused  atomic.Bool
	wake    chan struct{}

	mu    sync.Mutex
	locks map[int64]*sync.Mutex
	// writes group-commits the engine's own writes: SQLite has one writer
	// at a time, and one commit for many targets keeps up with a burst.
	writes *groupCommit
	// backoffs spares a success the bring-forward statement when the
	// channel has nothing in backoff.
	backoffs *backoffs
}

// New returns an engine.
func New(d Deps) *Engine {
	if d.Policy == (Policy{}) {
		d.Policy = DefaultPolicy()
	}
	now := d.Clock.Now
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return &Engine{d: d, targets: store.NewTargets(d.DB, now), limits: store.NewRateLimits(d.DB, now), audit: store.NewAudit(d.DB, now),
		token: hex.EncodeToString(b), wake: make(chan struct{}, 1), locks: map[int64]*sync.Mutex{}, writes: &groupCommit{db: d.DB}, backoffs: newBackoffs()}
}

// SetPaused pauses or resumes publishing at once. An attempt already
// sending finishes; targets claimed but not yet sent go back to the
// schedule untouched.
func (e *Engine) SetPaused(p bool) {
	e.paused.Store(p)
	if !p {
		e.Wake()
	}
}

// Paused reports whether publishing is paused.
func (e *Engine) Paused() bool { return e.paused.Load() }

// Wake makes Run look at the schedule now (a post was scheduled or moved).
func (e *Engine) Wake() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// Recover must run once at start-up, before Run: targets still claimed
// were in flight when Herald stopped; they go back to the schedule to be
// reconciled, never blindly retried.
func (e *Engine) Recover(ctx context.Context) error {
	n, err := e.targets.RecoverClaimed(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		e.d.Log.Warn("targets interrupted by a stop will be reconciled before any retry", "count", n)
	}
	return nil
}

// sweep is the longest Run sleeps without looking at the schedule, so a
// clock jump (sleep, suspend) is noticed quickly.
const sweep = 15 * time.Second

// Run publishes due targets until ctx ends. It sleeps until the next due
// time (or a Wake), so a target goes out within moments of its time.
func (e *Engine) Run(ctx context.Context) {
	for {
		next := e.d.Clock.Now().Add(sweep)
		if !e.paused.Load() {
			e.Tick(ctx)
			if at, ok, err := e.targets.NextDue(ctx); err == nil && ok && at.Before(next) {
				next = at
			}
		}
		wait := next.Sub(e.d.Clock.Now())
		if wait < 0 {
			wait = 0
		}
		timer := e.d.Clock.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-e.wake:
			timer.Stop()
		case <-timer.Chan():
		}
	}
}

// Tick applies the missed-window policy, then publishes everything due
// now, and returns when those attempts are finished. Claiming and
// publishing overlap: each batch is handed to its channels' queues at
// once, so the first posts go out while later ones are still claimed.
func (e *Engine) Tick(ctx context.Context) {
	if err := e.applyMissed(ctx); err != nil {
		e.d.Log.Error("missed-window policy", "err", err)
	}
	d := &dispatcher{e: e, ctx: ctx, queues: map[int64]*channelQueue{}, sem: make(chan struct{}, max(1, e.d.Policy.Workers))}
	defer d.wg.Wait()
	for ctx.Err() == nil && !e.paused.Load() {
		var claimed []store.Claimed
		err := e.writes.do(ctx, func(tx *gorm.DB) error {
			var err error
			claimed, err = e.targets.WithTx(tx).ClaimDue(ctx, e.d.Clock.Now(), e.token, e.d.Policy.Batch)
			return err
		})
		if err != nil {
			e.d.Log.Error("claim due targets", "err", err)
			return
		}
		if len(claimed) == 0 {
			return
		}
		for _, c := range claimed {
			d.add(c)
		}
	}
}

// dispatcher runs claimed targets: channels in parallel (up to Workers at
// a time), each channel's targets one after another in due order.
type dispatcher struct {
	e      *Engine
	ctx    context.Context
	sem    chan struct{}
	wg     sync.WaitGroup
	mu     sync.Mutex
	queues map[int64]*channelQueue
}

type channelQueue struct {
	items   []store.Claimed
	running bool
}

func (d *dispatcher) add(c store.Claimed) {
	d.mu.Lock()
	defer d.mu.Unlock()
	id := c.Target.ChannelID
	q, ok := d.queues[id]
	if !ok {
		q = &channelQueue{}
		d.queues[id] = q
	}
	q.items = append(q.items, c)
	if q.running {
		return
	}
	q.running = true
	d.wg.Add(1)
	go d.drain(id, q)
}

// drain publishes a channel's queue until it is empty.
func (d *dispatcher) drain(id int64, q *channelQueue) {
	defer d.wg.Done()
	d.sem <- struct{}{}
	defer func() { <-d.sem }()
	l := d.e.channelLock(id)
	l.Lock()
	defer l.Unlock()
	ch, err := d.e.d.Channels.Get(d.ctx, id)
	// Attempts still waiting for an answer, all due at the same moment as
	// ahead (see waitOrOverlap). A target due at another moment waits for
	// them, and so does the end of the drain (the channel lock is held).
	var ahead []<-chan store.Outcome
	var aheadOf model.PostTarget
	settle := func() {
		for _, done := range ahead {
			if o := <-done; o.Status == model.TargetBlocked {
				ch, err = d.e.d.Channels.Get(d.ctx, id)
			}
		}
		ahead = nil
	}
	for {
		d.mu.Lock()
		if len(q.items) == 0 {
			if len(ahead) > 0 {
				d.mu.Unlock()
				settle()
				continue
			}
			q.running = false
			d.mu.Unlock()
			return
		}
		c := q.items[0]
		q.items = q.items[1:]
		d.mu.Unlock()
		if len(ahead) > 0 && !sameDue(c.Target, aheadOf) {
			settle()
		}
		// Checked before each attempt, not once per batch: a pause or a
		// 429 that arrived while this target waited its turn must stop it
		// before anything is sent.
		if d.e.release(d.ctx, c) {
			continue
		}
		done := make(chan store.Outcome, 1)
		d.wg.Add(1)
		go func(ch model.Channel, err error) {
			defer d.wg.Done()
			done <- d.e.attempt(d.ctx, c, ch, err)
		}(ch, err)
		o, finished := d.waitOrOverlap(done, c, q)
		if !finished {
			ahead, aheadOf = append(ahead, done), c.Target
			continue
		}
		if o.Status == model.TargetBlocked {
			ch, err = d.e.d.Channels.Get(d.ctx, id) // it may have just been disconnected
		}
	}
}

// waitOrOverlap waits for an attempt to end — unless its answer is slow to
// come and the next target of the channel is due at the same moment: then
// that one goes ahead, so one lost answer delays a burst by seconds, not
// by the request's timeout. Targets due later keep waiting, so posts due
// at different times keep their order (a thread is one target, so its
// parts are never reordered).
func (d *dispatcher) waitOrOverlap(done <-chan store.Outcome, c store.Claimed, q *channelQueue) (store.Outcome, bool) {
	wait := d.e.d.Policy.Overlap
	if wait <= 0 {
		return <-done, true
	}
	// Real time on purpose: this is about an answer not arriving.
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case o := <-done:
		return o, true
	case <-timer.C:
	}
	d.mu.Lock()
	sameMoment := len(q.items) > 0 && sameDue(q.items[0].Target, c.Target)
	d.mu.Unlock()
	if sameMoment {
		return store.Outcome{}, false
	}
	return <-done, true
}

func sameDue(a, b model.PostTarget) bool {
	return a.DueAt != nil && b.DueAt != nil && a.DueAt.Equal(*b.DueAt)
}

// release gives a claimed target back to the schedule, unsent, when
// publishing is paused or its channel must wait out a rate limit.
func (e *Engine) release(ctx context.Context, c store.Claimed) bool {
	next, msg := time.Time{}, ""
	if e.paused.Load() {
		next = e.d.Clock.Now()
		if c.Target.NextAttemptAt != nil {
			next = c.Target.NextAttemptAt.UTC()
		}
	} else {
		until, err := e.limits.Until(ctx, c.Target.ChannelID)
		if err != nil || until.IsZero() {
			return false
		}
		next, msg = until, fmt.Sprintf("The network asked Herald to wait; it will try again at %s.", until.UTC().Format(time.RFC3339))
	}
	wctx := context.WithoutCancel(ctx)
	e.backoffs.mark(c.Target.ChannelID)
	if err := e.writes.do(wctx, func(tx *gorm.DB) error { return e.targets.WithTx(tx).Release(wctx, c, e.token, next, msg) }); err != nil {
		e.d.Log.Error("give a claimed target back to the schedule", "target_id", c.Target.ID, "err", err)
		return false
	}
	e.d.Emitter.Emit(events.PostsChanged, c.Post.ID)
	return true
}

func (e *Engine) channelLock(id int64) *sync.Mutex {
	e.mu.Lock()
	defer e.mu.Unlock()
	l, ok := e.locks[id]
	if !ok {
		l = &sync.Mutex{}
		e.locks[id] = l
	}
	return l
}

// parked says whether channel id must not be sent requests now (a 429's
// reset has not come yet). Every kind of request asks first.
func (e *Engine) parked(ctx context.Context, id int64) bool {
	until, err := e.limits.Until(ctx, id)
	return err == nil && !until.IsZero()
}

// noteRateLimit parks a channel whose answer was a 429, whatever the
// request was.
func (e *Engine) noteRateLimit(ctx context.Context, id int64, err error) {
	if network.ClassOf(err) != network.ClassRateLimited {
		return
	}
	until := e.d.Clock.Now().Add(15 * time.Minute)
	if at, ok := network.RetryAfter(err); ok {
		until = at
	}
	if perr := e.limits.Park(context.WithoutCancel(ctx), id, until); perr != nil {
		e.d.Log.Error("park a rate-limited channel", "channel_id", id, "err", perr)
	}
}
