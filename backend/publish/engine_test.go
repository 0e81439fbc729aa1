package publish

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"gorm.io/gorm"

	"herald/backend/db"
	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/notify"
	"herald/backend/ratebudget"
	"herald/backend/store"
)

// step is how the fake network answers one create call.
type step int

const (
	ok step = iota
	transient
	lostAnswer // created, but the answer never arrives
	rateLimited
	rejected
	authDead
	hang // no answer until the test lets go; then it is lost
)

// fakeNet is a network that records what it publishes.
type fakeNet struct {
	mu      sync.Mutex
	posts   []network.RemotePost
	script  []step
	creates int
	calls   int // every request: publish, find, look up
	// budgets is the request budget each call was made under.
	budgets []budgetTag
	unhang  chan struct{}
	reset   time.Time
}

func (f *fakeNet) Descriptor() network.Descriptor {
	return network.Descriptor{ID: "fake", Name: "Fake", Capabilities: []network.Capability{network.CapPublish, network.CapThreads},
		Rules: network.Rules{MaxChars: 500}}
}

func (f *fakeNet) next() step {
	if len(f.script) == 0 {
		return ok
	}
	s := f.script[0]
	f.script = f.script[1:]
	return s
}

// budgetTag is what ratebudget.WithChannel put on a call's context.
type budgetTag struct {
	call     string
	channel  int64
	priority ratebudget.Priority
	ok       bool
}

func (f *fakeNet) tagLocked(ctx context.Context, call string) {
	ch, p, ok := ratebudget.FromContext(ctx)
	f.budgets = append(f.budgets, budgetTag{call: call, channel: ch, priority: p, ok: ok})
}

func (f *fakeNet) Publish(ctx context.Context, _ string, _ network.Credential, p network.Post) (network.Published, error) {
	texts := append([]string{p.Text}, p.Thread...)
	ids := append([]string(nil), p.Done...)
	f.mu.Lock()
	f.calls++
	f.tagLocked(ctx, "publish")
	f.mu.Unlock()
	for i := len(p.Done); i < len(texts); i++ {
		f.mu.Lock()
		s := f.next()
		var id string
		switch s {
		case ok, lostAnswer:
			f.creates++
			id = fmt.Sprintf("r%d", len(f.posts)+1)
			f.posts = append(f.posts, network.RemotePost{ID: id, Text: texts[i]})
		}
		f.mu.Unlock()
		switch s {
		case hang:
			<-f.unhang
			return network.Published{}, &network.Error{Class: network.ClassTransient, Message: "the server did not answer in time", Sent: true}
		case transient:
			return network.Published{}, &network.Error{Class: network.ClassTransient, Message: "503 Service Unavailable"}
		case lostAnswer:
			return network.Published{}, &network.Error{Class: network.ClassTransient, Message: "the server did not answer in time", Sent: true}
		case rateLimited:
			return network.Published{}, &network.Error{Class: network.ClassRateLimited, Message: "slow down", ResetAt: f.reset}
		case rejected:
			return network.Published{}, &network.Error{Class: network.ClassContentRejected, Message: "Text character limit of 500 exceeded"}
		case authDead:
			return network.Published{}, &network.Error{Class: network.ClassAuthDead, Message: "The access token is invalid"}
		}
		ids = append(ids, id)
		if p.Progress != nil {
			p.Progress(i, id, "https://fake.example/"+id)
		}
	}
	return network.Published{RemoteID: ids[0], URL: "https://fake.example/" + ids[0], ItemIDs: ids}, nil
}

func (f *fakeNet) FindPublished(ctx context.Context, _ string, _ network.Credential, p network.Post, _ time.Time) (network.Published, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.tagLocked(ctx, "find")
	for _, rp := range f.posts {
		if rp.Text == p.Text {
			return network.Published{RemoteID: rp.ID, URL: "https://fake.example/" + rp.ID, ItemIDs: []string{rp.ID}}, true, nil
		}
	}
	return network.Published{}, false, nil
}

func (f *fakeNet) Lookup(ctx context.Context, _ string, _ network.Credential, id string) (network.RemotePost, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tagLocked(ctx, "lookup")
	for _, rp := range f.posts {
		if rp.ID == id {
			return rp, nil
		}
	}
	return network.RemotePost{}, &network.Error{Class: network.ClassContentRejected, Code: "not_found", Message: "not found"}
}

