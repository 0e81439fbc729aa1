package mastodontest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"herald/backend/network/networktest"
)

// The inbox side of the fake: notifications, conversations, a status's
// context, edits and deletions, as Mastodon documents them.

// Notification is one notification for an account.
//
// https://docs.joinmastodon.org/entities/Notification/
type Notification struct {
	ID        string
	Type      string // mention, quote, favourite, follow, ... or anything
	AccountID string // who is notified
	FromID    string // who caused it
	StatusID  string // empty for a follow
	CreatedAt time.Time
}

// conversationRec is one account's view of a direct conversation
// (Mastodon's AccountConversation).
type conversationRec struct {
	id           string
	owner        string
	participants []string // other accounts
	lastStatusID string
	unread       bool
}

// inboxState is the fake's inbox data; it lives in Server under s.mu.
type inboxState struct {
	notifications []*Notification
	conversations []*conversationRec
	ignoreTypes   bool // answer as a server that does not know types[]
	pageLimit     int
	inboxFault    networktest.InboxFault
	inboxSkip     int
	otherID       string // the account that plays "someone else"
}

var _ networktest.InboxFake = (*Server)(nil)

// Notify adds a notification for accountID, as the server would.
func (s *Server) Notify(accountID, typ, fromID, statusID string) Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.notifyLocked(accountID, typ, fromID, statusID)
}

func (s *Server) notifyLocked(accountID, typ, fromID, statusID string) *Notification {
	n := &Notification{ID: s.nextID(), Type: typ, AccountID: accountID, FromID: fromID, StatusID: statusID, CreatedAt: s.now().UTC()}
	s.inbox.notifications = append(s.inbox.notifications, n)
	return n
}

// IgnoreTypesFilter makes the notifications list ignore types[] and
// exclude_types[], as servers that do not know them do.
func (s *Server) IgnoreTypesFilter(ignore bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inbox.ignoreTypes = ignore
}

// SetPageLimit caps every list page (notifications, conversations, an
// account's statuses) at n entries (0: the documented maximum only).
func (s *Server) SetPageLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inbox.pageLimit = n
}

// InjectInbox makes the (skip+1)th GET /api/v1/notifications from now
// answer with f, once.
func (s *Server) InjectInbox(f networktest.InboxFault, skip int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inbox.inboxFault, s.inbox.inboxSkip = f, skip
}

// DenyMessages: Mastodon has no separate permission for direct messages.
func (s *Server) DenyMessages(bool) bool { return false }

// Other is the account that mentions, replies to and messages the first
// account in the inbox helpers; it is made on first use.
func (s *Server) Other() Account {
	s.mu.Lock()
	id := s.inbox.otherID
	s.mu.Unlock()
	if id != "" {
		a, _ := s.accountByID(id)
		return a
	}
	a := s.AddAccount(Account{Username: "bob", DisplayName: "Bob Other"})
	s.mu.Lock()
	s.inbox.otherID = a.ID
	s.mu.Unlock()
	return a
}

// PostAs creates a status as accountID the way POST /api/v1/statuses
// does, with the notifications and conversations Mastodon derives from
// it: a mention notification for every local account it mentions or
// replies to, a quote notification for the quoted post's author, and a
// conversation for every participant of a direct status.
func (s *Server) PostAs(accountID, text, visibility, inReplyTo, quoteOf string) Status {
	content := s.renderHTML(text)
	mentioned := s.mentionedIDs(text)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.addStatusLocked(accountID, statusParams{text: text, visibility: visibility, inReplyTo: inReplyTo}, content, "", "")
	st.QuoteOf = quoteOf
	if parent := s.findStatusLocked(inReplyTo); parent != nil && !slices.Contains(mentioned, parent.AccountID) {
		mentioned = append(mentioned, parent.AccountID)
	}
	st.Mentions = slices.Clone(mentioned)
	for _, id := range mentioned {
		if id != accountID {
			s.notifyLocked(id, "mention", accountID, st.ID)
		}
	}
	if q := s.findStatusLocked(quoteOf); q != nil && q.AccountID != accountID {
		s.notifyLocked(q.AccountID, "quote", accountID, st.ID)
	}
	if visibility == "direct" {
		everyone := append([]string{accountID}, mentioned...)
		for _, owner := range everyone {
			s.touchConversationLocked(owner, everyone, st.ID)
		}
	}
	return *st
}

