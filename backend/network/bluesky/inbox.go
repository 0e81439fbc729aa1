package bluesky

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

// The inbox. Mentions, replies and quotes are notifications
// (app.bsky.notification.listNotifications), listed newest first with a
// cursor only towards older ones: a read goes back page by page to the
// newest notification the last read saw, and only a read that got there
// moves the stream's cursor. Direct messages live in the chat service,
// reached through the PDS with the atproto-proxy header: its event log
// (chat.bsky.convo.getLog) is read forwards from a cursor.
const (
	streamNotifications = "notifications"
	streamChat          = "chat"

	// notificationLimit is the lexicon's page maximum (default 50).
	notificationLimit = 100
	// backlogPages bounds a channel's first sync (its backlog is marked
	// read); maxPages one later read, past which older new notifications
	// are skipped with a problem.
	backlogPages = 2
	maxPages     = 10
	// maxChatPages bounds the chat log pages one read takes; past it
	// InboxPage.More asks for another read.
	maxChatPages = 10
	// maxThread is Herald's bound on a thread (network.Thread); the
	// lexicon's own maximum for depth and parentHeight is 1,000 too.
	maxThread = 1000
	// getPostsBatch is getPosts' maximum number of uris.
	getPostsBatch = 25
	// chatProxy routes a call through the PDS to Bluesky's chat service.
	//
	// https://docs.bsky.app/docs/advanced-guides/api-directory
	chatProxy = "did:web:api.bsky.chat#bsky_chat"
	// noneYet is the cursor of a notification stream that was read while
	// it had nothing: every notification is new next time.
	noneYet = "-"
	// chatLogStart is the revision before any chat event: revisions are
	// TIDs, base32-sortable, and "2" is the alphabet's zero.
	chatLogStart = "2222222222222"
)

// inboxReasons are the notification reasons that are inbox items.
var inboxReasons = map[string]network.InboxKind{
	"mention": network.InboxMention,
	"reply":   network.InboxReply,
	"quote":   network.InboxQuote,
}

// ignoredReasons are reasons Herald knows and does not show. Herald asks
// for mention, reply and quote only; these arrive from a server that
// ignores reasons[], and are skipped without a word. Any other reason is
// new to Herald and reported as a problem.
//
// https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/notification/listNotifications.json
var ignoredReasons = map[string]bool{
	"like": true, "repost": true, "follow": true, "starterpack-joined": true, "verified": true,
	"unverified": true, "like-via-repost": true, "repost-via-repost": true, "subscribed-post": true,
	"contact-match": true,
}

// profileView is the part of app.bsky.actor.defs#profileView(Basic) an
// inbox item shows.
type profileView struct {
	DID         string `json:"did"`
	Handle      string `json:"handle"`
	DisplayName string `json:"displayName"`
	Avatar      string `json:"avatar"`
}

func (p profileView) author() network.InboxAuthor {
	name := p.DisplayName
	if strings.TrimSpace(name) == "" {
		name = p.Handle
	}
	return network.InboxAuthor{RemoteID: p.DID, Handle: p.Handle, DisplayName: name, AvatarURL: p.Avatar,
		ProfileURL: profileURL(p.Handle, p.DID)}
}

// notificationView is app.bsky.notification.listNotifications#notification.
type notificationView struct {
	URI       string          `json:"uri"`
	CID       string          `json:"cid"`
	Author    *profileView    `json:"author"`
	Reason    string          `json:"reason"`
	Record    json.RawMessage `json:"record"`
	IndexedAt string          `json:"indexedAt"`
}

// feedPost is the part of an app.bsky.feed.post record the inbox reads.
//
// https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/feed/post.json
type feedPost struct {
	Text      string    `json:"text"`
	CreatedAt string    `json:"createdAt"`
	Langs     []string  `json:"langs"`
	Reply     *replyRef `json:"reply"`
	Facets    []struct {
		Features []struct {
			Type string `json:"$type"`
			URI  string `json:"uri"`
		} `json:"features"`
	} `json:"facets"`
	Embed *struct {
		Type     string       `json:"$type"`
		Record   *embedRecord `json:"record"`
		External *struct {
			URI string `json:"uri"`
		} `json:"external"`
	} `json:"embed"`
}

