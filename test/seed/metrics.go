package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"gorm.io/gorm"

	"herald/backend/network"
	"herald/backend/store"
)

// MetricsOptions say what history to make.
type MetricsOptions struct {
	Channels []int64
	// Days of channel readings (one a day, as stored: only changes), up to
	// Now.
	Days int
	// Posts in all, spread over the Days; each read at 1 h, 3 h, 1 day, a
	// week and a month after it was published (while before Now), growing.
	Posts int
	Now   time.Time
	Seed  uint64
}

// metricsBatch is how many posts or readings go into one transaction.
const metricsBatch = 1000

// Metrics gives channels a history through store.Metrics, as the sync
// stores it: the channels' followers, following and posts, each post with
// its first reading and later ones.
func Metrics(ctx context.Context, db *gorm.DB, o MetricsOptions) error {
	if len(o.Channels) == 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed+3))
	now := o.Now.UTC()
	start := now.AddDate(0, 0, -o.Days)
	clock := start
	m := store.NewMetrics(db, func() time.Time { return clock }, network.MetricLikes, network.MetricShares, network.MetricReplies)
	for ci, ch := range o.Channels {
		if _, err := m.Sync(ctx, ch); err != nil {
			return err
		}
		followers := int64(100 + rng.IntN(5000))
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			mt := m.WithTx(tx)
			for d := range o.Days {
				at := start.AddDate(0, 0, d).Add(time.Duration(ci) * time.Minute)
				followers += int64(rng.IntN(12)) - 3
				v := store.Values{network.MetricFollowers: followers, network.MetricFollowing: 300, network.MetricPosts: int64(d * o.Posts / max(o.Days*len(o.Channels), 1))}
				if err := mt.RecordChannel(ctx, ch, at, v, at.Add(3*time.Hour)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("seed channel %d's readings: %w", ch, err)
		}
	}
	type post struct {
		ch    int64
		id    string
		at    time.Time
		likes int64
	}
	posts := make([]post, 0, o.Posts)
	span := now.Sub(start)
	for i := range o.Posts {
		at := start.Add(time.Duration(rng.Int64N(int64(span))))
		posts = append(posts, post{ch: o.Channels[i%len(o.Channels)], id: fmt.Sprintf("seed-%d", i), at: at})
	}
	// Oldest first: a batch of readings then spans a short time, as the
	// sync's do (each batch is stored at its latest post's reading time).
	sort.Slice(posts, func(i, j int) bool { return posts[i].at.Before(posts[j].at) })
	// First readings with the listing, a page per channel and batch.
	for i := 0; i < len(posts); i += metricsBatch {
		batch := posts[i:min(i+metricsBatch, len(posts))]
		byCh := map[int64][]store.Found{}
		for j := range batch {
			p := &batch[j]
			p.likes = int64(rng.IntN(4))
			byCh[p.ch] = append(byCh[p.ch], store.Found{RemoteID: p.id, URL: "https://seed.example/" + p.id,
				Text: fmt.Sprintf("Seeded post %d about hats and shipping", i+j), PublishedAt: p.at,
				Values: store.Values{network.MetricLikes: p.likes, network.MetricShares: 0, network.MetricReplies: 0}})
		}
		for ch, found := range byCh {
			clock = found[0].PublishedAt.Add(time.Hour)
			if _, err := m.AddContent(ctx, ch, found, clock); err != nil {
				return fmt.Errorf("seed posts: %w", err)
			}
		}
	}
	ids := map[string]int64{}
	var rows []struct {
		ID       int64
		RemoteID string
	}
	if err := db.WithContext(ctx).Raw(`SELECT id, remote_id FROM content_items`).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		ids[r.RemoteID] = r.ID
	}
	// Later readings, growing, each stored as one change per metric.
	for _, after := range []time.Duration{3 * time.Hour, 24 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour} {
		for i := 0; i < len(posts); i += metricsBatch {
			batch := posts[i:min(i+metricsBatch, len(posts))]
			var readings []store.Reading
			var at time.Time
			for j := range batch {
				p := &batch[j]
				if p.at.Add(after).After(now) {
					continue
				}
				p.likes += int64(rng.IntN(6))
				readings = append(readings, store.Reading{ContentID: ids[p.id], Values: store.Values{
					network.MetricLikes: p.likes, network.MetricShares: p.likes / 3, network.MetricReplies: p.likes / 5}})
				if t := p.at.Add(after); t.After(at) {
					at = t
				}
			}
			if len(readings) == 0 {
				continue
			}
			clock = at
			if err := m.RecordPosts(ctx, readings, at); err != nil {
				return fmt.Errorf("seed readings: %w", err)
			}
		}
	}
	return nil
}
