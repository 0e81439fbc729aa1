package mastodon

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"herald/backend/network"
)

// Metrics. Mastodon counts what people do with a status (replies, boosts,
// favourites and, from 4.5, accepted quotes) and an account's followers,
// follows and statuses, all as running totals in the entities themselves:
// there is no statistics API and no count of views, link clicks or reach.
const (
	// ownPostsLimit is the documented page maximum of an account's
	// statuses (default 20).
	ownPostsLimit = 40
	// searchLimit is the documented maximum of accounts one search
	// returns (default 20).
	searchLimit = 40
)

// statusCounts are the counts of Mastodon's Status entity. A count the
// server leaves out (quotes_count before Mastodon 4.5, and on GoToSocial)
// stays nil: not provided, never 0.
//
// https://docs.joinmastodon.org/entities/Status/#replies_count
type statusCounts struct {
	RepliesCount    *int64 `json:"replies_count"`
	ReblogsCount    *int64 `json:"reblogs_count"`
	FavouritesCount *int64 `json:"favourites_count"`
	QuotesCount     *int64 `json:"quotes_count"`
}

// countedStatus is a Status with what the metrics read.
type countedStatus struct {
	status
	statusCounts
	// Pinned is set on the channel's own statuses it may pin.
	Pinned *bool `json:"pinned"`
}

// metrics are the counts the status carries, under the shared keys.
func (s statusCounts) metrics() network.MetricValues {
	v := network.MetricValues{}
	put(v, network.MetricReplies, s.RepliesCount)
	put(v, network.MetricShares, s.ReblogsCount)
	put(v, network.MetricLikes, s.FavouritesCount)
	put(v, network.MetricQuotes, s.QuotesCount)
	return v
}

// put stores a count the server sent. Mastodon's counters can fall below
// zero after a race; its own apps show such a count as 0, and so does
// Herald.
func put(v network.MetricValues, key string, n *int64) {
	if n != nil {
		v[key] = max(*n, 0)
	}
}

// MetricCatalogue lists what Mastodon counts, in its own words.
func (c *Client) MetricCatalogue() network.MetricCatalogue {
	channel := func(key, label, unit string) network.MetricDef {
		return network.MetricDef{Key: key, Label: label, Unit: unit, Scope: network.ScopeChannel, Lifetime: true}
	}
	post := func(key, label, unit string) network.MetricDef {
		return network.MetricDef{Key: key, Label: label, Unit: unit, Scope: network.ScopePost, Lifetime: true, Engagement: true}
	}
	return network.MetricCatalogue{
		Metrics: []network.MetricDef{
			channel(network.MetricFollowers, "Followers", "accounts"),
			channel(network.MetricFollowing, "Following", "accounts"),
			channel(network.MetricPosts, "Posts", "posts"),
			post(network.MetricReplies, "Replies", "posts"),
			post(network.MetricShares, "Boosts", "interactions"),
			post(network.MetricLikes, "Favourites", "interactions"),
			post(network.MetricQuotes, "Quotes", "posts"),
		},
		Holes: []network.Limitation{
			{Capability: network.CapPostMetrics, Text: "Mastodon does not count views, link clicks or reach: " +
				"only replies, boosts, favourites and quotes."},
			{Capability: network.CapPostMetrics, Text: "Quotes are counted from Mastodon 4.5 on; " +
				"servers that do not count them (older Mastodon, GoToSocial) show no quote count."},
			{Capability: network.CapPostMetrics, Text: "Replies are counted only when public or unlisted: " +
				"answers visible to followers only, or sent directly, are not in the count."},
			{Capability: network.CapChannelMetrics, Text: "Mastodon's post count includes your boosts and leaves out direct messages."},
		},
	}
}

// MetricsBatch is how many statuses one GET /api/v1/statuses?id[] reads.
func (c *Client) MetricsBatch() int { return refreshBatch }

