package shell

import (
	"fmt"
	"log/slog"
	"time"

	"herald/backend/events"
	"herald/backend/service"
	"herald/backend/tray"
)

// ProbeTray says whether the desktop can show Herald's tray icon; without
// one, closing the window quits Herald.
func ProbeTray(log *slog.Logger, getenv func(string) string) bool {
	ok, why := tray.Probe(getenv)
	if !ok {
		log.Info("no system tray; closing the window quits Herald", "why", why)
	}
	return ok
}

// Subscriber runs a function whenever an event is emitted (events.Wails).
type Subscriber interface {
	Also(name string, fn func())
}

// Inbox counts the inbox's unread items (service.Inbox).
type Inbox interface {
	Counts() (service.InboxCounts, error)
}

// Tray holds the tray icon. A nil *Tray is no tray: its methods do nothing.
type Tray struct {
	icon       *tray.Tray
	publishing Publishing
	inbox      Inbox
	routes     *Routes
}

// NewTray prepares the tray icon: Open shows the window, Quit ends Herald
// through the lifecycle, the menu follows publishing's pause state and next
// post, and its inbox line (shown while items are unread) opens the inbox.
func NewTray(log *slog.Logger, icon []byte, w *Window, publishing Publishing, inbox Inbox, routes *Routes, life *Lifecycle) *Tray {
	t := &Tray{publishing: publishing, inbox: inbox, routes: routes}
	t.icon = tray.New(log, icon, t.actions(w, life))
	return t
}

// actions are the menu's actions; the inbox line only with an inbox to
// count.
func (t *Tray) actions(w *Window, life *Lifecycle) tray.Actions {
	a := tray.Actions{
		Open: w.Show,
		SetPaused: func(p bool) error {
			_, err := t.publishing.SetPaused(p)
			return err
		},
		Quit:   life.Quit,
		Status: t.status,
	}
	if t.inbox != nil {
		a.Inbox = t.inboxLine
		a.OpenInbox = func() { t.routes.OpenInbox(0) }
	}
	return a
}

// Start shows the icon once the window loop runs, and refreshes its menu
// whenever pause state, posts or the inbox change (a removed channel's
// items leave the unread count).
func (t *Tray) Start(emitted Subscriber) {
	if t == nil {
		return
	}
	t.icon.Start()
	t.subscribe(emitted, t.icon.Refresh)
}

// subscribe runs refresh on every event that changes what the menu shows.
func (t *Tray) subscribe(emitted Subscriber, refresh func()) {
	for _, name := range []string{events.PauseChanged, events.PostsChanged, events.InboxChanged, events.ChannelsChanged} {
		emitted.Also(name, refresh)
	}
}

// Stop removes the icon.
func (t *Tray) Stop() {
	if t == nil {
		return
	}
	t.icon.Stop()
}

func (t *Tray) status() (bool, string) {
	return statusLine(t.publishing.Status())
}

func (t *Tray) inboxLine() string {
	return unreadLine(t.inbox.Counts())
}

// unreadLine is the tray's line about unread inbox items: none when
// nothing is unread, or when the count cannot be read (a stale number
// would mislead more than no line).
func unreadLine(c service.InboxCounts, err error) string {
	if err != nil || c.Total <= 0 {
		return ""
	}
	return fmt.Sprintf("Inbox: %d unread", c.Total)
}

// statusLine is the tray's pause state and its line about the next post.
func statusLine(st service.PublishingStatus, err error) (bool, string) {
	if err != nil || st.NextDueAt == "" {
		return st.Paused, ""
	}
	at, err := time.Parse(time.RFC3339, st.NextDueAt)
	if err != nil {
		return st.Paused, ""
	}
	title := st.NextTitle
	if r := []rune(title); len(r) > 30 {
		title = string(r[:30]) + "…"
	}
	return st.Paused, fmt.Sprintf("Next: “%s” at %s", title, at.Local().Format("Mon 15:04"))
}
