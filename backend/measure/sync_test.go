package measure

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"herald/backend/db"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// fakeNet is a network whose channel has numbered posts with counts; it
// lists them newest first, a page at a time (cursor: the index to go on
// from), and reads counts in batches of 3.
type fakeNet struct {
	mu        sync.Mutex
	followers int64
	posts     []fakePost // oldest first
	pageSize  int
	fail      map[string]error // op ("channel", "list", "read:<first id>") → error, once
	calls     []string
	others    map[string]*fakeAccount // public accounts by id
}

type fakeAccount struct {
	handle    string
	followers int64
	posts     []fakePost
	gone      bool
}

func (f *fakeNet) ReadPublicProfile(_ context.Context, _ string, _ network.Credential, id string) (network.Profile, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.failing("profile:" + id); err != nil {
		return network.Profile{}, err
	}
	a, ok := f.others[id]
	if !ok || a.gone {
		return network.Profile{}, &network.Error{Class: network.ClassInvalidInput, Code: "not_found", Message: "This account no longer exists on the server."}
	}
	n := int64(len(a.posts))
	return network.Profile{RemoteID: id, Handle: a.handle, DisplayName: "Rival", Followers: &a.followers, Posts: &n}, nil
}

func (f *fakeNet) ListAccountPosts(_ context.Context, _ string, _ network.Credential, id string, since time.Time, cursor string) (network.OwnPostsPage, error) {
	f.mu.Lock()
	a, ok := f.others[id]
	f.mu.Unlock()
	if !ok || a.gone {
		return network.OwnPostsPage{}, &network.Error{Class: network.ClassInvalidInput, Code: "not_found", Message: "This account no longer exists on the server."}
	}
	g := &fakeNet{posts: a.posts, pageSize: f.pageSize, fail: map[string]error{}}
	return g.ListOwnPosts(context.Background(), "", network.Credential{}, since, cursor)
}

type fakePost struct {
	id      string
	at      time.Time
	likes   int64
	shares  *int64 // nil: the network does not give it for this post
	deleted bool
}

func (f *fakeNet) Descriptor() network.Descriptor {
	return network.Descriptor{ID: "fake", Name: "Fake"}
}
func (f *fakeNet) MetricsBatch() int { return 3 }

func (f *fakeNet) failing(op string) error {
	f.calls = append(f.calls, op)
	if err, ok := f.fail[op]; ok {
		delete(f.fail, op)
		return err
	}
	return nil
}

func (f *fakeNet) ReadChannelMetrics(context.Context, string, network.Credential) (network.MetricValues, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.failing("channel"); err != nil {
		return nil, err
	}
	live := int64(0)
	for _, p := range f.posts {
		if !p.deleted {
			live++
		}
	}
	return network.MetricValues{network.MetricFollowers: f.followers, network.MetricPosts: live}, nil
}

func (f *fakeNet) values(p fakePost) network.MetricValues {
	v := network.MetricValues{network.MetricLikes: p.likes}
	if p.shares != nil {
		v[network.MetricShares] = *p.shares
	}
	return v
}

func (f *fakeNet) ListOwnPosts(_ context.Context, _ string, _ network.Credential, since time.Time, cursor string) (network.OwnPostsPage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.failing("list"); err != nil {
		return network.OwnPostsPage{}, err
	}
	start := 0
	if cursor != "" {
		start, _ = strconv.Atoi(cursor)
	}
	var out network.OwnPostsPage
	i := start
	for ; i < len(f.posts) && len(out.Posts) < f.pageSize; i++ {
		p := f.posts[len(f.posts)-1-i]
		if p.at.Before(since) {
			return out, nil
		}
		if p.deleted {
			continue
		}
		out.Posts = append(out.Posts, network.OwnPost{RemoteID: p.id, URL: "https://fake.example/" + p.id, Text: "post " + p.id, CreatedAt: p.at, Metrics: f.values(p)})
	}
	if i < len(f.posts) && !f.posts[len(f.posts)-1-i].at.Before(since) {
		out.More, out.Cursor = true, strconv.Itoa(i)
	}
	return out, nil
}

