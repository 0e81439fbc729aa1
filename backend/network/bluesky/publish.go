package bluesky

import (
	"context"
	"fmt"
	"strings"

	"herald/backend/network"
)

// Publish creates the post, its thread and its first comment as
// app.bsky.feed.post records in the account's repo.
//
// Exactly once, by construction. Every record is written under a record
// key (rkey) derived only from the target's IdempotencyKey, its CreatedAt
// and the item's index (postRKey), never from the clock at the time of the
// attempt. A repository holds at most one record per key, so a retry after
// an unknown outcome (the connection dropped after the PDS committed) sends
// the same key and cannot make a second post: the PDS refuses the write
// because the key is taken, and Publish reads the record under that key
// (com.atproto.repo.getRecord) and reports it as published if its text is
// the text being sent. The reference PDS answers such a write with a bare
// 500 InternalServerError today (bluesky-social/atproto#3718, indigo#873);
// an explicit "record exists" error is proposed (atproto#4728). So any 5xx,
// 409 or "already exists" answer is checked with a getRecord before it is
// returned. For the same reason reconciling needs no guesswork: the post,
// if it exists, is at a key known in advance (FindPublished).
//
// Replies (thread items and the first comment) point at the first post as
// root and at the item before as parent, by uri and cid. A post with
// ReplyTo answers that post: its first item's parent is the post answered
// and every item's root is that thread's root (see reply.go); ReplyTo
// naming a direct message sends a chat message instead. Progress is
// called after each item; p.Done resumes after items already published.
func (cl *Client) Publish(ctx context.Context, instance string, cred network.Credential, p network.Post) (network.Published, error) {
	const op = "publish"
	s, err := cl.repoSession(op, instance, cred)
	if err != nil {
		return network.Published{}, err
	}
	if isChat(p) {
		return cl.sendChat(ctx, s, p)
	}
	items := itemTexts(p)
	done, err := parseDone(op, p.Done)
	if err != nil {
		return network.Published{}, err
	}
	if len(done) >= len(items) {
		return s.published(p.Done), nil
	}
	if len(done) == 0 {
		if err := checkMedia(op, p.Media); err != nil {
			return network.Published{}, err
		}
	}
	rkeys := make([]string, len(items))
	for i := len(done); i < len(items); i++ {
		if rkeys[i], err = postRKey(p.IdempotencyKey, p.CreatedAt, i); err != nil {
			return network.Published{}, &network.Error{Network: ID, Op: op, Class: network.ClassInvalidInput, Message: err.Error()}
		}
	}

	// Everything that can fail without writing comes first: mentions, the
	// posts being replied to, the uploads.
	resolver := &handleResolver{cl: cl, host: s.host, cache: map[string]string{}}
	facets := make([][]facet, len(items))
	for i := len(done); i < len(items); i++ {
		if facets[i], err = resolver.facets(ctx, items[i]); err != nil {
			return network.Published{}, err
		}
	}
	var root, parent strongRef
	var answer *replyRef // what the first item replies to, for a reply
	if p.ReplyTo != "" {
		ref, err := cl.replyTarget(ctx, op, s, p.ReplyTo)
		if err != nil {
			return network.Published{}, err
		}
		answer, root, parent = &ref, ref.Root, ref.Parent
		if len(done) > 0 {
			if parent, err = cl.threadRef(ctx, op, s, done[len(done)-1]); err != nil {
				return network.Published{}, err
			}
		}
	} else if len(done) > 0 {
		if root, err = cl.threadRef(ctx, op, s, done[0]); err != nil {
			return network.Published{}, err
		}
		parent = root
		if len(done) > 1 {
			if parent, err = cl.threadRef(ctx, op, s, done[len(done)-1]); err != nil {
				return network.Published{}, err
			}
		}
	}
	var embed *imagesEmbed
	if len(done) == 0 {
		if embed, err = cl.uploadImages(ctx, op, s, p.Media); err != nil {
			return network.Published{}, err
		}
	}

	ids := append([]string(nil), p.Done...)
	langs := languages(p.Options["language"])
	for i := len(done); i < len(items); i++ {
		rec := postRecord{Type: collectionPost, Text: items[i], CreatedAt: recordTime(p.CreatedAt), Langs: langs, Facets: facets[i]}
		if i == 0 {
			rec.Embed = embed
			rec.Reply = answer
		} else {
			rec.Reply = &replyRef{Root: root, Parent: parent}
		}
		ref, err := cl.createPost(ctx, itemOp(p, i), s, rkeys[i], rec)
		if err != nil {
			return network.Published{}, err
		}
		if i == 0 && answer == nil {
			root = ref
		}
		parent = ref
		ids = append(ids, ref.URI)
		if p.Progress != nil {
			u, _ := parseAtURI(ref.URI)
			p.Progress(i, ref.URI, s.url(u))
		}
	}
	return s.published(ids), nil
}

