package bluesky

import (
	"context"
	"time"

	"herald/backend/network"
)

// Lookup reads a published post back by its at-uri. A post that does not
// exist is content_rejected with Code "not_found".
// https://docs.bsky.app/docs/api/com-atproto-repo-get-record
func (cl *Client) Lookup(ctx context.Context, instance string, cred network.Credential, remoteID string) (network.RemotePost, error) {
	const op = "read post"
	s, err := cl.repoSession(op, instance, cred)
	if err != nil {
		return network.RemotePost{}, err
	}
	if _, _, chat := chatRef(remoteID); chat {
		return cl.lookupChat(ctx, s, remoteID)
	}
	u, ok := parseAtURI(remoteID)
	if !ok {
		return network.RemotePost{}, &network.Error{Network: ID, Op: op, Class: network.ClassInvalidInput,
			Message: "“" + remoteID + "” is not the id of a Bluesky post (at://…)"}
	}
	got, err := cl.getPost(ctx, op, s, u)
	if err != nil {
		return network.RemotePost{}, err
	}
	count, alts := embedMedia(got.Value.Embed)
	return network.RemotePost{
		ID:         got.URI,
		URL:        s.url(u),
		Text:       got.Value.Text,
		CreatedAt:  parseRecordTime(got.Value.CreatedAt),
		MediaCount: count,
		AltTexts:   alts,
	}, nil
}

// Reconciling reads at most this many pages of listRecords (100 posts
// each) when looking for a post by its text.
const reconcilePages = 5

// FindPublished finds out whether an attempt of p whose outcome is unknown
// made the post. Publish writes every item under a record key known in
// advance (see Publish), so this is a getRecord per item, in order, until
// one is missing: Published.ItemIDs then holds the items that exist, and a
// caller that finds fewer than p.Items() resumes with them as p.Done. Only
// when the first item is not at its key are the account's recent posts
// listed and compared by text and createdAt, for a post made before
// record keys were derived (or by a client that does not derive them).
func (cl *Client) FindPublished(ctx context.Context, instance string, cred network.Credential, p network.Post, since time.Time) (network.Published, bool, error) {
	const op = "reconcile"
	s, err := cl.repoSession(op, instance, cred)
	if err != nil {
		return network.Published{}, false, err
	}
	if isChat(p) {
		return cl.findChat(ctx, s, p, since)
	}
	done, err := parseDone(op, p.Done)
	if err != nil {
		return network.Published{}, false, err
	}
	items := itemTexts(p)
	ids := append([]string(nil), p.Done...)
	for i := len(done); i < len(items); i++ {
		rkey, err := postRKey(p.IdempotencyKey, p.CreatedAt, i)
		if err != nil {
			break
		}
		got, err := cl.getPost(ctx, op, s, atURI{repo: s.did, collection: collectionPost, rkey: rkey})
		if isNotFound(err) {
			break
		}
		if err != nil {
			return network.Published{}, false, err
		}
		if got.Value.Text != items[i] {
			break // another post holds the key: a retry will say so
		}
		ids = append(ids, got.URI)
	}
	if len(ids) > 0 {
		return s.published(ids), true, nil
	}
	uri, found, err := cl.findByText(ctx, op, s, items[0], p.ReplyTo, p.CreatedAt, since)
	if err != nil || !found {
		return network.Published{}, false, err
	}
	return s.published([]string{uri}), true, nil
}

// findByText looks through the newest posts for a post with text that
// replies to replyTo (a top-level post when it is ""), created at
// createdAt (to the millisecond) or since since.
// https://docs.bsky.app/docs/api/com-atproto-repo-list-records
func (cl *Client) findByText(ctx context.Context, op string, s repoSession, text, replyTo string, createdAt, since time.Time) (string, bool, error) {
	// Record keys are TIDs, so the list runs newest first; an hour of
	// slack covers clients whose clocks disagree.
	stop := since.Add(-time.Hour)
	cursor := ""
	for range reconcilePages {
		records, next, err := cl.listPosts(ctx, op, s, 100, cursor)
		if err != nil {
			return "", false, err
		}
		for _, r := range records {
			at := parseRecordTime(r.Value.CreatedAt)
			sameTime := !createdAt.IsZero() && at.Equal(createdAt.UTC().Truncate(time.Millisecond))
			answers := ""
			if r.Value.Reply != nil {
				answers = r.Value.Reply.Parent.URI
			}
			if answers == replyTo && r.Value.Text == text && (sameTime || !at.Before(since)) {
				return r.URI, true, nil
			}
		}
		if len(records) == 0 || next == "" || next == cursor {
			return "", false, nil
		}
		if t, _, ok := parseTID(next); ok && !since.IsZero() && t.Before(stop) {
			return "", false, nil
		}
		cursor = next
	}
	return "", false, nil
}
