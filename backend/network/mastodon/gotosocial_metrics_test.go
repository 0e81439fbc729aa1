//go:build gotosocial

package mastodon_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/mastodon"
	"herald/test/gts"
)

// TestGoToSocialMetrics: the channel publishes a status that a second
// account favourites, boosts and answers, and the second account follows
// the channel; Herald reads the channel's counts, lists the status among
// its posts, reads its counts (one by one: GoToSocial has no multiple
// statuses endpoint, and no quotes_count) and finds the second account:
//
//	go test -tags gotosocial -count=1 -run TestGoToSocialMetrics ./backend/network/mastodon/
func TestGoToSocialMetrics(t *testing.T) {
	server := gts.Start(t)
	bobEmail, bobPassword := server.AddUser(t, "bob")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rec := &recorder{}
	c := mastodon.New(mastodon.Options{HTTP: &http.Client{Transport: rec, Timeout: 30 * time.Second}})
	inst := server.URL()
	_, aliceEmail, alicePassword := server.User()
	alice := server.Credential(ctx, t, aliceEmail, alicePassword)
	bob := server.Credential(ctx, t, bobEmail, bobPassword)
	api := func(t *testing.T, token, method, path string, form url.Values, out any) {
		t.Helper()
		if code := server.API(t, token, method, path, form, out); code != http.StatusOK {
			t.Fatalf("%s %s = %d", method, path, code)
		}
	}

	before, err := c.ReadChannelMetrics(ctx, inst, alice)
	if err != nil {
		t.Fatalf("ReadChannelMetrics: %v", err)
	}
	for _, k := range []string{network.MetricFollowers, network.MetricFollowing, network.MetricPosts} {
		if _, ok := before[k]; !ok {
			t.Errorf("the channel's reading lacks %s: %v", k, before)
		}
	}

	var own, gone, me struct{ ID string }
	api(t, alice.AccessToken, "POST", "/api/v1/statuses", url.Values{"status": {"Measured by Herald"}, "visibility": {"public"}}, &own)
	api(t, alice.AccessToken, "POST", "/api/v1/statuses", url.Values{"status": {"Soon gone"}, "visibility": {"public"}}, &gone)
	api(t, alice.AccessToken, "DELETE", "/api/v1/statuses/"+gone.ID, nil, nil)
	api(t, alice.AccessToken, "GET", "/api/v1/accounts/verify_credentials", nil, &me)
	api(t, bob.AccessToken, "POST", "/api/v1/statuses/"+own.ID+"/favourite", url.Values{}, nil)
	api(t, bob.AccessToken, "POST", "/api/v1/statuses/"+own.ID+"/reblog", url.Values{}, nil)
	api(t, bob.AccessToken, "POST", "/api/v1/statuses", url.Values{"status": {"@alice well said"}, "visibility": {"public"}, "in_reply_to_id": {own.ID}}, nil)
	var rel struct {
		ID        string `json:"id"`
		Requested bool   `json:"requested"`
	}
	api(t, bob.AccessToken, "POST", "/api/v1/accounts/"+me.ID+"/follow", url.Values{}, &rel)
	if rel.Requested {
		// A locked account: the channel accepts.
		var bobAccount struct{ ID string }
		api(t, bob.AccessToken, "GET", "/api/v1/accounts/verify_credentials", nil, &bobAccount)
		api(t, alice.AccessToken, "POST", "/api/v1/follow_requests/"+bobAccount.ID+"/authorize", url.Values{}, nil)
	}

	// GoToSocial counts in the background: read until the counts are
	// there, as later readings would.
	want := network.MetricValues{network.MetricLikes: 1, network.MetricShares: 1, network.MetricReplies: 1}
	var got []network.PostMetrics
	for ctx.Err() == nil {
		got, err = c.ReadPostMetrics(ctx, inst, alice, []string{own.ID, gone.ID})
		if err != nil {
			t.Fatalf("ReadPostMetrics: %v", err)
		}
		if len(got) == 2 && mapsEqual(got[0].Metrics, want) && got[1].Deleted {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	if len(got) != 2 || got[0].RemoteID != own.ID || got[0].Deleted || !mapsEqual(got[0].Metrics, want) ||
		got[1].RemoteID != gone.ID || !got[1].Deleted {
		t.Errorf("ReadPostMetrics = %+v, want %v for the post (no quotes) and the deleted one Deleted", got, want)
	}
	t.Logf("the multiple-statuses endpoint: %v", rec.calls("GET /api/v1/statuses "))

	// GoToSocial keeps an account's counts in the background too, and its
	// post count may lag well behind (or stay off after a deletion): Herald
	// must read exactly what the server says, whatever that is.
	var after network.MetricValues
	for ctx.Err() == nil {
		if after, err = c.ReadChannelMetrics(ctx, inst, alice); err != nil {
			t.Fatalf("ReadChannelMetrics: %v", err)
		}
		if after[network.MetricFollowers] == before[network.MetricFollowers]+1 {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	var said struct {
		Followers int64 `json:"followers_count"`
		Following int64 `json:"following_count"`
		Statuses  int64 `json:"statuses_count"`
	}
	api(t, alice.AccessToken, "GET", "/api/v1/accounts/verify_credentials", nil, &said)
	if after[network.MetricFollowers] != before[network.MetricFollowers]+1 || after[network.MetricFollowers] != said.Followers ||
		after[network.MetricFollowing] != said.Following || after[network.MetricPosts] != said.Statuses {
		t.Errorf("channel metrics went from %v to %v; GoToSocial says %+v; want one more follower and what GoToSocial says", before, after, said)
	}
	if after[network.MetricPosts] != before[network.MetricPosts]+1 {
		t.Logf("GoToSocial's post count went from %d to %d after two posts and a deletion", before[network.MetricPosts], after[network.MetricPosts])
	}

	page, err := c.ListOwnPosts(ctx, inst, alice, time.Now().Add(-time.Hour), "")
	if err != nil {
		t.Fatalf("ListOwnPosts: %v", err)
	}
	var listed *network.OwnPost
	for i, p := range page.Posts {
		if p.RemoteID == own.ID {
			listed = &page.Posts[i]
		}
		if p.RemoteID == gone.ID {
			t.Error("the deleted status is listed")
		}
	}
	if listed == nil || listed.Text != "Measured by Herald" || listed.URL == "" || listed.Reply || listed.CreatedAt.IsZero() ||
		!mapsEqual(listed.Metrics, want) {
		t.Errorf("ListOwnPosts = %+v, want the post with its counts", page)
	}
	if page.More {
		next, err := c.ListOwnPosts(ctx, inst, alice, time.Now().Add(-time.Hour), page.Cursor)
		if err != nil || len(next.Posts) != 0 || next.More {
			t.Errorf("the page after the only posts = %+v, %v", next, err)
		}
	}

	for _, typeahead := range []bool{true, false} {
		found, err := c.SearchAccounts(ctx, inst, alice, "bob", typeahead, 5)
		if err != nil {
			t.Fatalf("SearchAccounts (typeahead %v): %v", typeahead, err)
		}
		host := server.URL()[len("http://"):]
		if len(found) != 1 || found[0].Handle != "@bob@"+host || found[0].Mention != found[0].Handle ||
			found[0].Following == nil || *found[0].Following != 1 || found[0].Posts == nil || found[0].Followers == nil {
			t.Errorf("SearchAccounts(bob, typeahead %v) = %+v", typeahead, found)
			continue
		}
		t.Logf("bob as found: %d posts after a reply and a boost", *found[0].Posts)
	}
}
