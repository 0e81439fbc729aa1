// Package queue computes "next free slot" times from a channel's weekly
// posting slots (NextFreeFor reads them and the taken times from the
// database). Slots are wall-clock times in their own time zone, so a
// 09:00 slot stays at 09:00 across daylight-saving changes.
package queue

import (
	"sort"
	"time"

	"herald/backend/model"
)

// horizon is how far ahead NextFree looks for a free slot.
const horizon = 366 * 24 * time.Hour

// Occurrences returns the slot times in [from, to), sorted.
func Occurrences(slots []model.QueueSlot, from, to time.Time) []time.Time {
	var out []time.Time
	for _, s := range slots {
		loc, err := time.LoadLocation(s.TimeZone)
		if err != nil {
			loc = time.UTC
		}
		start := from.In(loc)
		day := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, loc)
		for ; day.Before(to); day = day.AddDate(0, 0, 1) {
			if int(day.Weekday()) != s.Weekday {
				continue
			}
			at := time.Date(day.Year(), day.Month(), day.Day(), s.MinuteOfDay/60, s.MinuteOfDay%60, 0, 0, loc)
			if !at.Before(from) && at.Before(to) {
				out = append(out, at.UTC())
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// NextFree returns the first slot time after `after` that no post of the
// channel already takes (taken holds due times, UTC, any order).
func NextFree(slots []model.QueueSlot, taken []time.Time, after time.Time) (time.Time, bool) {
	if len(slots) == 0 {
		return time.Time{}, false
	}
	busy := make(map[int64]bool, len(taken))
	for _, t := range taken {
		busy[t.UTC().Unix()] = true
	}
	from := after
	for from.Before(after.Add(horizon)) {
		to := from.Add(31 * 24 * time.Hour)
		for _, at := range Occurrences(slots, from, to) {
			if at.After(after) && !busy[at.Unix()] {
				return at, true
			}
		}
		from = to
	}
	return time.Time{}, false
}
