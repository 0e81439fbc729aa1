package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"herald/backend/network"
)

// The inbox. Mentions, replies, quotes and direct messages arrive as
// notifications (GET /api/v1/notifications, read oldest-new first with
// min_id so a read cut short resumes without a gap): a direct message
// raises a mention notification like any other status that names the
// channel. The conversations list (GET /api/v1/conversations) shows only
// each conversation's last status, so it would miss a message when two
// arrive between reads, and would report a message a second time once the
// server has made its conversation; it is read only to tell which
// conversation each new message belongs to.
const (
	// Stream names: notifications is also the cursor key.
	streamNotifications = "notifications"
	streamConversations = "conversations"

	// notificationLimit is the documented page maximum (default 40).
	notificationLimit = 80
	// conversationLimit is the documented page maximum (default 20).
	conversationLimit = 40
	// backlogNotifications bounds a channel's first sync: its backlog is
	// marked read, so only the recent part is worth the requests.
	backlogNotifications = 200
	// maxConversationPages bounds the search for new messages'
	// conversations.
	maxConversationPages = 3
	// maxInboxPages bounds the pages one read takes from a stream; past it
	// InboxPage.More asks the caller to read again.
	maxInboxPages = 10
	// maxThread is Herald's own bound on a thread (network.Thread).
	maxThread = 1000
	// noneYet is the cursor of a stream read while it had nothing: the
	// next read takes everything after the oldest (min_id=0), never a
	// "first sync" backlog again.
	noneYet = "0"
)

// notification is the part of Mastodon's Notification entity Herald reads.
//
// https://docs.joinmastodon.org/entities/Notification/
type notification struct {
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Account *inboxAccount   `json:"account"`
	Status  json.RawMessage `json:"status"`
}

// conversation is Mastodon's Conversation entity.
//
// https://docs.joinmastodon.org/entities/Conversation/
type conversation struct {
	ID         string          `json:"id"`
	LastStatus json.RawMessage `json:"last_status"`
}

// inboxAccount is the part of an Account an inbox item shows.
//
// https://docs.joinmastodon.org/entities/Account/
type inboxAccount struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	Acct        string `json:"acct"`
	DisplayName string `json:"display_name"`
	Avatar      string `json:"avatar"`
	URL         string `json:"url"`
}

// inboxStatus is a Status with what the inbox needs beyond status.
//
// https://docs.joinmastodon.org/entities/Status/
type inboxStatus struct {
	status
	InReplyToAccountID *string       `json:"in_reply_to_account_id"`
	Language           *string       `json:"language"`
	EditedAt           *string       `json:"edited_at"`
	Account            *inboxAccount `json:"account"`
	// Quote is Mastodon 4.5's Quote (with the quoted status) or
	// ShallowQuote (its id only).
	//
	// https://docs.joinmastodon.org/entities/Quote/
	Quote *struct {
		State          string               `json:"state"`
		QuotedStatus   *struct{ ID string } `json:"quoted_status"`
		QuotedStatusID *string              `json:"quoted_status_id"`
	} `json:"quote"`
}

// ignoredTypes are notification types Herald knows and has no use for in
// the inbox. Herald asks only for mention and quote, so these arrive only
// from servers that ignore types[]; they are skipped without a word. Any
// other type is new to Herald and reported as a problem.
//
// https://docs.joinmastodon.org/entities/Notification/#type
var ignoredTypes = map[string]bool{
	"status": true, "reblog": true, "follow": true, "follow_request": true, "favourite": true,
	"poll": true, "update": true, "quoted_update": true, "admin.sign_up": true, "admin.report": true,
	"severed_relationships": true, "moderation_warning": true, "annual_report": true,
	// GoToSocial's own types.
	"pending.favourite": true, "pending.reply": true, "pending.reblog": true, "admin.report_resolved": true,
}

