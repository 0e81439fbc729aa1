package mastodontest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"herald/backend/network"
	"herald/backend/network/networktest"
)

// idempotencyTTL is how long Mastodon remembers an Idempotency-Key.
const idempotencyTTL = time.Hour

// Status is a status on the fake, as its author wrote it.
type Status struct {
	ID             string
	AccountID      string
	Text           string // the plain text sent as status
	Content        string // the HTML the API shows
	SpoilerText    string
	Sensitive      bool
	Visibility     string
	Language       string
	InReplyToID    string
	MediaIDs       []string
	IdempotencyKey string // the Idempotency-Key header it was created with
	ScheduledID    string // the scheduled status it was published from
	CreatedAt      time.Time
	// Mentions are the accounts the status mentions (a reply mentions the
	// author of its parent); a direct status is visible to them.
	Mentions []string
	// QuoteOf is the status it quotes (Mastodon 4.5 quotes).
	QuoteOf string
	// ReblogOf is the status it boosts: a boost is a status of its own,
	// without text, that shows the boosted one.
	ReblogOf string
	// EditedAt is set once the status was edited.
	EditedAt time.Time
	// Params are the request's parameters as received, so a test can tell
	// a value sent from a default applied.
	Params url.Values
}

type idempotent struct {
	statusID    string
	scheduledID string
	at          time.Time
}

// statusParams is a create-status request, read the way Mastodon reads it.
type statusParams struct {
	text, spoiler, visibility, language, inReplyTo, scheduledAt string
	sensitive                                                   bool
	mediaIDs                                                    []string
	raw                                                         url.Values
}

func readStatusParams(p url.Values) statusParams {
	sp := statusParams{
		text: p.Get("status"), spoiler: p.Get("spoiler_text"), visibility: p.Get("visibility"),
		language: p.Get("language"), inReplyTo: p.Get("in_reply_to_id"), scheduledAt: p.Get("scheduled_at"),
		mediaIDs: append(append([]string(nil), p["media_ids[]"]...), p["media_ids"]...),
		raw:      p,
	}
	sp.sensitive, _ = strconv.ParseBool(p.Get("sensitive"))
	return sp
}

// InjectPublish sets how the next POST /api/v1/statuses is answered; the
// fault applies once.
func (s *Server) InjectPublish(f networktest.PublishFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.publishFault = f
}

// IgnoreIdempotencyKey makes the fake ignore Idempotency-Key, as
// GoToSocial does: every request makes a new status.
func (s *Server) IgnoreIdempotencyKey(ignore bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ignoreIdem = ignore
}

// Posts returns every status on the fake, oldest first, with its plain
// text and the alt texts of its attachments.
func (s *Server) Posts() []network.RemotePost {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]network.RemotePost, 0, len(s.statuses))
	for _, st := range s.statuses {
		rp := network.RemotePost{ID: st.ID, URL: s.statusURL(st), Text: st.Text, CreatedAt: st.CreatedAt, MediaCount: len(st.MediaIDs)}
		for _, id := range st.MediaIDs {
			if m, ok := s.media[id]; ok {
				rp.AltTexts = append(rp.AltTexts, m.Description)
			}
		}
		out = append(out, rp)
	}
	return out
}

// StatusCount is how many statuses exist on the fake.
func (s *Server) StatusCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.statuses)
}

// Statuses returns every status, oldest first.
func (s *Server) Statuses() []Status { return s.StatusesBy("") }

// StatusesBy returns the statuses of one account (all when accountID is
// empty), oldest first.
func (s *Server) StatusesBy(accountID string) []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Status
	for _, st := range s.statuses {
		if accountID == "" || st.AccountID == accountID {
			cp := *st
			cp.MediaIDs = slices.Clone(st.MediaIDs)
			cp.Params = cloneValues(st.Params)
			out = append(out, cp)
		}
	}
	return out
}

// Status returns one status by id.
func (s *Server) Status(id string) (Status, bool) {
	for _, st := range s.Statuses() {
		if st.ID == id {
			return st, true
		}
	}
	return Status{}, false
}

// nextID is a Mastodon-like id (a snowflake: 18 digits, increasing); the
// caller holds s.mu.
func (s *Server) nextID() string {
	s.objectSerial++
	return strconv.FormatInt(113000000000000000+s.objectSerial, 10)
}

