package gts

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// module and version of GoToSocial pinned in test/peers/gotosocial.
const (
	gtsModule  = "github.com/superseriousbusiness/gotosocial"
	gtsVersion = "v0.17.3"
)

// writeConfig writes a loopback-only GoToSocial config into dir.
//
// The token cache is cut to GoToSocial's minimum (2 entries, via its
// negative-ratio setting) so a token deleted from the database behind the
// server's back is forgotten after two other lookups: see RevokeToken.
// Rate limiting and throttling are off: tests are one fast client.
func writeConfig(t *testing.T, dir string, port int, web string) string {
	t.Helper()
	host := fmt.Sprintf("127.0.0.1:%d", port)
	cfg := fmt.Sprintf(`host: %q
protocol: "http"
bind-address: "127.0.0.1"
port: %d
db-type: "sqlite"
db-address: %q
storage-backend: "local"
storage-local-base-path: %q
web-template-base-dir: %q
web-asset-base-dir: %q
letsencrypt-enabled: false
accounts-registration-open: false
instance-expose-public-timeline: true
trusted-proxies: ["127.0.0.1/32"]
advanced-rate-limit-requests: 0
advanced-throttling-multiplier: 0
log-level: "info"
cache:
  token-mem-ratio: -2
`, host, port, filepath.Join(dir, "sqlite.db"), filepath.Join(dir, "storage"),
		filepath.Join(web, "template")+string(filepath.Separator), filepath.Join(web, "assets")+string(filepath.Separator))
	if err := os.MkdirAll(filepath.Join(dir, "storage"), 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// repoRoot finds the main module's folder (the go.mod of module herald)
// from the working directory, or else from this source file.
func repoRoot(t *testing.T) string {
	t.Helper()
	starts := []string{}
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		starts = append(starts, filepath.Dir(file))
	}
	for _, dir := range starts {
		for {
			b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
			if err == nil && bytes.HasPrefix(b, []byte("module herald\n")) {
				return dir
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	t.Fatal("cannot find the herald module root (go.mod with `module herald`)")
	return ""
}

// webDir is GoToSocial's web/ folder (templates and assets) in the module
// cache: asked of the go command in the tools module, else guessed from
// GOMODCACHE.
func webDir(t *testing.T, root string) string {
	t.Helper()
	var tried []string
	if dir, err := goCmd(filepath.Join(root, "test", "peers", "gotosocial"), "list", "-m", "-f", "{{.Dir}}", gtsModule); err == nil && dir != "" {
		tried = append(tried, dir)
	}
	if cache, err := goCmd(root, "env", "GOMODCACHE"); err == nil && cache != "" {
		tried = append(tried, filepath.Join(cache, gtsModule+"@"+gtsVersion))
	}
	for _, dir := range tried {
		web := filepath.Join(dir, "web")
		if _, err := os.Stat(filepath.Join(web, "template", "sign-in.tmpl")); err == nil {
			return web
		}
	}
	t.Fatalf("GoToSocial's web templates are not in the module cache (looked in %q); "+
		"download them with: cd %s && go mod download %s", tried, filepath.Join(root, "test", "peers", "gotosocial"), gtsModule)
	return ""
}

func goCmd(dir string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), cliTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}

// wazeroCache is where GoToSocial keeps its compiled WebAssembly between
// runs (GTS_WAZERO_COMPILATION_CACHE): it turns a 30 s start into 5 s.
// HERALD_GOTOSOCIAL_CACHE overrides it.
func wazeroCache(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("HERALD_GOTOSOCIAL_CACHE")
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return t.TempDir()
		}
		dir = filepath.Join(base, "herald-tests", "gotosocial-"+gtsVersion+"-wazero")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatalf("create the GoToSocial compilation cache: %v", err)
	}
	return dir
}

// pollUntil calls f every interval until it returns true or timeout passes.
func pollUntil(timeout, interval time.Duration, f func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if f() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(interval)
	}
}
