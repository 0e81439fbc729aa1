package inbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"herald/backend/db"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/notify"
	"herald/backend/store"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// fakeNet is a network whose inbox is one stream of numbered items; its
// cursor is the number of the last item read.
type fakeNet struct {
	mu        sync.Mutex
	items     []network.InboxItem
	pageSize  int
	overlap   bool          // each page repeats the last item of the one before
	failAt    map[int]error // call number (1-based) → error
	calls     int
	page      network.InboxPage // extra Problems / Unavailable on every page
	deleted   map[string]bool   // what RefreshInbox reports gone
	refreshes int
}

func (f *fakeNet) Descriptor() network.Descriptor {
	return network.Descriptor{ID: "fake", Name: "Fake"}
}

func (f *fakeNet) add(n int, kind network.InboxKind) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := 0; i < n; i++ {
		k := len(f.items) + 1
		f.items = append(f.items, network.InboxItem{RemoteID: strconv.Itoa(k), Kind: kind, Text: fmt.Sprintf("item %d", k),
			Author: network.InboxAuthor{Handle: "@ana@x.example", DisplayName: "Ana"}, CreatedAt: t0.Add(time.Duration(k) * time.Second)})
	}
}

func (f *fakeNet) ReadInbox(_ context.Context, _ string, cred network.Credential, cursors network.InboxCursors) (network.InboxPage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if err := f.failAt[f.calls]; err != nil {
		return network.InboxPage{}, err
	}
	if cred.AccessToken != "token" {
		return network.InboxPage{}, fmt.Errorf("the fake was given no credential")
	}
	from, _ := strconv.Atoi(cursors["notifications"])
	start := from
	if f.overlap && start > 0 {
		start--
	}
	end := start + f.pageSize
	if end > len(f.items) {
		end = len(f.items)
	}
	p := network.InboxPage{Items: append([]network.InboxItem(nil), f.items[start:end]...), More: end < len(f.items),
		Problems: f.page.Problems, Unavailable: f.page.Unavailable}
	p.Cursors = network.InboxCursors{"notifications": strconv.Itoa(end)}
	return p, nil
}

// refreshingNet also checks stored items for deletions.
type refreshingNet struct{ *fakeNet }

func (f refreshingNet) RefreshInbox(_ context.Context, _ string, _ network.Credential, ids []string) ([]network.InboxItem, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refreshes++
	var out []network.InboxItem
	for _, id := range ids {
		if f.deleted[id] {
			out = append(out, network.InboxItem{RemoteID: id, Deleted: true})
		}
	}
	return out, nil
}

type fakeCreds struct{}

func (fakeCreds) Fresh(context.Context, model.Channel) (network.Credential, error) {
	return network.Credential{AccessToken: "token", Generation: 3}, nil
}
func (fakeCreds) Renew(context.Context, model.Channel, network.Credential) (network.Credential, error) {
	return network.Credential{AccessToken: "token", Generation: 4}, nil
}

type fakeHealth struct {
	mu      sync.Mutex
	reports []string
}

func (h *fakeHealth) ReportErrorAt(_ context.Context, id, gen int64, err error) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.reports = append(h.reports, fmt.Sprintf("%d@%d:%s", id, gen, network.ClassOf(err)))
	return true
}

type catcher struct {
	mu sync.Mutex
	ns []notify.Notification
}

func (c *catcher) Notify(_ context.Context, n notify.Notification) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ns = append(c.ns, n)
	return nil
}

func (c *catcher) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.ns)
}

type rig struct {
	t      *testing.T
	g      *gorm.DB
	clock  time.Time
	net    *fakeNet
	inbox  *store.Inbox
	chans  *store.Channels
	health *fakeHealth
	notes  *catcher
	logs   *bytes.Buffer
	paused bool
	s      *Syncer
	ch     model.Channel
}

