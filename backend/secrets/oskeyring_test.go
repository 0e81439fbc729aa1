//go:build keyring

// These tests talk to the real OS keyring. `make test` runs them inside
// dbus-run-session with an unlocked gnome-keyring-daemon:
//
//	go test -tags keyring ./backend/secrets/
package secrets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func realStore(t *testing.T) *Store {
	t.Helper()
	return New(OSKeyring{}, fmt.Sprintf("test-%d", time.Now().UnixNano()), 5*time.Second)
}

func TestOSKeyringRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := realStore(t)
	key := Key("channel", "1", "oauth")
	value := `{"access_token":"tok-` + fmt.Sprint(time.Now().UnixNano()) + `"}`
	if err := s.Set(ctx, key, value); err != nil {
		t.Fatalf("Set: %v", err)
	}
	t.Cleanup(func() { _ = s.Delete(ctx, key) })
	got, err := s.Get(ctx, key)
	if err != nil || got != value {
		t.Fatalf("Get = %q, %v; want %q", got, err, value)
	}
	if err := s.Set(ctx, key, value+"2"); err != nil {
		t.Fatalf("Set (replace): %v", err)
	}
	if got, _ := s.Get(ctx, key); got != value+"2" {
		t.Errorf("Get after replace = %q", got)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Get(ctx, key); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete error = %v, want ErrNotFound", err)
	}
	if st := s.Probe(ctx); !st.Available {
		t.Errorf("Probe = %+v, want available", st)
	}
}

// probeResult is what the helper process prints.
type probeResult struct {
	Available bool
	Kind      string
	Message   string
	Hint      string
}

// TestHelperKeyringProbe is not a test on its own: the tests below run the
// test binary again with HERALD_KEYRING_HELPER=1 in a different D-Bus
// environment (the D-Bus connection is shared per process, so each
// environment needs its own process).
func TestHelperKeyringProbe(t *testing.T) {
	if os.Getenv("HERALD_KEYRING_HELPER") != "1" {
		return
	}
	s := New(OSKeyring{}, "helper", 3*time.Second)
	err := s.Set(context.Background(), "probe", "value")
	res := probeResult{Available: err == nil}
	for _, k := range []error{ErrLocked, ErrUnavailable, ErrTimeout} {
		if errors.Is(err, k) {
			res.Kind = k.Error()
		}
	}
	if err != nil {
		res.Message = err.Error()
		var se *Error
		if errors.As(err, &se) {
			res.Hint = se.Hint
		}
	}
	_ = s.Delete(context.Background(), "probe")
	b, _ := json.Marshal(res)
	// A file, not stdout: the keyring daemon started in the same session
	// writes to the shared output without line breaks of its own.
	if err := os.WriteFile(os.Getenv("HERALD_KEYRING_RESULT"), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func runHelper(t *testing.T, cmd *exec.Cmd) probeResult {
	t.Helper()
	result := filepath.Join(t.TempDir(), "result.json")
	cmd.Env = append(cmd.Env, "HERALD_KEYRING_RESULT="+result)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper failed: %v\n%s", err, out)
	}
	b, err := os.ReadFile(result)
	if err != nil {
		t.Fatalf("helper wrote no result (%v):\n%s", err, out)
	}
	var r probeResult
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("helper result %q: %v", b, err)
	}
	return r
}

func TestOSKeyringAbsentGivesAClearError(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperKeyringProbe$", "-test.count=1")
	cmd.Env = append(os.Environ(), "HERALD_KEYRING_HELPER=1", "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/herald-test-bus")
	r := runHelper(t, cmd)
	if r.Available || r.Kind != ErrUnavailable.Error() {
		t.Fatalf("probe with no bus = %+v, want unavailable", r)
	}
	if !strings.Contains(r.Hint, "keyring") {
		t.Errorf("hint %q does not say what to do", r.Hint)
	}
}

func TestOSKeyringLockedGivesAClearError(t *testing.T) {
	if _, err := exec.LookPath("dbus-run-session"); err != nil {
		t.Fatal("dbus-run-session is required for this test (apt-get install dbus)")
	}
	home := t.TempDir()
	// A fresh session whose keyring daemon is started but never unlocked.
	script := `gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1; exec "$0" -test.run='^TestHelperKeyringProbe$' -test.count=1`
	cmd := exec.Command("dbus-run-session", "--", "sh", "-c", script, os.Args[0])
	cmd.Env = append(os.Environ(), "HERALD_KEYRING_HELPER=1", "HOME="+home, "XDG_DATA_HOME="+home+"/data", "XDG_RUNTIME_DIR="+home)
	r := runHelper(t, cmd)
	if r.Available {
		t.Fatalf("a locked keyring accepted a secret: %+v", r)
	}
	if r.Kind != ErrLocked.Error() && r.Kind != ErrTimeout.Error() {
		t.Fatalf("locked keyring = %+v, want locked (or timed out waiting for the unlock prompt)", r)
	}
	if !strings.Contains(strings.ToLower(r.Hint), "unlock") {
		t.Errorf("hint %q does not say to unlock", r.Hint)
	}
}
