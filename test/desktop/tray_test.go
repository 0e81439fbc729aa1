//go:build e2e

package desktop

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"herald/backend/db"
	"herald/backend/store"
	"herald/test/seed"
)

// watcher is a minimal StatusNotifierWatcher: the part of a desktop panel
// that tray icons register with.
type watcher struct{ items chan string }

func (w *watcher) RegisterStatusNotifierItem(service string, sender dbus.Sender) *dbus.Error {
	w.items <- string(sender) + "|" + service
	return nil
}

func (w *watcher) RegisterStatusNotifierHost(string) *dbus.Error { return nil }

type menuItem struct {
	ID      int32
	Label   string
	Visible bool
}

// menu reads the tray menu's items over D-Bus (com.canonical.dbusmenu).
func menu(t *testing.T, conn *dbus.Conn, dest string) []menuItem {
	t.Helper()
	var revision uint32
	var layout struct {
		ID       int32
		Props    map[string]dbus.Variant
		Children []dbus.Variant
	}
	err := conn.Object(dest, "/StatusNotifierItem/menu").Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{"label", "visible"}).
		Store(&revision, &layout)
	if err != nil {
		t.Fatalf("read the tray menu: %v", err)
	}
	var out []menuItem
	for _, c := range layout.Children {
		fields, ok := c.Value().([]any)
		if !ok || len(fields) < 2 {
			continue
		}
		id, _ := fields[0].(int32)
		props, _ := fields[1].(map[string]dbus.Variant)
		label, _ := props["label"].Value().(string)
		// An item without the property is visible (dbusmenu's default).
		visible := true
		if v, ok := props["visible"]; ok {
			visible, _ = v.Value().(bool)
		}
		out = append(out, menuItem{ID: id, Label: label, Visible: visible})
	}
	return out
}

func click(t *testing.T, conn *dbus.Conn, dest, label string) {
	t.Helper()
	for _, it := range menu(t, conn, dest) {
		if it.Label == label {
			call := conn.Object(dest, "/StatusNotifierItem/menu").Call("com.canonical.dbusmenu.Event", 0, it.ID, "clicked", dbus.MakeVariant(""), uint32(0))
			if call.Err != nil {
				t.Fatalf("click %q: %v", label, call.Err)
			}
			return
		}
	}
	t.Fatalf("the tray menu has no %q: %+v", label, menu(t, conn, dest))
}

// TestTrayKeepsHeraldRunningAndPausesPublishing: with a tray host on the
// bus, closing the window hides it and Herald keeps running; the tray's
// Pause item pauses publishing (saved and audited); its inbox line counts
// the unread items and opens the window; Quit ends Herald.
func TestTrayKeepsHeraldRunningAndPausesPublishing(t *testing.T) {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatalf("this test needs a D-Bus session (make test runs it in dbus-run-session): %v", err)
	}
	defer conn.Close()
	w := &watcher{items: make(chan string, 4)}
	if err := conn.Export(w, "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher"); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName("org.kde.StatusNotifierWatcher", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own the watcher name: %v %v", reply, err)
	}
	defer func() { _, _ = conn.ReleaseName("org.kde.StatusNotifierWatcher") }()

	// A channel with an inbox: six items read, two unread.
	data := filepath.Join(t.TempDir(), "data")
	seedInbox(t, data, 8, 0.25)
	p := start(t, binary(t), "HERALD_DATA_DIR="+data)
	p.data = data
	win := waitWindow(t, p)
	var item string
	select {
	case item = <-w.items:
	case <-time.After(30 * time.Second):
		t.Fatalf("Herald registered no tray icon\n%s", p.out)
	}
	dest := strings.SplitN(item, "|", 2)[0]

	labels := func() []string {
		var ls []string
		for _, it := range menu(t, conn, dest) {
			ls = append(ls, it.Label)
		}
		return ls
	}
	if got := strings.Join(labels(), ","); !strings.Contains(got, "Open Herald") || !strings.Contains(got, "Pause all publishing") || !strings.Contains(got, "Quit Herald") {
		t.Fatalf("tray menu = %s", got)
	}
	const unread = "Inbox: 2 unread"
	if !visible(t, conn, dest, unread) {
		t.Fatalf("the tray menu shows no %q: %+v", unread, menu(t, conn, dest))
	}

	// Closing the window only hides it.
	closer := filepath.Join(t.TempDir(), "wmclose")
	if out, err := exec.Command("gcc", "-o", closer, "testdata/wmclose.c", "-lX11").CombinedOutput(); err != nil {
		t.Fatalf("build wmclose: %v\n%s", err, out)
	}
	if out, err := exec.Command(closer, win).CombinedOutput(); err != nil {
		t.Fatalf("close the window: %v\n%s", err, out)
	}
	time.Sleep(2 * time.Second)
	if _, done := p.exited(time.Second); done {
		t.Fatalf("closing the window ended Herald although it lives in the tray\n%s", p.out)
	}
	if out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^Herald$").Output(); len(strings.TrimSpace(string(out))) != 0 {
		t.Error("the window is still visible after closing it")
	}

	click(t, conn, dest, "Pause all publishing")
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(strings.Join(labels(), ","), "Resume publishing") {
		if time.Now().After(deadline) {
			t.Fatalf("the tray did not switch to Resume: %v", labels())
		}
		time.Sleep(200 * time.Millisecond)
	}

	// The inbox line shows the window (on the inbox); closed again, Open
	// Herald shows it.
	click(t, conn, dest, unread)
	win = waitWindow(t, p)
	if out, err := exec.Command(closer, win).CombinedOutput(); err != nil {
		t.Fatalf("close the window: %v\n%s", err, out)
	}
	click(t, conn, dest, "Open Herald")
	waitWindow(t, p)

	click(t, conn, dest, "Quit Herald")
	code, ok := p.exited(30 * time.Second)
	if !ok || code != 0 {
		t.Fatalf("Quit from the tray: exited %v with %d\n%s", ok, code, p.out)
	}

	g, _, err := db.Open(context.Background(), db.Options{Path: filepath.Join(p.data, "herald.db"), BackupDir: filepath.Join(p.data, "backups")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(g)
	if v, ok, _ := store.NewSettings(g, time.Now).Get(context.Background(), "publishing_paused"); !ok || v != "true" {
		t.Errorf("publishing_paused = %q, %v after pausing from the tray", v, ok)
	}
	if _, n, _ := store.NewAudit(g, time.Now).List(context.Background(), store.AuditFilter{EventLike: "publishing.paused"}); n != 1 {
		t.Errorf("%d publishing.paused audit entries, want 1", n)
	}
}

// visible says whether the tray menu shows an item labelled label.
func visible(t *testing.T, conn *dbus.Conn, dest, label string) bool {
	t.Helper()
	for _, it := range menu(t, conn, dest) {
		if it.Label == label {
			return it.Visible
		}
	}
	return false
}

// seedInbox makes a data folder with one channel and items inbox items, a
// share of them unread.
func seedInbox(t *testing.T, data string, items int, unread float64) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	g, _, err := db.Open(ctx, db.Options{Path: filepath.Join(data, "herald.db"), BackupDir: filepath.Join(data, "backups")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(g)
	ids, err := seed.Fill(ctx, g, seed.Options{Network: "mastodon", Instance: "https://m.example", Channels: 1, From: now, Span: time.Hour, Now: now, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := seed.Inbox(ctx, g, seed.InboxOptions{Channels: ids, Items: items, Unread: unread, Span: time.Hour, Now: now, Seed: 1}); err != nil {
		t.Fatal(err)
	}
}
