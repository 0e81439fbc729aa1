package service

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"herald/backend/apperr"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/ratebudget"
	"herald/backend/store"
)

// searchNet is a network that finds accounts: it records every request
// and answers with its profiles, or with its error.
type searchNet struct {
	mu       sync.Mutex
	profiles []network.Profile
	err      error
	calls    []searchCall
}

type searchCall struct {
	instance, token, query string
	typeahead              bool
	limit                  int
	channelID              int64
	priority               ratebudget.Priority
	budgeted               bool
}

func (*searchNet) Descriptor() network.Descriptor {
	return network.Descriptor{ID: "mastodon", Name: "Mastodon"}
}

func (n *searchNet) SearchAccounts(ctx context.Context, instance string, cred network.Credential, query string, typeahead bool, limit int) ([]network.Profile, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	id, p, ok := ratebudget.FromContext(ctx)
	n.calls = append(n.calls, searchCall{instance: instance, token: cred.AccessToken, query: query, typeahead: typeahead, limit: limit,
		channelID: id, priority: p, budgeted: ok})
	if n.err != nil {
		return nil, n.err
	}
	out := n.profiles
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// plainNet is a network that cannot search accounts.
type plainNet struct{}

func (plainNet) Descriptor() network.Descriptor {
	return network.Descriptor{ID: "linkedin", Name: "LinkedIn"}
}

type recordedReport struct {
	channelID, gen int64
	class          network.Class
}

type healthLog struct{ reports []recordedReport }

func (h *healthLog) ReportErrorAt(_ context.Context, channelID, gen int64, err error) bool {
	h.reports = append(h.reports, recordedReport{channelID, gen, network.ClassOf(err)})
	return true
}

type genCreds struct{}

func (genCreds) Fresh(context.Context, model.Channel) (network.Credential, error) {
	return network.Credential{AccessToken: "secret-token", Generation: 3}, nil
}

type searchFixture struct {
	s       *Search
	net     *searchNet
	health  *healthLog
	chans   *store.Channels
	mastoID int64
	otherID int64
}

func newSearchFixture(t *testing.T) searchFixture {
	t.Helper()
	ctx := context.Background()
	g := openDB(t, testConfig(t))
	chans := store.NewChannels(g, now)
	masto := model.Channel{Network: "mastodon", Instance: "https://m.example", RemoteID: "1", Handle: "@shop@m.example", DisplayName: "Shop"}
	other := model.Channel{Network: "linkedin", Instance: "", RemoteID: "2", Handle: "shop-co", DisplayName: "Shop Co"}
	for _, ch := range []*model.Channel{&masto, &other} {
		if err := chans.Create(ctx, ch); err != nil {
			t.Fatal(err)
		}
	}
	net := &searchNet{}
	h := &healthLog{}
	s := NewSearch(SearchDeps{Channels: chans, Credentials: genCreds{}, Networks: network.NewRegistry(net, plainNet{}), Health: h, Now: now})
	return searchFixture{s: s, net: net, health: h, chans: chans, mastoID: masto.ID, otherID: other.ID}
}

func count(n int64) *int64 { return &n }

func TestSearchMapsProfilesWithTheirChannel(t *testing.T) {
	f := newSearchFixture(t)
	f.net.profiles = []network.Profile{{RemoteID: "109", Handle: "@alice@example.social", Mention: "@alice@example.social",
		DisplayName: "Alice", Bio: "Gardener", AvatarURL: "https://example.social/a.png", ProfileURL: "https://example.social/@alice",
		Followers: count(120), Following: count(33), Posts: count(4012)}, {RemoteID: "110", Handle: "@al@m.example", Mention: "@al"}}

	got, err := f.s.SearchAccounts(f.mastoID, "  alice \n", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d profiles, want 2: %+v", len(got), got)
	}
	a := got[0]
	if a.RemoteID != "109" || a.Handle != "@alice@example.social" || a.Mention != "@alice@example.social" || a.DisplayName != "Alice" ||
		a.Bio != "Gardener" || a.AvatarURL != "https://example.social/a.png" || a.ProfileURL != "https://example.social/@alice" {
		t.Errorf("profile = %+v", a)
	}
	if a.Followers == nil || *a.Followers != 120 || *a.Following != 33 || *a.Posts != 4012 {
		t.Errorf("counts = %v %v %v", a.Followers, a.Following, a.Posts)
	}
	if got[1].Followers != nil {
		t.Errorf("a count the network did not give is %v, want absent", *got[1].Followers)
	}
	if a.ChannelID != f.mastoID || a.ChannelName != "Shop" || a.Network != "mastodon" || a.NetworkName != "Mastodon" {
		t.Errorf("found through = %+v", a)
	}
	if len(f.net.calls) != 1 {
		t.Fatalf("calls = %+v", f.net.calls)
	}
	c := f.net.calls[0]
	if c.query != "alice" || c.typeahead || c.limit != SearchResults || c.instance != "https://m.example" || c.token != "secret-token" {
		t.Errorf("request = %+v", c)
	}
	if !c.budgeted || c.channelID != f.mastoID || c.priority != ratebudget.Ingest {
		t.Errorf("request budget = %+v, want channel %d at ingest priority", c, f.mastoID)
	}
}

func TestSearchTypeaheadAsksForAFewResults(t *testing.T) {
	f := newSearchFixture(t)
	for i := range 20 {
		f.net.profiles = append(f.net.profiles, network.Profile{RemoteID: string(rune('a' + i)), Handle: "@x", Mention: "@x"})
	}
	got, err := f.s.SearchAccounts(f.mastoID, "al", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != TypeaheadResults || TypeaheadResults != 8 {
		t.Errorf("typeahead found %d, want 8", len(got))
	}
	if c := f.net.calls[0]; !c.typeahead || c.limit != 8 {
		t.Errorf("request = %+v", c)
	}
	// A network that answers with more than asked is cut to the limit.
	big := &searchNet{profiles: f.net.profiles}
	over := overAnswering{big}
	s := NewSearch(SearchDeps{Channels: f.chans, Credentials: genCreds{}, Networks: network.NewRegistry(over), Now: now})
	if got, err := s.SearchAccounts(f.mastoID, "al", true); err != nil || len(got) != 8 {
		t.Errorf("over-answering network: %d profiles, %v", len(got), err)
	}
}

// overAnswering ignores the limit it is given.
type overAnswering struct{ *searchNet }

func (o overAnswering) SearchAccounts(ctx context.Context, instance string, cred network.Credential, query string, typeahead bool, _ int) ([]network.Profile, error) {
	return o.searchNet.SearchAccounts(ctx, instance, cred, query, typeahead, 1000)
}

func TestSearchEmptyQueryAsksNothing(t *testing.T) {
	f := newSearchFixture(t)
	for _, q := range []string{"", "   ", "\t\n"} {
		got, err := f.s.SearchAccounts(f.mastoID, q, false)
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("query %q = %v, %v; want an empty list", q, got, err)
		}
	}
	// Not even the channel is needed.
	if got, err := f.s.SearchAccounts(424242, " ", true); err != nil || len(got) != 0 {
		t.Errorf("empty query on a missing channel = %v, %v", got, err)
	}
	if len(f.net.calls) != 0 {
		t.Errorf("requests = %+v, want none", f.net.calls)
	}
}

func TestSearchRefusesATooLongQuery(t *testing.T) {
	f := newSearchFixture(t)
	// 100 characters (not bytes) are fine.
	if _, err := f.s.SearchAccounts(f.mastoID, strings.Repeat("é", 100), false); err != nil {
		t.Fatalf("100 characters: %v", err)
	}
	_, err := f.s.SearchAccounts(f.mastoID, strings.Repeat("a", 101), false)
	var ae *apperr.Error
	if !asAppErr(err, &ae) || ae.Code != apperr.CodeInvalid || ae.Field != "query" || !strings.Contains(ae.Message, "100") {
		t.Fatalf("101 characters: %#v", err)
	}
	if len(f.net.calls) != 1 {
		t.Errorf("requests = %d, want only the valid one", len(f.net.calls))
	}
}

func TestSearchThroughAChannelThatCannot(t *testing.T) {
	f := newSearchFixture(t)
	ctx := context.Background()

	_, err := f.s.SearchAccounts(f.otherID, "alice", false)
	var ae *apperr.Error
	if !asAppErr(err, &ae) || ae.Code != apperr.CodeUnavailable || !strings.Contains(ae.Message, "not supported on LinkedIn") || ae.Hint == "" {
		t.Errorf("unsupported network: %#v", err)
	}

	if _, err := f.chans.Transition(ctx, f.mastoID, model.ChannelDisconnected, "token revoked"); err != nil {
		t.Fatal(err)
	}
	_, err = f.s.SearchAccounts(f.mastoID, "alice", false)
	if !asAppErr(err, &ae) || ae.Code != apperr.CodeConflict || !strings.Contains(ae.Message, "disconnected") || !strings.Contains(ae.Hint, "Reconnect") {
		t.Errorf("disconnected channel: %#v", err)
	}
	list, err := f.s.SearchableChannels()
	if err != nil || len(list) != 1 || list[0].ChannelID != f.mastoID || list[0].Available || !strings.Contains(list[0].Reason, "reconnect") {
		t.Errorf("searchable channels while disconnected = %+v, %v", list, err)
	}

	if err := f.chans.Remove(ctx, f.mastoID); err != nil {
		t.Fatal(err)
	}
	_, err = f.s.SearchAccounts(f.mastoID, "alice", false)
	if !asAppErr(err, &ae) || ae.Code != apperr.CodeConflict || !strings.Contains(ae.Message, "removed") {
		t.Errorf("removed channel: %#v", err)
	}
	_, err = f.s.SearchAccounts(999, "alice", false)
	if !asAppErr(err, &ae) || ae.Code != apperr.CodeNotFound {
		t.Errorf("missing channel: %#v", err)
	}
	if list, err := f.s.SearchableChannels(); err != nil || len(list) != 0 {
		t.Errorf("searchable channels after removal = %+v, %v", list, err)
	}
	if len(f.net.calls) != 0 {
		t.Errorf("requests = %+v, want none", f.net.calls)
	}
}

func TestSearchableChannelsAreThoseWhoseNetworkSearches(t *testing.T) {
	f := newSearchFixture(t)
	list, err := f.s.SearchableChannels()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("list = %+v", list)
	}
	if c := list[0]; c.ChannelID != f.mastoID || c.ChannelName != "Shop" || c.Handle != "@shop@m.example" || c.Network != "mastodon" ||
		c.NetworkName != "Mastodon" || !c.Available || c.Reason != "" {
		t.Errorf("channel = %+v", c)
	}
}

