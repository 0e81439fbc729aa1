package service

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"herald/backend/apperr"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
)

// measuredNet is a network with a metric catalogue (the service reads
// only the catalogue; the readings are stored directly).
type measuredNet struct{ id, likes string }

func (n measuredNet) Descriptor() network.Descriptor { return network.Descriptor{ID: n.id, Name: n.id} }
func (n measuredNet) MetricCatalogue() network.MetricCatalogue {
	return network.MetricCatalogue{
		Metrics: []network.MetricDef{
			{Key: network.MetricFollowers, Label: "Followers", Unit: "accounts", Scope: network.ScopeChannel, Lifetime: true},
			{Key: network.MetricLikes, Label: n.likes, Unit: "interactions", Scope: network.ScopePost, Lifetime: true, Engagement: true},
			{Key: network.MetricShares, Label: "Shares", Unit: "interactions", Scope: network.ScopePost, Lifetime: true, Engagement: true},
		},
		Holes: []network.Limitation{{Capability: network.CapPostMetrics, Text: n.id + " does not count views."}},
	}
}
func (measuredNet) MetricsBatch() int { return 20 }
func (measuredNet) ReadChannelMetrics(context.Context, string, network.Credential) (network.MetricValues, error) {
	return nil, errors.New("not called")
}
func (measuredNet) ListOwnPosts(context.Context, string, network.Credential, time.Time, string) (network.OwnPostsPage, error) {
	return network.OwnPostsPage{}, errors.New("not called")
}
func (measuredNet) ReadPostMetrics(context.Context, string, network.Credential, []string) ([]network.PostMetrics, error) {
	return nil, errors.New("not called")
}

func (measuredNet) ReadPublicProfile(context.Context, string, network.Credential, string) (network.Profile, error) {
	return network.Profile{}, errors.New("not called")
}
func (measuredNet) ListAccountPosts(context.Context, string, network.Credential, string, time.Time, string) (network.OwnPostsPage, error) {
	return network.OwnPostsPage{}, errors.New("not called")
}

type syncStub struct{}

func (syncStub) SyncNow(context.Context, int64) error { return nil }
func (syncStub) Measurable(ch model.Channel) bool     { return ch.Network != "other" }

type measureRig struct {
	s       *Measure
	m       *store.Metrics
	clock   time.Time
	a, b    int64
	content map[string]int64
}

// newMeasureRig: channel a (net "alpha") and b (net "beta"), in Berlin
// time, with readings stored by the store as the sync stores them.
func newMeasureRig(t *testing.T) *measureRig {
	t.Helper()
	g := openDB(t, testConfig(t))
	r := &measureRig{clock: t0, content: map[string]int64{}}
	clock := func() time.Time { return r.clock }
	chans := store.NewChannels(g, clock)
	for i, n := range []string{"alpha", "beta"} {
		ch := model.Channel{Network: n, RemoteID: fmt.Sprint(i), Handle: n, DisplayName: "Shop " + n}
		if err := chans.Create(context.Background(), &ch); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			r.a = ch.ID
		} else {
			r.b = ch.ID
		}
	}
	r.m = store.NewMetrics(g, clock, network.MetricLikes, network.MetricShares)
	r.s = NewMeasure(MeasureDeps{DB: g, Metrics: r.m, Channels: chans, Audit: store.NewAudit(g, clock), Sync: syncStub{},
		Networks: network.NewRegistry(measuredNet{"alpha", "Favourites"}, measuredNet{"beta", "Likes"}), Now: clock})
	return r
}

func (r *measureRig) channel(t *testing.T, ch int64, at time.Time, followers int64) {
	t.Helper()
	if _, err := r.m.Sync(context.Background(), ch); err != nil {
		t.Fatal(err)
	}
	if err := r.m.RecordChannel(context.Background(), ch, at, store.Values{network.MetricFollowers: followers}, at); err != nil {
		t.Fatal(err)
	}
}

func (r *measureRig) post(t *testing.T, ch int64, id string, published, read time.Time, v store.Values) {
	t.Helper()
	if _, err := r.m.Sync(context.Background(), ch); err != nil {
		t.Fatal(err)
	}
	if _, err := r.m.AddContent(context.Background(), ch, []store.Found{{RemoteID: id, Text: "post " + id, PublishedAt: published, Values: v}}, read); err != nil {
		t.Fatal(err)
	}
}

var berlin = func() *time.Location { l, _ := time.LoadLocation("Europe/Berlin"); return l }()

func day(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, berlin) }

