package ratebudget

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"pgregory.net/rapid"
)

// fakeServer counts requests in fixed windows, as Mastodon does, and may
// allow fewer than documented. Other clients of the same account spend
// from its count too; Herald only learns of them from the next answer.
type fakeServer struct {
	limit int
	per   time.Duration
	start time.Time // of the current window
	count int
}

func (s *fakeServer) roll(now time.Time) {
	for !now.Before(s.start.Add(s.per)) {
		s.start, s.count = s.start.Add(s.per), 0
	}
}

// told is one answer Herald got: at most remaining more before reset.
type told struct {
	at, reset time.Time
	remaining int
}

// Random interleavings of requests at the three priorities, answers with
// and without headers, other clients and restarts over the same SQLite
// file: Herald never sends more than the documented 300 in any 5
// minutes, never more than an answer said remain before its reset, and,
// when nobody else uses the account, never more than the server allows.
func TestModelNeverMoreThanAllowedInAnyWindow(t *testing.T) {
	dir := t.TempDir()
	rapid.Check(t, func(rt *rapid.T) {
		clock := clockwork.NewFakeClockAt(t0)
		sub, err := os.MkdirTemp(dir, "run")
		if err != nil {
			rt.Fatal(err)
		}
		path := filepath.Join(sub, "h.db")
		b := newBudgets(t, openStore(t, path, clock), clock)
		srv := &fakeServer{limit: rapid.SampledFrom([]int{300, 120, 40}).Draw(rt, "server limit"), per: 5 * time.Minute,
			start: t0.Truncate(5 * time.Minute)}
		others := rapid.Bool().Draw(rt, "other clients")
		headers := rapid.Float64Range(0, 1).Draw(rt, "share of answers with headers")
		var sent []time.Time
		var tolds []told
		refused := 0

		steps := rapid.IntRange(50, 600).Draw(rt, "steps")
		for range steps {
			now := clock.Now()
			srv.roll(now)
			switch op := rapid.IntRange(0, 9).Draw(rt, "op"); {
			case op <= 5: // a request
				p := Priority(rapid.IntRange(0, 2).Draw(rt, "priority"))
				w := b.enqueue(Mastodon(), 1, p, statusReq(t))
				b.mu.Lock()
				_, ok := b.tryLocked(w, now)
				b.mu.Unlock()
				if !ok {
					b.leave(w)
					continue
				}
				b.save(context.Background(), w.buckets)
				sent = append(sent, now)
				status := 200
				if srv.count >= srv.limit {
					status = http.StatusTooManyRequests
					refused++
				} else {
					srv.count++
				}
				var h http.Header
				if status == http.StatusTooManyRequests || rapid.Float64Range(0, 1).Draw(rt, "headers?") < headers {
					reset := srv.start.Add(srv.per)
					remaining := max(srv.limit-srv.count, 0)
					h = header("X-RateLimit-Limit", strconv.Itoa(srv.limit), "X-RateLimit-Remaining", strconv.Itoa(remaining),
						"X-RateLimit-Reset", reset.Format(time.RFC3339Nano))
					tolds = append(tolds, told{at: now, reset: reset, remaining: remaining})
				}
				if changed := b.answered(w.buckets, status, h, now); len(changed) > 0 {
					b.save(context.Background(), changed)
				}
			case op == 6 && others:
				srv.count += rapid.IntRange(1, 50).Draw(rt, "other requests")
			case op == 7:
				b = newBudgets(t, openStore(t, path, clock), clock)
			default:
				clock.Advance(time.Duration(rapid.Int64Range(1, int64(90*time.Second)).Draw(rt, "advance")))
			}
		}

		if got := maxInWindow(sent, 5*time.Minute); got > 300 {
			rt.Fatalf("%d requests within 5 minutes, budget 300", got)
		}
		for _, tl := range tolds {
			n := 0
			for _, s := range sent {
				if s.After(tl.at) && s.Before(tl.reset) {
					n++
				}
			}
			if n > tl.remaining {
				rt.Fatalf("told at %s that %d remain until %s, then sent %d", tl.at, tl.remaining, tl.reset, n)
			}
		}
		if !others && refused > 0 && srv.limit == 300 {
			rt.Fatalf("the server refused %d requests though nobody else used the account", refused)
		}
	})
}
