//go:build gotosocial

package mastodon_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/mastodon"
	"herald/test/gts"
)

// TestGoToSocialInbox: a second account mentions the channel, replies to
// its post, sends it a direct message and favourites the post; the
// channel's inbox shows exactly those three, once:
//
//	go test -tags gotosocial -count=1 -run TestGoToSocialInbox ./backend/network/mastodon/
func TestGoToSocialInbox(t *testing.T) {
	server := gts.Start(t)
	bobEmail, bobPassword := server.AddUser(t, "bob")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c := mastodon.New(mastodon.Options{})
	inst := server.URL()
	_, aliceEmail, alicePassword := server.User()
	alice := server.Credential(ctx, t, aliceEmail, alicePassword)
	bob := server.Credential(ctx, t, bobEmail, bobPassword)

	post := func(t *testing.T, token string, form url.Values) string {
		t.Helper()
		var st struct{ ID string }
		if code := server.API(t, token, "POST", "/api/v1/statuses", form, &st); code != 200 || st.ID == "" {
			t.Fatalf("POST /api/v1/statuses %v = %d", form, code)
		}
		return st.ID
	}
	own := post(t, alice.AccessToken, url.Values{"status": {"Herald's post"}, "visibility": {"public"}})

	// The first sync: nothing yet but the cursors to go on from.
	first, err := c.ReadInbox(ctx, inst, alice, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Items) != 0 || first.Cursors["notifications"] == "" {
		t.Fatalf("first sync of an empty inbox = %+v", first)
	}
	cursors := first.Cursors

	mention := post(t, bob.AccessToken, url.Values{"status": {"@alice hello from bob"}, "visibility": {"public"}})
	reply := post(t, bob.AccessToken, url.Values{"status": {"@alice nice post"}, "visibility": {"public"}, "in_reply_to_id": {own}})
	dm := post(t, bob.AccessToken, url.Values{"status": {"@alice a private word"}, "visibility": {"direct"}})
	if code := server.API(t, bob.AccessToken, "POST", "/api/v1/statuses/"+own+"/favourite", url.Values{}, nil); code != 200 {
		t.Fatalf("favourite = %d", code)
	}
	want := map[string]network.InboxKind{mention: network.InboxMention, reply: network.InboxReply, dm: network.InboxMessage}

	// GoToSocial makes notifications in the background: read until the
	// three are there (or the deadline), as the poller would.
	got := map[string]network.InboxItem{}
	var problems []network.InboxProblem
	for len(got) < len(want) && ctx.Err() == nil {
		p, err := c.ReadInbox(ctx, inst, alice, cursors)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range p.Items {
			if _, dup := got[it.RemoteID]; dup {
				t.Errorf("%s read twice", it.RemoteID)
			}
			got[it.RemoteID] = it
		}
		problems = append(problems, p.Problems...)
		for k, v := range p.Cursors {
			cursors[k] = v
		}
		if len(got) < len(want) {
			time.Sleep(300 * time.Millisecond)
		}
	}
	for id, kind := range want {
		it, ok := got[id]
		switch {
		case !ok:
			t.Errorf("the inbox lacks the %s %s", kind, id)
		case it.Kind != kind:
			t.Errorf("%s is a %s, want %s", id, it.Kind, kind)
		case it.Author.Handle != "@bob" || it.CreatedAt.IsZero() || !strings.Contains(it.Text, "bob") && kind == network.InboxMention:
			t.Errorf("item %+v", it)
		}
	}
	if len(got) != len(want) {
		t.Errorf("the inbox has %d items, want %d: %+v", len(got), len(want), got)
	}
	if got[reply].ParentID != own {
		t.Errorf("the reply's parent is %q, want %s", got[reply].ParentID, own)
	}
	if got[dm].ConversationID == "" {
		// The conversation is made in the background too; the message
		// itself came with its notification.
		t.Log("the direct message was read before GoToSocial listed its conversation")
	}
	if len(problems) != 0 {
		t.Errorf("problems: %+v", problems)
	}

	again, err := c.ReadInbox(ctx, inst, alice, cursors)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Items) != 0 {
		t.Errorf("a read with the cursors returned %d items again: %+v", len(again.Items), again.Items)
	}

	th, err := c.ReadThread(ctx, inst, alice, reply)
	if err != nil {
		t.Fatal(err)
	}
	if len(th.Items) != 2 || th.Items[0].RemoteID != own || th.Items[1].RemoteID != reply {
		t.Errorf("thread of the reply = %v, want [%s %s]", ids(th.Items), own, reply)
	}

	if code := server.API(t, bob.AccessToken, "DELETE", "/api/v1/statuses/"+mention, nil, nil); code != 200 {
		t.Fatalf("delete = %d", code)
	}
	// GoToSocial deletes in the background too.
	var refreshed []network.InboxItem
	for ctx.Err() == nil {
		refreshed, err = c.RefreshInbox(ctx, inst, alice, []string{mention, reply})
		if err != nil {
			t.Fatal(err)
		}
		if len(refreshed) == 2 && refreshed[0].Deleted {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	if len(refreshed) != 2 || refreshed[0].RemoteID != mention || !refreshed[0].Deleted || refreshed[1].Deleted ||
		refreshed[1].Text != "@alice nice post" {
		t.Errorf("refresh after deleting the mention = %+v", refreshed)
	}
}

// signIn connects a user through the browser flow, as Herald does.

func ids(items []network.InboxItem) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it.RemoteID)
	}
	return out
}