// embedRecord is app.bsky.embed.record's record, or recordWithMedia's
// record (which nests one more level).
type embedRecord struct {
	URI    string       `json:"uri"`
	Record *embedRecord `json:"record"`
}

// quoted is the uri of the post a record quotes, if any.
func (p feedPost) quoted() string {
	if p.Embed == nil || p.Embed.Record == nil {
		return ""
	}
	if p.Embed.Record.URI != "" {
		return p.Embed.Record.URI
	}
	if p.Embed.Record.Record != nil {
		return p.Embed.Record.Record.URI
	}
	return ""
}

// links are the link facets' targets and an external embed's, once each.
func (p feedPost) links() []string {
	var out []string
	add := func(u string) {
		pu, err := url.Parse(u)
		if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") {
			return
		}
		for _, x := range out {
			if x == u {
				return
			}
		}
		out = append(out, u)
	}
	for _, f := range p.Facets {
		for _, ft := range f.Features {
			if ft.Type == "app.bsky.richtext.facet#link" {
				add(ft.URI)
			}
		}
	}
	if p.Embed != nil && p.Embed.External != nil {
		add(p.Embed.External.URI)
	}
	return out
}

// postItem is a post as an inbox item; Kind is left to the caller.
func postItem(uri string, author profileView, rec feedPost, indexedAt string) network.InboxItem {
	it := network.InboxItem{RemoteID: uri, Author: author.author(), Text: rec.Text, Links: rec.links(),
		CreatedAt: parseRecordTime(rec.CreatedAt)}
	if it.CreatedAt.IsZero() {
		it.CreatedAt = parseRecordTime(indexedAt)
	}
	if u, ok := parseAtURI(uri); ok {
		it.URL = postURL(author.Handle, u.repo, u.rkey)
	}
	if rec.Reply != nil {
		it.ParentID, it.RootID = rec.Reply.Parent.URI, rec.Reply.Root.URI
	}
	if len(rec.Langs) > 0 {
		it.Language = rec.Langs[0]
	}
	return it
}

// ReadInbox reads the channel's new mentions, replies, quotes and direct
// messages since cursors. A channel whose app password has no access to
// direct messages gets the rest, and the messages in Unavailable.
func (cl *Client) ReadInbox(ctx context.Context, instance string, cred network.Credential, cursors network.InboxCursors) (network.InboxPage, error) {
	const op = "read the inbox"
	s, err := cl.repoSession(op, instance, cred)
	if err != nil {
		return network.InboxPage{}, err
	}
	page := network.InboxPage{Cursors: network.InboxCursors{}}
	for k, v := range cursors {
		page.Cursors[k] = v
	}
	if err := cl.readNotifications(ctx, op, s, cursors[streamNotifications], &page); err != nil {
		return page, err
	}
	if err := cl.readChat(ctx, op, s, cursors[streamChat], &page); err != nil {
		return page, err
	}
	return page, nil
}

// notifCursor is the stream cursor: the newest notification read, by the
// time Bluesky indexed it and its uri.
type notifCursor struct {
	at  time.Time
	uri string
}

func parseNotifCursor(s string) (notifCursor, bool) {
	at, uri, ok := strings.Cut(s, " ")
	t, err := time.Parse(time.RFC3339Nano, at)
	if !ok || err != nil {
		return notifCursor{}, false
	}
	return notifCursor{at: t, uri: uri}, true
}

func (c notifCursor) String() string { return c.at.UTC().Format(time.RFC3339Nano) + " " + c.uri }

// reached says whether n is the cursor's notification or older.
func (c notifCursor) reached(at time.Time, uri string) bool {
	return at.Before(c.at) || (at.Equal(c.at) && uri == c.uri)
}

