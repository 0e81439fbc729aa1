package credentials

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/secrets"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// rotating is a network whose refresh tokens are single-use, like Bluesky.
type rotating struct {
	mu       sync.Mutex
	valid    string // the only refresh token the network accepts
	n        int
	calls    atomic.Int32
	failWith error
	slow     time.Duration
}

func (r *rotating) Descriptor() network.Descriptor {
	return network.Descriptor{ID: "rot", Name: "Rotating", Capabilities: []network.Capability{network.CapRefresh}}
}

func (r *rotating) RefreshDue(c network.Credential, now time.Time) bool {
	return c.ExpiresWithin(now, RefreshAhead)
}

func (r *rotating) Refresh(_ context.Context, _ string, c network.Credential) (network.Credential, error) {
	r.calls.Add(1)
	time.Sleep(r.slow)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failWith != nil {
		return c, r.failWith
	}
	if c.RefreshToken != r.valid {
		return c, &network.Error{Network: "rot", Op: "refresh", Class: network.ClassAuthDead, Message: "refresh token already used"}
	}
	r.n++
	r.valid = fmt.Sprintf("refresh-%d", r.n)
	return network.Credential{Kind: "test", AccessToken: fmt.Sprintf("access-%d", r.n), RefreshToken: r.valid,
		Expiry: t0.Add(2 * time.Hour), RefreshExpiry: t0.Add(60 * 24 * time.Hour)}, nil
}

type recorder struct{ accessExpires *time.Time }

func (r *recorder) TokenRenewed(_ context.Context, _ int64, _, access *time.Time) error {
	r.accessExpires = access
	return nil
}

func setup(t *testing.T) (*Manager, *rotating, *secrets.Memory, model.Channel, *recorder) {
	t.Helper()
	net := &rotating{valid: "refresh-0"}
	mem := secrets.NewMemory()
	rec := &recorder{}
	m := New(secrets.New(mem, "test", time.Second), network.NewRegistry(net), rec, func() time.Time { return t0 }, slog.New(slog.DiscardHandler))
	ch := model.Channel{ID: 7, Network: "rot"}
	err := m.Save(context.Background(), ch.ID, network.Credential{AccessToken: "access-0", RefreshToken: "refresh-0", Expiry: t0.Add(5 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	return m, net, mem, ch, rec
}

func TestConcurrentCallersShareOneRefreshAndGetThePersistedToken(t *testing.T) {
	m, net, _, ch, rec := setup(t)
	net.slow = 20 * time.Millisecond
	var wg sync.WaitGroup
	got := make([]string, 20)
	for i := range got {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := m.Fresh(context.Background(), ch)
			if err != nil {
				t.Error(err)
			}
			got[i] = c.AccessToken
		}(i)
	}
	wg.Wait()
	if n := net.calls.Load(); n != 1 {
		t.Errorf("%d refresh calls, want 1", n)
	}
	for _, g := range got {
		if g != "access-1" {
			t.Errorf("a caller got %q, want the refreshed access-1", g)
		}
	}
	stored, err := m.Load(context.Background(), ch.ID)
	if err != nil || stored.RefreshToken != "refresh-1" {
		t.Errorf("keyring holds %+v, %v; want the rotated refresh-1", stored, err)
	}
	if rec.accessExpires == nil || !rec.accessExpires.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("recorded access expiry = %v", rec.accessExpires)
	}
}

// A restart after a rotation finds the new refresh token in the keyring
// and keeps working: the old one is dead at the network.
func TestARestartAfterRotationKeepsTheConnection(t *testing.T) {
	m, net, mem, ch, _ := setup(t)
	if _, err := m.Fresh(context.Background(), ch); err != nil {
		t.Fatal(err)
	}
	restarted := New(secrets.New(mem, "test", time.Second), network.NewRegistry(net), nil,
		func() time.Time { return t0.Add(3 * time.Hour) }, slog.New(slog.DiscardHandler))
	c, err := restarted.Fresh(context.Background(), ch)
	if err != nil || c.AccessToken != "access-2" {
		t.Fatalf("after restart Fresh = %+v, %v; want a second refresh to succeed", c, err)
	}
}

func TestAKeyringFailureAfterRotationKeepsTheNewTokenInMemory(t *testing.T) {
	m, net, mem, ch, _ := setup(t)
	mem.FailWrites = errors.New("failed to unlock correct collection")
	c, err := m.Fresh(context.Background(), ch)
	if err != nil || c.AccessToken != "access-1" {
		t.Fatalf("Fresh = %+v, %v", c, err)
	}
	again, err := m.Load(context.Background(), ch.ID)
	if err != nil || again.RefreshToken != "refresh-1" {
		t.Errorf("Load while the keyring is locked = %+v, %v; want the unsaved refresh-1", again, err)
	}
	mem.FailWrites = nil
	if err := m.Save(context.Background(), ch.ID, again); err != nil {
		t.Fatal(err)
	}
	if n := net.calls.Load(); n != 1 {
		t.Errorf("%d refresh calls, want 1", n)
	}
}

func TestRefreshFailures(t *testing.T) {
	t.Run("transient while the token still works uses the current token", func(t *testing.T) {
		m, net, _, ch, _ := setup(t)
		net.failWith = &network.Error{Class: network.ClassTransient, Message: "503"}
		c, err := m.Fresh(context.Background(), ch)
		if err != nil || c.AccessToken != "access-0" {
			t.Errorf("Fresh = %+v, %v", c, err)
		}
	})
	t.Run("auth dead is returned", func(t *testing.T) {
		m, net, _, ch, _ := setup(t)
		net.failWith = &network.Error{Class: network.ClassAuthDead, Message: "revoked"}
		if _, err := m.Fresh(context.Background(), ch); !network.IsAuthDead(err) {
			t.Errorf("Fresh error = %v, want auth dead", err)
		}
	})
	t.Run("renew after someone else renewed does not refresh again", func(t *testing.T) {
		m, net, _, ch, _ := setup(t)
		stale, _ := m.Load(context.Background(), ch.ID)
		if _, err := m.Renew(context.Background(), ch, stale); err != nil {
			t.Fatal(err)
		}
		c, err := m.Renew(context.Background(), ch, stale)
		if err != nil || c.AccessToken != "access-1" || net.calls.Load() != 1 {
			t.Errorf("second Renew with the stale token = %+v, %v, %d calls", c, err, net.calls.Load())
		}
	})
}
