package mastodon_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/mastodon"
	"herald/backend/network/mastodon/mastodontest"
	"herald/backend/network/networktest"
)

func newMetricsClient(t *testing.T) (*mastodontest.Server, *mastodon.Client, network.Credential) {
	t.Helper()
	fake := mastodontest.NewServer(t)
	return fake, mastodon.New(mastodon.Options{HTTP: fake.Client()}), fake.Credential(fake.Account().ID, "")
}

// The catalogue offers quotes (Mastodon 4.5); a server that sends no
// quotes_count gives no quotes at all, never a 0, while the other counts
// are read as usual.
func TestQuotesAbsentWhereTheServerDoesNotCountThem(t *testing.T) {
	fake, c, cred := newMetricsClient(t)
	var listed bool
	for _, m := range c.MetricCatalogue().Metrics {
		listed = listed || m.Scope == network.ScopePost && m.Key == network.MetricQuotes && m.Label == "Quotes"
	}
	if !listed {
		t.Fatal("the catalogue lists no post metric quotes")
	}
	fake.WithoutQuotesCount(true)
	id := fake.OwnPostAt(t, "quoted", time.Now(), false)
	fake.Engage(t, id, networktest.Engagement{Likes: 2, Shares: 1, Replies: 1, Quotes: 1})
	got, err := c.ReadPostMetrics(context.Background(), fake.Instance(), cred, []string{id})
	if err != nil {
		t.Fatal(err)
	}
	want := network.MetricValues{network.MetricLikes: 2, network.MetricShares: 1, network.MetricReplies: 1}
	if len(got) != 1 || !mapsEqual(got[0].Metrics, want) {
		t.Errorf("ReadPostMetrics = %+v, want %v and no quotes", got, want)
	}
	page, err := c.ListOwnPosts(context.Background(), fake.Instance(), cred, time.Now().Add(-time.Hour), "")
	if err != nil || len(page.Posts) != 1 {
		t.Fatalf("ListOwnPosts = %+v, %v", page, err)
	}
	if !mapsEqual(page.Posts[0].Metrics, want) {
		t.Errorf("listed metrics = %v, want %v and no quotes", page.Posts[0].Metrics, want)
	}
}

