package bluesky

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"herald/backend/network"
)

var _ network.Moderator = (*Client)(nil)

const (
	collectionLike       = "app.bsky.feed.like"
	collectionBlock      = "app.bsky.graph.block"
	collectionThreadgate = "app.bsky.feed.threadgate"
)

// Supports is Bluesky's limitations matrix.
func (cl *Client) Supports(a network.InboxAction, item network.ItemRef, self string) (bool, string) {
	_, _, chat := chatRef(item.RemoteID)
	switch a {
	case network.ActionLike:
		if chat {
			return false, "Herald cannot react to Bluesky direct messages yet; reply instead."
		}
		return true, ""
	case network.ActionHide:
		switch {
		case chat:
			return false, "A direct message cannot be hidden; mute or block its author."
		case item.Kind != network.InboxReply:
			return false, "Bluesky hides replies only; this is not a reply."
		case !strings.HasPrefix(item.RootID, "at://"+self+"/"):
			return false, "Bluesky lets you hide replies only under your own posts."
		}
		return true, ""
	case network.ActionMute, network.ActionBlock:
		if item.AuthorRemoteID == "" {
			return false, "Herald does not know who wrote this."
		}
		if item.AuthorRemoteID == self {
			return false, "This is the channel's own account."
		}
		return true, ""
	}
	return false, "Bluesky does not offer this."
}

// Act likes a post (an app.bsky.feed.like record), hides a reply under the
// account's post (the post's threadgate's hiddenReplies), mutes the author
// (app.bsky.graph.muteActor, private) or blocks them (an
// app.bsky.graph.block record, public). Each first reads whether it is
// already so — the viewer state of getPosts / getProfile, the threadgate —
// so doing it twice writes nothing twice; undo removes it.
//
// https://docs.bsky.app/docs/tutorials/like-repost
// https://docs.bsky.app/docs/api/app-bsky-graph-mute-actor
// https://docs.bsky.app/blog/blocks
// https://docs.bsky.app/docs/tutorials/thread-gates
func (cl *Client) Act(ctx context.Context, instance string, cred network.Credential, a network.InboxAction, item network.ItemRef, undo bool) error {
	op := string(a)
	if undo {
		op = "un" + op
	}
	s, err := cl.repoSession(op, instance, cred)
	if err != nil {
		return err
	}
	if ok, why := cl.Supports(a, item, s.did); !ok {
		return &network.Error{Network: ID, Op: op, Class: network.ClassInvalidInput, Message: why}
	}
	switch a {
	case network.ActionLike:
		return cl.like(ctx, op, s, item.RemoteID, undo)
	case network.ActionHide:
		return cl.hide(ctx, op, s, item, undo)
	case network.ActionMute:
		nsid := "app.bsky.graph.muteActor"
		if undo {
			nsid = "app.bsky.graph.unmuteActor"
		}
		return cl.do(ctx, call{op: op, method: http.MethodPost, host: s.host, nsid: nsid, body: map[string]string{"actor": item.AuthorRemoteID},
			token: s.token, use: accessToken, subject: "the account"}, nil)
	default: // block
		return cl.block(ctx, op, s, item.AuthorRemoteID, undo)
	}
}

func (cl *Client) like(ctx context.Context, op string, s repoSession, uri string, undo bool) error {
	var res struct {
		Posts []struct {
			URI    string `json:"uri"`
			CID    string `json:"cid"`
			Viewer struct {
				Like string `json:"like"`
			} `json:"viewer"`
		} `json:"posts"`
	}
	if err := cl.do(ctx, call{op: op, method: http.MethodGet, host: s.host, nsid: "app.bsky.feed.getPosts",
		query: url.Values{"uris": {uri}}, token: s.token, use: accessToken, subject: "the post"}, &res); err != nil {
		return err
	}
	if len(res.Posts) == 0 || res.Posts[0].URI != uri {
		return &network.Error{Network: ID, Op: op, Class: network.ClassContentRejected, Code: "not_found",
			Message: "the post no longer exists on Bluesky (it may have been deleted)"}
	}
	p := res.Posts[0]
	switch {
	case undo && p.Viewer.Like == "", !undo && p.Viewer.Like != "":
		return nil // already so
	case undo:
		return cl.deleteRecord(ctx, op, s, p.Viewer.Like)
	}
	return cl.createAny(ctx, op, s, collectionLike, "", map[string]any{"$type": collectionLike,
		"subject": strongRef{URI: p.URI, CID: p.CID}, "createdAt": time.Now().UTC().Format(time.RFC3339Nano)})
}

