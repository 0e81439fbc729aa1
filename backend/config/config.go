// Package config resolves where Herald keeps its files and holds the
// immutable settings the rest of the app is built from.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// EnvDataDir overrides every directory Herald writes to. Tests and
// portable installs use it; with it set nothing is written outside it.
const EnvDataDir = "HERALD_DATA_DIR"

// AppName is the product name used for directories and the keyring.
const AppName = "Herald"

// Config is built once at start-up and never mutated.
type Config struct {
	// Version is the product version (wails.json's productVersion).
	Version string
	// Commit is the git commit Herald was built from ("" when unknown).
	Commit    string
	DataDir   string // SQLite database, media, backups
	LogDir    string
	BackupDir string
	MediaDir  string
	DBPath    string
	LockPath  string
	// Portable is true when EnvDataDir chose the directories.
	Portable bool
	// HealthInterval is how often every channel's connection is checked.
	HealthInterval time.Duration
}

// EnvHealthInterval overrides Config.HealthInterval (a Go duration such as
// "30s"); meant for tests and troubleshooting.
const EnvHealthInterval = "HERALD_HEALTH_CHECK_INTERVAL"

// DefaultHealthInterval is how often channel connections are checked.
const DefaultHealthInterval = 30 * time.Minute

// Env reads an environment variable; os.Getenv in production, a map in tests.
type Env func(key string) string

// Resolve works out the directories without touching the disk.
func Resolve(version string, env Env) (Config, error) {
	if env == nil {
		env = os.Getenv
	}
	cfg := Config{Version: version, HealthInterval: DefaultHealthInterval}
	if v := strings.TrimSpace(env(EnvHealthInterval)); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second {
			return Config{}, fmt.Errorf("%s=%q is not a duration of at least 1s (like 30s or 10m)", EnvHealthInterval, v)
		}
		cfg.HealthInterval = d
	}
	if dir := strings.TrimSpace(env(EnvDataDir)); dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return Config{}, fmt.Errorf("%s=%q is not a usable path: %w", EnvDataDir, dir, err)
		}
		cfg.DataDir = abs
		cfg.LogDir = filepath.Join(abs, "logs")
		cfg.Portable = true
	} else {
		data, logs, err := platformDirs(env)
		if err != nil {
			return Config{}, err
		}
		cfg.DataDir, cfg.LogDir = data, logs
	}
	cfg.BackupDir = filepath.Join(cfg.DataDir, "backups")
	cfg.MediaDir = filepath.Join(cfg.DataDir, "media")
	cfg.DBPath = filepath.Join(cfg.DataDir, "herald.db")
	cfg.LockPath = filepath.Join(cfg.DataDir, "herald.lock")
	return cfg, nil
}

// platformDirs follows each OS's convention: XDG on Linux, Application
// Support and Logs on macOS, AppData on Windows.
func platformDirs(env Env) (data, logs string, err error) {
	home := env("HOME")
	switch runtime.GOOS {
	case "windows":
		appData, local := env("AppData"), env("LocalAppData")
		if appData == "" || local == "" {
			return "", "", errors.New("cannot find %AppData% and %LocalAppData%; set " + EnvDataDir + " to choose a data folder")
		}
		return filepath.Join(appData, AppName), filepath.Join(local, AppName, "logs"), nil
	case "darwin":
		if home == "" {
			return "", "", errors.New("cannot find your home folder; set " + EnvDataDir + " to choose a data folder")
		}
		return filepath.Join(home, "Library", "Application Support", AppName), filepath.Join(home, "Library", "Logs", AppName), nil
	default:
		dataHome, stateHome := env("XDG_DATA_HOME"), env("XDG_STATE_HOME")
		if home == "" && (dataHome == "" || stateHome == "") {
			return "", "", errors.New("cannot find your home folder ($HOME is empty); set " + EnvDataDir + " to choose a data folder")
		}
		if dataHome == "" {
			dataHome = filepath.Join(home, ".local", "share")
		}
		if stateHome == "" {
			stateHome = filepath.Join(home, ".local", "state")
		}
		return filepath.Join(dataHome, "herald"), filepath.Join(stateHome, "herald", "logs"), nil
	}
}

// DirError says which directory could not be prepared and what to do.
type DirError struct {
	Role string // "data", "log", ...
	Path string
	Err  error
}

func (e *DirError) Error() string {
	return fmt.Sprintf("the %s folder %s is not writable: %v. Choose a writable folder with %s=/path/to/folder, or fix the folder's permissions",
		e.Role, e.Path, e.Err, EnvDataDir)
}

func (e *DirError) Unwrap() error { return e.Err }

// Prepare creates the directories (0700) and proves each is writable by
// creating and removing a probe file. It stops at the first failure, so a
// bad data folder leaves nothing behind anywhere else.
func (c Config) Prepare() error {
	dirs := []struct{ role, path string }{
		{"data", c.DataDir},
		{"log", c.LogDir},
		{"backup", c.BackupDir},
		{"media", c.MediaDir},
	}
	for _, d := range dirs {
		if err := ensureWritable(d.path); err != nil {
			return &DirError{Role: d.role, Path: d.path, Err: err}
		}
	}
	return nil
}

func ensureWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return unwrapPathError(err)
	}
	probe, err := os.CreateTemp(dir, ".write-probe-*")
	if err != nil {
		return unwrapPathError(err)
	}
	name := probe.Name()
	closeErr := probe.Close()
	removeErr := os.Remove(name)
	return errors.Join(closeErr, removeErr)
}

// unwrapPathError keeps the OS reason ("permission denied") and drops the
// repeated path, which DirError already states.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