// createPost writes one record and, when the answer may mean that its key
// is already taken, reads what is there (see Publish).
func (cl *Client) createPost(ctx context.Context, op string, s repoSession, rkey string, rec postRecord) (strongRef, error) {
	ref, err := cl.createRecord(ctx, op, s, rkey, rec)
	if err == nil || !mayExist(err) {
		return ref, err
	}
	got, gerr := cl.getPost(ctx, op, s, atURI{repo: s.did, collection: collectionPost, rkey: rkey})
	if gerr != nil || got.CID == "" {
		return strongRef{}, err // not there (or cannot tell): the first answer stands
	}
	if got.Value.Text != rec.Text {
		return strongRef{}, &network.Error{Network: ID, Op: op, Class: network.ClassContentRejected, Code: "rkey_taken",
			Message: "Bluesky already has a post at this post's record key (" + got.URI + ") with different text, " +
				"probably published by an earlier attempt before the text was edited. Herald did not post it again; " +
				"check the account on Bluesky"}
	}
	return strongRef{URI: got.URI, CID: got.CID}, nil
}

// mayExist reports whether a failed createRecord may mean that the record
// key is taken. A lost answer (no HTTP status) is left to the caller's
// reconciliation; refusals about the session or rate are not about the key.
func mayExist(err error) bool {
	ne, ok := asError(err)
	if !ok || ne.Status == 0 {
		return false
	}
	switch ne.Class {
	case network.ClassAuthDead, network.ClassTokenExpired, network.ClassRateLimited, network.ClassScopeMissing, network.ClassAPIRetired:
		return false
	}
	if ne.Status >= 500 || ne.Status == 409 {
		return true
	}
	name, msg := strings.ToLower(ne.Code), strings.ToLower(ne.Message)
	return strings.Contains(name, "exist") || strings.Contains(name, "duplicate") ||
		strings.Contains(msg, "already exist") || strings.Contains(msg, "already a value")
}

// threadRef reads the uri and cid of an item published by an earlier
// attempt, to reply to it.
func (cl *Client) threadRef(ctx context.Context, op string, s repoSession, u atURI) (strongRef, error) {
	got, err := cl.getPost(ctx, op, s, u)
	if isNotFound(err) {
		ne, _ := asError(err)
		ne.Message = "a post of this thread published earlier (" + u.String() + ") was deleted on Bluesky, " +
			"so the rest cannot be posted as replies to it"
		return strongRef{}, ne
	}
	if err != nil {
		return strongRef{}, err
	}
	if got.CID == "" {
		return strongRef{}, &network.Error{Network: ID, Op: op, Class: network.ClassTransient,
			Message: "Bluesky's answer for " + u.String() + " had no version (cid) to reply to"}
	}
	return strongRef{URI: got.URI, CID: got.CID}, nil
}

// itemTexts are the texts of the remote posts p makes, in order. Text that
// is not valid UTF-8 is repaired first, so facet byte offsets match what
// is sent.
func itemTexts(p network.Post) []string {
	texts := make([]string, 0, p.Items())
	texts = append(texts, strings.ToValidUTF8(p.Text, "\uFFFD"))
	for _, t := range p.Thread {
		texts = append(texts, strings.ToValidUTF8(t, "\uFFFD"))
	}
	if p.FirstComment != "" {
		texts = append(texts, strings.ToValidUTF8(p.FirstComment, "\uFFFD"))
	}
	return texts
}

// itemOp names item i in errors, so a failure says which one.
func itemOp(p network.Post, i int) string {
	switch {
	case i == 0:
		return "publish"
	case i <= len(p.Thread):
		return fmt.Sprintf("publish thread post %d of %d", i+1, 1+len(p.Thread))
	}
	return "publish first comment"
}

// parseDone reads the at-uris of items an earlier attempt published.
func parseDone(op string, done []string) ([]atURI, error) {
	out := make([]atURI, 0, len(done))
	for _, id := range done {
		u, ok := parseAtURI(id)
		if !ok || u.collection != collectionPost {
			return nil, &network.Error{Network: ID, Op: op, Class: network.ClassInvalidInput,
				Message: fmt.Sprintf("%q is not the id of a Bluesky post", id)}
		}
		out = append(out, u)
	}
	return out, nil
}

// languages reads Options["language"]: one tag or up to three separated
// by commas ("en", "en,de").
func languages(opt string) []string {
	var out []string
	for _, l := range strings.Split(opt, ",") {
		if l = strings.TrimSpace(l); l != "" && len(out) < 3 {
			out = append(out, l)
		}
	}
	return out
}

// published reports the items made, the first being the post.
func (s repoSession) published(ids []string) network.Published {
	out := network.Published{ItemIDs: ids}
	if len(ids) > 0 {
		out.RemoteID = ids[0]
		if u, ok := parseAtURI(ids[0]); ok {
			out.URL = s.url(u)
		}
	}
	return out
}
