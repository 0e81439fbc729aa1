package bluesky

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"herald/backend/network"
)

// Replies. A reply to a post is a post record whose reply reference names
// the conversation's root and the post answered, both by uri and cid; it
// goes out through Publish like any post, under its derived record key,
// so it is exactly-once in the same way. A reply to a direct message is a
// chat message (chat.bsky.convo.sendMessage), which has no record key:
// sendChat and findChat make it exactly-once with the engine's
// reconciliation instead (see findChat).

const (
	// chatPrefix starts the RemoteID of a chat message: chat:<convo>/<id>.
	chatPrefix = "chat:"
	// chatPages bounds how far back a sent message is looked for (100
	// messages a page).
	chatPages = 5
	// chatClockSkew widens "sent at or after since": since is Herald's
	// clock, sentAt the chat service's.
	chatClockSkew = 2 * time.Minute
)

// chatRef splits a chat RemoteID into its conversation and message.
func chatRef(id string) (convo, msg string, ok bool) {
	rest, found := strings.CutPrefix(id, chatPrefix)
	if !found {
		return "", "", false
	}
	convo, msg, ok = strings.Cut(rest, "/")
	return convo, msg, ok && convo != ""
}

// replyTarget reads the post p answers and returns the reply reference a
// post under it carries: the root of its thread and the post itself.
//
// https://docs.bsky.app/docs/api/app-bsky-feed-get-posts
func (cl *Client) replyTarget(ctx context.Context, op string, s repoSession, uri string) (replyRef, error) {
	if _, ok := parseAtURI(uri); !ok {
		return replyRef{}, &network.Error{Network: ID, Op: op, Class: network.ClassInvalidInput,
			Message: "“" + uri + "” is not the id of a Bluesky post (at://…), so Herald cannot reply to it"}
	}
	var res struct {
		Posts []postView `json:"posts"`
	}
	if err := cl.do(ctx, call{op: op, method: http.MethodGet, host: s.host, nsid: "app.bsky.feed.getPosts",
		query: url.Values{"uris": {uri}}, token: s.token, use: accessToken, subject: "the post being answered"}, &res); err != nil {
		return replyRef{}, err
	}
	for _, pv := range res.Posts {
		if pv.URI != uri {
			continue
		}
		if pv.CID == "" {
			return replyRef{}, &network.Error{Network: ID, Op: op, Class: network.ClassTransient,
				Message: "Bluesky's answer for " + uri + " had no version (cid) to reply to"}
		}
		parent := strongRef{URI: pv.URI, CID: pv.CID}
		var rec feedPost
		_ = json.Unmarshal(pv.Record, &rec) // no reply reference read: the post is the root
		root := parent
		if rec.Reply != nil && rec.Reply.Root.URI != "" && rec.Reply.Root.CID != "" {
			root = rec.Reply.Root
		}
		return replyRef{Root: root, Parent: parent}, nil
	}
	return replyRef{}, &network.Error{Network: ID, Op: op, Class: network.ClassContentRejected, Code: "not_found",
		Message: "the post being answered (" + uri + ") no longer exists on Bluesky or is hidden from this account, so the reply was not sent"}
}

// isChat reports whether p is a direct message: an answer in a chat
// conversation, or a message to an account.
func isChat(p network.Post) bool {
	_, _, chat := chatRef(p.ReplyTo)
	return chat || p.ReplyTo == "" && p.DirectTo != ""
}

// convoOf is the conversation p goes to: the one of the message it
// answers, or the account's conversation with p.DirectTo, which the chat
// service opens on first use and returns the same every time.
//
// https://docs.bsky.app/docs/api/chat-bsky-convo-get-convo-for-members
func (cl *Client) convoOf(ctx context.Context, op string, s repoSession, p network.Post) (string, error) {
	if convo, _, ok := chatRef(p.ReplyTo); ok {
		return convo, nil
	}
	if !strings.HasPrefix(p.DirectTo, "did:") {
		return "", &network.Error{Network: ID, Op: op, Class: network.ClassInvalidInput,
			Message: "“" + p.ReplyTo + p.DirectTo + "” is not a Bluesky conversation or account"}
	}
	var out struct {
		Convo convoView `json:"convo"`
	}
	if err := cl.do(ctx, call{op: op, method: http.MethodGet, host: s.host, nsid: "chat.bsky.convo.getConvoForMembers",
		query: url.Values{"members": {p.DirectTo}}, token: s.token, use: accessToken, proxy: chatProxy, subject: "the conversation"}, &out); err != nil {
		return "", err
	}
	if out.Convo.ID == "" {
		return "", &network.Error{Network: ID, Op: op, Class: network.ClassTransient, Message: "Bluesky's chat service named no conversation"}
	}
	return out.Convo.ID, nil
}

// chatMessageOut is chat.bsky.convo.defs#messageInput.
type chatMessageOut struct {
	Text   string  `json:"text"`
	Facets []facet `json:"facets,omitempty"`
}

