package store

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"
)

// ReplyTimes sums up how long a set of items waited for their first
// reply (first_reply_at − created_at).
type ReplyTimes struct {
	// Replied and Unanswered count the items with and without a reply.
	Replied    int
	Unanswered int
	// Median and P90 are nearest-rank percentiles of the replied items'
	// waits: the smallest wait with at least half (nine tenths) of the
	// waits at or below it, so each is a wait that really happened (with
	// an even count the median is the lower of the middle two). Zero when
	// nothing was replied to.
	Median time.Duration
	P90    time.Duration
}

// ReplyReport is the first-reply times of the items created in a range,
// in all, per channel and per team.
type ReplyReport struct {
	All      ReplyTimes
	Channels map[int64]ReplyTimes
	// Teams: an item counts for the team it is assigned to; an unassigned
	// one for every team of its channel (as the inbox's team filter lists
	// it), and under 0 when its channel is in no team.
	Teams map[int64]ReplyTimes
}

// Percentile is the nearest-rank p-th percentile (0 < p ≤ 1) of sorted
// waits: the value at rank ⌈p·n⌉. Zero for no waits.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p * float64(len(sorted))))
	if rank < 1 {
		rank = 1
	}
	if rank > len(sorted) {
		rank = len(sorted)
	}
	return sorted[rank-1]
}

type waits struct {
	replied    []time.Duration
	unanswered int
}

func (w *waits) add(reply *time.Time, created time.Time) {
	if reply == nil {
		w.unanswered++
		return
	}
	d := reply.Sub(created)
	if d < 0 {
		// A reply stamped before the item (clocks apart): answered at once.
		d = 0
	}
	w.replied = append(w.replied, d)
}

func (w *waits) times() ReplyTimes {
	sort.Slice(w.replied, func(i, j int) bool { return w.replied[i] < w.replied[j] })
	return ReplyTimes{Replied: len(w.replied), Unanswered: w.unanswered,
		Median: Percentile(w.replied, 0.5), P90: Percentile(w.replied, 0.9)}
}

// ReplyReport reads the first-reply times of the items created in
// [from, to). Left out: the first sync's backlog (it was there before
// Herald looked, so its replies are not Herald's to time), items deleted
// on the network without a reply (nobody could answer them) and the items
// of removed channels (as in the inbox).
func (s *Inbox) ReplyReport(ctx context.Context, from, to time.Time) (ReplyReport, error) {
	var rows []struct {
		ChannelID    int64
		TeamID       *int64
		CreatedAt    time.Time
		FirstReplyAt *time.Time
	}
	err := s.db.WithContext(ctx).Raw(`SELECT i.channel_id, i.team_id, i.created_at, i.first_reply_at FROM inbox_items i
		WHERE i.created_at >= ? AND i.created_at < ? AND i.backlog = 0 AND (i.deleted_at IS NULL OR i.first_reply_at IS NOT NULL)
		AND `+activeChannels, from.UTC(), to.UTC()).Scan(&rows).Error
	if err != nil {
		return ReplyReport{}, fmt.Errorf("read first replies: %w", err)
	}
	var links []struct{ ChannelID, TeamID int64 }
	if err := s.db.WithContext(ctx).Raw(`SELECT channel_id, team_id FROM channel_teams ORDER BY channel_id, team_id`).Scan(&links).Error; err != nil {
		return ReplyReport{}, fmt.Errorf("read channel teams: %w", err)
	}
	teamsOf := map[int64][]int64{}
	for _, l := range links {
		teamsOf[l.ChannelID] = append(teamsOf[l.ChannelID], l.TeamID)
	}
	var all waits
	channels := map[int64]*waits{}
	teams := map[int64]*waits{}
	at := func(m map[int64]*waits, id int64) *waits {
		if m[id] == nil {
			m[id] = &waits{}
		}
		return m[id]
	}
	for _, r := range rows {
		all.add(r.FirstReplyAt, r.CreatedAt)
		at(channels, r.ChannelID).add(r.FirstReplyAt, r.CreatedAt)
		switch {
		case r.TeamID != nil:
			at(teams, *r.TeamID).add(r.FirstReplyAt, r.CreatedAt)
		case len(teamsOf[r.ChannelID]) > 0:
			for _, t := range teamsOf[r.ChannelID] {
				at(teams, t).add(r.FirstReplyAt, r.CreatedAt)
			}
		default:
			at(teams, 0).add(r.FirstReplyAt, r.CreatedAt)
		}
	}
	out := ReplyReport{All: all.times(), Channels: map[int64]ReplyTimes{}, Teams: map[int64]ReplyTimes{}}
	for id, w := range channels {
		out.Channels[id] = w.times()
	}
	for id, w := range teams {
		out.Teams[id] = w.times()
	}
	return out, nil
}
