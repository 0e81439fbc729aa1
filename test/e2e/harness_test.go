//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// herald is a running dev-tagged Herald serving its UI and live Go
// bindings on a loopback port for Playwright.
type herald struct {
	cmd        *exec.Cmd
	out        *syncBuffer
	done       chan struct{}
	data       string
	url        string
	browserLog string
	repo       string
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

func freePort(t *testing.T) int {
	t.Helper()
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startHerald starts the dev binary with a throwaway data folder and a
// "system browser" that records the URLs Herald opens.
func startHerald(t *testing.T, env ...string) *herald {
	t.Helper()
	repo := repoRoot(t)
	bin := os.Getenv("HERALD_DEV_BIN")
	if bin == "" {
		bin = filepath.Join(repo, "build", "bin", "herald-dev")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("the dev binary is missing (%v); run make test or go build -tags 'dev webkit2_41' -o build/bin/herald-dev .", err)
	}
	dir := t.TempDir()
	h := &herald{out: &syncBuffer{}, done: make(chan struct{}), data: filepath.Join(dir, "data"), repo: repo,
		browserLog: filepath.Join(dir, "opened-urls.txt")}
	browser := filepath.Join(dir, "browser.sh")
	script := fmt.Sprintf("#!/bin/sh\nprintf '%%s\\n' \"$1\" >> %q\n", h.browserLog)
	if err := os.WriteFile(browser, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	h.url = fmt.Sprintf("http://127.0.0.1:%d/", port)
	h.cmd = exec.Command(bin, "-assetdir", filepath.Join(repo, "frontend", "dist"), "-devserver", fmt.Sprintf("127.0.0.1:%d", port))
	h.cmd.Env = append(os.Environ(), "HERALD_DATA_DIR="+h.data, "BROWSER="+browser, "HOME="+filepath.Join(dir, "home"))
	h.cmd.Env = append(h.cmd.Env, env...)
	h.cmd.Stdout, h.cmd.Stderr = h.out, h.out
	if err := h.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = h.cmd.Wait(); close(h.done) }()
	t.Cleanup(func() {
		select {
		case <-h.done:
		default:
			_ = h.cmd.Process.Kill()
			<-h.done
		}
		if t.Failed() {
			t.Logf("Herald output:\n%s", tail(h.out.String(), 80))
		}
	})
	waitFor(t, 120*time.Second, "Herald's dev server", func() bool {
		resp, err := http.Get(h.url) //nolint:noctx // a readiness poll
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return h
}

func (h *herald) output() string { return h.out.String() }

// playwright runs one e2e script against this Herald and returns its output.
func (h *herald) playwright(t *testing.T, script string, env ...string) string {
	t.Helper()
	artifacts := os.Getenv("HERALD_ARTIFACTS")
	if artifacts == "" {
		artifacts = filepath.Join(h.repo, "artifacts")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "--test", "--test-reporter=spec", filepath.Join("e2e", script))
	cmd.Dir = filepath.Join(h.repo, "frontend")
	cmd.Env = append(os.Environ(), "HERALD_E2E_URL="+h.url, "HERALD_E2E_BROWSER_LOG="+h.browserLog, "HERALD_E2E_ARTIFACTS="+artifacts)
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	t.Logf("playwright %s:\n%s", script, out)
	if err != nil {
		t.Fatalf("playwright %s failed: %v", script, err)
	}
	return string(out)
}

func (h *herald) stop(t *testing.T) {
	t.Helper()
	if err := h.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-h.done:
	case <-time.After(30 * time.Second):
		t.Fatal("Herald did not stop within 30 s of SIGTERM")
	}
	if code := h.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("Herald exited with %d", code)
	}
}

func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
