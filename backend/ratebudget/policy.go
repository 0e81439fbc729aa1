package ratebudget

import (
	"net/http"
	"strings"
	"time"
)

// Scope says whose requests a rule counts.
type Scope int

const (
	// PerChannel counts one channel's requests (a limit per account).
	PerChannel Scope = iota
	// PerHost counts the requests to one server from every channel (a
	// limit per IP address, which all of Herald's channels share).
	PerHost
)

// Rule is one documented limit: at most Requests per Per. A request that
// Match accepts (every request when Match is nil) spends one request of
// the rule's budget.
type Rule struct {
	Name     string
	Requests int
	Per      time.Duration
	// Burst is how many requests may go at once. A token bucket lets
	// Burst through at once and refills the rest over Per, so that no
	// window of length Per ever sees more than Requests: the bucket refills
	// at (Requests-Burst) per Per, never at the full rate.
	Burst int
	Scope Scope
	Match func(*http.Request) bool
}

// Policy is a network's set of rules.
type Policy struct {
	Network string
	Rules   []Rule
}

// Mastodon's default limits, per account: 300 requests per 5 minutes;
// media uploads and status deletions 30 per 30 minutes each. A server may
// set its own; its X-RateLimit-* headers narrow these.
// https://docs.joinmastodon.org/api/rate-limits/
func Mastodon() Policy {
	return Policy{Network: "mastodon", Rules: []Rule{
		{Name: "general", Requests: 300, Per: 5 * time.Minute, Burst: 60, Scope: PerChannel},
		{Name: "media", Requests: 30, Per: 30 * time.Minute, Burst: 10, Scope: PerChannel, Match: func(r *http.Request) bool {
			return r.Method == http.MethodPost && (r.URL.Path == "/api/v1/media" || r.URL.Path == "/api/v2/media")
		}},
		{Name: "delete", Requests: 30, Per: 30 * time.Minute, Burst: 10, Scope: PerChannel, Match: func(r *http.Request) bool {
			p := r.URL.Path
			return (r.Method == http.MethodDelete && strings.HasPrefix(p, "/api/v1/statuses/")) ||
				(r.Method == http.MethodPost && strings.HasPrefix(p, "/api/v1/statuses/") && strings.HasSuffix(p, "/unreblog"))
		}},
	}}
}

// Bluesky's limits. A PDS allows 3,000 requests per 5 minutes per IP
// address, so the channels on one PDS share that budget. createSession is
// limited per account to 30 per 5 minutes and 300 a day (the bsky.social
// entryway was seen to allow only 100 a day, so that is used).
// https://docs.bsky.app/docs/advanced-guides/rate-limits
// https://github.com/bluesky-social/bsky-docs/issues/183
func Bluesky() Policy {
	createSession := func(r *http.Request) bool {
		return r.URL.Path == "/xrpc/com.atproto.server.createSession"
	}
	return Policy{Network: "bluesky", Rules: []Rule{
		{Name: "pds", Requests: 3000, Per: 5 * time.Minute, Burst: 300, Scope: PerHost, Match: func(r *http.Request) bool {
			return strings.HasPrefix(r.URL.Path, "/xrpc/")
		}},
		{Name: "session", Requests: 30, Per: 5 * time.Minute, Burst: 6, Scope: PerChannel, Match: createSession},
		{Name: "session-day", Requests: 100, Per: 24 * time.Hour, Burst: 20, Scope: PerChannel, Match: createSession},
	}}
}
