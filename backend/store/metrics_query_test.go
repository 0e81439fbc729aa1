package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestMetricQueriesReadWhatWasStored(t *testing.T) {
	ctx := context.Background()
	clock := t0
	m, _, ch := metricsWith(t, &clock)
	for i, f := range []int64{10, 12, 15} {
		at := t0.Add(time.Duration(i) * 24 * time.Hour)
		if err := m.RecordChannel(ctx, ch, at, Values{"followers": f}, at); err != nil {
			t.Fatal(err)
		}
	}
	pts, err := m.ChannelValues(ctx, []int64{ch}, "followers", t0.Add(12*time.Hour), t0.Add(3*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range pts {
		got = append(got, fmt.Sprintf("%v=%d", p.At.Sub(t0), p.Value))
	}
	if want := "[0s=10 24h0m0s=12 48h0m0s=15]"; fmt.Sprint(got) != want {
		t.Errorf("ChannelValues = %v, want %s (the value standing at from, then each change)", got, want)
	}

	// Three posts: a backfilled one with lifetime counts, one read twice,
	// and a reply.
	clock = t0.Add(3 * 24 * time.Hour)
	if _, err := m.AddContent(ctx, ch, []Found{
		{RemoteID: "old", Text: "Spring sale", PublishedAt: t0, Values: Values{"likes": 5, "shares": 1}},
		{RemoteID: "new", Text: "Summer hats", PublishedAt: t0.Add(2 * 24 * time.Hour), Values: Values{"likes": 1}},
		{RemoteID: "re", Text: "thanks!", Reply: true, PublishedAt: t0.Add(2 * 24 * time.Hour), Values: Values{"likes": 9}},
	}, clock); err != nil {
		t.Fatal(err)
	}
	var newID int64
	m.db.Raw(`SELECT id FROM content_items WHERE remote_id = 'new'`).Scan(&newID)
	if err := m.RecordPosts(ctx, []Reading{{ContentID: newID, Values: Values{"likes": 4}}}, clock.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	eng := []string{"likes", "shares"}
	act, err := m.Activity(ctx, []int64{ch}, eng, t0, clock.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	byDay := map[int]int64{}
	for _, b := range act {
		byDay[int(time.Unix(b.Start*BucketSeconds, 0).Sub(t0)/(24*time.Hour))] += b.Value
	}
	// "old": 6 on its day; "new": 1 on its day, +3 when read again; the
	// reply: 9 on its day.
	if fmt.Sprint(byDay) != "map[0:6 2:10 3:3]" {
		t.Errorf("activity by day = %v", byDay)
	}
	pub, err := m.Published(ctx, []int64{ch}, t0, clock, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(pub) != 2 || pub[0].Start*BucketSeconds != t0.Unix() || pub[1].Value != 1 {
		t.Errorf("published buckets = %+v", pub)
	}

	rows, total, err := m.Content(ctx, ContentFilter{ChannelIDs: []int64{ch}, From: t0, To: clock, Sort: "engagement", Desc: true})
	if err != nil {
		t.Fatal(err)
	}
	if total != 2 || len(rows) != 2 || rows[0].RemoteID != "old" || *rows[0].Engagement != 6 || rows[1].Latest["likes"] != 4 {
		t.Errorf("content by engagement = %d %+v", total, rows)
	}
	if _, ok := rows[1].Latest["shares"]; ok {
		t.Error("a metric never read shows in the row")
	}
	rows, total, _ = m.Content(ctx, ContentFilter{ChannelIDs: []int64{ch}, From: t0, To: clock, Replies: true, Search: "HATS"})
	if total != 1 || rows[0].RemoteID != "new" {
		t.Errorf("search for hats = %d %+v", total, rows)
	}
	// By hour of the week in UTC: "old" Sunday 12:00 (6), "new" Tuesday
	// 12:00 (1, then 4); the reply is left out.
	wh, err := m.WeekHours(ctx, []int64{ch}, t0, clock, Offsets(time.UTC, t0, clock))
	if err != nil || fmt.Sprint(wh) != "[{0 12 1 6} {2 12 1 4}]" {
		t.Fatalf("WeekHours = %+v, %v", wh, err)
	}
	_, curve, err := m.Curve(ctx, newID)
	if err != nil || len(curve) != 2 || curve[1].Value != 4 || curve[1].Delta != 3 {
		t.Errorf("curve = %+v, %v", curve, err)
	}
}

func TestOffsetsFollowTheZonesClockChanges(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, berlin)
	got := Offsets(berlin, from, time.Date(2026, 11, 1, 0, 0, 0, 0, berlin))
	want := []Offset{{from.Unix(), 3600}, {time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC).Unix(), 7200}, {time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC).Unix(), 3600}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Offsets = %v, want %v", got, want)
	}
	if got := Offsets(time.UTC, from, from.AddDate(1, 0, 0)); len(got) != 1 || got[0].Seconds != 0 {
		t.Errorf("UTC offsets = %v", got)
	}
}
