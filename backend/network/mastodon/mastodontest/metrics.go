package mastodontest

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"herald/backend/network/networktest"
)

// The metrics side of the fake: the counts Mastodon shows in its Status
// and Account entities, kept from what accounts do (favourites, boosts,
// replies, quotes, follows) rather than stored as numbers, and account
// search.

// metricsState lives in Server under s.mu.
type metricsState struct {
	favouritedBy map[string][]string // status id → accounts, in the order they favourited
	followers    map[string][]string // account id → its followers
	fans         int                 // accounts made to engage and follow
	// noQuotesCount plays a server without quotes_count (Mastodon before
	// 4.5, GoToSocial).
	noQuotesCount bool
	// ignoreExcludeReblogs plays a server that lists boosts whatever
	// exclude_reblogs says.
	ignoreExcludeReblogs bool
	searches             []url.Values
	suspended            map[string]bool // account ids (public.go)
}

var _ networktest.MetricsFake = (*Server)(nil)

func (s *Server) metricsRoutes() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"GET /api/v2/search":        s.search,
		"GET /api/v1/accounts/{id}": s.getAccount,
	}
}

// WithoutQuotesCount makes statuses leave quotes_count out, as servers
// before Mastodon 4.5 and GoToSocial do.
func (s *Server) WithoutQuotesCount(without bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.metrics.noQuotesCount = without
}

// IgnoreExcludeReblogs makes an account's statuses list boosts even when
// asked to exclude them.
func (s *Server) IgnoreExcludeReblogs(ignore bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.metrics.ignoreExcludeReblogs = ignore
}

// Searches returns the query parameters of every GET /api/v2/search so
// far.
func (s *Server) Searches() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]url.Values, 0, len(s.metrics.searches))
	for _, q := range s.metrics.searches {
		out = append(out, cloneValues(q))
	}
	return out
}

// statusCountsLocked are a status's counts as Mastodon keeps them:
// replies that are public or unlisted, boosts, favourites and (Mastodon
// 4.5) quotes. The caller holds s.mu.
//
// https://docs.joinmastodon.org/entities/Status/#replies_count
func (s *Server) statusCountsLocked(id string) map[string]any {
	var replies, reblogs, quotes int
	for _, st := range s.statuses {
		switch {
		case st.InReplyToID == id && (st.Visibility == "public" || st.Visibility == "unlisted"):
			replies++
		case st.ReblogOf == id:
			reblogs++
		}
		if st.QuoteOf == id {
			quotes++
		}
	}
	out := map[string]any{
		"replies_count":    replies,
		"reblogs_count":    reblogs,
		"favourites_count": len(s.metrics.favouritedBy[id]),
	}
	if !s.metrics.noQuotesCount {
		out["quotes_count"] = quotes
	}
	return out
}

// accountCountsLocked are an account's followers, follows and statuses;
// like Mastodon, the statuses count boosts and not direct statuses. The
// caller holds s.mu.
func (s *Server) accountCountsLocked(id string) (followers, following, statuses int) {
	followers = len(s.metrics.followers[id])
	for _, fs := range s.metrics.followers {
		if slices.Contains(fs, id) {
			following++
		}
	}
	for _, st := range s.statuses {
		if st.AccountID == id && st.Visibility != "direct" {
			statuses++
		}
	}
	return followers, following, statuses
}

// favouriteLocked records that accountID favourited status id (once, as
// on Mastodon) or took it back; the caller holds s.mu.
func (s *Server) favouriteLocked(id, accountID string, on bool) {
	if s.metrics.favouritedBy == nil {
		s.metrics.favouritedBy = map[string][]string{}
	}
	by := slices.DeleteFunc(s.metrics.favouritedBy[id], func(a string) bool { return a == accountID })
	if on {
		by = append(by, accountID)
	}
	s.metrics.favouritedBy[id] = by
}

// reblogLocked makes accountID boost status id, with the notification
// Mastodon sends its author; the caller holds s.mu.
func (s *Server) reblogLocked(accountID, id string) *Status {
	st := s.addStatusLocked(accountID, statusParams{visibility: "public"}, "", "", "")
	st.ReblogOf = id
	if orig := s.findStatusLocked(id); orig != nil && orig.AccountID != accountID {
		s.notifyLocked(orig.AccountID, "reblog", accountID, id)
	}
	return st
}

