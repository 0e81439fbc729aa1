package bluesky_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/bluesky/blueskytest"
	"herald/backend/network/networktest"
)

const (
	nsidAuthorFeed = "app.bsky.feed.getAuthorFeed"
	nsidGetPosts   = "app.bsky.feed.getPosts"
)

// feedPost is a postView as the AppView sends it, by author did, with the
// given counts only.
func feedPost(did, rkey, text string, created time.Time, reply bool, counts map[string]int) map[string]any {
	handle := blueskytest.Handle
	if did != blueskytest.DID {
		handle = blueskytest.OtherHandle
	}
	uri := "at://" + did + "/app.bsky.feed.post/" + rkey
	rec := map[string]any{"$type": "app.bsky.feed.post", "text": text, "createdAt": created.UTC().Format("2006-01-02T15:04:05.000Z")}
	if reply {
		ref := map[string]string{"uri": "at://" + blueskytest.OtherDID + "/app.bsky.feed.post/3lparentparent", "cid": "bafyreiparent"}
		rec["reply"] = map[string]any{"root": ref, "parent": ref}
	}
	p := map[string]any{"uri": uri, "cid": "bafyrei" + rkey, "author": map[string]any{"did": did, "handle": handle},
		"record": rec, "indexedAt": created.UTC().Format("2006-01-02T15:04:05.000Z")}
	for k, v := range counts {
		p[k] = v
	}
	return p
}

func ownURI(rkey string) string { return "at://" + blueskytest.DID + "/app.bsky.feed.post/" + rkey }

var allCounts = map[string]int{"likeCount": 4, "repostCount": 3, "replyCount": 2, "quoteCount": 1, "bookmarkCount": 5}

// The author feed holds the account's reposts (of its own posts and of
// others') and, asked for them, its pinned post once more at the top:
// none of them is a post of its own to list, and an old pinned post does
// not end the listing.
func TestListOwnPostsLeavesOutRepostsAndPins(t *testing.T) {
	p := newPublisher(t)
	now := time.Now().UTC()
	since := now.Add(-30 * 24 * time.Hour)
	newest := feedPost(blueskytest.DID, "3lnewest", "newest", now.Add(-time.Hour), false,
		map[string]int{"likeCount": 1, "repostCount": 0, "replyCount": 0})
	reply := feedPost(blueskytest.DID, "3lreply", "my answer", now.Add(-2*time.Hour), true, allCounts)
	old := feedPost(blueskytest.DID, "3lold", "before since", now.Add(-40*24*time.Hour), false, allCounts)
	feed := []any{
		map[string]any{"post": feedPost(blueskytest.DID, "3lpinned", "pinned long ago", now.Add(-400*24*time.Hour), false, allCounts),
			"reason": map[string]any{"$type": "app.bsky.feed.defs#reasonPin"}},
		// The account reposting its own old post just now.
		map[string]any{"post": old, "reason": map[string]any{"$type": "app.bsky.feed.defs#reasonRepost",
			"by": map[string]any{"did": blueskytest.DID, "handle": blueskytest.Handle}, "indexedAt": now.Format(time.RFC3339)}},
		map[string]any{"post": newest},
		map[string]any{"post": reply, "reply": map[string]any{}},
		map[string]any{"post": feedPost(blueskytest.OtherDID, "3lother", "someone else's", now.Add(-3*time.Hour), false, allCounts),
			"reason": map[string]any{"$type": "app.bsky.feed.defs#reasonRepost",
				"by": map[string]any{"did": blueskytest.DID, "handle": blueskytest.Handle}, "indexedAt": now.Format(time.RFC3339)}},
		map[string]any{"post": feedPost(blueskytest.OtherDID, "3lstray", "not the account's", now.Add(-4*time.Hour), false, allCounts)},
		map[string]any{"post": old},
		map[string]any{"post": feedPost(blueskytest.DID, "3lolder", "long before since", now.Add(-50*24*time.Hour), false, allCounts)},
	}
	var query map[string][]string
	p.s.Handle(nsidAuthorFeed, http.MethodGet, func(w http.ResponseWriter, r *http.Request, _ string) {
		query = r.URL.Query()
		blueskytest.WriteJSON(w, http.StatusOK, map[string]any{"feed": feed, "cursor": "next"})
	})
	got, err := p.c.ListOwnPosts(context.Background(), "", p.cred, since, "from-here")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"actor": {blueskytest.DID}, "filter": {"posts_with_replies"}, "limit": {"100"}, "cursor": {"from-here"}}
	if !maps.EqualFunc(query, want, func(a, b []string) bool { return fmt.Sprint(a) == fmt.Sprint(b) }) {
		t.Errorf("getAuthorFeed asked with %v, want %v", query, want)
	}
	if got.More || got.Cursor != "" {
		t.Errorf("a page that reached a post before since has More %v, cursor %q", got.More, got.Cursor)
	}
	if len(got.Posts) != 2 {
		t.Fatalf("listed %+v, want the newest post and the reply only", got.Posts)
	}
	first, second := got.Posts[0], got.Posts[1]
	if first.RemoteID != ownURI("3lnewest") || first.Reply || first.Text != "newest" ||
		first.URL != "https://bsky.app/profile/"+blueskytest.Handle+"/post/3lnewest" ||
		!first.CreatedAt.Equal(now.Add(-time.Hour).Truncate(time.Millisecond)) {
		t.Errorf("first = %+v", first)
	}
	// Counts the AppView left out are absent, never 0.
	if !maps.Equal(first.Metrics, network.MetricValues{network.MetricLikes: 1, network.MetricShares: 0, network.MetricReplies: 0}) {
		t.Errorf("first's metrics = %v", first.Metrics)
	}
	if second.RemoteID != ownURI("3lreply") || !second.Reply {
		t.Errorf("second = %+v, want the reply marked as one", second)
	}
	if !maps.Equal(second.Metrics, network.MetricValues{network.MetricLikes: 4, network.MetricShares: 3, network.MetricReplies: 2,
		network.MetricQuotes: 1, network.MetricBookmarks: 5}) {
		t.Errorf("second's metrics = %v", second.Metrics)
	}
}

