package shell

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync/atomic"
	"time"

	"herald/backend/service"
)

// Publishing is the publishing service as the tray and the close question
// use it.
type Publishing interface {
	Status() (service.PublishingStatus, error)
	SetPaused(paused bool) (service.PublishingStatus, error)
}

// relaunchDelay lets the UI show a restore's result before Herald quits.
const relaunchDelay = 500 * time.Millisecond

// Lifecycle holds how the window lives and ends: whether closing it only
// hides it in the tray, whether a quit was asked for (then closing asks
// nothing), and whether Herald should start again once it has quit.
type Lifecycle struct {
	window     *Window
	publishing Publishing // nil in recovery mode
	inTray     bool

	quitting  atomic.Bool
	relaunch  atomic.Bool
	quitDelay time.Duration
}

// NewLifecycle decides, before the window exists, how it closes. inTray
// says a tray icon keeps Herald running with the window closed;
// publishing is nil when there is none (recovery mode).
func NewLifecycle(w *Window, publishing Publishing, inTray bool) *Lifecycle {
	return &Lifecycle{window: w, publishing: publishing, inTray: inTray, quitDelay: relaunchDelay}
}

// CloseToTray says whether closing the window only hides it.
func (l *Lifecycle) CloseToTray() bool { return l.inTray }

// StartsHidden says whether the window starts hidden: only when asked to
// and a tray icon can bring it back.
func (l *Lifecycle) StartsHidden(asked bool) bool { return asked && l.inTray }

// WindowReady hides a window that was asked to start hidden, once it is
// ready (some platforms show it regardless of the start option).
func (l *Lifecycle) WindowReady(startHidden bool) {
	if l.StartsHidden(startHidden) {
		l.window.Hide()
	}
}

// BeforeClose runs on quit (tray, signal) and, without a tray, when the
// window is closed: then closing stops publishing, so Herald asks first.
// It returns true to keep the window open.
func (l *Lifecycle) BeforeClose() bool {
	if l.inTray || l.quitting.Load() || l.publishing == nil {
		return false
	}
	st, err := l.publishing.Status()
	if err != nil || st.Scheduled == 0 || st.Paused {
		return false
	}
	answer, err := l.window.Ask(Question{
		Title:   "Quit Herald?",
		Message: fmt.Sprintf("%d scheduled post(s) will not be published while Herald is closed. They follow their missed-time setting when Herald starts again.", st.Scheduled),
		Buttons: []string{"Quit", "Keep running"},
		Default: "Keep running",
	})
	return err == nil && answer != "Quit" && answer != "Yes"
}

// Quit quits without asking (the tray's Quit item).
func (l *Lifecycle) Quit() {
	l.quitting.Store(true)
	l.window.Quit()
}

// RequestRelaunch quits and starts Herald again (after a restore).
func (l *Lifecycle) RequestRelaunch() {
	l.relaunch.Store(true)
	l.window.QuitAfter(l.quitDelay)
}

// RelaunchRequested says whether Herald should start again after quitting.
func (l *Lifecycle) RelaunchRequested() bool { return l.relaunch.Load() }

// Relaunch starts a new Herald process with args.
func Relaunch(args []string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	// The new process outlives this one: it must not be tied to a context.
	cmd := exec.CommandContext(context.Background(), exe, args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Start()
}
