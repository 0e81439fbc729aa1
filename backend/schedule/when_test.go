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
