package ratebudget

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"herald/backend/network"
)

// answer is what a response said about its rate limit.
type answer struct {
	limit     int           // requests per window; 0: not said
	remaining int           // requests left in the window
	reset     time.Time     // when the window ends, on Herald's clock
	window    time.Duration // RateLimit-Policy's w; 0: not said
}

// readAnswer reads the rate-limit headers of a response at now.
//
// Mastodon sends X-RateLimit-Limit, -Remaining and -Reset (an ISO 8601
// time); Bluesky's PDS sends RateLimit-Limit, -Remaining, -Reset (unix
// seconds) and -Policy ("30;w=300"). A reset below 10^9 is read as seconds
// from now, as in the IETF RateLimit headers draft. A server's clock may be
// minutes off, so an absolute reset is taken relative to the response's
// Date (plus the second Date cannot express). A 429 without a remaining
// count means none remain until Retry-After.
func readAnswer(status int, h http.Header, now time.Time) (answer, bool) {
	var a answer
	lim, rem, rst := h.Get("X-RateLimit-Limit"), h.Get("X-RateLimit-Remaining"), h.Get("X-RateLimit-Reset")
	if rem == "" {
		lim, rem, rst = h.Get("RateLimit-Limit"), h.Get("RateLimit-Remaining"), h.Get("RateLimit-Reset")
	}
	a.limit, _ = strconv.Atoi(strings.TrimSpace(lim))
	a.window = policyWindow(h.Get("RateLimit-Policy"))
	n, err := strconv.Atoi(strings.TrimSpace(rem))
	switch {
	case err == nil && n >= 0:
		a.remaining = n
	case status == http.StatusTooManyRequests:
		a.remaining = 0
	default:
		return answer{}, false
	}
	if t, ok := resetTime(rst, h.Get("Date"), now); ok {
		a.reset = t
	} else if t, ok := network.RetryAfterHeader(h, now); ok {
		a.reset = t
	} else {
		return answer{}, false // a count without an end cannot be honoured
	}
	return a, true
}

func resetTime(v, date string, now time.Time) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	var abs time.Time
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 || n >= 1<<40 {
			return time.Time{}, false
		}
		if n < 1_000_000_000 {
			return now.Add(time.Duration(n) * time.Second), true
		}
		abs = time.Unix(n, 0)
	} else if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		abs = t
	} else {
		return time.Time{}, false
	}
	if d, err := http.ParseTime(date); err == nil {
		return now.Add(abs.Sub(d) + time.Second), true
	}
	return abs, true
}

// policyWindow reads the window of the first policy in RateLimit-Policy
// ("30;w=300" → 5 minutes).
func policyWindow(v string) time.Duration {
	first, _, _ := strings.Cut(v, ",")
	for _, p := range strings.Split(first, ";")[1:] {
		k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(k, "w") {
			if n, err := strconv.Atoi(strings.TrimSpace(val)); err == nil && n > 0 {
				return time.Duration(n) * time.Second
			}
		}
	}
	return 0
}