func (s *Server) statusURL(st *Status) string {
	for _, a := range s.accounts {
		if a.ID == st.AccountID {
			return s.srv.URL + "/@" + a.Username + "/" + st.ID
		}
	}
	return s.srv.URL + "/statuses/" + st.ID
}

// createStatus posts a status, or schedules one when scheduled_at is set.
// An Idempotency-Key seen from the same account within the hour returns
// what the first request made (unless IgnoreIdempotencyKey).
//
// https://docs.joinmastodon.org/methods/statuses/#create
func (s *Server) createStatus(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	fault := s.publishFault
	s.publishFault = networktest.PublishOK
	now := s.now()
	s.mu.Unlock()
	switch fault {
	case networktest.PublishRateLimited:
		w.Header().Set("X-RateLimit-Limit", "300")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", now.Add(5*time.Minute).UTC().Format("2006-01-02T15:04:05.000000Z"))
		writeError(w, http.StatusTooManyRequests, "Too many requests")
		return
	case networktest.PublishServerError:
		writeError(w, http.StatusServiceUnavailable, "Service Unavailable")
		return
	case networktest.PublishRejectContent:
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: Text character limit of 500 exceeded")
		return
	case networktest.PublishUnauthorized:
		writeError(w, http.StatusUnauthorized, "The access token is invalid")
		return
	}

	g, ok := s.authenticate(w, r, "write", "write:statuses")
	if !ok {
		return
	}
	p, err := params(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "Could not parse request body")
		return
	}
	sp := readStatusParams(p)
	key := r.Header.Get("Idempotency-Key")
	if st, sch, ok := s.idempotentResult(g.accountID, key); ok {
		if sch != nil {
			writeJSON(w, http.StatusOK, s.scheduledJSON(sch))
		} else {
			writeJSON(w, http.StatusOK, s.statusJSON(st))
		}
		return
	}
	if status, msg := s.validateStatus(g.accountID, sp); status != 0 {
		writeError(w, status, msg)
		return
	}
	if sp.scheduledAt != "" {
		s.schedule(w, g.accountID, key, sp)
		return
	}

	content := s.renderHTML(sp.text)
	s.mu.Lock()
	st := s.addStatusLocked(g.accountID, sp, content, key, "")
	s.mu.Unlock()

	if fault == networktest.PublishDropAfterCommit {
		dropConnection(w)
		return
	}
	writeJSON(w, http.StatusOK, s.statusJSON(st))
}

// addStatusLocked stores a new status and attaches its media; the caller
// holds s.mu.
func (s *Server) addStatusLocked(accountID string, sp statusParams, content, key, scheduledID string) *Status {
	vis := sp.visibility
	if vis == "" {
		vis = "public" // Mastodon's default; GoToSocial's is unlisted
	}
	st := &Status{
		ID: s.nextID(), AccountID: accountID, Text: sp.text, Content: content, SpoilerText: sp.spoiler,
		Sensitive: sp.sensitive || sp.spoiler != "", Visibility: vis, Language: sp.language,
		InReplyToID: sp.inReplyTo, MediaIDs: slices.Clone(sp.mediaIDs), IdempotencyKey: key,
		ScheduledID: scheduledID, CreatedAt: s.now().UTC(), Params: cloneValues(sp.raw),
	}
	for _, id := range st.MediaIDs {
		if m, ok := s.media[id]; ok {
			m.StatusID = st.ID
		}
	}
	s.statuses = append(s.statuses, st)
	if key != "" {
		s.idempotency[accountID+"\x00"+key] = idempotent{statusID: st.ID, at: st.CreatedAt}
	}
	return st
}

// dropConnection closes the connection without an answer: the status
// exists, but the client cannot know.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("mastodontest: the response writer cannot be hijacked")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(err)
	}
	_ = conn.Close()
}