// mentionedIDs are the local accounts text @mentions.
func (s *Server) mentionedIDs(text string) []string {
	var out []string
	for _, m := range entityPattern.FindAllStringSubmatch(text, -1) {
		if m[3] == "" {
			continue
		}
		if a, ok := s.localAccount(m[3]); ok && (m[4] == "" || strings.EqualFold(m[4], s.Host())) && !slices.Contains(out, a.ID) {
			out = append(out, a.ID)
		}
	}
	return out
}

func (s *Server) touchConversationLocked(owner string, everyone []string, statusID string) {
	var others []string
	for _, id := range everyone {
		if id != owner {
			others = append(others, id)
		}
	}
	slices.Sort(others)
	for _, c := range s.inbox.conversations {
		if c.owner == owner && slices.Equal(c.participants, others) {
			c.lastStatusID, c.unread = statusID, true
			return
		}
	}
	s.serial++
	s.inbox.conversations = append(s.inbox.conversations, &conversationRec{
		id: strconv.Itoa(s.serial), owner: owner, participants: others, lastStatusID: statusID, unread: true})
}

// EditStatus changes a status's text and marks it edited.
//
// https://docs.joinmastodon.org/methods/statuses/#edit
func (s *Server) EditStatus(id, text string) bool {
	content := s.renderHTML(text)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.findStatusLocked(id)
	if st == nil {
		return false
	}
	st.Text, st.Content, st.EditedAt = text, content, s.now().UTC()
	return true
}

// DeleteStatus removes a status and, as Mastodon does, its boosts, its
// favourites and the notifications about it.
//
// https://docs.joinmastodon.org/methods/statuses/#delete
func (s *Server) DeleteStatus(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.statuses, func(st *Status) bool { return st.ID == id })
	if i < 0 {
		return false
	}
	s.statuses = slices.Delete(s.statuses, i, i+1)
	s.statuses = slices.DeleteFunc(s.statuses, func(st *Status) bool { return st.ReblogOf == id })
	delete(s.metrics.favouritedBy, id)
	s.inbox.notifications = slices.DeleteFunc(s.inbox.notifications, func(n *Notification) bool { return n.StatusID == id })
	return true
}

// networktest.InboxFake, played with the first account as the channel
// and Other as everyone else.

func (s *Server) OwnPost(t testing.TB, text string) string {
	t.Helper()
	return s.PostAs(s.Account().ID, text, "public", "", "").ID
}

func (s *Server) Mention(t testing.TB, text string) string {
	t.Helper()
	return s.PostAs(s.Other().ID, "@"+s.Account().Username+" "+text, "public", "", "").ID
}

func (s *Server) Reply(t testing.TB, parentID, text string) string {
	t.Helper()
	return s.PostAs(s.Other().ID, "@"+s.Account().Username+" "+text, "public", parentID, "").ID
}

func (s *Server) Quote(t testing.TB, quotedID, text string) string {
	t.Helper()
	return s.PostAs(s.Other().ID, text, "public", "", quotedID).ID
}

func (s *Server) Message(t testing.TB, text string) string {
	t.Helper()
	return s.PostAs(s.Other().ID, "@"+s.Account().Username+" "+text, "direct", "", "").ID
}

// Noise favourites one of the channel's posts and follows the channel.
func (s *Server) Noise(t testing.TB) {
	t.Helper()
	me, other := s.Account().ID, s.Other().ID
	own := s.PostAs(me, "Something to favourite", "public", "", "")
	s.Notify(me, "favourite", other, own.ID)
	s.Notify(me, "follow", other, "")
}

// Unknown adds a notification of a type from a later Mastodon and makes
// the server ignore types[], so it reaches the reader.
func (s *Server) Unknown(t testing.TB) {
	t.Helper()
	s.IgnoreTypesFilter(true)
	s.Notify(s.Account().ID, "collection_invite", s.Other().ID, "")
}

func (s *Server) Edit(t testing.TB, id, text string) bool {
	t.Helper()
	if !s.EditStatus(id, text) {
		t.Fatalf("no status %s to edit", id)
	}
	return true
}

func (s *Server) Delete(t testing.TB, id string) {
	t.Helper()
	if !s.DeleteStatus(id) {
		t.Fatalf("no status %s to delete", id)
	}
}

