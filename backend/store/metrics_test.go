package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"herald/backend/model"
)

func metricsWith(t testing.TB, clock *time.Time) (*Metrics, *Targets, int64) {
	t.Helper()
	tt, ok := t.(*testing.T)
	if !ok {
		panic("metricsWith needs a *testing.T")
	}
	g := openDB(tt)
	now := func() time.Time { return *clock }
	ch := model.Channel{Network: "mastodon", Instance: "https://m.example", RemoteID: "1", Handle: "shop"}
	if err := NewChannels(g, now).Create(context.Background(), &ch); err != nil {
		t.Fatal(err)
	}
	m := NewMetrics(g, now, "likes", "shares")
	if _, err := m.Sync(context.Background(), ch.ID); err != nil {
		t.Fatal(err)
	}
	return m, NewTargets(g, now), ch.ID
}

func TestNextPollFollowsAgeAndBacksOffWhileQuiet(t *testing.T) {
	pub := t0
	for _, c := range []struct {
		age   time.Duration
		quiet int
		want  time.Duration // after the reading; -1: never again
	}{
		{0, 0, time.Hour},
		{23 * time.Hour, 0, time.Hour},
		{23 * time.Hour, 2, 4 * time.Hour},
		{23 * time.Hour, 9, 8 * time.Hour}, // at most 8×
		{2 * 24 * time.Hour, 0, 6 * time.Hour},
		{10 * 24 * time.Hour, 1, 48 * time.Hour},
		{10 * 24 * time.Hour, 3, 7 * 24 * time.Hour}, // never past a week
		{40 * 24 * time.Hour, 3, 7 * 24 * time.Hour},
		{88 * 24 * time.Hour, 0, 2 * 24 * time.Hour}, // the last reading at 90 days
		{90 * 24 * time.Hour, 0, -1},
		{400 * 24 * time.Hour, 0, -1},
	} {
		at := pub.Add(c.age)
		got := NextPoll(pub, at, c.quiet)
		switch {
		case c.want < 0 && got != nil:
			t.Errorf("age %v: next reading at +%v, want none", c.age, got.Sub(at))
		case c.want >= 0 && (got == nil || got.Sub(at) != c.want):
			t.Errorf("age %v quiet %d: next = %v, want +%v", c.age, c.quiet, got, c.want)
		}
	}
}

func TestChannelReadingsStoreOnlyChangesAndNeverInventAZero(t *testing.T) {
	ctx := context.Background()
	clock := t0
	m, _, ch := metricsWith(t, &clock)
	read := func(v Values) {
		t.Helper()
		if err := m.RecordChannel(ctx, ch, clock, v, clock.Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(3 * time.Hour)
	}
	read(Values{"followers": 10, "posts": 4})
	read(Values{"followers": 10, "posts": 4})
	read(Values{"followers": 9, "posts": 5}) // a count going down is kept as it is
	read(Values{"followers": 9})             // posts not given this time: nothing stored for it
	var rows []model.ChannelMetric
	if err := m.db.Order("metric, taken_at").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s@%v=%d", r.Metric, r.TakenAt.Sub(t0), r.Value))
	}
	want := []string{"followers@0s=10", "followers@6h0m0s=9", "posts@0s=4", "posts@6h0m0s=5"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("stored %v, want %v", got, want)
	}
	st, err := m.Sync(ctx, ch)
	if err != nil {
		t.Fatal(err)
	}
	if st.ChannelReadAt == nil || !st.ChannelReadAt.Equal(t0.Add(9*time.Hour)) {
		t.Errorf("channel_read_at = %v, want the last reading", st.ChannelReadAt)
	}
	if st.BackfillSince == nil || !st.BackfillSince.Equal(t0.Add(-BackfillFor)) {
		t.Errorf("backfill_since = %v", st.BackfillSince)
	}
}

