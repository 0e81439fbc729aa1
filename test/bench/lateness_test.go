// Package bench measures Herald's publishing engine end to end: real
// SQLite, the real Mastodon client over HTTP against a local fake server.
//
//	go test -run '^$' -bench . -benchtime 1x ./test/bench/
package bench

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"herald/backend/db"
	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/network/mastodon"
	"herald/backend/network/mastodon/mastodontest"
	"herald/backend/notify"
	"herald/backend/publish"
	"herald/backend/store"
)

type creds map[int64]network.Credential

func (c creds) Fresh(_ context.Context, ch model.Channel) (network.Credential, error) {
	return c[ch.ID], nil
}
func (c creds) Renew(ctx context.Context, ch model.Channel, _ network.Credential) (network.Credential, error) {
	return c.Fresh(ctx, ch)
}

type noHealth struct{}

func (noHealth) ReportErrorAt(context.Context, int64, int64, error) bool { return true }

// BenchmarkThousandDueTogether: 1,000 targets on 50 channels all fall due
// in the same second; how late does each go out? Reports p50 and p99
// lateness (publish time minus due time).
func BenchmarkThousandDueTogether(b *testing.B) {
	// The worst of the runs is reported.
	var p50, p99, worst time.Duration
	for i := 0; i < b.N; i++ {
		a, c, m := thousandDue(b)
		b.Logf("run %d: p50 %v p99 %v max %v", i, a, c, m)
		p50, p99, worst = max(p50, a), max(p99, c), max(worst, m)
	}
	b.ReportMetric(float64(p50.Milliseconds()), "p50-ms")
	b.ReportMetric(float64(p99.Milliseconds()), "p99-ms")
	b.ReportMetric(float64(worst.Milliseconds()), "max-ms")
}

func thousandDue(b *testing.B) (p50, p99, maxLate time.Duration) {
	b.Helper()
	ctx := context.Background()
	fake := mastodontest.NewServer(b)
	dir := b.TempDir()
	g, _, err := db.Open(ctx, db.Options{Path: filepath.Join(dir, "bench.db"), BackupDir: dir})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close(g)
	cs := creds{}
	chs := store.NewChannels(g, time.Now)
	// Seeded for later; the due time is set once everything is in place.
	due := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	var ids []int64
	for c := 0; c < 50; c++ {
		acct := fake.AddAccount(mastodontest.Account{ID: fmt.Sprint(9000 + c), Username: fmt.Sprintf("bench%d", c)})
		ch := model.Channel{Network: "mastodon", Instance: fake.URL(), RemoteID: acct.ID, Handle: acct.Username}
		if err := chs.Create(ctx, &ch); err != nil {
			b.Fatal(err)
		}
		cs[ch.ID] = fake.Credential(acct.ID, "read write")
		for i := 0; i < 20; i++ {
			p := model.Post{Status: model.PostScheduled, ScheduledAt: &due, TimeZone: "UTC", MissedPolicy: model.MissedPublishLate, GraceMinutes: 60,
				Origin: "bench", CreatedAt: due, UpdatedAt: due}
			if err := g.Create(&p).Error; err != nil {
				b.Fatal(err)
			}
			t := model.PostTarget{PostID: p.ID, ChannelID: ch.ID, Body: fmt.Sprintf("bench %d/%d", c, i), Thread: "[]", Options: "{}", ItemIDs: "[]",
				Status: model.TargetScheduled, DueAt: &due, NextAttemptAt: &due, IdempotencyKey: fmt.Sprintf("b-%d-%d", c, i), CreatedAt: due, UpdatedAt: due}
			if err := g.Create(&t).Error; err != nil {
				b.Fatal(err)
			}
			ids = append(ids, t.ID)
		}
	}
	due = time.Now().Add(time.Second).UTC()
	if err := g.Exec(`UPDATE post_targets SET due_at = ?, next_attempt_at = ?`, due, due).Error; err != nil {
		b.Fatal(err)
	}
	if err := g.Exec(`UPDATE posts SET scheduled_at = ?`, due).Error; err != nil {
		b.Fatal(err)
	}
	e := publish.New(publish.Deps{DB: g, Channels: chs, Credentials: cs,
		Networks: network.NewRegistry(mastodon.New(mastodon.Options{HTTP: fake.Client()})), Health: noHealth{},
		Notifier: notify.Discard{}, Emitter: events.Discard{}, Clock: clockwork.NewRealClock(), Log: slog.New(slog.DiscardHandler)})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { e.Run(runCtx); close(done) }()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var n int64
		g.Model(&model.PostTarget{}).Where("status = 'published'").Count(&n)
		if n == int64(len(ids)) {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("only %d of %d published after 2 minutes", n, len(ids))
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	// Lateness is when the server created each post, minus its due time.
	var late []time.Duration
	for _, s := range fake.StatusesBy("") {
		late = append(late, s.CreatedAt.Sub(due))
	}
	sort.Slice(late, func(i, j int) bool { return late[i] < late[j] })
	if fake.StatusCount() != len(ids) {
		b.Fatalf("the server has %d statuses for %d targets", fake.StatusCount(), len(ids))
	}
	return late[len(late)/2], late[len(late)*99/100], late[len(late)-1]
}