func (cl *Client) block(ctx context.Context, op string, s repoSession, did string, undo bool) error {
	var prof struct {
		Viewer struct {
			Blocking string `json:"blocking"`
		} `json:"viewer"`
	}
	if err := cl.do(ctx, call{op: op, method: http.MethodGet, host: s.host, nsid: "app.bsky.actor.getProfile",
		query: url.Values{"actor": {did}}, token: s.token, use: accessToken, subject: "the account"}, &prof); err != nil {
		return err
	}
	switch b := prof.Viewer.Blocking; {
	case undo && b == "", !undo && b != "":
		return nil
	case undo:
		return cl.deleteRecord(ctx, op, s, b)
	}
	return cl.createAny(ctx, op, s, collectionBlock, "", map[string]any{"$type": collectionBlock, "subject": did,
		"createdAt": time.Now().UTC().Format(time.RFC3339Nano)})
}

// hide adds the reply to (or, undone, removes it from) the hiddenReplies
// of the root post's threadgate, keeping whatever else the gate says (who
// may reply). A post without a gate gets one that only hides: no "allow"
// means everyone may still reply.
func (cl *Client) hide(ctx context.Context, op string, s repoSession, item network.ItemRef, undo bool) error {
	root, ok := parseAtURI(item.RootID)
	if !ok {
		return &network.Error{Network: ID, Op: op, Class: network.ClassInvalidInput, Message: "Herald does not know which post this reply is under"}
	}
	var got struct {
		Value map[string]any `json:"value"`
	}
	err := cl.do(ctx, call{op: op, method: http.MethodGet, host: s.host, nsid: "com.atproto.repo.getRecord",
		query: url.Values{"repo": {s.did}, "collection": {collectionThreadgate}, "rkey": {root.rkey}},
		token: s.token, use: accessToken, subject: "the post's reply settings"}, &got)
	if err != nil && !isNotFound(err) && !isRecordNotFound(err) {
		return err
	}
	gate := got.Value
	if gate == nil {
		gate = map[string]any{"$type": collectionThreadgate, "post": item.RootID, "createdAt": time.Now().UTC().Format(time.RFC3339Nano)}
	}
	var hidden []string
	if list, ok := gate["hiddenReplies"].([]any); ok {
		for _, h := range list {
			if u, ok := h.(string); ok {
				hidden = append(hidden, u)
			}
		}
	}
	has := slices.Contains(hidden, item.RemoteID)
	if has == !undo {
		return nil
	}
	if undo {
		hidden = slices.DeleteFunc(hidden, func(u string) bool { return u == item.RemoteID })
	} else {
		// The lexicon allows at most 300 hidden replies per thread.
		if len(hidden) >= 300 {
			return &network.Error{Network: ID, Op: op, Class: network.ClassContentRejected,
				Message: "Bluesky hides at most 300 replies under one post; this thread has reached that"}
		}
		hidden = append(hidden, item.RemoteID)
	}
	gate["hiddenReplies"] = hidden
	return cl.do(ctx, call{op: op, method: http.MethodPost, host: s.host, nsid: "com.atproto.repo.putRecord",
		body:  map[string]any{"repo": s.did, "collection": collectionThreadgate, "rkey": root.rkey, "record": gate},
		token: s.token, use: accessToken, subject: "the post's reply settings"}, nil)
}

func (cl *Client) createAny(ctx context.Context, op string, s repoSession, collection, rkey string, rec map[string]any) error {
	body := map[string]any{"repo": s.did, "collection": collection, "record": rec}
	if rkey != "" {
		body["rkey"] = rkey
	}
	return cl.do(ctx, call{op: op, method: http.MethodPost, host: s.host, nsid: "com.atproto.repo.createRecord",
		body: body, token: s.token, use: accessToken}, nil)
}

func (cl *Client) deleteRecord(ctx context.Context, op string, s repoSession, uri string) error {
	u, ok := parseAtURI(uri)
	if !ok || u.repo != s.did {
		return &network.Error{Network: ID, Op: op, Class: network.ClassInvalidInput, Message: "“" + uri + "” is not a record of this account"}
	}
	return cl.do(ctx, call{op: op, method: http.MethodPost, host: s.host, nsid: "com.atproto.repo.deleteRecord",
		body: map[string]string{"repo": s.did, "collection": u.collection, "rkey": u.rkey}, token: s.token, use: accessToken}, nil)
}

func isRecordNotFound(err error) bool {
	ne, ok := asError(err)
	return ok && (ne.Code == "RecordNotFound" || strings.Contains(ne.Message, "Could not locate record"))
}
