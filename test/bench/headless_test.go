package bench

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"herald/backend/db"
	"herald/test/seed"
)

// BenchmarkHeadlessMemory starts `herald --headless` (HERALD_BIN, built by
// make bench) on a database of 100,000 posts and reports its resident
// memory once it has settled.
func BenchmarkHeadlessMemory(b *testing.B) {
	bin := os.Getenv("HERALD_BIN")
	if bin == "" {
		bin = filepath.Join("..", "..", "build", "bin", "herald")
	}
	if _, err := os.Stat(bin); err != nil {
		b.Fatalf("the Herald binary is missing (%v); make bench builds it", err)
	}
	data := b.TempDir()
	ctx := context.Background()
	now := time.Now().UTC()
	g, _, err := db.Open(ctx, db.Options{Path: filepath.Join(data, "herald.db"), BackupDir: filepath.Join(data, "backups")})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := seed.Fill(ctx, g, seed.Options{Network: "mastodon", Instance: "https://m.example", Channels: 50, Posts: 100_000,
		From: now.AddDate(-1, 0, 0), Span: 2 * 365 * 24 * time.Hour, Now: now, Seed: 3}); err != nil {
		b.Fatal(err)
	}
	// Publishing paused: the seeded channels have no credentials, and the
	// measurement is of Herald holding its schedule, not of publishing.
	if err := g.Exec(`INSERT INTO settings (key, value, updated_at) VALUES ('publishing_paused', 'true', ?)`, now).Error; err != nil {
		b.Fatal(err)
	}
	_ = db.Close(g)
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(bin, "--headless")
		cmd.Env = append(os.Environ(), "HERALD_DATA_DIR="+data, "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent")
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		// Herald releases its start-up pages 5 s after it starts: measure
		// before, just after, and once every background job has run at
		// least once (the last to start, reminders, waits 2 minutes), when
		// the pages Herald really uses have been read back in.
		time.Sleep(4 * time.Second)
		start := memory(b, cmd.Process.Pid)
		time.Sleep(4 * time.Second)
		settled := memory(b, cmd.Process.Pid)
		time.Sleep(142 * time.Second)
		later := memory(b, cmd.Process.Pid)
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		b.Logf("VmRSS/RssAnon kB: at 4 s %d/%d, at 8 s %d/%d, at 150 s %d/%d",
			start.rss, start.anon, settled.rss, settled.anon, later.rss, later.anon)
		b.ReportMetric(float64(start.rss)/1024, "RSS-MB-4s")
		b.ReportMetric(float64(settled.rss)/1024, "RSS-MB-8s")
		b.ReportMetric(float64(later.rss)/1024, "RSS-MB-150s")
		b.ReportMetric(float64(later.anon)/1024, "anon-MB-150s")
	}
}

type rssKB struct{ rss, anon int64 }

// memory reads a process's resident set (VmRSS) and its anonymous part.
func memory(b *testing.B, pid int) rssKB {
	b.Helper()
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var m rssKB
	s := bufio.NewScanner(f)
	for s.Scan() {
		for key, dst := range map[string]*int64{"VmRSS:": &m.rss, "RssAnon:": &m.anon} {
			if rest, ok := strings.CutPrefix(s.Text(), key); ok {
				*dst, _ = strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
			}
		}
	}
	if m.rss == 0 {
		b.Fatal("no VmRSS in /proc/PID/status")
	}
	return m
}