// A batch answer that leaves a status out makes it Deleted; a repeated id
// is answered once, an id no status can have is Deleted without a
// request, and a count below zero reads as 0.
func TestReadPostMetricsBatchAnswerMissingAnID(t *testing.T) {
	fake, c, cred := newMetricsClient(t)
	a := fake.OwnPostAt(t, "kept", time.Now(), false)
	b := fake.OwnPostAt(t, "left out", time.Now(), false)
	var asked []string
	fake.Handle("GET /api/v1/statuses", func(w http.ResponseWriter, r *http.Request) {
		asked = r.URL.Query()["id[]"]
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[{"id":"` + a + `","created_at":"2026-01-01T00:00:00.000Z","content":"<p>kept</p>",` +
			`"replies_count":0,"reblogs_count":-1,"favourites_count":4}]`))
	})
	got, err := c.ReadPostMetrics(context.Background(), fake.Instance(), cred, []string{a, b, a, "../x"})
	if err != nil {
		t.Fatal(err)
	}
	want := []network.PostMetrics{
		{RemoteID: a, Metrics: network.MetricValues{network.MetricReplies: 0, network.MetricShares: 0, network.MetricLikes: 4}},
		{RemoteID: b, Deleted: true},
		{RemoteID: "../x", Deleted: true},
	}
	if len(got) != len(want) {
		t.Fatalf("ReadPostMetrics = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].RemoteID != want[i].RemoteID || got[i].Deleted != want[i].Deleted || !mapsEqual(got[i].Metrics, want[i].Metrics) {
			t.Errorf("answer %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if !slices.Equal(asked, []string{a, b}) {
		t.Errorf("asked for %q, want each real id once", asked)
	}
}

// Where the server has no multiple-statuses endpoint (GoToSocial, Mastodon
// before 4.3) each status is read on its own and a 404 is Deleted; a
// failed read fails the whole call.
func TestReadPostMetricsOneByOne(t *testing.T) {
	fake, c, cred := newMetricsClient(t)
	fake.WithoutMultipleStatuses()
	a := fake.OwnPostAt(t, "here", time.Now(), false)
	b := fake.OwnPostAt(t, "gone", time.Now(), false)
	fake.Engage(t, a, networktest.Engagement{Likes: 1})
	fake.Delete(t, b)
	got, err := c.ReadPostMetrics(context.Background(), fake.Instance(), cred, []string{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Deleted || got[0].Metrics[network.MetricLikes] != 1 || !got[1].Deleted {
		t.Errorf("ReadPostMetrics = %+v", got)
	}
	if fake.Calls("/api/v1/statuses/"+a) != 1 || fake.Calls("/api/v1/statuses/"+b) != 1 {
		t.Errorf("single reads: %d and %d, want one each", fake.Calls("/api/v1/statuses/"+a), fake.Calls("/api/v1/statuses/"+b))
	}
	fake.Inject(networktest.FaultServerError)
	got, err = c.ReadPostMetrics(context.Background(), fake.Instance(), cred, []string{a, b})
	if err == nil || got != nil {
		t.Errorf("ReadPostMetrics on a failing server = %+v, %v; want only the error", got, err)
	}
}

// Listing stops at the first status older than since, several pages in,
// without asking for the page after; boosts are never listed, even from a
// server that ignores exclude_reblogs.
func TestListOwnPostsStopsAtSinceAcrossPages(t *testing.T) {
	fake, c, cred := newMetricsClient(t)
	fake.SetPageLimit(2)
	fake.IgnoreExcludeReblogs(true)
	now := time.Now()
	fake.OwnPostAt(t, "older still", now.Add(-50*24*time.Hour), false)
	old := fake.OwnPostAt(t, "old", now.Add(-40*24*time.Hour), false)
	var want []string
	for i := range 5 {
		want = append(want, fake.OwnPostAt(t, "recent", now.Add(-time.Duration(10-i)*24*time.Hour), i == 1))
		if i == 2 {
			fake.RepostOther(t, "not the channel's")
		}
	}
	slices.Reverse(want)
	since := now.Add(-30 * 24 * time.Hour)
	var got []network.OwnPost
	cursor, pages := "", 0
	for {
		pages++
		p, err := c.ListOwnPosts(context.Background(), fake.Instance(), cred, since, cursor)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p.Posts...)
		if !p.More {
			break
		}
		if p.Cursor == "" || pages > 10 {
			t.Fatalf("page %d: More with cursor %q", pages, p.Cursor)
		}
		cursor = p.Cursor
	}
	var ids []string
	for _, p := range got {
		ids = append(ids, p.RemoteID)
		if p.RemoteID == old {
			t.Error("a status from before since is listed")
		}
		if strings.Contains(p.Text, "not the channel's") || p.Text == "" {
			t.Errorf("listed %+v", p)
		}
		if p.Reply != (p.RemoteID == want[3]) {
			t.Errorf("%s Reply = %v", p.RemoteID, p.Reply)
		}
		if p.Metrics == nil || p.URL == "" {
			t.Errorf("%s lacks its metrics or URL: %+v", p.RemoteID, p)
		}
	}
	if !slices.Equal(ids, want) {
		t.Errorf("listed %q, want %q, newest first", ids, want)
	}
	// 5 posts, the boost and the old one at 2 a page: the 4th page holds
	// the old one and ends the listing; the 5th is never asked for.
	if n := fake.Calls("/api/v1/accounts/" + fake.Account().ID + "/statuses"); n != 4 || pages != 4 {
		t.Errorf("%d pages read with %d requests, want 4", pages, n)
	}
}

// A server that ignores max_id answers the same page again: the listing
// ends rather than going round.
func TestListOwnPostsEndsWhereMaxIDIsIgnored(t *testing.T) {
	fake, c, cred := newMetricsClient(t)
	a := fake.OwnPostAt(t, "one", time.Now(), false)
	fake.Handle("GET /api/v1/accounts/{id}/statuses", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[{"id":"` + a + `","created_at":"2026-01-01T00:00:00.000Z","content":"<p>one</p>","reblog":null}]`))
	})
	since := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	first, err := c.ListOwnPosts(context.Background(), fake.Instance(), cred, since, "")
	if err != nil || len(first.Posts) != 1 || !first.More || first.Cursor != a {
		t.Fatalf("first page = %+v, %v", first, err)
	}
	again, err := c.ListOwnPosts(context.Background(), fake.Instance(), cred, since, first.Cursor)
	if err != nil || len(again.Posts) != 0 || again.More {
		t.Errorf("the same page again = %+v, %v; want nothing more", again, err)
	}
}