// ReadInbox reads the channel's new mentions, replies, quotes and direct
// messages since cursors. On an error after some pages it returns what it
// read with cursors that resume right after it, together with the error.
func (c *Client) ReadInbox(ctx context.Context, instance string, cred network.Credential, cursors network.InboxCursors) (network.InboxPage, error) {
	const op = "read the inbox"
	base, err := normalize(op, instance)
	if err != nil {
		return network.InboxPage{}, err
	}
	me, err := c.verifyCredentials(ctx, op, base, cred)
	if err != nil {
		return network.InboxPage{}, err
	}
	r := &inboxRead{c: c, op: op, base: base, cred: cred, me: me.ID,
		page: network.InboxPage{Cursors: network.InboxCursors{}}, seen: map[string]int{}}
	for k, v := range cursors {
		r.page.Cursors[k] = v
	}
	if err := r.notifications(ctx, cursors[streamNotifications]); err != nil {
		return r.page, err
	}
	if err := r.conversations(ctx); err != nil {
		// The messages are read; only their conversation is missing.
		r.problem(streamConversations, "", "the conversations of direct messages could not be read: "+err.Error())
	}
	return r.page, nil
}

// inboxRead is one ReadInbox in progress.
type inboxRead struct {
	c    *Client
	op   string
	base string
	cred network.Credential
	me   string
	page network.InboxPage
	seen map[string]int // RemoteID → index in page.Items
}

// add appends an item once: a server may list a notification twice
// across pages when new ones arrive while Herald pages.
func (r *inboxRead) add(it network.InboxItem) {
	if _, ok := r.seen[it.RemoteID]; ok {
		return
	}
	r.seen[it.RemoteID] = len(r.page.Items)
	r.page.Items = append(r.page.Items, it)
}

func (r *inboxRead) problem(stream, id, reason string) {
	r.page.Problems = append(r.page.Problems, network.InboxProblem{Stream: stream, RemoteID: id, Reason: reason})
}

// notifications reads mention and quote notifications. Without a cursor
// it reads the newest backlogNotifications, newest first; with one, it
// reads forwards from it (min_id), oldest first, page by page, so the
// cursor after each page is safe to resume from.
//
// https://docs.joinmastodon.org/methods/notifications/#get
func (r *inboxRead) notifications(ctx context.Context, cursor string) error {
	q := url.Values{"types[]": {"mention", "quote"}}
	first := cursor == ""
	q.Set("limit", strconv.Itoa(notificationLimit))
	if !first {
		q.Set("min_id", cursor)
	}
	next := r.base + "/api/v1/notifications?" + q.Encode()
	newest, read := cursor, 0
	items, problems := len(r.page.Items), len(r.page.Problems)
	for pages := 0; ; pages++ {
		if pages == maxInboxPages {
			r.page.More = true
			break
		}
		var raw []json.RawMessage
		links, err := r.get(ctx, next, &raw)
		if err != nil {
			if first {
				// A first sync resumes only from its newest item, which
				// would skip the older backlog not read yet: it starts
				// over instead, so the stream keeps no cursor and the
				// page none of its items.
				delete(r.page.Cursors, streamNotifications)
				r.page.Items, r.page.Problems = r.page.Items[:items], r.page.Problems[:problems]
				clear(r.seen)
				for i, it := range r.page.Items {
					r.seen[it.RemoteID] = i
				}
			}
			return err
		}
		if len(raw) == 0 {
			break
		}
		for _, m := range raw {
			n, ok := r.notification(m)
			if !ok {
				continue
			}
			if compareIDs(n.ID, newest) > 0 || newest == "" {
				newest = n.ID
			}
		}
		read += len(raw)
		if !first {
			// Everything up to here is in the page: resume after it.
			r.page.Cursors[streamNotifications] = newest
		}
		var link string
		if first {
			link = links["next"] // older
			if read >= backlogNotifications {
				link = ""
			}
		} else {
			link = links["prev"] // newer
		}
		if link == "" || !r.sameServer(link) {
			break
		}
		next = link
	}
	if newest == "" {
		newest = noneYet
	}
	r.page.Cursors[streamNotifications] = newest
	return nil
}