// readNotifications reads notifications newest first back to the cursor.
// Nothing is added to the page unless the read gets there (or is a first
// sync that read its backlog): a read cut short leaves the stream as it
// was, so the next one reads the same notifications again, none lost.
//
// https://docs.bsky.app/docs/api/app-bsky-notification-list-notifications
func (cl *Client) readNotifications(ctx context.Context, op string, s repoSession, raw string, page *network.InboxPage) error {
	first := raw == ""
	var stop notifCursor
	haveStop := false
	if !first && raw != noneYet {
		var ok bool
		if stop, ok = parseNotifCursor(raw); !ok {
			page.Problems = append(page.Problems, network.InboxProblem{Stream: streamNotifications,
				Reason: "the stored position in the notifications could not be read; the recent ones are read again"})
			first = true
		}
		haveStop = ok
	}
	limit := maxPages
	if first {
		limit = backlogPages
	}
	var items []network.InboxItem
	var problems []network.InboxProblem
	var newest notifCursor
	pageCursor := ""
	reached := false
	for pages := 0; pages < limit && !reached; pages++ {
		q := url.Values{"limit": {strconv.Itoa(notificationLimit)}, "reasons": {"mention", "reply", "quote"}}
		if pageCursor != "" {
			q.Set("cursor", pageCursor)
		}
		var out struct {
			Cursor        string            `json:"cursor"`
			Notifications []json.RawMessage `json:"notifications"`
		}
		if err := cl.do(ctx, call{op: op, method: http.MethodGet, host: s.host, nsid: "app.bsky.notification.listNotifications",
			query: q, token: s.token, use: accessToken}, &out); err != nil {
			return err
		}
		for _, m := range out.Notifications {
			var n notificationView
			if err := json.Unmarshal(m, &n); err != nil || n.URI == "" {
				problems = append(problems, network.InboxProblem{Stream: streamNotifications, RemoteID: n.URI,
					Reason: "a notification Bluesky sent could not be read"})
				continue
			}
			at := parseRecordTime(n.IndexedAt)
			if haveStop && !at.IsZero() && stop.reached(at, n.URI) {
				reached = true
				break
			}
			if newest.uri == "" || at.After(newest.at) {
				newest = notifCursor{at: at, uri: n.URI}
			}
			if it, ok := notificationItem(n, &problems); ok {
				items = append(items, it)
			}
		}
		if out.Cursor == "" || len(out.Notifications) == 0 {
			reached = true
		}
		pageCursor = out.Cursor
	}
	if !reached && !first {
		problems = append(problems, network.InboxProblem{Stream: streamNotifications,
			Reason: fmt.Sprintf("more than %d notifications arrived since the last read; the older ones among them were skipped", maxPages*notificationLimit)})
	}
	page.Items = append(page.Items, dedupe(items)...)
	page.Problems = append(page.Problems, problems...)
	switch {
	case newest.uri != "":
		page.Cursors[streamNotifications] = newest.String()
	case first:
		page.Cursors[streamNotifications] = noneYet
	}
	return nil
}

// notificationItem turns a notification into an item, or a problem.
func notificationItem(n notificationView, problems *[]network.InboxProblem) (network.InboxItem, bool) {
	kind, ok := inboxReasons[n.Reason]
	if !ok {
		if !ignoredReasons[n.Reason] {
			*problems = append(*problems, network.InboxProblem{Stream: streamNotifications, RemoteID: n.URI,
				Reason: fmt.Sprintf("a notification of a kind Herald does not know (%q) was skipped", n.Reason)})
		}
		return network.InboxItem{}, false
	}
	var rec feedPost
	if n.Author == nil || n.Author.DID == "" || json.Unmarshal(n.Record, &rec) != nil {
		*problems = append(*problems, network.InboxProblem{Stream: streamNotifications, RemoteID: n.URI,
			Reason: "a post Bluesky sent could not be read"})
		return network.InboxItem{}, false
	}
	it := postItem(n.URI, *n.Author, rec, n.IndexedAt)
	it.Kind = kind
	if kind == network.InboxQuote {
		it.ParentID = rec.quoted()
	}
	return it, true
}

// dedupe keeps the first item of each RemoteID (a page boundary that
// moved while Herald paged can repeat one).
func dedupe(items []network.InboxItem) []network.InboxItem {
	seen := map[string]bool{}
	out := items[:0]
	for _, it := range items {
		if !seen[it.RemoteID] {
			seen[it.RemoteID] = true
			out = append(out, it)
		}
	}
	return out
}

// chatMessage is chat.bsky.convo.defs#messageView.
type chatMessage struct {
	Type   string `json:"$type"`
	ID     string `json:"id"`
	Text   string `json:"text"`
	Sender struct {
		DID string `json:"did"`
	} `json:"sender"`
	SentAt string `json:"sentAt"`
	Facets []struct {
		Features []struct {
			Type string `json:"$type"`
			URI  string `json:"uri"`
		} `json:"features"`
	} `json:"facets"`
}

