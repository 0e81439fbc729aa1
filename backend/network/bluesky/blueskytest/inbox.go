package blueskytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"herald/backend/network/networktest"
)

// The inbox side of the fake: other accounts' posts that mention, reply to
// or quote the account, its notifications (listNotifications), threads
// (getPostThread), posts by uri (getPosts), and direct messages in a chat
// service reached through the PDS with the atproto-proxy header.

// The account that mentions, replies to and messages the fake's account.
const (
	OtherHandle = "someone-else.bsky.social"
	OtherDID    = "did:plc:fakeotheraccount2345abcd"
)

// ChatProxy is the atproto-proxy header every chat call must carry.
//
// https://docs.bsky.app/docs/advanced-guides/api-directory
const ChatProxy = "did:web:api.bsky.chat#bsky_chat"

// Post is a post in the fake's view of the network.
type Post struct {
	URI, CID     string
	AuthorDID    string
	Text         string
	Parent, Root string // reply references
	Quote        string // the uri it quotes
	CreatedAt    time.Time
	IndexedAt    time.Time
	Facets       []Facet
	FromRepo     bool // the fake account's own post (in its repo)
	ParentCID    string
	RootCID      string
	QuoteCID     string
}

// notification is one entry of the account's notifications.
type notification struct {
	seq       int
	uri, cid  string
	authorDID string
	reason    string
	subject   string
	record    map[string]any
	indexedAt time.Time
}

// chatEvent is one entry of the chat log (a message sent).
type chatEvent struct {
	rev       string
	convo     string
	id        string
	senderDID string
	text      string
	sentAt    time.Time
}

// inboxState is the fake's inbox data, guarded by Server.mu.
type inboxState struct {
	posts         map[string]*Post
	notifications []*notification
	seq           int
	lastIndexed   time.Time
	ignoreReasons bool
	pageLimit     int
	fault         networktest.InboxFault
	skip          int
	denyChat      bool
	chat          []chatEvent
	convos        []string // ids
}

var _ networktest.InboxFake = (*Server)(nil)

func newInboxState() inboxState { return inboxState{posts: map[string]*Post{}} }

// indexTime is when the fake "indexes" something: its clock, moved on by
// a millisecond when it has not advanced, so listings have one order.
// Callers hold s.mu.
func (s *Server) indexTime() time.Time {
	t := s.now().UTC().Truncate(time.Millisecond)
	if !t.After(s.inbox.lastIndexed) {
		t = s.inbox.lastIndexed.Add(time.Millisecond)
	}
	s.inbox.lastIndexed = t
	return t
}

// ensureOther registers the other account's handle (for mention facets).
func (s *Server) ensureOther() {
	s.AddHandle(OtherHandle, OtherDID)
}

// OwnPost writes a post to the account's repo (networktest.InboxFake).
func (s *Server) OwnPost(t testing.TB, text string) string {
	t.Helper()
	rec := s.PutPost("", text, s.clock())
	s.mu.Lock()
	defer s.mu.Unlock()
	at := s.indexTime()
	s.inbox.posts[rec.URI] = &Post{URI: rec.URI, CID: rec.CID, AuthorDID: DID, Text: text, CreatedAt: at, IndexedAt: at, FromRepo: true}
	return rec.URI
}

func (s *Server) clock() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}