func (f *fakeNet) count(text string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, rp := range f.posts {
		if rp.Text == text {
			n++
		}
	}
	return n
}

type staticCreds struct{}

func (staticCreds) Fresh(context.Context, model.Channel) (network.Credential, error) {
	return network.Credential{AccessToken: "t"}, nil
}
func (staticCreds) Renew(context.Context, model.Channel, network.Credential) (network.Credential, error) {
	return network.Credential{AccessToken: "t2"}, nil
}

// reporter plays the health monitor: auth_dead disconnects the channel.
type reporter struct {
	chs   *store.Channels
	calls int
	stale bool // every error belongs to a replaced credential
}

func (r *reporter) ReportErrorAt(ctx context.Context, id, gen int64, err error) bool {
	r.calls++
	if r.stale {
		return false
	}
	if network.IsAuthDead(err) {
		_, _ = r.chs.Transition(ctx, id, model.ChannelDisconnected, "revoked")
	}
	return true
}

type rig struct {
	e     *Engine
	g     *gorm.DB
	clock *clockwork.FakeClock
	net   *fakeNet
	chs   *store.Channels
	ch    model.Channel
	rep   *reporter
}

var t0 = time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)

func newRig(t *testing.T) *rig {
	t.Helper()
	clock := clockwork.NewFakeClockAt(t0)
	dir := t.TempDir()
	g, _, err := db.Open(context.Background(), db.Options{Path: filepath.Join(dir, "p.db"), BackupDir: dir, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(g) })
	r := &rig{g: g, clock: clock, net: &fakeNet{}, chs: store.NewChannels(g, clock.Now)}
	r.ch = model.Channel{Network: "fake", Instance: "https://fake.example", RemoteID: "1", Handle: "shop", DisplayName: "Shop"}
	if err := r.chs.Create(context.Background(), &r.ch); err != nil {
		t.Fatal(err)
	}
	r.rep = &reporter{chs: r.chs}
	r.e = New(Deps{DB: g, Channels: r.chs, Credentials: staticCreds{}, Networks: network.NewRegistry(r.net), Health: r.rep,
		Notifier: notify.Discard{}, Emitter: &events.Catcher{}, Clock: clock, Log: slog.New(slog.DiscardHandler)})
	return r
}

// schedule adds a post with one target on the rig's channel, due at due.
func (r *rig) schedule(t *testing.T, text string, due time.Time, policy model.MissedPolicy, thread ...string) model.PostTarget {
	t.Helper()
	threadJSON := "[]"
	if len(thread) > 0 {
		threadJSON = `["` + strings.Join(thread, `","`) + `"]`
	}
	p := model.Post{Title: text, Status: model.PostScheduled, ScheduledAt: &due, TimeZone: "UTC", MissedPolicy: policy, GraceMinutes: 60,
		CreatedAt: t0, UpdatedAt: t0}
	if err := r.g.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	tg := model.PostTarget{PostID: p.ID, ChannelID: r.ch.ID, Body: text, Thread: threadJSON, Options: "{}", ItemIDs: "[]",
		Status: model.TargetScheduled, DueAt: &due, NextAttemptAt: &due, IdempotencyKey: fmt.Sprintf("k-%d", p.ID), CreatedAt: t0, UpdatedAt: t0}
	if err := r.g.Create(&tg).Error; err != nil {
		t.Fatal(err)
	}
	return tg
}

func (r *rig) target(t *testing.T, id int64) model.PostTarget {
	t.Helper()
	var tg model.PostTarget
	if err := r.g.First(&tg, id).Error; err != nil {
		t.Fatal(err)
	}
	return tg
}

func (r *rig) attempts(t *testing.T, id int64) []model.Attempt {
	t.Helper()
	var as []model.Attempt
	if err := r.g.Where("target_id = ?", id).Order("number").Find(&as).Error; err != nil {
		t.Fatal(err)
	}
	return as
}

// runUntil ticks the engine, advancing the fake clock to each next due
// time, until the target leaves the schedule.
func (r *rig) runUntil(t *testing.T, id int64) model.PostTarget {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < 50; i++ {
		r.e.Tick(ctx)
		tg := r.target(t, id)
		if tg.Status != model.TargetScheduled {
			return tg
		}
		next, ok, err := r.e.targets.NextDue(ctx)
		if err != nil || !ok {
			t.Fatalf("target %d is scheduled but nothing is due (%v)", id, err)
		}
		if next.After(r.clock.Now()) {
			r.clock.Advance(next.Sub(r.clock.Now()))
		}
	}
	t.Fatal("the target never finished")
	return model.PostTarget{}
}

