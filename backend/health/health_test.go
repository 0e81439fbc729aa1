package health

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"herald/backend/credentials"
	"herald/backend/db"
	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/network/bluesky/blueskytest"
	"herald/backend/network/networktest"
	"herald/backend/notify"
	"herald/backend/ratebudget"
	"herald/backend/secrets"
	"herald/backend/store"
)

type recordingNotifier struct {
	mu  sync.Mutex
	got []notify.Notification
}

func (r *recordingNotifier) Notify(_ context.Context, n notify.Notification) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, n)
	return nil
}

func (r *recordingNotifier) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

type fixture struct {
	m        *Monitor
	chs      *store.Channels
	timeline *store.Health
	audit    *store.Audit
	creds    *credentials.Manager
	fake     *blueskytest.Server
	notes    *recordingNotifier
	events   *events.Catcher
	ch       model.Channel
	clock    *time.Time
	days     int
	mem      *secrets.Memory
	rates    *store.RateLimits
	sent     *budgetRecorder
	budgetAt *clockwork.FakeClock // the request budgets' clock

	mu      sync.Mutex
	resumed []int64 // channels Resume ran for
}

func (f *fixture) resumes() []int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]int64(nil), f.resumed...)
}

// newFixture connects one real Bluesky channel (against the fake) with
// its credential in the keyring.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	start := time.Now().UTC().Truncate(time.Second)
	f := &fixture{clock: &start, days: 90, notes: &recordingNotifier{}, events: &events.Catcher{}}
	now := func() time.Time { return *f.clock }
	dir := t.TempDir()
	g, _, err := db.Open(ctx, db.Options{Path: filepath.Join(dir, "h.db"), BackupDir: dir, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(g) })
	f.rates = store.NewRateLimits(g, now)
	f.fake = blueskytest.NewServer(t)
	f.budgetAt = clockwork.NewFakeClockAt(start)
	budgets, err := ratebudget.New(ctx, ratebudget.Options{Store: store.NewRateBudgets(g, now), Clock: f.budgetAt})
	if err != nil {
		t.Fatal(err)
	}
	f.sent = &budgetRecorder{next: http.DefaultClient}
	bsky := bluesky.New(bluesky.Options{Entryway: f.fake.URL(), PLCDirectory: f.fake.URL(),
		HTTP: budgets.Doer(ratebudget.Bluesky(), f.sent)})
	reg := network.NewRegistry(bsky)
	f.chs, f.timeline, f.audit = store.NewChannels(g, now), store.NewHealth(g, now), store.NewAudit(g, now)
	log := slog.New(slog.DiscardHandler)
	f.mem = secrets.NewMemory()
	f.creds = credentials.New(secrets.New(f.mem, "t", time.Second), reg, f.chs, now, log)
	resume := func(_ context.Context, id int64) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.resumed = append(f.resumed, id)
	}
	f.m = New(Deps{Channels: f.chs, Timeline: f.timeline, Audit: f.audit, Credentials: f.creds, Networks: reg,
		Notifier: f.notes, Emitter: f.events, ReminderDays: func(context.Context) int { return f.days }, Now: now, Log: log,
		Resume: resume})

	cred, err := networktest.Connect(t, bsky, f.fake)
	if err != nil {
		t.Fatal(err)
	}
	_, did, _ := f.fake.Account()
	exp := cred.Expiry
	f.ch = model.Channel{Network: "bluesky", Instance: f.fake.URL(), RemoteID: did, Handle: "herald-test.bsky.social", DisplayName: "Herald Test",
		AccessExpiresAt: &exp, ConnectedAt: now()}
	if err := f.chs.Create(ctx, &f.ch); err != nil {
		t.Fatal(err)
	}
	if err := f.creds.Save(ctx, f.ch.ID, cred); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) get(t *testing.T) model.Channel {
	t.Helper()
	ch, err := f.chs.Get(context.Background(), f.ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

func (f *fixture) timelineKinds(t *testing.T) []model.HealthKind {
	t.Helper()
	evs, err := f.timeline.List(context.Background(), f.ch.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []model.HealthKind
	for i := len(evs) - 1; i >= 0; i-- {
		out = append(out, evs[i].Kind)
	}
	return out
}

func TestBlipsNeverDisconnect(t *testing.T) {
	for _, fault := range []networktest.Fault{networktest.FaultServerError, networktest.FaultRateLimited} {
		f := newFixture(t)
		ctx := context.Background()
		f.fake.Inject(fault)
		for i := 0; i < 3; i++ {
			res, err := f.m.Check(ctx, f.ch.ID)
			if err != nil {
				t.Fatal(err)
			}
			if res.OK || res.Status != model.ChannelConnected {
				t.Fatalf("fault %d check %d = %+v", fault, i, res)
			}
		}
		ch := f.get(t)
		if ch.Status != model.ChannelConnected || ch.LastCheckClass == "" {
			t.Errorf("after blips channel = %s / %q", ch.Status, ch.LastCheckClass)
		}
		f.fake.Inject(networktest.FaultNone)
		if fault == networktest.FaultRateLimited {
			// The 429 said when its window ends; until then the channel's
			// request budget sends nothing (the later checks above were
			// held back, not sent).
			f.budgetAt.Advance(6 * time.Minute)
		}
		if res, _ := f.m.Check(ctx, f.ch.ID); !res.OK {
			t.Errorf("check after the blip = %+v", res)
		}
		kinds := f.timelineKinds(t)
		if len(kinds) != 2 || kinds[0] != model.HealthCheckFailed || kinds[1] != model.HealthRecovered {
			t.Errorf("timeline = %v, want one check_failed then recovered", kinds)
		}
		if f.notes.count() != 0 {
			t.Errorf("%d notifications for a blip", f.notes.count())
		}
		if entries, total, _ := f.audit.List(ctx, store.AuditFilter{EventLike: "channel.disconnected"}); total != 0 {
			t.Errorf("audit has disconnects: %+v", entries)
		}
	}
}

func TestARevokedSessionDisconnectsExactlyOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.fake.RevokeAll()
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(2)
		go func() { defer wg.Done(); _, _ = f.m.Check(ctx, f.ch.ID) }()
		go func() {
			defer wg.Done()
			f.m.ReportError(ctx, f.ch.ID, &network.Error{Class: network.ClassAuthDead, Message: "InvalidToken"})
		}()
	}
	wg.Wait()
	f.m.CheckAll(ctx) // skips disconnected channels
	ch := f.get(t)
	if ch.Status != model.ChannelDisconnected || ch.StatusReason == "" {
		t.Fatalf("channel = %s (%q)", ch.Status, ch.StatusReason)
	}
	if n := f.notes.count(); n != 1 {
		t.Errorf("%d notifications, want 1", n)
	}
	if f.notes.got[0].Actions[0].ID != "reconnect" {
		t.Errorf("notification actions = %+v", f.notes.got[0].Actions)
	}
	if _, total, _ := f.audit.List(ctx, store.AuditFilter{EventLike: "channel.disconnected"}); total != 1 {
		t.Errorf("%d disconnect audit entries, want 1", total)
	}
	disconnects := 0
	for _, k := range f.timelineKinds(t) {
		if k == model.HealthDisconnected {
			disconnects++
		}
	}
	if disconnects != 1 {
		t.Errorf("%d disconnects in the timeline, want 1", disconnects)
	}
	if len(f.events.Named(events.ChannelHealth)) != 1 {
		t.Errorf("%d health events, want 1", len(f.events.Named(events.ChannelHealth)))
	}
}

func TestAnExpiredAccessTokenIsRenewedNotDisconnected(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	before, _ := f.creds.Load(ctx, f.ch.ID)
	f.fake.ExpireAccessTokens()
	res, err := f.m.Check(ctx, f.ch.ID)
	if err != nil || !res.OK {
		t.Fatalf("Check = %+v, %v", res, err)
	}
	after, _ := f.creds.Load(ctx, f.ch.ID)
	if after.AccessToken == before.AccessToken || after.RefreshToken == before.RefreshToken {
		t.Error("the expired session was not renewed and stored")
	}
}

func TestProactiveRefreshRenewsBeforeExpiry(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	before, _ := f.creds.Load(ctx, f.ch.ID)
	// Move to 10 minutes before the access token lapses.
	*f.clock = before.Expiry.Add(-10 * time.Minute)
	f.m.RefreshDue(ctx, credentials.RefreshAhead)
	after, _ := f.creds.Load(ctx, f.ch.ID)
	if after.RefreshToken == before.RefreshToken {
		t.Fatal("the token was not refreshed ahead of expiry")
	}
	if ch := f.get(t); ch.AccessExpiresAt == nil || !ch.AccessExpiresAt.Equal(after.Expiry.UTC()) {
		t.Errorf("recorded access expiry = %v, want %v", ch.AccessExpiresAt, after.Expiry)
	}
	if f.get(t).Status != model.ChannelConnected {
		t.Error("refreshing changed the status")
	}
}

func TestRemindersAfterNDaysRepeatWeeklyUntilRefreshed(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	start := *f.clock
	f.m.Remind(ctx)
	if f.notes.count() != 0 {
		t.Fatal("reminded on the first day")
	}
	*f.clock = start.Add(90*24*time.Hour + time.Minute)
	f.m.Remind(ctx)
	f.m.Remind(ctx)
	if f.notes.count() != 1 {
		t.Fatalf("%d reminders on day 90, want 1", f.notes.count())
	}
	*f.clock = start.Add(97*24*time.Hour + 2*time.Minute)
	f.m.Remind(ctx)
	if f.notes.count() != 2 {
		t.Fatalf("%d reminders a week later, want 2", f.notes.count())
	}
	if err := f.chs.Authorized(ctx, f.ch.ID, store.Profile{Handle: "h"}, nil, nil, true); err != nil {
		t.Fatal(err)
	}
	*f.clock = start.Add(110 * 24 * time.Hour)
	f.m.Remind(ctx)
	if f.notes.count() != 2 {
		t.Errorf("reminded again right after a refresh")
	}
	if _, total, _ := f.audit.List(ctx, store.AuditFilter{EventLike: "channel.reminder"}); total != 2 {
		t.Errorf("%d reminder audit entries, want 2", total)
	}
	f.days = 0
	*f.clock = start.Add(400 * 24 * time.Hour)
	f.m.Remind(ctx)
	if f.notes.count() != 2 {
		t.Error("reminded with reminders turned off")
	}
}

// A 401 of a credential replaced since (the user reconnected meanwhile)
// must not disconnect the channel the user just fixed.
func TestAnErrorOfAReplacedCredentialChangesNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	old, err := f.creds.Fresh(ctx, f.get(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.chs.Authorized(ctx, f.ch.ID, store.Profile{Handle: "h"}, nil, nil, true); err != nil { // the reconnect
		t.Fatal(err)
	}
	dead := &network.Error{Class: network.ClassAuthDead, Message: "InvalidToken"}
	if current := f.m.ReportErrorAt(ctx, f.ch.ID, old.Generation, dead); current {
		t.Error("ReportErrorAt with the old generation reports the current credential")
	}
	scope := &network.Error{Class: network.ClassScopeMissing, Message: "missing scope"}
	if current := f.m.ReportErrorAt(ctx, f.ch.ID, old.Generation, scope); current {
		t.Error("a scope error of the old credential reports the current one")
	}
	if ch := f.get(t); ch.Status != model.ChannelConnected || ch.LastCheckClass != "" || f.notes.count() != 0 {
		t.Fatalf("after errors of the replaced credential: %s (%q), %d notifications", ch.Status, ch.LastCheckClass, f.notes.count())
	}

	now, err := f.creds.Fresh(ctx, f.get(t))
	if err != nil || now.Generation != old.Generation+1 {
		t.Fatalf("Fresh after the reconnect = generation %d, %v; want %d", now.Generation, err, old.Generation+1)
	}
	if current := f.m.ReportErrorAt(ctx, f.ch.ID, now.Generation, dead); !current {
		t.Error("ReportErrorAt with the current generation reports a replaced credential")
	}
	if ch := f.get(t); ch.Status != model.ChannelDisconnected || f.notes.count() != 1 {
		t.Errorf("after an error of the current credential: %s, %d notifications", ch.Status, f.notes.count())
	}
}

// A check that finds a disconnected channel working again resumes its
// waiting posts, as a reconnect does.
func TestACheckThatFindsTheChannelWorkingResumesItsPosts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.chs.Transition(ctx, f.ch.ID, model.ChannelDisconnected, "InvalidToken"); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		res, err := f.m.Check(ctx, f.ch.ID)
		if err != nil || !res.OK {
			t.Fatalf("Check = %+v, %v", res, err)
		}
	}
	if got := f.resumes(); len(got) != 1 || got[0] != f.ch.ID || f.get(t).Status != model.ChannelConnected {
		t.Errorf("Resume ran for %v, channel %s; want once for %d, connected", got, f.get(t).Status, f.ch.ID)
	}
}