// PostAsOther makes a post by the other account, with the notification
// the account would get for it: reason "reply" when it answers one of the
// account's posts, "quote" when it quotes one, "mention" when its text
// mentions the account's handle.
func (s *Server) PostAsOther(text, parentURI, quoteURI string) Post {
	s.ensureOther()
	s.mu.Lock()
	defer s.mu.Unlock()
	at := s.indexTime()
	rkey := s.nextTID()
	p := &Post{URI: "at://" + OtherDID + "/" + Collection + "/" + rkey, AuthorDID: OtherDID, Text: text, CreatedAt: at, IndexedAt: at}
	p.CID = fakeCID("bafyrei", []byte(p.URI))
	if parent := s.inbox.posts[parentURI]; parent != nil {
		p.Parent, p.ParentCID = parent.URI, parent.CID
		p.Root, p.RootCID = parent.URI, parent.CID
		if parent.Root != "" {
			p.Root, p.RootCID = parent.Root, parent.RootCID
		}
	}
	if q := s.inbox.posts[quoteURI]; q != nil {
		p.Quote, p.QuoteCID = q.URI, q.CID
	}
	mention := "@" + Handle
	if i := strings.Index(text, mention); i >= 0 {
		p.Facets = append(p.Facets, Facet{ByteStart: i, ByteEnd: i + len(mention), Type: "app.bsky.richtext.facet#mention", DID: DID})
	}
	if i := strings.Index(text, "https://"); i >= 0 {
		end := strings.IndexAny(text[i:], " \n")
		if end < 0 {
			end = len(text) - i
		}
		p.Facets = append(p.Facets, Facet{ByteStart: i, ByteEnd: i + end, Type: "app.bsky.richtext.facet#link", URI: text[i : i+end]})
	}
	s.inbox.posts[p.URI] = p
	parent, quoted := s.inbox.posts[p.Parent], s.inbox.posts[p.Quote]
	switch {
	case parent != nil && parent.AuthorDID == DID:
		s.notifyLocked(p.URI, p.CID, OtherDID, "reply", p.Parent, s.postRecord(p), at)
	case quoted != nil && quoted.AuthorDID == DID:
		s.notifyLocked(p.URI, p.CID, OtherDID, "quote", p.Quote, s.postRecord(p), at)
	case strings.Contains(text, mention):
		s.notifyLocked(p.URI, p.CID, OtherDID, "mention", "", s.postRecord(p), at)
	}
	return *p
}

// notifyLocked adds a notification; callers hold s.mu.
func (s *Server) notifyLocked(uri, cid, author, reason, subject string, record map[string]any, at time.Time) {
	s.inbox.seq++
	s.inbox.notifications = append(s.inbox.notifications, &notification{seq: s.inbox.seq, uri: uri, cid: cid,
		authorDID: author, reason: reason, subject: subject, record: record, indexedAt: at})
}

// postRecord is a post's app.bsky.feed.post record.
//
// https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/feed/post.json
func (s *Server) postRecord(p *Post) map[string]any {
	rec := map[string]any{"$type": Collection, "text": p.Text, "createdAt": p.CreatedAt.Format("2006-01-02T15:04:05.000Z"), "langs": []string{"en"}}
	if p.Parent != "" {
		rec["reply"] = map[string]any{"root": map[string]string{"uri": p.Root, "cid": p.RootCID},
			"parent": map[string]string{"uri": p.Parent, "cid": p.ParentCID}}
	}
	if p.Quote != "" {
		rec["embed"] = map[string]any{"$type": "app.bsky.embed.record", "record": map[string]string{"uri": p.Quote, "cid": p.QuoteCID}}
	}
	if len(p.Facets) > 0 {
		var fs []map[string]any
		for _, f := range p.Facets {
			feature := map[string]any{"$type": f.Type}
			if f.URI != "" {
				feature["uri"] = f.URI
			}
			if f.DID != "" {
				feature["did"] = f.DID
			}
			fs = append(fs, map[string]any{"index": map[string]int{"byteStart": f.ByteStart, "byteEnd": f.ByteEnd},
				"features": []any{feature}})
		}
		rec["facets"] = fs
	}
	return rec
}

// Mention, Reply and Quote (networktest.InboxFake).
func (s *Server) Mention(t testing.TB, text string) string {
	t.Helper()
	return s.PostAsOther("@"+Handle+" "+text, "", "").URI
}

func (s *Server) Reply(t testing.TB, parentURI, text string) string {
	t.Helper()
	s.mu.Lock()
	_, ok := s.inbox.posts[parentURI]
	s.mu.Unlock()
	if !ok {
		t.Fatalf("blueskytest: no post %s to reply to", parentURI)
	}
	return s.PostAsOther(text, parentURI, "").URI
}

