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
	headlessMemory(b, 0)
}

// BenchmarkHeadlessMemoryInbox is BenchmarkHeadlessMemory with 200,000
// inbox items over the same 50 channels as well, a quarter unread.
func BenchmarkHeadlessMemoryInbox(b *testing.B) {
	headlessMemory(b, 200_000)
}

func headlessMemory(b *testing.B, inboxItems int) {
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
	ids, err := seed.Fill(ctx, g, seed.Options{Network: "mastodon", Instance: "https://m.example", Channels: 50, Posts: 100_000,
		From: now.AddDate(-1, 0, 0), Span: 2 * 365 * 24 * time.Hour, Now: now, Seed: 3})
	if err != nil {
		b.Fatal(err)
	}
	if err := seed.Inbox(ctx, g, seed.InboxOptions{Channels: ids, Items: inboxItems, Unread: 0.25,
		Span: 365 * 24 * time.Hour, Now: now, Seed: 3}); err != nil {
		b.Fatal(err)
	}
	// Publishing paused: the seeded channels have no credentials, and the
	// measurement is of Herald holding its schedule, not of publishing.
	if err := g.Exec(`INSERT INTO settings (key, value, updated_at) VALUES ('publishing_paused', 'true', ?)`, now).Error; err != nil {
		b.Fatal(err)
	}
	_ = db.Close(g)
	if st, err := os.Stat(filepath.Join(data, "herald.db")); err == nil {
		b.Logf("database: %.1f MB", float64(st.Size())/1e6)
	}
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
		// When Herald gave its start-up pages back, and how many: a slow
		// start (a big database's integrity check) moves it past the 8 s
		// reading, and pages another process shares stay resident.
		for _, msg := range []string{"herald starting", "database ready", "released start-up pages"} {
			b.Log(logLine(b, filepath.Join(data, "logs", "herald.log"), msg))
		}
		b.Logf("VmRSS/RssAnon/Pss kB: at 4 s %d/%d/%d, at 8 s %d/%d/%d, at 150 s %d/%d/%d",
			start.rss, start.anon, start.pss, settled.rss, settled.anon, settled.pss, later.rss, later.anon, later.pss)
		b.ReportMetric(float64(start.rss)/1024, "RSS-MB-4s")
		b.ReportMetric(float64(settled.rss)/1024, "RSS-MB-8s")
		b.ReportMetric(float64(later.rss)/1024, "RSS-MB-150s")
		b.ReportMetric(float64(later.anon)/1024, "anon-MB-150s")
		b.ReportMetric(float64(later.pss)/1024, "PSS-MB-150s")
	}
}

type rssKB struct{ rss, anon, pss int64 }

// memory reads a process's resident set (VmRSS), its anonymous part, and
// its proportional share (Pss). VmRSS counts a library page another
// process also maps in full, and Herald cannot page those out (another
// WebKitGTK program, or a second Herald, keeps them resident); Pss counts
// such a page divided by the processes that share it.
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
	m.pss = field(b, "/proc/"+strconv.Itoa(pid)+"/smaps_rollup", "Pss:")
	return m
}

// field reads a "Name: N kB" line of a /proc file.
func field(b *testing.B, path, key string) int64 {
	b.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, key); ok {
			n, _ := strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
			return n
		}
	}
	b.Fatalf("no %s in %s", key, path)
	return 0
}

// logLine returns the last line of Herald's log that contains msg.
func logLine(b *testing.B, path, msg string) string {
	b.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	last := "no log line with " + msg
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.Contains(line, msg) {
			last = line
		}
	}
	return last
}
