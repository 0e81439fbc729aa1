package service

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"herald/backend/credentials"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
)

func TestResumeWaitingReschedulesBlockedPostsAndWakes(t *testing.T) {
	ctx := context.Background()
	g := openDB(t, testConfig(t))
	chs := store.NewChannels(g, now)
	ch := model.Channel{Network: "bluesky", Instance: "https://bsky.example", RemoteID: "did:plc:r", Handle: "r.bsky.social", Status: model.ChannelDisconnected}
	if err := chs.Create(ctx, &ch); err != nil {
		t.Fatal(err)
	}
	at := t0.Add(-time.Hour)
	for _, tg := range []model.PostTarget{
		{ChannelID: ch.ID, Body: "waits", Status: model.TargetBlocked, ErrorClass: "auth_dead", IdempotencyKey: "a", DueAt: &at},
		{ChannelID: ch.ID, Body: "refused", Status: model.TargetFailed, ErrorClass: "content_rejected", IdempotencyKey: "b", DueAt: &at},
	} {
		post := model.Post{Status: model.PostFailed, ScheduledAt: &at, MissedPolicy: model.MissedPublishLate, Origin: "app",
			CreatedAt: t0, UpdatedAt: t0, Targets: []model.PostTarget{tg}}
		if err := g.Create(&post).Error; err != nil {
			t.Fatal(err)
		}
	}
	w := &wakeCounter{}
	resume := ResumeWaiting(store.NewTargets(g, now), w, now, slog.New(slog.DiscardHandler))
	resume(ctx, ch.ID)

	var got []model.PostTarget
	if err := g.Order("id").Find(&got).Error; err != nil {
		t.Fatal(err)
	}
	if got[0].Status != model.TargetScheduled || got[0].NextAttemptAt == nil || !got[0].NextAttemptAt.Equal(t0) || got[1].Status != model.TargetFailed {
		t.Errorf("targets after resume = %s (next %v), %s; want the blocked one scheduled now, the refused one left", got[0].Status, got[0].NextAttemptAt, got[1].Status)
	}
	if w.wakes != 1 {
		t.Errorf("%d wakes, want 1", w.wakes)
	}
	resume(ctx, ch.ID) // nothing waits any more: no wake
	if w.wakes != 1 {
		t.Errorf("%d wakes after a resume with nothing waiting, want 1", w.wakes)
	}
}

func TestAChannelWithNoSavedSignInSaysSo(t *testing.T) {
	s := &Channels{networks: network.NewRegistry(), now: now}
	missing := model.Channel{Network: "bluesky", Status: model.ChannelDisconnected, StatusReason: credentials.MissingMessage}
	if v := s.view(context.Background(), missing, 0); !v.SignInMissing || v.StatusReason != credentials.MissingMessage {
		t.Errorf("view = %+v, want signInMissing with the reason", v)
	}
	revoked := model.Channel{Network: "bluesky", Status: model.ChannelDisconnected, StatusReason: "Token has been revoked"}
	if v := s.view(context.Background(), revoked, 0); v.SignInMissing {
		t.Errorf("a channel the network refused shows as signInMissing: %+v", v)
	}
}