func (s *Server) Quote(t testing.TB, quotedURI, text string) string {
	t.Helper()
	return s.PostAsOther(text, "", quotedURI).URI
}

// Message sends a direct message from the other account and returns its
// RemoteID, "chat:<convo>/<message>".
func (s *Server) Message(t testing.TB, text string) string {
	t.Helper()
	s.ensureOther()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.inbox.convos) == 0 {
		s.inbox.convos = append(s.inbox.convos, "3convo"+strings.ToLower(s.nextTID()))
	}
	// Revisions are TIDs, as the chat service's are: sortable, increasing.
	ev := chatEvent{rev: s.nextTID(), convo: s.inbox.convos[0], id: "msg" + s.nextTID(),
		senderDID: OtherDID, text: text, sentAt: s.indexTime()}
	s.inbox.chat = append(s.inbox.chat, ev)
	return "chat:" + ev.convo + "/" + ev.id
}

// Noise: the other account likes one of the account's posts and follows
// it.
func (s *Server) Noise(t testing.TB) {
	t.Helper()
	own := s.OwnPost(t, "Something to like")
	s.ensureOther()
	s.mu.Lock()
	defer s.mu.Unlock()
	at := s.indexTime()
	like := "at://" + OtherDID + "/app.bsky.feed.like/" + s.nextTID()
	s.notifyLocked(like, fakeCID("bafyrei", []byte(like)), OtherDID, "like", own,
		map[string]any{"$type": "app.bsky.feed.like", "subject": map[string]string{"uri": own}, "createdAt": at.Format(time.RFC3339)}, at)
	follow := "at://" + OtherDID + "/app.bsky.graph.follow/" + s.nextTID()
	s.notifyLocked(follow, fakeCID("bafyrei", []byte(follow)), OtherDID, "follow", "",
		map[string]any{"$type": "app.bsky.graph.follow", "subject": DID, "createdAt": at.Format(time.RFC3339)}, at)
}

// Unknown adds a notification with a reason from a later lexicon and
// makes the fake ignore reasons[], so it reaches the reader.
func (s *Server) Unknown(t testing.TB) {
	t.Helper()
	s.ensureOther()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inbox.ignoreReasons = true
	at := s.indexTime()
	uri := "at://" + OtherDID + "/app.bsky.graph.starterpack/" + s.nextTID()
	s.notifyLocked(uri, fakeCID("bafyrei", []byte(uri)), OtherDID, "collection-invite", "",
		map[string]any{"$type": "app.bsky.graph.starterpack", "createdAt": at.Format(time.RFC3339)}, at)
}

// Edit: Bluesky posts cannot be edited.
func (s *Server) Edit(t testing.TB, _, _ string) bool { t.Helper(); return false }

// Delete removes a post, and (as the AppView does) its notifications.
func (s *Server) Delete(t testing.TB, uri string) {
	t.Helper()
	s.mu.Lock()
	p, ok := s.inbox.posts[uri]
	if ok {
		delete(s.inbox.posts, uri)
		s.inbox.notifications = slices.DeleteFunc(s.inbox.notifications, func(n *notification) bool { return n.uri == uri })
	}
	s.mu.Unlock()
	if !ok {
		t.Fatalf("blueskytest: no post %s to delete", uri)
	}
	if p.FromRepo {
		s.DeletePost(uri)
	}
}

// SetPageLimit caps every list page at n entries (0: the lexicon's).
func (s *Server) SetPageLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inbox.pageLimit = n
}

// InjectInbox makes the (skip+1)th listNotifications from now answer with
// f, once.
func (s *Server) InjectInbox(f networktest.InboxFault, skip int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inbox.fault, s.inbox.skip = f, skip
}

// DenyMessages makes chat calls fail as they do for an app password made
// without direct-message access.
func (s *Server) DenyMessages(deny bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inbox.denyChat = deny
	return true
}

func (s *Server) takeInboxFault() networktest.InboxFault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inbox.fault == networktest.InboxOK {
		return networktest.InboxOK
	}
	if s.inbox.skip > 0 {
		s.inbox.skip--
		return networktest.InboxOK
	}
	f := s.inbox.fault
	s.inbox.fault = networktest.InboxOK
	return f
}

