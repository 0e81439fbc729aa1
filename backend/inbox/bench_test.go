package inbox

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"gorm.io/gorm"

	"herald/backend/db"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/network/bluesky/blueskytest"
	"herald/backend/network/mastodon"
	"herald/backend/network/mastodon/mastodontest"
	"herald/backend/ratebudget"
	"herald/backend/store"
)

// The sync of many channels at once, as Herald runs it: a real SQLite
// file, the real Mastodon and Bluesky clients behind the real request
// budgets (persisted in the same database, as app.go wires them), and one
// fake server per channel, each holding the channel's account and a
// backlog. Requests are counted where the fakes receive them.
//
// The budgets run on a fake clock that is moved on whenever a request
// waits for its budget, so a wait costs no wall time here; how long the
// budgets would have held the sync back is reported as budget-wait-s/op.
const (
	benchMastodon = 25
	benchBluesky  = 25
	// benchBacklog items per channel: more than a first sync reads
	// (Mastodon's newest 200, Bluesky's two pages of 100), so it pages.
	benchBacklog = 300
)

// BenchmarkInboxSync50Channels measures three runs over all 50 channels:
//   - first: the first sync, which finds each channel's backlog;
//   - incremental: a later sync, FastInterval after the one before, with
//     four new items on each channel and no refresh due;
//   - refresh: a sync with nothing new whose refresh of recent items (for
//     edits and deletions) is due, as it is every RefreshEvery.
func BenchmarkInboxSync50Channels(b *testing.B) {
	b.Run("first", func(b *testing.B) {
		var m syncMeasure
		for range b.N {
			b.StopTimer()
			w := newSyncWorld(b)
			m.timed(b, w)
			w.check(b)
			w.close()
		}
		m.report(b)
	})
	b.Run("incremental", func(b *testing.B) {
		b.StopTimer()
		w := newSyncWorld(b)
		defer w.close()
		w.syncAll(b)
		var m syncMeasure
		for range b.N {
			b.StopTimer()
			w.arrive(b)
			w.clock.Advance(FastInterval)
			w.refreshedAt(b, w.clock.Now())
			m.timed(b, w)
			w.check(b)
		}
		m.report(b)
	})
	b.Run("refresh", func(b *testing.B) {
		b.StopTimer()
		w := newSyncWorld(b)
		defer w.close()
		w.syncAll(b)
		var m syncMeasure
		for range b.N {
			b.StopTimer()
			w.clock.Advance(RefreshEvery)
			w.refreshedAt(b, w.clock.Now().Add(-RefreshEvery-time.Minute))
			m.timed(b, w)
			w.check(b)
		}
		m.report(b)
	})
}

// syncMeasure adds up the requests and budget waits of the timed syncs.
type syncMeasure struct {
	mastodon, bluesky int // requests
	items             int64
	waited            time.Duration
}

// timed runs one sync of every channel with the timer running; the
// caller has stopped it.
func (m *syncMeasure) timed(b *testing.B, w *syncWorld) {
	b.Helper()
	mastodon, bluesky := w.requests()
	waited, items := w.waited(), w.items(b)
	b.StartTimer()
	w.syncAll(b)
	b.StopTimer()
	mastodonAfter, blueskyAfter := w.requests()
	m.mastodon += mastodonAfter - mastodon
	m.bluesky += blueskyAfter - bluesky
	m.waited += w.waited() - waited
	m.items += w.items(b) - items
}

func (m *syncMeasure) report(b *testing.B) {
	n := float64(b.N)
	b.ReportMetric(float64(m.mastodon+m.bluesky)/n, "requests/op")
	b.ReportMetric(float64(m.mastodon)/n, "mastodon-requests/op")
	b.ReportMetric(float64(m.bluesky)/n, "bluesky-requests/op")
	b.ReportMetric(m.waited.Seconds()/n, "budget-wait-s/op")
	b.ReportMetric(float64(m.items)/n, "items-stored/op")
}

