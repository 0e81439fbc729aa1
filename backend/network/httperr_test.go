package network_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/networktest"
)

func TestMaybeTaken(t *testing.T) {
	taken := map[int]bool{502: true, 503: true, 504: true, 520: true, 521: true, 522: true, 523: true, 524: true}
	for status := 100; status < 600; status++ {
		if got := network.MaybeTaken(status); got != taken[status] {
			t.Errorf("MaybeTaken(%d) = %v, want %v", status, got, taken[status])
		}
	}
	// Every "maybe taken" answer is also one to try again later.
	for status := range taken {
		if c := network.HTTPClass(status); c != network.ClassTransient {
			t.Errorf("HTTPClass(%d) = %s, want transient", status, c)
		}
	}
}

// post sends a request with a body to h, as a network client's create
// call does, and classifies the failure the way the clients do.
func post(t *testing.T, h http.HandlerFunc, timeout time.Duration) *network.Error {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/create", strings.NewReader(`{"text":"hello"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err == nil {
		_ = resp.Body.Close()
		t.Fatalf("the request got an answer (HTTP %d), want a transport failure", resp.StatusCode)
	}
	return network.TransportError("test", "create", err)
}

func TestTransportFailureAfterTheBodyWasSentIsSent(t *testing.T) {
	cases := []struct {
		name string
		h    http.HandlerFunc
	}{
		{"closed after reading the body (EOF)", func(w http.ResponseWriter, r *http.Request) {
			networktest.DropAfterBody(w, r, networktest.DropClose)
		}},
		{"reset after reading the body", func(w http.ResponseWriter, r *http.Request) {
			networktest.DropAfterBody(w, r, networktest.DropReset)
		}},
		{"no answer in time", func(_ http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := post(t, tc.h, 500*time.Millisecond)
			if e.Class != network.ClassTransient || !e.Sent {
				t.Fatalf("TransportError = %+v, want transient and Sent", e)
			}
			if errors.Is(e, context.Canceled) {
				t.Errorf("a server failure reads as a cancellation: %v", e)
			}
		})
	}
}
