package bluesky

import (
	"context"
	"maps"
	"sync"

	"herald/backend/network"
)

// flights lets concurrent refreshes of one refresh token share a request.
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

type flight struct {
	done    chan struct{}
	waiters int // callers sharing the leader's request, under flights.mu
	cred    network.Credential
	err     error
}

// do runs fn once for every caller that arrives with key while it runs.
func (f *flights) do(ctx context.Context, key string, fn func() (network.Credential, error)) (network.Credential, error) {
	f.mu.Lock()
	if fl, ok := f.m[key]; ok {
		fl.waiters++
		f.mu.Unlock()
		select {
		case <-fl.done:
			c := fl.cred
			c.Extra = maps.Clone(c.Extra) // each caller owns its credential
			return c, fl.err
		case <-ctx.Done():
			return network.Credential{}, network.TransportError(ID, "refresh", ctx.Err())
		}
	}
	if f.m == nil {
		f.m = map[string]*flight{}
	}
	// The preset error is what waiters see should fn panic.
	fl := &flight{done: make(chan struct{}), err: &network.Error{Network: ID, Op: "refresh",
		Class: network.ClassTransient, Message: "the refresh did not finish"}}
	f.m[key] = fl
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.m, key)
		f.mu.Unlock()
		close(fl.done)
	}()
	fl.cred, fl.err = fn()
	return fl.cred, fl.err
}