func TestPostReadingsChangesLatestQuietAndDeletion(t *testing.T) {
	ctx := context.Background()
	clock := t0
	m, _, ch := metricsWith(t, &clock)
	n, err := m.AddContent(ctx, ch, []Found{
		{RemoteID: "a", URL: "https://m.example/@shop/a", Text: "first", PublishedAt: t0.Add(-time.Hour), Values: Values{"likes": 1}},
		{RemoteID: "b", Text: "second", PublishedAt: t0.Add(-100 * 24 * time.Hour)},
	}, clock)
	if err != nil || n != 2 {
		t.Fatalf("AddContent = %d, %v", n, err)
	}
	if n, err := m.AddContent(ctx, ch, []Found{{RemoteID: "a", PublishedAt: t0}}, clock); err != nil || n != 0 {
		t.Fatalf("AddContent of a known post = %d, %v; want 0 new", n, err)
	}
	var items []model.ContentItem
	m.db.Order("remote_id").Find(&items)
	a, b := items[0], items[1]
	if b.NextPollAt != nil {
		t.Errorf("a post older than %v is polled at %v", PollFor, b.NextPollAt)
	}
	if a.NextPollAt == nil || !a.NextPollAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("a post an hour old is next read at %v, want in an hour", a.NextPollAt)
	}
	due, _ := m.DuePosts(ctx, ch, t0.Add(time.Hour), 10)
	if len(due) != 1 || due[0].ID != a.ID {
		t.Fatalf("due = %+v, want only a", due)
	}
	clock = t0.Add(time.Hour)
	if err := m.RecordPosts(ctx, []Reading{{ContentID: a.ID, Values: Values{"likes": 1}}}, clock); err != nil {
		t.Fatal(err)
	}
	m.db.First(&a, a.ID)
	if a.QuietPolls != 1 || !a.NextPollAt.Equal(clock.Add(2*time.Hour)) {
		t.Errorf("after a reading that changed nothing: quiet %d, next %v; want 1 and two hours on", a.QuietPolls, a.NextPollAt)
	}
	clock = clock.Add(2 * time.Hour)
	if err := m.RecordPosts(ctx, []Reading{{ContentID: a.ID, Values: Values{"likes": 3, "shares": 0}}}, clock); err != nil {
		t.Fatal(err)
	}
	m.db.First(&a, a.ID)
	if a.QuietPolls != 0 || !a.NextPollAt.Equal(clock.Add(time.Hour)) {
		t.Errorf("after a change: quiet %d, next %v; want 0 and an hour on", a.QuietPolls, a.NextPollAt)
	}
	var curve []model.ContentMetric
	m.db.Where("content_id = ?", a.ID).Order("metric, taken_at").Find(&curve)
	var got []string
	for _, c := range curve {
		got = append(got, fmt.Sprintf("%s@%v=%d", c.Metric, c.TakenAt.Sub(t0), c.Value))
	}
	if want := "[likes@0s=1 likes@3h0m0s=3 shares@3h0m0s=0]"; fmt.Sprint(got) != want {
		t.Errorf("curve %v, want %s", got, want)
	}
	clock = clock.Add(time.Hour)
	if err := m.RecordPosts(ctx, []Reading{{ContentID: a.ID, Deleted: true}}, clock); err != nil {
		t.Fatal(err)
	}
	a = model.ContentItem{}
	m.db.First(&a, items[0].ID)
	if a.DeletedAt == nil || a.NextPollAt != nil {
		t.Errorf("deleted post: deleted_at %v, next %v", a.DeletedAt, a.NextPollAt)
	}
	var latest []model.ContentLatest
	m.db.Where("content_id = ?", a.ID).Order("metric").Find(&latest)
	if len(latest) != 2 || latest[0].Value != 3 {
		t.Errorf("a deleted post keeps its last counts: %+v", latest)
	}
}

