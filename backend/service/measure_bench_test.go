package service

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"herald/backend/db"
	"herald/backend/measure"
	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/network/mastodon"
	"herald/backend/store"
	"herald/test/seed"
)

// measureBench is one seeded database shared by the Measure benchmarks:
// two years of daily channel readings for 50 channels and 100,000 posts
// read at 1 h, 3 h, a day, a week and a month (HERALD_BENCH_POSTS
// changes the count).
var measureBench struct {
	once    sync.Once
	s       *Measure
	path    string
	seeding time.Duration
	err     error
}

func benchMeasure(b *testing.B) *Measure {
	b.Helper()
	measureBench.once.Do(func() {
		ctx := context.Background()
		clock := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
		now := func() time.Time { return clock }
		dir, err := os.MkdirTemp("", "herald-measure-bench")
		if err != nil {
			measureBench.err = err
			return
		}
		measureBench.path = filepath.Join(dir, "bench.db")
		g, _, err := db.Open(ctx, db.Options{Path: measureBench.path, BackupDir: dir, Now: now})
		if err != nil {
			measureBench.err = err
			return
		}
		reg := network.NewRegistry(mastodon.New(mastodon.Options{}), bluesky.New(bluesky.Options{}))
		posts := 100000
		if v, err := strconv.Atoi(os.Getenv("HERALD_BENCH_POSTS")); err == nil && v > 0 {
			posts = v
		}
		started := time.Now()
		chs, err := seed.Fill(ctx, g, seed.Options{Network: "mastodon", Instance: "https://m.example", Channels: 50, Posts: 0, From: clock, Span: time.Hour, Now: clock, Seed: 1})
		if err == nil {
			err = seed.Metrics(ctx, g, seed.MetricsOptions{Channels: chs, Days: 730, Posts: posts, Now: clock, Seed: 2})
		}
		measureBench.seeding = time.Since(started)
		if err != nil {
			measureBench.err = err
			return
		}
		measureBench.s = NewMeasure(MeasureDeps{DB: g, Metrics: store.NewMetrics(g, now, measure.EngagementKeys(reg)...), Channels: store.NewChannels(g, now), Audit: store.NewAudit(g, now),
			Sync: syncStub{}, Networks: reg, Now: now})
	})
	if measureBench.err != nil {
		b.Fatal(measureBench.err)
	}
	return measureBench.s
}

// benchJSON runs fn and reports the size of what the binding would send.
func benchJSON(b *testing.B, fn func() (any, error)) {
	b.Helper()
	s := benchMeasure(b)
	_ = s
	var size int
	b.ResetTimer()
	for b.Loop() {
		out, err := fn()
		if err != nil {
			b.Fatal(err)
		}
		buf, err := json.Marshal(out)
		if err != nil {
			b.Fatal(err)
		}
		size = len(buf)
	}
	b.ReportMetric(float64(size), "json-bytes/op")
}

var (
	last28  = MeasureRange{From: "2026-11-10", To: "2026-12-07", TimeZone: "Europe/Berlin"}
	twoYear = MeasureRange{From: "2024-12-08", To: "2026-12-07", TimeZone: "Europe/Berlin"}
	oneYear = MeasureRange{From: "2025-12-08", To: "2026-12-07", TimeZone: "Europe/Berlin"}
)

// BenchmarkMeasureWidgets is each dashboard widget's query over the seeded
// history (50 channels, two years, 100,000 posts), with the JSON the
// window receives.
func BenchmarkMeasureWidgets(b *testing.B) {
	s := benchMeasure(b)
	b.Logf("seeded in %v", measureBench.seeding.Round(time.Second))
	if fi, err := os.Stat(measureBench.path); err == nil {
		b.Logf("database: %.1f MB (%.2f MB per channel per year)", float64(fi.Size())/1e6, float64(fi.Size())/1e6/50/2)
	}
	b.Run("overview-28d", func(b *testing.B) { benchJSON(b, func() (any, error) { return s.Overview(last28) }) })
	b.Run("overview-2y", func(b *testing.B) { benchJSON(b, func() (any, error) { return s.Overview(twoYear) }) })
	b.Run("content-2y-by-engagement", func(b *testing.B) {
		benchJSON(b, func() (any, error) {
			return s.Content(ContentQuery{MeasureRange: twoYear, Sort: "engagement", Desc: true, Limit: 50})
		})
	})
	b.Run("content-2y-by-published", func(b *testing.B) {
		benchJSON(b, func() (any, error) {
			return s.Content(ContentQuery{MeasureRange: twoYear, Sort: "published", Desc: true, Limit: 50})
		})
	})
	b.Run("content-28d-search", func(b *testing.B) {
		benchJSON(b, func() (any, error) { return s.Content(ContentQuery{MeasureRange: last28, Search: "hats", Limit: 50}) })
	})
	b.Run("best-times-90d", func(b *testing.B) {
		benchJSON(b, func() (any, error) {
			return s.BestTimes(MeasureRange{From: "2026-09-09", To: "2026-12-07", TimeZone: "Europe/Berlin"})
		})
	})
	b.Run("best-times-2y", func(b *testing.B) { benchJSON(b, func() (any, error) { return s.BestTimes(twoYear) }) })
	b.Run("dense-followers-1y-800px", func(b *testing.B) {
		benchJSON(b, func() (any, error) { return s.Dense(oneYear, network.MetricFollowers, 800) })
	})
	b.Run("curve", func(b *testing.B) { benchJSON(b, func() (any, error) { return s.Curve(1) }) })
}
