// Package instance makes sure only one Herald process works on a data
// folder: two copies would both publish the same posts. A second launch
// asks the running one to show its window, then exits.
package instance

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// ErrRunning means another Herald holds the data folder.
var ErrRunning = errors.New("herald is already running with this data folder")

// Lock is held for the life of the process.
type Lock struct {
	fl   *flock.Flock
	sock string
	ln   net.Listener
}

// Acquire takes the lock file in dataDir without waiting.
func Acquire(dataDir string) (*Lock, error) {
	fl := flock.New(filepath.Join(dataDir, "herald.lock"))
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("take the single-instance lock: %w", err)
	}
	if !ok {
		return nil, ErrRunning
	}
	return &Lock{fl: fl, sock: filepath.Join(dataDir, "herald.sock")}, nil
}

// Messages a later process can send to the running one.
const (
	MsgShow = "show" // a second launch: bring the window to the front
	MsgWake = "wake" // the command line scheduled a post: look at the schedule now
)

// Listen accepts messages from later processes and calls handle for each,
// until ctx ends. A missing socket only loses the window focus and a few
// seconds of latency, so failures are logged, not returned.
func (l *Lock) Listen(ctx context.Context, log *slog.Logger, handle func(msg string)) {
	_ = os.Remove(l.sock) // left by a crash; we hold the lock, so it is ours
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "unix", l.sock)
	if err != nil {
		log.Warn("second-launch listener unavailable", "err", err)
		return
	}
	l.ln = ln
	go func() {
		<-ctx.Done()
		_ = ln.Close()
	}()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 16)
			_ = c.SetReadDeadline(time.Now().Add(time.Second))
			n, _ := c.Read(buf)
			_ = c.Close()
			switch msg := string(buf[:n]); msg {
			case MsgShow, MsgWake:
				handle(msg)
			}
		}
	}()
}

// Release frees the lock and removes the socket.
func (l *Lock) Release() error {
	if l.ln != nil {
		_ = l.ln.Close()
	}
	_ = os.Remove(l.sock)
	return l.fl.Unlock()
}

// AskToShow asks the Herald holding dataDir to show its window.
func AskToShow(ctx context.Context, dataDir string) error { return Send(ctx, dataDir, MsgShow) }

// Send delivers msg to the Herald holding dataDir.
func Send(ctx context.Context, dataDir, msg string) error {
	d := net.Dialer{Timeout: time.Second}
	c, err := d.DialContext(ctx, "unix", filepath.Join(dataDir, "herald.sock"))
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Write([]byte(msg))
	return err
}