// A search maps local and remote accounts to the full @user@domain
// handle, with their counts and bio as text; typeahead does not resolve,
// and the limit is kept to Mastodon's maximum.
func TestSearchAccounts(t *testing.T) {
	fake, c, cred := newMetricsClient(t)
	local := fake.AddAccount(mastodontest.Account{Username: "carol", DisplayName: "Carol Local", Note: "Bakes <bread> & cakes"})
	remote := fake.AddAccount(mastodontest.Account{Username: "carol", Domain: "elsewhere.example", DisplayName: ""})
	fake.OwnPostAt(t, "counted", time.Now(), false)
	ctx := context.Background()

	got, err := c.SearchAccounts(ctx, fake.Instance(), cred, "  carol ", false, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("SearchAccounts = %+v, want carol twice", got)
	}
	host := strings.TrimPrefix(fake.Instance(), "http://")
	l, r := got[0], got[1]
	if l.RemoteID != local.ID || l.Handle != "@carol@"+host || l.Mention != l.Handle || l.DisplayName != "Carol Local" ||
		l.Bio != "Bakes <bread> & cakes" || l.ProfileURL != local.URL || l.AvatarURL == "" {
		t.Errorf("local account = %+v", l)
	}
	if r.RemoteID != remote.ID || r.Handle != "@carol@elsewhere.example" || r.Mention != r.Handle || r.DisplayName != "carol" ||
		r.ProfileURL != "https://elsewhere.example/@carol" {
		t.Errorf("remote account = %+v", r)
	}
	if l.Followers == nil || l.Following == nil || l.Posts == nil || *l.Followers != 0 || *l.Posts != 0 {
		t.Errorf("local counts = %v %v %v", l.Followers, l.Following, l.Posts)
	}

	me, err := c.SearchAccounts(ctx, fake.Instance(), cred, "@alice", true, 5)
	if err != nil || len(me) != 1 || me[0].Posts == nil || *me[0].Posts != 1 {
		t.Errorf("typeahead search for the channel = %+v, %v", me, err)
	}

	searches := fake.Searches()
	if len(searches) != 2 {
		t.Fatalf("%d searches, want 2", len(searches))
	}
	if s := searches[0]; s.Get("q") != "carol" || s.Get("type") != "accounts" || s.Get("resolve") != "true" || s.Get("limit") != "40" {
		t.Errorf("full search sent %v", s)
	}
	if s := searches[1]; s.Get("resolve") != "false" || s.Get("limit") != "5" {
		t.Errorf("typeahead sent %v", s)
	}

	_, err = c.SearchAccounts(ctx, fake.Instance(), cred, " \t", true, 5)
	if network.ClassOf(err) != network.ClassInvalidInput {
		t.Errorf("an empty search = %v (class %s), want invalid_input", err, network.ClassOf(err))
	}
	if len(fake.Searches()) != 2 {
		t.Error("an empty search reached the server")
	}
}

func mapsEqual(a, b network.MetricValues) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
