package service

import (
	"context"
	"net/http"
	"testing"
	"time"

	"herald/backend/apperr"
	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/network/bluesky/blueskytest"
	"herald/backend/network/mastodon"
	"herald/backend/network/mastodon/mastodontest"
	"herald/backend/network/networktest"
	"herald/backend/store"
)

// Like, hide, mute and block from the inbox reach the network, are
// recorded with an audit line, show as done in the conversation and are
// taken back by doing them again; doing one twice writes nothing twice.
// What a network cannot do is disabled with its reason and refused.
func TestModerationFollowsEachNetworksMatrix(t *testing.T) {
	type check struct {
		liked, muted, blocked func(item, author string) bool
		hidden                func(root, item string) bool
	}
	cases := []struct {
		name     string
		fake     func(t *testing.T) (networktest.InboxFake, network.Network, string, string, check)
		canHide  bool
		authorOf func(f networktest.InboxFake) string
	}{
		{"mastodon", func(t *testing.T) (networktest.InboxFake, network.Network, string, string, check) {
			s := mastodontest.NewServer(t)
			c := check{liked: func(item, _ string) bool { return s.Favourited(item) }, muted: func(_, a string) bool { return s.Muted(a) },
				blocked: func(_, a string) bool { return s.Blocked(a) }}
			return s, mastodon.New(mastodon.Options{HTTP: &http.Client{Timeout: 10 * time.Second}}), s.Account().ID, s.Other().ID, c
		}, false, nil},
		{"bluesky", func(t *testing.T) (networktest.InboxFake, network.Network, string, string, check) {
			s := blueskytest.NewServer(t)
			c := check{liked: func(item, _ string) bool { return s.Liked(item) != "" }, muted: func(_, a string) bool { return s.MutedActor(a) },
				blocked: func(_, a string) bool { return s.Blocking(a) != "" },
				hidden: func(root, item string) bool {
					for _, h := range s.HiddenReplies(root) {
						if h == item {
							return true
						}
					}
					return false
				}}
			return s, bluesky.New(bluesky.Options{HTTP: &http.Client{Timeout: 10 * time.Second}, Entryway: s.URL(), PLCDirectory: s.URL()}),
				blueskytest.DID, blueskytest.OtherDID, c
		}, true, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			fake, n, self, other, net := tc.fake(t)
			cred, err := networktest.Connect(t, n, fake)
			if err != nil {
				t.Fatal(err)
			}
			g := openDB(t, testConfig(t))
			now := time.Now
			chans := store.NewChannels(g, now)
			ch := model.Channel{Network: n.Descriptor().ID, Instance: fake.Instance(), RemoteID: self, Handle: "shop", DisplayName: "Shop"}
			if err := chans.Create(ctx, &ch); err != nil {
				t.Fatal(err)
			}
			own := fake.OwnPost(t, "New opening hours")
			comment := fake.Reply(t, own, "Finally!")
			items := store.NewInbox(g, now)
			if _, err := items.StorePage(ctx, ch.ID, store.IngestPage{Last: true}); err != nil {
				t.Fatal(err)
			}
			if _, err := items.StorePage(ctx, ch.ID, store.IngestPage{Items: []store.Incoming{{RemoteID: comment, Kind: model.InboxReply,
				AuthorRemoteID: other, AuthorHandle: "@other", Text: "Finally!", ParentRemoteID: own, RootRemoteID: own, CreatedAt: now()}}}); err != nil {
				t.Fatal(err)
			}
			var it model.InboxItem
			if err := g.Take(&it).Error; err != nil {
				t.Fatal(err)
			}
			audit := store.NewAudit(g, now)
			s := NewInbox(InboxDeps{DB: g, Inbox: items, Channels: chans, Audit: audit, Sync: &fakeSyncer{}, Credentials: credsFor{cred},
				Networks: network.NewRegistry(n), Emitter: events.Discard{}})
			state := func(conv InboxConversation, id string) ItemAction {
				for _, a := range conv.Actions {
					if a.ID == id {
						return a
					}
				}
				t.Fatalf("no action %q in %+v", id, conv.Actions)
				return ItemAction{}
			}
			onNetwork := map[string]func() bool{
				"like": func() bool { return net.liked(comment, other) }, "mute": func() bool { return net.muted(comment, other) },
				"block": func() bool { return net.blocked(comment, other) },
			}
			if tc.canHide {
				onNetwork["hide"] = func() bool { return net.hidden(own, comment) }
			}
			for id, isSo := range onNetwork {
				conv, err := s.Act(it.ID, id, false)
				if err != nil {
					t.Fatalf("%s: %v", id, err)
				}
				if !isSo() || !state(conv, id).Active {
					t.Fatalf("%s: on the network %v, shown active %v", id, isSo(), state(conv, id).Active)
				}
				if _, err := s.Act(it.ID, id, false); err != nil || !isSo() { // again: nothing changes
					t.Fatalf("%s twice: %v", id, err)
				}
				conv, err = s.Act(it.ID, id, true)
				if err != nil || isSo() || state(conv, id).Active {
					t.Fatalf("un%s: err %v, on the network %v", id, err, isSo())
				}
			}
			entries, _, err := audit.List(ctx, store.AuditFilter{EventLike: "inbox."})
			if err != nil {
				t.Fatal(err)
			}
			if want := 2 * len(onNetwork); len(entries) != want {
				t.Errorf("%d audit lines, want %d (one per change, none for repeats): %+v", len(entries), want, entries)
			}
			conv, err := s.Get(it.ID)
			if err != nil {
				t.Fatal(err)
			}
			if hide := state(conv, "hide"); hide.Enabled != tc.canHide || (!tc.canHide && hide.Reason == "") {
				t.Errorf("hide = %+v, want enabled %v with a reason when not", hide, tc.canHide)
			}
			if !tc.canHide {
				if _, err := s.Act(it.ID, "hide", false); !isCode(err, apperr.CodeConflict) {
					t.Errorf("hide where the network cannot: %v", err)
				}
			}
			if _, err := s.Act(it.ID, "shout", false); !isCode(err, apperr.CodeInvalid) {
				t.Errorf("an unknown action: %v", err)
			}
		})
	}
}