func TestSearchRateLimitedSaysWhenToTryAgain(t *testing.T) {
	f := newSearchFixture(t)
	f.net.err = &network.Error{Network: "mastodon", Op: "search accounts", Class: network.ClassRateLimited, Status: 429,
		Message: "Too many requests", ResetAt: t0.Add(4*time.Minute + 10*time.Second)}
	_, err := f.s.SearchAccounts(f.mastoID, "alice", false)
	var ae *apperr.Error
	if !asAppErr(err, &ae) {
		t.Fatalf("err = %#v", err)
	}
	if ae.Code != apperr.CodeUnavailable || !strings.Contains(ae.Message, "Mastodon") || !strings.Contains(ae.Message, "Too many requests") {
		t.Errorf("message = %q (%s)", ae.Message, ae.Code)
	}
	if !strings.Contains(ae.Hint, "5 minutes") || !strings.Contains(ae.Hint, "12:04 UTC") {
		t.Errorf("hint = %q, want the wait and the time", ae.Hint)
	}
	if len(f.health.reports) != 1 || f.health.reports[0].class != network.ClassRateLimited {
		t.Errorf("health reports = %+v", f.health.reports)
	}

	// Held back by Herald's own budget: no answer from the network.
	f.net.err = network.TransportError("mastodon", "search accounts",
		&network.Error{Class: network.ClassRateLimited, Message: "the request budget is spent", ResetAt: t0.Add(time.Minute)})
	_, err = f.s.SearchAccounts(f.mastoID, "alice", false)
	if !asAppErr(err, &ae) || !strings.Contains(ae.Message, "publishing") || !strings.Contains(ae.Hint, "1 minute ") {
		t.Errorf("held back: %q / %q", ae.Message, ae.Hint)
	}
}

