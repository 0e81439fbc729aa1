package bluesky_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"herald/backend/network"
	"herald/backend/network/bluesky/blueskytest"
	"herald/backend/network/networktest"
)

const (
	nsidSearch      = "app.bsky.actor.searchActors"
	nsidTypeahead   = "app.bsky.actor.searchActorsTypeahead"
	nsidGetProfiles = "app.bsky.actor.getProfiles"
)

var alice = blueskytest.Actor{DID: "did:plc:alicealicealicealice2345", Handle: "alice.bsky.social", DisplayName: "Alice Liddell",
	Description: "Down the rabbit hole.", Avatar: "https://cdn.bsky.app/img/avatar/plain/alice@jpeg",
	Followers: 120, Follows: 80, Posts: 42}

func TestSearchAccountsMapsProfilesWithCounts(t *testing.T) {
	p := newPublisher(t)
	p.s.AddActor(alice)
	got, err := p.c.SearchAccounts(context.Background(), "", p.cred, "rabbit", false, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("found %+v, want Alice", got)
	}
	a := got[0]
	if a.RemoteID != alice.DID || a.Handle != "alice.bsky.social" || a.Mention != "@alice.bsky.social" ||
		a.DisplayName != "Alice Liddell" || a.Bio != "Down the rabbit hole." || a.AvatarURL != alice.Avatar ||
		a.ProfileURL != "https://bsky.app/profile/alice.bsky.social" {
		t.Errorf("profile = %+v", a)
	}
	if a.Followers == nil || *a.Followers != 120 || a.Following == nil || *a.Following != 80 || a.Posts == nil || *a.Posts != 42 {
		t.Errorf("counts = %v %v %v, want 120 80 42", a.Followers, a.Following, a.Posts)
	}
}

// Typeahead is the cheap search for autocompletion: one call, no counts.
func TestSearchAccountsTypeaheadHasNoCounts(t *testing.T) {
	p := newPublisher(t)
	p.s.AddActor(alice)
	got, err := p.c.SearchAccounts(context.Background(), "", p.cred, "@ali", true, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Mention != "@alice.bsky.social" || got[0].DisplayName != "Alice Liddell" {
		t.Fatalf("typeahead found %+v, want Alice", got)
	}
	if got[0].Followers != nil || got[0].Following != nil || got[0].Posts != nil {
		t.Errorf("typeahead counts = %v %v %v, want none", got[0].Followers, got[0].Following, got[0].Posts)
	}
	if n := p.s.Calls(nsidGetProfiles); n != 0 {
		t.Errorf("typeahead called getProfiles %d times", n)
	}
}

// getProfiles takes 25 actors; a limit above the searches' 100 is 100.
func TestSearchAccountsReadsCountsInBatches(t *testing.T) {
	p := newPublisher(t)
	for i := range 30 {
		p.s.AddActor(blueskytest.Actor{DID: fmt.Sprintf("did:plc:crowd%020d", i), Handle: fmt.Sprintf("crowd%d.bsky.social", i),
			DisplayName: "Crowd", Followers: i})
	}
	got, err := p.c.SearchAccounts(context.Background(), "", p.cred, "crowd", false, 500)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 30 || p.s.Calls(nsidGetProfiles) != 2 {
		t.Fatalf("found %d in %d getProfiles calls, want 30 in 2", len(got), p.s.Calls(nsidGetProfiles))
	}
	for _, a := range got {
		if a.Followers == nil {
			t.Errorf("%s has no follower count", a.Handle)
		}
	}
}

// An account getProfiles does not return keeps no counts; a handle that
// no longer checks out cannot be typed as a mention.
func TestSearchAccountsMissingProfileAndInvalidHandle(t *testing.T) {
	p := newPublisher(t)
	p.s.Handle(nsidSearch, http.MethodGet, func(w http.ResponseWriter, _ *http.Request, _ string) {
		blueskytest.WriteJSON(w, http.StatusOK, map[string]any{"actors": []any{
			map[string]any{"did": "did:plc:goneaccount000000000000", "handle": "handle.invalid"},
		}})
	})
	got, err := p.c.SearchAccounts(context.Background(), "", p.cred, "gone", false, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Followers != nil || got[0].Mention != "" ||
		got[0].ProfileURL != "https://bsky.app/profile/did:plc:goneaccount000000000000" {
		t.Errorf("found %+v", got)
	}
}

// An empty query finds nothing without asking.
func TestSearchAccountsEmptyQuery(t *testing.T) {
	p := newPublisher(t)
	for _, q := range []string{"", "  ", "@"} {
		got, err := p.c.SearchAccounts(context.Background(), "", p.cred, q, true, 10)
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("SearchAccounts(%q) = %#v, %v; want an empty list", q, got, err)
		}
	}
	if n := p.s.Calls(nsidTypeahead) + p.s.Calls(nsidSearch); n != 0 {
		t.Errorf("an empty query made %d calls", n)
	}
}

func TestSearchAccountsErrors(t *testing.T) {
	p := newPublisher(t)
	p.s.AddActor(alice)
	p.s.InjectNSID(nsidGetProfiles, networktest.FaultRateLimited)
	if _, err := p.c.SearchAccounts(context.Background(), "", p.cred, "alice", false, 10); network.ClassOf(err) != network.ClassRateLimited {
		t.Errorf("search with getProfiles rate limited = %v, want rate_limited", err)
	}
	p.s.InjectNSID(nsidGetProfiles, networktest.FaultNone)
	p.s.RevokeAll()
	if _, err := p.c.SearchAccounts(context.Background(), "", p.cred, "alice", true, 10); network.ClassOf(err) != network.ClassAuthDead {
		t.Errorf("search with a revoked session = %v, want auth_dead", err)
	}
	if !p.c.Descriptor().Has(network.CapAccountSearch) {
		t.Error("the descriptor does not declare account_search")
	}
}
