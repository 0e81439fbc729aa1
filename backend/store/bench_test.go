package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"herald/backend/db"
	"herald/backend/store"
	"herald/test/seed"
)

// calendarDBs are filled once per spread: the benchmark function runs
// several times while the framework sizes b.N.
var calendarDBs sync.Map // years → *calendarDB

type calendarDB struct {
	once sync.Once
	path string
	err  error
}

// BenchmarkCalendarMonth queries one month of the calendar in a database of
// 100,000 posts spread over 2 years (about 4,300 in the month) and over 10
// years (about 850).
func BenchmarkCalendarMonth(b *testing.B) {
	for _, years := range []int{2, 10} {
		b.Run(fmt.Sprintf("100k-posts-over-%d-years", years), func(b *testing.B) { calendarMonth(b, years) })
	}
}

func calendarMonth(b *testing.B, years int) {
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	v, _ := calendarDBs.LoadOrStore(years, &calendarDB{})
	c := v.(*calendarDB)
	c.once.Do(func() {
		dir, err := os.MkdirTemp("", "herald-bench-*")
		if err != nil {
			c.err = err
			return
		}
		c.path = filepath.Join(dir, "bench.db")
		g, _, err := db.Open(ctx, db.Options{Path: c.path, BackupDir: dir, Now: func() time.Time { return now }})
		if err != nil {
			c.err = err
			return
		}
		span := time.Duration(years) * 365 * 24 * time.Hour
		_, c.err = seed.Fill(ctx, g, seed.Options{Network: "mastodon", Instance: "https://m.example", Channels: 50, Posts: 100_000,
			From: now.Add(-span / 2), Span: span, Now: now, Seed: 1})
		_ = db.Close(g)
	})
	if c.err != nil {
		b.Fatal(c.err)
	}
	g, _, err := db.Open(ctx, db.Options{Path: c.path, BackupDir: filepath.Dir(c.path), Now: func() time.Time { return now }})
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