func (s *Server) limit(w http.ResponseWriter, raw string, def, maxLimit int) (int, bool) {
	n := def
	if raw != "" {
		v, err := strconv.Atoi(raw)
		if err != nil || v < 1 || v > maxLimit {
			WriteError(w, http.StatusBadRequest, "InvalidRequest", fmt.Sprintf("Error: limit must be an integer from 1 to %d", maxLimit))
			return 0, false
		}
		n = v
	}
	s.mu.Lock()
	if s.inbox.pageLimit > 0 {
		n = min(n, s.inbox.pageLimit)
	}
	s.mu.Unlock()
	return n, true
}

// profileJSON is app.bsky.actor.defs#profileView of the two accounts.
func profileJSON(did string) map[string]any {
	handle, name := Handle, DisplayName
	if did == OtherDID {
		handle, name = OtherHandle, "Someone Else"
	}
	return map[string]any{"did": did, "handle": handle, "displayName": name,
		"avatar": "https://cdn.bsky.app/img/avatar/plain/" + did + "/bafkreiavatar@jpeg", "labels": []any{}}
}

// listNotifications, newest first; the cursor is the last entry's
// sequence, and is left out on the last page.
//
// https://docs.bsky.app/docs/api/app-bsky-notification-list-notifications
func (s *Server) listNotifications(w http.ResponseWriter, r *http.Request, _ caller) {
	fault := s.takeInboxFault()
	switch fault {
	case networktest.InboxRateLimited:
		s.mu.Lock()
		s.writeFault(w, networktest.FaultRateLimited)
		s.mu.Unlock()
		return
	case networktest.InboxRateLimitedNoReset:
		WriteError(w, http.StatusTooManyRequests, "RateLimitExceeded", "Rate Limit Exceeded")
		return
	case networktest.InboxServerError:
		WriteError(w, http.StatusServiceUnavailable, "NotEnoughResources", "Service Unavailable")
		return
	case networktest.InboxMalformed:
		WriteJSON(w, http.StatusOK, map[string]any{"notifications": "not a list"})
		return
	}
	q := r.URL.Query()
	limit, ok := s.limit(w, q.Get("limit"), 50, 100)
	if !ok {
		return
	}
	before := 0
	if c := q.Get("cursor"); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil {
			WriteError(w, http.StatusBadRequest, "InvalidRequest", "Malformed cursor")
			return
		}
		before = n
	}
	reasons := q["reasons"]
	s.mu.Lock()
	if s.inbox.ignoreReasons {
		reasons = nil
	}
	page := []map[string]any{}
	more := false
	for i := len(s.inbox.notifications) - 1; i >= 0; i-- {
		n := s.inbox.notifications[i]
		if (before > 0 && n.seq >= before) || (len(reasons) > 0 && !slices.Contains(reasons, n.reason)) {
			continue
		}
		if len(page) == limit {
			more = true
			break
		}
		entry := map[string]any{"uri": n.uri, "cid": n.cid, "author": profileJSON(n.authorDID), "reason": n.reason,
			"record": n.record, "isRead": false, "indexedAt": n.indexedAt.Format("2006-01-02T15:04:05.000Z"), "labels": []any{},
			"seq": n.seq}
		if n.subject != "" {
			entry["reasonSubject"] = n.subject
		}
		page = append(page, entry)
	}
	s.mu.Unlock()
	out := map[string]any{"notifications": page}
	if more {
		out["cursor"] = strconv.Itoa(page[len(page)-1]["seq"].(int))
	}
	for _, e := range page {
		delete(e, "seq")
	}
	if fault == networktest.InboxTruncated {
		b, _ := json.Marshal(out)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(b[:len(b)/2])
		return
	}
	WriteJSON(w, http.StatusOK, out)
}