func (f *fakeNet) ReadPostMetrics(_ context.Context, _ string, _ network.Credential, ids []string) ([]network.PostMetrics, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(ids) > 3 {
		return nil, fmt.Errorf("a batch of %d", len(ids))
	}
	if err := f.failing("read:" + ids[0]); err != nil {
		return nil, err
	}
	var out []network.PostMetrics
	for _, id := range ids {
		pm := network.PostMetrics{RemoteID: id, Deleted: true}
		all := append([]fakePost(nil), f.posts...)
		for _, a := range f.others {
			all = append(all, a.posts...)
		}
		for _, p := range all {
			if p.id == id && !p.deleted {
				pm = network.PostMetrics{RemoteID: id, Metrics: f.values(p)}
			}
		}
		out = append(out, pm)
	}
	return out, nil
}

func (f *fakeNet) add(n int, every time.Duration, before time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range n {
		k := len(f.posts) + 1
		f.posts = append(f.posts, fakePost{id: fmt.Sprintf("p%d", k), at: before.Add(-time.Duration(n-i) * every), likes: int64(k)})
	}
}

func (f *fakeNet) set(id string, fn func(p *fakePost)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.posts {
		if f.posts[i].id == id {
			fn(&f.posts[i])
		}
	}
}

type fakeCreds struct{}

func (fakeCreds) Fresh(context.Context, model.Channel) (network.Credential, error) {
	return network.Credential{AccessToken: "token", Generation: 3}, nil
}

type fakeHealth struct{ reports []string }

func (h *fakeHealth) ReportErrorAt(_ context.Context, id, gen int64, err error) bool {
	h.reports = append(h.reports, fmt.Sprintf("%d@%d:%s", id, gen, network.ClassOf(err)))
	return true
}

type rig struct {
	t      *testing.T
	g      *gorm.DB
	clock  time.Time
	net    *fakeNet
	health *fakeHealth
	s      *Syncer
	ch     model.Channel
	chans  *store.Channels
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{t: t, clock: t0, net: &fakeNet{pageSize: 4, fail: map[string]error{}}, health: &fakeHealth{}}
	now := func() time.Time { return r.clock }
	dir := t.TempDir()
	g, _, err := db.Open(context.Background(), db.Options{Path: filepath.Join(dir, "herald.db"), BackupDir: filepath.Join(dir, "b"), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(g) })
	r.g, r.chans = g, store.NewChannels(g, now)
	r.ch = model.Channel{Network: "fake", RemoteID: "1", Handle: "shop", DisplayName: "Shop"}
	if err := r.chans.Create(context.Background(), &r.ch); err != nil {
		t.Fatal(err)
	}
	r.s = New(Deps{Store: store.NewMetrics(g, now, network.MetricLikes, network.MetricShares), Channels: r.chans, Credentials: fakeCreds{}, Health: r.health,
		RateLimits: store.NewRateLimits(g, now), Networks: network.NewRegistry(r.net), Now: now,
		Log: slog.New(slog.NewJSONHandler(&bytes.Buffer{}, nil))})
	return r
}

// latest is every live post's latest counts: "p1 likes=1 shares=2".
func (r *rig) latest() []string {
	var rows []struct {
		RemoteID string
		Metric   string
		Value    int64
	}
	r.g.Raw(`SELECT c.remote_id, l.metric, l.value FROM content_latest l JOIN content_items c ON c.id = l.content_id ORDER BY c.id, l.metric`).Scan(&rows)
	var out []string
	for _, x := range rows {
		out = append(out, fmt.Sprintf("%s %s=%d", x.RemoteID, x.Metric, x.Value))
	}
	sort.Strings(out)
	return out
}

func (r *rig) items() []model.ContentItem {
	var out []model.ContentItem
	r.g.Order("id").Find(&out)
	return out
}

func (r *rig) state() model.MetricSync {
	st, err := store.NewMetrics(r.g, func() time.Time { return r.clock }).Sync(context.Background(), r.ch.ID)
	if err != nil {
		r.t.Fatal(err)
	}
	return st
}

