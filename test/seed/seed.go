// Package seed fills a Herald database with many channels and posts, for
// benchmarks and load tests.
package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"herald/backend/model"
)

// Options say how much to make.
type Options struct {
	Network  string // the network of the channels ("mastodon")
	Instance string
	Channels int
	Posts    int
	// Posts are spread over [From, From+Span); those before Now are
	// published, the rest scheduled.
	From time.Time
	Span time.Duration
	Now  time.Time
	Seed uint64
}

// Fill inserts channels and posts (one target each) in batches and returns
// the channel ids.
func Fill(ctx context.Context, db *gorm.DB, o Options) ([]int64, error) {
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed+1))
	now := o.Now.UTC()
	ids := make([]int64, 0, o.Channels)
	for i := 0; i < o.Channels; i++ {
		ch := model.Channel{Network: o.Network, Instance: o.Instance, RemoteID: fmt.Sprint(i + 1), Kind: "account",
			Handle: fmt.Sprintf("seed%d", i+1), DisplayName: fmt.Sprintf("Seed %d", i+1), Status: model.ChannelConnected,
			StatusChangedAt: now, ConnectedAt: now, CreatedAt: now, UpdatedAt: now}
		if err := db.WithContext(ctx).Omit("Teams").Create(&ch).Error; err != nil {
			return nil, err
		}
		ids = append(ids, ch.ID)
	}
	const batch = 500
	for start := 0; start < o.Posts; start += batch {
		n := min(batch, o.Posts-start)
		posts := make([]model.Post, n)
		for i := range posts {
			at := o.From.Add(time.Duration(rng.Int64N(int64(o.Span)))).UTC().Truncate(time.Minute)
			status := model.PostScheduled
			if at.Before(now) {
				status = model.PostPublished
			}
			posts[i] = model.Post{Title: fmt.Sprintf("Seed post %d", start+i), Status: status, ScheduledAt: &at, TimeZone: "Europe/Berlin",
				MissedPolicy: model.MissedPublishLate, GraceMinutes: 60, Origin: "seed", CreatedAt: now, UpdatedAt: now}
		}
		if err := db.WithContext(ctx).Omit("Targets").Create(&posts).Error; err != nil {
			return nil, err
		}
		targets := make([]model.PostTarget, n)
		for i, p := range posts {
			at := *p.ScheduledAt
			t := model.PostTarget{PostID: p.ID, ChannelID: ids[rng.IntN(len(ids))], Body: fmt.Sprintf("Seed post %d with some text #herald", start+i),
				Thread: "[]", Options: "{}", ItemIDs: "[]", IdempotencyKey: fmt.Sprintf("seed-%d-%d", o.Seed, start+i), CreatedAt: now, UpdatedAt: now}
			if p.Status == model.PostPublished {
				t.Status, t.PublishedAt, t.DueAt, t.RemoteID = model.TargetPublished, &at, &at, fmt.Sprint(start+i)
			} else {
				t.Status, t.DueAt, t.NextAttemptAt = model.TargetScheduled, &at, &at
			}
			targets[i] = t
		}
		if err := db.WithContext(ctx).Omit("Media").Create(&targets).Error; err != nil {
			return nil, err
		}
	}
	return ids, nil
}