// syncWorld is one database, its budgets and syncer, and the fakes of its
// channels.
type syncWorld struct {
	g      *gorm.DB
	clock  *clockwork.FakeClock
	s      *Syncer
	masto  []*mastodontest.Server
	bsky   []*blueskytest.Server
	ids    []int64
	own    map[int64]string // a post of the channel's own, to reply to
	wait   atomic.Int64     // nanoseconds the clock was moved for a waiting request
	stop   context.CancelFunc
	done   sync.WaitGroup
	closed bool
}

// benchCreds hands out each channel's credential.
type benchCreds map[int64]network.Credential

func (c benchCreds) Fresh(_ context.Context, ch model.Channel) (network.Credential, error) {
	return c[ch.ID], nil
}

func (c benchCreds) Renew(_ context.Context, ch model.Channel, _ network.Credential) (network.Credential, error) {
	return c[ch.ID], nil
}

func newSyncWorld(b *testing.B) *syncWorld {
	b.Helper()
	ctx := context.Background()
	w := &syncWorld{clock: clockwork.NewFakeClockAt(time.Now().UTC()), own: map[int64]string{}}
	now := w.clock.Now
	dir := b.TempDir()
	g, _, err := db.Open(ctx, db.Options{Path: filepath.Join(dir, "herald.db"), BackupDir: filepath.Join(dir, "backups"), Now: now})
	if err != nil {
		b.Fatal(err)
	}
	w.g = g
	budgets, err := ratebudget.New(ctx, ratebudget.Options{Store: store.NewRateBudgets(g, now), Clock: w.clock})
	if err != nil {
		b.Fatal(err)
	}
	client := func() ratebudget.Doer { return &http.Client{Timeout: 30 * time.Second} }
	reg := network.NewRegistry(
		mastodon.New(mastodon.Options{HTTP: budgets.Doer(ratebudget.Mastodon(), client())}),
		bluesky.New(bluesky.Options{HTTP: budgets.Doer(ratebudget.Bluesky(), client())}),
	)
	chans := store.NewChannels(g, now)
	creds := benchCreds{}
	add := func(i int, net, instance, handle string, cred network.Credential) int64 {
		ch := model.Channel{Network: net, Instance: instance, RemoteID: fmt.Sprintf("%s-%d", net, i), Handle: handle, DisplayName: handle}
		if err := chans.Create(ctx, &ch); err != nil {
			b.Fatal(err)
		}
		creds[ch.ID] = cred
		w.ids = append(w.ids, ch.ID)
		return ch.ID
	}
	for i := range benchMastodon {
		f := mastodontest.NewServer(b)
		id := add(i, mastodon.ID, f.Instance(), fmt.Sprintf("shop%d", i), f.Credential(f.Account().ID, ""))
		w.own[id] = f.OwnPost(b, "We open a new shop today")
		seedBacklog(b, f, w.own[id])
		w.masto = append(w.masto, f)
	}
	for i := range benchBluesky {
		f := blueskytest.NewServer(b)
		handle, _, pw := f.Account()
		signIn := bluesky.New(bluesky.Options{HTTP: &http.Client{Timeout: 10 * time.Second}, Entryway: f.URL(), PLCDirectory: f.URL()})
		cred, err := signIn.Login(ctx, "", handle, pw)
		if err != nil {
			b.Fatal(err)
		}
		id := add(i, bluesky.ID, f.Instance(), handle, cred)
		w.own[id] = f.OwnPost(b, "We open a new shop today")
		seedBacklog(b, f, w.own[id])
		w.bsky = append(w.bsky, f)
	}
	w.s = New(Deps{Store: store.NewInbox(g, now), Channels: chans, Credentials: creds, Health: &fakeHealth{},
		RateLimits: store.NewRateLimits(g, now), Networks: reg, Now: now, Log: slog.New(slog.DiscardHandler)})

	// A request that waits for its budget waits on the fake clock: move it
	// on, a tenth of a second at a time, and count how far.
	var wctx context.Context
	wctx, w.stop = context.WithCancel(ctx)
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		for {
			if err := w.clock.BlockUntilContext(wctx, 1); err != nil {
				return
			}
			const step = 100 * time.Millisecond
			w.clock.Advance(step)
			w.wait.Add(int64(step))
		}
	}()
	return w
}

