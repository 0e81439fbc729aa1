package bluesky_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/network/bluesky/blueskytest"
	"herald/backend/network/networktest"
)

const nsidGetProfile = "app.bsky.actor.getProfile"

// Another account's profile is read by its DID with its exact counts, as
// a search describes it: those it started with and what it did since.
func TestReadPublicProfile(t *testing.T) {
	p := newPublisher(t)
	p.s.AddActor(alice)
	for i := range 3 {
		p.s.PostAsActor(alice.DID, "alice's post", time.Now().Add(time.Duration(i-3)*time.Hour), false)
	}
	p.s.FollowActor(alice.DID, 5)
	p.s.OwnPostAt(t, "the account's, not alice's", time.Now(), false)

	got, err := p.c.ReadPublicProfile(context.Background(), "", p.cred, alice.DID)
	if err != nil {
		t.Fatal(err)
	}
	if got.RemoteID != alice.DID || got.Handle != alice.Handle || got.Mention != "@"+alice.Handle || got.DisplayName != alice.DisplayName ||
		got.Bio != alice.Description || got.AvatarURL != alice.Avatar || got.ProfileURL != "https://bsky.app/profile/"+alice.Handle {
		t.Errorf("ReadPublicProfile = %+v", got)
	}
	if got.Followers == nil || got.Following == nil || got.Posts == nil || *got.Followers != 125 || *got.Following != 80 || *got.Posts != 45 {
		t.Errorf("counts = %v %v %v, want 125 80 45", got.Followers, got.Following, got.Posts)
	}
}

// Another account's posts are listed like the account's own: newest
// first, a page at a time, its reposts left out, replies marked, ending
// at since, each with its counts and link.
func TestListAccountPosts(t *testing.T) {
	p := newPublisher(t)
	p.s.AddActor(alice)
	p.s.SetPageLimit(2)
	now := time.Now()
	old := p.s.PostAsActor(alice.DID, "old", now.Add(-40*24*time.Hour), false)
	p.s.OwnPostAt(t, "the account's", now.Add(-20*24*time.Hour), false)
	var want []string
	for i := range 4 {
		want = append(want, p.s.PostAsActor(alice.DID, "recent", now.Add(-time.Duration(10-i)*24*time.Hour), i == 1))
	}
	p.s.RepostAsActor(alice.DID, p.s.PostAsOther("not alice's", "", "").URI)
	p.s.Engage(t, want[3], networktest.Engagement{Likes: 2, Replies: 1})
	slices.Reverse(want)
	since := now.Add(-30 * 24 * time.Hour)

	var got []network.OwnPost
	cursor, pages := "", 0
	for {
		pages++
		page, err := p.c.ListAccountPosts(context.Background(), "", p.cred, alice.DID, since, cursor)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Posts) > 2 {
			t.Errorf("page %d has %d posts, more than the page limit", pages, len(page.Posts))
		}
		got = append(got, page.Posts...)
		if !page.More {
			break
		}
		if page.Cursor == "" || pages > 10 {
			t.Fatalf("page %d: More with cursor %q", pages, page.Cursor)
		}
		cursor = page.Cursor
	}
	var ids []string
	for _, post := range got {
		ids = append(ids, post.RemoteID)
		if post.Text != "recent" || !strings.HasPrefix(post.URL, "https://bsky.app/profile/"+alice.Handle+"/post/") || post.CreatedAt.Before(since) {
			t.Errorf("listed %+v", post)
		}
		if post.Reply != (post.RemoteID == want[2]) {
			t.Errorf("%s Reply = %v", post.RemoteID, post.Reply)
		}
	}
	if !slices.Equal(ids, want) || slices.Contains(ids, old) {
		t.Fatalf("listed %q, want %q, newest first", ids, want)
	}
	if m := got[0].Metrics; m[network.MetricLikes] != 2 || m[network.MetricReplies] != 1 {
		t.Errorf("the newest post's metrics = %v", m)
	}
	// The repost, 4 posts and the old one at 2 a page: the 3rd page holds
	// the old one and ends the listing.
	if n := p.s.Calls(nsidAuthorFeed); n != 3 || pages != 3 {
		t.Errorf("%d pages read with %d requests, want 3", pages, n)
	}
}

