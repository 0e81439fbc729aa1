package health

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"herald/backend/credentials"
	"herald/backend/db"
	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/network/bluesky/blueskytest"
	"herald/backend/network/networktest"
	"herald/backend/notify"
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
	f.fake = blueskytest.NewServer(t)
	bsky := bluesky.New(bluesky.Options{Entryway: f.fake.URL(), PLCDirectory: f.fake.URL()})
	reg := network.NewRegistry(bsky)
	f.chs, f.timeline, f.audit = store.NewChannels(g, now), store.NewHealth(g, now), store.NewAudit(g, now)
	log := slog.New(slog.DiscardHandler)
	f.creds = credentials.New(secrets.New(secrets.NewMemory(), "t", time.Second), reg, f.chs, now, log)
	f.m = New(Deps{Channels: f.chs, Timeline: f.timeline, Audit: f.audit, Credentials: f.creds, Networks: reg,
		Notifier: f.notes, Emitter: f.events, ReminderDays: func(context.Context) int { return f.days }, Now: now, Log: log})

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
