package notify

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
)

// NewSystem returns the notifier for this operating system: D-Bus on
// Linux; elsewhere one that reports notifications as unavailable (Herald
// still shows its in-app badges and notices).
func NewSystem(log *slog.Logger) Notifier {
	if runtime.GOOS == "linux" {
		return NewDBus(log, nil)
	}
	return unsupported{}
}

type unsupported struct{}

var errUnsupported = errors.New("desktop notifications are not implemented on " + runtime.GOOS + " yet")

func (unsupported) Notify(context.Context, Notification) error { return errUnsupported }
