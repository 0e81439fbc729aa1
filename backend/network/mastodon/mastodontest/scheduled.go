package mastodontest

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// minScheduleLead is Mastodon's PostStatusService::MIN_SCHEDULE_OFFSET.
const minScheduleLead = 5 * time.Minute

// ScheduledStatus is a status waiting in the fake's scheduler.
type ScheduledStatus struct {
	ID             string
	AccountID      string
	ScheduledAt    time.Time
	Text           string
	IdempotencyKey string
	params         statusParams
}

// Scheduled returns the statuses waiting to be published, soonest first.
func (s *Server) Scheduled() []ScheduledStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ScheduledStatus, 0, len(s.scheduled))
	for _, sch := range s.scheduled {
		out = append(out, *sch)
	}
	slices.SortFunc(out, func(a, b ScheduledStatus) int { return a.ScheduledAt.Compare(b.ScheduledAt) })
	return out
}

// FireScheduled publishes every scheduled status due at now, as the
// server's scheduler would, and returns the statuses made.
func (s *Server) FireScheduled(now time.Time) []Status {
	s.mu.Lock()
	var due []*ScheduledStatus
	keep := s.scheduled[:0]
	for _, sch := range s.scheduled {
		if !sch.ScheduledAt.After(now) {
			due = append(due, sch)
		} else {
			keep = append(keep, sch)
		}
	}
	s.scheduled = keep
	s.mu.Unlock()
	var out []Status
	for _, sch := range due {
		content := s.renderHTML(sch.params.text)
		s.mu.Lock()
		for _, id := range sch.params.mediaIDs {
			if m, ok := s.media[id]; ok {
				m.ScheduledID = ""
			}
		}
		sp := sch.params
		sp.scheduledAt = ""
		st := s.addStatusLocked(sch.AccountID, sp, content, "", sch.ID)
		out = append(out, *st)
		s.mu.Unlock()
	}
	return out
}

// schedule stores a validated create request with scheduled_at and
// answers with the ScheduledStatus.
func (s *Server) schedule(w http.ResponseWriter, accountID, key string, sp statusParams) {
	at, err := time.Parse(time.RFC3339Nano, sp.scheduledAt)
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: Scheduled at is invalid")
		return
	}
	s.mu.Lock()
	now := s.now()
	if !at.After(now.Add(minScheduleLead)) {
		s.mu.Unlock()
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: Scheduled at The scheduled date must be in the future")
		return
	}
	sch := &ScheduledStatus{ID: s.nextID(), AccountID: accountID, ScheduledAt: at.UTC(), Text: sp.text, IdempotencyKey: key, params: sp}
	for _, id := range sp.mediaIDs {
		if m, ok := s.media[id]; ok {
			m.ScheduledID = sch.ID
		}
	}
	s.scheduled = append(s.scheduled, sch)
	if key != "" {
		s.idempotency[accountID+"\x00"+key] = idempotent{scheduledID: sch.ID, at: now}
	}
	body := s.scheduledJSONLocked(sch)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

// https://docs.joinmastodon.org/methods/scheduled_statuses/#get
func (s *Server) listScheduled(w http.ResponseWriter, r *http.Request) {
	g, ok := s.authenticate(w, r, "read", "read:statuses")
	if !ok {
		return
	}
	q := r.URL.Query()
	limit := 20
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n > 0 {
		limit = min(n, 40)
	}
	maxID := q.Get("max_id")
	s.mu.Lock()
	var mine []*ScheduledStatus
	for _, sch := range s.scheduled {
		if sch.AccountID == g.accountID && (maxID == "" || sch.ID < maxID) {
			mine = append(mine, sch)
		}
	}
	// Newest id first, as Mastodon paginates.
	slices.SortFunc(mine, func(a, b *ScheduledStatus) int { return -compareIDs(a.ID, b.ID) })
	more := len(mine) > limit
	if more {
		mine = mine[:limit]
	}
	out := make([]map[string]any, 0, len(mine))
	for _, sch := range mine {
		out = append(out, s.scheduledJSONLocked(sch))
	}
	s.mu.Unlock()
	if more {
		next := url.Values{"limit": {strconv.Itoa(limit)}, "max_id": {mine[len(mine)-1].ID}}
		w.Header().Set("Link", `<`+s.srv.URL+`/api/v1/scheduled_statuses?`+next.Encode()+`>; rel="next"`)
	}
	writeJSON(w, http.StatusOK, out)
}

func compareIDs(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// https://docs.joinmastodon.org/methods/scheduled_statuses/#get-one
func (s *Server) getScheduled(w http.ResponseWriter, r *http.Request) {
	g, ok := s.authenticate(w, r, "read", "read:statuses")
	if !ok {
		return
	}
	s.mu.Lock()
	for _, sch := range s.scheduled {
		if sch.ID == r.PathValue("id") && sch.AccountID == g.accountID {
			body := s.scheduledJSONLocked(sch)
			s.mu.Unlock()
			writeJSON(w, http.StatusOK, body)
			return
		}
	}
	s.mu.Unlock()
	writeError(w, http.StatusNotFound, "Record not found")
}

// https://docs.joinmastodon.org/methods/scheduled_statuses/#cancel
func (s *Server) cancelScheduled(w http.ResponseWriter, r *http.Request) {
	g, ok := s.authenticate(w, r, "write", "write:statuses")
	if !ok {
		return
	}
	s.mu.Lock()
	for i, sch := range s.scheduled {
		if sch.ID == r.PathValue("id") && sch.AccountID == g.accountID {
			s.scheduled = slices.Delete(s.scheduled, i, i+1)
			for _, id := range sch.params.mediaIDs {
				if m, ok := s.media[id]; ok {
					m.ScheduledID = ""
				}
			}
			s.mu.Unlock()
			writeJSON(w, http.StatusOK, map[string]any{})
			return
		}
	}
	s.mu.Unlock()
	writeError(w, http.StatusNotFound, "Record not found")
}

func (s *Server) scheduledJSON(sch *ScheduledStatus) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.scheduledJSONLocked(sch)
}

// scheduledJSONLocked is a ScheduledStatus entity; the caller holds s.mu.
//
// https://docs.joinmastodon.org/entities/ScheduledStatus/
func (s *Server) scheduledJSONLocked(sch *ScheduledStatus) map[string]any {
	p := sch.params
	orNil := func(v string) any {
		if v == "" {
			return nil
		}
		return v
	}
	var mediaIDs any
	media := []map[string]any{}
	if len(p.mediaIDs) > 0 {
		mediaIDs = p.mediaIDs
		for _, id := range p.mediaIDs {
			if m, ok := s.media[id]; ok {
				media = append(media, s.mediaJSON(m))
			}
		}
	}
	var sensitive any
	if p.sensitive {
		sensitive = true
	}
	return map[string]any{
		"id":           sch.ID,
		"scheduled_at": sch.ScheduledAt.Format("2006-01-02T15:04:05.000Z"),
		"params": map[string]any{
			"text":           p.text,
			"poll":           nil,
			"media_ids":      mediaIDs,
			"sensitive":      sensitive,
			"spoiler_text":   orNil(p.spoiler),
			"visibility":     orNil(p.visibility),
			"language":       orNil(p.language),
			"scheduled_at":   nil,
			"idempotency":    orNil(sch.IdempotencyKey),
			"in_reply_to_id": orNil(p.inReplyTo),
			"application_id": 1,
		},
		"media_attachments": media,
	}
}
