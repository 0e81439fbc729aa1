//go:build e2e

// Package desktop drives the built Herald binary in a real window under
// Xvfb. `make test` runs it inside xvfb-run and dbus-run-session:
//
//	HERALD_BIN=build/bin/herald go test -tags e2e ./test/desktop/
package desktop

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func binary(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("HERALD_BIN")
	if bin == "" {
		bin = "../../build/bin/herald"
	}
	abs, err := filepath.Abs(bin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(abs); err != nil {
		t.Fatalf("the Herald binary is missing (%v); run make build first", err)
	}
	return abs
}

func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("HERALD_ARTIFACTS")
	if dir == "" {
		dir = "../../artifacts"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// proc is a running Herald.
type proc struct {
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{}
	err  error
	home string
	data string
}

// start launches Herald with a throwaway home and data folder.
func start(t *testing.T, bin string, env ...string) *proc {
	t.Helper()
	return startArgs(t, bin, nil, env...)
}

// startArgs is start with command-line arguments.
func startArgs(t *testing.T, bin string, args []string, env ...string) *proc {
	t.Helper()
	p := &proc{out: &bytes.Buffer{}, done: make(chan struct{}), home: t.TempDir(), data: filepath.Join(t.TempDir(), "data")}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Env = append(os.Environ(), "HOME="+p.home, "HERALD_DATA_DIR="+p.data, "XDG_CONFIG_HOME="+p.home+"/.config",
		"XDG_CACHE_HOME="+p.home+"/.cache", "XDG_DATA_HOME="+p.home+"/.local/share")
	p.cmd.Env = append(p.cmd.Env, env...)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

func (p *proc) exited(within time.Duration) (int, bool) {
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode(), true
	case <-time.After(within):
		return 0, false
	}
}

// waitWindow waits for a visible X window titled Herald and returns its id.
// It polls instead of using xdotool's --sync, which fails outright when
// another window disappears while it searches.
func waitWindow(t *testing.T, p *proc) string {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		out, err := exec.CommandContext(ctx, "xdotool", "search", "--onlyvisible", "--name", "^Herald$").Output()
		cancel()
		if ids := strings.Fields(string(out)); err == nil && len(ids) > 0 {
			return ids[0]
		}
		if _, done := p.exited(0); done {
			t.Fatalf("Herald exited before its window appeared:\n%s", p.out)
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("no Herald window appeared within 90 s\napp output:\n%s", p.out)
	return ""
}

// screenshot saves the whole X screen and returns its mean and standard
// deviation (0..1): a blank frame has a deviation near zero.
func screenshot(t *testing.T, path string) (mean, stddev float64) {
	t.Helper()
	if out, err := exec.Command("import", "-window", "root", path).CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v\n%s", err, out)
	}
	out, err := exec.Command("convert", path, "-format", "%[fx:mean] %[fx:standard_deviation]", "info:").Output()
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(out))
	mean, _ = strconv.ParseFloat(f[0], 64)
	stddev, _ = strconv.ParseFloat(f[1], 64)
	return mean, stddev
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (p *proc) sigterm(t *testing.T) int {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	code, ok := p.exited(30 * time.Second)
	if !ok {
		t.Fatalf("Herald did not exit within 30 s of SIGTERM\n%s", p.out)
	}
	return code
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	_ = filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && path != dir {
			out = append(out, fmt.Sprintf("%s (%d bytes)", path, info.Size()))
		}
		return nil
	})
	return out
}
