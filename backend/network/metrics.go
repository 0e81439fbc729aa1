package network

import (
	"context"
	"time"
)

// MetricScope says what a metric describes: the channel (its audience and
// activity) or one of its posts (the lifetime of that post).
type MetricScope string

const (
	ScopeChannel MetricScope = "channel"
	ScopePost    MetricScope = "post"
)

// Metric keys shared by every network, so a dashboard can add channels of
// different networks together. A network labels them in its own words
// (Mastodon "Boosts", Bluesky "Reposts" are both MetricShares) and lists
// only those it provides; a network-only metric gets a key of its own.
const (
	MetricFollowers   = "followers"
	MetricFollowing   = "following"
	MetricPosts       = "posts"
	MetricLikes       = "likes"
	MetricShares      = "shares"
	MetricReplies     = "replies"
	MetricQuotes      = "quotes"
	MetricBookmarks   = "bookmarks"
	MetricImpressions = "impressions"
)

// MetricDef is one entry of a network's metric catalogue.
type MetricDef struct {
	Key   string      `json:"key"`
	Label string      `json:"label"` // in the network's words: "Favourites", "Boosts"
	Unit  string      `json:"unit"`  // what one counts: "accounts", "posts", "interactions", "views"
	Scope MetricScope `json:"scope"`
	// Lifetime: the value is a running total as of when it is read
	// (followers; a post's likes so far). Otherwise it counts one Period
	// ("day") and is read per period.
	Lifetime bool   `json:"lifetime"`
	Period   string `json:"period,omitempty"`
	// Engagement: the metric counts people acting on a post (likes,
	// shares, replies, quotes), so it adds to the post's engagement.
	Engagement bool `json:"engagement"`
}

// MetricCatalogue is what a network measures, and what it does not: each
// Limitation names a hole in the data in the user's words ("Bluesky does
// not count views").
type MetricCatalogue struct {
	Metrics []MetricDef  `json:"metrics"`
	Holes   []Limitation `json:"holes"`
}

// MetricValues holds one reading: metric key → value. A key that is absent
// was not provided (by this network, for this post, in this reading) and
// is stored as absent, never as 0.
type MetricValues map[string]int64

// OwnPost is one of the channel's own posts as the network lists it: those
// Herald published and those written anywhere else. Reposts (boosts) of
// other accounts' posts are not the channel's posts and are left out.
type OwnPost struct {
	// RemoteID is the id Herald records when it publishes (Mastodon: the
	// status id; Bluesky: the at:// URI), so a listed post is matched to
	// the Herald post that published it.
	RemoteID  string
	URL       string
	Text      string // plain text, markup removed
	CreatedAt time.Time
	// Reply is set for an answer to another post (the channel's replies
	// in conversations, a thread's later parts).
	Reply bool
	// Metrics are the counts the listing carries, when it carries them.
	Metrics MetricValues
}

// OwnPostsPage is one page of the channel's posts, newest first.
type OwnPostsPage struct {
	Posts []OwnPost
	// Cursor continues to older posts; More says there are some newer than
	// the since bound that this page did not reach.
	Cursor string
	More   bool
}

// PostMetrics is one post's reading.
type PostMetrics struct {
	RemoteID string
	Metrics  MetricValues
	// Deleted: the network says the post no longer exists (a 404, a
	// tombstone, left out of a batch read).
	Deleted bool
}

// MetricsReader reads a channel's metrics: the channel's own counts, its
// posts (for the backfill of what was published before Herald), and the
// counts of given posts in batches.
type MetricsReader interface {
	// MetricCatalogue lists what the network measures, without a call.
	MetricCatalogue() MetricCatalogue
	// MetricsBatch is how many posts one ReadPostMetrics call reads with
	// one request (Mastodon 20 with statuses?id[]; Bluesky 25 with
	// getPosts).
	MetricsBatch() int
	// ReadChannelMetrics reads the channel's lifetime counts now.
	ReadChannelMetrics(ctx context.Context, instance string, cred Credential) (MetricValues, error)
	// ListOwnPosts reads one page of the channel's posts created at or after
	// since, newest first, starting at cursor ("" for the newest).
	ListOwnPosts(ctx context.Context, instance string, cred Credential, since time.Time, cursor string) (OwnPostsPage, error)
	// ReadPostMetrics reads the counts of up to MetricsBatch posts. Every
	// requested id is in the answer, either with its metrics or Deleted; a
	// request that failed as a whole returns the error and nothing else.
	ReadPostMetrics(ctx context.Context, instance string, cred Credential, remoteIDs []string) ([]PostMetrics, error)
}

// Profile is a public account as a search finds it.
type Profile struct {
	RemoteID    string `json:"remoteId"`
	Handle      string `json:"handle"`  // "@alice@example.social", "alice.bsky.social"
	Mention     string `json:"mention"` // exactly what to type to mention it: "@alice@example.social", "@alice.bsky.social"
	DisplayName string `json:"displayName"`
	Bio         string `json:"bio"` // plain text
	AvatarURL   string `json:"avatarUrl"`
	ProfileURL  string `json:"profileUrl"`
	// Public counts, absent (nil) where the network does not give them in
	// a search result.
	Followers *int64 `json:"followers,omitempty"`
	Following *int64 `json:"following,omitempty"`
	Posts     *int64 `json:"posts,omitempty"`
}

// AccountSearcher finds public accounts by name or handle. Typeahead is
// the cheap form for autocompletion (Bluesky searchActorsTypeahead; on
// Mastodon the same search without resolving remote accounts).
type AccountSearcher interface {
	SearchAccounts(ctx context.Context, instance string, cred Credential, query string, typeahead bool, limit int) ([]Profile, error)
}

// PublicReader reads any public account the way MetricsReader reads the
// channel's own: its profile with public counts, and its posts with
// theirs (a watchlist of competitors and partners). The posts' counts are
// then read with ReadPostMetrics like the channel's own. remoteID is the
// account's id as a search returns it (Profile.RemoteID).
type PublicReader interface {
	ReadPublicProfile(ctx context.Context, instance string, cred Credential, remoteID string) (Profile, error)
	ListAccountPosts(ctx context.Context, instance string, cred Credential, remoteID string, since time.Time, cursor string) (OwnPostsPage, error)
}