func TestDueTargetIsPublishedOnceAndRecorded(t *testing.T) {
	r := newRig(t)
	tg := r.schedule(t, "hello", t0, model.MissedPublishLate, "second", "third")
	r.e.Tick(context.Background())
	r.e.Verify(context.Background())
	got := r.target(t, tg.ID)
	if got.Status != model.TargetPublished || got.RemoteID != "r1" || got.RemoteURL == "" || got.ItemIDs != `["r1","r2","r3"]` || got.VerifiedAt == nil {
		t.Fatalf("target = %+v", got)
	}
	as := r.attempts(t, tg.ID)
	if len(as) != 1 || as[0].Outcome != model.OutcomeSucceeded || as[0].RemoteID != "r1" || as[0].FinishedAt == nil {
		t.Errorf("attempts = %+v", as)
	}
	var p model.Post
	r.g.First(&p, got.PostID)
	if p.Status != model.PostPublished {
		t.Errorf("post status = %s", p.Status)
	}
	r.e.Tick(context.Background())
	if r.net.creates != 3 {
		t.Errorf("%d items created, want 3", r.net.creates)
	}
	_, total, _ := store.NewAudit(r.g, r.clock.Now).List(context.Background(), store.AuditFilter{EventLike: "post.published"})
	if total != 1 {
		t.Errorf("%d post.published audit entries", total)
	}
}

func TestNotYetDueIsLeftAlone(t *testing.T) {
	r := newRig(t)
	tg := r.schedule(t, "later", t0.Add(time.Hour), model.MissedPublishLate)
	r.e.Tick(context.Background())
	if got := r.target(t, tg.ID); got.Status != model.TargetScheduled || got.AttemptCount != 0 {
		t.Errorf("target = %+v", got)
	}
}

func TestTransientErrorsRetryWithBackoff(t *testing.T) {
	r := newRig(t)
	r.net.script = []step{transient, transient}
	tg := r.schedule(t, "retry me", t0, model.MissedPublishLate)
	r.e.Tick(context.Background())
	first := r.target(t, tg.ID)
	if first.Status != model.TargetScheduled || !first.NextAttemptAt.Equal(t0.Add(30*time.Second)) || first.ErrorClass != "transient" {
		t.Fatalf("after one failure: %+v", first)
	}
	got := r.runUntil(t, tg.ID)
	if got.Status != model.TargetPublished || got.AttemptCount != 3 {
		t.Fatalf("final = %+v", got)
	}
	as := r.attempts(t, tg.ID)
	if as[0].Outcome != model.OutcomeFailed || as[1].Outcome != model.OutcomeFailed || as[2].Outcome != model.OutcomeSucceeded {
		t.Errorf("ledger = %+v", as)
	}
	if d := as[1].StartedAt.Sub(as[0].StartedAt); d != 30*time.Second {
		t.Errorf("first backoff = %v", d)
	}
	if d := as[2].StartedAt.Sub(as[1].StartedAt); d != time.Minute {
		t.Errorf("second backoff = %v", d)
	}
}

func TestUnknownOutcomeIsReconciledNotDuplicated(t *testing.T) {
	r := newRig(t)
	r.net.script = []step{lostAnswer}
	tg := r.schedule(t, "did it go?", t0, model.MissedPublishLate)
	r.e.Tick(context.Background())
	mid := r.target(t, tg.ID)
	if mid.Status != model.TargetScheduled || !mid.Reconcile {
		t.Fatalf("after a lost answer: %+v", mid)
	}
	if as := r.attempts(t, tg.ID); as[0].Outcome != model.OutcomeUnknown {
		t.Errorf("attempt outcome = %s, want unknown", as[0].Outcome)
	}
	got := r.runUntil(t, tg.ID)
	if got.Status != model.TargetPublished || got.RemoteID != "r1" || got.Reconcile {
		t.Fatalf("final = %+v", got)
	}
	if n := r.net.count("did it go?"); n != 1 {
		t.Errorf("the post exists %d times on the network, want 1", n)
	}
}

