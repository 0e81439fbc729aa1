// Command load fills a Herald data folder with many channels and posts, to
// try Herald (window, headless, calendar) at scale:
//
//	go run ./test/load -data /tmp/herald-big -posts 100000 -channels 50 [-inbox 200000]
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

	"gorm.io/gorm"

	"herald/backend/config"
	"herald/backend/db"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
	"herald/test/seed"
)

func main() {
	data := flag.String("data", "", "the Herald data folder to fill (created if missing)")
	posts := flag.Int("posts", 100_000, "how many posts")
	channels := flag.Int("channels", 50, "how many channels")
	years := flag.Int("years", 2, "posts spread over this many years, half before now")
	mixed := flag.Bool("mixed", false, "also make a few drafts, failed, skipped and blocked posts, and channels that need attention or are disconnected, and give three channels a small inbox and four months of metrics")
	inbox := flag.Int("inbox", 0, "inbox items spread over every channel, a quarter unread")
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
	ids, err := seed.Fill(ctx, g, seed.Options{Network: "mastodon", Instance: "https://load.invalid", Channels: *channels, Posts: *posts,
		From: now.Add(-span / 2), Span: span, Now: now, Seed: uint64(now.UnixNano())})
	if err == nil && *mixed {
		err = mix(ctx, g, now)
		if err == nil {
			// Every kind of item, read and unread, a label and a note,
			// right-to-left text and a long message, on three channels.
			err = seed.Inbox(ctx, g, seed.InboxOptions{Channels: ids[:min(3, len(ids))], Items: 108, Unread: 1.0 / 6,
				Span: 36 * time.Hour, Now: now, Seed: uint64(now.UnixNano())})
		}
		if err == nil {
			err = inboxWork(ctx, g, now, ids[:min(3, len(ids))])
		}
		if err == nil {
			// Four months of metrics on three channels, so the Measure
			// views have something to draw.
			err = seed.Metrics(ctx, g, seed.MetricsOptions{Channels: ids[:min(3, len(ids))], Days: 120, Posts: 300, Now: now, Seed: uint64(now.UnixNano())})
		}
	}
	if err == nil && *inbox > 0 {
		err = seed.Inbox(ctx, g, seed.InboxOptions{Channels: ids, Items: *inbox, Unread: 0.25,
			Span: span / 2, Now: now, Seed: uint64(now.UnixNano())})
	}
	if err != nil {
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

// mix turns a few of the filled posts and channels into the states that
// are rarer in real use but each shown differently: drafts, failed,
// skipped and blocked posts, a channel needing attention and one
// disconnected. Every view then has something of each kind to show.
func mix(ctx context.Context, g *gorm.DB, now time.Time) error {
	statements := []string{
		// The five latest scheduled posts become drafts.
		`UPDATE post_targets SET status = 'draft', due_at = NULL, next_attempt_at = NULL
		   WHERE post_id IN (SELECT id FROM posts WHERE status = 'scheduled' ORDER BY scheduled_at DESC LIMIT 5)`,
		`UPDATE posts SET status = 'draft', scheduled_at = NULL WHERE id IN (SELECT post_id FROM post_targets WHERE status = 'draft')`,
		// The latest published posts did not go out: one failed, one skipped, one blocked.
		`UPDATE post_targets SET status = 'failed', published_at = NULL, remote_id = '', error_class = 'content_rejected',
		   error_message = 'The server refused the post: text is too long' WHERE id = (SELECT id FROM post_targets WHERE status = 'published' ORDER BY due_at DESC LIMIT 1)`,
		`UPDATE post_targets SET status = 'skipped', published_at = NULL, remote_id = '', error_class = 'missed',
		   error_message = 'Herald was not running at the time' WHERE id = (SELECT id FROM post_targets WHERE status = 'published' ORDER BY due_at DESC LIMIT 1)`,
		`UPDATE post_targets SET status = 'blocked', published_at = NULL, remote_id = '', error_class = 'auth_dead',
		   error_message = 'The channel was disconnected' WHERE id = (SELECT id FROM post_targets WHERE status = 'published' ORDER BY due_at DESC LIMIT 1)`,
		`UPDATE posts SET status = 'failed' WHERE id IN (SELECT post_id FROM post_targets WHERE status IN ('failed', 'skipped', 'blocked'))`,
		`UPDATE channels SET status = 'attention', status_reason = 'The server is slow to answer' WHERE id = (SELECT MIN(id) FROM channels)`,
		`UPDATE channels SET status = 'disconnected', status_reason = 'The server no longer accepts the sign-in' WHERE id = (SELECT MIN(id) + 1 FROM channels)`,
	}
	return g.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, stmt := range statements {
			if err := tx.Exec(stmt).Error; err != nil {
				return err
			}
		}
		return tx.Exec(`UPDATE channels SET status_changed_at = ? WHERE status <> 'connected'`, now).Error
	})
}

// inboxWork adds what a user does with an inbox: two rules (one off) and
// first replies to most of the new items of the first channels, after 5,
// 20, 65, 140 … minutes, so the response-times report has numbers.
func inboxWork(ctx context.Context, g *gorm.DB, now time.Time, channels []int64) error {
	if len(channels) == 0 {
		return nil
	}
	inbox := store.NewInbox(g, func() time.Time { return now })
	if _, err := inbox.CreateRule(ctx, store.RuleInput{Name: "Opening hours", Enabled: true, TextContains: "open on Sunday",
		AddLabel: "hours", ChannelID: channels[0]}); err != nil {
		return err
	}
	if _, err := inbox.CreateRule(ctx, store.RuleInput{Name: "Direct messages", Enabled: false, Kind: model.InboxKind(network.InboxMessage),
		Notify: true}); err != nil {
		return err
	}
	for _, ch := range channels {
		var fresh []model.InboxItem
		if err := g.WithContext(ctx).Where("channel_id = ? AND backlog = 0", ch).Order("created_at, id").Find(&fresh).Error; err != nil {
			return err
		}
		for i, it := range fresh {
			if i == len(fresh)-1 {
				break // the last item waits for its reply
			}
			wait := time.Duration(5+15*i*i) * time.Minute
			if _, err := inbox.RecordFirstReply(ctx, it.ID, it.CreatedAt.Add(wait)); err != nil {
				return err
			}
		}
	}
	return nil
}
