package bluesky

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/bluesky/blueskytest"
)

// gate holds refreshSession requests until released.
type gate struct {
	next    network.HTTPDoer
	release chan struct{}
}

func (g gate) Do(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/com.atproto.server.refreshSession") {
		<-g.release
	}
	return g.next.Do(req)
}

// TestConcurrentRefreshSharesOneRequest: two refreshes of one token must
// not both reach the PDS, or the second finds the token spent and the
// channel is disconnected for nothing.
func TestConcurrentRefreshSharesOneRequest(t *testing.T) {
	s := blueskytest.NewServer(t)
	g := gate{next: http.DefaultClient, release: make(chan struct{})}
	cl := New(Options{HTTP: g, Entryway: s.URL(), PLCDirectory: s.URL()})
	cred, err := cl.Login(context.Background(), "", blueskytest.Handle, blueskytest.AppPassword)
	if err != nil {
		t.Fatal(err)
	}

	const n = 8
	results := make([]network.Credential, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { results[i], errs[i] = cl.Refresh(context.Background(), "", cred) })
	}
	waitFor(t, func() bool {
		cl.flights.mu.Lock()
		defer cl.flights.mu.Unlock()
		fl := cl.flights.m[cred.RefreshToken]
		return fl != nil && fl.waiters == n-1
	})
	close(g.release)
	wg.Wait()

	for i := range n {
		if errs[i] != nil {
			t.Fatalf("refresh %d: %v", i, errs[i])
		}
		if results[i].RefreshToken != results[0].RefreshToken {
			t.Errorf("refresh %d returned a different session", i)
		}
	}
	if got := s.Calls("com.atproto.server.refreshSession"); got != 1 {
		t.Errorf("refreshSession reached the PDS %d times, want 1", got)
	}
	results[1].Extra["x"] = "y"
	if results[0].Extra["x"] != "" {
		t.Error("callers share one Extra map")
	}
}

func TestRefreshWaiterHonoursItsContext(t *testing.T) {
	var f flights
	release, leaderDone := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(leaderDone)
		_, _ = f.do(context.Background(), "k", func() (network.Credential, error) {
			<-release
			return network.Credential{}, nil
		})
	}()
	waitFor(t, func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		return f.m["k"] != nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.do(ctx, "k", func() (network.Credential, error) {
		t.Error("a second request was made")
		return network.Credential{}, nil
	})
	close(release)
	<-leaderDone
	if network.ClassOf(err) != network.ClassTransient {
		t.Fatalf("cancelled waiter = %v, want transient", err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting")
		}
		time.Sleep(time.Millisecond)
	}
}