// fan makes a new account that engages with or follows the channel.
func (s *Server) fan() Account {
	s.mu.Lock()
	s.metrics.fans++
	n := s.metrics.fans
	s.mu.Unlock()
	return s.AddAccount(Account{Username: "fan" + strconv.Itoa(n), DisplayName: "Fan " + strconv.Itoa(n)})
}

// search finds accounts whose username, acct or display name contains q
// (case-insensitive), local and remote alike, with Mastodon's limit
// (default 20, at most 40). Only type=accounts has results here.
//
// https://docs.joinmastodon.org/methods/search/#v2
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.authenticate(w, r, "read", "read:search"); !ok {
		return
	}
	q := r.URL.Query()
	s.mu.Lock()
	s.metrics.searches = append(s.metrics.searches, cloneValues(q))
	s.mu.Unlock()
	query := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(q.Get("q")), "@"))
	if query == "" {
		writeError(w, http.StatusBadRequest, "Validation failed: q is missing")
		return
	}
	limit := 20
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n > 0 {
		limit = min(n, 40)
	}
	accounts := []map[string]any{}
	if t := q.Get("type"); t == "" || t == "accounts" {
		s.mu.Lock()
		for _, a := range s.accounts {
			if len(accounts) == limit {
				break
			}
			if strings.Contains(strings.ToLower(a.Acct()), query) || strings.Contains(strings.ToLower(a.DisplayName), query) {
				accounts = append(accounts, s.accountJSONLocked(a))
			}
		}
		s.mu.Unlock()
	}
	writeJSON(w, http.StatusOK, map[string]any{"accounts": accounts, "statuses": []any{}, "hashtags": []any{}})
}

// networktest.MetricsFake, with the first account as the channel.

// OwnPostAt publishes a status as the channel dated at. The fake orders
// statuses by id, as Mastodon does, and ids grow as statuses are made:
// make statuses in the order of their dates.
func (s *Server) OwnPostAt(t testing.TB, text string, at time.Time, reply bool) string {
	t.Helper()
	parent := ""
	if reply {
		parent = s.PostAs(s.Other().ID, "Something to answer", "public", "", "").ID
	}
	st := s.PostAs(s.Account().ID, text, "public", parent, "")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.findStatusLocked(st.ID).CreatedAt = at.UTC()
	return st.ID
}

// RepostOther makes the channel boost a status of another account.
func (s *Server) RepostOther(t testing.TB, text string) {
	t.Helper()
	other := s.PostAs(s.Other().ID, text, "public", "", "")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reblogLocked(s.accounts[0].ID, other.ID)
}

// Engage makes new accounts favourite, boost, answer and quote the
// status, each once.
func (s *Server) Engage(t testing.TB, remoteID string, e networktest.Engagement) {
	t.Helper()
	if _, ok := s.Status(remoteID); !ok {
		t.Fatalf("no status %s to engage with", remoteID)
	}
	author := s.Account()
	for range e.Likes {
		fan := s.fan()
		s.mu.Lock()
		s.favouriteLocked(remoteID, fan.ID, true)
		s.notifyLocked(author.ID, "favourite", fan.ID, remoteID)
		s.mu.Unlock()
	}
	for range e.Shares {
		fan := s.fan()
		s.mu.Lock()
		s.reblogLocked(fan.ID, remoteID)
		s.mu.Unlock()
	}
	for range e.Replies {
		s.PostAs(s.fan().ID, "@"+author.Username+" a reply", "public", remoteID, "")
	}
	for range e.Quotes {
		s.PostAs(s.fan().ID, "Look at this", "public", "", remoteID)
	}
}

// Unlike takes back the status's latest favourite.
func (s *Server) Unlike(t testing.TB, remoteID string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	by := s.metrics.favouritedBy[remoteID]
	if len(by) == 0 {
		t.Fatalf("status %s has no favourite to take back", remoteID)
	}
	s.favouriteLocked(remoteID, by[len(by)-1], false)
}

// Follow makes n new accounts follow the channel.
func (s *Server) Follow(t testing.TB, n int) {
	t.Helper()
	me := s.Account().ID
	for range n {
		fan := s.fan()
		s.mu.Lock()
		if s.metrics.followers == nil {
			s.metrics.followers = map[string][]string{}
		}
		s.metrics.followers[me] = append(s.metrics.followers[me], fan.ID)
		s.notifyLocked(me, "follow", fan.ID, "")
		s.mu.Unlock()
	}
}
