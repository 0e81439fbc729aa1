package networktest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"herald/backend/network"
)

// Engagement is what other accounts do to one of the channel's posts.
type Engagement struct {
	Likes, Shares, Replies, Quotes int
}

// MetricsFake is a Fake whose channel has posts that other accounts the
// fake plays like, share, answer and quote, and that other accounts
// follow.
type MetricsFake interface {
	Fake
	// OwnPostAt publishes a post as the channel dated at (the fake stores
	// it as if written then) and returns its RemoteID. Reply makes it an
	// answer to another account's post.
	OwnPostAt(t testing.TB, text string, at time.Time, reply bool) string
	// RepostOther makes the channel repost (boost) another account's post:
	// something on the channel's timeline that is not its own post.
	RepostOther(t testing.TB, text string)
	// Engage makes other accounts act on the channel's post; each call adds
	// to what earlier calls did.
	Engage(t testing.TB, remoteID string, e Engagement)
	// Unlike takes one like (favourite) of the post back: its count goes
	// down.
	Unlike(t testing.TB, remoteID string)
	// Follow makes n other accounts follow the channel.
	Follow(t testing.TB, n int)
	// Delete removes the post on the network.
	Delete(t testing.TB, remoteID string)
	// SetPageLimit caps the entries per page of the channel's posts, as a
	// server with a lower maximum would; 0 restores the documented one.
	SetPageLimit(n int)
}

// MetricsOptions configure RunMetrics.
type MetricsOptions struct {
	New  func(client *http.Client) network.Network
	Fake MetricsFake
}