// A page that did not reach since continues with the AppView's cursor; a
// page without one is the last.
func TestListOwnPostsCursor(t *testing.T) {
	p := newPublisher(t)
	now := time.Now().UTC()
	cursor := "next"
	p.s.Handle(nsidAuthorFeed, http.MethodGet, func(w http.ResponseWriter, _ *http.Request, _ string) {
		out := map[string]any{"feed": []any{map[string]any{"post": feedPost(blueskytest.DID, "3lone", "one", now, false, allCounts)}}}
		if cursor != "" {
			out["cursor"] = cursor
		}
		blueskytest.WriteJSON(w, http.StatusOK, out)
	})
	got, err := p.c.ListOwnPosts(context.Background(), "", p.cred, now.Add(-time.Hour), "")
	if err != nil || !got.More || got.Cursor != "next" || len(got.Posts) != 1 {
		t.Fatalf("ListOwnPosts = %+v, %v; want one post, More and the cursor", got, err)
	}
	cursor = ""
	if got, err = p.c.ListOwnPosts(context.Background(), "", p.cred, now.Add(-time.Hour), "next"); err != nil || got.More {
		t.Fatalf("ListOwnPosts without a cursor in the answer = %+v, %v; want the last page", got, err)
	}
}

// Against the fake's feed: another account's post the account reposted
// is not listed, the pinned post only once, in its place, with the
// counts of what others did.
func TestListOwnPostsAgainstTheFake(t *testing.T) {
	p := newPublisher(t)
	now := time.Now()
	a := p.s.OwnPostAt(t, "a", now.Add(-2*time.Hour), false)
	b := p.s.OwnPostAt(t, "b", now.Add(-time.Hour), true)
	p.s.RepostOther(t, "theirs")
	p.s.Pin(a)
	p.s.Engage(t, a, networktest.Engagement{Likes: 2, Shares: 1, Replies: 1, Quotes: 1})
	p.s.Bookmark(a, 3)
	got, err := p.c.ListOwnPosts(context.Background(), "", p.cred, now.Add(-24*time.Hour), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Posts) != 2 || got.Posts[0].RemoteID != b || got.Posts[1].RemoteID != a || !got.Posts[0].Reply || got.Posts[1].Reply {
		t.Fatalf("listed %+v, want b (a reply) then a", got.Posts)
	}
	want := network.MetricValues{network.MetricLikes: 2, network.MetricShares: 1, network.MetricReplies: 1,
		network.MetricQuotes: 1, network.MetricBookmarks: 3}
	if !maps.Equal(got.Posts[1].Metrics, want) {
		t.Errorf("a's metrics = %v, want %v", got.Posts[1].Metrics, want)
	}
}