func vals(ps []Point) []string {
	var out []string
	for _, p := range ps {
		if p.Value == nil {
			out = append(out, "-")
		} else {
			out = append(out, fmt.Sprint(*p.Value))
		}
	}
	return out
}

func TestOverviewCountsTheUsersDaysAndComparesWithThePeriodBefore(t *testing.T) {
	r := newMeasureRig(t)
	// Followers: a 100 → 110 on March 3 → 120 on the 5th; b from the 4th.
	r.channel(t, r.a, day(1, 9), 100)
	r.channel(t, r.a, day(3, 9), 110)
	r.channel(t, r.a, day(5, 9), 120)
	r.channel(t, r.b, day(4, 9), 50)
	// A post at 00:30 Berlin on the 4th is the 3rd in UTC: it counts on the
	// user's 4th. Its first reading lands on its publication day.
	r.post(t, r.a, "p1", day(4, 0).Add(30*time.Minute), day(4, 10), store.Values{network.MetricLikes: 4, network.MetricShares: 1})
	r.post(t, r.b, "p2", day(5, 12), day(5, 13), store.Values{network.MetricLikes: 2})
	// The period before: one post on March 1 with 3 likes.
	r.post(t, r.a, "p0", day(1, 12), day(1, 13), store.Values{network.MetricLikes: 3})
	o, err := r.s.Overview(MeasureRange{From: "2026-03-03", To: "2026-03-05", TimeZone: "Europe/Berlin"})
	if err != nil {
		t.Fatal(err)
	}
	if o.PrevFrom != "2026-02-28" || o.PrevTo != "2026-03-02" {
		t.Errorf("previous period %s..%s", o.PrevFrom, o.PrevTo)
	}
	if got := fmt.Sprint(vals(o.Followers.Points)); got != "[110 160 170]" {
		t.Errorf("followers by day = %s", got)
	}
	if got := fmt.Sprint(vals(o.Posts.Points)); got != "[0 1 1]" {
		t.Errorf("posts by day = %s", got)
	}
	if got := fmt.Sprint(vals(o.Engagement.Points)); got != "[0 5 2]" {
		t.Errorf("engagement by day = %s", got)
	}
	kpi := map[string]KPI{}
	for _, k := range o.KPIs {
		kpi[k.Key] = k
	}
	check := func(key string, value, previous *float64) {
		t.Helper()
		k := kpi[key]
		if fmt.Sprint(deref(k.Value)) != fmt.Sprint(deref(value)) || fmt.Sprint(deref(k.Previous)) != fmt.Sprint(deref(previous)) {
			t.Errorf("%s = %v (previous %v), want %v (%v)", key, deref(k.Value), deref(k.Previous), deref(value), deref(previous))
		}
	}
	check("followers", num(170), num(100))
	// a grew 100 → 120; b, first read during the range, counts from its
	// first reading (50 → 50), not with its whole audience.
	check("growth", num(20), num(0))
	check("posts", num(2), num(1))
	check("engagement", num(7), num(3))
	check("engagement_rate", num(7.0/2/170*100), num(3.0/1/100*100))
	if len(o.Holes) != 2 || o.LastSync == "" {
		t.Errorf("holes %v, last sync %q", o.Holes, o.LastSync)
	}
	// One channel only, by id.
	o, err = r.s.Overview(MeasureRange{ChannelIDs: []int64{r.b}, From: "2026-03-03", To: "2026-03-05", TimeZone: "Europe/Berlin"})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(vals(o.Followers.Points)); got != "[- 50 50]" {
		t.Errorf("b's followers = %s (nothing before its first reading)", got)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return fmt.Sprintf("%.4f", *p)
}

func TestMeasureRefusesABadRangeWithTheField(t *testing.T) {
	r := newMeasureRig(t)
	for _, c := range []struct {
		in    MeasureRange
		field string
	}{
		{MeasureRange{From: "2026-3-1", To: "2026-03-02"}, "from"},
		{MeasureRange{From: "2026-03-02", To: "2026-03-01"}, "to"},
		{MeasureRange{From: "2020-01-01", To: "2026-03-01"}, "to"},
		{MeasureRange{From: "2026-03-01", To: "2026-03-02", TimeZone: "Mars/Olympus"}, "timeZone"},
	} {
		_, err := r.s.Overview(c.in)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Code != apperr.CodeInvalid || ae.Field != c.field {
			t.Errorf("%+v: %v, want invalid %s", c.in, err, c.field)
		}
	}
	if _, err := r.s.Content(ContentQuery{MeasureRange: MeasureRange{From: "2026-03-01", To: "2026-03-02"}, Sort: "views"}); err == nil {
		t.Error("sorting by a metric no network gives was accepted")
	}
}

func TestContentSortsByEngagementAndCatalogueMergesLabels(t *testing.T) {
	r := newMeasureRig(t)
	r.post(t, r.a, "quiet", day(2, 9), day(2, 10), store.Values{network.MetricLikes: 1})
	r.post(t, r.b, "loud", day(2, 11), day(2, 12), store.Values{network.MetricLikes: 9, network.MetricShares: 4})
	r.post(t, r.a, "unread", day(2, 13), day(2, 14), nil)
	page, err := r.s.Content(ContentQuery{MeasureRange: MeasureRange{From: "2026-03-02", To: "2026-03-02", TimeZone: "Europe/Berlin"}, Sort: "engagement", Desc: true})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, row := range page.Rows {
		order = append(order, row.Excerpt)
	}
	if fmt.Sprint(order) != "[post loud post quiet post unread]" || page.Total != 3 {
		t.Errorf("by engagement: %v (total %d)", order, page.Total)
	}
	if page.Rows[2].Engagement != nil || len(page.Rows[2].Metrics) != 0 {
		t.Errorf("a post never read shows %v / %v, want nothing", page.Rows[2].Engagement, page.Rows[2].Metrics)
	}
	if page.Rows[0].ChannelName == "" || page.Rows[0].Network != "beta" {
		t.Errorf("row %+v", page.Rows[0])
	}
	var labels []string
	for _, c := range page.Columns {
		labels = append(labels, c.Label)
	}
	if fmt.Sprint(labels) != "[Favourites / Likes Shares]" {
		t.Errorf("columns %v", labels)
	}
	curve, err := r.s.Curve(page.Rows[0].ID)
	if err != nil || len(curve.Series[network.MetricLikes]) != 1 || curve.Item.Metrics[network.MetricShares] != 4 {
		t.Errorf("curve %+v, %v", curve, err)
	}
}

func TestBestTimesRestOnTheUsersHoursWithAKnownAnswer(t *testing.T) {
	r := newMeasureRig(t)
	at := func(m, d, h int) time.Time { return time.Date(2026, time.Month(m), d, h, 0, 0, 0, berlin) }
	n := 0
	add := func(when time.Time, likes int64) {
		n++
		r.post(t, r.a, fmt.Sprint("bt", n), when, when.Add(time.Hour), store.Values{network.MetricLikes: likes})
	}
	// Tuesdays 09:00 Berlin: 3 posts, 10 each. Fridays 18:00: 4 posts, 20
	// each, the last after the clocks went forward (29 March): still 18:00
	// for the user. One Sunday 07:00 post with 100: too few to suggest.
	for _, d := range []int{3, 10, 17} {
		add(at(3, d, 9), 10)
	}
	for _, d := range []time.Time{at(3, 13, 18), at(3, 20, 18), at(3, 27, 18), at(4, 3, 18)} {
		add(d, 20)
	}
	add(at(3, 8, 7), 100)
	bt, err := r.s.BestTimes(MeasureRange{From: "2026-03-01", To: "2026-04-05", TimeZone: "Europe/Berlin"})
	if err != nil {
		t.Fatal(err)
	}
	if bt.Posts != 8 {
		t.Errorf("rests on %d posts", bt.Posts)
	}
	if len(bt.Suggested) != 2 || bt.Suggested[0].Weekday != 5 || bt.Suggested[0].Hour != 18 || bt.Suggested[0].Posts != 4 ||
		bt.Suggested[1].Weekday != 2 || bt.Suggested[1].Hour != 9 || bt.Suggested[1].Average != 10 {
		t.Errorf("suggested %+v, want Friday 18:00 (4 posts) then Tuesday 9:00", bt.Suggested)
	}
	if c := bt.Cells[0*24+7]; c.Posts != 1 || c.Average != 100 {
		t.Errorf("Sunday 7:00 = %+v", c)
	}
}

func TestExportCSVWritesWhatTheDashboardShows(t *testing.T) {
	r := newMeasureRig(t)
	r.channel(t, r.a, day(2, 9), 100)
	r.post(t, r.a, "p1", day(2, 10), day(2, 11), store.Values{network.MetricLikes: 4})
	r.post(t, r.b, "p2", day(2, 12), day(2, 13), store.Values{network.MetricShares: 2})
	if _, err := r.m.AddContent(context.Background(), r.a, []store.Found{{RemoteID: "p3", Text: "=HYPERLINK(\"x\")", PublishedAt: day(2, 14)}}, day(2, 15)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	q := ContentQuery{MeasureRange: MeasureRange{From: "2026-03-02", To: "2026-03-02", TimeZone: "Europe/Berlin"}, Sort: "published"}
	read := func(kind string) string {
		t.Helper()
		path := filepath.Join(dir, kind+".csv")
		r.s.chooser = pickPath(path)
		res, err := r.s.ExportCSV(MeasureExport{Kind: kind, Query: q})
		if err != nil || res.Path != path {
			t.Fatalf("ExportCSV(%s) = %+v, %v", kind, res, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	content := read("content")
	want := "published_at_utc,channel,network,url,text,reply,deleted,herald_post_id,likes,shares,engagement\n" +
		"2026-03-02T09:00:00Z,Shop alpha,alpha,,post p1,false,false,,4,,4\n" +
		"2026-03-02T11:00:00Z,Shop beta,beta,,post p2,false,false,,,2,2\n" +
		"2026-03-02T13:00:00Z,Shop alpha,alpha,,\"'=HYPERLINK(\"\"x\"\")\",false,false,,,,\n"
	if content != want {
		t.Errorf("content CSV:\n%s\nwant:\n%s", content, want)
	}
	overview := read("overview")
	if !strings.HasPrefix(overview, "date,followers,posts_published,engagement\n2026-03-02,100,3,6\n") || !strings.Contains(overview, "followers,100,,2026-03-02..2026-03-02,2026-03-01..2026-03-01\n") {
		t.Errorf("overview CSV:\n%s", overview)
	}
	best := read("best_times")
	if lines := strings.Count(best, "\n"); lines != 1+7*24 || !strings.Contains(best, "Monday,10:00,1,4.00\n") {
		t.Errorf("best times CSV has %d lines:\n%.300s", lines, best)
	}
	if _, err := r.s.ExportCSV(MeasureExport{Kind: "pdf", Query: q}); err == nil {
		t.Error("an unknown kind was exported")
	}
}

func TestDashboardsAreSavedWithTheirAuditLineAndRefusedWithTheReason(t *testing.T) {
	r := newMeasureRig(t)
	spec := store.DashboardSpec{Range: "28d", Widgets: []store.Widget{{ID: "w1", Type: "top_posts", Metric: network.MetricShares, Size: "m"}}}
	d, err := r.s.CreateDashboard("Launch week", spec)
	if err != nil || d.ID == 0 || d.Spec.Widgets[0].Metric != network.MetricShares {
		t.Fatalf("CreateDashboard = %+v, %v", d, err)
	}
	spec.Widgets[0].Metric = "views" // no network gives it
	_, err = r.s.UpdateDashboard(d.ID, "Launch week", spec)
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.CodeInvalid || !strings.Contains(ae.Message, "cannot show") {
		t.Errorf("a widget of a metric no network gives: %v", err)
	}
	if _, err := r.s.CreateDashboard("Second", store.DashboardSpec{Range: "7d"}); err != nil {
		t.Fatal(err)
	}
	list, err := r.s.MoveDashboard(d.ID, 2)
	if err != nil || len(list) != 2 || list[1].ID != d.ID {
		t.Errorf("MoveDashboard = %+v, %v", list, err)
	}
	if err := r.s.DeleteDashboard(d.ID); err != nil {
		t.Fatal(err)
	}
	if err := r.s.DeleteDashboard(d.ID); !errors.As(err, &ae) || ae.Code != apperr.CodeNotFound {
		t.Errorf("deleting it twice: %v", err)
	}
	var events []string
	r.s.db.Raw(`SELECT event FROM audit_log ORDER BY id`).Scan(&events)
	if fmt.Sprint(events) != "[dashboard.created dashboard.created dashboard.deleted]" {
		t.Errorf("audit = %v", events)
	}
}

func TestDenseDownsamplesEachChannelToTwiceTheWidth(t *testing.T) {
	r := newMeasureRig(t)
	r.clock = day(31, 0)
	for i := range 600 {
		at := day(1, 0).Add(time.Duration(i) * time.Hour)
		r.channel(t, r.a, at, int64(1000+i%7*(i/50)))
	}
	r.channel(t, r.b, day(10, 0), 5)
	ds, err := r.s.Dense(MeasureRange{From: "2026-03-01", To: "2026-03-30", TimeZone: "Europe/Berlin"}, network.MetricFollowers, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Channels) != 2 {
		t.Fatalf("%d channels", len(ds.Channels))
	}
	a, b := ds.Channels[0], ds.Channels[1]
	if len(a.X) != 200 || a.Read <= 200 || a.X[0] != day(1, 0).Unix() {
		t.Errorf("channel a: %d points of %d read, first at %d", len(a.X), a.Read, a.X[0])
	}
	if len(b.X) != 2 || b.Y[0] != 5 || b.Y[1] != 5 || b.X[1] != day(31, 0).Unix() {
		t.Errorf("channel b: %+v (its level held to now)", b)
	}
	if _, err := r.s.Dense(MeasureRange{From: "2026-03-01", To: "2026-03-30"}, network.MetricLikes, 100); err == nil {
		t.Error("a post metric was read as a channel series")
	}
}

func TestWatchlistComparesWatchedAccountsWithTheChannels(t *testing.T) {
	r := newMeasureRig(t)
	r.channel(t, r.a, day(1, 9), 100)
	r.channel(t, r.a, day(3, 9), 130)
	r.post(t, r.a, "mine", day(2, 9), day(2, 10), store.Values{network.MetricLikes: 6})
	v, err := r.s.Watch(r.a, network.Profile{RemoteID: "901", Handle: "@rival@social.example", DisplayName: "Rival"})
	if err != nil || v.Handle != "@rival@social.example" || v.Followers != nil {
		t.Fatalf("Watch = %+v, %v", v, err)
	}
	if again, err := r.s.Watch(r.a, network.Profile{RemoteID: "901", Handle: "@rival@social.example"}); err != nil || again.ID != v.ID {
		t.Errorf("watching it again = %+v, %v; want the same entry", again, err)
	}
	if _, err := r.s.Watch(r.a, network.Profile{RemoteID: "", Handle: "@x"}); err == nil {
		t.Error("an account without an id was watched")
	}
	// What the sync stores for it: counts, and two posts.
	list, _ := r.m.Watched(context.Background(), 0)
	w := list[0]
	if err := r.m.RecordWatched(context.Background(), w, day(1, 12), store.Values{network.MetricFollowers: 900}, day(1, 18)); err != nil {
		t.Fatal(err)
	}
	if err := r.m.RecordWatched(context.Background(), w, day(3, 12), store.Values{network.MetricFollowers: 950}, day(3, 18)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.m.AddWatchedContent(context.Background(), w, []store.Found{
		{RemoteID: "r1", Text: "Winter sale", PublishedAt: day(2, 8), Values: store.Values{network.MetricLikes: 10}},
		{RemoteID: "r2", Text: "New hats", PublishedAt: day(3, 8), Values: store.Values{network.MetricLikes: 20, network.MetricShares: 4}},
	}, day(3, 12)); err != nil {
		t.Fatal(err)
	}
	rows, err := r.s.Compare(MeasureRange{ChannelIDs: []int64{r.a}, From: "2026-03-02", To: "2026-03-03", TimeZone: "Europe/Berlin"})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, x := range rows {
		got = append(got, fmt.Sprintf("%s %s f=%v g=%v p=%d e=%v", x.Kind, x.Name, deref(x.Followers), deref(x.Growth), x.Posts, deref(x.EngagementPerPost)))
	}
	want := []string{"channel Shop alpha f=130.0000 g=30.0000 p=1 e=6.0000", "watched @rival@social.example f=950.0000 g=50.0000 p=2 e=17.0000"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("compare:\n%v\nwant\n%v", got, want)
	}
	// The rival's posts stay out of the channel's own figures.
	o, _ := r.s.Overview(MeasureRange{From: "2026-03-02", To: "2026-03-03", TimeZone: "Europe/Berlin"})
	for _, k := range o.KPIs {
		if k.Key == "posts" && *k.Value != 1 {
			t.Errorf("the overview counts %v posts, want the channel's 1", *k.Value)
		}
	}
	wl, _ := r.s.Watchlist()
	if len(wl) != 1 || wl[0].Followers == nil || *wl[0].Followers != 950 {
		t.Errorf("watchlist = %+v", wl)
	}
	if err := r.s.Unwatch(v.ID); err != nil {
		t.Fatal(err)
	}
	var n int64
	r.s.db.Raw(`SELECT count(*) FROM content_items WHERE watch_id IS NOT NULL`).Scan(&n)
	if n != 0 {
		t.Errorf("%d of the rival's posts kept after unwatching", n)
	}
}