// RunMetrics is the metrics conformance suite.
func RunMetrics(t *testing.T, o MetricsOptions) {
	t.Helper()
	n := o.New(&http.Client{Timeout: 10 * time.Second})
	reader, ok := n.(network.MetricsReader)
	if !ok {
		t.Fatal("the network does not implement network.MetricsReader")
	}
	d := n.Descriptor()
	if !d.Has(network.CapPostMetrics) || !d.Has(network.CapChannelMetrics) {
		t.Error("MetricsReader implemented but CapPostMetrics and CapChannelMetrics not both declared")
	}
	ctx := context.Background()
	inst := o.Fake.Instance()
	cat := reader.MetricCatalogue()
	provided := map[network.MetricScope]map[string]network.MetricDef{network.ScopeChannel: {}, network.ScopePost: {}}
	for _, m := range cat.Metrics {
		provided[m.Scope][m.Key] = m
	}
	reset := func() {
		o.Fake.Inject(FaultNone)
		o.Fake.SetPageLimit(0)
	}
	connect := func(t *testing.T) network.Credential {
		t.Helper()
		reset()
		t.Cleanup(reset)
		cred, err := Connect(t, n, o.Fake)
		if err != nil {
			t.Fatal(err)
		}
		return cred
	}
	key := func(t *testing.T) string { return strings.ReplaceAll(t.Name(), "/", "-") }
	// values checks a reading against the catalogue: only listed keys,
	// never negative.
	values := func(t *testing.T, what string, scope network.MetricScope, v network.MetricValues) {
		t.Helper()
		for k, x := range v {
			if _, ok := provided[scope][k]; !ok {
				t.Errorf("%s has %q, which the catalogue does not list for %s", what, k, scope)
			}
			if x < 0 {
				t.Errorf("%s: %s = %d", what, k, x)
			}
		}
	}
	readPosts := func(t *testing.T, cred network.Credential, ids ...string) map[string]network.PostMetrics {
		t.Helper()
		got, err := reader.ReadPostMetrics(ctx, inst, cred, ids)
		if err != nil {
			t.Fatalf("ReadPostMetrics: %v", err)
		}
		out := map[string]network.PostMetrics{}
		for _, p := range got {
			if _, dup := out[p.RemoteID]; dup {
				t.Errorf("ReadPostMetrics returned %s twice", p.RemoteID)
			}
			out[p.RemoteID] = p
			if !p.Deleted {
				values(t, p.RemoteID, network.ScopePost, p.Metrics)
			}
		}
		for _, id := range ids {
			if _, ok := out[id]; !ok {
				t.Errorf("ReadPostMetrics left %s out of its answer", id)
			}
		}
		return out
	}

	t.Run("the catalogue describes every metric once", func(t *testing.T) {
		if len(provided[network.ScopeChannel]) == 0 || len(provided[network.ScopePost]) == 0 {
			t.Fatalf("catalogue %+v lacks channel or post metrics", cat)
		}
		seen := map[string]bool{}
		for _, m := range cat.Metrics {
			id := string(m.Scope) + "/" + m.Key
			if seen[id] {
				t.Errorf("%s listed twice", id)
			}
			seen[id] = true
			if m.Key == "" || m.Label == "" || m.Unit == "" {
				t.Errorf("%+v lacks a key, label or unit", m)
			}
			if !m.Lifetime && m.Period == "" {
				t.Errorf("%s is per period but names no period", id)
			}
		}
		for _, k := range []string{network.MetricFollowers, network.MetricFollowing, network.MetricPosts} {
			if _, ok := provided[network.ScopeChannel][k]; !ok {
				t.Errorf("the catalogue has no channel metric %q", k)
			}
		}
		if reader.MetricsBatch() < 1 {
			t.Errorf("MetricsBatch = %d", reader.MetricsBatch())
		}
	})

	t.Run("channel metrics count followers and posts exactly", func(t *testing.T) {
		cred := connect(t)
		before, err := reader.ReadChannelMetrics(ctx, inst, cred)
		if err != nil {
			t.Fatalf("ReadChannelMetrics: %v", err)
		}
		values(t, "the channel", network.ScopeChannel, before)
		for _, k := range []string{network.MetricFollowers, network.MetricFollowing, network.MetricPosts} {
			if _, ok := before[k]; !ok {
				t.Errorf("the channel's reading lacks %s: %v", k, before)
			}
		}
		o.Fake.Follow(t, 3)
		o.Fake.OwnPostAt(t, "counted "+key(t), time.Now(), false)
		after, err := reader.ReadChannelMetrics(ctx, inst, cred)
		if err != nil {
			t.Fatalf("ReadChannelMetrics: %v", err)
		}
		if got := after[network.MetricFollowers] - before[network.MetricFollowers]; got != 3 {
			t.Errorf("followers went from %d to %d after 3 follows", before[network.MetricFollowers], after[network.MetricFollowers])
		}
		if got := after[network.MetricPosts] - before[network.MetricPosts]; got != 1 {
			t.Errorf("posts went from %d to %d after one post", before[network.MetricPosts], after[network.MetricPosts])
		}
	})

	t.Run("post metrics are exactly what others did, absent where not provided", func(t *testing.T) {
		cred := connect(t)
		a := o.Fake.OwnPostAt(t, "engaged "+key(t), time.Now(), false)
		b := o.Fake.OwnPostAt(t, "quiet "+key(t), time.Now(), false)
		o.Fake.Engage(t, a, Engagement{Likes: 3, Shares: 2, Replies: 1, Quotes: 1})
		got := readPosts(t, cred, a, b)
		want := map[string]int64{network.MetricLikes: 3, network.MetricShares: 2, network.MetricReplies: 1, network.MetricQuotes: 1}
		for k, w := range want {
			if _, listed := provided[network.ScopePost][k]; !listed {
				if _, ok := got[a].Metrics[k]; ok {
					t.Errorf("%s is not in the catalogue but was read", k)
				}
				continue
			}
			if v, ok := got[a].Metrics[k]; !ok || v != w {
				t.Errorf("%s of the engaged post = %d (present %v), want %d", k, v, ok, w)
			}
			if v, ok := got[b].Metrics[k]; !ok || v != 0 {
				t.Errorf("%s of the quiet post = %d (present %v), want a zero that is there", k, v, ok)
			}
		}
		if got[a].Deleted || got[b].Deleted {
			t.Error("a post that exists was read as deleted")
		}
	})

	t.Run("a count going down is read as it is", func(t *testing.T) {
		cred := connect(t)
		a := o.Fake.OwnPostAt(t, "unliked "+key(t), time.Now(), false)
		o.Fake.Engage(t, a, Engagement{Likes: 2})
		o.Fake.Unlike(t, a)
		if v := readPosts(t, cred, a)[a].Metrics[network.MetricLikes]; v != 1 {
			t.Errorf("likes after 2 likes and one taken back = %d, want 1", v)
		}
	})

	t.Run("a full batch with a deleted and an unknown post answers each", func(t *testing.T) {
		cred := connect(t)
		batch := reader.MetricsBatch()
		var ids []string
		for i := range batch - 1 {
			ids = append(ids, o.Fake.OwnPostAt(t, fmt.Sprintf("batch %d %s", i, key(t)), time.Now(), false))
		}
		gone := ids[len(ids)/2]
		o.Fake.Delete(t, gone)
		o.Fake.Engage(t, ids[0], Engagement{Likes: 1})
		unknown := o.Fake.OwnPostAt(t, "to be deleted "+key(t), time.Now(), false)
		o.Fake.Delete(t, unknown)
		ids = append(ids, unknown)
		got := readPosts(t, cred, ids...)
		for _, id := range ids {
			deleted := id == gone || id == unknown
			if got[id].Deleted != deleted {
				t.Errorf("%s Deleted = %v, want %v", id, got[id].Deleted, deleted)
			}
		}
		if v := got[ids[0]].Metrics[network.MetricLikes]; v != 1 {
			t.Errorf("likes of the first post in the batch = %d, want 1", v)
		}
	})

	t.Run("own posts page back to since, without reposts, replies marked", func(t *testing.T) {
		cred := connect(t)
		o.Fake.SetPageLimit(3)
		now := time.Now()
		old := o.Fake.OwnPostAt(t, "too old "+key(t), now.Add(-100*24*time.Hour), false)
		want := map[string]bool{}
		var reply string
		for i := range 8 {
			id := o.Fake.OwnPostAt(t, fmt.Sprintf("own %d %s", i, key(t)), now.Add(-time.Duration(8-i)*24*time.Hour), i == 4)
			want[id] = true
			if i == 4 {
				reply = id
			}
			if i == 2 {
				o.Fake.RepostOther(t, "someone else's "+key(t))
			}
		}
		since := now.Add(-90 * 24 * time.Hour)
		seen := map[string]bool{}
		cursor := ""
		var last time.Time
		for i := 0; ; i++ {
			if i == 50 {
				t.Fatal("ListOwnPosts still has More after 50 pages")
			}
			p, err := reader.ListOwnPosts(ctx, inst, cred, since, cursor)
			if err != nil {
				t.Fatalf("ListOwnPosts: %v", err)
			}
			for _, op := range p.Posts {
				if seen[op.RemoteID] {
					t.Errorf("%s listed twice", op.RemoteID)
				}
				seen[op.RemoteID] = true
				if !last.IsZero() && op.CreatedAt.After(last.Add(time.Second)) {
					t.Errorf("%s (%s) comes after an older post: not newest first", op.RemoteID, op.CreatedAt)
				}
				last = op.CreatedAt
				if strings.Contains(op.Text, "someone else's") {
					t.Errorf("a repost of another account's post is listed as the channel's: %+v", op)
				}
				if op.RemoteID == old {
					t.Errorf("a post from before since is listed")
				}
				if want[op.RemoteID] {
					if op.Reply != (op.RemoteID == reply) {
						t.Errorf("%s Reply = %v", op.RemoteID, op.Reply)
					}
					if op.URL == "" || op.CreatedAt.IsZero() || !strings.Contains(op.Text, key(t)) {
						t.Errorf("listed post lacks its URL, date or text: %+v", op)
					}
					values(t, op.RemoteID, network.ScopePost, op.Metrics)
				}
			}
			if !p.More {
				break
			}
			cursor = p.Cursor
		}
		for id := range want {
			if !seen[id] {
				t.Errorf("own post %s was not listed", id)
			}
		}
	})

	t.Run("a rate limit and a revoked sign-in are classified", func(t *testing.T) {
		cred := connect(t)
		a := o.Fake.OwnPostAt(t, "limited "+key(t), time.Now(), false)
		o.Fake.Inject(FaultRateLimited)
		_, err := reader.ReadPostMetrics(ctx, inst, cred, []string{a})
		if network.ClassOf(err) != network.ClassRateLimited {
			t.Errorf("ReadPostMetrics under a rate limit = %v (class %s), want rate_limited", err, network.ClassOf(err))
		}
		_, err = reader.ReadChannelMetrics(ctx, inst, cred)
		if network.ClassOf(err) != network.ClassRateLimited {
			t.Errorf("ReadChannelMetrics under a rate limit = %v (class %s), want rate_limited", err, network.ClassOf(err))
		}
		o.Fake.Inject(FaultNone)
		o.Fake.RevokeAll()
		_, err = reader.ReadChannelMetrics(ctx, inst, cred)
		if network.ClassOf(err) != network.ClassAuthDead {
			t.Errorf("ReadChannelMetrics with a revoked sign-in = %v (class %s), want auth_dead", err, network.ClassOf(err))
		}
	})
}
