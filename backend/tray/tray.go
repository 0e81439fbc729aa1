// Package tray puts Herald in the system tray so it keeps publishing with
// its window closed: open, pause/resume, the next post due, unread inbox
// items, quit.
//
// On Linux the tray speaks StatusNotifierItem over D-Bus. It is only
// started when a session bus exists: the tray library crashes at shutdown
// without one (see docs/ARCHITECTURE.md).
package tray

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"fyne.io/systray"
	"github.com/godbus/dbus/v5"
)

// Actions are what the menu does.
type Actions struct {
	Open      func()
	SetPaused func(paused bool) error
	Quit      func()
	// Status reports whether publishing is paused and a line about the
	// next post due ("Next: “Sale” at 09:00").
	Status func() (paused bool, next string)
	// Inbox is a line about the inbox's unread items ("Inbox: 3 unread"),
	// or "" when nothing is unread: the line is then hidden rather than
	// saying "0". Nil: the menu has no inbox line.
	Inbox func() string
	// OpenInbox answers a click on the inbox line.
	OpenInbox func()
}

// Tray is the running tray icon.
type Tray struct {
	log     *slog.Logger
	actions Actions
	icon    []byte

	start, end func()
	started    bool

	mu    sync.Mutex
	pause *systray.MenuItem
	next  *systray.MenuItem
	inbox *systray.MenuItem // nil without Actions.Inbox
	quit  chan struct{}
}

// Probe says whether a tray can be shown: on Linux a session bus with a
// StatusNotifierWatcher (a desktop panel that shows tray icons).
func Probe(getenv func(string) string) (ok bool, why string) {
	if runtime.GOOS != "linux" {
		return true, ""
	}
	if getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		dir := getenv("XDG_RUNTIME_DIR")
		if dir == "" {
			return false, "no D-Bus session"
		}
		if _, err := os.Stat(filepath.Join(dir, "bus")); err != nil {
			return false, "no D-Bus session"
		}
	}
	conn, err := dbus.SessionBus()
	if err != nil {
		return false, "no D-Bus session: " + err.Error()
	}
	var has bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&has); err != nil || !has {
		return false, "the desktop shows no tray icons (no StatusNotifierWatcher)"
	}
	return true, ""
}

// New prepares the tray; call Start once the window loop runs.
func New(log *slog.Logger, icon []byte, a Actions) *Tray {
	t := &Tray{log: log, actions: a, icon: icon, quit: make(chan struct{})}
	t.start, t.end = systray.RunWithExternalLoop(t.onReady, func() {})
	return t
}

// Start shows the icon.
func (t *Tray) Start() {
	t.started = true
	t.start()
}

// Stop removes the icon. It is a no-op if Start never ran (calling the
// library's end without a bus crashes the process).
func (t *Tray) Stop() {
	if !t.started {
		return
	}
	close(t.quit)
	t.end()
}

func (t *Tray) onReady() {
	systray.SetIcon(t.icon)
	systray.SetTitle("Herald")
	systray.SetTooltip("Herald — publishing from this computer")
	open := systray.AddMenuItem("Open Herald", "Show the Herald window")
	t.mu.Lock()
	t.pause = systray.AddMenuItem("Pause all publishing", "Stop publishing until you resume")
	t.next = systray.AddMenuItem("No post scheduled", "")
	t.next.Disable()
	var inboxClicked chan struct{}
	if t.actions.Inbox != nil {
		t.inbox = systray.AddMenuItem("Inbox", "Open the inbox")
		t.inbox.Hide()
		inboxClicked = t.inbox.ClickedCh
	}
	t.mu.Unlock()
	systray.AddSeparator()
	quit := systray.AddMenuItem("Quit Herald", "Stop Herald; scheduled posts wait until it runs again")
	t.Refresh()
	// systray hands a click over only if someone is receiving at that very
	// moment (it drops it otherwise), so each item has a goroutine that
	// does nothing but receive, and the clicks queue here while one is
	// being handled (a pause writes to the database and refreshes the menu).
	clicks := make(chan func(), 16)
	forward := func(ch chan struct{}, do func()) {
		if ch == nil {
			return // no inbox line
		}
		go func() {
			for {
				select {
				case <-t.quit:
					return
				case <-ch:
					select {
					case clicks <- do:
					default:
						t.log.Warn("tray: a click was dropped, too many are waiting")
					}
				}
			}
		}()
	}
	forward(open.ClickedCh, t.actions.Open)
	forward(inboxClicked, t.actions.OpenInbox)
	forward(t.pause.ClickedCh, func() {
		paused, _ := t.actions.Status()
		if err := t.actions.SetPaused(!paused); err != nil {
			t.log.Error("tray: pause", "err", err)
		}
		t.Refresh()
	})
	forward(quit.ClickedCh, t.actions.Quit)
	go func() {
		for {
			select {
			case <-t.quit:
				return
			case do := <-clicks:
				do()
			}
		}
	}()
}

// Refresh updates the pause item, the next-post line, the inbox line and
// the tooltip.
func (t *Tray) Refresh() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pause == nil {
		return
	}
	paused, next := t.actions.Status()
	tooltip := "Herald — publishing from this computer"
	if paused {
		t.pause.SetTitle("Resume publishing")
		tooltip = "Herald — publishing is paused"
	} else {
		t.pause.SetTitle("Pause all publishing")
	}
	if next == "" {
		next = "No post scheduled"
	}
	t.next.SetTitle(fmt.Sprint(next))
	if t.inbox != nil {
		if line := t.actions.Inbox(); line != "" {
			t.inbox.SetTitle(line)
			t.inbox.Show()
			tooltip += "; " + line
		} else {
			t.inbox.Hide()
		}
	}
	systray.SetTooltip(tooltip)
}
