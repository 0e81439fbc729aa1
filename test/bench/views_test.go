package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"herald/backend/db"
	"herald/backend/model"
	"herald/test/seed"
)

// viewResult is one line of frontend/bench/views.mjs.
type viewResult struct {
	Name          string `json:"name"`
	ReadyMs       int    `json:"readyMs"`
	LongTasks     int    `json:"longTasks"`
	LongTaskMs    int    `json:"longTaskMs"`
	LongestTaskMs int    `json:"longestTaskMs"`
	Items         int    `json:"items"`
}

// BenchmarkViewsAtVolume opens the queue, the calendar and the audit log of
// the dev binary (HERALD_DEV_BIN, built by make bench) on 20,000 posts over
// 12 channels (about 1,250 in a month) and 20,000 audit entries, in
// Chromium, and reports per view the time until its content shows and the
// main thread's long tasks. It needs a display (make bench runs it under
// Xvfb) and Node with the front end's packages.
func BenchmarkViewsAtVolume(b *testing.B) {
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		b.Fatal(err)
	}
	bin := os.Getenv("HERALD_DEV_BIN")
	if bin == "" {
		bin = filepath.Join(repo, "build", "bin", "herald-dev")
	}
	if _, err := os.Stat(bin); err != nil {
		b.Fatalf("the dev binary is missing (%v); make bench builds it", err)
	}
	if os.Getenv("DISPLAY") == "" {
		b.Fatal("no DISPLAY: the dev binary opens a window; run under xvfb-run (make bench does)")
	}
	data := b.TempDir()
	fillViews(b, data)

	var results []viewResult
	for i := 0; i < b.N; i++ {
		results = measureViews(b, repo, bin, data)
	}
	for _, r := range results {
		b.ReportMetric(float64(r.ReadyMs), r.Name+"-ready-ms")
		b.ReportMetric(float64(r.LongTaskMs), r.Name+"-longtask-ms")
		b.ReportMetric(float64(r.LongestTaskMs), r.Name+"-longest-ms")
		b.Logf("%-16s content after %5d ms; %2d long tasks, %5d ms in all, longest %4d ms; %d items drawn",
			r.Name, r.ReadyMs, r.LongTasks, r.LongTaskMs, r.LongestTaskMs, r.Items)
	}
}

func fillViews(b *testing.B, data string) {
	b.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	g, _, err := db.Open(ctx, db.Options{Path: filepath.Join(data, "herald.db"), BackupDir: filepath.Join(data, "backups")})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = db.Close(g) }()
	const months = 16
	if _, err := seed.Fill(ctx, g, seed.Options{Network: "mastodon", Instance: "https://m.example", Channels: 12, Posts: 20_000,
		From: now.AddDate(0, -months/2, 0), Span: months * 30 * 24 * time.Hour, Now: now, Seed: 5}); err != nil {
		b.Fatal(err)
	}
	entries := make([]model.AuditEntry, 0, 20_000)
	for i := range 20_000 {
		entries = append(entries, model.AuditEntry{At: now.Add(-time.Duration(i) * time.Minute), Actor: model.ActorScheduler,
			Event: "post.published", ChannelName: fmt.Sprintf("Seed %d", i%12+1), Summary: fmt.Sprintf("Published post %d", i), Details: "{}"})
	}
	if err := g.CreateInBatches(entries, 500).Error; err != nil {
		b.Fatal(err)
	}
	// The seeded channels have no credentials: publishing stays paused.
	if err := g.Exec(`INSERT INTO settings (key, value, updated_at) VALUES ('publishing_paused', 'true', ?)`, now).Error; err != nil {
		b.Fatal(err)
	}
}

func measureViews(b *testing.B, repo, bin, data string) []viewResult {
	b.Helper()
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	url := fmt.Sprintf("http://127.0.0.1:%d/", port)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	app := exec.CommandContext(ctx, bin, "-assetdir", filepath.Join(repo, "frontend", "dist"), "-devserver", fmt.Sprintf("127.0.0.1:%d", port))
	var appOut bytes.Buffer
	app.Env = append(os.Environ(), "HERALD_DATA_DIR="+data, "HOME="+b.TempDir())
	app.Stdout, app.Stderr = &appOut, &appOut
	if err := app.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = app.Process.Kill(); _ = app.Wait() }()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("Herald's dev server did not come up:\n%s", appOut.String())
		}
		time.Sleep(250 * time.Millisecond)
	}
	script := exec.CommandContext(ctx, "node", filepath.Join("bench", "views.mjs"))
	script.Dir = filepath.Join(repo, "frontend")
	script.Env = append(os.Environ(), "HERALD_E2E_URL="+url, "HERALD_E2E_ARTIFACTS="+b.TempDir())
	out, err := script.CombinedOutput()
	if err != nil {
		b.Fatalf("views.mjs: %v\n%s", err, out)
	}
	var results []viewResult
	for _, line := range strings.Split(string(out), "\n") {
		rest, ok := strings.CutPrefix(line, "VIEW ")
		if !ok {
			continue
		}
		var r viewResult
		if err := json.Unmarshal([]byte(rest), &r); err != nil {
			b.Fatalf("views.mjs printed %q: %v", line, err)
		}
		results = append(results, r)
	}
	if len(results) == 0 {
		b.Fatalf("views.mjs measured nothing:\n%s", out)
	}
	return results
}
