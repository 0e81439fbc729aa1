//go:build dbus

// Run inside a D-Bus session (make test does): go test -tags dbus ./backend/notify/
package notify

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// server is a minimal freedesktop notification daemon on the test bus.
type server struct {
	got  chan []any
	conn *dbus.Conn
}

func (s *server) Notify(app string, replaces uint32, icon, summary, body string, actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	s.got <- []any{app, summary, body, actions, hints["urgency"].Value()}
	return 42, nil
}

func startServer(t *testing.T) *server {
	t.Helper()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatalf("no session bus (run under dbus-run-session): %v", err)
	}
	s := &server{got: make(chan []any, 4), conn: conn}
	if err := conn.Export(s, busPath, busIface); err != nil {
		t.Fatal(err)
	}
	reply, err := conn.RequestName(busName, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("cannot own %s: %v %v", busName, reply, err)
	}
	t.Cleanup(func() { _, _ = conn.ReleaseName(busName); _ = conn.Close() })
	return s
}

func TestNotifyReachesTheDaemonAndActionsCallBack(t *testing.T) {
	srv := startServer(t)
	d := NewDBus(slog.New(slog.DiscardHandler), nil)
	defer d.Close()
	clicked := make(chan string, 1)
	err := d.Notify(context.Background(), Notification{
		Title: "Shop on Mastodon was disconnected", Body: "Reconnect it in Herald.",
		Actions: []Action{{ID: "reconnect", Label: "Reconnect"}}, Urgent: true,
		OnAction: func(id string) { clicked <- id },
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-srv.got:
		actions := got[3].([]string)
		if got[0] != "Herald" || got[1] != "Shop on Mastodon was disconnected" || len(actions) != 2 || actions[0] != "reconnect" || got[4] != byte(2) {
			t.Errorf("daemon received %v", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the notification daemon received nothing")
	}
	if err := srv.conn.Emit(busPath, busIface+".ActionInvoked", uint32(42), "reconnect"); err != nil {
		t.Fatal(err)
	}
	select {
	case id := <-clicked:
		if id != "reconnect" {
			t.Errorf("action = %q", id)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("clicking the action did not reach Herald")
	}
}

func TestNoDaemonIsUnavailable(t *testing.T) {
	d := NewDBus(slog.New(slog.DiscardHandler), nil)
	defer d.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.Notify(ctx, Notification{Title: "x"}); err == nil {
		t.Error("Notify succeeded with no notification daemon on the bus")
	}
}
