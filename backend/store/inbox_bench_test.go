package store_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"herald/backend/db"
	"herald/backend/model"
	"herald/backend/store"
)

// inboxBenchItems is the inbox the benchmarks read: 200,000 items over 50
// channels and two years, a quarter unread, statuses, labels and teams
// spread as a busy account would have them.
const inboxBenchItems = 200_000

var inboxBench struct {
	once sync.Once
	path string
	err  error
}

var benchWords = strings.Fields(`thanks order shipping parcel refund price discount question love great help when where
	how size colour return store open hours delivery late broken account login password sale new product review
	photo video link event ticket today tomorrow weekend morning evening please again still waiting reply answer`)

func inboxBenchDB(b *testing.B) *gorm.DB {
	b.Helper()
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	inboxBench.once.Do(func() {
		dir, err := os.MkdirTemp("", "herald-inbox-bench-*")
		if err != nil {
			inboxBench.err = err
			return
		}
		inboxBench.path = filepath.Join(dir, "bench.db")
		g, _, err := db.Open(ctx, db.Options{Path: inboxBench.path, BackupDir: dir, Now: func() time.Time { return now }})
		if err != nil {
			inboxBench.err = err
			return
		}
		defer db.Close(g)
		inboxBench.err = fillInbox(ctx, g, now)
	})
	if inboxBench.err != nil {
		b.Fatal(inboxBench.err)
	}
	g, _, err := db.Open(ctx, db.Options{Path: inboxBench.path, BackupDir: filepath.Dir(inboxBench.path), Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close(g) })
	return g
}

func fillInbox(ctx context.Context, g *gorm.DB, now time.Time) error {
	rng := rand.New(rand.NewSource(1))
	return g.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for t := 1; t <= 5; t++ {
			if err := tx.Exec(`INSERT INTO teams (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)`, t, fmt.Sprintf("Team %d", t), now, now).Error; err != nil {
				return err
			}
		}
		for c := 1; c <= 50; c++ {
			if err := tx.Exec(`INSERT INTO channels (id, network, instance, remote_id, handle, status_changed_at, connected_at, created_at, updated_at)
				VALUES (?, 'mastodon', 'https://m.example', ?, ?, ?, ?, ?, ?)`, c, fmt.Sprint(c), fmt.Sprintf("c%d", c), now, now, now, now).Error; err != nil {
				return err
			}
			if err := tx.Exec(`INSERT INTO channel_teams (channel_id, team_id) VALUES (?, ?)`, c, 1+c%5).Error; err != nil {
				return err
			}
		}
		sqlTx := tx.Statement.ConnPool
		stmt := `INSERT INTO inbox_items (id, channel_id, remote_id, kind, author_handle, author_name, text, created_at, received_at, status, read_at, team_id, first_reply_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
		kinds := []string{"mention", "reply", "reply", "reply", "quote", "message"}
		span := 2 * 365 * 24 * time.Hour
		for i := 1; i <= inboxBenchItems; i++ {
			created := now.Add(-time.Duration(rng.Int63n(int64(span)))).Truncate(time.Millisecond)
			n := 6 + rng.Intn(15)
			words := make([]string, n)
			for w := range words {
				// Low ranks far more often than high ones, like real text.
				words[w] = benchWords[int(float64(len(benchWords))*rng.Float64()*rng.Float64())]
			}
			if i%1000 == 0 {
				words[0] = "zeppelin" // a rare word: 200 items
			}
			status := "done"
			var read any = created.Add(time.Hour)
			var reply any = created.Add(30 * time.Minute)
			switch r := rng.Intn(100); {
			case r < 25:
				status, read, reply = "open", nil, nil
			case r < 40:
				status = "open"
			case r < 50:
				status = "archived"
			}
			var team any
			if rng.Intn(4) == 0 {
				team = 1 + rng.Intn(5)
			}
			author := fmt.Sprintf("user%d", rng.Intn(20000))
			if _, err := sqlTx.ExecContext(ctx, stmt, i, 1+rng.Intn(50), fmt.Sprint(i), kinds[rng.Intn(len(kinds))], "@"+author+"@x.example", strings.ToUpper(author[:1])+author[1:],
				strings.Join(words, " "), created, created.Add(time.Minute), status, read, team, reply); err != nil {
				return err
			}
			if i%20 == 0 {
				if _, err := sqlTx.ExecContext(ctx, `INSERT INTO inbox_labels (item_id, label) VALUES (?, ?)`, i, []string{"vip", "bug", "sales", "press"}[rng.Intn(4)]); err != nil {
					return err
				}
			}
		}
		return tx.Exec(`ANALYZE`).Error
	})
}

// BenchmarkInboxList reads one page (50 items) of the inbox list with the
// filters the view offers, over 200,000 items.
func BenchmarkInboxList(b *testing.B) {
	g := inboxBenchDB(b)
	in := store.NewInbox(g, time.Now)
	ctx := context.Background()
	no := false
	cases := []struct {
		name string
		f    store.InboxFilter
	}{
		{"all", store.InboxFilter{}},
		{"one-channel", store.InboxFilter{ChannelIDs: []int64{7}}},
		{"three-channels-open-replies", store.InboxFilter{ChannelIDs: []int64{3, 7, 11}, Statuses: []model.InboxStatus{model.InboxOpen}, Kinds: []model.InboxKind{model.InboxReply}}},
		{"unread", store.InboxFilter{UnreadOnly: true}},
		{"unread-one-channel", store.InboxFilter{UnreadOnly: true, ChannelIDs: []int64{7}}},
		{"team", store.InboxFilter{TeamID: 2}},
		{"label", store.InboxFilter{Label: "vip"}},
		{"messages-not-answered", store.InboxFilter{Kinds: []model.InboxKind{model.InboxMessage}, HasReply: &no}},
		{"archived", store.InboxFilter{Statuses: []model.InboxStatus{model.InboxArchived}}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			f := tc.f
			f.Limit = 50
			first, _, err := in.List(ctx, f)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, _, err := in.List(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(first)), "items/op")
		})
	}
	b.Run("page-20-keyset", func(b *testing.B) {
		f := store.InboxFilter{Limit: 50}
		for p := 0; p < 19; p++ {
			_, next, err := in.List(ctx, f)
			if err != nil || next == nil {
				b.Fatal(err)
			}
			f.After = next
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, _, err := in.List(ctx, f); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("counts", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := in.Counts(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkInboxSearch reads one page (50 items) of a full-text search
// over 200,000 items.
func BenchmarkInboxSearch(b *testing.B) {
	g := inboxBenchDB(b)
	in := store.NewInbox(g, time.Now)
	ctx := context.Background()
	cases := []struct {
		name string
		f    store.InboxFilter
	}{
		{"common-word", store.InboxFilter{Text: "thanks"}},
		{"two-words", store.InboxFilter{Text: "refund parcel"}},
		{"prefix", store.InboxFilter{Text: "deliv"}},
		{"rare-word", store.InboxFilter{Text: "zeppelin"}},
		{"author", store.InboxFilter{Text: "user1234"}},
		{"word-in-one-channel-unread", store.InboxFilter{Text: "refund", ChannelIDs: []int64{7}, UnreadOnly: true}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			f := tc.f
			f.Limit = 50
			first, _, err := in.List(ctx, f)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, _, err := in.List(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(first)), "items/op")
		})
	}
}