func TestAdoptPublishedLinksHeraldsPostsAndSkipsMessages(t *testing.T) {
	ctx := context.Background()
	clock := t0
	m, _, ch := metricsWith(t, &clock)
	pub := t0.Add(-time.Hour)
	for i, tg := range []model.PostTarget{
		{RemoteID: "301", RemoteURL: "https://m.example/@shop/301", Body: "Spring sale"},
		{RemoteID: "302", Body: "@bo a code for you", DirectTo: "78"},
		{RemoteID: "303", Body: "@ana yes", ReplyTo: "299"},
	} {
		post := model.Post{Status: model.PostPublished, TimeZone: "UTC", Origin: "app", MissedPolicy: "publish_late", CreatedAt: pub, UpdatedAt: pub}
		if err := m.db.Create(&post).Error; err != nil {
			t.Fatal(err)
		}
		tg.PostID, tg.ChannelID, tg.Status, tg.PublishedAt = post.ID, ch, model.TargetPublished, &pub
		tg.IdempotencyKey, tg.Thread, tg.ItemIDs, tg.Position = fmt.Sprint("k", i), "[]", "[]", i
		tg.CreatedAt, tg.UpdatedAt = pub, pub
		if err := m.db.Create(&tg).Error; err != nil {
			t.Fatal(err)
		}
	}
	n, err := m.AdoptPublished(ctx, t0.Add(-PollFor))
	if err != nil || n != 2 {
		t.Fatalf("AdoptPublished = %d, %v; want the post and the public reply", n, err)
	}
	if n, _ := m.AdoptPublished(ctx, t0.Add(-PollFor)); n != 0 {
		t.Errorf("a second AdoptPublished took %d again", n)
	}
	var items []model.ContentItem
	m.db.Order("remote_id").Find(&items)
	if len(items) != 2 || items[0].PostTargetID == nil || items[0].URL == "" || items[1].RemoteID != "303" || !items[1].IsReply {
		t.Errorf("adopted %+v", items)
	}
}

// TestMetricsReconstructEveryReading is the store's invariant under any
// order of readings: for every metric, the value at the time of each
// reading (the last stored change at or before it) is what that reading
// said, or — where the reading lacked the metric — what the last reading
// that had it said; a metric never read has no value at all; and the
// changes counted as activity add up to the value.
func TestMetricsReconstructEveryReading(t *testing.T) {
	ctx := context.Background()
	clock := t0
	m, _, ch := metricsWith(t, &clock)
	rapid.Check(t, func(rt *rapid.T) {
		// Each check adds a post of its own; clock only moves forward.
		clock = clock.Add(time.Minute)
		remote := fmt.Sprintf("p%d", clock.Unix())
		if _, err := m.AddContent(ctx, ch, []Found{{RemoteID: remote, PublishedAt: clock}}, clock); err != nil {
			rt.Fatal(err)
		}
		var id int64
		m.db.Raw(`SELECT id FROM content_items WHERE remote_id = ?`, remote).Scan(&id)
		type reading struct {
			at time.Time
			v  Values
		}
		var readings []reading
		for range rapid.IntRange(1, 12).Draw(rt, "readings") {
			clock = clock.Add(time.Duration(rapid.IntRange(1, 300).Draw(rt, "minutes")) * time.Minute)
			v := Values{}
			for _, k := range []string{"likes", "shares"} {
				if rapid.Bool().Draw(rt, "has "+k) {
					v[k] = int64(rapid.IntRange(0, 5).Draw(rt, k))
				}
			}
			if err := m.RecordPosts(ctx, []Reading{{ContentID: id, Values: v}}, clock); err != nil {
				rt.Fatal(err)
			}
			readings = append(readings, reading{clock, v})
		}
		for _, k := range []string{"likes", "shares"} {
			var have bool
			var want int64
			for _, r := range readings {
				if v, ok := r.v[k]; ok {
					have, want = true, v
				}
				var got []int64
				m.db.Raw(`SELECT value FROM content_metrics WHERE content_id = ? AND metric = ? AND taken_at <= ? ORDER BY taken_at DESC LIMIT 1`, id, k, r.at).Scan(&got)
				switch {
				case !have && len(got) != 0:
					rt.Fatalf("%s has %v at %v before any reading gave it", k, got, r.at)
				case have && (len(got) != 1 || got[0] != want):
					rt.Fatalf("%s at %v = %v, want %d", k, r.at, got, want)
				}
				// Activity adds up: the deltas so far sum to the value.
				var sum int64
				m.db.Raw(`SELECT coalesce(sum(delta), 0) FROM content_metrics WHERE content_id = ? AND metric = ? AND taken_at <= ?`, id, k, r.at).Scan(&sum)
				if have && sum != want {
					rt.Fatalf("%s deltas up to %v sum to %d, want %d", k, r.at, sum, want)
				}
			}
			var latest []int64
			m.db.Raw(`SELECT value FROM content_latest WHERE content_id = ? AND metric = ?`, id, k).Scan(&latest)
			if have != (len(latest) == 1) || (have && latest[0] != want) {
				rt.Fatalf("latest %s = %v, want %d (given: %v)", k, latest, want, have)
			}
		}
	})
}