// inboxSeeder is what seedBacklog needs of a fake.
type inboxSeeder interface {
	Mention(t testing.TB, text string) string
	Reply(t testing.TB, parentID, text string) string
	Quote(t testing.TB, quotedID, text string) string
	Message(t testing.TB, text string) string
}

var benchTexts = []string{
	"Is the shop open on Sunday?",
	"Thanks for the quick delivery, the parcel came this morning",
	"Do you ship to Norway? I could not find it on the website",
	"Loved the new collection, especially the blue one",
	"My order has not arrived yet, can you check the tracking number?",
	"Great thread, sharing this with my team",
}

// seedBacklog gives a channel benchBacklog items: mentions, replies to
// its post, quotes of it and direct messages.
func seedBacklog(b *testing.B, f inboxSeeder, own string) {
	b.Helper()
	for i := range benchBacklog {
		text := fmt.Sprintf("%s (%d)", benchTexts[i%len(benchTexts)], i)
		switch i % 10 {
		case 6, 7:
			f.Reply(b, own, text)
		case 8:
			f.Quote(b, own, text)
		case 9:
			f.Message(b, text)
		default:
			f.Mention(b, text)
		}
	}
}

// arrive brings four new items to every channel: a mention, a reply, a
// quote and a direct message.
func (w *syncWorld) arrive(b *testing.B) {
	b.Helper()
	fakes := make([]inboxSeeder, 0, len(w.ids))
	for _, f := range w.masto {
		fakes = append(fakes, f)
	}
	for _, f := range w.bsky {
		fakes = append(fakes, f)
	}
	for i, f := range fakes {
		own := w.own[w.ids[i]]
		f.Mention(b, "Are you open tomorrow?")
		f.Reply(b, own, "Congratulations on the new shop!")
		f.Quote(b, own, "Look who opened a shop")
		f.Message(b, "Can I ask you something in private?")
	}
}

func (w *syncWorld) syncAll(b *testing.B) {
	if err := w.s.SyncNow(context.Background(), 0); err != nil {
		b.Fatal(err)
	}
}

// requests is how many requests the Mastodon and the Bluesky fakes have
// received.
func (w *syncWorld) requests() (mastodon, bluesky int) {
	for _, f := range w.masto {
		for _, c := range f.CallCounts() {
			mastodon += c
		}
	}
	for _, f := range w.bsky {
		for _, c := range f.CallCounts() {
			bluesky += c
		}
	}
	return mastodon, bluesky
}

// refreshedAt records every channel's last refresh at t.
func (w *syncWorld) refreshedAt(b *testing.B, t time.Time) {
	b.Helper()
	if err := w.g.Exec("UPDATE inbox_sync SET last_refresh_at = ?", t.UTC()).Error; err != nil {
		b.Fatal(err)
	}
}

// items is how many inbox items the database holds.
func (w *syncWorld) items(b *testing.B) int64 {
	b.Helper()
	var n int64
	if err := w.g.Model(&model.InboxItem{}).Count(&n).Error; err != nil {
		b.Fatal(err)
	}
	return n
}

func (w *syncWorld) waited() time.Duration { return time.Duration(w.wait.Load()) }

// check fails the benchmark when a channel's run recorded an error or
// stored nothing: a benchmark of failing syncs would measure nothing.
func (w *syncWorld) check(b *testing.B) {
	b.Helper()
	states, err := store.NewInbox(w.g, w.clock.Now).SyncStates(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	for _, id := range w.ids {
		st, ok := states[id]
		if !ok || st.Runs == 0 || st.LastError != "" || st.SkippedReason != "" || st.ItemsSeen == 0 {
			b.Fatalf("channel %d: %+v", id, st)
		}
	}
}

func (w *syncWorld) close() {
	if w.closed {
		return
	}
	w.closed = true
	w.stop()
	w.done.Wait()
	_ = db.Close(w.g)
}