func newRig(t *testing.T, n network.Network, f *fakeNet) *rig {
	t.Helper()
	r := &rig{t: t, clock: t0, net: f, health: &fakeHealth{}, notes: &catcher{}, logs: &bytes.Buffer{}}
	now := func() time.Time { return r.clock }
	dir := t.TempDir()
	g, _, err := db.Open(context.Background(), db.Options{Path: filepath.Join(dir, "herald.db"), BackupDir: filepath.Join(dir, "b"), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(g) })
	r.g, r.inbox, r.chans = g, store.NewInbox(g, now), store.NewChannels(g, now)
	r.ch = model.Channel{Network: "fake", RemoteID: "1", Handle: "shop", DisplayName: "Shop"}
	if err := r.chans.Create(context.Background(), &r.ch); err != nil {
		t.Fatal(err)
	}
	r.s = New(Deps{Store: r.inbox, Channels: r.chans, Credentials: fakeCreds{}, Health: r.health, RateLimits: store.NewRateLimits(g, now),
		Networks: network.NewRegistry(n), Notifier: r.notes, Paused: func() bool { return r.paused }, Now: now,
		Log: slog.New(slog.NewJSONHandler(r.logs, nil))})
	return r
}

func (r *rig) rows() int64 {
	var n int64
	if err := r.g.Model(&model.InboxItem{}).Count(&n).Error; err != nil {
		r.t.Fatal(err)
	}
	var distinct int64
	if err := r.g.Raw(`SELECT count(DISTINCT remote_id) FROM inbox_items`).Scan(&distinct).Error; err != nil {
		r.t.Fatal(err)
	}
	if distinct != n {
		r.t.Fatalf("%d rows for %d items", n, distinct)
	}
	return n
}

func (r *rig) state() model.InboxSync {
	st, err := r.inbox.SyncState(context.Background(), r.ch.ID)
	if err != nil {
		r.t.Fatal(err)
	}
	return st
}

func (r *rig) syncNow() {
	if err := r.s.SyncNow(context.Background(), r.ch.ID); err != nil {
		r.t.Fatal(err)
	}
}

func TestFirstSyncIsSilentBacklogAndANewItemNotifiesOnce(t *testing.T) {
	f := &fakeNet{pageSize: 10, overlap: true}
	f.add(25, network.InboxMention)
	r := newRig(t, f, f)
	r.s.Tick(context.Background())
	if n := r.rows(); n != 25 {
		t.Fatalf("first sync stored %d items, want 25", n)
	}
	var unread int64
	r.g.Model(&model.InboxItem{}).Where("read_at IS NULL OR backlog = 0").Count(&unread)
	if unread != 0 || r.notes.count() != 0 {
		t.Fatalf("backlog: %d items unread or not marked backlog, %d notifications", unread, r.notes.count())
	}
	st := r.state()
	if !st.BacklogDone || st.Cursors != `{"notifications":"25"}` || st.NextRunAt == nil || st.ItemsNew != 25 {
		t.Fatalf("after the first sync: %+v", st)
	}

	f.add(1, network.InboxMessage)
	r.s.Tick(context.Background()) // not due yet
	if n := r.rows(); n != 25 {
		t.Fatalf("a tick before the next run read the network: %d rows", n)
	}
	r.clock = *st.NextRunAt
	r.s.Tick(context.Background())
	r.syncNow()
	if n := r.rows(); n != 26 || r.notes.count() != 1 {
		t.Fatalf("after a new item: %d rows, %d notifications; want 26 and 1", n, r.notes.count())
	}
	if got := r.notes.ns[0]; !strings.Contains(got.Title, "message") || !strings.Contains(got.Body, "item 26") {
		t.Errorf("notification = %+v", got)
	}
	if st := r.state(); st.IntervalSeconds != int(FastInterval/time.Second) || st.LastActivityAt == nil {
		t.Errorf("after activity the interval is %ds, activity %v", st.IntervalSeconds, st.LastActivityAt)
	}
}

func TestAFailureOnPageTwoResumesWithoutLossOrDuplicates(t *testing.T) {
	f := &fakeNet{pageSize: 10, overlap: true, failAt: map[int]error{
		2: &network.Error{Class: network.ClassTransient, Message: "The server did not answer."}}}
	f.add(25, network.InboxReply)
	r := newRig(t, f, f)
	r.syncNow()
	if n, st := r.rows(), r.state(); n != 10 || st.Cursors != `{"notifications":"10"}` || st.LastError != "The server did not answer." || st.BacklogDone {
		t.Fatalf("after a failure on page 2: %d rows, state %+v", n, st)
	}
	if len(r.health.reports) != 0 {
		t.Errorf("a transient error went to health: %v", r.health.reports)
	}
	r.syncNow()
	if n, st := r.rows(), r.state(); n != 25 || st.LastError != "" || !st.BacklogDone {
		t.Fatalf("after resuming: %d rows, state %+v", n, st)
	}
	// Pages read again (the cursor lost on the network's side) store nothing twice.
	f.failAt = nil
	if _, err := r.inbox.StorePage(context.Background(), r.ch.ID, store.IngestPage{Cursors: map[string]string{"notifications": "0"}}); err != nil {
		t.Fatal(err)
	}
	r.syncNow()
	if n := r.rows(); n != 25 || r.notes.count() != 0 {
		t.Fatalf("after reading everything again: %d rows, %d notifications", n, r.notes.count())
	}
}