// getPosts takes 25 uris: more are read in several calls, each id is
// answered once, a post left out of the answer (or an id no post can
// have) is deleted, and a count the AppView did not send stays absent.
func TestReadPostMetricsBatchesAndAbsentCounts(t *testing.T) {
	p := newPublisher(t)
	var sizes []int
	p.s.Handle(nsidGetPosts, http.MethodGet, func(w http.ResponseWriter, r *http.Request, _ string) {
		uris := r.URL.Query()["uris"]
		sizes = append(sizes, len(uris))
		var posts []any
		for _, u := range uris {
			if u == ownURI("3lgone") {
				continue
			}
			counts := allCounts
			if u == ownURI("3lsparse") {
				counts = map[string]int{"likeCount": 0, "replyCount": 7}
			}
			posts = append(posts, feedPost(blueskytest.DID, u[len(ownURI("")):], "x", time.Now(), false, counts))
		}
		blueskytest.WriteJSON(w, http.StatusOK, map[string]any{"posts": posts})
	})
	ids := []string{ownURI("3lsparse"), ownURI("3lgone"), "not-a-uri", ownURI("3lsparse")}
	for i := range 27 {
		ids = append(ids, ownURI(fmt.Sprintf("3lbatch%02d", i)))
	}
	got, err := p.c.ReadPostMetrics(context.Background(), "", p.cred, ids)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sizes) != "[25 4]" {
		t.Errorf("getPosts called with %v uris, want [25 4]", sizes)
	}
	if len(got) != len(ids)-1 {
		t.Fatalf("%d answers for %d distinct ids", len(got), len(ids)-1)
	}
	byID := map[string]network.PostMetrics{}
	for _, m := range got {
		byID[m.RemoteID] = m
	}
	if m := byID[ownURI("3lsparse")]; m.Deleted || !maps.Equal(m.Metrics, network.MetricValues{network.MetricLikes: 0, network.MetricReplies: 7}) {
		t.Errorf("sparse post = %+v: counts not sent must stay absent", m)
	}
	if !byID[ownURI("3lgone")].Deleted || !byID["not-a-uri"].Deleted {
		t.Errorf("a post left out or an id no post can have is not Deleted: %+v %+v", byID[ownURI("3lgone")], byID["not-a-uri"])
	}
	if m := byID[ownURI("3lbatch26")]; m.Deleted || m.Metrics[network.MetricBookmarks] != 5 {
		t.Errorf("the last post of the second call = %+v", m)
	}
}

// A failed call fails the whole read: nothing is reported deleted.
func TestReadPostMetricsFailureReportsNothing(t *testing.T) {
	p := newPublisher(t)
	id := p.s.OwnPostAt(t, "x", time.Now(), false)
	p.s.Inject(networktest.FaultServerError)
	got, err := p.c.ReadPostMetrics(context.Background(), "", p.cred, []string{id})
	if network.ClassOf(err) != network.ClassTransient || got != nil {
		t.Fatalf("ReadPostMetrics = %+v, %v; want nothing and a transient error", got, err)
	}
}

// The profile's counts, and only those the AppView sent.
func TestReadChannelMetrics(t *testing.T) {
	p := newPublisher(t)
	p.s.Follow(t, 5)
	p.s.OwnPostAt(t, "one", time.Now(), false)
	got, err := p.c.ReadChannelMetrics(context.Background(), "", p.cred)
	if err != nil {
		t.Fatal(err)
	}
	want := network.MetricValues{network.MetricFollowers: 17, network.MetricFollowing: 3, network.MetricPosts: 1}
	if !maps.Equal(got, want) {
		t.Errorf("ReadChannelMetrics = %v, want %v", got, want)
	}
	p.s.Handle("app.bsky.actor.getProfile", http.MethodGet, func(w http.ResponseWriter, _ *http.Request, _ string) {
		blueskytest.WriteJSON(w, http.StatusOK, map[string]any{"did": blueskytest.DID, "handle": blueskytest.Handle, "followersCount": 9})
	})
	if got, err = p.c.ReadChannelMetrics(context.Background(), "", p.cred); err != nil ||
		!maps.Equal(got, network.MetricValues{network.MetricFollowers: 9}) {
		t.Errorf("ReadChannelMetrics with only followersCount = %v, %v", got, err)
	}
}