// postLocked finds a post: one the fake made, or one published to the
// account's repo. Callers hold s.mu.
func (s *Server) postLocked(uri string) *Post {
	if p, ok := s.inbox.posts[uri]; ok {
		return p
	}
	for _, rec := range s.repo.records {
		if rec.URI == uri {
			created, _ := time.Parse(time.RFC3339Nano, rec.CreatedAt)
			p := &Post{URI: rec.URI, CID: rec.CID, AuthorDID: DID, Text: rec.Text, CreatedAt: created, IndexedAt: created, FromRepo: true}
			if rec.Reply != nil {
				p.Parent, p.ParentCID, p.Root, p.RootCID = rec.Reply.Parent.URI, rec.Reply.Parent.CID, rec.Reply.Root.URI, rec.Reply.Root.CID
			}
			return p
		}
	}
	return nil
}

// postViewLocked is app.bsky.feed.defs#postView; callers hold s.mu.
func (s *Server) postViewLocked(p *Post) map[string]any {
	viewer := map[string]any{}
	if like := s.viewerRecordLocked(collectionLike, func(v map[string]any) bool { return subjectURI(v) == p.URI }); like != "" {
		viewer["like"] = like
	}
	author := profileJSON(p.AuthorDID)
	if a, ok := s.actorLocked(p.AuthorDID); ok && p.AuthorDID != DID && p.AuthorDID != OtherDID {
		author = a.profileView("basic")
	}
	out := map[string]any{"uri": p.URI, "cid": p.CID, "author": author, "record": s.postRecord(p),
		"indexedAt": p.IndexedAt.Format("2006-01-02T15:04:05.000Z"), "labels": []any{}, "viewer": viewer}
	for k, v := range s.countsLocked(p.URI) { // metrics.go
		out[k] = v
	}
	return out
}

// getPosts: at most 25 uris; posts that do not exist are left out.
//
// https://docs.bsky.app/docs/api/app-bsky-feed-get-posts
func (s *Server) getPosts(w http.ResponseWriter, r *http.Request, _ caller) {
	uris := r.URL.Query()["uris"]
	if len(uris) == 0 || len(uris) > 25 {
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "Error: uris must not have more than 25 elements")
		return
	}
	s.mu.Lock()
	posts := []map[string]any{}
	for _, u := range uris {
		if p := s.postLocked(u); p != nil {
			posts = append(posts, s.postViewLocked(p))
		}
	}
	s.mu.Unlock()
	WriteJSON(w, http.StatusOK, map[string]any{"posts": posts})
}