// notification turns one entry into an item (or a problem) and returns
// its id for the cursor; ok is false when the entry has no usable id.
func (r *inboxRead) notification(m json.RawMessage) (notification, bool) {
	var n notification
	if err := json.Unmarshal(m, &n); err != nil || n.ID == "" {
		r.problem(streamNotifications, n.ID, "a notification the server sent could not be read")
		return n, n.ID != ""
	}
	switch {
	case n.Type == "mention" || n.Type == "quote":
	case ignoredTypes[n.Type]:
		return n, true
	default:
		r.problem(streamNotifications, n.ID, fmt.Sprintf("a notification of a kind Herald does not know (%q) was skipped", n.Type))
		return n, true
	}
	s, ok := r.status(streamNotifications, n.ID, n.Status)
	if !ok {
		return n, true
	}
	it := r.item(s)
	if n.Type == "quote" {
		it.Kind = network.InboxQuote
		if q := s.Quote; q != nil && q.QuotedStatus != nil {
			it.ParentID = q.QuotedStatus.ID
		} else if q != nil && q.QuotedStatusID != nil {
			it.ParentID = *q.QuotedStatusID
		}
	}
	r.add(it)
	return n, true
}

// status reads an entry's status, reporting a problem when it is missing
// or unreadable.
func (r *inboxRead) status(stream, entryID string, raw json.RawMessage) (inboxStatus, bool) {
	var s inboxStatus
	if len(raw) == 0 || string(raw) == "null" {
		r.problem(stream, entryID, "an entry without its post was skipped (the post may have been deleted)")
		return s, false
	}
	if err := json.Unmarshal(raw, &s); err != nil || s.ID == "" || s.Account == nil || s.Account.ID == "" {
		r.problem(stream, entryID, "a post the server sent could not be read")
		return s, false
	}
	return s, true
}

// conversations finds the conversation of each direct message in the
// page. Conversations are ordered by their last status, newest first, and
// paged only through the Link header; only a conversation's last status is
// listed, which is why the messages themselves come from the
// notifications (two messages between reads would show one). The newest
// pages are read until every message has its conversation, or a message
// older than the page's oldest shows the rest are further back.
//
// https://docs.joinmastodon.org/methods/conversations/#get
func (r *inboxRead) conversations(ctx context.Context) error {
	want := map[string]int{} // status id → item index
	oldest := ""
	for i, it := range r.page.Items {
		if it.Kind == network.InboxMessage && it.ConversationID == "" {
			want[it.RemoteID] = i
			if oldest == "" || compareIDs(it.RemoteID, oldest) < 0 {
				oldest = it.RemoteID
			}
		}
	}
	next := r.base + "/api/v1/conversations?limit=" + strconv.Itoa(conversationLimit)
	for pages := 0; len(want) > 0 && pages < maxConversationPages; pages++ {
		var raw []json.RawMessage
		links, err := r.get(ctx, next, &raw)
		var ne *network.Error
		if pages == 0 && errors.As(err, &ne) && (ne.Status == http.StatusNotFound || ne.Status == http.StatusNotImplemented) {
			// A server without the conversations API: the messages stay
			// without a conversation.
			return nil
		}
		if err != nil {
			return err
		}
		passed := len(raw) == 0
		for _, m := range raw {
			var cv conversation
			if err := json.Unmarshal(m, &cv); err != nil || cv.ID == "" {
				r.problem(streamConversations, cv.ID, "a conversation the server sent could not be read")
				continue
			}
			var last struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(cv.LastStatus, &last) != nil || last.ID == "" {
				continue
			}
			if i, ok := want[last.ID]; ok {
				r.page.Items[i].ConversationID = cv.ID
				delete(want, last.ID)
			}
			if compareIDs(last.ID, oldest) < 0 {
				passed = true // every later conversation is older still
			}
		}
		link := links["next"]
		if passed || link == "" || !r.sameServer(link) {
			break
		}
		next = link
	}
	return nil
}