// A rotated sign-in the keyring refuses is shown at once, survives a
// passing check, and clears when the keyring takes it.
func TestARenewedSignInTheKeyringRefusesNeedsAttention(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	before, _ := f.creds.Load(ctx, f.ch.ID)
	f.mem.FailWrites = errors.New("failed to unlock correct collection")
	*f.clock = before.Expiry.Add(-10 * time.Minute)
	f.m.RefreshDue(ctx, credentials.RefreshAhead)

	renewed, _ := f.creds.Load(ctx, f.ch.ID)
	ch := f.get(t)
	if renewed.RefreshToken == before.RefreshToken || ch.Status != model.ChannelAttention || ch.LastCheckClass != string(ClassKeyring) ||
		!strings.Contains(ch.StatusReason, "system keyring") || f.notes.count() != 1 {
		t.Fatalf("after a refused save: renewed %v, channel %s (%q: %q), %d notifications",
			renewed.RefreshToken != before.RefreshToken, ch.Status, ch.LastCheckClass, ch.StatusReason, f.notes.count())
	}
	noTokens(t, f, before, renewed)

	// The network accepts the renewed credential, but it is still unsaved.
	if res, err := f.m.Check(ctx, f.ch.ID); err != nil || res.Class != ClassKeyring || f.get(t).Status != model.ChannelAttention {
		t.Fatalf("Check while unsaved = %+v, %v; channel %s", res, err, f.get(t).Status)
	}
	if f.notes.count() != 1 {
		t.Errorf("%d notifications, want the first only", f.notes.count())
	}

	f.mem.FailWrites = nil
	if res, err := f.m.Check(ctx, f.ch.ID); err != nil || !res.OK {
		t.Fatalf("Check once the keyring works = %+v, %v", res, err)
	}
	if ch := f.get(t); ch.Status != model.ChannelConnected || ch.LastCheckClass != "" {
		t.Errorf("after the save: %s (%q)", ch.Status, ch.LastCheckClass)
	}
	if f.creds.Unsaved(f.ch.ID) != nil {
		t.Error("still unsaved")
	}
}

