package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/godbus/dbus/v5"
)

const (
	busName   = "org.freedesktop.Notifications"
	busPath   = "/org/freedesktop/Notifications"
	busIface  = "org.freedesktop.Notifications"
	appName   = "Herald"
	appIconID = "herald"
)

// ErrUnavailable means no notification service is reachable.
var ErrUnavailable = errors.New("desktop notifications are not available")

// DBus sends notifications over the session bus. It connects lazily and
// never starts a bus of its own.
type DBus struct {
	log    *slog.Logger
	getenv func(string) string

	mu      sync.Mutex
	conn    *dbus.Conn
	actions map[uint32]func(string)
	stop    chan struct{}
}

// NewDBus returns a D-Bus notifier; getenv nil means os.Getenv.
func NewDBus(log *slog.Logger, getenv func(string) string) *DBus {
	if getenv == nil {
		getenv = os.Getenv
	}
	return &DBus{log: log, getenv: getenv, actions: map[uint32]func(string){}}
}

func (d *DBus) connect() (*dbus.Conn, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn != nil {
		return d.conn, nil
	}
	addr := d.getenv("DBUS_SESSION_BUS_ADDRESS")
	if addr == "" {
		if dir := d.getenv("XDG_RUNTIME_DIR"); dir != "" {
			if _, err := os.Stat(filepath.Join(dir, "bus")); err == nil {
				addr = "unix:path=" + filepath.Join(dir, "bus")
			}
		}
	}
	if addr == "" {
		return nil, fmt.Errorf("%w: no D-Bus session bus", ErrUnavailable)
	}
	// A private connection: closing it never disturbs the shared one the
	// keyring uses.
	conn, err := dbus.Connect(addr)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	if err := conn.AddMatchSignal(dbus.WithMatchInterface(busIface), dbus.WithMatchMember("ActionInvoked")); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	signals := make(chan *dbus.Signal, 16)
	conn.Signal(signals)
	d.conn, d.stop = conn, make(chan struct{})
	go d.dispatch(signals, d.stop)
	return conn, nil
}

// dispatch runs action callbacks until Close.
func (d *DBus) dispatch(signals <-chan *dbus.Signal, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case s, ok := <-signals:
			if !ok {
				return
			}
			if s.Name != busIface+".ActionInvoked" || len(s.Body) != 2 {
				continue
			}
			id, _ := s.Body[0].(uint32)
			action, _ := s.Body[1].(string)
			d.mu.Lock()
			fn := d.actions[id]
			d.mu.Unlock()
			if fn != nil {
				go fn(action)
			}
		}
	}
}

// Notify raises n. It returns ErrUnavailable (wrapped) when there is no
// notification service; callers show the in-app notice either way.
func (d *DBus) Notify(ctx context.Context, n Notification) error {
	conn, err := d.connect()
	if err != nil {
		return err
	}
	actions := make([]string, 0, 2*len(n.Actions))
	for _, a := range n.Actions {
		actions = append(actions, a.ID, a.Label)
	}
	urgency := byte(1)
	timeout := int32(-1)
	if n.Urgent {
		urgency, timeout = 2, 0
	}
	hints := map[string]dbus.Variant{"urgency": dbus.MakeVariant(urgency), "desktop-entry": dbus.MakeVariant(appIconID)}
	var id uint32
	call := conn.Object(busName, busPath).CallWithContext(ctx, busIface+".Notify", 0,
		appName, uint32(0), appIconID, n.Title, n.Body, actions, hints, timeout)
	if call.Err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, call.Err)
	}
	if err := call.Store(&id); err != nil {
		return fmt.Errorf("notification id: %w", err)
	}
	if n.OnAction != nil {
		d.mu.Lock()
		d.actions[id] = n.OnAction
		d.mu.Unlock()
	}
	return nil
}

// Close drops the bus connection.
func (d *DBus) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn == nil {
		return nil
	}
	close(d.stop)
	err := d.conn.Close()
	d.conn = nil
	return err
}