// convoView is the part of chat.bsky.convo.defs#convoView Herald reads.
type convoView struct {
	ID          string          `json:"id"`
	Members     []profileView   `json:"members"`
	LastMessage json.RawMessage `json:"lastMessage"`
}

// readChat reads direct messages. A first sync takes each conversation's
// last message as its backlog and the log's current cursor; later reads
// take the log's new messages. The cursor is fetched before the backlog,
// so a message sent in between is read twice (stored once), never missed.
//
// https://docs.bsky.app/docs/api/chat-bsky-convo-get-log
// https://docs.bsky.app/docs/api/chat-bsky-convo-list-convos
func (cl *Client) readChat(ctx context.Context, op string, s repoSession, cursor string, page *network.InboxPage) error {
	var members map[string]profileView
	var items []network.InboxItem
	if cursor == "" {
		// The backlog comes from the conversations below, not the log.
		_, next, err := cl.chatLog(ctx, op, s, "")
		if err != nil {
			return cl.chatUnavailable(err, page)
		}
		convos, err := cl.listConvos(ctx, op, s)
		if err != nil {
			return cl.chatUnavailable(err, page)
		}
		members = memberMap(convos)
		for _, cv := range convos {
			var m chatMessage
			if json.Unmarshal(cv.LastMessage, &m) == nil && m.ID != "" && m.Type != "chat.bsky.convo.defs#deletedMessageView" && m.Sender.DID != s.did {
				items = append(items, chatItem(cv.ID, m, members))
			}
		}
		page.Items = append(page.Items, items...)
		if next == "" {
			next = noneYet
		}
		page.Cursors[streamChat] = next
		return nil
	}
	from := cursor
	if from == noneYet {
		// The log was empty when the stream was first read: every event in
		// it now is new. Without a cursor getLog answers only where the log
		// is now, so read from the log's start (the zero revision).
		from = chatLogStart
	}
	type created struct {
		convo string
		msg   chatMessage
	}
	var news []created
	for pages := 0; ; pages++ {
		if pages == maxChatPages {
			page.More = true
			break
		}
		logs, next, err := cl.chatLog(ctx, op, s, from)
		if err != nil {
			return cl.chatUnavailable(err, page)
		}
		for _, l := range logs {
			var entry struct {
				Type    string      `json:"$type"`
				ConvoID string      `json:"convoId"`
				Message chatMessage `json:"message"`
			}
			if json.Unmarshal(l, &entry) != nil {
				page.Problems = append(page.Problems, network.InboxProblem{Stream: streamChat, Reason: "a chat event Bluesky sent could not be read"})
				continue
			}
			if entry.Type == "chat.bsky.convo.defs#logCreateMessage" && entry.Message.ID != "" && entry.Message.Sender.DID != s.did &&
				entry.Message.Type != "chat.bsky.convo.defs#deletedMessageView" {
				news = append(news, created{entry.ConvoID, entry.Message})
			}
		}
		if next == "" || next == from || len(logs) == 0 {
			break
		}
		from = next
	}
	if len(news) > 0 {
		convos, err := cl.listConvos(ctx, op, s)
		if err != nil {
			return cl.chatUnavailable(err, page)
		}
		members = memberMap(convos)
	}
	for _, n := range news {
		page.Items = append(page.Items, chatItem(n.convo, n.msg, members))
	}
	if from != chatLogStart {
		page.Cursors[streamChat] = from
	}
	return nil
}

// chatUnavailable turns a missing permission or a PDS without the chat
// service into InboxPage.Unavailable; other errors stay errors.
func (cl *Client) chatUnavailable(err error, page *network.InboxPage) error {
	var ne *network.Error
	if !errors.As(err, &ne) {
		return err
	}
	switch {
	case ne.Class == network.ClassScopeMissing:
		page.Unavailable = append(page.Unavailable, network.Limitation{Capability: network.CapDirectMessages,
			Text: "Herald cannot read this account's direct messages: its app password was made without " +
				"“Allow access to your direct messages”. To read them in Herald, make a new app password in Bluesky " +
				"under Settings → Privacy and security → App passwords with that box ticked, and reconnect the account with it."})
		return nil
	case ne.Class == network.ClassAPIRetired || ne.Code == "XRPCNotSupported" || ne.Code == "MethodNotImplemented":
		page.Unavailable = append(page.Unavailable, network.Limitation{Capability: network.CapDirectMessages,
			Text: "This account's hosting provider does not offer Bluesky direct messages."})
		return nil
	}
	return err
}

