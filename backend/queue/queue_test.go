package queue

import (
	"testing"
	"time"

	"herald/backend/model"
)

func TestNextFreeSkipsTakenSlotsAndKeepsWallClockAcrossDST(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	slots := []model.QueueSlot{
		{Weekday: int(time.Monday), MinuteOfDay: 9 * 60, TimeZone: "Europe/Berlin"},
		{Weekday: int(time.Wednesday), MinuteOfDay: 17*60 + 30, TimeZone: "Europe/Berlin"},
	}
	// Friday 27 March 2026; clocks go forward on Sunday 29 March in Berlin.
	after := time.Date(2026, 3, 27, 12, 0, 0, 0, berlin)
	got, ok := NextFree(slots, nil, after)
	want := time.Date(2026, 3, 30, 9, 0, 0, 0, berlin) // CEST now, still 09:00 local
	if !ok || !got.Equal(want) {
		t.Fatalf("NextFree = %v, want %v", got.In(berlin), want)
	}
	if got.UTC().Hour() != 7 {
		t.Errorf("09:00 in Berlin after the change is %v UTC, want 07:00", got.UTC())
	}
	got2, _ := NextFree(slots, []time.Time{got}, after)
	want2 := time.Date(2026, 4, 1, 17, 30, 0, 0, berlin)
	if !got2.Equal(want2) {
		t.Errorf("with Monday taken NextFree = %v, want %v", got2.In(berlin), want2)
	}
	if _, ok := NextFree(nil, nil, after); ok {
		t.Error("a channel without slots has a free slot")
	}
}

func TestOccurrencesAcrossFallBack(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	// 01:30 happens twice on 1 November 2026 in New York; one slot, once.
	slots := []model.QueueSlot{{Weekday: int(time.Sunday), MinuteOfDay: 90, TimeZone: "America/New_York"}}
	occ := Occurrences(slots, time.Date(2026, 10, 31, 0, 0, 0, 0, ny), time.Date(2026, 11, 2, 0, 0, 0, 0, ny))
	if len(occ) != 1 || occ[0].In(ny).Hour() != 1 || occ[0].In(ny).Minute() != 30 {
		t.Errorf("Occurrences = %v", occ)
	}
}
