// Package shell is Herald's desktop edge: the window, the tray icon, how
// Herald closes, quits and starts again, and where a click on a
// notification leads. With package events it is the only user of the
// Wails runtime, and only wails.go calls it: everything that decides
// something is written against UI, so it is tested without a display.
package shell

import (
	"errors"
	"path/filepath"
	"strings"
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
	// SaveFile asks where to save a file of the filter's kind; "" means
	// cancelled.
	SaveFile(title, defaultName string, filter FileFilter) (string, error)
	// ChooseFolder asks for a folder; "" means cancelled.
	ChooseFolder(title string) (string, error)
}

// FileFilter is the kind of file a save dialog offers.
type FileFilter struct {
	Name    string // "PDF documents (*.pdf)"
	Pattern string // "*.pdf"
}

// FilterFor is the save dialog's filter for a file name, by its extension:
// CSV, PDF or PNG (anything else: every file).
func FilterFor(name string) FileFilter {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return FileFilter{Name: "CSV files (*.csv)", Pattern: "*.csv"}
	case ".pdf":
		return FileFilter{Name: "PDF documents (*.pdf)", Pattern: "*.pdf"}
	case ".png":
		return FileFilter{Name: "PNG images (*.png)", Pattern: "*.png"}
	}
	return FileFilter{Name: "All files", Pattern: "*"}
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

// SaveFile is the window's save-file dialog (service.FileChooser), its
// filter picked from the default name's extension.
func (w *Window) SaveFile(title, defaultName string) (string, error) {
	ui := w.current()
	if ui == nil {
		return "", noWindow()
	}
	return ui.SaveFile(title, defaultName, FilterFor(defaultName))
}

// ChooseFolder is the window's folder dialog (service.FolderChooser).
func (w *Window) ChooseFolder(title string) (string, error) {
	ui := w.current()
	if ui == nil {
		return "", noWindow()
	}
	return ui.ChooseFolder(title)
}

func noWindow() error { return errors.New("no window to show a dialog in") }
