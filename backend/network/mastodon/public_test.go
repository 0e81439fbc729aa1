package mastodon_test

import (
	"context"
	"errors"
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

// Another account's profile is read by its id with its exact counts, as a
// search describes it.
func TestReadPublicProfile(t *testing.T) {
	fake, c, cred := newMetricsClient(t)
	carol := fake.AddAccount(mastodontest.Account{Username: "carol", DisplayName: "Carol Rival", Note: "Bakes <bread> & cakes"})
	for i := range 3 {
		fake.PostAt(carol.ID, "carol's post", time.Now().Add(time.Duration(i-3)*time.Hour), false)
	}
	fake.FollowAccount(carol.ID, 4)
	fake.OwnPostAt(t, "the channel's, not carol's", time.Now(), false)

	got, err := c.ReadPublicProfile(context.Background(), fake.Instance(), cred, carol.ID)
	if err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(fake.Instance(), "http://")
	if got.RemoteID != carol.ID || got.Handle != "@carol@"+host || got.Mention != got.Handle || got.DisplayName != "Carol Rival" ||
		got.Bio != "Bakes <bread> & cakes" || got.ProfileURL != carol.URL || got.AvatarURL == "" {
		t.Errorf("ReadPublicProfile = %+v", got)
	}
	if got.Followers == nil || got.Following == nil || got.Posts == nil || *got.Followers != 4 || *got.Following != 0 || *got.Posts != 3 {
		t.Errorf("counts = %v %v %v, want 4 followers, 0 following, 3 posts", got.Followers, got.Following, got.Posts)
	}
	if fake.Calls("/api/v1/accounts/"+carol.ID) != 1 {
		t.Errorf("calls = %v", fake.CallCounts())
	}
}

// Another account's statuses are listed like the channel's own: newest
// first, a page at a time, its boosts left out (even from a server that
// ignores exclude_reblogs), replies marked, ending at since.
func TestListAccountPosts(t *testing.T) {
	fake, c, cred := newMetricsClient(t)
	fake.SetPageLimit(2)
	fake.IgnoreExcludeReblogs(true)
	carol := fake.AddAccount(mastodontest.Account{Username: "carol"})
	now := time.Now()
	old := fake.PostAt(carol.ID, "old", now.Add(-40*24*time.Hour), false)
	fake.OwnPostAt(t, "the channel's", now.Add(-20*24*time.Hour), false)
	var want []string
	for i := range 4 {
		want = append(want, fake.PostAt(carol.ID, "recent", now.Add(-time.Duration(10-i)*24*time.Hour), i == 1))
		if i == 2 {
			fake.Boost(carol.ID, fake.PostAs(fake.Other().ID, "not carol's", "public", "", "").ID)
		}
	}
	slices.Reverse(want)
	since := now.Add(-30 * 24 * time.Hour)

	var ids []string
	cursor, pages := "", 0
	for {
		pages++
		p, err := c.ListAccountPosts(context.Background(), fake.Instance(), cred, carol.ID, since, cursor)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Posts) > 2 {
			t.Errorf("page %d has %d posts, more than the page limit", pages, len(p.Posts))
		}
		for _, post := range p.Posts {
			ids = append(ids, post.RemoteID)
			if post.Text != "recent" || post.URL == "" || post.Metrics == nil || post.CreatedAt.Before(since) {
				t.Errorf("listed %+v", post)
			}
			if post.Reply != (post.RemoteID == want[2]) {
				t.Errorf("%s Reply = %v", post.RemoteID, post.Reply)
			}
		}
		if !p.More {
			break
		}
		if p.Cursor == "" || pages > 10 {
			t.Fatalf("page %d: More with cursor %q", pages, p.Cursor)
		}
		cursor = p.Cursor
	}
	if !slices.Equal(ids, want) || slices.Contains(ids, old) {
		t.Errorf("listed %q, want %q, newest first", ids, want)
	}
	// 4 posts, the boost and the old one at 2 a page: the 3rd page holds
	// the old one and ends the listing.
	if n := fake.Calls("/api/v1/accounts/" + carol.ID + "/statuses"); n != 3 || pages != 3 {
		t.Errorf("%d pages read with %d requests, want 3", pages, n)
	}
	if n := fake.Calls("/api/v1/accounts/verify_credentials"); n != 0 {
		t.Errorf("the channel's account was read %d times", n)
	}
}

// A locked account's statuses for followers only are not shown to the
// channel: the listing is what the server answers, empty, not an error.
func TestListAccountPostsOfALockedAccount(t *testing.T) {
	fake, c, cred := newMetricsClient(t)
	dave := fake.AddAccount(mastodontest.Account{Username: "dave"})
	fake.PostAs(dave.ID, "for my followers", "private", "", "")
	p, err := c.ListAccountPosts(context.Background(), fake.Instance(), cred, dave.ID, time.Time{}, "")
	if err != nil || len(p.Posts) != 0 || p.More {
		t.Errorf("ListAccountPosts = %+v, %v; want an empty page", p, err)
	}
}