func TestFirstRunBackfillsNinetyDaysAndReadsTheChannel(t *testing.T) {
	r := newRig(t)
	r.net.followers = 42
	r.net.add(3, 24*time.Hour, t0.Add(-100*24*time.Hour)) // too old
	r.net.add(10, 24*time.Hour, t0)                       // the last ten days
	r.s.Tick(context.Background())
	items := r.items()
	if len(items) != 10 {
		t.Fatalf("backfill stored %d posts, want the 10 of the last 90 days", len(items))
	}
	st := r.state()
	if st.BackfilledAt == nil || st.ChannelReadAt == nil || st.LastError != "" {
		t.Errorf("after the first run: %+v", st)
	}
	var followers []int64
	r.g.Raw(`SELECT value FROM channel_metrics WHERE metric = 'followers'`).Scan(&followers)
	if len(followers) != 1 || followers[0] != 42 {
		t.Errorf("followers stored %v, want [42]", followers)
	}
	// Each post's first reading came with the listing: exact, no zeros
	// for what was not given.
	got := r.latest()
	if len(got) != 10 || got[0] != "p10 likes=10" || got[9] != "p9 likes=9" {
		t.Errorf("latest = %v", got)
	}
	// A second tick right away reads nothing: nothing is due.
	r.net.calls = nil
	r.s.Tick(context.Background())
	if len(r.net.calls) != 0 {
		t.Errorf("a tick with nothing due called %v", r.net.calls)
	}
}

func TestPostsAreReadByAgeAndAFailedBatchLosesNoOther(t *testing.T) {
	r := newRig(t)
	r.net.add(7, time.Minute, t0) // seven posts of the last minutes: read hourly
	r.s.Tick(context.Background())
	r.net.set("p7", func(p *fakePost) { p.likes = 70; two := int64(2); p.shares = &two })
	r.net.set("p1", func(p *fakePost) { p.likes = 10 })
	r.net.set("p4", func(p *fakePost) { p.deleted = true })
	r.clock = t0.Add(time.Hour)
	// The batch holding p4..p6 (read in order of due time: p7 first) fails.
	due, _ := store.NewMetrics(r.g, func() time.Time { return r.clock }).DuePosts(context.Background(), r.ch.ID, r.clock, 10)
	if len(due) != 7 {
		t.Fatalf("%d posts due after an hour, want 7", len(due))
	}
	second := due[3].RemoteID
	r.net.fail["read:"+second] = &network.Error{Class: network.ClassTransient, Status: 503, Message: "service unavailable"}
	r.s.Tick(context.Background())
	latest := map[string]bool{}
	for _, l := range r.latest() {
		latest[l] = true
	}
	failed := map[string]bool{}
	for _, p := range due[3:6] {
		failed[p.RemoteID] = true
	}
	for _, want := range []string{"p7 likes=70", "p7 shares=2", "p1 likes=10"} {
		id := want[:2]
		if failed[id] {
			continue
		}
		if !latest[want] {
			t.Errorf("latest lacks %q: %v", want, r.latest())
		}
	}
	st := r.state()
	if st.LastError == "" {
		t.Error("the failed batch left no error to show")
	}
	// The failed batch is read again after RetryAfter; then everything is
	// exact, and the deleted post is marked and no longer read.
	r.clock = r.clock.Add(RetryAfter)
	r.s.Tick(context.Background())
	want := []string{"p1 likes=10", "p2 likes=2", "p3 likes=3", "p4 likes=4", "p5 likes=5", "p6 likes=6", "p7 likes=70", "p7 shares=2"}
	if got := r.latest(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("latest = %v\nwant     %v", got, want)
	}
	for _, it := range r.items() {
		if (it.RemoteID == "p4") != (it.DeletedAt != nil) {
			t.Errorf("%s deleted_at = %v", it.RemoteID, it.DeletedAt)
		}
		if it.RemoteID == "p4" && it.NextPollAt != nil {
			t.Errorf("the deleted post is still read at %v", it.NextPollAt)
		}
	}
	if st := r.state(); st.LastError != "" {
		t.Errorf("after a clean run the error is still %q", st.LastError)
	}
}

func TestRateLimitParksTheChannelAndADeadSignInIsReported(t *testing.T) {
	r := newRig(t)
	r.net.add(2, time.Minute, t0)
	reset := t0.Add(20 * time.Minute)
	r.net.fail["channel"] = &network.Error{Class: network.ClassRateLimited, Status: 429, Message: "rate limited", ResetAt: reset}
	r.s.Tick(context.Background())
	if got := r.net.calls; fmt.Sprint(got) != "[channel]" {
		t.Errorf("after a 429 the run went on with %v", got)
	}
	ch, _ := r.chans.Get(context.Background(), r.ch.ID)
	if ch.RateLimitedUntil == nil || !ch.RateLimitedUntil.Equal(reset) {
		t.Errorf("channel parked until %v, want %v", ch.RateLimitedUntil, reset)
	}
	r.net.calls = nil
	r.clock = t0.Add(10 * time.Minute)
	r.s.Tick(context.Background())
	if len(r.net.calls) != 0 {
		t.Errorf("a parked channel was read: %v", r.net.calls)
	}
	r.clock = reset.Add(time.Second)
	r.net.fail["list"] = &network.Error{Class: network.ClassAuthDead, Status: 401, Message: "The access token was revoked"}
	r.s.Tick(context.Background())
	if fmt.Sprint(r.health.reports) != fmt.Sprintf("[%d@3:auth_dead]", r.ch.ID) {
		t.Errorf("health reports = %v", r.health.reports)
	}
	if st := r.state(); st.BackfilledAt != nil || st.LastError == "" {
		t.Errorf("after a dead sign-in the backfill is %v, error %q", st.BackfilledAt, st.LastError)
	}
}