// idempotentResult returns what an earlier request with the same key
// made, if Mastodon would still remember it.
func (s *Server) idempotentResult(accountID, key string) (*Status, *ScheduledStatus, bool) {
	if key == "" {
		return nil, nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ignoreIdem {
		return nil, nil, false
	}
	e, ok := s.idempotency[accountID+"\x00"+key]
	if !ok || s.now().Sub(e.at) > idempotencyTTL {
		return nil, nil, false
	}
	if e.scheduledID != "" {
		for _, sch := range s.scheduled {
			if sch.ID == e.scheduledID {
				return nil, sch, true
			}
		}
		return nil, nil, false
	}
	for _, st := range s.statuses {
		if st.ID == e.statusID {
			return st, nil, true
		}
	}
	return nil, nil, false
}

var visibilities = []string{"public", "unlisted", "private", "direct"}

// validateStatus checks a create request as Mastodon does and returns the
// error status and message, or 0.
func (s *Server) validateStatus(accountID string, sp statusParams) (int, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if strings.TrimSpace(sp.text) == "" && len(sp.mediaIDs) == 0 {
		return http.StatusUnprocessableEntity, "Validation failed: Text can't be blank"
	}
	if utf8.RuneCountInString(sp.text)+utf8.RuneCountInString(sp.spoiler) > s.limits.MaxCharacters {
		return http.StatusUnprocessableEntity, fmt.Sprintf("Validation failed: Text character limit of %d exceeded", s.limits.MaxCharacters)
	}
	if sp.visibility != "" && !slices.Contains(visibilities, sp.visibility) {
		return http.StatusUnprocessableEntity, "Validation failed: Visibility is not included in the list"
	}
	if len(sp.mediaIDs) > s.limits.MaxMediaAttachments {
		return http.StatusUnprocessableEntity, fmt.Sprintf("Validation failed: Media attachments exceed the limit of %d", s.limits.MaxMediaAttachments)
	}
	for _, id := range sp.mediaIDs {
		m, ok := s.media[id]
		if !ok || m.AccountID != accountID || m.StatusID != "" || m.ScheduledID != "" {
			return http.StatusUnprocessableEntity, "Validation failed: Media attachments are invalid"
		}
		if m.pending > 0 {
			return http.StatusUnprocessableEntity, "Cannot attach files that have not finished processing. Try again in a moment!"
		}
	}
	if sp.inReplyTo != "" && s.findStatusLocked(sp.inReplyTo) == nil {
		return http.StatusNotFound, "The post you are trying to reply to does not appear to exist."
	}
	return 0, ""
}

func (s *Server) findStatusLocked(id string) *Status {
	for _, st := range s.statuses {
		if st.ID == id {
			return st
		}
	}
	return nil
}

// https://docs.joinmastodon.org/methods/statuses/#get
func (s *Server) getStatus(w http.ResponseWriter, r *http.Request) {
	viewer := ""
	if bearer(r) != "" {
		g, ok := s.authenticate(w, r, "read", "read:statuses")
		if !ok {
			return
		}
		viewer = g.accountID
	}
	s.mu.Lock()
	st := s.findStatusLocked(r.PathValue("id"))
	s.mu.Unlock()
	if st == nil || !visibleTo(st, viewer) {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	writeJSON(w, http.StatusOK, s.statusJSON(st))
}

func visibleTo(st *Status, viewer string) bool {
	return st.AccountID == viewer || st.Visibility == "public" || st.Visibility == "unlisted" ||
		(viewer != "" && slices.Contains(st.Mentions, viewer))
}

// accountStatuses lists an account's statuses, newest first, with
// Mastodon's limit (default 20, at most 40, lower under SetPageLimit),
// max_id, since_id, min_id, exclude_replies and exclude_reblogs (unless
// IgnoreExcludeReblogs), and the Link header of the next and previous
// pages. A suspended account (Suspend) lists none, as on Mastodon.
//
// https://docs.joinmastodon.org/methods/accounts/#statuses
func (s *Server) accountStatuses(w http.ResponseWriter, r *http.Request) {
	viewer := ""
	if bearer(r) != "" {
		g, ok := s.authenticate(w, r, "read", "read:statuses")
		if !ok {
			return
		}
		viewer = g.accountID
	}
	id := r.PathValue("id")
	if _, ok := s.accountByID(id); !ok {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	q := r.URL.Query()
	excludeReplies, _ := strconv.ParseBool(q.Get("exclude_replies"))
	excludeReblogs, _ := strconv.ParseBool(q.Get("exclude_reblogs"))
	s.mu.Lock()
	if s.metrics.ignoreExcludeReblogs {
		excludeReblogs = false
	}
	var list []*Status
	var ids []string
	for i := len(s.statuses) - 1; i >= 0; i-- {
		st := s.statuses[i]
		switch {
		case st.AccountID != id, s.metrics.suspended[id], !visibleTo(st, viewer), excludeReplies && st.InReplyToID != "",
			excludeReblogs && st.ReblogOf != "":
			continue
		}
		list = append(list, st)
		ids = append(ids, st.ID)
	}
	s.mu.Unlock()
	pg := s.page(q, ids, 20, 40)
	out := make([]map[string]any, 0, len(pg))
	for _, i := range pg {
		out = append(out, s.statusJSON(list[i]))
	}
	if len(pg) > 0 {
		s.setLink(w, r, ids[pg[0]], ids[pg[len(pg)-1]])
	}
	writeJSON(w, http.StatusOK, out)
}

// statusJSON is a Status entity. Like Mastodon (and unlike GoToSocial) it
// has no "text": the source text is returned only on delete.
//
// https://docs.joinmastodon.org/entities/Status/
func (s *Server) statusJSON(st *Status) map[string]any {
	s.mu.Lock()
	var acct Account
	for _, a := range s.accounts {
		if a.ID == st.AccountID {
			acct = a
		}
	}
	media := make([]map[string]any, 0, len(st.MediaIDs))
	for _, id := range st.MediaIDs {
		if m, ok := s.media[id]; ok {
			media = append(media, s.mediaJSON(m))
		}
	}
	var replyTo, replyToAccount any
	if st.InReplyToID != "" {
		replyTo = st.InReplyToID
		if parent := s.findStatusLocked(st.InReplyToID); parent != nil {
			replyToAccount = parent.AccountID
		}
	}
	url := s.statusURL(st)
	mentions := []map[string]any{}
	for _, id := range st.Mentions {
		for _, a := range s.accounts {
			if a.ID == id {
				mentions = append(mentions, map[string]any{"id": a.ID, "username": a.Username, "acct": a.Username, "url": a.URL})
			}
		}
	}
	// https://docs.joinmastodon.org/entities/Quote/
	var quote any
	if q := s.findStatusLocked(st.QuoteOf); q != nil {
		quote = map[string]any{"state": "accepted", "quoted_status": map[string]any{"id": q.ID}}
	} else if st.QuoteOf != "" {
		quote = map[string]any{"state": "deleted", "quoted_status": nil}
	}
	var editedAt any
	if !st.EditedAt.IsZero() {
		editedAt = st.EditedAt.Format("2006-01-02T15:04:05.000Z")
	}
	counts := s.statusCountsLocked(st.ID)
	account := s.accountJSONLocked(acct)
	reblogOf := s.findStatusLocked(st.ReblogOf)
	s.mu.Unlock()
	var reblog any
	if reblogOf != nil {
		reblog = s.statusJSON(reblogOf)
	}
	var language any
	if st.Language != "" {
		language = st.Language
	}
	out := map[string]any{
		"id":                     st.ID,
		"created_at":             st.CreatedAt.Format("2006-01-02T15:04:05.000Z"),
		"in_reply_to_id":         replyTo,
		"in_reply_to_account_id": replyToAccount,
		"sensitive":              st.Sensitive,
		"spoiler_text":           st.SpoilerText,
		"visibility":             st.Visibility,
		"language":               language,
		"uri":                    s.srv.URL + "/users/" + acct.Username + "/statuses/" + st.ID,
		"url":                    url,
		"edited_at":              editedAt,
		"quote":                  quote,
		"favourited":             false,
		"reblogged":              false,
		"muted":                  false,
		"bookmarked":             false,
		"pinned":                 false,
		"content":                st.Content,
		"reblog":                 reblog,
		"application":            map[string]any{"name": "Herald", "website": nil},
		"account":                account,
		"media_attachments":      media,
		"mentions":               mentions,
		"tags":                   []any{},
		"emojis":                 []any{},
		"card":                   nil,
		"poll":                   nil,
	}
	for k, v := range counts {
		out[k] = v
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}
