package schedule

import (
	"strings"
	"testing"
	"time"
)

func TestResolve(t *testing.T) {
	cases := []struct {
		name, local, zone string
		wantUTC           string
		note              string
	}{
		{"plain winter time", "2026-12-01T09:30", "Europe/Berlin", "2026-12-01T08:30:00Z", ""},
		{"plain summer time", "2026-07-01T09:30", "Europe/Berlin", "2026-07-01T07:30:00Z", ""},
		{"skipped by spring forward", "2026-03-29T02:30", "Europe/Berlin", "2026-03-29T01:30:00Z", "does not exist"},
		{"repeated by fall back takes the first", "2026-10-25T02:30", "Europe/Berlin", "2026-10-25T00:30:00Z", "happens twice"},
		{"New York spring forward", "2026-03-08T02:15", "America/New_York", "2026-03-08T07:15:00Z", "does not exist"},
		{"New York fall back", "2026-11-01T01:30", "America/New_York", "2026-11-01T05:30:00Z", "happens twice"},
		{"half-hour zone", "2026-06-01T10:00", "Asia/Kolkata", "2026-06-01T04:30:00Z", ""},
		{"half-hour DST repeat (Lord Howe)", "2026-04-05T01:45", "Australia/Lord_Howe", "2026-04-04T14:45:00Z", "happens twice"},
		{"UTC", "2026-06-01T10:00", "UTC", "2026-06-01T10:00:00Z", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Resolve(tc.local, tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.At.Format(time.RFC3339); got != tc.wantUTC {
				t.Errorf("Resolve(%s, %s) = %s, want %s", tc.local, tc.zone, got, tc.wantUTC)
			}
			if (tc.note == "") != (r.Note == "") || !strings.Contains(r.Note, tc.note) {
				t.Errorf("note = %q, want it to mention %q", r.Note, tc.note)
			}
		})
	}
}

func TestResolveRejectsBadInput(t *testing.T) {
	for _, tc := range []struct{ local, zone string }{{"2026-12-01T09:30", "Mars/Olympus"}, {"tomorrow", "UTC"}, {"2026-12-01T09:30", ""}} {
		if _, err := Resolve(tc.local, tc.zone); err == nil {
			t.Errorf("Resolve(%q, %q) accepted bad input", tc.local, tc.zone)
		}
	}
}

func FuzzResolve(f *testing.F) {
	f.Add("2026-03-29T02:30", "Europe/Berlin")
	f.Add("2026-11-01T01:30", "America/New_York")
	f.Fuzz(func(t *testing.T, local, zone string) {
		r, err := Resolve(local, zone)
		if err != nil {
			return
		}
		if r.At.Location() != time.UTC {
			t.Fatal("not UTC")
		}
		if back := Local(r.At, zone); r.Note == "" && !strings.HasPrefix(strings.TrimSpace(local), back) {
			t.Fatalf("Resolve(%q) then Local = %q", local, back)
		}
	})
}

// The note names the instant Herald stores, read back in the post's zone.
func TestNoteNamesTheStoredInstant(t *testing.T) {
	cases := []struct {
		name, local, zone, wantUTC string
		wantNote                   string
	}{
		{
			"spring-forward gap", "2027-03-28T02:30", "Europe/Berlin", "2027-03-28T01:30:00Z",
			"02:30 does not exist on Sun 28 Mar 2027 in Europe/Berlin: the clocks jump from 02:00 to 03:00. Herald will publish at 03:30 CEST (UTC+02:00).",
		},
		{
			"fall-back overlap", "2027-10-31T02:30", "Europe/Berlin", "2027-10-31T00:30:00Z",
			"02:30 happens twice on Sun 31 Oct 2027 in Europe/Berlin (the clocks go back). Herald will publish at the first, 02:30 CEST (UTC+02:00), not the second, 02:30 CET (UTC+01:00).",
		},
		{
			"New York gap", "2027-03-14T02:15", "America/New_York", "2027-03-14T07:15:00Z",
			"02:15 does not exist on Sun 14 Mar 2027 in America/New_York: the clocks jump from 02:00 to 03:00. Herald will publish at 03:15 EDT (UTC-04:00).",
		},
		{
			"Lord Howe half-hour overlap", "2027-04-04T01:45", "Australia/Lord_Howe", "2027-04-03T14:45:00Z",
			"01:45 happens twice on Sun 4 Apr 2027 in Australia/Lord_Howe (the clocks go back). Herald will publish at the first, 01:45 +11 (UTC+11:00), not the second, 01:45 +1030 (UTC+10:30).",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Resolve(tc.local, tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.At.Format(time.RFC3339); got != tc.wantUTC {
				t.Fatalf("stored %s, want %s", got, tc.wantUTC)
			}
			if r.Note != tc.wantNote {
				t.Errorf("note = %q\nwant   %q", r.Note, tc.wantNote)
			}
			// Whatever the wording, the note names the stored instant as
			// the zone reads it, with its offset.
			loc, _ := time.LoadLocation(tc.zone)
			stored := r.At.In(loc).Format("15:04 MST (UTC-07:00)")
			if !strings.Contains(r.Note, "publish at "+stored) && !strings.Contains(r.Note, "the first, "+stored) {
				t.Errorf("note %q does not name the stored instant %s", r.Note, stored)
			}
		})
	}
}
