package mastodontest

import (
	"net/http"
	"time"
)

// Any account of the fake, as another account reads it (a watchlist):
// GET /api/v1/accounts/:id, its statuses (accountStatuses), and what makes
// such an account worth reading: statuses dated in the past, boosts,
// followers, a suspension.

// Suspend suspends the account with id, as a moderator of the server
// does. Like Mastodon from 3.3 on, the server still describes it, flagged
// suspended and emptied (no name, bio or counts), and lists no statuses.
func (s *Server) Suspend(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.metrics.suspended == nil {
		s.metrics.suspended = map[string]bool{}
	}
	s.metrics.suspended[id] = true
}

// PostAt publishes a public status as accountID dated at; with reply it
// answers a status the other account makes first. Make statuses in the
// order of their dates (OwnPostAt).
func (s *Server) PostAt(accountID, text string, at time.Time, reply bool) string {
	parent := ""
	if reply {
		parent = s.PostAs(s.Other().ID, "Something to answer", "public", "", "").ID
	}
	st := s.PostAs(accountID, text, "public", parent, "")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.findStatusLocked(st.ID).CreatedAt = at.UTC()
	return st.ID
}

// Boost makes accountID boost the status with id.
func (s *Server) Boost(accountID, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reblogLocked(accountID, id)
}

// FollowAccount makes n new accounts follow the account with id.
func (s *Server) FollowAccount(id string, n int) {
	for range n {
		fan := s.fan()
		s.mu.Lock()
		if s.metrics.followers == nil {
			s.metrics.followers = map[string][]string{}
		}
		s.metrics.followers[id] = append(s.metrics.followers[id], fan.ID)
		s.mu.Unlock()
	}
}

// getAccount describes an account by id: 404 "Record not found" for an id
// the fake does not know, a suspended account flagged and emptied. A
// token, when sent, must be valid; Mastodon shows accounts without one.
//
// https://docs.joinmastodon.org/methods/accounts/#get
func (s *Server) getAccount(w http.ResponseWriter, r *http.Request) {
	if bearer(r) != "" {
		if _, ok := s.authenticate(w, r, "read", "read:accounts"); !ok {
			return
		}
	}
	a, ok := s.accountByID(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	s.mu.Lock()
	out := s.accountJSONLocked(a)
	suspended := s.metrics.suspended[a.ID]
	s.mu.Unlock()
	delete(out, "source") // only the account's own CredentialAccount has it
	if suspended {
		// https://docs.joinmastodon.org/entities/Account/#suspended
		out["suspended"] = true
		out["display_name"], out["note"] = "", ""
		out["followers_count"], out["following_count"], out["statuses_count"] = 0, 0, 0
	}
	writeJSON(w, http.StatusOK, out)
}
