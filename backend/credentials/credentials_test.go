package credentials

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
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

// recorder is the channel table: expiries and the credential generation.
type recorder struct {
	mu            sync.Mutex
	accessExpires *time.Time
	gen           int64
}

func (r *recorder) TokenRenewed(_ context.Context, _ int64, _, access *time.Time) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.accessExpires = access
	r.gen++
	return r.gen, nil
}

func (r *recorder) CredentialGeneration(context.Context, int64) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.gen, nil
}

// reconnect is what a sign-in does to the channel's generation.
func (r *recorder) reconnect() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gen++
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

func TestConcurrentRenewalsShareOneRefresh(t *testing.T) {
	m, net, _, ch, _ := setup(t)
	net.slow = 50 * time.Millisecond
	stale, err := m.Load(context.Background(), ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make([]network.Credential, 20)
	for i := range got {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var err error
			if i%2 == 0 {
				got[i], err = m.Renew(context.Background(), ch, stale)
			} else {
				// The health monitor's refresh of a due token, at the same time.
				got[i], err = m.Fresh(context.Background(), ch)
			}
			if err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	if n := net.calls.Load(); n != 1 {
		t.Errorf("%d refresh calls, want 1", n)
	}
	for i, c := range got {
		if c.AccessToken != "access-1" || c.Generation != 1 {
			t.Errorf("caller %d got %q at generation %d, want access-1 at 1", i, c.AccessToken, c.Generation)
		}
	}
}

func TestConcurrentRenewalsShareAFailure(t *testing.T) {
	m, net, _, ch, _ := setup(t)
	net.slow = 50 * time.Millisecond
	net.failWith = &network.Error{Class: network.ClassTransient, Message: "timeout"}
	stale, _ := m.Load(context.Background(), ch.ID)
	var wg sync.WaitGroup
	var failed atomic.Int32
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := m.Renew(context.Background(), ch, stale); network.ClassOf(err) == network.ClassTransient && err != nil {
				failed.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := net.calls.Load(); n != 1 || failed.Load() != 10 {
		t.Errorf("%d refresh calls, %d callers failed; want 1 call shared by all 10", n, failed.Load())
	}
}

func TestAWaiterGivesUpButTheRefreshIsSaved(t *testing.T) {
	m, net, _, ch, _ := setup(t)
	net.slow = 100 * time.Millisecond
	stale, _ := m.Load(context.Background(), ch.ID)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := m.Renew(ctx, ch, stale); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Renew past its deadline = %v", err)
	}
	c, err := m.Renew(context.Background(), ch, stale)
	if err != nil || c.AccessToken != "access-1" || net.calls.Load() != 1 {
		t.Fatalf("Renew after = %q, %v, %d calls; want the first refresh's access-1", c.AccessToken, err, net.calls.Load())
	}
}

// A reconnect's save waits for a refresh in progress: the refresh cannot
// overwrite the new sign-in with the token it rotated from the old one.
func TestSaveWaitsForARefreshInProgress(t *testing.T) {
	m, net, _, ch, rec := setup(t)
	net.slow = 100 * time.Millisecond
	stale, _ := m.Load(context.Background(), ch.ID)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := m.Renew(context.Background(), ch, stale); err != nil {
			t.Error(err)
		}
	}()
	for net.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	reconnected := network.Credential{AccessToken: "signed-in-again", RefreshToken: "new-grant", Expiry: t0.Add(2 * time.Hour)}
	if err := m.Save(context.Background(), ch.ID, reconnected); err != nil {
		t.Fatal(err)
	}
	rec.reconnect()
	<-done
	c, err := m.Fresh(context.Background(), ch)
	if err != nil || c.AccessToken != "signed-in-again" || c.Generation != 2 {
		t.Errorf("after the reconnect Fresh = %q at %d, %v; want the new sign-in at generation 2", c.AccessToken, c.Generation, err)
	}
}

func TestGenerations(t *testing.T) {
	m, _, _, ch, rec := setup(t)
	ctx := context.Background()
	ch.CredentialGeneration = 99 // a stale copy of the row: the table's own count wins
	c, err := m.Fresh(ctx, ch)   // due: rotates
	if err != nil || c.Generation != 1 {
		t.Fatalf("Fresh after a rotation = generation %d, %v; want 1", c.Generation, err)
	}
	rec.reconnect()
	if err := m.Save(ctx, ch.ID, network.Credential{AccessToken: "x", Expiry: t0.Add(time.Hour * 3)}); err != nil {
		t.Fatal(err)
	}
	if c, err := m.Fresh(ctx, ch); err != nil || c.Generation != 2 || c.AccessToken != "x" {
		t.Errorf("Fresh after a reconnect = %q at %d, %v", c.AccessToken, c.Generation, err)
	}
	// Nothing of the generation goes to the keyring.
	raw, _ := m.secrets.Get(ctx, Key(ch.ID))
	if strings.Contains(strings.ToLower(raw), "generation") {
		t.Errorf("the keyring item holds the generation: %s", raw)
	}
}

// flaky is a keyring whose next failSets writes fail.
type flaky struct {
	SecretStore
	mu       sync.Mutex
	failSets int
	sets     int
}

func (f *flaky) Set(ctx context.Context, key, value string) error {
	f.mu.Lock()
	f.sets++
	fail := f.failSets > 0
	if fail {
		f.failSets--
	}
	f.mu.Unlock()
	if fail {
		return errors.New("failed to unlock correct collection")
	}
	return f.SecretStore.Set(ctx, key, value)
}

func flakySetup(t *testing.T, failSets int) (*Manager, *rotating, *flaky, model.Channel, *[]int64) {
	t.Helper()
	m, net, mem, ch, rec := setup(t)
	store := &flaky{SecretStore: secrets.New(mem, "test", time.Second), failSets: failSets}
	m2 := New(store, m.networks, rec, m.now, m.log)
	var mu sync.Mutex
	var notes []int64
	m2.WatchSaves(func(_ context.Context, id int64) {
		mu.Lock()
		defer mu.Unlock()
		notes = append(notes, id)
	})
	return m2, net, store, ch, &notes
}

func TestAKeyringThatFailsBrieflyIsRetried(t *testing.T) {
	m, _, store, ch, notes := flakySetup(t, saveAttempts-1)
	c, err := m.Fresh(context.Background(), ch)
	if err != nil || c.AccessToken != "access-1" {
		t.Fatalf("Fresh = %+v, %v", c, err)
	}
	if err := m.Unsaved(ch.ID); err != nil || len(*notes) != 0 || store.sets != saveAttempts {
		t.Errorf("Unsaved = %v, %d notices, %d writes; want saved on attempt %d", err, len(*notes), store.sets, saveAttempts)
	}
}

func TestARotatedTokenTheKeyringRefusesIsSavedOnNextUse(t *testing.T) {
	m, net, store, ch, notes := flakySetup(t, saveAttempts+1)
	ctx := context.Background()
	c, err := m.Fresh(ctx, ch)
	if err != nil || c.AccessToken != "access-1" {
		t.Fatalf("Fresh = %+v, %v", c, err)
	}
	uerr := m.Unsaved(ch.ID)
	if uerr == nil || len(*notes) != 1 {
		t.Fatalf("Unsaved = %v with %d notices; want the keyring failure, told once", uerr, len(*notes))
	}
	for _, secret := range []string{"access-1", "refresh-1", "access-0", "refresh-0"} {
		if strings.Contains(uerr.Error(), secret) {
			t.Errorf("the error names a token: %v", uerr)
		}
	}

	// The next use tries again (and fails once more): the token in memory
	// is the one used, nothing is refreshed twice.
	c, err = m.Fresh(ctx, ch)
	if err != nil || c.RefreshToken != "refresh-1" || m.Unsaved(ch.ID) == nil || len(*notes) != 1 {
		t.Fatalf("second use = %+v, %v; unsaved %v", c, err, m.Unsaved(ch.ID))
	}
	// The one after succeeds.
	c, err = m.Fresh(ctx, ch)
	if err != nil || c.RefreshToken != "refresh-1" || m.Unsaved(ch.ID) != nil || len(*notes) != 2 {
		t.Fatalf("third use = %+v, %v; unsaved %v, %d notices", c, err, m.Unsaved(ch.ID), len(*notes))
	}
	restarted := New(store, network.NewRegistry(net), nil, m.now, m.log)
	if stored, err := restarted.Load(ctx, ch.ID); err != nil || stored.RefreshToken != "refresh-1" {
		t.Errorf("keyring after the retry = %+v, %v", stored, err)
	}
	if n := net.calls.Load(); n != 1 {
		t.Errorf("%d refresh calls, want 1", n)
	}
}

func TestACredentialMissingFromTheKeyringIsDeadWithItsReason(t *testing.T) {
	m, _, mem, ch, _ := setup(t)
	// The data folder came from another computer: its keyring lacks the item.
	if err := mem.Delete(secrets.Service, "test/"+Key(ch.ID)); err != nil {
		t.Fatal(err)
	}
	for name, load := range map[string]func() error{
		"Load":  func() error { _, err := m.Load(context.Background(), ch.ID); return err },
		"Fresh": func() error { _, err := m.Fresh(context.Background(), ch); return err },
	} {
		err := load()
		var ne *network.Error
		if !errors.As(err, &ne) || ne.Class != network.ClassAuthDead || ne.Code != CodeMissing || ne.Message != MissingMessage {
			t.Errorf("%s: error = %v, want auth-dead %s", name, err, CodeMissing)
		}
		if !errors.Is(err, secrets.ErrNotFound) {
			t.Errorf("%s: error %v no longer matches secrets.ErrNotFound", name, err)
		}
	}
}

func TestALockedKeyringIsNotADeadCredential(t *testing.T) {
	m, _, mem, ch, _ := setup(t)
	mem.Fail = errors.New("the collection is locked")
	_, err := m.Load(context.Background(), ch.ID)
	if err == nil || network.IsAuthDead(err) {
		t.Errorf("locked keyring: error = %v, want a failure that is not auth-dead", err)
	}
}
