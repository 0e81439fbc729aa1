package store

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"herald/backend/model"
)

func newChannel(handle string) *model.Channel {
	return &model.Channel{Network: "mastodon", Instance: "https://mastodon.example", RemoteID: handle + "-id", Handle: handle, DisplayName: handle}
}

func TestChannelLifecycle(t *testing.T) {
	ctx := context.Background()
	g := openDB(t)
	clock := t0
	chs := NewChannels(g, func() time.Time { return clock })
	teams := NewTeams(g, func() time.Time { return clock })

	shop, err := teams.Create(ctx, "  Shop ")
	if err != nil || shop.Name != "Shop" {
		t.Fatalf("Create team = %+v, %v", shop, err)
	}
	if _, err := teams.Create(ctx, "shop"); !errors.Is(err, ErrDuplicate) {
		t.Errorf("duplicate team name (other case) error = %v, want ErrDuplicate", err)
	}

	ch := newChannel("alice")
	if err := chs.Create(ctx, ch); err != nil {
		t.Fatal(err)
	}
	if ch.ID == 0 || ch.Status != model.ChannelConnected {
		t.Fatalf("created channel = %+v", ch)
	}
	if err := chs.Create(ctx, newChannel("alice")); err == nil {
		t.Error("a second channel with the same network-side id was created")
	}
	if err := chs.SetTeams(ctx, ch.ID, []int64{shop.ID}); err != nil {
		t.Fatal(err)
	}
	if err := chs.SetTeams(ctx, ch.ID, []int64{999}); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetTeams with an unknown team = %v, want ErrNotFound", err)
	}
	if err := chs.SetTeams(ctx, ch.ID, []int64{shop.ID}); err != nil {
		t.Fatal(err)
	}
	got, err := chs.Get(ctx, ch.ID)
	if err != nil || len(got.Teams) != 1 || got.Teams[0].Name != "Shop" {
		t.Fatalf("Get = %+v, %v", got, err)
	}

	clock = t0.Add(time.Hour)
	changed, err := chs.Transition(ctx, ch.ID, model.ChannelDisconnected, "token revoked")
	if err != nil || !changed {
		t.Fatalf("first Transition = %v, %v", changed, err)
	}
	changed, _ = chs.Transition(ctx, ch.ID, model.ChannelDisconnected, "token revoked")
	if changed {
		t.Error("a second transition to the same status reported a change")
	}

	clock = t0.Add(2 * time.Hour)
	exp := t0.Add(90 * 24 * time.Hour)
	if err := chs.Authorized(ctx, ch.ID, Profile{Handle: "alice", DisplayName: "Alice ✨"}, &exp, nil, true); err != nil {
		t.Fatal(err)
	}
	got, _ = chs.Get(ctx, ch.ID)
	if got.Status != model.ChannelConnected || got.RefreshedAt == nil || !got.RefreshedAt.Equal(clock) ||
		got.TokenExpiresAt == nil || !got.TokenExpiresAt.Equal(exp) || got.DisplayName != "Alice ✨" || got.LastAuthorizedAt() != clock {
		t.Errorf("after Authorized = %+v", got)
	}
	if got.ID != ch.ID || len(got.Teams) != 1 {
		t.Error("refreshing changed the channel's id or teams")
	}

	if err := chs.Remove(ctx, ch.ID); err != nil {
		t.Fatal(err)
	}
	list, _ := chs.List(ctx)
	if len(list) != 0 {
		t.Errorf("List shows a removed channel: %+v", list)
	}
	found, err := chs.FindByRemote(ctx, "mastodon", "https://mastodon.example", "alice-id")
	if err != nil || found == nil || found.RemovedAt == nil {
		t.Errorf("FindByRemote of a removed channel = %+v, %v", found, err)
	}
	if err := teams.Delete(ctx, shop.ID); err != nil {
		t.Fatal(err)
	}
	got, _ = chs.Get(ctx, ch.ID)
	if len(got.Teams) != 0 {
		t.Error("deleting a team left the channel assigned to it")
	}
}

// Of many goroutines that see the same dead token, exactly one gets to
// announce the disconnect.
func TestConcurrentDisconnectChangesStatusOnce(t *testing.T) {
	ctx := context.Background()
	g := openDB(t)
	chs := NewChannels(g, func() time.Time { return t0 })
	ch := newChannel("bob")
	if err := chs.Create(ctx, ch); err != nil {
		t.Fatal(err)
	}
	var changes atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			changed, err := chs.Transition(ctx, ch.ID, model.ChannelDisconnected, "revoked")
			if err != nil {
				t.Error(err)
			}
			if changed {
				changes.Add(1)
			}
		}()
	}
	wg.Wait()
	if changes.Load() != 1 {
		t.Errorf("%d goroutines saw the status change, want exactly 1", changes.Load())
	}
}

func TestDueForRefresh(t *testing.T) {
	ctx := context.Background()
	g := openDB(t)
	chs := NewChannels(g, func() time.Time { return t0 })
	soon, later := t0.Add(5*time.Minute), t0.Add(5*time.Hour)
	for _, c := range []struct {
		handle string
		access *time.Time
		status model.ChannelStatus
	}{{"due", &soon, model.ChannelConnected}, {"later", &later, model.ChannelConnected}, {"never", nil, model.ChannelConnected}, {"dead", &soon, model.ChannelDisconnected}} {
		ch := newChannel(c.handle)
		ch.AccessExpiresAt, ch.Status = c.access, c.status
		if err := chs.Create(ctx, ch); err != nil {
			t.Fatal(err)
		}
	}
	due, err := chs.DueForRefresh(ctx, t0.Add(15*time.Minute))
	if err != nil || len(due) != 1 || due[0].Handle != "due" {
		t.Errorf("DueForRefresh = %+v, %v; want only 'due'", due, err)
	}
}

func TestHealthTimelineIsNewestFirstAndCascades(t *testing.T) {
	ctx := context.Background()
	g := openDB(t)
	chs := NewChannels(g, func() time.Time { return t0 })
	h := NewHealth(g, func() time.Time { return t0 })
	ch := newChannel("carol")
	if err := chs.Create(ctx, ch); err != nil {
		t.Fatal(err)
	}
	for i, k := range []model.HealthKind{model.HealthConnected, model.HealthCheckFailed, model.HealthDisconnected} {
		if err := h.Append(ctx, &model.HealthEvent{ChannelID: ch.ID, Kind: k, At: t0.Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	events, err := h.List(ctx, ch.ID, 10)
	if err != nil || len(events) != 3 || events[0].Kind != model.HealthDisconnected {
		t.Fatalf("List = %+v, %v", events, err)
	}
	if err := chs.Delete(ctx, ch.ID); err != nil {
		t.Fatal(err)
	}
	if events, _ := h.List(ctx, ch.ID, 10); len(events) != 0 {
		t.Errorf("health events outlived their channel: %d", len(events))
	}
}
