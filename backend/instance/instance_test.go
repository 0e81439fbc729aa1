package instance

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"
)

func TestSecondAcquireIsRefusedUntilReleased(t *testing.T) {
	dir := t.TempDir()
	first, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(dir); !errors.Is(err, ErrRunning) {
		t.Fatalf("second Acquire error = %v, want ErrRunning", err)
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	again, err := Acquire(dir)
	if err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
	_ = again.Release()
}

func TestASecondLaunchAsksTheFirstToShow(t *testing.T) {
	dir := t.TempDir()
	l, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Release() }()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	shown := make(chan struct{}, 1)
	l.Listen(ctx, slog.Default(), func(msg string) {
		if msg == MsgShow {
			shown <- struct{}{}
		}
	})
	if err := AskToShow(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	select {
	case <-shown:
	case <-time.After(5 * time.Second):
		t.Fatal("the running instance was not asked to show its window")
	}
}
