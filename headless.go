package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"herald/backend/memtrim"
)

// runHeadless publishes without a window until SIGINT or SIGTERM: the
// same engine, schedule and health checks as the desktop app.
func runHeadless(stderr io.Writer) int {
	app, code := bootOrExplain(modeHeadless, stderr)
	if app == nil {
		return code
	}
	defer app.close()
	if app.db == nil {
		fmt.Fprintln(stderr, "herald:", app.problem)
		fmt.Fprintln(stderr, "herald: start Herald with its window to restore a backup, or fix the database file first.")
		return exitFailure
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	bg, cancel := context.WithCancel(ctx)
	app.stop = cancel
	if app.lock != nil {
		app.lock.Listen(bg, app.log, app.routes.OnMessage)
	}
	app.startBackground(bg)
	go releaseStartupPages(bg, app.log)
	status := "publishing"
	if app.engine.Paused() {
		status = "paused (resume it in the app or the tray)"
	}
	fmt.Fprintf(stderr, "herald: running headless with %s; %s. Stop with Ctrl+C.\n", app.cfg.DataDir, status)
	<-ctx.Done()
	fmt.Fprintln(stderr, "herald: stopping; waiting for posts being published to finish…")
	app.shutdown(context.Background())
	return exitOK
}

// releaseStartupPages waits for start-up to settle, then gives back the
// pages the loader read for the window libraries that headless mode never
// uses (see memtrim). A page needed later is read back in by the kernel.
func releaseStartupPages(ctx context.Context, log *slog.Logger) {
	select {
	case <-ctx.Done():
		return
	case <-time.After(5 * time.Second):
	}
	st, err := memtrim.Release()
	if err != nil {
		log.Warn("could not release all start-up pages", "err", err)
	}
	if !st.Unsupported {
		log.Info("released start-up pages", "mappings", st.Mappings, "released_kb", st.ResidentKB, "kept_relocated", st.SkippedDirty,
			"resident_kb_before", st.RSSBeforeKB, "resident_kb_after", st.RSSAfterKB)
	}
}