// sendChat sends p as a message in the conversation of p.ReplyTo. It is
// one request: a retry after an unknown outcome first asks findChat (the
// engine reconciles before it retries), so a message is not sent twice.
//
// https://docs.bsky.app/docs/api/chat-bsky-convo-send-message
func (cl *Client) sendChat(ctx context.Context, s repoSession, p network.Post) (network.Published, error) {
	const op = "send a direct message"
	convo, err := cl.convoOf(ctx, op, s, p)
	if err != nil {
		return network.Published{}, err
	}
	if len(p.Done) > 0 {
		return network.Published{RemoteID: p.Done[0], ItemIDs: p.Done}, nil
	}
	if len(p.Media) > 0 || len(p.Thread) > 0 || p.FirstComment != "" {
		return network.Published{}, &network.Error{Network: ID, Op: op, Class: network.ClassInvalidInput,
			Message: "a Bluesky direct message is text only: no attachments, thread or first comment"}
	}
	text := strings.ToValidUTF8(p.Text, "\uFFFD")
	if strings.TrimSpace(text) == "" {
		return network.Published{}, &network.Error{Network: ID, Op: op, Class: network.ClassInvalidInput, Message: "the message is empty"}
	}
	resolver := &handleResolver{cl: cl, host: s.host, cache: map[string]string{}}
	facets, err := resolver.facets(ctx, text)
	if err != nil {
		return network.Published{}, err
	}
	var out chatMessage
	if err := cl.do(ctx, call{op: op, method: http.MethodPost, host: s.host, nsid: "chat.bsky.convo.sendMessage",
		body:  map[string]any{"convoId": convo, "message": chatMessageOut{Text: text, Facets: facets}},
		token: s.token, use: accessToken, proxy: chatProxy, subject: "the message"}, &out); err != nil {
		if ne, ok := asError(err); ok && ne.Status >= 500 {
			// The chat service may have stored the message before it
			// failed: look before sending again.
			ne.Sent = true
		}
		return network.Published{}, err
	}
	if out.ID == "" {
		return network.Published{}, &network.Error{Network: ID, Op: op, Class: network.ClassTransient, Sent: true,
			Message: "Bluesky accepted the message but did not say its id"}
	}
	id := chatPrefix + convo + "/" + out.ID
	if p.Progress != nil {
		p.Progress(0, id, "")
	}
	return network.Published{RemoteID: id, ItemIDs: []string{id}}, nil
}

// chatMessages reads a conversation's messages, newest first, a page at a
// time, and calls match on each until it returns true.
//
// https://docs.bsky.app/docs/api/chat-bsky-convo-get-messages
func (cl *Client) chatMessages(ctx context.Context, op string, s repoSession, convo string, match func(chatMessage) bool) (bool, error) {
	cursor := ""
	for range chatPages {
		q := url.Values{"convoId": {convo}, "limit": {"100"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var res struct {
			Cursor   string        `json:"cursor"`
			Messages []chatMessage `json:"messages"`
		}
		if err := cl.do(ctx, call{op: op, method: http.MethodGet, host: s.host, nsid: "chat.bsky.convo.getMessages",
			query: q, token: s.token, use: accessToken, proxy: chatProxy, subject: "the conversation"}, &res); err != nil {
			return false, err
		}
		for _, m := range res.Messages {
			if match(m) {
				return true, nil
			}
		}
		if res.Cursor == "" || res.Cursor == cursor || len(res.Messages) == 0 {
			return false, nil
		}
		cursor = res.Cursor
	}
	return false, nil
}

// findChat looks for a message the account sent in the conversation of
// p.ReplyTo with p's text, sent since since (less chatClockSkew). Messages
// have no key Herald chooses, so text and time are all there is: two
// identical messages sent by hand in the same minute would be taken for
// one, which errs on the side of never sending twice.
func (cl *Client) findChat(ctx context.Context, s repoSession, p network.Post, since time.Time) (network.Published, bool, error) {
	const op = "check for a sent message"
	convo, err := cl.convoOf(ctx, op, s, p)
	if err != nil {
		return network.Published{}, false, err
	}
	text := strings.ToValidUTF8(p.Text, "\uFFFD")
	cutoff := since.Add(-chatClockSkew)
	var id string
	found, err := cl.chatMessages(ctx, op, s, convo, func(m chatMessage) bool {
		if m.Sender.DID != s.did || m.Text != text || m.Type == "chat.bsky.convo.defs#deletedMessageView" {
			return false
		}
		if at := parseRecordTime(m.SentAt); !since.IsZero() && !at.IsZero() && at.Before(cutoff) {
			return false
		}
		id = chatPrefix + convo + "/" + m.ID
		return true
	})
	if err != nil || !found {
		return network.Published{}, false, err
	}
	return network.Published{RemoteID: id, ItemIDs: []string{id}}, true, nil
}

// lookupChat reads a sent message back by its id.
func (cl *Client) lookupChat(ctx context.Context, s repoSession, remoteID string) (network.RemotePost, error) {
	const op = "read a sent message"
	convo, msg, ok := chatRef(remoteID)
	if !ok {
		return network.RemotePost{}, &network.Error{Network: ID, Op: op, Class: network.ClassInvalidInput,
			Message: "“" + remoteID + "” is not a Bluesky direct message"}
	}
	var got chatMessage
	found, err := cl.chatMessages(ctx, op, s, convo, func(m chatMessage) bool {
		if m.ID == msg && m.Type != "chat.bsky.convo.defs#deletedMessageView" {
			got = m
			return true
		}
		return false
	})
	if err != nil {
		return network.RemotePost{}, err
	}
	if !found {
		return network.RemotePost{}, &network.Error{Network: ID, Op: op, Class: network.ClassContentRejected, Code: "not_found",
			Message: "the message is not in the conversation on Bluesky (it may have been deleted)"}
	}
	return network.RemotePost{ID: remoteID, Text: got.Text, CreatedAt: parseRecordTime(got.SentAt)}, nil
}
