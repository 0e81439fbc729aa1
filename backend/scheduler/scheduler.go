// Package scheduler ticks Herald's background jobs. Jobs hold no state of
// their own: each tick asks the database what is due, so a restart, a
// sleep or a crash loses nothing. Every job runs in singleton mode (a slow
// tick is never overlapped by the next) and receives a context that is
// cancelled when the scheduler stops.
package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"
)

// Scheduler owns the gocron scheduler and its jobs.
type Scheduler struct {
	s     gocron.Scheduler
	clock clockwork.Clock
	log   *slog.Logger
	jobs  map[string]gocron.Job
}

// New creates a stopped scheduler on clock (clockwork.NewRealClock() in
// production, a fake clock in tests).
func New(log *slog.Logger, clock clockwork.Clock) (*Scheduler, error) {
	s, err := gocron.NewScheduler(gocron.WithClock(clock), gocron.WithStopTimeout(30*time.Second))
	if err != nil {
		return nil, fmt.Errorf("create scheduler: %w", err)
	}
	return &Scheduler{s: s, clock: clock, log: log, jobs: map[string]gocron.Job{}}, nil
}

// Every runs fn every interval, first after delay. A panic in fn is logged
// and the job keeps its schedule.
func (s *Scheduler) Every(name string, interval, delay time.Duration, fn func(ctx context.Context)) error {
	task := func(ctx context.Context) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("background job panicked", "job", name, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			}
		}()
		fn(ctx)
	}
	opts := []gocron.JobOption{
		gocron.WithName(name),
		gocron.WithSingletonMode(gocron.LimitModeReschedule),
	}
	if delay > 0 {
		opts = append(opts, gocron.WithStartAt(gocron.WithStartDateTime(s.clock.Now().Add(delay))))
	} else {
		opts = append(opts, gocron.WithStartAt(gocron.WithStartImmediately()))
	}
	j, err := s.s.NewJob(gocron.DurationJob(interval), gocron.NewTask(task), opts...)
	if err != nil {
		return fmt.Errorf("schedule %s: %w", name, err)
	}
	s.jobs[name] = j
	return nil
}

// RunNow runs a job at once, outside its schedule (still singleton).
func (s *Scheduler) RunNow(name string) error {
	j, ok := s.jobs[name]
	if !ok {
		return fmt.Errorf("no job named %s", name)
	}
	return j.RunNow()
}

// Start begins ticking.
func (s *Scheduler) Start() { s.s.Start() }

// Stop cancels the jobs' contexts and waits for running ones to return.
func (s *Scheduler) Stop() error {
	if err := s.s.Shutdown(); err != nil {
		return fmt.Errorf("stop scheduler: %w", err)
	}
	return nil
}
