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
	noMultiple bool // GET /api/v1/statuses is not offered
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
		"GET /api/v1/statuses":                   s.multipleStatuses,
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
		s.favouriteLocked(st.ID, g.accountID, on)
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

// WithoutMultipleStatuses makes the fake answer GET /api/v1/statuses with
// 404, as GoToSocial and Mastodon before 4.3 do.
func (s *Server) WithoutMultipleStatuses() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mod.noMultiple = true
}

// multipleStatuses: the statuses of id[] (at most 20) the viewer may see;
// others are left out.
//
// https://docs.joinmastodon.org/methods/statuses/#index
func (s *Server) multipleStatuses(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	off := s.mod.noMultiple
	s.mu.Unlock()
	if off {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	g, ok := s.authenticate(w, r, "read", "read:statuses")
	if !ok {
		return
	}
	ids := r.URL.Query()["id[]"]
	if len(ids) > 20 {
		writeError(w, http.StatusUnprocessableEntity, "Too many ids requested")
		return
	}
	var found []*Status
	s.mu.Lock()
	for _, id := range ids {
		if st := s.findStatusLocked(id); st != nil && visibleTo(st, g.accountID) {
			found = append(found, st)
		}
	}
	s.mu.Unlock()
	out := make([]map[string]any, 0, len(found))
	for _, st := range found {
		out = append(out, s.statusJSON(st))
	}
	writeJSON(w, http.StatusOK, out)
}
