package scheduler

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

func TestJobsTickOnTheClockAndStopCancelsThem(t *testing.T) {
	clock := clockwork.NewFakeClock()
	s, err := New(slog.New(slog.DiscardHandler), clock)
	if err != nil {
		t.Fatal(err)
	}
	var runs atomic.Int32
	stopped := make(chan struct{})
	if err := s.Every("tick", time.Minute, 0, func(ctx context.Context) {
		if runs.Add(1) == 3 {
			<-ctx.Done() // a long job sees the stop
			close(stopped)
		}
	}); err != nil {
		t.Fatal(err)
	}
	s.Start()
	waitFor(t, func() bool { return runs.Load() == 1 })
	advanceUntil(t, clock, func() bool { return runs.Load() >= 3 })
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("the running job's context was not cancelled by Stop")
	}
}

func TestAPanickingJobKeepsItsSchedule(t *testing.T) {
	clock := clockwork.NewFakeClock()
	s, err := New(slog.New(slog.DiscardHandler), clock)
	if err != nil {
		t.Fatal(err)
	}
	var runs atomic.Int32
	_ = s.Every("boom", time.Minute, 0, func(context.Context) {
		runs.Add(1)
		panic("boom")
	})
	s.Start()
	defer func() { _ = s.Stop() }()
	waitFor(t, func() bool { return runs.Load() == 1 })
	advanceUntil(t, clock, func() bool { return runs.Load() >= 2 })
	before := runs.Load()
	if err := s.RunNow("boom"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return runs.Load() > before })
}

// advanceUntil moves the fake clock a minute at a time until cond holds:
// the scheduler re-arms its timer asynchronously after each run.
func advanceUntil(t *testing.T, clock *clockwork.FakeClock, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5 s")
		}
		clock.Advance(time.Minute)
		time.Sleep(10 * time.Millisecond)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