// chatLog reads one page of the chat event log after cursor.
func (cl *Client) chatLog(ctx context.Context, op string, s repoSession, cursor string) ([]json.RawMessage, string, error) {
	q := url.Values{}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	var out struct {
		Cursor string            `json:"cursor"`
		Logs   []json.RawMessage `json:"logs"`
	}
	err := cl.do(ctx, call{op: op, method: http.MethodGet, host: s.host, nsid: "chat.bsky.convo.getLog",
		query: q, token: s.token, use: accessToken, proxy: chatProxy}, &out)
	return out.Logs, out.Cursor, err
}

// listConvos reads the first page of conversations (100, the lexicon's
// maximum): their members name the senders of new messages.
func (cl *Client) listConvos(ctx context.Context, op string, s repoSession) ([]convoView, error) {
	var out struct {
		Convos []convoView `json:"convos"`
	}
	err := cl.do(ctx, call{op: op, method: http.MethodGet, host: s.host, nsid: "chat.bsky.convo.listConvos",
		query: url.Values{"limit": {"100"}}, token: s.token, use: accessToken, proxy: chatProxy}, &out)
	return out.Convos, err
}

func memberMap(convos []convoView) map[string]profileView {
	out := map[string]profileView{}
	for _, cv := range convos {
		for _, m := range cv.Members {
			out[m.DID] = m
		}
	}
	return out
}

// chatItem is a chat message as an inbox item. Its RemoteID is
// "chat:<convo>/<message>" (network.InboxItem).
func chatItem(convo string, m chatMessage, members map[string]profileView) network.InboxItem {
	author, ok := members[m.Sender.DID]
	if !ok {
		author = profileView{DID: m.Sender.DID}
	}
	it := network.InboxItem{RemoteID: "chat:" + convo + "/" + m.ID, Kind: network.InboxMessage, Author: author.author(),
		Text: m.Text, ConversationID: convo, CreatedAt: parseRecordTime(m.SentAt)}
	var fp feedPost
	fp.Facets = m.Facets
	it.Links = fp.links()
	return it
}

// postView is the part of app.bsky.feed.defs#postView Herald reads.
type postView struct {
	URI       string          `json:"uri"`
	CID       string          `json:"cid"`
	Author    profileView     `json:"author"`
	Record    json.RawMessage `json:"record"`
	IndexedAt string          `json:"indexedAt"`
}

func (p postView) item() (network.InboxItem, bool) {
	var rec feedPost
	if p.URI == "" || json.Unmarshal(p.Record, &rec) != nil {
		return network.InboxItem{}, false
	}
	it := postItem(p.URI, p.Author, rec, p.IndexedAt)
	switch {
	case rec.Reply != nil:
		it.Kind = network.InboxReply
	case rec.quoted() != "":
		it.Kind, it.ParentID = network.InboxQuote, rec.quoted()
	default:
		it.Kind = network.InboxMention
	}
	return it, true
}

// threadNode is app.bsky.feed.defs#threadViewPost, #notFoundPost or
// #blockedPost.
type threadNode struct {
	Type    string        `json:"$type"`
	Post    *postView     `json:"post"`
	Parent  *threadNode   `json:"parent"`
	Replies []*threadNode `json:"replies"`
}

