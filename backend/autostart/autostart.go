// Package autostart starts Herald when the user logs in, hidden in the
// tray: an XDG autostart entry on Linux, a LaunchAgent on macOS, the Run
// key on Windows.
package autostart

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// HiddenFlag is passed to Herald when the session starts it.
const HiddenFlag = "--hidden"

// Entry manages the login item for one executable.
type Entry struct {
	Exe    string              // absolute path of the Herald binary
	Getenv func(string) string // os.Getenv in production
	// dataDir is passed along when Herald runs with HERALD_DATA_DIR.
	DataDir string
}

func (e Entry) env(k string) string {
	if e.Getenv == nil {
		return os.Getenv(k)
	}
	return e.Getenv(k)
}

// ErrUnsupported is returned where Herald cannot manage login items.
var ErrUnsupported = errors.New("starting Herald at login is not supported on this system")

// desktopFile is the XDG autostart entry (Linux and other freedesktop systems).
func (e Entry) desktopFile() (string, error) {
	dir := e.env("XDG_CONFIG_HOME")
	if dir == "" {
		home := e.env("HOME")
		if home == "" {
			return "", errors.New("cannot find your home folder")
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "autostart", "herald.desktop"), nil
}

func (e Entry) desktopContent() string {
	exec := quoteExec(e.Exe) + " " + HiddenFlag
	if e.DataDir != "" {
		exec = "env HERALD_DATA_DIR=" + quoteExec(e.DataDir) + " " + exec
	}
	return strings.Join([]string{
		"[Desktop Entry]",
		"Type=Application",
		"Name=Herald",
		"Comment=Publishes your scheduled posts from this computer",
		"Exec=" + exec,
		"Icon=herald",
		"Terminal=false",
		"X-GNOME-Autostart-enabled=true",
		"",
	}, "\n")
}

// quoteExec quotes a path for a desktop entry's Exec line.
func quoteExec(s string) string {
	if !strings.ContainsAny(s, " \t\"'\\$`") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\\\`, `"`, `\"`, "`", "\\`", "$", `\$`)
	return `"` + r.Replace(s) + `"`
}

func writeFile(path, content string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
