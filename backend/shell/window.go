// Package shell is Herald's desktop edge: the window, the tray icon, how
// Herald closes, quits and starts again, and where a click on a
// notification leads. With package events it is the only user of the
// Wails runtime, and only wails.go calls it: everything that decides
// something is written against UI, so it is tested without a display.
package shell

import (
	"errors"
	"sync"
	"time"
)

// UI is what the shell asks of the window toolkit. WailsUI implements it.
type UI interface {
	// Show unminimises the window and brings it to the front.
	Show()
	Hide()
	Quit()
	// Ask shows a modal question and returns the button pressed.
	Ask(q Question) (string, error)
	// SaveFile asks where to save a CSV file; "" means cancelled.
	SaveFile(title, defaultName string) (string, error)
}

// Question is a modal question with buttons.
type Question struct {
	Title   string
	Message string
	Buttons []string
	Default string
}

// Window holds the UI once the window exists. Before Attach (and in
// headless and command-line runs, where it never comes) showing, hiding
// and quitting do nothing and dialogs fail.
type Window struct {
	mu sync.Mutex
	ui UI
}

// Attach gives the window its UI, from OnStartup.
func (w *Window) Attach(ui UI) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ui = ui
}

func (w *Window) current() UI {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ui
}

// Show brings the window to the front.
func (w *Window) Show() {
	if ui := w.current(); ui != nil {
		ui.Show()
	}
}

// Hide hides the window (Herald keeps running in the tray).
func (w *Window) Hide() {
	if ui := w.current(); ui != nil {
		ui.Hide()
	}
}

// Quit ends the window loop; OnBeforeClose and OnShutdown follow.
func (w *Window) Quit() {
	if ui := w.current(); ui != nil {
		ui.Quit()
	}
}

// QuitAfter quits after d, in the background (to let the UI show a result).
func (w *Window) QuitAfter(d time.Duration) {
	ui := w.current()
	if ui == nil {
		return
	}
	go func() {
		time.Sleep(d)
		ui.Quit()
	}()
}

// Ask shows a modal question.
func (w *Window) Ask(q Question) (string, error) {
	ui := w.current()
	if ui == nil {
		return "", noWindow()
	}
	return ui.Ask(q)
}

// SaveFile is the window's save-file dialog (service.FileChooser).
func (w *Window) SaveFile(title, defaultName string) (string, error) {
	ui := w.current()
	if ui == nil {
		return "", noWindow()
	}
	return ui.SaveFile(title, defaultName)
}

func noWindow() error { return errors.New("no window to show a dialog in") }
