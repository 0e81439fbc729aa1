package store

import (
	"context"
	"strconv"
	"testing"
	"time"

	"herald/backend/model"
)

func TestPercentileIsNearestRank(t *testing.T) {
	m := func(ns ...int) []time.Duration {
		out := make([]time.Duration, len(ns))
		for i, n := range ns {
			out[i] = time.Duration(n) * time.Minute
		}
		return out
	}
	cases := []struct {
		waits     []time.Duration
		p         float64
		wantMins  int
		rankLabel string
	}{
		{nil, 0.5, 0, "none"},
		{m(7), 0.5, 7, "one"},
		{m(7), 0.9, 7, "one"},
		{m(1, 2), 0.5, 1, "⌈1⌉ = 1: the lower middle"},
		{m(1, 2, 3, 4), 0.5, 2, "⌈2⌉ = 2"},
		{m(1, 2, 3, 4, 5), 0.5, 3, "⌈2.5⌉ = 3"},
		{m(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 0.9, 9, "⌈9⌉ = 9"},
		{m(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), 0.9, 10, "⌈9.9⌉ = 10"},
	}
	for _, tc := range cases {
		if got := Percentile(tc.waits, tc.p); got != time.Duration(tc.wantMins)*time.Minute {
			t.Errorf("Percentile(%v, %v) = %v, want %d min (%s)", tc.waits, tc.p, got, tc.wantMins, tc.rankLabel)
		}
	}
}

func TestReplyReportPerChannelAndTeam(t *testing.T) {
	ctx := context.Background()
	r := newRulesRig(t)
	shop, brand := r.chans[0], r.chans[1]
	teamA, teamB := r.teams[0], r.teams[1]
	// Shop is in team A and B; Brand is in no team.
	if err := NewChannels(r.g, time.Now).SetTeams(ctx, shop, []int64{teamA, teamB}); err != nil {
		t.Fatal(err)
	}
	from := t0
	to := t0.Add(24 * time.Hour)
	type it struct {
		ch      int64
		created time.Duration // after t0
		reply   time.Duration // after created; -1: none
		team    int64
		deleted bool
	}
	n := 0
	store := func(backlog bool, items ...it) {
		t.Helper()
		var page []Incoming
		for _, x := range items {
			n++
			page = append(page, Incoming{RemoteID: strconv.Itoa(n), Kind: model.InboxMention, Text: "hi", CreatedAt: t0.Add(x.created)})
		}
		byCh := map[int64][]Incoming{}
		byChItems := map[int64][]it{}
		for i, x := range items {
			byCh[x.ch] = append(byCh[x.ch], page[i])
			byChItems[x.ch] = append(byChItems[x.ch], x)
		}
		for ch, in := range byCh {
			res, err := r.inbox.StorePage(ctx, ch, IngestPage{Items: in, Last: backlog})
			if err != nil {
				t.Fatal(err)
			}
			for i, row := range res.New {
				x := byChItems[ch][i]
				if x.reply >= 0 {
					if _, err := r.inbox.RecordFirstReply(ctx, row.ID, row.CreatedAt.Add(x.reply)); err != nil {
						t.Fatal(err)
					}
				}
				if x.team != 0 {
					if _, err := r.inbox.Assign(ctx, row.ID, x.team); err != nil {
						t.Fatal(err)
					}
				}
				if x.deleted {
					if _, err := r.inbox.StoreRefresh(ctx, ch, []Incoming{{RemoteID: row.RemoteID, Deleted: true}}); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	// The backlog, found by each channel's first sync: left out even when answered.
	store(true, it{ch: shop, created: time.Hour, reply: time.Minute}, it{ch: brand, created: time.Hour, reply: -1})
	mins := time.Minute
	store(false,
		// Shop, unassigned (so teams A and B): waits 10, 20, 30, 40 min, and one unanswered.
		it{ch: shop, created: 1 * time.Hour, reply: 10 * mins},
		it{ch: shop, created: 2 * time.Hour, reply: 40 * mins},
		it{ch: shop, created: 3 * time.Hour, reply: 20 * mins},
		it{ch: shop, created: 4 * time.Hour, reply: 30 * mins},
		it{ch: shop, created: 5 * time.Hour, reply: -1},
		// Shop, assigned to B: 5 min.
		it{ch: shop, created: 6 * time.Hour, reply: 5 * mins, team: teamB},
		// Brand, no team: 1 h and 3 h, one unanswered, one deleted unanswered (left out),
		// one deleted after its reply (kept).
		it{ch: brand, created: 1 * time.Hour, reply: 60 * mins},
		it{ch: brand, created: 2 * time.Hour, reply: 180 * mins},
		it{ch: brand, created: 3 * time.Hour, reply: -1},
		it{ch: brand, created: 4 * time.Hour, reply: -1, deleted: true},
		it{ch: brand, created: 5 * time.Hour, reply: 120 * mins, deleted: true},
		// Outside the range.
		it{ch: shop, created: -time.Minute, reply: time.Minute},
		it{ch: brand, created: 24 * time.Hour, reply: -1},
	)
	rep, err := r.inbox.ReplyReport(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	want := func(name string, got ReplyTimes, replied, unanswered int, median, p90 time.Duration) {
		t.Helper()
		if got != (ReplyTimes{Replied: replied, Unanswered: unanswered, Median: median, P90: p90}) {
			t.Errorf("%s = %+v, want replied %d, unanswered %d, median %v, p90 %v", name, got, replied, unanswered, median, p90)
		}
	}
	// All: 5, 10, 20, 30, 40, 60, 120, 180 → median rank 4 (30 min), p90 rank ⌈7.2⌉ = 8 (180 min).
	want("all", rep.All, 8, 2, 30*mins, 180*mins)
	// Shop: 5, 10, 20, 30, 40 → rank 3 (20), rank ⌈4.5⌉ = 5 (40).
	want("shop", rep.Channels[shop], 5, 1, 20*mins, 40*mins)
	// Brand: 60, 120, 180 → rank 2 (120), rank 3 (180).
	want("brand", rep.Channels[brand], 3, 1, 120*mins, 180*mins)
	// Team A: Shop's unassigned items: 10, 20, 30, 40 → rank 2 (20), rank 4 (40).
	want("team A", rep.Teams[teamA], 4, 1, 20*mins, 40*mins)
	// Team B: those and the one assigned to it: 5, 10, 20, 30, 40.
	want("team B", rep.Teams[teamB], 5, 1, 20*mins, 40*mins)
	want("no team", rep.Teams[0], 3, 1, 120*mins, 180*mins)

	// A removed channel's items leave the report, as they leave the inbox.
	if err := NewChannels(r.g, time.Now).Remove(ctx, brand); err != nil {
		t.Fatal(err)
	}
	rep, err = r.inbox.ReplyReport(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := rep.Channels[brand]; ok || rep.All.Replied != 5 {
		t.Errorf("after removing Brand: %+v", rep)
	}
}

func TestChannelInboxMuteSwitch(t *testing.T) {
	ctx := context.Background()
	r := newRulesRig(t)
	chans := NewChannels(r.g, time.Now)
	if ch, _ := chans.Get(ctx, r.chans[0]); ch.InboxMuted {
		t.Fatal("a new channel starts muted")
	}
	if changed, err := chans.SetInboxMuted(ctx, r.chans[0], true); err != nil || !changed {
		t.Fatalf("mute: %v %v", changed, err)
	}
	if changed, err := chans.SetInboxMuted(ctx, r.chans[0], true); err != nil || changed {
		t.Fatalf("mute again: %v %v", changed, err)
	}
	// A new sign-in keeps the switch.
	if err := chans.Authorized(ctx, r.chans[0], Profile{Handle: "c0"}, nil, nil, true); err != nil {
		t.Fatal(err)
	}
	if ch, _ := chans.Get(ctx, r.chans[0]); !ch.InboxMuted {
		t.Error("a new sign-in turned notifications back on")
	}
	if _, err := chans.SetInboxMuted(ctx, 999, true); err == nil {
		t.Error("a missing channel was switched")
	}
}
