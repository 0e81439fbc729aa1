package bluesky

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"herald/backend/network"
)

// Metrics. Bluesky's AppView counts, per post, likes, reposts, replies,
// quotes and bookmarks (app.bsky.feed.defs#postView), and per account its
// followers, follows and posts (#profileViewDetailed). All are running
// totals as of the read; there are no views, impressions or link clicks.
const (
	// authorFeedLimit is getAuthorFeed's page maximum (default 50).
	authorFeedLimit = 100
	reasonRepost    = "app.bsky.feed.defs#reasonRepost"
	reasonPin       = "app.bsky.feed.defs#reasonPin"
)

// counts are the counts of a postView. A count the AppView left out stays
// nil and is not read as 0.
type counts struct {
	LikeCount     *int64 `json:"likeCount"`
	RepostCount   *int64 `json:"repostCount"`
	ReplyCount    *int64 `json:"replyCount"`
	QuoteCount    *int64 `json:"quoteCount"`
	BookmarkCount *int64 `json:"bookmarkCount"`
}

func (c counts) values() network.MetricValues {
	out := network.MetricValues{}
	for k, v := range map[string]*int64{
		network.MetricLikes: c.LikeCount, network.MetricShares: c.RepostCount, network.MetricReplies: c.ReplyCount,
		network.MetricQuotes: c.QuoteCount, network.MetricBookmarks: c.BookmarkCount,
	} {
		if v != nil && *v >= 0 {
			out[k] = *v
		}
	}
	return out
}

// countedPost is a postView with what ListOwnPosts and ReadPostMetrics
// read of it.
type countedPost struct {
	URI       string          `json:"uri"`
	Author    profileView     `json:"author"`
	Record    json.RawMessage `json:"record"`
	IndexedAt string          `json:"indexedAt"`
	counts
}

// MetricCatalogue lists what Bluesky counts and what it does not.
func (cl *Client) MetricCatalogue() network.MetricCatalogue {
	post := func(key, label, unit string) network.MetricDef {
		return network.MetricDef{Key: key, Label: label, Unit: unit, Scope: network.ScopePost, Lifetime: true, Engagement: true}
	}
	channel := func(key, label, unit string) network.MetricDef {
		return network.MetricDef{Key: key, Label: label, Unit: unit, Scope: network.ScopeChannel, Lifetime: true}
	}
	return network.MetricCatalogue{
		Metrics: []network.MetricDef{
			channel(network.MetricFollowers, "Followers", "accounts"),
			channel(network.MetricFollowing, "Following", "accounts"),
			channel(network.MetricPosts, "Posts", "posts"),
			post(network.MetricLikes, "Likes", "interactions"),
			post(network.MetricShares, "Reposts", "interactions"),
			post(network.MetricReplies, "Replies", "posts"),
			post(network.MetricQuotes, "Quotes", "posts"),
			// Someone saving the post to read again acts on it as much as
			// a like does; Bluesky shows only how many did, never who.
			post(network.MetricBookmarks, "Bookmarks", "interactions"),
		},
		Holes: []network.Limitation{
			{Capability: network.CapPostMetrics, Text: "Bluesky does not count views or impressions: how many people saw a post is unknown."},
			{Capability: network.CapPostMetrics, Text: "Bluesky does not count link clicks."},
			{Capability: network.CapChannelMetrics, Text: "Bluesky does not count profile visits or reach."},
		},
	}
}

// MetricsBatch is getPosts' maximum number of uris.
func (cl *Client) MetricsBatch() int { return getPostsBatch }

// ReadChannelMetrics reads the account's followers, follows and posts.
//
// https://docs.bsky.app/docs/api/app-bsky-actor-get-profile
func (cl *Client) ReadChannelMetrics(ctx context.Context, instance string, cred network.Credential) (network.MetricValues, error) {
	const op = "read the account's counts"
	s, err := cl.repoSession(op, instance, cred)
	if err != nil {
		return nil, err
	}
	p, err := cl.getProfile(ctx, op, s, s.did)
	if err != nil {
		return nil, err
	}
	out := network.MetricValues{}
	for k, v := range map[string]*int64{network.MetricFollowers: p.FollowersCount, network.MetricFollowing: p.FollowsCount,
		network.MetricPosts: p.PostsCount} {
		if v != nil && *v >= 0 {
			out[k] = *v
		}
	}
	return out, nil
}

