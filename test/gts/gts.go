// Package gts starts a real GoToSocial server (a Mastodon-API server) for
// end-to-end tests, with one confirmed user, and plays that user's part in
// the OAuth sign-in.
//
// The binary is built from the tools module in test/peers/gotosocial (see
// docs in /work/shared/reference/peers.md) to bin/gotosocial; tests that
// use this package are behind the `gotosocial` build tag.
package gts

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Timeouts. The first start compiles GoToSocial's WebAssembly (ffmpeg):
// about 30 s on two cores; with the compilation cache warm, about 5 s.
const (
	startTimeout = 120 * time.Second
	cliTimeout   = 60 * time.Second
	stopTimeout  = 15 * time.Second
)

// Server is one running GoToSocial.
type Server struct {
	bin     string
	dir     string // the test's temporary folder: config, database, storage
	config  string
	url     string
	env     []string
	user    user
	logs    *syncBuffer
	cancel  context.CancelFunc // stops the running server
	done    chan struct{}      // closed when it has exited
	started time.Duration      // how long the last start took, for the report
}

type user struct{ username, email, password string }

// Start runs a fresh GoToSocial on a free loopback port with one confirmed
// user and stops it when the test ends. It fails the test when the binary
// is missing or the server does not come up.
func Start(t *testing.T) *Server {
	t.Helper()
	root := repoRoot(t)
	bin := os.Getenv("HERALD_GOTOSOCIAL_BIN")
	if bin == "" {
		bin = filepath.Join(root, "bin", "gotosocial")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("GoToSocial binary not found at %s (%v).\nBuild it with: cd %s && make bin/gotosocial\n"+
			"or: cd %s && GONOSUMDB=github.com/superseriousbusiness/gotosocial,gitlab.com/NyaaaWhatsUpDoc GOFLAGS=-mod=mod "+
			"go build -o %s github.com/superseriousbusiness/gotosocial/cmd/gotosocial\n"+
			"or point HERALD_GOTOSOCIAL_BIN at one.",
			bin, err, root, filepath.Join(root, "test", "peers", "gotosocial"), filepath.Join(root, "bin", "gotosocial"))
	}
	web := webDir(t, root)
	dir := t.TempDir()
	port := freePort(t)
	s := &Server{
		bin:  bin,
		dir:  dir,
		url:  fmt.Sprintf("http://127.0.0.1:%d", port),
		logs: &syncBuffer{},
		user: user{username: "alice", email: "alice@example.org", password: strongPassword()},
		env:  append(os.Environ(), "GTS_WAZERO_COMPILATION_CACHE="+wazeroCache(t)),
	}
	s.config = writeConfig(t, dir, port, web)
	t.Cleanup(func() {
		s.stop()
		if t.Failed() {
			t.Logf("GoToSocial log (last lines):\n%s", tail(s.Logs(), 60))
		}
	})

	s.cli(t, "admin", "account", "create", "--username", s.user.username, "--email", s.user.email, "--password", s.user.password)
	s.cli(t, "admin", "account", "confirm", "--username", s.user.username)
	s.start(t)
	return s
}

// URL is the server's base URL (http://127.0.0.1:PORT).
func (s *Server) URL() string { return s.url }

// User is the confirmed user; GoToSocial signs in with the e-mail.
func (s *Server) User() (username, email, password string) {
	return s.user.username, s.user.email, s.user.password
}

// Logs is everything the server and its CLI commands printed.
func (s *Server) Logs() string { return s.logs.String() }

// StartupTime is how long the last start took until the API answered.
func (s *Server) StartupTime() time.Duration { return s.started }

// cli runs one gotosocial command against the config, with a timeout.
func (s *Server) cli(t *testing.T, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cliTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.bin, append([]string{"--config-path", s.config}, args...)...)
	cmd.Dir, cmd.Env = s.dir, s.env
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	_, _ = s.logs.Write(out)
	if err != nil {
		t.Fatalf("gotosocial %s: %v\n%s", redactArgs(args), err, tail(string(out), 30))
	}
}

// start runs `server start` and waits until /api/v1/instance answers.
func (s *Server) start(t *testing.T) {
	t.Helper()
	began := time.Now()
	// Cancelling ctx (stop) sends SIGTERM; WaitDelay later it is killed.
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, s.bin, "--config-path", s.config, "server", "start")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = stopTimeout
	cmd.Dir, cmd.Env = s.dir, s.env
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start GoToSocial: %v", err)
	}
	s.cancel, s.done = cancel, make(chan struct{})
	go func(done chan struct{}) {
		_ = cmd.Wait()
		close(done)
	}(s.done)

	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			t.Fatalf("GoToSocial exited during start-up:\n%s", tail(s.Logs(), 40))
		case <-time.After(250 * time.Millisecond):
		}
		if instanceAnswers(client, s.url) {
			s.started = time.Since(began)
			t.Logf("GoToSocial ready at %s after %s", s.url, s.started.Round(100*time.Millisecond))
			return
		}
	}
	t.Fatalf("GoToSocial did not answer /api/v1/instance within %s:\n%s", startTimeout, tail(s.Logs(), 40))
}

func instanceAnswers(client *http.Client, base string) bool {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, base+"/api/v1/instance", nil)
	if err != nil {
		return false
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// stop asks GoToSocial to shut down (SIGTERM), kills it if it has not
// exited after stopTimeout, and waits for it.
func (s *Server) stop() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	<-s.done
	s.cancel = nil
}

// Restart stops the server and starts it again on the same database and
// port; caches are emptied.
func (s *Server) Restart(t *testing.T) {
	t.Helper()
	s.stop()
	s.start(t)
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

// strongPassword passes GoToSocial's strength check (entropy ≥ 60 bits).
func strongPassword() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return "Hx9!" + base64.RawURLEncoding.EncodeToString(b)
}

func redactArgs(args []string) string {
	out := append([]string(nil), args...)
	for i := range out {
		if i > 0 && out[i-1] == "--password" {
			out[i] = "[REDACTED]"
		}
	}
	return strings.Join(out, " ")
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// syncBuffer collects output written from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
