package queue

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"herald/backend/db"
	"herald/backend/model"
)

func TestNextFreeForReadsSlotsAndTakenTimesOfOneChannel(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	g, _, err := db.Open(ctx, db.Options{Path: filepath.Join(dir, "herald.db"), BackupDir: filepath.Join(dir, "backups")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(g) })

	now := time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC) // a Friday
	var chs []model.Channel
	for _, h := range []string{"@a", "@b"} {
		ch := model.Channel{Network: "mastodon", Instance: "example.social", RemoteID: h, Kind: "account", Handle: h,
			Status: model.ChannelConnected, StatusChangedAt: now, ConnectedAt: now}
		if err := g.Create(&ch).Error; err != nil {
			t.Fatal(err)
		}
		chs = append(chs, ch)
	}
	a, b := chs[0], chs[1]

	if _, ok, err := NextFreeFor(ctx, g, a.ID, 0, now); err != nil || ok {
		t.Fatalf("without slots NextFreeFor = ok %v, %v; want no slot", ok, err)
	}
	// Monday and Tuesday 09:00 UTC for channel a.
	for _, wd := range []time.Weekday{time.Monday, time.Tuesday} {
		if err := g.Create(&model.QueueSlot{ChannelID: a.ID, Weekday: int(wd), MinuteOfDay: 9 * 60, TimeZone: "UTC"}).Error; err != nil {
			t.Fatal(err)
		}
	}
	monday := time.Date(2026, 3, 23, 9, 0, 0, 0, time.UTC)
	tuesday := monday.AddDate(0, 0, 1)

	var made []model.PostTarget
	target := func(ch model.Channel, status model.TargetStatus, due time.Time) model.PostTarget {
		t.Helper()
		d := due
		post := model.Post{Status: model.PostScheduled, TimeZone: "UTC", MissedPolicy: model.MissedPublishLate, Origin: "app"}
		if err := g.Create(&post).Error; err != nil {
			t.Fatal(err)
		}
		tg := model.PostTarget{PostID: post.ID, ChannelID: ch.ID, Status: status, DueAt: &d, Thread: "[]", Options: "{}", ItemIDs: "[]",
			IdempotencyKey: fmt.Sprintf("key-%d", len(made))}
		made = append(made, tg)
		if err := g.Create(&tg).Error; err != nil {
			t.Fatal(err)
		}
		return tg
	}
	// Neither another channel's post nor a failed one takes Monday.
	target(b, model.TargetScheduled, monday)
	target(a, model.TargetFailed, monday)
	if got, ok, err := NextFreeFor(ctx, g, a.ID, 0, now); err != nil || !ok || !got.Equal(monday) {
		t.Fatalf("NextFreeFor = %v, %v, %v; want %v", got, ok, err, monday)
	}
	// A scheduled post of the channel takes Monday …
	mine := target(a, model.TargetScheduled, monday)
	if got, _, _ := NextFreeFor(ctx, g, a.ID, 0, now); !got.Equal(tuesday) {
		t.Fatalf("with Monday taken NextFreeFor = %v, want %v", got, tuesday)
	}
	// … unless it is the target being queued again.
	if got, _, _ := NextFreeFor(ctx, g, a.ID, mine.ID, now); !got.Equal(monday) {
		t.Fatalf("excepting its own target NextFreeFor = %v, want %v", got, monday)
	}
	// A publishing (claimed) post takes its slot too.
	target(a, model.TargetClaimed, tuesday)
	if got, _, _ := NextFreeFor(ctx, g, a.ID, 0, now); !got.Equal(monday.AddDate(0, 0, 7)) {
		t.Fatalf("with Monday and Tuesday taken NextFreeFor = %v, want %v", got, monday.AddDate(0, 0, 7))
	}
}
