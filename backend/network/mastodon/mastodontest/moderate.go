package mastodontest

import (
	"net/http"
	"slices"
)

// Favourites, mutes and blocks, as the account makes them: each is a set,
// so doing it twice changes nothing (as on Mastodon).

// moderation is the fake's record of them, guarded by Server.mu.
type moderation struct {
	favourites map[string]bool // status ids the account favourited
	muted      map[string]bool // account ids
	blocked    map[string]bool
}

// Favourited reports whether the account favourited status id.
func (s *Server) Favourited(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mod.favourites[id]
}

// Muted reports whether the account muted account id.
func (s *Server) Muted(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mod.muted[id]
}

// Blocked reports whether the account blocked account id.
func (s *Server) Blocked(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mod.blocked[id]
}

func (s *Server) moderationRoutes() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"POST /api/v1/statuses/{id}/favourite":   s.favourite(true),
		"POST /api/v1/statuses/{id}/unfavourite": s.favourite(false),
		"POST /api/v1/accounts/{id}/mute":        s.relate(func(m *moderation) map[string]bool { return m.muted }, true),
		"POST /api/v1/accounts/{id}/unmute":      s.relate(func(m *moderation) map[string]bool { return m.muted }, false),
		"POST /api/v1/accounts/{id}/block":       s.relate(func(m *moderation) map[string]bool { return m.blocked }, true),
		"POST /api/v1/accounts/{id}/unblock":     s.relate(func(m *moderation) map[string]bool { return m.blocked }, false),
	}
}

// favourite: https://docs.joinmastodon.org/methods/statuses/#favourite
func (s *Server) favourite(on bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		g, ok := s.authenticate(w, r, "write", "write:favourites")
		if !ok {
			return
		}
		s.mu.Lock()
		st := s.findStatusLocked(r.PathValue("id"))
		if st == nil || !visibleTo(st, g.accountID) {
			s.mu.Unlock()
			writeError(w, http.StatusNotFound, "Record not found")
			return
		}
		if s.mod.favourites == nil {
			s.mod.favourites = map[string]bool{}
		}
		if on {
			s.mod.favourites[st.ID] = true
		} else {
			delete(s.mod.favourites, st.ID)
		}
		s.mu.Unlock()
		out := s.statusJSON(st) // takes s.mu itself
		out["favourited"] = on
		writeJSON(w, http.StatusOK, out)
	}
}

// relate mutes, unmutes, blocks or unblocks an account and answers with
// the Relationship.
//
// https://docs.joinmastodon.org/methods/accounts/#mute
func (s *Server) relate(set func(*moderation) map[string]bool, on bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := s.authenticate(w, r, "write", "write:mutes", "write:blocks", "follow"); !ok {
			return
		}
		id := r.PathValue("id")
		s.mu.Lock()
		defer s.mu.Unlock()
		if !slices.ContainsFunc(s.accounts, func(a Account) bool { return a.ID == id }) {
			writeError(w, http.StatusNotFound, "Record not found")
			return
		}
		if s.mod.muted == nil {
			s.mod.muted, s.mod.blocked = map[string]bool{}, map[string]bool{}
		}
		m := set(&s.mod)
		if on {
			m[id] = true
		} else {
			delete(m, id)
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": id, "muting": s.mod.muted[id], "blocking": s.mod.blocked[id]})
	}
}
