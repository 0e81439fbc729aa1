package notify

import (
	"context"
	"errors"
	"log/slog"
	"testing"
)

func TestNoSessionBusIsUnavailableWithoutStartingOne(t *testing.T) {
	d := NewDBus(slog.New(slog.DiscardHandler), func(string) string { return "" })
	err := d.Notify(context.Background(), Notification{Title: "x"})
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Notify error = %v, want ErrUnavailable", err)
	}
}