// noTokens checks that no token reached the channel row, the timeline or
// the audit log.
func noTokens(t *testing.T, f *fixture, creds ...network.Credential) {
	t.Helper()
	ctx := context.Background()
	ch := f.get(t)
	texts := []string{ch.StatusReason, ch.LastCheckMessage}
	evs, _ := f.timeline.List(ctx, f.ch.ID, 100)
	for _, e := range evs {
		texts = append(texts, e.Message)
	}
	entries, _, _ := f.audit.List(ctx, store.AuditFilter{})
	for _, e := range entries {
		texts = append(texts, e.Summary, e.Details)
	}
	for _, c := range creds {
		for _, secret := range []string{c.AccessToken, c.RefreshToken} {
			for _, text := range texts {
				if secret != "" && strings.Contains(text, secret) {
					t.Errorf("a token was written out: %q", text)
				}
			}
		}
	}
}

func TestARateLimitedChannelIsNotCheckedBeforeItsReset(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.fake.Inject(networktest.FaultServerError) // any request would leave a trace
	if err := f.rates.Park(ctx, f.ch.ID, f.clock.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	f.m.CheckAll(ctx)
	if kinds := f.timelineKinds(t); len(kinds) != 0 || f.get(t).LastCheckClass != "" {
		t.Fatalf("a parked channel was checked: timeline %v, last check %q", kinds, f.get(t).LastCheckClass)
	}
}

func TestAChannelWithNoSavedSignInIsDisconnectedWithItsReason(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// A restored data folder: the channel is in the database, its
	// credential is not in this computer's keyring.
	if err := f.mem.Delete(secrets.Service, "t/"+credentials.Key(f.ch.ID)); err != nil {
		t.Fatal(err)
	}
	res, err := f.m.Check(ctx, f.ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.OK || res.Class != network.ClassAuthDead || res.Status != model.ChannelDisconnected {
		t.Fatalf("check = %+v, want auth-dead and disconnected", res)
	}
	ch := f.get(t)
	if ch.Status != model.ChannelDisconnected || ch.StatusReason != credentials.MissingMessage {
		t.Errorf("channel = %s (%q), want disconnected with the missing-sign-in reason", ch.Status, ch.StatusReason)
	}
	if ch.LastCheckClass != string(network.ClassAuthDead) || ch.LastCheckMessage != credentials.MissingMessage {
		t.Errorf("last check = %q %q", ch.LastCheckClass, ch.LastCheckMessage)
	}
	if n := f.notes.count(); n != 1 || !strings.HasPrefix(f.notes.got[0].Body, credentials.MissingMessage) {
		t.Errorf("notifications = %+v, want one starting with the reason", f.notes.got)
	}
}

// budgetRecorder notes the budget each request was sent under.
type budgetRecorder struct {
	next ratebudget.Doer
	mu   sync.Mutex
	seen []sentUnder
}

type sentUnder struct {
	path     string
	channel  int64
	priority ratebudget.Priority
	budgeted bool
}

func (r *budgetRecorder) Do(req *http.Request) (*http.Response, error) {
	ch, p, ok := ratebudget.FromContext(req.Context())
	r.mu.Lock()
	r.seen = append(r.seen, sentUnder{path: req.URL.Path, channel: ch, priority: p, budgeted: ok})
	r.mu.Unlock()
	return r.next.Do(req)
}

func (r *budgetRecorder) since(n int) []sentUnder {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sentUnder(nil), r.seen[n:]...)
}

func (r *budgetRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.seen)
}

