package secrets

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

func newTestStore(b Backend) *Store { return New(b, "install-a", time.Second) }

func TestRoundTripAndScope(t *testing.T) {
	ctx := context.Background()
	mem := NewMemory()
	a := newTestStore(mem)
	b := New(mem, "install-b", time.Second)

	key := Key("channel", "7", "oauth")
	if err := a.Set(ctx, key, `{"access_token":"abc"}`); err != nil {
		t.Fatal(err)
	}
	got, err := a.Get(ctx, key)
	if err != nil || got != `{"access_token":"abc"}` {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if _, err := b.Get(ctx, key); !errors.Is(err, ErrNotFound) {
		t.Errorf("another installation's Get error = %v, want ErrNotFound", err)
	}
	if err := a.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if err := a.Delete(ctx, key); err != nil {
		t.Errorf("deleting a missing key = %v, want nil", err)
	}
	if _, err := a.Get(ctx, key); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete = %v, want ErrNotFound", err)
	}
}

func TestFailuresAreClassifiedWithAHint(t *testing.T) {
	cases := []struct {
		name    string
		backend error
		want    error
		hint    string
	}{
		{"locked collection", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), ErrLocked, "Unlock your keyring"},
		{"prompt dismissed", errors.New("prompt dismissed"), ErrLocked, "Unlock your keyring"},
		{"no secret service", errors.New("The name org.freedesktop.secrets was not provided by any .service files"), ErrUnavailable, "Secret Service provider"},
		{"no dbus-launch", errors.New(`exec: "dbus-launch": executable file not found in $PATH`), ErrUnavailable, "system keyring"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := NewMemory()
			mem.Fail = tc.backend
			s := newTestStore(mem)
			err := s.Set(context.Background(), "k", "super-secret-value")
			if !errors.Is(err, tc.want) {
				t.Fatalf("Set error = %v, want %v", err, tc.want)
			}
			var se *Error
			if !errors.As(err, &se) || !strings.Contains(se.Hint, tc.hint) {
				t.Errorf("hint = %q, want it to mention %q", se.Hint, tc.hint)
			}
			if strings.Contains(err.Error(), "super-secret-value") {
				t.Error("the error message contains the secret")
			}
		})
	}
}

type blockingBackend struct{ release chan struct{} }

func (b blockingBackend) Set(string, string, string) error { <-b.release; return nil }
func (b blockingBackend) Get(string, string) (string, error) {
	<-b.release
	return "", nil
}
func (b blockingBackend) Delete(string, string) error { <-b.release; return nil }

func TestAHangingKeyringTimesOut(t *testing.T) {
	b := blockingBackend{release: make(chan struct{})}
	defer close(b.release)
	s := newTestStore(b)
	s.timeout = 20 * time.Millisecond
	err := s.Set(context.Background(), "k", "v")
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("Set error = %v, want ErrTimeout", err)
	}
}

func TestNoSessionBusIsRefusedBeforeDBusIsTouched(t *testing.T) {
	if !isLinux() {
		t.Skip("the session-bus preflight only exists on Linux")
	}
	s := New(OSKeyring{Getenv: func(string) string { return "" }}, "install-a", time.Second)
	if err := s.Set(context.Background(), "k", "v"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Set error = %v, want ErrUnavailable", err)
	}
	if st := s.Probe(context.Background()); st.Available || !strings.Contains(st.Hint, "Secret Service") {
		t.Errorf("Probe = %+v, want unavailable with a hint", st)
	}
}

func TestProbeReportsAWorkingKeyringAndLeavesNothing(t *testing.T) {
	mem := NewMemory()
	s := newTestStore(mem)
	st := s.Probe(context.Background())
	if !st.Available {
		t.Fatalf("Probe = %+v, want available", st)
	}
	if mem.Len() != 0 {
		t.Errorf("Probe left %d items in the keyring", mem.Len())
	}
}

func isLinux() bool { return runtime.GOOS == "linux" }