// item is a status as an inbox item: a reply when it answers the
// channel's own post, a message when direct, else a mention.
func (r *inboxRead) item(s inboxStatus) network.InboxItem {
	it := statusItem(s)
	switch {
	case s.Visibility == "direct":
		it.Kind = network.InboxMessage
	case s.InReplyToAccountID != nil && *s.InReplyToAccountID == r.me:
		it.Kind = network.InboxReply
	default:
		it.Kind = network.InboxMention
	}
	return it
}

// statusItem is what every inbox item of a status carries; Kind is left
// to the caller.
func statusItem(s inboxStatus) network.InboxItem {
	text, links := htmlToTextLinks(s.Content)
	if s.SpoilerText != "" {
		text = s.SpoilerText + "\n\n" + text
	}
	it := network.InboxItem{
		RemoteID: s.ID, Text: text, Links: links, URL: s.link(),
		ParentID: s.inReplyTo(), CreatedAt: s.created(),
	}
	if s.Account != nil {
		it.Author = network.InboxAuthor{RemoteID: s.Account.ID, Handle: "@" + strings.TrimPrefix(s.Account.Acct, "@"),
			DisplayName: s.Account.DisplayName, AvatarURL: s.Account.Avatar, ProfileURL: s.Account.URL}
		if it.Author.DisplayName == "" {
			it.Author.DisplayName = s.Account.Username
		}
	}
	if s.Language != nil {
		it.Language = *s.Language
	}
	if s.EditedAt != nil {
		if t, err := time.Parse(time.RFC3339Nano, *s.EditedAt); err == nil {
			it.EditedAt = t
		}
	}
	return it
}

// get reads one page of a list and its Link header.
func (r *inboxRead) get(ctx context.Context, rawURL string, out any) (map[string]string, error) {
	return r.c.getPage(ctx, r.op, rawURL, r.cred, out)
}

// sameServer says whether a Link header points at the channel's server:
// the token is never sent anywhere else.
func (r *inboxRead) sameServer(link string) bool { return sameOrigin(r.base, link) }

func sameOrigin(base, link string) bool {
	b, err1 := url.Parse(base)
	l, err2 := url.Parse(link)
	return err1 == nil && err2 == nil && b.Scheme == l.Scheme && strings.EqualFold(b.Host, l.Host)
}

// getPage GETs a list and returns its Link header's targets by rel.
//
// https://docs.joinmastodon.org/api/guidelines/#pagination
func (c *Client) getPage(ctx context.Context, op, rawURL string, cred network.Credential, out any) (map[string]string, error) {
	resp, err := c.do(ctx, request{method: http.MethodGet, url: rawURL, token: cred.AccessToken})
	if err != nil {
		return nil, network.TransportError(ID, op, err)
	}
	defer drain(resp)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, c.apiError(op, resp)
	}
	if err := decode(op, resp, out); err != nil {
		return nil, err
	}
	return parseLinks(resp.Header.Values("Link")), nil
}

// parseLinks reads RFC 8288 Link header values: <url>; rel="next".
func parseLinks(values []string) map[string]string {
	out := map[string]string{}
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			end := strings.Index(part, ">")
			if !strings.HasPrefix(part, "<") || end < 0 {
				continue
			}
			target := part[1:end]
			for _, p := range strings.Split(part[end+1:], ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
				if ok && strings.EqualFold(k, "rel") {
					for _, rel := range strings.Fields(strings.Trim(val, `"`)) {
						out[strings.ToLower(rel)] = target
					}
				}
			}
		}
	}
	return out
}