// Checks with a valid session, then with an expired access token, renew
// the session with refreshSession and never sign in again (createSession
// is limited to 30 per 5 minutes and 300 a day); every request is the
// channel's, at Health priority.
func TestRepeatedChecksRefreshTheSessionAndNeverSignInAgain(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const create, refresh = "com.atproto.server.createSession", "com.atproto.server.refreshSession"
	signIns := f.fake.Calls(create)
	start := f.sent.count()
	for range 3 {
		if res, err := f.m.Check(ctx, f.ch.ID); err != nil || !res.OK {
			t.Fatalf("Check = %+v, %v", res, err)
		}
	}
	if got := f.fake.Calls(refresh); got != 0 {
		t.Errorf("a valid session was refreshed %d times", got)
	}
	f.fake.ExpireAccessTokens()
	for range 3 {
		if res, err := f.m.Check(ctx, f.ch.ID); err != nil || !res.OK {
			t.Fatalf("Check after expiry = %+v, %v", res, err)
		}
	}
	*f.clock = f.clock.Add(24 * time.Hour) // every access token Herald holds is now due
	f.m.RefreshDue(ctx, credentials.RefreshAhead)
	if got := f.fake.Calls(refresh); got != 2 {
		t.Errorf("refreshSession called %d times, want 2 (once after expiry, once when due)", got)
	}
	if got := f.fake.Calls(create); got != signIns {
		t.Errorf("createSession called %d more times; sessions must be refreshed, never re-created", got-signIns)
	}
	for _, s := range f.sent.since(start) {
		if !s.budgeted || s.channel != f.ch.ID || s.priority != ratebudget.Health {
			t.Errorf("%s was sent under %+v, want channel %d at health priority", s.path, s, f.ch.ID)
		}
	}
}
