// Command load fills a Herald data folder with many channels and posts, to
// try Herald (window, headless, calendar) at scale:
//
//	go run ./test/load -data /tmp/herald-big -posts 100000 -channels 50
//	HERALD_DATA_DIR=/tmp/herald-big herald --headless
//
// The channels are not connected to any network (they have no
// credentials), so publishing is paused in the filled folder.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"herald/backend/config"
	"herald/backend/db"
	"herald/test/seed"
)

func main() {
	data := flag.String("data", "", "the Herald data folder to fill (created if missing)")
	posts := flag.Int("posts", 100_000, "how many posts")
	channels := flag.Int("channels", 50, "how many channels")
	years := flag.Int("years", 2, "posts spread over this many years, half before now")
	flag.Parse()
	if *data == "" {
		fmt.Fprintln(os.Stderr, "load: give -data /path/to/folder")
		os.Exit(2)
	}
	cfg, err := config.Resolve("load", func(k string) string {
		if k == config.EnvDataDir {
			return *data
		}
		return os.Getenv(k)
	})
	if err == nil {
		err = cfg.Prepare()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
	ctx := context.Background()
	g, _, err := db.Open(ctx, db.Options{Path: cfg.DBPath, BackupDir: cfg.BackupDir})
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
	now := time.Now().UTC()
	start := time.Now()
	span := time.Duration(*years) * 365 * 24 * time.Hour
	if _, err := seed.Fill(ctx, g, seed.Options{Network: "mastodon", Instance: "https://load.invalid", Channels: *channels, Posts: *posts,
		From: now.Add(-span / 2), Span: span, Now: now, Seed: uint64(now.UnixNano())}); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
	if err := g.Exec(`INSERT INTO settings (key, value, updated_at) VALUES ('publishing_paused', 'true', ?)
		ON CONFLICT (key) DO UPDATE SET value = 'true'`, now).Error; err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
	if err := db.Close(g); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
	st, _ := os.Stat(filepath.Join(cfg.DataDir, "herald.db"))
	fmt.Printf("filled %s with %d posts on %d channels in %s (database %.1f MB); publishing is paused there\n",
		cfg.DataDir, *posts, *channels, time.Since(start).Round(time.Millisecond), float64(st.Size())/1e6)
}
