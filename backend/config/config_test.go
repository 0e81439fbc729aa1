package config

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func envOf(m map[string]string) Env { return func(k string) string { return m[k] } }

func TestResolve(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("directory conventions below are Linux's")
	}
	cases := []struct {
		name          string
		env           map[string]string
		data, logs    string
		portable      bool
		wantErrSubstr string
	}{
		{"xdg defaults", map[string]string{"HOME": "/home/ann"}, "/home/ann/.local/share/herald", "/home/ann/.local/state/herald/logs", false, ""},
		{"xdg overrides", map[string]string{"HOME": "/home/ann", "XDG_DATA_HOME": "/d", "XDG_STATE_HOME": "/s"}, "/d/herald", "/s/herald/logs", false, ""},
		{"portable data dir", map[string]string{"HOME": "/home/ann", EnvDataDir: "/media/usb/herald"}, "/media/usb/herald", "/media/usb/herald/logs", true, ""},
		{"no home", map[string]string{}, "", "", false, "HERALD_DATA_DIR"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Resolve("v1", envOf(tc.env))
			if tc.wantErrSubstr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErrSubstr) {
					t.Fatalf("Resolve error = %v, want it to mention %s", err, tc.wantErrSubstr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.DataDir != tc.data || cfg.LogDir != tc.logs || cfg.Portable != tc.portable {
				t.Errorf("Resolve = data %s logs %s portable %v; want %s %s %v", cfg.DataDir, cfg.LogDir, cfg.Portable, tc.data, tc.logs, tc.portable)
			}
			if cfg.DBPath != filepath.Join(tc.data, "herald.db") || cfg.BackupDir != filepath.Join(tc.data, "backups") {
				t.Errorf("derived paths = %s, %s", cfg.DBPath, cfg.BackupDir)
			}
		})
	}
}

func TestPrepareCreatesPrivateFoldersAndLeavesNoProbe(t *testing.T) {
	root := filepath.Join(t.TempDir(), "herald")
	cfg, err := Resolve("v1", envOf(map[string]string{EnvDataDir: root}))
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{cfg.DataDir, cfg.LogDir, cfg.BackupDir, cfg.MediaDir} {
		st, err := os.Stat(dir)
		if err != nil || !st.IsDir() || st.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v, mode %v", dir, err, st.Mode().Perm())
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".write-probe") {
				t.Errorf("probe file left in %s", dir)
			}
		}
	}
}

func TestPrepareRefusesAnUnwritableFolder(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	dirs := map[string]string{"parent is a file": filepath.Join(blocker, "herald")}
	if os.Geteuid() != 0 { // root ignores permission bits
		ro := filepath.Join(t.TempDir(), "ro")
		if err := os.Mkdir(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		dirs["read-only parent"] = filepath.Join(ro, "herald")
	}
	for name, dir := range dirs {
		t.Run(name, func(t *testing.T) {
			cfg, err := Resolve("v1", envOf(map[string]string{EnvDataDir: dir}))
			if err != nil {
				t.Fatal(err)
			}
			err = cfg.Prepare()
			var de *DirError
			if !errors.As(err, &de) || de.Role != "data" {
				t.Fatalf("Prepare error = %v, want a *DirError for the data folder", err)
			}
			for _, want := range []string{dir, "not writable", EnvDataDir} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("message %q lacks %q", err, want)
				}
			}
		})
	}
}
