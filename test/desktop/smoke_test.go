//go:build e2e

package desktop

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"herald/backend/db"
)

// TestWindowAppearsAndExitsCleanly is the desktop smoke test: the real
// binary opens its window, renders, and shuts down cleanly on SIGTERM,
// leaving a database at the current schema version.
func TestWindowAppearsAndExitsCleanly(t *testing.T) {
	p := start(t, binary(t))
	waitWindow(t, p)
	time.Sleep(4 * time.Second) // let WebKit paint the first frame
	shot := filepath.Join(artifacts(t), "smoke.png")
	mean, stddev := screenshot(t, shot)
	t.Logf("screenshot %s: mean %.3f, standard deviation %.3f", shot, mean, stddev)
	if stddev < 0.05 {
		t.Errorf("the window looks blank (standard deviation %.3f); see %s", stddev, shot)
	}

	if code := p.sigterm(t); code != 0 {
		t.Errorf("exit code after SIGTERM = %d, want 0\n%s", code, p.out)
	}
	dbPath := filepath.Join(p.data, "herald.db")
	g, rep, err := db.Open(context.Background(), db.Options{Path: dbPath, BackupDir: filepath.Join(p.data, "backups")})
	if err != nil {
		t.Fatalf("open the database Herald left: %v", err)
	}
	defer db.Close(g)
	if rep.FromVersion != db.LatestVersion() {
		t.Errorf("database schema version = %d, want %d", rep.FromVersion, db.LatestVersion())
	}
	logText := readFile(t, filepath.Join(p.data, "logs", "herald.log"))
	for _, want := range []string{`"msg":"herald starting"`, `"msg":"database ready"`, `"msg":"herald stopped"`} {
		if !strings.Contains(logText, want) {
			t.Errorf("log lacks %s", want)
		}
	}
}

func TestNoDisplayIsExplained(t *testing.T) {
	p := start(t, binary(t), "DISPLAY=", "WAYLAND_DISPLAY=")
	code, ok := p.exited(30 * time.Second)
	if !ok {
		t.Fatal("Herald kept running without a display")
	}
	if code != 3 || !strings.Contains(p.out.String(), "no graphical display") {
		t.Errorf("exit %d, output %q; want exit 3 and an explanation", code, p.out)
	}
	if strings.Contains(p.out.String(), "panic") {
		t.Errorf("Herald panicked without a display:\n%s", p.out)
	}
	if _, err := os.Stat(p.data); !os.IsNotExist(err) {
		t.Errorf("the data folder was created although Herald could not start")
	}
}

func TestUnwritableDataFolderIsRefusedAndNothingIsWrittenElsewhere(t *testing.T) {
	bin := binary(t)
	blocker := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(blocker, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		// Root ignores permission bits, so the portable case is a folder
		// that cannot exist: its parent is a regular file.
		"parent is a file": filepath.Join(blocker, "herald"),
	}
	if os.Geteuid() != 0 {
		ro := filepath.Join(t.TempDir(), "read-only")
		if err := os.Mkdir(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		cases["read-only folder"] = filepath.Join(ro, "herald")
	}
	for name, dir := range cases {
		t.Run(name, func(t *testing.T) {
			p := start(t, bin, "HERALD_DATA_DIR="+dir)
			code, ok := p.exited(30 * time.Second)
			if !ok {
				t.Fatal("Herald kept running with an unwritable data folder")
			}
			out := p.out.String()
			if code != 4 || !strings.Contains(out, "not writable") || !strings.Contains(out, "HERALD_DATA_DIR") {
				t.Errorf("exit %d, output %q; want exit 4 and a way forward", code, out)
			}
			if files := listDir(t, p.home); len(files) != 0 {
				t.Errorf("Herald wrote outside its data folder: %v", files)
			}
		})
	}
}

func TestSecondLaunchDefersToTheFirst(t *testing.T) {
	bin := binary(t)
	first := start(t, bin)
	waitWindow(t, first)
	second := exec.Command(bin)
	second.Env = first.cmd.Env
	out, err := second.CombinedOutput()
	if err != nil {
		t.Fatalf("second launch: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "already running") {
		t.Errorf("second launch output = %q, want it to say Herald is already running", out)
	}
	if _, done := first.exited(time.Second); done {
		t.Fatal("the first Herald exited")
	}
	if code := first.sigterm(t); code != 0 {
		t.Errorf("first exit code = %d", code)
	}
}

func TestDamagedDatabaseOpensTheRecoveryScreen(t *testing.T) {
	bin := binary(t)
	p := start(t, bin)
	waitWindow(t, p)
	if code := p.sigterm(t); code != 0 {
		t.Fatalf("exit code = %d", code)
	}
	dbPath := filepath.Join(p.data, "herald.db")
	if err := os.WriteFile(dbPath, []byte(strings.Repeat("damaged ", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	damaged := readFile(t, dbPath)

	again := start(t, bin, "HERALD_DATA_DIR="+p.data)
	waitWindow(t, again)
	time.Sleep(4 * time.Second)
	shot := filepath.Join(artifacts(t), "recovery.png")
	if _, stddev := screenshot(t, shot); stddev < 0.05 {
		t.Errorf("the recovery window looks blank; see %s", shot)
	}
	if code := again.sigterm(t); code != 0 {
		t.Errorf("exit code = %d\n%s", code, again.out)
	}
	if readFile(t, dbPath) != damaged {
		t.Error("the damaged database was modified")
	}
	if !strings.Contains(readFile(t, filepath.Join(p.data, "logs", "herald.log")), "recovery mode") {
		t.Error("the log does not say Herald started in recovery mode")
	}
}
