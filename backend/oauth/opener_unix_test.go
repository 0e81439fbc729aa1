//go:build unix

package oauth

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These tests use shell scripts as stand-in browsers.

// writeScript writes an executable shell script into dir.
func writeScript(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

// The URL has characters a shell would act on; it must arrive as exactly
// one argument.
const testAuthURL = "https://social.example/oauth/authorize?client_id=a b&state=x;y&redirect_uri=http%3A%2F%2F127.0.0.1%3A1234%2Fcallback&q=$(id)"

func TestSystemOpenerRunsBrowserEnv(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "opened")
	record := writeScript(t, dir, "record", `printf '%s|%s' "$#" "$1" > '`+out+"'\n")
	fail := writeScript(t, dir, "fail", "exit 3\n")

	cases := []struct {
		name    string
		browser string
	}{
		{"single command", record},
		{"placeholder", record + " %s"},
		{"quoted command with placeholder", `"` + record + `" '%s'`},
		{"first entry missing, second works", filepath.Join(dir, "missing") + ":" + record},
		{"first entry fails, second works", fail + "::" + record},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_ = os.Remove(out)
			err := SystemOpener{Getenv: envWith(tc.browser)}.Open(context.Background(), testAuthURL)
			if err != nil {
				t.Fatalf("Open = %v", err)
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatalf("the browser command did not run: %v", err)
			}
			if want := "1|" + testAuthURL; string(got) != want {
				t.Errorf("browser got %q, want %q", got, want)
			}
		})
	}
}

func TestSystemOpenerExplainsFailure(t *testing.T) {
	dir := t.TempDir()
	// No xdg-open or open on PATH: only $BROWSER can be tried.
	t.Setenv("PATH", dir)
	fail := writeScript(t, dir, "fail", "exit 3\n")

	err := SystemOpener{Getenv: envWith(fail + ":" + filepath.Join(dir, "no-such-browser"))}.Open(context.Background(), testAuthURL)
	if !errors.Is(err, ErrNoBrowser) {
		t.Fatalf("Open error = %v, want ErrNoBrowser", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "Copy this link into your browser") {
		t.Errorf("error %q does not say what to do", msg)
	}
	system, _, _ := systemCommand(runtime.GOOS)
	for _, why := range []string{"exit status 3", "no-such-browser is not installed", system + " is not installed"} {
		if !strings.Contains(msg, why) {
			t.Errorf("error %q does not say %q", msg, why)
		}
	}
	if strings.Contains(msg, "state=") || strings.Contains(msg, "social.example") {
		t.Errorf("error %q contains the URL", msg)
	}
}

// A browser that stays in the foreground is taken as success after the
// grace period; Open does not wait for it to exit.
func TestSystemOpenerForegroundBrowser(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "pid")
	slow := writeScript(t, dir, "slow", `echo $$ > '`+pidFile+"'\nexec sleep 30\n")

	err := SystemOpener{Getenv: envWith(slow), grace: 200 * time.Millisecond}.Open(context.Background(), testAuthURL)
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	// The browser outlived Open; end the stand-in so the reaper returns.
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Errorf("the browser stand-in was not running: %v", err)
	}
}