// inboxFault returns the fault this notifications request answers with.
func (s *Server) takeInboxFault() networktest.InboxFault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inbox.inboxFault == networktest.InboxOK {
		return networktest.InboxOK
	}
	if s.inbox.inboxSkip > 0 {
		s.inbox.inboxSkip--
		return networktest.InboxOK
	}
	f := s.inbox.inboxFault
	s.inbox.inboxFault = networktest.InboxOK
	return f
}

// writeInboxFault answers with f; it returns false for InboxOK and for
// the faults that need the page (truncated), which the caller writes.
func (s *Server) writeInboxFault(w http.ResponseWriter, f networktest.InboxFault) bool {
	switch f {
	case networktest.InboxRateLimited:
		// https://docs.joinmastodon.org/api/rate-limits/
		s.mu.Lock()
		now := s.now()
		s.mu.Unlock()
		w.Header().Set("X-RateLimit-Limit", "300")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", now.Add(5*time.Minute).UTC().Format("2006-01-02T15:04:05.000000Z"))
		writeError(w, http.StatusTooManyRequests, "Too many requests")
	case networktest.InboxRateLimitedNoReset:
		writeError(w, http.StatusTooManyRequests, "Too many requests")
	case networktest.InboxServerError:
		writeError(w, http.StatusServiceUnavailable, "Service Unavailable")
	case networktest.InboxMalformed:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write([]byte(`{"notifications":"not a list"}`))
	default:
		return false
	}
	return true
}

// page is the documented id paging of a list ordered newest first:
// max_id (older than), since_id (newer than, newest first), min_id
// (immediately newer than: the oldest newer ones), limit capped at max.
// ids must be sorted newest first; it returns the indexes of the page,
// newest first.
func (s *Server) page(q url.Values, ids []string, def, maxLimit int) []int {
	limit := def
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n > 0 {
		limit = min(n, maxLimit)
	}
	s.mu.Lock()
	if s.inbox.pageLimit > 0 {
		limit = min(limit, s.inbox.pageLimit)
	}
	s.mu.Unlock()
	maxID, sinceID, minID := q.Get("max_id"), q.Get("since_id"), q.Get("min_id")
	var idx []int
	if minID != "" {
		for i := len(ids) - 1; i >= 0 && len(idx) < limit; i-- {
			if idLess(minID, ids[i]) && (maxID == "" || idLess(ids[i], maxID)) {
				idx = append(idx, i)
			}
		}
		slices.Reverse(idx)
		return idx
	}
	for i := 0; i < len(ids) && len(idx) < limit; i++ {
		if (maxID == "" || idLess(ids[i], maxID)) && (sinceID == "" || idLess(sinceID, ids[i])) {
			idx = append(idx, i)
		}
	}
	return idx
}

// idLess orders the fake's snowflake ids.
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// setLink writes the Link header of a page: next (older, max_id) and prev
// (newer, min_id), none for an empty page.
//
// https://docs.joinmastodon.org/api/guidelines/#pagination
func (s *Server) setLink(w http.ResponseWriter, r *http.Request, newest, oldest string) {
	if newest == "" {
		return
	}
	q := r.URL.Query()
	for _, k := range []string{"max_id", "since_id", "min_id"} {
		q.Del(k)
	}
	next, prev := cloneValues(q), cloneValues(q)
	next.Set("max_id", oldest)
	prev.Set("min_id", newest)
	base := s.srv.URL + r.URL.Path + "?"
	w.Header().Set("Link", `<`+base+next.Encode()+`>; rel="next", <`+base+prev.Encode()+`>; rel="prev"`)
}

