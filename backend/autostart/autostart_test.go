//go:build !windows && !darwin

package autostart

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEnableWritesAnXDGAutostartEntryAndDisableRemovesIt(t *testing.T) {
	cfg := t.TempDir()
	e := Entry{Exe: "/opt/Herald Apps/herald", DataDir: "/data/herald", Getenv: func(k string) string {
		if k == "XDG_CONFIG_HOME" {
			return cfg
		}
		return ""
	}}
	if on, err := e.Enabled(); err != nil || on {
		t.Fatalf("Enabled before = %v, %v", on, err)
	}
	if err := e.Enable(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(cfg, "autostart", "herald.desktop"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[Desktop Entry]", `Exec=env HERALD_DATA_DIR=/data/herald "/opt/Herald Apps/herald" --hidden`, "Type=Application"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("entry lacks %q:\n%s", want, b)
		}
	}
	if on, _ := e.Enabled(); !on {
		t.Error("Enabled after Enable = false")
	}
	if err := e.Disable(); err != nil {
		t.Fatal(err)
	}
	if err := e.Disable(); err != nil {
		t.Errorf("disabling twice: %v", err)
	}
	if on, _ := e.Enabled(); on {
		t.Error("Enabled after Disable = true")
	}
}