// compareIDs orders ids as the server does: Mastodon's are decimal
// snowflakes (a longer one is newer), GoToSocial's ULIDs of one length
// that sort as text.
func compareIDs(a, b string) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// ReadThread reads the thread around a status: its ancestors, the status
// and its descendants, oldest first, at most maxThread items.
//
// https://docs.joinmastodon.org/methods/statuses/#context
func (c *Client) ReadThread(ctx context.Context, instance string, cred network.Credential, remoteID string) (network.Thread, error) {
	const op = "read a thread"
	base, err := normalize(op, instance)
	if err != nil {
		return network.Thread{}, err
	}
	if remoteID == "" || strings.ContainsAny(remoteID, "/?#") {
		return network.Thread{}, invalid(op, "the post id is empty or malformed")
	}
	var self inboxStatus
	// https://docs.joinmastodon.org/methods/statuses/#get
	if err := c.call(ctx, op, http.MethodGet, base+"/api/v1/statuses/"+url.PathEscape(remoteID), cred.AccessToken, nil, &self); err != nil {
		return network.Thread{}, notFound(err)
	}
	var ctxResp struct {
		Ancestors   []json.RawMessage `json:"ancestors"`
		Descendants []json.RawMessage `json:"descendants"`
	}
	if err := c.call(ctx, op, http.MethodGet, base+"/api/v1/statuses/"+url.PathEscape(remoteID)+"/context", cred.AccessToken, nil, &ctxResp); err != nil {
		return network.Thread{}, notFound(err)
	}
	var th network.Thread
	all := []inboxStatus{self}
	for _, raw := range append(ctxResp.Ancestors, ctxResp.Descendants...) {
		var s inboxStatus
		if err := json.Unmarshal(raw, &s); err != nil || s.ID == "" || s.ID == self.ID {
			continue // one unreadable post does not hide the thread
		}
		all = append(all, s)
	}
	sort.SliceStable(all, func(i, j int) bool {
		ti, tj := all[i].created(), all[j].created()
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return compareIDs(all[i].ID, all[j].ID) < 0
	})
	if len(all) > maxThread {
		all, th.Truncated = keepAround(all, remoteID, maxThread), true
	}
	for _, s := range all {
		it := statusItem(s)
		switch {
		case s.Visibility == "direct":
			it.Kind = network.InboxMessage
		case it.ParentID != "":
			it.Kind = network.InboxReply
		default:
			it.Kind = network.InboxMention
		}
		th.Items = append(th.Items, it)
	}
	return th, nil
}

// keepAround cuts list to n items that include the one with id, keeping
// as much as possible from the top of the thread.
func keepAround(list []inboxStatus, id string, n int) []inboxStatus {
	at := 0
	for i, s := range list {
		if s.ID == id {
			at = i
		}
	}
	start := 0
	if at >= n {
		start = at - n + 1
	}
	return list[start : start+n]
}

// notFound marks a 404 as "not_found" so callers can tell a missing post.
func notFound(err error) error {
	var ne *network.Error
	if errors.As(err, &ne) && ne.Status == http.StatusNotFound {
		ne.Class, ne.Code = network.ClassContentRejected, "not_found"
		ne.Message = "the post does not exist on the server (deleted, or never made)"
	}
	return err
}

// refreshBatch is how many statuses one multiple-statuses request asks
// for (Mastodon's page size for it).
const refreshBatch = 20

// RefreshInbox reads the statuses again: a status the server no longer
// returns is a deletion, edited_at an edit. It asks for 20 at a time with
// GET /api/v1/statuses?id[]= (Mastodon 4.3 and later); a server without it
// (GoToSocial, older Mastodon) is remembered and read one status at a
// time. A rate limit ends the round: what was checked so far is returned
// with the error, the rest is left out.
//
// https://docs.joinmastodon.org/methods/statuses/#index
// https://docs.joinmastodon.org/methods/statuses/#get
func (c *Client) RefreshInbox(ctx context.Context, instance string, cred network.Credential, remoteIDs []string) ([]network.InboxItem, error) {
	const op = "refresh inbox items"
	base, err := normalize(op, instance)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(remoteIDs))
	for _, id := range remoteIDs {
		if id != "" && !strings.ContainsAny(id, "/?#") {
			ids = append(ids, id)
		}
	}
	var out []network.InboxItem
	err = readStatuses(ctx, c, op, base, cred, ids, func(id string, s *inboxStatus) {
		if s == nil {
			out = append(out, network.InboxItem{RemoteID: id, Deleted: true})
			return
		}
		out = append(out, statusItem(*s))
	})
	return out, err
}
