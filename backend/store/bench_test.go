package store_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"herald/backend/db"
	"herald/backend/store"
	"herald/test/seed"
)

// calendarDB is filled once: the benchmark function runs several times
// while the framework sizes b.N.
var calendarDB struct {
	once sync.Once
	path string
	err  error
}

// BenchmarkCalendarMonth queries one month of the calendar in a database
// of 100,000 posts spread over two years (about 4,200 in the month).
func BenchmarkCalendarMonth(b *testing.B) {
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	calendarDB.once.Do(func() {
		dir, err := os.MkdirTemp("", "herald-bench-*")
		if err != nil {
			calendarDB.err = err
			return
		}
		calendarDB.path = filepath.Join(dir, "bench.db")
		g, _, err := db.Open(ctx, db.Options{Path: calendarDB.path, BackupDir: dir, Now: func() time.Time { return now }})
		if err != nil {
			calendarDB.err = err
			return
		}
		_, calendarDB.err = seed.Fill(ctx, g, seed.Options{Network: "mastodon", Instance: "https://m.example", Channels: 50, Posts: 100_000,
			From: now.AddDate(-1, 0, 0), Span: 2 * 365 * 24 * time.Hour, Now: now, Seed: 1})
		_ = db.Close(g)
	})
	if calendarDB.err != nil {
		b.Fatal(calendarDB.err)
	}
	g, _, err := db.Open(ctx, db.Options{Path: calendarDB.path, BackupDir: filepath.Dir(calendarDB.path), Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close(g)
	posts := store.NewPosts(g, func() time.Time { return now })
	from, to := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	rows, err := posts.Calendar(ctx, from, to, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(rows)), "rows/op")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := posts.Calendar(ctx, from, to, nil); err != nil {
			b.Fatal(err)
		}
	}
}