func TestSkippedChannelsRecordTheirReason(t *testing.T) {
	ctx := context.Background()
	f := &fakeNet{pageSize: 10}
	f.add(3, network.InboxMention)
	r := newRig(t, f, f)

	r.paused = true
	r.syncNow()
	if st := r.state(); st.SkippedReason != SkipPaused || st.LastRunAt != nil || f.calls != 0 {
		t.Fatalf("paused: %+v, %d calls", st, f.calls)
	}
	r.paused = false

	until := t0.Add(40 * time.Minute)
	if err := store.NewRateLimits(r.g, func() time.Time { return r.clock }).Park(ctx, r.ch.ID, until); err != nil {
		t.Fatal(err)
	}
	r.syncNow()
	if st := r.state(); !strings.HasPrefix(st.SkippedReason, "Rate limited") || !st.NextRunAt.Equal(until) || f.calls != 0 {
		t.Fatalf("rate limited: %+v, %d calls", st, f.calls)
	}
	r.clock = until.Add(time.Second)

	if _, err := r.chans.Transition(ctx, r.ch.ID, model.ChannelDisconnected, "revoked"); err != nil {
		t.Fatal(err)
	}
	r.syncNow()
	if st := r.state(); st.SkippedReason != SkipDisconnected || f.calls != 0 {
		t.Fatalf("disconnected: %+v, %d calls", st, f.calls)
	}
	if _, err := r.chans.Transition(ctx, r.ch.ID, model.ChannelConnected, ""); err != nil {
		t.Fatal(err)
	}
	r.syncNow()
	if st := r.state(); st.SkippedReason != "" || st.LastRunAt == nil || r.rows() != 3 {
		t.Fatalf("connected again: %+v", st)
	}
}

func TestRateLimitSetsTheNextRunToTheReset(t *testing.T) {
	reset := t0.Add(7 * time.Minute)
	for _, tc := range []struct {
		name string
		err  error
		want time.Time
	}{
		{"with a reset", &network.Error{Class: network.ClassRateLimited, Message: "Too many requests.", ResetAt: reset}, reset},
		{"without a reset", &network.Error{Class: network.ClassRateLimited, Message: "Too many requests."}, t0.Add(RateLimitWait)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeNet{pageSize: 10, failAt: map[int]error{1: tc.err}}
			f.add(3, network.InboxMention)
			r := newRig(t, f, f)
			r.syncNow()
			st := r.state()
			if st.NextRunAt == nil || !st.NextRunAt.Equal(tc.want) || !strings.HasPrefix(st.LastError, "Rate limited") {
				t.Fatalf("state = %+v, want next run %s", st, tc.want)
			}
			ch, _ := r.chans.Get(context.Background(), r.ch.ID)
			if ch.RateLimitedUntil == nil || !ch.RateLimitedUntil.Equal(tc.want) || ch.Status != model.ChannelConnected {
				t.Errorf("channel = limited until %v, status %s", ch.RateLimitedUntil, ch.Status)
			}
		})
	}
}

func TestAuthErrorsGoToHealthAndNothingElseDisconnects(t *testing.T) {
	f := &fakeNet{pageSize: 10, failAt: map[int]error{
		1: &network.Error{Class: network.ClassAuthDead, Message: "The access token was revoked."},
		2: &network.Error{Class: network.ClassContentRejected, Message: "odd"},
	}}
	f.add(3, network.InboxMention)
	r := newRig(t, f, f)
	r.syncNow()
	r.syncNow()
	if got := strings.Join(r.health.reports, ","); got != fmt.Sprintf("%d@3:auth_dead", r.ch.ID) {
		t.Errorf("health reports = %q", got)
	}
	ch, _ := r.chans.Get(context.Background(), r.ch.ID)
	if ch.Status != model.ChannelConnected {
		t.Errorf("the sync changed the channel's status to %s; only health may", ch.Status)
	}
}