// ReadPostMetrics reads the counts of posts by their at:// uris, up to 25
// a call (more are read in several). A post the AppView does not return
// is Deleted, and so is an id that is not a post's at:// uri: no post on
// Bluesky can have it.
//
// https://docs.bsky.app/docs/api/app-bsky-feed-get-posts
func (cl *Client) ReadPostMetrics(ctx context.Context, instance string, cred network.Credential, remoteIDs []string) ([]network.PostMetrics, error) {
	const op = "read post counts"
	s, err := cl.repoSession(op, instance, cred)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var uris []string
	for _, id := range remoteIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		if u, ok := parseAtURI(id); ok && u.collection == collectionPost {
			uris = append(uris, id)
		}
	}
	found := map[string]network.MetricValues{}
	for len(uris) > 0 {
		batch := uris[:min(getPostsBatch, len(uris))]
		uris = uris[len(batch):]
		var res struct {
			Posts []countedPost `json:"posts"`
		}
		if err := cl.do(ctx, call{op: op, method: http.MethodGet, host: s.host, nsid: "app.bsky.feed.getPosts",
			query: url.Values{"uris": batch}, token: s.token, use: accessToken, subject: "the posts"}, &res); err != nil {
			return nil, err
		}
		for _, p := range res.Posts {
			found[p.URI] = p.values()
		}
	}
	out := make([]network.PostMetrics, 0, len(seen))
	done := map[string]bool{}
	for _, id := range remoteIDs {
		if done[id] {
			continue
		}
		done[id] = true
		if v, ok := found[id]; ok {
			out = append(out, network.PostMetrics{RemoteID: id, Metrics: v})
		} else {
			out = append(out, network.PostMetrics{RemoteID: id, Deleted: true})
		}
	}
	return out, nil
}

// ListOwnPosts reads one page of the account's posts (listAuthorFeed).
//
// https://docs.bsky.app/docs/api/app-bsky-feed-get-author-feed
func (cl *Client) ListOwnPosts(ctx context.Context, instance string, cred network.Credential, since time.Time, cursor string) (network.OwnPostsPage, error) {
	const op = "list the account's posts"
	s, err := cl.repoSession(op, instance, cred)
	if err != nil {
		return network.OwnPostsPage{}, err
	}
	return cl.listAuthorFeed(ctx, op, s, s.did, s.handle, since, cursor)
}

// listAuthorFeed reads one page of an account's posts and replies, newest
// first, from its author feed. Reposts of other accounts' posts, the
// pinned post listed once more at the top, and any post by another
// account are left out. The page stops at the first post created before
// since. handle names the account in post links when the feed leaves it
// out.
//
// A post's date is its record's createdAt, what the Bluesky app shows
// and, when it is earlier than indexedAt (a post imported with its old
// date), what the AppView sorts the feed by; indexedAt only stands in for
// a createdAt that cannot be read.
//
// https://docs.bsky.app/docs/api/app-bsky-feed-get-author-feed
func (cl *Client) listAuthorFeed(ctx context.Context, op string, s repoSession, did, handle string, since time.Time, cursor string) (network.OwnPostsPage, error) {
	q := url.Values{"actor": {did}, "filter": {"posts_with_replies"}, "limit": {strconv.Itoa(authorFeedLimit)}}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	var res struct {
		Cursor string `json:"cursor"`
		Feed   []struct {
			Post   countedPost `json:"post"`
			Reason *struct {
				Type string `json:"$type"`
			} `json:"reason"`
		} `json:"feed"`
	}
	if err := cl.do(ctx, call{op: op, method: http.MethodGet, host: s.host, nsid: "app.bsky.feed.getAuthorFeed",
		query: q, token: s.token, use: accessToken, subject: "the account's posts"}, &res); err != nil {
		return network.OwnPostsPage{}, err
	}
	page := network.OwnPostsPage{Posts: []network.OwnPost{}}
	seen := map[string]bool{}
	for _, it := range res.Feed {
		p := it.Post
		if it.Reason != nil && (it.Reason.Type == reasonRepost || it.Reason.Type == reasonPin) {
			continue
		}
		if p.Author.DID != did || seen[p.URI] {
			continue
		}
		u, ok := parseAtURI(p.URI)
		if !ok || u.collection != collectionPost {
			continue
		}
		var rec feedPost
		if json.Unmarshal(p.Record, &rec) != nil {
			continue
		}
		created := parseRecordTime(rec.CreatedAt)
		if created.IsZero() {
			created = parseRecordTime(p.IndexedAt)
		}
		if !since.IsZero() && created.Before(since) {
			return page, nil // older than since: this page is the last
		}
		seen[p.URI] = true
		name := p.Author.Handle
		if name == "" {
			name = handle
		}
		page.Posts = append(page.Posts, network.OwnPost{
			RemoteID:  p.URI,
			URL:       postURL(name, u.repo, u.rkey),
			Text:      rec.Text,
			CreatedAt: created,
			Reply:     rec.Reply != nil,
			Metrics:   p.values(),
		})
	}
	if res.Cursor != "" && res.Cursor != cursor && len(res.Feed) > 0 {
		page.Cursor, page.More = res.Cursor, true
	}
	return page, nil
}