// ReadThread reads the thread around a post: its parents up to the root
// and its replies, oldest first, at most maxThread posts. Posts that are
// deleted or blocked are left out.
//
// https://docs.bsky.app/docs/api/app-bsky-feed-get-post-thread
func (cl *Client) ReadThread(ctx context.Context, instance string, cred network.Credential, remoteID string) (network.Thread, error) {
	const op = "read a thread"
	s, err := cl.repoSession(op, instance, cred)
	if err != nil {
		return network.Thread{}, err
	}
	if _, ok := parseAtURI(remoteID); !ok {
		return network.Thread{}, &network.Error{Network: ID, Op: op, Class: network.ClassInvalidInput,
			Message: "“" + remoteID + "” is not the id of a Bluesky post (at://…)"}
	}
	var out struct {
		Thread threadNode `json:"thread"`
	}
	err = cl.do(ctx, call{op: op, method: http.MethodGet, host: s.host, nsid: "app.bsky.feed.getPostThread",
		query: url.Values{"uri": {remoteID}, "depth": {"1000"}, "parentHeight": {"1000"}},
		token: s.token, use: accessToken, subject: "the thread"}, &out)
	var ne *network.Error
	if errors.As(err, &ne) && ne.Code == "NotFound" {
		ne.Code, ne.Message = "not_found", "the post does not exist on Bluesky (it may have been deleted)"
	}
	if err != nil {
		return network.Thread{}, err
	}
	var th network.Thread
	var posts []network.InboxItem
	seen := map[string]bool{}
	add := func(n *threadNode) {
		if n == nil || n.Post == nil || seen[n.Post.URI] {
			return
		}
		if it, ok := n.Post.item(); ok {
			seen[it.RemoteID] = true
			posts = append(posts, it)
		}
	}
	for p := out.Thread.Parent; p != nil; p = p.Parent {
		add(p)
		if p.Type != "" && p.Type != "app.bsky.feed.defs#threadViewPost" {
			th.Truncated = true // a deleted or blocked parent hides the rest
		}
	}
	add(&out.Thread)
	var walk func(ns []*threadNode)
	walk = func(ns []*threadNode) {
		for _, n := range ns {
			if len(posts) > maxThread {
				return
			}
			add(n)
			walk(n.Replies)
		}
	}
	walk(out.Thread.Replies)
	sort.SliceStable(posts, func(i, j int) bool { return posts[i].CreatedAt.Before(posts[j].CreatedAt) })
	if len(posts) > 0 && posts[0].ParentID != "" {
		th.Truncated = true // the parents stop below the thread's first post
	}
	if len(posts) > maxThread {
		posts, th.Truncated = keepAround(posts, remoteID, maxThread), true
	}
	th.Items = posts
	return th, nil
}

// keepAround cuts items to n that include the one with id, keeping as
// much as possible from the top of the thread.
func keepAround(items []network.InboxItem, id string, n int) []network.InboxItem {
	at := 0
	for i, it := range items {
		if it.RemoteID == id {
			at = i
		}
	}
	start := 0
	if at >= n {
		start = at - n + 1
	}
	return items[start : start+n]
}

// RefreshInbox reads posts again in batches of getPostsBatch: a post
// Bluesky no longer returns is Deleted. Bluesky posts cannot be edited.
// Chat messages cannot be read one by one and are left out.
//
// https://docs.bsky.app/docs/api/app-bsky-feed-get-posts
func (cl *Client) RefreshInbox(ctx context.Context, instance string, cred network.Credential, remoteIDs []string) ([]network.InboxItem, error) {
	const op = "refresh inbox items"
	s, err := cl.repoSession(op, instance, cred)
	if err != nil {
		return nil, err
	}
	var uris []string
	for _, id := range remoteIDs {
		if _, ok := parseAtURI(id); ok {
			uris = append(uris, id)
		}
	}
	var out []network.InboxItem
	for len(uris) > 0 {
		batch := uris[:min(getPostsBatch, len(uris))]
		uris = uris[len(batch):]
		var res struct {
			Posts []postView `json:"posts"`
		}
		if err := cl.do(ctx, call{op: op, method: http.MethodGet, host: s.host, nsid: "app.bsky.feed.getPosts",
			query: url.Values{"uris": batch}, token: s.token, use: accessToken}, &res); err != nil {
			return out, err
		}
		found := map[string]network.InboxItem{}
		for _, p := range res.Posts {
			if it, ok := p.item(); ok {
				found[it.RemoteID] = it
			}
		}
		for _, u := range batch {
			if it, ok := found[u]; ok {
				out = append(out, it)
			} else {
				out = append(out, network.InboxItem{RemoteID: u, Deleted: true})
			}
		}
	}
	return out, nil
}
