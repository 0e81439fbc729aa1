package service

import (
	"context"
	"strings"
	"testing"
	"time"

	"herald/backend/events"
	"herald/backend/media"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/store"
)

type pauser struct {
	paused bool
	wakes  int
}

func (p *pauser) SetPaused(v bool) { p.paused = v }
func (p *pauser) Paused() bool     { return p.paused }
func (p *pauser) Wake()            { p.wakes++ }
func (p *pauser) CancelHandoff(context.Context, model.PostTarget) error {
	return nil
}

func TestPublishNowWhilePausedGoesOutWhenPublishingResumes(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig(t)
	g := openDB(t, cfg)
	clock := time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	ch := model.Channel{Network: "bluesky", Instance: "https://bsky.example", RemoteID: "did:plc:x", Handle: "shop.bsky.social", DisplayName: "Shop"}
	if err := store.NewChannels(g, now).Create(ctx, &ch); err != nil {
		t.Fatal(err)
	}
	engine := &pauser{}
	posts := NewPosts(PostsDeps{DB: g, Networks: network.NewRegistry(bluesky.New(bluesky.Options{})), Engine: engine,
		Media: media.NewLibrary(cfg.MediaDir), Emitter: &events.Catcher{}, Now: now})
	pub := NewPublishing(g, engine, &events.Catcher{}, now)
	if _, err := pub.SetPaused(true); err != nil {
		t.Fatal(err)
	}

	draft := func(text string) PostView {
		t.Helper()
		d, err := posts.SaveDraft(DraftInput{TimeZone: "UTC", MissedPolicy: "ask", Variants: []VariantInput{{ChannelID: ch.ID, Text: text}}})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	held, moved := draft("publish when I resume"), draft("moved meanwhile")
	for _, d := range []PostView{held, moved} {
		if _, err := posts.PublishNow(d.ID); err != nil {
			t.Fatal(err)
		}
	}
	// The user picks a new time for the second one before resuming.
	later := clock.Add(48 * time.Hour)
	if _, err := posts.Reschedule(moved.ID, later.Format(time.RFC3339)); err != nil {
		t.Fatal(err)
	}

	clock = clock.Add(5 * time.Hour) // paused for hours: past any grace window
	if _, err := pub.SetPaused(false); err != nil {
		t.Fatal(err)
	}
	var got model.PostTarget
	if err := g.Where("post_id = ?", held.ID).Take(&got).Error; err != nil {
		t.Fatal(err)
	}
	if got.Status != model.TargetScheduled || got.DueAt == nil || !got.DueAt.Equal(clock) || got.NextAttemptAt == nil || !got.NextAttemptAt.Equal(clock) {
		t.Errorf("held variant after resume = %s due %v next %v, want scheduled for the moment of resuming %v", got.Status, got.DueAt, got.NextAttemptAt, clock)
	}
	var other model.PostTarget
	if err := g.Where("post_id = ?", moved.ID).Take(&other).Error; err != nil {
		t.Fatal(err)
	}
	if other.DueAt == nil || !other.DueAt.Equal(later) {
		t.Errorf("a variant rescheduled meanwhile was moved on resume: due %v, want %v", other.DueAt, later)
	}
	if v, _, _ := store.NewSettings(g, now).Get(ctx, SettingPublishOnResume); v != "" {
		t.Errorf("held list after resume = %q, want it empty", v)
	}
	entries, _, _ := store.NewAudit(g, now).List(ctx, store.AuditFilter{EventLike: "post.publish_now"})
	if len(entries) != 2 || !strings.Contains(entries[0].Summary, "as soon as publishing resumes") {
		t.Errorf("audit of publish now while paused = %+v", entries)
	}

	// Not paused: publish now records nothing to hold.
	direct := draft("right away")
	if _, err := posts.PublishNow(direct.ID); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := store.NewSettings(g, now).Get(ctx, SettingPublishOnResume); v != "" {
		t.Errorf("publish now while running held %q", v)
	}
}
