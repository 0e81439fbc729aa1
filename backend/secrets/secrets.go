// Package secrets keeps credentials in the operating system's keyring
// (Secret Service, Keychain, Credential Manager). Nothing here ever falls
// back to a file: when no keyring answers, callers get an error that says
// what to do, and nothing is half-saved.
package secrets

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// Service is the keyring service name every Herald item is filed under.
const Service = "Herald"

// DefaultTimeout bounds each keyring call. A locked keyring may show an
// unlock prompt; we would rather report "locked" than hang a publish.
const DefaultTimeout = 10 * time.Second

// Error kinds callers can test with errors.Is.
var (
	ErrNotFound    = errors.New("secret not found in the keyring")
	ErrUnavailable = errors.New("no keyring service is available")
	ErrLocked      = errors.New("the keyring is locked")
	ErrTimeout     = errors.New("the keyring did not answer in time")
	ErrTooBig      = errors.New("the secret is too big for this keyring")
)

// Error wraps a keyring failure with the action that failed and a hint
// the UI shows as the way forward. It never contains the secret.
type Error struct {
	Op   string // "save", "read", "delete"
	Kind error  // one of the Err* values
	Hint string
	Err  error // the underlying error, for logs
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s credential: %v", e.Op, e.Kind)
	if e.Hint != "" {
		msg += ". " + e.Hint
	}
	return msg
}

func (e *Error) Is(target error) bool { return target == e.Kind }
func (e *Error) Unwrap() error        { return e.Err }

// Backend is the keyring API Herald needs; go-keyring in production, an
// in-memory map in tests of other packages.
type Backend interface {
	Set(service, user, password string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// OSKeyring is the real operating-system keyring.
type OSKeyring struct {
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
}

func (k OSKeyring) Set(service, user, password string) error {
	if err := k.preflight(); err != nil {
		return err
	}
	return keyring.Set(service, user, password)
}

func (k OSKeyring) Get(service, user string) (string, error) {
	if err := k.preflight(); err != nil {
		return "", err
	}
	return keyring.Get(service, user)
}

func (k OSKeyring) Delete(service, user string) error {
	if err := k.preflight(); err != nil {
		return err
	}
	return keyring.Delete(service, user)
}

// preflight refuses on Linux when there is no session bus at all: the
// D-Bus library would otherwise start a stray bus with dbus-launch, which
// has no keyring in it and outlives Herald.
func (k OSKeyring) preflight() error {
	if runtime.GOOS != "linux" {
		return nil
	}
	getenv := k.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return nil
	}
	if dir := getenv("XDG_RUNTIME_DIR"); dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "bus")); err == nil {
			return nil
		}
	}
	return errors.New("no D-Bus session bus ($DBUS_SESSION_BUS_ADDRESS is empty)")
}

// Store files secrets under Service with an account name scoped to one
// Herald installation, so two data folders never share credentials.
type Store struct {
	backend Backend
	scope   string
	timeout time.Duration
}

// New returns a Store. scope is the installation id.
func New(backend Backend, scope string, timeout time.Duration) *Store {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Store{backend: backend, scope: scope, timeout: timeout}
}

// Key names one credential, e.g. Key("channel", "12", "oauth").
func Key(parts ...string) string { return strings.Join(parts, "/") }

func (s *Store) account(key string) string { return s.scope + "/" + key }

// Set stores value under key, replacing any previous value.
func (s *Store) Set(ctx context.Context, key, value string) error {
	return s.call(ctx, "save", func() error { return s.backend.Set(Service, s.account(key), value) })
}

// Get returns the value under key, or an error matching ErrNotFound.
func (s *Store) Get(ctx context.Context, key string) (string, error) {
	var v string
	err := s.call(ctx, "read", func() error {
		var err error
		v, err = s.backend.Get(Service, s.account(key))
		return err
	})
	return v, err
}

// Delete removes key. Deleting a missing key is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	err := s.call(ctx, "delete", func() error { return s.backend.Delete(Service, s.account(key)) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// Status is the keyring health shown in Diagnostics.
type Status struct {
	Available bool
	Backend   string
	Message   string
	Hint      string
}

// Probe writes, reads back and deletes a throwaway item to prove the
// keyring works end to end.
func (s *Store) Probe(ctx context.Context) Status {
	st := Status{Backend: backendName()}
	key := Key("probe", fmt.Sprint(time.Now().UnixNano()))
	const want = "herald-keyring-probe"
	err := s.Set(ctx, key, want)
	if err == nil {
		var got string
		got, err = s.Get(ctx, key)
		if err == nil && got != want {
			err = &Error{Op: "read", Kind: ErrUnavailable, Hint: "the keyring returned a different value than was saved"}
		}
		if derr := s.Delete(ctx, key); err == nil {
			err = derr
		}
	}
	if err != nil {
		st.Message = err.Error()
		var se *Error
		if errors.As(err, &se) {
			st.Message = fmt.Sprintf("%s credential: %v", se.Op, se.Kind)
			st.Hint = se.Hint
		}
		return st
	}
	st.Available = true
	st.Message = "Credentials are stored in " + st.Backend + "."
	return st
}

func backendName() string {
	switch runtime.GOOS {
	case "darwin":
		return "the macOS Keychain"
	case "windows":
		return "Windows Credential Manager"
	default:
		return "the Secret Service (GNOME Keyring or KWallet)"
	}
}

func (s *Store) call(ctx context.Context, op string, fn func() error) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	done := make(chan error, 1)
	// The keyring API has no context; an unanswered unlock prompt would block
	// forever. The goroutine ends when the D-Bus call returns.
	go func() { done <- fn() }()
	select {
	case err := <-done:
		if err == nil {
			return nil
		}
		kind := classify(err)
		return &Error{Op: op, Kind: kind, Hint: hintFor(kind), Err: err}
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return &Error{Op: op, Kind: ErrTimeout, Hint: hintFor(ErrTimeout), Err: ctx.Err()}
		}
		return ctx.Err()
	}
}

func classify(err error) error {
	if errors.Is(err, keyring.ErrNotFound) {
		return ErrNotFound
	}
	if errors.Is(err, keyring.ErrSetDataTooBig) {
		return ErrTooBig
	}
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "unlock"), strings.Contains(msg, "locked"), strings.Contains(msg, "dismissed"):
		return ErrLocked
	default:
		return ErrUnavailable
	}
}

func hintFor(kind error) string {
	switch {
	case errors.Is(kind, ErrLocked):
		return "Unlock your keyring (on Linux: GNOME Keyring or KWallet, usually unlocked when you log in), then try again"
	case errors.Is(kind, ErrTimeout):
		return "The keyring may be waiting for you to unlock it in another window; unlock it and try again"
	case errors.Is(kind, ErrTooBig):
		return "This credential is larger than the keyring allows"
	case errors.Is(kind, ErrNotFound):
		return "Reconnect the channel to store a new credential"
	default:
		switch runtime.GOOS {
		case "linux":
			return "Herald stores tokens only in the system keyring. Install and start a Secret Service provider (gnome-keyring or KWallet) in your desktop session, then restart Herald"
		default:
			return "Herald stores tokens only in the system keyring; make sure it is running, then try again"
		}
	}
}
