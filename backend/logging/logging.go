// Package logging sets up Herald's structured log file and makes sure no
// credential ever reaches it.
package logging

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
)

// FileName is the active log file inside the log directory.
const FileName = "herald.log"

// maxSize is when the log is rotated at start-up; keep is how many old
// files are kept (herald.log.1 … herald.log.3).
const (
	maxSize = 10 << 20
	keep    = 3
)

// Open creates the log directory's file (rotating an oversized one) and
// returns a JSON logger that redacts secrets, plus the file to close.
func Open(dir string, level slog.Level) (*slog.Logger, io.Closer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("create log folder: %w", err)
	}
	path := filepath.Join(dir, FileName)
	if err := rotate(path); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open log file: %w", err)
	}
	return New(f, level), f, nil
}

// New returns a redacting JSON logger writing to w.
func New(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: redactAttr}))
}

func rotate(path string) error {
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && st.Size() < maxSize) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("check log file: %w", err)
	}
	for i := keep - 1; i >= 1; i-- {
		_ = os.Rename(fmt.Sprintf("%s.%d", path, i), fmt.Sprintf("%s.%d", path, i+1))
	}
	if err := os.Rename(path, path+".1"); err != nil {
		return fmt.Errorf("rotate log file: %w", err)
	}
	return nil
}

// redactAttr runs on every attribute, including the message: values of
// sensitive keys are dropped, and anything else that is text is scrubbed.
func redactAttr(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindGroup {
		return a
	}
	if sensitiveKey(a.Key) {
		return slog.String(a.Key, Redacted)
	}
	switch a.Value.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Redact(a.Value.String()))
	case slog.KindAny:
		v := a.Value.Any()
		if err, ok := v.(error); ok {
			return slog.String(a.Key, Redact(err.Error()))
		}
		if s, ok := v.(fmt.Stringer); ok {
			return slog.String(a.Key, Redact(s.String()))
		}
		b, err := json.Marshal(v)
		if err != nil {
			return slog.String(a.Key, Redact(fmt.Sprint(v)))
		}
		return slog.String(a.Key, Redact(string(b)))
	}
	return a
}