// notifications lists the account's notifications.
//
// https://docs.joinmastodon.org/methods/notifications/#get
func (s *Server) notifications(w http.ResponseWriter, r *http.Request) {
	g, ok := s.authenticate(w, r, "read", "read:notifications")
	if !ok {
		return
	}
	fault := s.takeInboxFault()
	if s.writeInboxFault(w, fault) {
		return
	}
	q := r.URL.Query()
	types, exclude := q["types[]"], q["exclude_types[]"]
	s.mu.Lock()
	if s.inbox.ignoreTypes {
		types, exclude = nil, nil
	}
	var list []*Notification
	for i := len(s.inbox.notifications) - 1; i >= 0; i-- {
		n := s.inbox.notifications[i]
		if n.AccountID != g.accountID || (len(types) > 0 && !slices.Contains(types, n.Type)) || slices.Contains(exclude, n.Type) {
			continue
		}
		list = append(list, n)
	}
	s.mu.Unlock()
	ids := make([]string, len(list))
	for i, n := range list {
		ids[i] = n.ID
	}
	out := []map[string]any{}
	for _, i := range s.page(q, ids, 40, 80) {
		out = append(out, s.notificationJSON(list[i]))
	}
	if len(out) > 0 {
		s.setLink(w, r, out[0]["id"].(string), out[len(out)-1]["id"].(string))
	}
	if fault == networktest.InboxTruncated {
		b, _ := json.Marshal(out)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(b[:len(b)/2])
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) notificationJSON(n *Notification) map[string]any {
	from, _ := s.accountByID(n.FromID)
	s.mu.Lock()
	out := map[string]any{
		"id": n.ID, "type": n.Type, "created_at": n.CreatedAt.Format("2006-01-02T15:04:05.000Z"),
		"group_key": "ungrouped-" + n.ID, "account": s.accountJSONLocked(from), "status": nil,
	}
	st := s.findStatusLocked(n.StatusID)
	s.mu.Unlock()
	if st != nil {
		out["status"] = s.statusJSON(st)
	}
	return out
}

// conversations lists the account's direct conversations, ordered and
// paged by their last status.
//
// https://docs.joinmastodon.org/methods/conversations/#get
func (s *Server) conversations(w http.ResponseWriter, r *http.Request) {
	g, ok := s.authenticate(w, r, "read", "read:statuses")
	if !ok {
		return
	}
	s.mu.Lock()
	var list []*conversationRec
	for _, c := range s.inbox.conversations {
		if c.owner == g.accountID && s.findStatusLocked(c.lastStatusID) != nil {
			cp := *c
			list = append(list, &cp)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(list, func(a, b *conversationRec) int {
		if idLess(b.lastStatusID, a.lastStatusID) {
			return -1
		}
		return 1
	})
	ids := make([]string, len(list))
	for i, c := range list {
		ids[i] = c.lastStatusID
	}
	out := []map[string]any{}
	pg := s.page(r.URL.Query(), ids, 20, 40)
	for _, i := range pg {
		c := list[i]
		accounts := []map[string]any{}
		for _, id := range c.participants {
			a, _ := s.accountByID(id)
			s.mu.Lock()
			accounts = append(accounts, s.accountJSONLocked(a))
			s.mu.Unlock()
		}
		s.mu.Lock()
		st := s.findStatusLocked(c.lastStatusID)
		s.mu.Unlock()
		out = append(out, map[string]any{"id": c.id, "unread": c.unread, "accounts": accounts, "last_status": s.statusJSON(st)})
	}
	if len(pg) > 0 {
		s.setLink(w, r, ids[pg[0]], ids[pg[len(pg)-1]])
	}
	writeJSON(w, http.StatusOK, out)
}

// statusContext is a status's ancestors (oldest first) and descendants
// (depth first, in the order they were made), as the viewer may see them.
//
// https://docs.joinmastodon.org/methods/statuses/#context
func (s *Server) statusContext(w http.ResponseWriter, r *http.Request) {
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
	if st == nil || !visibleTo(st, viewer) {
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	var ancestors, descendants []*Status
	for p := s.findStatusLocked(st.InReplyToID); p != nil; p = s.findStatusLocked(p.InReplyToID) {
		if visibleTo(p, viewer) {
			ancestors = append([]*Status{p}, ancestors...)
		}
	}
	var walk func(id string)
	walk = func(id string) {
		for _, c := range s.statuses {
			if c.InReplyToID == id && visibleTo(c, viewer) {
				descendants = append(descendants, c)
				walk(c.ID)
			}
		}
	}
	walk(st.ID)
	s.mu.Unlock()
	out := map[string][]map[string]any{"ancestors": {}, "descendants": {}}
	for _, a := range ancestors {
		out["ancestors"] = append(out["ancestors"], s.statusJSON(a))
	}
	for _, d := range descendants {
		out["descendants"] = append(out["descendants"], s.statusJSON(d))
	}
	writeJSON(w, http.StatusOK, out)
}