// An account the server does not know, and a suspended one (flagged, as
// from Mastodon 3.3; 410 Gone before), are invalid input with their own
// code and words; an empty id is refused without a request.
func TestPublicAccountGone(t *testing.T) {
	fake, c, cred := newMetricsClient(t)
	ctx := context.Background()
	host := strings.TrimPrefix(fake.Instance(), "http://")
	check := func(t *testing.T, err error, code, msg string) {
		t.Helper()
		var ne *network.Error
		if !errors.As(err, &ne) || ne.Class != network.ClassInvalidInput || ne.Code != code || !strings.HasPrefix(ne.Message, msg) {
			t.Fatalf("error = %#v, want invalid_input %s %q", err, code, msg)
		}
		if network.IsAuthDead(err) {
			t.Error("the channel would be disconnected")
		}
	}
	readBoth := func(id string) (error, error) {
		_, perr := c.ReadPublicProfile(ctx, fake.Instance(), cred, id)
		_, lerr := c.ListAccountPosts(ctx, fake.Instance(), cred, id, time.Time{}, "")
		return perr, lerr
	}

	perr, lerr := readBoth("123456789")
	check(t, perr, mastodon.CodeNotFound, "This account no longer exists on "+host)
	check(t, lerr, mastodon.CodeNotFound, "This account no longer exists on "+host)

	erin := fake.AddAccount(mastodontest.Account{Username: "erin"})
	fake.PostAt(erin.ID, "before the suspension", time.Now(), false)
	fake.Suspend(erin.ID)
	_, perr = c.ReadPublicProfile(ctx, fake.Instance(), cred, erin.ID)
	check(t, perr, mastodon.CodeSuspended, "This account has been suspended or closed on "+host)
	if p, err := c.ListAccountPosts(ctx, fake.Instance(), cred, erin.ID, time.Time{}, ""); err != nil || len(p.Posts) != 0 {
		t.Errorf("a suspended account's posts = %+v, %v; want none, as Mastodon lists", p, err)
	}

	gone := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusGone)
		_, _ = w.Write([]byte(`{"error":"Account is suspended"}`))
	}
	fake.Handle("GET /api/v1/accounts/{id}", gone)
	fake.Handle("GET /api/v1/accounts/{id}/statuses", gone)
	perr, lerr = readBoth(erin.ID)
	check(t, perr, mastodon.CodeSuspended, "This account has been suspended or closed on "+host)
	check(t, lerr, mastodon.CodeSuspended, "This account has been suspended or closed on "+host)

	total := func() (n int) {
		for _, c := range fake.CallCounts() {
			n += c
		}
		return n
	}
	before := total()
	for _, id := range []string{"", "  ", "../verify_credentials"} {
		perr, lerr = readBoth(id)
		for _, err := range []error{perr, lerr} {
			if network.ClassOf(err) != network.ClassInvalidInput {
				t.Errorf("id %q: %v, want invalid_input", id, err)
			}
		}
	}
	if total() != before {
		t.Errorf("a request was made for an id no account has: %v", fake.CallCounts())
	}
}

// The shared classification holds: a rate limit waits, a revoked token
// disconnects.
func TestPublicReadErrorsClassified(t *testing.T) {
	fake, c, cred := newMetricsClient(t)
	carol := fake.AddAccount(mastodontest.Account{Username: "carol"})
	ctx := context.Background()
	fake.Inject(networktest.FaultRateLimited)
	_, err := c.ReadPublicProfile(ctx, fake.Instance(), cred, carol.ID)
	if _, ok := network.RetryAfter(err); !ok || network.ClassOf(err) != network.ClassRateLimited {
		t.Errorf("rate limited profile = %v", err)
	}
	_, err = c.ListAccountPosts(ctx, fake.Instance(), cred, carol.ID, time.Time{}, "")
	if network.ClassOf(err) != network.ClassRateLimited {
		t.Errorf("rate limited listing = %v", err)
	}
	fake.Inject(networktest.FaultNone)
	cred.AccessToken = "revoked"
	_, err = c.ReadPublicProfile(ctx, fake.Instance(), cred, carol.ID)
	if !network.IsAuthDead(err) {
		t.Errorf("revoked token profile = %v", err)
	}
	_, err = c.ListAccountPosts(ctx, fake.Instance(), cred, carol.ID, time.Time{}, "")
	if !network.IsAuthDead(err) {
		t.Errorf("revoked token listing = %v", err)
	}
}
