package shell

import (
	"context"
	"log/slog"
	"os"

	"github.com/wailsapp/wails/v2/pkg/logger"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// WailsUI drives the window through the Wails runtime. ctx must be the
// context Wails hands to OnStartup (any other makes the runtime abort).
func WailsUI(ctx context.Context) UI { return wailsUI{ctx} }

type wailsUI struct{ ctx context.Context }

func (u wailsUI) Show() {
	runtime.WindowUnminimise(u.ctx)
	runtime.WindowShow(u.ctx)
}

func (u wailsUI) Hide() { runtime.WindowHide(u.ctx) }

func (u wailsUI) Quit() { runtime.Quit(u.ctx) }

func (u wailsUI) Ask(q Question) (string, error) {
	return runtime.MessageDialog(u.ctx, runtime.MessageDialogOptions{
		Type:          runtime.QuestionDialog,
		Title:         q.Title,
		Message:       q.Message,
		Buttons:       q.Buttons,
		DefaultButton: q.Default,
	})
}

func (u wailsUI) SaveFile(title, defaultName string, filter FileFilter) (string, error) {
	return runtime.SaveFileDialog(u.ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: defaultName,
		Filters: []runtime.FileFilter{{DisplayName: filter.Name, Pattern: filter.Pattern}}})
}

func (u wailsUI) ChooseFolder(title string) (string, error) {
	return runtime.OpenDirectoryDialog(u.ctx, runtime.OpenDialogOptions{Title: title, CanCreateDirectories: true})
}

// WailsLogger sends Wails' own log lines to Herald's log file.
func WailsLogger(log *slog.Logger) logger.Logger { return wailsLog{log.With("component", "wails")} }

type wailsLog struct{ l *slog.Logger }

const devRuntimeReady = "Unknown message from front end: runtime:ready"

func (w wailsLog) Print(m string)   { w.l.Info(m) }
func (w wailsLog) Trace(m string)   { w.l.Debug(m) }
func (w wailsLog) Debug(m string)   { w.l.Debug(m) }
func (w wailsLog) Info(m string)    { w.l.Info(m) }
func (w wailsLog) Warning(m string) { w.l.Warn(m) }
func (w wailsLog) Error(m string) {
	// The browser served by the development server announces its runtime
	// like the window does, but Wails' dispatcher there knows no such
	// message and calls it an error on every page load. It is not one.
	if m == devRuntimeReady {
		w.l.Debug(m)
		return
	}
	w.l.Error(m)
}
func (w wailsLog) Fatal(m string) { w.l.Error(m); os.Exit(1) }
