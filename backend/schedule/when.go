// Package schedule turns the wall-clock time a user picks in a time zone
// into the UTC instant Herald stores, and says plainly when daylight
// saving time makes that wall-clock time skipped or repeated.
package schedule

import (
	"fmt"
	"strings"
	"time"
)

// Resolved is a wall-clock time pinned to an instant.
type Resolved struct {
	At   time.Time // UTC
	Zone string
	// Note explains a daylight-saving adjustment; "" when there was none.
	Note string
}

const wallLayout = "2006-01-02T15:04"

// Resolve pins local ("2026-03-29T02:30") in zone (IANA name) to UTC.
// A time skipped by a spring-forward change moves to the first instant
// after the gap; a time repeated by a fall-back change takes its first
// occurrence. Both are explained in Note.
func Resolve(local, zone string) (Resolved, error) {
	loc, err := time.LoadLocation(strings.TrimSpace(zone))
	if err != nil || zone == "" {
		return Resolved{}, fmt.Errorf("%q is not a time zone Herald knows (use a name like Europe/Berlin)", zone)
	}
	local = strings.TrimSpace(local)
	if len(local) > len(wallLayout) { // tolerate seconds
		local = local[:len(wallLayout)]
	}
	wall, err := time.Parse(wallLayout, local)
	if err != nil {
		return Resolved{}, fmt.Errorf("%q is not a date and time like 2026-12-01T09:30", local)
	}
	y, mo, d := wall.Date()
	h, mi := wall.Hour(), wall.Minute()
	matches := func(t time.Time) bool {
		t = t.In(loc)
		ty, tmo, td := t.Date()
		return ty == y && tmo == mo && td == d && t.Hour() == h && t.Minute() == mi
	}
	guess := time.Date(y, mo, d, h, mi, 0, 0, loc)
	// Look at the candidates either side (shifts are 30 minutes to 2
	// hours): a repeated wall time matches twice.
	var hits []time.Time
	for _, shift := range []time.Duration{-2 * time.Hour, -time.Hour, -30 * time.Minute, 0, 30 * time.Minute, time.Hour, 2 * time.Hour} {
		c := guess.Add(shift)
		if !matches(c) {
			continue
		}
		dup := false
		for _, h := range hits {
			dup = dup || h.Equal(c)
		}
		if !dup {
			hits = append(hits, c)
		}
	}
	r := Resolved{Zone: loc.String()}
	switch {
	case len(hits) == 0:
		// Skipped: read the wall time with the offset in force before the
		// gap, which moves it forward by the gap's length (02:30 → 03:30).
		_, before := time.Date(y, mo, d, 0, 0, 0, 0, loc).Zone()
		at := time.Date(y, mo, d, h, mi, 0, 0, time.UTC).Add(-time.Duration(before) * time.Second)
		r.At = at.UTC()
		r.Note = skippedNote(wall, r.At, loc)
	case len(hits) > 1:
		first := hits[0]
		for _, hit := range hits[1:] {
			if hit.Before(first) {
				first = hit
			}
		}
		r.At = first.UTC()
		r.Note = repeatedNote(wall, r.At, loc)
	default:
		r.At = hits[0].UTC()
	}
	return r, nil
}

// dayLayout and clockLayout are how notes write a day and a time, as
// Herald's screens do ("Sun 28 Mar 2027", "03:30 CEST (UTC+02:00)").
const (
	dayLayout   = "Mon 2 Jan 2006"
	clockLayout = "15:04 MST (UTC-07:00)"
)

// skippedNote says that wall does not exist and names the instant Herald
// stored (at), in the zone, with the jump that skipped it.
func skippedNote(wall, at time.Time, loc *time.Location) string {
	local := at.In(loc)
	change, _ := local.ZoneBounds() // the jump happened where at's offset began
	_, before := change.Add(-time.Second).In(loc).Zone()
	from := change.In(time.FixedZone("", before)).Format("15:04")
	return fmt.Sprintf("%s does not exist on %s in %s: the clocks jump from %s to %s. Herald will publish at %s.",
		wall.Format("15:04"), wall.Format(dayLayout), loc, from, change.In(loc).Format("15:04"), local.Format(clockLayout))
}

// repeatedNote says that wall happens twice and that Herald stored the
// first (at), naming both with their offsets.
func repeatedNote(wall, at time.Time, loc *time.Location) string {
	first := at.In(loc)
	_, change := first.ZoneBounds() // the clocks go back where first's offset ends
	second := first
	if !change.IsZero() {
		_, after := change.In(loc).Zone()
		_, now := first.Zone()
		second = at.Add(time.Duration(now-after) * time.Second).In(loc)
	}
	return fmt.Sprintf("%s happens twice on %s in %s (the clocks go back). Herald will publish at the first, %s, not the second, %s.",
		wall.Format("15:04"), wall.Format(dayLayout), loc, first.Format(clockLayout), second.Format(clockLayout))
}

// Local formats an instant as the wall-clock time in zone (for editing).
func Local(at time.Time, zone string) string {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	return at.In(loc).Format(wallLayout)
}