func TestUnavailableIsRecordedAndProblemsAreLoggedWhileTheSyncGoesOn(t *testing.T) {
	f := &fakeNet{pageSize: 10, page: network.InboxPage{
		Problems:    []network.InboxProblem{{Stream: "notifications", RemoteID: "n9", Reason: "unknown notification type \"poll\""}},
		Unavailable: []network.Limitation{{Capability: network.CapDirectMessages, Text: "This app password cannot read direct messages; create one with DM access."}},
	}}
	f.add(4, network.InboxMention)
	f.items[1].Kind = "reaction" // a kind Herald cannot show
	f.items[2].CreatedAt = time.Time{}
	r := newRig(t, f, f)
	r.syncNow()
	st := r.state()
	var un []network.Limitation
	if err := json.Unmarshal([]byte(st.Unavailable), &un); err != nil || len(un) != 1 || un[0].Capability != network.CapDirectMessages {
		t.Fatalf("unavailable = %s (%v)", st.Unavailable, err)
	}
	if st.LastError != "" || r.rows() != 2 {
		t.Fatalf("last error %q, %d rows; want none and 2", st.LastError, r.rows())
	}
	logs := r.logs.String()
	for _, want := range []string{`unknown notification type \"poll\"`, `unknown kind \"reaction\"`, "has no time"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log does not give the reason %s:\n%s", want, logs)
		}
	}
}

func TestRefreshMarksDeletionsFromTheNetwork(t *testing.T) {
	f := &fakeNet{pageSize: 10, deleted: map[string]bool{"2": true}}
	f.add(3, network.InboxReply)
	r := newRig(t, refreshingNet{f}, f)
	r.clock = t0.Add(time.Hour)
	r.syncNow()
	if f.refreshes != 0 || r.state().LastRefreshAt == nil {
		t.Fatalf("the first sync checked the items it had just read (%d refreshes) or kept no refresh time", f.refreshes)
	}
	r.clock = r.clock.Add(RefreshEvery)
	r.syncNow()
	var deleted []string
	r.g.Model(&model.InboxItem{}).Where("deleted_at IS NOT NULL").Pluck("remote_id", &deleted)
	if strings.Join(deleted, ",") != "2" || f.refreshes != 1 {
		t.Fatalf("deleted = %v after %d refreshes", deleted, f.refreshes)
	}
	r.syncNow()
	if f.refreshes != 1 {
		t.Errorf("refreshed again within %s", RefreshEvery)
	}
}

func TestIntervalIsFastWhileActiveAndGrowsWhenQuiet(t *testing.T) {
	recent := t0.Add(-10 * time.Minute)
	old := t0.Add(-3 * time.Hour)
	cases := []struct {
		last     time.Duration
		activity *time.Time
		want     time.Duration
	}{
		{SlowInterval, &recent, FastInterval},
		{FastInterval, nil, 4 * time.Minute},
		{4 * time.Minute, &old, 8 * time.Minute},
		{16 * time.Minute, &old, SlowInterval},
		{SlowInterval, &old, SlowInterval},
	}
	for _, tc := range cases {
		if got := nextInterval(tc.last, tc.activity, t0); got != tc.want {
			t.Errorf("nextInterval(%s, %v) = %s, want %s", tc.last, tc.activity, got, tc.want)
		}
	}
}

func TestClipKeepsCharactersWhole(t *testing.T) {
	s := strings.Repeat("é", 10) // 2 bytes each
	if got := clip(s, 5); got != "éé…" {
		t.Errorf("clip = %q", got)
	}
	if got := clip("short", 10); got != "short" {
		t.Errorf("clip = %q", got)
	}
}

// TestABudgetHoldDoesNotParkTheChannel: when Herald's own request budget
// holds an inbox read back (to keep its reserve for publishing), nothing
// reached the network, so the channel is not parked — publishing goes on
// — and only the inbox waits until the budget opens.
func TestABudgetHoldDoesNotParkTheChannel(t *testing.T) {
	opens := t0.Add(4 * time.Minute)
	held := &network.Error{Class: network.ClassRateLimited, Message: "Herald is holding back requests", ResetAt: opens, Err: network.ErrNotSent}
	f := &fakeNet{pageSize: 10, failAt: map[int]error{1: held}}
	f.add(3, network.InboxMention)
	r := newRig(t, f, f)
	r.syncNow()
	st := r.state()
	if st.NextRunAt == nil || !st.NextRunAt.Equal(opens) || !strings.Contains(st.LastError, "for publishing") {
		t.Fatalf("state = %+v, want the next run when the budget opens, %s", st, opens)
	}
	ch, _ := r.chans.Get(context.Background(), r.ch.ID)
	if ch.RateLimitedUntil != nil {
		t.Errorf("the channel was parked until %v by Herald's own budget", ch.RateLimitedUntil)
	}
}