// An account the AppView does not know, one taken down, one deactivated,
// and a block either way are invalid input with their own code and words,
// never a reason to disconnect the channel; an empty id is refused
// without a request.
func TestPublicAccountGone(t *testing.T) {
	p := newPublisher(t)
	ctx := context.Background()
	p.s.AddActor(alice)
	p.s.PostAsActor(alice.DID, "hello", time.Now(), false)
	check := func(t *testing.T, err error, code, msg string) {
		t.Helper()
		var ne *network.Error
		if !errors.As(err, &ne) || ne.Class != network.ClassInvalidInput || ne.Code != code || ne.Message != msg {
			t.Errorf("error = %v, want invalid_input %s %q", err, code, msg)
		}
	}
	profile := func(did string) error {
		_, err := p.c.ReadPublicProfile(ctx, "", p.cred, did)
		return err
	}
	posts := func(did string) error {
		_, err := p.c.ListAccountPosts(ctx, "", p.cred, did, time.Time{}, "")
		return err
	}

	const unknown = "did:plc:nobodynobodynobody234567"
	check(t, profile(unknown), bluesky.CodeNotFound, "This account no longer exists on Bluesky")
	check(t, posts(unknown), bluesky.CodeNotFound, "This account no longer exists on Bluesky")

	p.s.SetActorState(alice.DID, blueskytest.ActorTakenDown)
	check(t, profile(alice.DID), bluesky.CodeSuspended, "Bluesky has taken this account down; its profile and posts can no longer be read")
	check(t, posts(alice.DID), bluesky.CodeNotFound, "This account no longer exists on Bluesky")

	p.s.SetActorState(alice.DID, blueskytest.ActorDeactivated)
	check(t, profile(alice.DID), bluesky.CodeDeactivated,
		"This account is deactivated on Bluesky; its profile and posts cannot be read until it comes back")

	p.s.SetActorState(alice.DID, blueskytest.ActorBlocksYou)
	if err := profile(alice.DID); err != nil {
		t.Errorf("the profile of an account that blocks the channel = %v; the AppView shows it", err)
	}
	check(t, posts(alice.DID), bluesky.CodeBlocked, "This account has blocked you on Bluesky, so its posts cannot be read")
	p.s.SetActorState(alice.DID, blueskytest.ActorBlocked)
	check(t, posts(alice.DID), bluesky.CodeBlocked, "You have blocked this account on Bluesky, so its posts cannot be read")

	if err := p.c.Check(ctx, "", p.cred); err != nil {
		t.Errorf("the channel after all this: %v", err)
	}

	before := p.s.Calls(nsidGetProfile) + p.s.Calls(nsidAuthorFeed)
	for _, id := range []string{"", " ", "alice.bsky.social"} {
		for _, err := range []error{profile(id), posts(id)} {
			if network.ClassOf(err) != network.ClassInvalidInput {
				t.Errorf("id %q: %v, want invalid_input", id, err)
			}
		}
	}
	if after := p.s.Calls(nsidGetProfile) + p.s.Calls(nsidAuthorFeed); after != before {
		t.Error("a request was made for an id that is not a DID")
	}
}

// The shared classification holds: a rate limit waits, a revoked session
// disconnects.
func TestPublicReadErrorsClassified(t *testing.T) {
	p := newPublisher(t)
	p.s.AddActor(alice)
	ctx := context.Background()
	p.s.Inject(networktest.FaultRateLimited)
	if _, err := p.c.ReadPublicProfile(ctx, "", p.cred, alice.DID); network.ClassOf(err) != network.ClassRateLimited {
		t.Errorf("rate limited profile = %v", err)
	}
	if _, err := p.c.ListAccountPosts(ctx, "", p.cred, alice.DID, time.Time{}, ""); network.ClassOf(err) != network.ClassRateLimited {
		t.Errorf("rate limited listing = %v", err)
	}
	p.s.Inject(networktest.FaultNone)
	p.s.RevokeAll()
	if _, err := p.c.ReadPublicProfile(ctx, "", p.cred, alice.DID); !network.IsAuthDead(err) {
		t.Errorf("revoked session profile = %v", err)
	}
	if _, err := p.c.ListAccountPosts(ctx, "", p.cred, alice.DID, time.Time{}, ""); !network.IsAuthDead(err) {
		t.Errorf("revoked session listing = %v", err)
	}
}
