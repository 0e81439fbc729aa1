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

func TestCredentialGeneration(t *testing.T) {
	ctx := context.Background()
	chs := NewChannels(openDB(t), func() time.Time { return t0 })
	ch := newChannel("gen")
	if err := chs.Create(ctx, ch); err != nil {
		t.Fatal(err)
	}
	gen := func() int64 {
		t.Helper()
		g, err := chs.CredentialGeneration(ctx, ch.ID)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	if g := gen(); g != 0 {
		t.Fatalf("a new channel is at generation %d, want 0", g)
	}
	exp := t0.Add(time.Hour)
	if g, err := chs.TokenRenewed(ctx, ch.ID, nil, &exp); err != nil || g != 1 || gen() != 1 {
		t.Fatalf("TokenRenewed = %d, %v; stored %d; want 1", g, err, gen())
	}
	if got, _ := chs.Get(ctx, ch.ID); got.AccessExpiresAt == nil || !got.AccessExpiresAt.Equal(exp) {
		t.Errorf("TokenRenewed stored access expiry %v, want %v", got.AccessExpiresAt, exp)
	}
	if err := chs.Authorized(ctx, ch.ID, Profile{Handle: "gen"}, nil, nil, true); err != nil || gen() != 2 {
		t.Fatalf("Authorized = %v, generation %d; want 2", err, gen())
	}
	if g, err := chs.BumpCredentialGeneration(ctx, ch.ID); err != nil || g != 3 {
		t.Fatalf("BumpCredentialGeneration = %d, %v; want 3", g, err)
	}
	if _, err := chs.BumpCredentialGeneration(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("bump of a missing channel = %v, want ErrNotFound", err)
	}
	if _, err := chs.CredentialGeneration(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("generation of a missing channel = %v, want ErrNotFound", err)
	}
}

// A 401 that belongs to a credential replaced since changes nothing: the
// user reconnected, and the old token's death is no news.
func TestCredentialFailedOnlyForTheCurrentGeneration(t *testing.T) {
	ctx := context.Background()
	chs := NewChannels(openDB(t), func() time.Time { return t0 })
	ch := newChannel("stale")
	if err := chs.Create(ctx, ch); err != nil {
		t.Fatal(err)
	}
	if err := chs.Authorized(ctx, ch.ID, Profile{Handle: "stale"}, nil, nil, true); err != nil {
		t.Fatal(err)
	}
	changed, current, err := chs.CredentialFailed(ctx, ch.ID, 0, model.ChannelDisconnected, "auth_dead", "revoked")
	if err != nil || changed || current {
		t.Fatalf("CredentialFailed at an old generation = %v, %v, %v; want no change, not current", changed, current, err)
	}
	got, _ := chs.Get(ctx, ch.ID)
	if got.Status != model.ChannelConnected || got.LastCheckClass != "" || got.StatusReason != "" {
		t.Fatalf("an old credential's failure changed the channel: %+v", got)
	}

	var wg sync.WaitGroup
	var changes atomic.Int32
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			changed, current, err := chs.CredentialFailed(ctx, ch.ID, 1, model.ChannelDisconnected, "auth_dead", "revoked")
			if err != nil || !current {
				t.Errorf("CredentialFailed at the current generation = %v, %v", current, err)
			}
			if changed {
				changes.Add(1)
			}
		}()
	}
	wg.Wait()
	got, _ = chs.Get(ctx, ch.ID)
	if changes.Load() != 1 || got.Status != model.ChannelDisconnected || got.StatusReason != "revoked" || got.LastCheckClass != "auth_dead" {
		t.Errorf("%d changes; channel %+v; want one change to disconnected", changes.Load(), got)
	}
}