func TestBackfillResumesWhereItStoppedAndListingFindsNewPosts(t *testing.T) {
	r := newRig(t)
	r.net.add(30, time.Hour, t0) // 30 posts, 4 a page: 8 pages, 5 a run
	r.s.Tick(context.Background())
	if n := len(r.items()); n != 20 {
		t.Fatalf("first run stored %d posts, want 5 pages of 4", n)
	}
	if st := r.state(); st.BackfilledAt != nil || st.BackfillCursor == "" {
		t.Fatalf("backfill after one run: %+v", st)
	}
	r.clock = t0.Add(time.Minute)
	r.s.Tick(context.Background())
	if n := len(r.items()); n != 30 {
		t.Fatalf("second run: %d posts, want 30", n)
	}
	if st := r.state(); st.BackfilledAt == nil || st.ListedTo == nil || !st.ListedTo.Equal(t0.Add(-time.Hour)) {
		t.Fatalf("after the backfill: %+v", st)
	}
	// A post written on the network's own site appears at the next
	// listing, once.
	r.net.mu.Lock()
	r.net.posts = append(r.net.posts, fakePost{id: "elsewhere", at: t0.Add(2 * time.Hour), likes: 5})
	r.net.mu.Unlock()
	r.clock = t0.Add(ListEvery + 2*time.Minute)
	r.s.Tick(context.Background())
	r.clock = r.clock.Add(ListEvery + time.Minute)
	r.s.Tick(context.Background())
	var ids []string
	for _, it := range r.items() {
		ids = append(ids, it.RemoteID)
	}
	sort.Strings(ids)
	n := 0
	for _, id := range ids {
		if id == "elsewhere" {
			n++
		}
	}
	if n != 1 || len(ids) != 31 {
		t.Errorf("after two listings: %d posts, the new one %d times", len(ids), n)
	}
}

func TestHeraldsPublishedPostsAreMeasuredFromTheirFirstHour(t *testing.T) {
	r := newRig(t)
	publish := func(remote string, at time.Time) {
		t.Helper()
		post := model.Post{Status: model.PostPublished, TimeZone: "UTC", Origin: "app", MissedPolicy: "publish_late", CreatedAt: at, UpdatedAt: at}
		if err := r.g.Create(&post).Error; err != nil {
			t.Fatal(err)
		}
		tg := model.PostTarget{PostID: post.ID, ChannelID: r.ch.ID, Status: model.TargetPublished, PublishedAt: &at, RemoteID: remote,
			RemoteURL: "https://fake.example/" + remote, Body: "Herald's " + remote, IdempotencyKey: remote, Thread: "[]", ItemIDs: "[]", CreatedAt: at, UpdatedAt: at}
		if err := r.g.Create(&tg).Error; err != nil {
			t.Fatal(err)
		}
		r.net.mu.Lock()
		r.net.posts = append(r.net.posts, fakePost{id: remote, at: at, likes: 7})
		r.net.mu.Unlock()
	}
	r.s.Tick(context.Background()) // the channel's first run: nothing yet
	publish("h1", t0.Add(time.Minute))
	r.clock = t0.Add(2 * time.Minute)
	r.s.Tick(context.Background())
	publish("h2", t0.Add(3*time.Minute))
	r.clock = t0.Add(4 * time.Minute)
	r.s.Tick(context.Background())
	items := r.items()
	if len(items) != 2 || items[0].PostTargetID == nil || items[1].PostTargetID == nil {
		t.Fatalf("content = %+v, want both of Herald's posts linked to their targets", items)
	}
	if items[0].NextPollAt == nil || !items[0].NextPollAt.Equal(t0.Add(time.Minute+time.Hour)) {
		t.Errorf("h1 is first read at %v, want an hour after it was published", items[0].NextPollAt)
	}
	r.clock = t0.Add(62 * time.Minute)
	r.s.Tick(context.Background())
	if got := r.latest(); fmt.Sprint(got) != "[h1 likes=7]" {
		t.Errorf("after the first hour: %v", got)
	}
}