// getPostThread: the post, its parents up to parentHeight and its replies
// down to depth; a parent that is gone is a notFoundPost.
//
// https://docs.bsky.app/docs/api/app-bsky-feed-get-post-thread
func (s *Server) getPostThread(w http.ResponseWriter, r *http.Request, _ caller) {
	q := r.URL.Query()
	depth, height := 6, 80
	if v, err := strconv.Atoi(q.Get("depth")); err == nil && v >= 0 && v <= 1000 {
		depth = v
	}
	if v, err := strconv.Atoi(q.Get("parentHeight")); err == nil && v >= 0 && v <= 1000 {
		height = v
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.postLocked(q.Get("uri"))
	if p == nil {
		WriteError(w, http.StatusBadRequest, "NotFound", "Post not found: "+q.Get("uri"))
		return
	}
	var replies func(p *Post, d int) []any
	replies = func(p *Post, d int) []any {
		out := []any{}
		if d <= 0 {
			return out
		}
		var children []*Post
		for _, o := range s.inbox.posts {
			if o.Parent == p.URI {
				children = append(children, o)
			}
		}
		// The account's own replies, published to its repo.
		for _, rec := range s.repo.records {
			if rec.Reply != nil && rec.Reply.Parent.URI == p.URI {
				if _, indexed := s.inbox.posts[rec.URI]; !indexed {
					children = append(children, s.postLocked(rec.URI))
				}
			}
		}
		slices.SortFunc(children, func(a, b *Post) int { return a.IndexedAt.Compare(b.IndexedAt) })
		for _, c := range children {
			out = append(out, map[string]any{"$type": "app.bsky.feed.defs#threadViewPost", "post": s.postViewLocked(c), "replies": replies(c, d-1)})
		}
		return out
	}
	node := map[string]any{"$type": "app.bsky.feed.defs#threadViewPost", "post": s.postViewLocked(p), "replies": replies(p, depth)}
	cur := node
	for h, parent := 0, p.Parent; parent != "" && h < height; h++ {
		pp := s.postLocked(parent)
		if pp == nil {
			cur["parent"] = map[string]any{"$type": "app.bsky.feed.defs#notFoundPost", "uri": parent, "notFound": true}
			break
		}
		next := map[string]any{"$type": "app.bsky.feed.defs#threadViewPost", "post": s.postViewLocked(pp)}
		cur["parent"] = next
		cur, parent = next, pp.Parent
	}
	WriteJSON(w, http.StatusOK, map[string]any{"thread": node})
}

// chatAllowed checks what the PDS checks before it forwards a chat call:
// the proxy header (without it the PDS does not know the method) and an
// app password allowed to read direct messages.
func (s *Server) chatAllowed(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("Atproto-Proxy") != ChatProxy {
		WriteError(w, http.StatusNotImplemented, "MethodNotImplemented", "Method Not Implemented")
		return false
	}
	s.mu.Lock()
	deny := s.inbox.denyChat
	s.mu.Unlock()
	if deny {
		WriteError(w, http.StatusBadRequest, "InvalidToken", "Bad token method")
		return false
	}
	return true
}

func (s *Server) messageJSON(ev chatEvent) map[string]any {
	return map[string]any{"$type": "chat.bsky.convo.defs#messageView", "id": ev.id, "rev": ev.rev, "text": ev.text,
		"sender": map[string]string{"did": ev.senderDID}, "sentAt": ev.sentAt.Format("2006-01-02T15:04:05.000Z")}
}

// getLog: chat events after cursor, oldest first; the answer's cursor is
// the last event's rev (or the latest rev when nothing is new).
//
// https://docs.bsky.app/docs/api/chat-bsky-convo-get-log
func (s *Server) getLog(w http.ResponseWriter, r *http.Request, _ caller) {
	if !s.chatAllowed(w, r) {
		return
	}
	cursor := r.URL.Query().Get("cursor")
	limit, _ := s.limit(w, "", 100, 100)
	s.mu.Lock()
	logs := []map[string]any{}
	latest := cursor
	for _, ev := range s.inbox.chat {
		if cursor == "" {
			latest = ev.rev // no cursor: where the log is now
			continue
		}
		if ev.rev <= cursor || len(logs) == limit {
			continue
		}
		logs = append(logs, map[string]any{"$type": "chat.bsky.convo.defs#logCreateMessage", "rev": ev.rev,
			"convoId": ev.convo, "message": s.messageJSON(ev)})
		latest = ev.rev
	}
	s.mu.Unlock()
	out := map[string]any{"logs": logs}
	if latest != "" {
		out["cursor"] = latest
	}
	WriteJSON(w, http.StatusOK, out)
}

// listConvos: the account's conversations with their last message.
//
// https://docs.bsky.app/docs/api/chat-bsky-convo-list-convos
func (s *Server) listConvos(w http.ResponseWriter, r *http.Request, _ caller) {
	if !s.chatAllowed(w, r) {
		return
	}
	s.mu.Lock()
	convos := []map[string]any{}
	for _, id := range s.inbox.convos {
		var last *chatEvent
		for i := range s.inbox.chat {
			if s.inbox.chat[i].convo == id {
				last = &s.inbox.chat[i]
			}
		}
		c := map[string]any{"id": id, "rev": "0", "members": []any{profileJSON(DID), profileJSON(OtherDID)},
			"muted": false, "unreadCount": 1, "status": "accepted"}
		if last != nil {
			c["lastMessage"] = s.messageJSON(*last)
			c["rev"] = last.rev
		}
		convos = append(convos, c)
	}
	s.mu.Unlock()
	WriteJSON(w, http.StatusOK, map[string]any{"convos": convos})
}
