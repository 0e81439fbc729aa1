package publish

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"herald/backend/model"
)

// TestBackgroundJobsDoNotWalkTheHistory runs every periodic job of the
// engine and asks SQLite how it would run each statement they issued. The
// jobs run every minute or more often, for as long as Herald runs, over a
// history that only grows: none may scan the posts or their targets, or
// visit every scheduled target through the status index.
func TestBackgroundJobsDoNotWalkTheHistory(t *testing.T) {
	r, _ := newHandoffRig(t)
	ctx := context.Background()
	r.schedule(t, "later", t0.Add(48*time.Hour), model.MissedPublishLate)
	r.handoffPost(t, "handed off", t0.Add(24*time.Hour))
	done := r.schedule(t, "due now", t0, model.MissedPublishLate)
	r.runUntil(t, done.ID)

	type stmt struct {
		sql  string
		vars []any
	}
	var mu sync.Mutex
	var seen []stmt
	capture := func(tx *gorm.DB) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, stmt{tx.Statement.SQL.String(), append([]any(nil), tx.Statement.Vars...)})
	}
	if err := r.g.Callback().Query().After("gorm:query").Register("plan:query", capture); err != nil {
		t.Fatal(err)
	}
	if err := r.g.Callback().Row().After("gorm:row").Register("plan:row", capture); err != nil {
		t.Fatal(err)
	}
	r.e.Tick(ctx)
	r.e.HandOff(ctx)
	r.clock.Advance(25 * time.Hour)
	r.e.CheckHandoffs(ctx)
	r.e.Verify(ctx)
	if err := r.g.Callback().Query().Remove("plan:query"); err != nil {
		t.Fatal(err)
	}
	if err := r.g.Callback().Row().Remove("plan:row"); err != nil {
		t.Fatal(err)
	}

	var partial []string
	if err := r.g.Raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'`).Scan(&partial).Error; err != nil {
		t.Fatal(err)
	}
	big := regexp.MustCompile(`^SCAN (post_targets|posts|attempts|audit_log|t|p)\b`)
	explained := 0
	for _, s := range seen {
		if !strings.HasPrefix(strings.TrimSpace(strings.ToUpper(s.sql)), "SELECT") {
			continue
		}
		var plan []struct {
			ID, Parent, Notused int
			Detail              string
		}
		if err := r.g.Raw("EXPLAIN QUERY PLAN "+s.sql, s.vars...).Scan(&plan).Error; err != nil {
			t.Fatalf("explain %q: %v", s.sql, err)
		}
		explained++
		for _, step := range plan {
			d := step.Detail
			onPartial := false
			for _, name := range partial {
				if strings.Contains(d, "INDEX "+name) {
					onPartial = true
				}
			}
			if big.MatchString(d) && !onPartial {
				t.Errorf("full scan %q in\n  %s", d, s.sql)
			}
			if strings.Contains(d, "post_targets_due (status=?)") {
				t.Errorf("visits every target of a status %q in\n  %s", d, s.sql)
			}
		}
	}
	if explained < 4 {
		t.Fatalf("only %d statements captured; the jobs did not run their queries", explained)
	}
}
