package service

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"herald/backend/db"
	"herald/backend/events"
	"herald/test/seed"
)

// BenchmarkCalendarDenseMonth is what the window waits for before it can
// draw a dense month: the query, the service's conversion and the JSON the
// binding sends, for 50 channels with about 3 posts each a day over the 35
// days a month view asks for. The page's own work is measured by
// frontend/bench/calendar-month.mjs.
func BenchmarkCalendarDenseMonth(b *testing.B) {
	ctx := context.Background()
	clock := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	dir := b.TempDir()
	g, _, err := db.Open(ctx, db.Options{Path: filepath.Join(dir, "bench.db"), BackupDir: dir, Now: now})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close(g) })
	from := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	const days, channels, perDay = 35, 50, 3
	if _, err := seed.Fill(ctx, g, seed.Options{Network: "mastodon", Instance: "https://m.example", Channels: channels,
		Posts: days * channels * perDay, From: from, Span: days * 24 * time.Hour, Now: clock, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	p := NewPosts(PostsDeps{DB: g, Emitter: &events.Catcher{}, Now: now})
	fromText, toText := stamp(from), stamp(from.AddDate(0, 0, days))
	var size int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := p.Calendar(fromText, toText, nil)
		if err != nil {
			b.Fatal(err)
		}
		buf, err := json.Marshal(out)
		if err != nil {
			b.Fatal(err)
		}
		size = len(buf)
		b.ReportMetric(float64(len(out.Items)), "items/op")
	}
	b.ReportMetric(float64(size), "json-bytes/op")
}