// ReadChannelMetrics reads the account's followers, follows and statuses.
//
// https://docs.joinmastodon.org/methods/accounts/#verify_credentials
func (c *Client) ReadChannelMetrics(ctx context.Context, instance string, cred network.Credential) (network.MetricValues, error) {
	const op = "read channel metrics"
	base, err := normalize(op, instance)
	if err != nil {
		return nil, err
	}
	a, err := c.verifyCredentials(ctx, op, base, cred)
	if err != nil {
		return nil, err
	}
	v := network.MetricValues{}
	put(v, network.MetricFollowers, a.FollowersCount)
	put(v, network.MetricFollowing, a.FollowingCount)
	put(v, network.MetricPosts, a.StatusesCount)
	return v, nil
}

// ReadPostMetrics reads the counts of statuses, 20 a request where the
// server can (readStatuses). A status the server no longer returns is
// Deleted, and so is an id that cannot be a status's (empty, or with a
// character no id has). Every id is answered once, in the order given; on
// any failed request the error alone is returned.
func (c *Client) ReadPostMetrics(ctx context.Context, instance string, cred network.Credential, remoteIDs []string) ([]network.PostMetrics, error) {
	const op = "read post metrics"
	base, err := normalize(op, instance)
	if err != nil {
		return nil, err
	}
	out := make([]network.PostMetrics, 0, len(remoteIDs))
	at := map[string]int{} // id → index in out
	var ids []string
	for _, id := range remoteIDs {
		if _, dup := at[id]; dup {
			continue
		}
		at[id] = len(out)
		out = append(out, network.PostMetrics{RemoteID: id, Deleted: true})
		if id != "" && !strings.ContainsAny(id, "/?#") {
			ids = append(ids, id)
		}
	}
	err = readStatuses(ctx, c, op, base, cred, ids, func(id string, s *countedStatus) {
		if s != nil {
			out[at[id]] = network.PostMetrics{RemoteID: id, Metrics: s.metrics()}
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListOwnPosts reads one page of the channel's statuses (listStatuses).
//
// https://docs.joinmastodon.org/methods/accounts/#statuses
func (c *Client) ListOwnPosts(ctx context.Context, instance string, cred network.Credential, since time.Time, cursor string) (network.OwnPostsPage, error) {
	const op = "list the channel's posts"
	base, err := normalize(op, instance)
	if err != nil {
		return network.OwnPostsPage{}, err
	}
	me, err := c.verifyCredentials(ctx, op, base, cred)
	if err != nil {
		return network.OwnPostsPage{}, err
	}
	return c.listStatuses(ctx, op, base, cred, me.ID, since, cursor)
}

// listStatuses reads one page of an account's statuses, newest first,
// boosts left out (exclude_reblogs, and again here for a server that
// ignores it). The page ends, with More false, at the first status
// created before since; the cursor is the max_id to go on from.
//
// https://docs.joinmastodon.org/methods/accounts/#statuses
func (c *Client) listStatuses(ctx context.Context, op, base string, cred network.Credential, accountID string, since time.Time, cursor string) (network.OwnPostsPage, error) {
	q := url.Values{"limit": {strconv.Itoa(ownPostsLimit)}, "exclude_reblogs": {"true"}}
	if cursor != "" {
		q.Set("max_id", cursor)
	}
	var list []countedStatus
	if _, err := c.getPage(ctx, op, base+"/api/v1/accounts/"+url.PathEscape(accountID)+"/statuses?"+q.Encode(), cred, &list); err != nil {
		return network.OwnPostsPage{}, err
	}
	var page network.OwnPostsPage
	for _, s := range list {
		if s.ID == "" || cursor != "" && compareIDs(s.ID, cursor) >= 0 {
			// Not older than the cursor: a server that ignored max_id.
			// Without progress the listing ends instead of going round.
			continue
		}
		page.Cursor = s.ID
		created := s.created()
		if !created.IsZero() && created.Before(since) {
			if s.Pinned != nil && *s.Pinned {
				// A server that lists pinned statuses first: an old pinned
				// one says nothing about those after it.
				continue
			}
			return page, nil
		}
		if s.Reblog != nil {
			continue
		}
		text := s.plainText()
		if s.SpoilerText != "" {
			text = s.SpoilerText + "\n\n" + text
		}
		page.Posts = append(page.Posts, network.OwnPost{
			RemoteID: s.ID, URL: s.link(), Text: text, CreatedAt: created,
			Reply: s.inReplyTo() != "", Metrics: s.metrics(),
		})
	}
	page.More = page.Cursor != ""
	return page, nil
}