func TestACrashMidAttemptIsReconciledOnRestart(t *testing.T) {
	r := newRig(t)
	tg := r.schedule(t, "crash", t0, model.MissedPublishLate)
	// The process claimed the target, the network made the post, then the
	// process died before recording anything.
	claimed, err := r.e.targets.ClaimDue(context.Background(), t0, "dead-process", 10)
	if err != nil || len(claimed) != 1 {
		t.Fatal(claimed, err)
	}
	r.net.posts = append(r.net.posts, network.RemotePost{ID: "r1", Text: "crash"})

	restarted := New(r.e.d)
	if err := restarted.Recover(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := r.target(t, tg.ID); got.Status != model.TargetScheduled || !got.Reconcile {
		t.Fatalf("after recovery: %+v", got)
	}
	restarted.Tick(context.Background())
	got := r.target(t, tg.ID)
	if got.Status != model.TargetPublished || got.RemoteID != "r1" {
		t.Fatalf("final = %+v", got)
	}
	if r.net.creates != 0 || r.net.count("crash") != 1 {
		t.Errorf("published again after a crash: %d creates", r.net.creates)
	}
	as := r.attempts(t, tg.ID)
	if len(as) != 2 || as[0].Outcome != model.OutcomeUnknown || as[1].Outcome != model.OutcomeSucceeded {
		t.Errorf("ledger = %+v", as)
	}
}

func TestRateLimitParksUntilTheReset(t *testing.T) {
	r := newRig(t)
	r.net.reset = t0.Add(47 * time.Minute)
	r.net.script = []step{rateLimited}
	tg := r.schedule(t, "busy", t0, model.MissedPublishLate)
	r.e.Tick(context.Background())
	got := r.target(t, tg.ID)
	if got.Status != model.TargetScheduled || !got.NextAttemptAt.Equal(r.net.reset) || got.ErrorClass != "rate_limited" {
		t.Fatalf("after a rate limit: %+v", got)
	}
}

func TestContentRejectionFailsAtOnceWithTheNetworksWords(t *testing.T) {
	r := newRig(t)
	r.net.script = []step{rejected}
	tg := r.schedule(t, "too long", t0, model.MissedPublishLate)
	r.e.Tick(context.Background())
	got := r.target(t, tg.ID)
	if got.Status != model.TargetFailed || !strings.Contains(got.ErrorMessage, "character limit") || got.NextAttemptAt != nil {
		t.Fatalf("target = %+v", got)
	}
}

func TestAuthDeadBlocksUntilReconnectThenPublishes(t *testing.T) {
	r := newRig(t)
	r.net.script = []step{authDead}
	tg := r.schedule(t, "blocked", t0, model.MissedPublishLate)
	r.e.Tick(context.Background())
	got := r.target(t, tg.ID)
	if got.Status != model.TargetBlocked || got.ErrorClass != "auth_dead" || r.rep.calls != 1 {
		t.Fatalf("target = %+v, reports %d", got, r.rep.calls)
	}
	if ch, _ := r.chs.Get(context.Background(), r.ch.ID); ch.Status != model.ChannelDisconnected {
		t.Fatal("the channel was not disconnected")
	}
	// A second post for the dead channel does not even try the network.
	tg2 := r.schedule(t, "also blocked", t0, model.MissedPublishLate)
	r.e.Tick(context.Background())
	if got2 := r.target(t, tg2.ID); got2.Status != model.TargetBlocked || r.net.creates != 0 {
		t.Fatalf("second target = %+v", got2)
	}
	// The user reconnects: the channel is authorized and its targets resume.
	if err := r.chs.Authorized(context.Background(), r.ch.ID, store.Profile{Handle: "shop"}, nil, nil, true); err != nil {
		t.Fatal(err)
	}
	if _, err := r.e.targets.Unblock(context.Background(), r.ch.ID, r.clock.Now()); err != nil {
		t.Fatal(err)
	}
	r.e.Tick(context.Background())
	if a, b := r.target(t, tg.ID), r.target(t, tg2.ID); a.Status != model.TargetPublished || b.Status != model.TargetPublished {
		t.Fatalf("after reconnect: %s, %s", a.Status, b.Status)
	}
}

func TestMissedWindowPolicies(t *testing.T) {
	r := newRig(t)
	// Herald was closed for 45 minutes.
	r.clock.Advance(45 * time.Minute)
	late1 := r.schedule(t, "late one", t0, model.MissedPublishLate)
	late2 := r.schedule(t, "late two", t0.Add(time.Minute), model.MissedPublishLate)
	tooLate := r.schedule(t, "too late", t0.Add(-2*time.Hour), model.MissedPublishLate)
	skip := r.schedule(t, "skip me", t0, model.MissedSkip)
	ask := r.schedule(t, "ask me", t0, model.MissedAsk)
	r.e.Tick(context.Background())

	if got := r.target(t, late1.ID); got.Status != model.TargetPublished {
		t.Errorf("first late target = %s, want published at once", got.Status)
	}
	if got := r.target(t, late2.ID); got.Status != model.TargetScheduled || !got.NextAttemptAt.Equal(r.clock.Now().Add(3*time.Minute)) {
		t.Errorf("second late target = %+v, want staggered by 3 minutes", got)
	}
	for _, id := range []int64{tooLate.ID, skip.ID} {
		got := r.target(t, id)
		if got.Status != model.TargetSkipped || got.AttemptCount != 0 || got.ErrorClass != "missed_window" || !strings.Contains(got.ErrorMessage, "never attempted") {
			t.Errorf("skipped target = %+v", got)
		}
	}
	if got := r.target(t, ask.ID); got.Status != model.TargetBlocked || got.ErrorClass != "missed" {
		t.Errorf("asked target = %+v", got)
	}
	r.clock.Advance(3 * time.Minute)
	r.e.Tick(context.Background())
	if got := r.target(t, late2.ID); got.Status != model.TargetPublished {
		t.Errorf("second late target after the stagger = %s", got.Status)
	}
	if r.net.count("too late") != 0 || r.net.count("skip me") != 0 || r.net.count("ask me") != 0 {
		t.Error("a skipped or undecided target was published")
	}
}

func TestPauseStopsClaimingAtOnce(t *testing.T) {
	r := newRig(t)
	tg := r.schedule(t, "paused", t0, model.MissedPublishLate)
	r.e.SetPaused(true)
	r.e.Tick(context.Background())
	if got := r.target(t, tg.ID); got.Status != model.TargetScheduled || got.AttemptCount != 0 {
		t.Fatalf("published while paused: %+v", got)
	}
	r.e.SetPaused(false)
	r.e.Tick(context.Background())
	if got := r.target(t, tg.ID); got.Status != model.TargetPublished {
		t.Fatalf("after resume: %s", got.Status)
	}
}

func TestAHalfPublishedThreadResumes(t *testing.T) {
	r := newRig(t)
	r.net.script = []step{ok, transient}
	tg := r.schedule(t, "1/3", t0, model.MissedPublishLate, "2/3", "3/3")
	r.e.Tick(context.Background())
	mid := r.target(t, tg.ID)
	if mid.ItemIDs != `["r1"]` || mid.RemoteID != "r1" || mid.Status != model.TargetScheduled {
		t.Fatalf("after a failure on item 2: %+v", mid)
	}
	got := r.runUntil(t, tg.ID)
	if got.Status != model.TargetPublished || got.ItemIDs != `["r1","r2","r3"]` {
		t.Fatalf("final = %+v", got)
	}
	if r.net.count("1/3") != 1 {
		t.Errorf("the first item was published %d times", r.net.count("1/3"))
	}
}

func TestRunPublishesWithinMomentsOfTheDueTime(t *testing.T) {
	r := newRig(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { r.e.Run(ctx); close(done) }()
	tg := r.schedule(t, "on time", t0.Add(10*time.Minute), model.MissedPublishLate)
	r.e.Wake()
	_ = r.clock.BlockUntilContext(ctx, 1)
	r.clock.Advance(10 * time.Minute)
	deadline := time.Now().Add(5 * time.Second)
	for r.target(t, tg.ID).Status != model.TargetPublished {
		if time.Now().After(deadline) {
			t.Fatal("Run did not publish the target when it fell due")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
}

func TestAnUnknownOutcomeIsCheckedNotCountedAndNotRepublished(t *testing.T) {
	r := newRig(t)
	r.net.script = []step{transient, lostAnswer}
	tg := r.schedule(t, "lost at the end", t0, model.MissedPublishLate)
	got := r.runUntil(t, tg.ID)
	if got.Status != model.TargetPublished || r.net.count("lost at the end") != 1 {
		t.Fatalf("final = %+v; on the network %d times", got, r.net.count("lost at the end"))
	}
	// One failure known not to be sent counts; the lost answer does not.
	if got.Tries != 1 {
		t.Fatalf("tries = %d, want 1", got.Tries)
	}
}

func TestTransientFailuresEndAPostOnlyWhenItsWindowCloses(t *testing.T) {
	r := newRig(t)
	r.net.script = make([]step, 200)
	for i := range r.net.script {
		r.net.script[i] = transient
	}
	tg := r.schedule(t, "never", t0, model.MissedPublishLate) // grace: 60 minutes
	got := r.runUntil(t, tg.ID)
	if got.Status != model.TargetFailed || !strings.Contains(got.ErrorMessage, "window closed") || !strings.Contains(got.ErrorMessage, "not on the channel") {
		t.Fatalf("final = %+v", got)
	}
	if now := r.clock.Now(); now.Before(t0.Add(time.Hour)) {
		t.Fatalf("failed at %s, before its window closed at %s", now, t0.Add(time.Hour))
	}
	if got.AttemptCount < 5 || r.net.count("never") != 0 {
		t.Fatalf("attempts = %d, on the network %d times", got.AttemptCount, r.net.count("never"))
	}
}

func TestARateLimitParksTheWholeChannelAcrossARestart(t *testing.T) {
	r := newRig(t)
	r.net.reset = t0.Add(10 * time.Minute)
	r.net.script = []step{rateLimited}
	a := r.schedule(t, "first", t0, model.MissedPublishLate)
	b := r.schedule(t, "second", t0, model.MissedPublishLate)
	r.e.Tick(context.Background())
	if r.net.calls != 1 {
		t.Fatalf("the network was asked %d times inside the window, want 1", r.net.calls)
	}
	for _, id := range []int64{a.ID, b.ID} {
		got := r.target(t, id)
		if got.Status != model.TargetScheduled || got.Tries != 0 {
			t.Fatalf("target %d = %+v", id, got)
		}
	}
	// A new engine (a restart) on the same database still waits.
	r.e = New(r.e.d)
	r.clock.Advance(5 * time.Minute)
	r.e.Tick(context.Background())
	if r.net.calls != 1 {
		t.Fatalf("the network was asked %d times inside the window after a restart", r.net.calls)
	}
	r.clock.Advance(5*time.Minute + time.Second)
	r.e.Tick(context.Background())
	if r.target(t, a.ID).Status != model.TargetPublished || r.target(t, b.ID).Status != model.TargetPublished {
		t.Fatalf("after the reset: %+v / %+v", r.target(t, a.ID), r.target(t, b.ID))
	}
}

func TestASuccessBringsTheChannelsBackedOffPostsForward(t *testing.T) {
	r := newRig(t)
	waiting := r.schedule(t, "waiting", t0.Add(-10*time.Minute), model.MissedPublishLate)
	later := t0.Add(25 * time.Minute)
	if err := r.g.Model(&model.PostTarget{}).Where("id = ?", waiting.ID).Updates(map[string]any{"error_class": "transient", "next_attempt_at": later, "tries": 6}).Error; err != nil {
		t.Fatal(err)
	}
	r.schedule(t, "now", t0, model.MissedPublishLate)
	r.e.Tick(context.Background())
	got := r.target(t, waiting.ID)
	if got.NextAttemptAt == nil || got.NextAttemptAt.After(t0) {
		t.Fatalf("the backed-off post still waits until %v", got.NextAttemptAt)
	}
	r.e.Tick(context.Background())
	if r.target(t, waiting.ID).Status != model.TargetPublished {
		t.Fatalf("waiting = %+v", r.target(t, waiting.ID))
	}
}

// The engine skips the bring-forward statement for a channel it knows has
// nothing in backoff; a failure it records itself must end that.
func TestASuccessAfterAFailureInThisRunBringsTheFailedPostForward(t *testing.T) {
	r := newRig(t)
	r.schedule(t, "first", t0, model.MissedPublishLate)
	r.e.Tick(context.Background())
	r.net.script = []step{transient}
	failed := r.schedule(t, "fails once", t0, model.MissedPublishLate)
	r.e.Tick(context.Background())
	if got := r.target(t, failed.ID); got.ErrorClass != "transient" || got.NextAttemptAt == nil || !got.NextAttemptAt.After(t0) {
		t.Fatalf("after the failure: %+v", got)
	}
	r.schedule(t, "works", t0, model.MissedPublishLate)
	r.e.Tick(context.Background())
	if got := r.target(t, failed.ID); got.NextAttemptAt == nil || got.NextAttemptAt.After(t0) {
		t.Fatalf("the failed post still waits until %v after a success on its channel", got.NextAttemptAt)
	}
}

func TestPausingGivesClaimedButUnsentTargetsBack(t *testing.T) {
	r := newRig(t)
	tg := r.schedule(t, "held", t0, model.MissedPublishLate)
	claimed, err := r.e.targets.ClaimDue(context.Background(), t0, r.e.token, 10)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claimed %d, %v", len(claimed), err)
	}
	r.e.SetPaused(true)
	if !r.e.release(context.Background(), claimed[0]) {
		t.Fatal("a paused engine sent a claimed target")
	}
	got := r.target(t, tg.ID)
	var attempts int64
	r.g.Model(&model.Attempt{}).Where("target_id = ?", tg.ID).Count(&attempts)
	if got.Status != model.TargetScheduled || got.AttemptCount != 0 || attempts != 0 || r.net.calls != 0 {
		t.Fatalf("target = %+v, attempts = %d, network calls = %d", got, attempts, r.net.calls)
	}
	r.e.SetPaused(false)
	r.e.Tick(context.Background())
	if r.target(t, tg.ID).Status != model.TargetPublished || r.net.count("held") != 1 {
		t.Fatalf("after resuming: %+v", r.target(t, tg.ID))
	}
}

func TestPostsThatWaitedForAReconnectGoOutAtOnce(t *testing.T) {
	r := newRig(t)
	r.net.script = []step{authDead}
	a := r.schedule(t, "one", t0, model.MissedPublishLate)
	b := r.schedule(t, "two", t0, model.MissedPublishLate)
	r.e.Tick(context.Background())
	if got := r.target(t, a.ID); got.Status != model.TargetBlocked {
		t.Fatalf("a = %+v", got)
	}
	r.clock.Advance(3 * time.Hour) // the user reconnects much later
	if _, err := r.chs.Transition(context.Background(), r.ch.ID, model.ChannelConnected, "reconnected"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.e.targets.Unblock(context.Background(), r.ch.ID, r.clock.Now()); err != nil {
		t.Fatal(err)
	}
	r.e.Tick(context.Background())
	for _, id := range []int64{a.ID, b.ID} {
		got := r.target(t, id)
		if got.Status != model.TargetPublished {
			t.Fatalf("target %d after the reconnect = %+v", id, got)
		}
		if got.PublishedAt.After(r.clock.Now()) {
			t.Fatalf("target %d was staggered to %s", id, got.PublishedAt)
		}
	}
}

func TestAPostMissingOnReadBackIsFlagged(t *testing.T) {
	r := newRig(t)
	tg := r.schedule(t, "vanishes", t0, model.MissedPublishLate)
	r.e.Tick(context.Background())
	r.net.mu.Lock()
	r.net.posts = nil // deleted on the network before Herald read it back
	r.net.mu.Unlock()
	r.e.Verify(context.Background())
	got := r.target(t, tg.ID)
	if got.Status != model.TargetPublished || got.VerifiedAt != nil || got.ErrorClass != "unverified" || got.ErrorMessage == "" {
		t.Fatalf("target = %+v", got)
	}
}

func TestALostAnswerDelaysABurstBySecondsNotByTheTimeout(t *testing.T) {
	r := newRig(t)
	r.e.d.Policy.Overlap = 20 * time.Millisecond
	r.net.unhang = make(chan struct{})
	r.net.script = []step{hang}
	first := r.schedule(t, "hangs", t0, model.MissedPublishLate)
	second := r.schedule(t, "same moment", t0, model.MissedPublishLate)
	later := r.schedule(t, "a second later", t0.Add(time.Second), model.MissedPublishLate)
	r.clock.Advance(time.Second) // all three are due
	ticked := make(chan struct{})
	go func() { r.e.Tick(context.Background()); close(ticked) }()
	deadline := time.Now().Add(10 * time.Second)
	for r.net.count("same moment") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the post due at the same moment waited for the lost answer")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if r.net.count("a second later") != 0 {
		t.Fatal("a post due later overtook one due before it")
	}
	close(r.net.unhang)
	<-ticked
	if got := r.target(t, first.ID); got.Status != model.TargetScheduled || !got.Reconcile {
		t.Fatalf("the hung attempt = %+v", got)
	}
	if r.target(t, second.ID).Status != model.TargetPublished || r.target(t, later.ID).Status != model.TargetPublished {
		t.Fatalf("second %+v, later %+v", r.target(t, second.ID), r.target(t, later.ID))
	}
}

func TestEachAttemptKeepsTheFingerprintOfWhatItSent(t *testing.T) {
	r := newRig(t)
	r.net.script = []step{lostAnswer}
	tg := r.schedule(t, "as sent", t0, model.MissedPublishLate, "second part")
	r.e.Tick(context.Background())
	as := r.attempts(t, tg.ID)
	if len(as) != 1 || !strings.HasPrefix(as[0].Fingerprint, "sha256:") {
		t.Fatalf("ledger = %+v", as)
	}
	other := r.schedule(t, "as sent", t0, model.MissedPublishLate, "another second part")
	r.e.Tick(context.Background())
	if got := r.attempts(t, other.ID); len(got) == 0 || got[0].Fingerprint == as[0].Fingerprint {
		t.Fatalf("two different threads share a fingerprint: %+v / %+v", as, got)
	}
}

func TestA401OfAReplacedCredentialDoesNotBlockThePost(t *testing.T) {
	r := newRig(t)
	r.rep.stale = true // the user reconnected while the request was out
	r.net.script = []step{authDead}
	tg := r.schedule(t, "after a reconnect", t0, model.MissedPublishLate)
	r.e.Tick(context.Background())
	got := r.target(t, tg.ID)
	if got.Status != model.TargetScheduled || got.NextAttemptAt == nil || got.NextAttemptAt.After(r.clock.Now().Add(time.Second)) {
		t.Fatalf("target = %+v", got)
	}
	if ch, _ := r.chs.Get(context.Background(), r.ch.ID); ch.Status == model.ChannelDisconnected {
		t.Fatal("an error of the old credential disconnected the channel")
	}
	r.clock.Advance(time.Second)
	r.e.Tick(context.Background())
	if r.target(t, tg.ID).Status != model.TargetPublished || r.net.count("after a reconnect") != 1 {
		t.Fatalf("after retrying with the new credential: %+v", r.target(t, tg.ID))
	}
}

func TestAnOutcomeThatCannotBeWrittenIsNotLeftPublishing(t *testing.T) {
	r := newRig(t)
	// The database refuses every write of an attempt's outcome (a full
	// disk, say) — but not the smaller hand-over to reconciliation.
	failing := true
	if err := r.g.Callback().Raw().Before("gorm:raw").Register("test:refuse_finish", func(db *gorm.DB) {
		if failing && strings.HasPrefix(db.Statement.SQL.String(), "UPDATE post_targets SET status = ?, error_class") {
			_ = db.AddError(errors.New("database or disk is full"))
		}
	}); err != nil {
		t.Fatal(err)
	}
	tg := r.schedule(t, "unrecorded", t0, model.MissedPublishLate)
	r.e.Tick(context.Background())
	got := r.target(t, tg.ID)
	if got.Status != model.TargetScheduled || !got.Reconcile {
		t.Fatalf("after the outcome could not be written: %+v", got)
	}
	failing = false
	r.clock.Advance(time.Minute)
	r.e.Tick(context.Background())
	if got := r.target(t, tg.ID); got.Status != model.TargetPublished || r.net.count("unrecorded") != 1 {
		t.Fatalf("after the database recovered: %+v; on the network %d times", got, r.net.count("unrecorded"))
	}
}

// Publishing and reconciling spend from the channel's budget at Publish
// priority; read-back yields to them.
func TestEveryCallSpendsFromTheChannelsBudgetAtItsPriority(t *testing.T) {
	r := newRig(t)
	r.net.script = []step{lostAnswer}
	tg := r.schedule(t, "counted", t0, model.MissedPublishLate)
	r.runUntil(t, tg.ID)
	r.e.Verify(context.Background())
	want := map[string]ratebudget.Priority{"publish": ratebudget.Publish, "find": ratebudget.Publish, "lookup": ratebudget.Health}
	seen := map[string]bool{}
	r.net.mu.Lock()
	defer r.net.mu.Unlock()
	for _, b := range r.net.budgets {
		seen[b.call] = true
		if !b.ok || b.channel != r.ch.ID || b.priority != want[b.call] {
			t.Errorf("%s was made under %+v, want channel %d at %s", b.call, b, r.ch.ID, want[b.call])
		}
	}
	for call := range want {
		if !seen[call] {
			t.Errorf("no %s call was made", call)
		}
	}
}