func TestSearchNetworkErrorsInTheNetworksWords(t *testing.T) {
	cases := []struct {
		name  string
		err   error
		code  string
		words string
	}{
		{"auth dead", &network.Error{Class: network.ClassAuthDead, Status: 401, Message: "The access token was revoked", Err: errors.New("Bearer secret-token")},
			apperr.CodeConflict, "The access token was revoked"},
		{"transient", &network.Error{Class: network.ClassTransient, Status: 503, Message: "Service unavailable"}, apperr.CodeUnavailable, "Service unavailable"},
		{"refused", &network.Error{Class: network.ClassInvalidInput, Status: 422, Message: "Query is invalid"}, apperr.CodeInvalid, "Query is invalid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newSearchFixture(t)
			f.net.err = tc.err
			_, err := f.s.SearchAccounts(f.mastoID, "alice", true)
			p := apperr.Format(err).(apperr.Payload)
			if p.Code != tc.code || !strings.Contains(p.Message, tc.words) || p.Hint == "" || strings.Contains(p.Message+p.Hint, "secret-token") {
				t.Errorf("payload = %+v", p)
			}
			if len(f.health.reports) != 1 || f.health.reports[0].channelID != f.mastoID || f.health.reports[0].gen != 3 {
				t.Errorf("health reports = %+v", f.health.reports)
			}
			if tc.code == apperr.CodeConflict && !strings.Contains(p.Hint, "Reconnect") {
				t.Errorf("auth dead hint = %q", p.Hint)
			}
		})
	}
}

func asAppErr(err error, target **apperr.Error) bool {
	return errors.As(err, target)
}
