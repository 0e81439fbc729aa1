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

// Tray holds the tray icon. A nil *Tray is no tray: its methods do nothing.
type Tray struct {
	icon       *tray.Tray
	publishing Publishing
}

// NewTray prepares the tray icon: Open shows the window, Quit ends Herald
// through the lifecycle, and the menu follows publishing's pause state and
// next post.
func NewTray(log *slog.Logger, icon []byte, w *Window, publishing Publishing, life *Lifecycle) *Tray {
	t := &Tray{publishing: publishing}
	t.icon = tray.New(log, icon, tray.Actions{
		Open: w.Show,
		SetPaused: func(p bool) error {
			_, err := publishing.SetPaused(p)
			return err
		},
		Quit:   life.Quit,
		Status: t.status,
	})
	return t
}

// Start shows the icon once the window loop runs, and refreshes its menu
// whenever pause state or posts change.
func (t *Tray) Start(emitted Subscriber) {
	if t == nil {
		return
	}
	t.icon.Start()
	emitted.Also(events.PauseChanged, t.icon.Refresh)
	emitted.Also(events.PostsChanged, t.icon.Refresh)
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
