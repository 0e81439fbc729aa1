//go:build e2e

package desktop

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"herald/backend/db"
	"herald/backend/model"
	"herald/backend/store"
)

// TestHeadlessModeAndTheCommandLine runs `herald --headless` with no
// display, schedules a post from a file with the command line (which wakes
// the running Herald), and lists the channels and the queue.
func TestHeadlessModeAndTheCommandLine(t *testing.T) {
	bin := binary(t)
	p := startArgs(t, bin, []string{"--headless"}, "DISPLAY=", "WAYLAND_DISPLAY=")
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(p.out.String(), "running headless") {
		if time.Now().After(deadline) {
			t.Fatalf("headless Herald did not start:\n%s", p.out)
		}
		if _, done := p.exited(0); done {
			t.Fatalf("headless Herald exited:\n%s", p.out)
		}
		time.Sleep(100 * time.Millisecond)
	}

	g, _, err := db.Open(context.Background(), db.Options{Path: filepath.Join(p.data, "herald.db"), BackupDir: filepath.Join(p.data, "backups")})
	if err != nil {
		t.Fatal(err)
	}
	ch := model.Channel{Network: "mastodon", Instance: "https://mastodon.example", RemoteID: "7", Handle: "shop@mastodon.example", DisplayName: "The Shop"}
	if err := store.NewChannels(g, time.Now).Create(context.Background(), &ch); err != nil {
		t.Fatal(err)
	}

	cli := func(args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(append([]string(nil), p.cmd.Env...), "DISPLAY=")
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok { //nolint:errorlint // exit status only
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}
	if out, code := cli("channels"); code != 0 || !strings.Contains(out, "shop@mastodon.example") || !strings.Contains(out, "The Shop") {
		t.Errorf("herald channels = %d\n%s", code, out)
	}
	postFile := filepath.Join(t.TempDir(), "post.json")
	at := time.Now().Add(48 * time.Hour).UTC().Format("2006-01-02T15:04")
	body := fmt.Sprintf(`{"title": "From the command line", "channels": [%q], "text": "Scheduled from a file 🗂️", "options": {"visibility": "unlisted"}}`, ch.Handle)
	if err := os.WriteFile(postFile, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, code := cli("schedule", "--file", postFile, "--at", at, "--zone", "UTC")
	if code != 0 || !strings.Contains(out, "Scheduled for") || strings.Contains(out, "not running") {
		t.Fatalf("herald schedule = %d\n%s", code, out)
	}
	if out, code := cli("queue"); code != 0 || !strings.Contains(out, "From the command line") || !strings.Contains(out, "scheduled") {
		t.Errorf("herald queue = %d\n%s", code, out)
	}
	if out, code := cli("schedule", "--file", postFile, "--at", "yesterday"); code != 2 || !strings.Contains(out, "not a date and time") {
		t.Errorf("a bad --at = %d\n%s", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	_ = os.WriteFile(bad, []byte(`{"channels": ["nobody@nowhere"], "text": "x"}`), 0o600)
	if out, code := cli("schedule", "--file", bad, "--now"); code != 2 || !strings.Contains(out, "No channel") {
		t.Errorf("an unknown channel = %d\n%s", code, out)
	}
	var posts int64
	g.Model(&model.Post{}).Count(&posts)
	if posts != 1 {
		t.Errorf("%d posts in the database, want the one scheduled", posts)
	}
	_ = db.Close(g)

	if code := p.sigterm(t); code != 0 {
		t.Errorf("headless Herald exited with %d on SIGTERM\n%s", code, p.out)
	}
}