func TestWatchedAccountsAreReadLikeTheChannelAndKeptApart(t *testing.T) {
	r := newRig(t)
	r.net.add(2, time.Hour, t0)
	r.net.others = map[string]*fakeAccount{"rival": {handle: "@rival@fake.example", followers: 900, posts: []fakePost{
		{id: "r-old", at: t0.Add(-40 * 24 * time.Hour), likes: 50},
		{id: "r1", at: t0.Add(-2 * 24 * time.Hour), likes: 12},
		{id: "r2", at: t0.Add(-time.Hour), likes: 3},
	}}}
	m := store.NewMetrics(r.g, func() time.Time { return r.clock }, network.MetricLikes)
	w, created, err := m.Watch(context.Background(), model.WatchedAccount{ChannelID: r.ch.ID, RemoteID: "rival", Handle: "@rival"})
	if err != nil || !created {
		t.Fatalf("Watch = %v, %v", created, err)
	}
	r.s.Tick(context.Background())
	list, _ := m.Watched(context.Background(), 0)
	if len(list) != 1 || list[0].Handle != "@rival@fake.example" || list[0].ReadAt == nil || list[0].ListedTo == nil {
		t.Fatalf("after the first run the watchlist is %+v", list)
	}
	if v, ok, _ := m.WatchedLevel(context.Background(), w.ID, network.MetricFollowers, r.clock); !ok || v != 900 {
		t.Errorf("the rival's followers = %d (%v), want 900", v, ok)
	}
	// Its posts of the last 30 days are kept with their counts, and stay
	// out of the channel's own figures.
	stats, err := m.WatchedPostStats(context.Background(), w.ID, t0.Add(-30*24*time.Hour), t0)
	if err != nil || stats.Posts != 2 || stats.Engagement != 15 {
		t.Errorf("the rival's posts = %+v, %v; want 2 posts with 15 likes", stats, err)
	}
	own, _ := m.ChannelPostStats(context.Background(), []int64{r.ch.ID}, t0.Add(-30*24*time.Hour), t0.Add(time.Hour))
	if own.Posts != 2 {
		t.Errorf("the channel's own posts = %+v, want its 2", own)
	}
	// The rival's posts are read again by age, like the channel's own.
	r.net.others["rival"].posts[2].likes = 8
	r.clock = t0.Add(2 * time.Hour)
	r.s.Tick(context.Background())
	if stats, _ := m.WatchedPostStats(context.Background(), w.ID, t0.Add(-30*24*time.Hour), t0); stats.Engagement != 20 {
		t.Errorf("after a later reading the rival's engagement = %d, want 20", stats.Engagement)
	}
	// An account that is gone is marked, and the channel is not.
	r.net.others["rival"].gone = true
	r.clock = t0.Add(WatchEvery + 3*time.Hour)
	r.s.Tick(context.Background())
	list, _ = m.Watched(context.Background(), 0)
	if list[0].LastError == "" || list[0].NextAt == nil || list[0].NextAt.Before(r.clock.Add(23*time.Hour)) {
		t.Errorf("a gone account: %+v", list[0])
	}
	if st := r.state(); st.LastError != "" {
		t.Errorf("the channel shows %q for a watched account's problem", st.LastError)
	}
}

func TestSyncNowReadsRecentPostsBeforeTheirTime(t *testing.T) {
	r := newRig(t)
	r.net.add(2, time.Hour, t0)
	r.s.Tick(context.Background())
	r.net.set("p2", func(p *fakePost) { p.likes = 40 })
	r.clock = t0.Add(5 * time.Minute) // nothing is due for most of an hour
	r.s.Tick(context.Background())
	if got := r.latest(); fmt.Sprint(got) != "[p1 likes=1 p2 likes=2]" {
		t.Fatalf("a tick read posts before their time: %v", got)
	}
	if err := r.s.SyncNow(context.Background(), r.ch.ID); err != nil {
		t.Fatal(err)
	}
	if got := r.latest(); fmt.Sprint(got) != "[p1 likes=1 p2 likes=40]" {
		t.Errorf("after Sync now: %v", got)
	}
}