// TestANotificationOpensItsItem: a new item's notification has an Open
// button that leads to that item; a summary of many leads to the inbox.
func TestANotificationOpensItsItem(t *testing.T) {
	f := &fakeNet{pageSize: 10}
	r := newRig(t, f, f)
	var opened []int64
	r.s.d.OnOpen = func(id int64) { opened = append(opened, id) }
	r.syncNow() // the first sync: an empty backlog
	f.add(1, network.InboxReply)
	r.syncNow()
	f.add(notifyEach+1, network.InboxMention)
	r.syncNow()
	if r.notes.count() != 2 {
		t.Fatalf("%d notifications, want one for the reply and one summary", r.notes.count())
	}
	for _, n := range r.notes.ns {
		if len(n.Actions) != 1 || n.Actions[0].ID != "open" || n.OnAction == nil {
			t.Fatalf("notification %q has actions %+v", n.Title, n.Actions)
		}
		n.OnAction("open")
	}
	var reply model.InboxItem
	if err := r.g.Where("kind = ?", model.InboxKind(network.InboxReply)).Take(&reply).Error; err != nil {
		t.Fatal(err)
	}
	if len(opened) != 2 || opened[0] != reply.ID || opened[1] != 0 {
		t.Errorf("Open led to %v, want the reply (%d), then the inbox (0)", opened, reply.ID)
	}
}

// TestChannelNotificationSwitchAndRules: a channel with its notifications
// off stays quiet, except for the items a rule with "notify" matches; an
// item a rule marks done is not notified; the backlog never is, whatever
// the rules say, though their labels, status and team apply to it.
func TestChannelNotificationSwitchAndRules(t *testing.T) {
	ctx := context.Background()
	f := &fakeNet{pageSize: 10}
	f.add(2, network.InboxMention)
	f.items[0].Text = "urgent: the backlog"
	r := newRig(t, f, f)
	if _, err := r.inbox.CreateRule(ctx, store.RuleInput{Name: "Urgent", Enabled: true, TextContains: "urgent", Notify: true, AddLabel: "urgent"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.inbox.CreateRule(ctx, store.RuleInput{Name: "Quiet", Enabled: true, Kind: model.InboxKind(network.InboxQuote), MarkDone: true}); err != nil {
		t.Fatal(err)
	}
	r.syncNow() // the backlog
	var labelled int64
	r.g.Model(&model.InboxLabel{}).Where("label = 'urgent'").Count(&labelled)
	if r.notes.count() != 0 || labelled != 1 {
		t.Fatalf("backlog: %d notifications, %d labelled; want 0 and 1", r.notes.count(), labelled)
	}

	// Notifications on: a plain item notifies; one a rule marks done does not.
	f.add(1, network.InboxMention)
	f.add(1, network.InboxQuote)
	r.syncNow()
	if r.notes.count() != 1 || !strings.Contains(r.notes.ns[0].Body, "item 3") {
		t.Fatalf("with notifications on: %+v", r.notes.ns)
	}

	// Off: only the rule's item notifies.
	if _, err := r.chans.SetInboxMuted(ctx, r.ch.ID, true); err != nil {
		t.Fatal(err)
	}
	f.add(2, network.InboxReply)
	f.items[len(f.items)-1].Text = "URGENT please"
	r.syncNow()
	if r.notes.count() != 2 || !strings.Contains(r.notes.ns[1].Body, "URGENT please") {
		t.Fatalf("with notifications off: %+v", r.notes.ns)
	}

	// On again: every new item notifies again.
	if _, err := r.chans.SetInboxMuted(ctx, r.ch.ID, false); err != nil {
		t.Fatal(err)
	}
	f.add(1, network.InboxReply)
	r.syncNow()
	if r.notes.count() != 3 {
		t.Fatalf("with notifications on again: %d notifications", r.notes.count())
	}
}
