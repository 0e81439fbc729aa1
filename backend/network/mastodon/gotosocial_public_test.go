//go:build gotosocial

package mastodon_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/mastodon"
	"herald/test/gts"
)

// TestGoToSocialPublicAccount: a second account (bob) posts, answers,
// boosts the channel and has a follower; the channel reads bob's profile
// with the counts GoToSocial gives, and lists bob's posts, his boost left
// out and his reply marked, following the cursor to the end. An id
// the server does not know is the not-found error (its statuses an empty
// list, as GoToSocial answers):
//
//	go test -tags gotosocial -count=1 -run TestGoToSocialPublicAccount ./backend/network/mastodon/
func TestGoToSocialPublicAccount(t *testing.T) {
	server := gts.Start(t)
	bobEmail, bobPassword := server.AddUser(t, "bob")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c := mastodon.New(mastodon.Options{HTTP: &http.Client{Timeout: 30 * time.Second}})
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

	var me, bobAccount, own, first, reply struct{ ID string }
	api(t, alice.AccessToken, "GET", "/api/v1/accounts/verify_credentials", nil, &me)
	api(t, bob.AccessToken, "GET", "/api/v1/accounts/verify_credentials", nil, &bobAccount)
	api(t, alice.AccessToken, "POST", "/api/v1/statuses", url.Values{"status": {"The channel speaks"}, "visibility": {"public"}}, &own)
	api(t, bob.AccessToken, "POST", "/api/v1/statuses", url.Values{"status": {"Bob's first"}, "visibility": {"public"}}, &first)
	api(t, bob.AccessToken, "POST", "/api/v1/statuses/"+own.ID+"/reblog", url.Values{}, nil)
	api(t, bob.AccessToken, "POST", "/api/v1/statuses", url.Values{"status": {"@alice agreed"}, "visibility": {"public"}, "in_reply_to_id": {own.ID}}, &reply)
	var rel struct {
		Requested bool `json:"requested"`
	}
	api(t, alice.AccessToken, "POST", "/api/v1/accounts/"+bobAccount.ID+"/follow", url.Values{}, &rel)
	if rel.Requested {
		api(t, bob.AccessToken, "POST", "/api/v1/follow_requests/"+me.ID+"/authorize", url.Values{}, nil)
	}

	// GoToSocial keeps counts in the background (under load the follower
	// can take minutes to be counted): read for a while until it is, then
	// compare with what GoToSocial tells bob himself right after, whatever
	// it counts by then. What is checked is that Herald reads what the
	// server says, not how fast the server counts.
	var p network.Profile
	var err error
	var said struct {
		Followers int64 `json:"followers_count"`
		Following int64 `json:"following_count"`
		Statuses  int64 `json:"statuses_count"`
	}
	wait := time.Now().Add(30 * time.Second)
	for {
		if p, err = c.ReadPublicProfile(ctx, inst, alice, bobAccount.ID); err != nil {
			t.Fatalf("ReadPublicProfile: %v", err)
		}
		api(t, bob.AccessToken, "GET", "/api/v1/accounts/verify_credentials", nil, &said)
		counted := p.Followers != nil && *p.Followers == 1
		same := p.Followers != nil && p.Following != nil && p.Posts != nil &&
			*p.Followers == said.Followers && *p.Following == said.Following && *p.Posts == said.Statuses
		if (counted && same) || (same && time.Now().After(wait)) {
			break
		}
		if time.Now().After(wait.Add(30 * time.Second)) {
			break // compared below, and reported
		}
		time.Sleep(300 * time.Millisecond)
	}
	host := strings.TrimPrefix(inst, "http://")
	if p.RemoteID != bobAccount.ID || p.Handle != "@bob@"+host || p.Mention != p.Handle || p.ProfileURL == "" ||
		p.Followers == nil || p.Following == nil || p.Posts == nil ||
		*p.Followers != said.Followers || *p.Following != said.Following || *p.Posts != said.Statuses {
		t.Errorf("ReadPublicProfile = %+v; GoToSocial tells bob %+v", p, said)
	}
	t.Logf("bob: %d followers, %d following, %d posts", *p.Followers, *p.Following, *p.Posts)

	since := time.Now().Add(-time.Hour)
	var ids []string
	cursor := ""
	for range 5 {
		page, err := c.ListAccountPosts(ctx, inst, alice, bobAccount.ID, since, cursor)
		if err != nil {
			t.Fatalf("ListAccountPosts: %v", err)
		}
		for _, post := range page.Posts {
			ids = append(ids, post.RemoteID)
			if post.Reply != (post.RemoteID == reply.ID) || post.URL == "" || post.CreatedAt.IsZero() || post.Metrics == nil {
				t.Errorf("listed %+v", post)
			}
		}
		if !page.More {
			break
		}
		cursor = page.Cursor
	}
	if want := []string{reply.ID, first.ID}; !slices.Equal(ids, want) {
		t.Errorf("bob's posts = %q, want %q (newest first, without the boost)", ids, want)
	}

	_, err = c.ReadPublicProfile(ctx, inst, alice, "01ARZ3NDEKTSV4RRFFQ69G5FAV")
	var ne *network.Error
	if !errors.As(err, &ne) || ne.Class != network.ClassInvalidInput || ne.Code != mastodon.CodeNotFound {
		t.Errorf("an unknown account = %v, want invalid_input not_found", err)
	}
	// GoToSocial answers an unknown account's statuses with an empty
	// list, not a 404: the listing is what it says.
	if page, err := c.ListAccountPosts(ctx, inst, alice, "01ARZ3NDEKTSV4RRFFQ69G5FAV", since, ""); err != nil || len(page.Posts) != 0 || page.More {
		t.Errorf("an unknown account's posts = %+v, %v; want GoToSocial's empty list", page, err)
	}
}
