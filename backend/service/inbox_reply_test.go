package service

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"herald/backend/apperr"
	"herald/backend/events"
	"herald/backend/media"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/network/bluesky/blueskytest"
	"herald/backend/network/mastodon"
	"herald/backend/network/mastodon/mastodontest"
	"herald/backend/network/networktest"
	"herald/backend/notify"
	"herald/backend/publish"
	"herald/backend/store"
)

type credsFor struct{ cred network.Credential }

func (c credsFor) Fresh(context.Context, model.Channel) (network.Credential, error) {
	return c.cred, nil
}
func (c credsFor) Renew(context.Context, model.Channel, network.Credential) (network.Credential, error) {
	return c.cred, nil
}

type noHealth struct{}

func (noHealth) ReportErrorAt(context.Context, int64, int64, error) bool { return true }

// A reply written in the inbox goes out through the publishing engine to
// the right thread, once: a second send with the same key returns the
// first reply, the item's first-reply time is set when it is published,
// and the conversation shows it as published. Against both networks'
// fakes, for a comment and a direct message.
func TestAReplyGoesOutOnceThroughTheEngine(t *testing.T) {
	cases := []struct {
		name string
		fake func(t *testing.T) (networktest.InboxFake, network.Network)
		// sent returns the texts the account published in answer to
		// parent.
		sent func(f networktest.InboxFake, parent string) []string
		// private returns the texts the account sent privately, outside
		// any thread.
		private func(f networktest.InboxFake) []string
	}{
		{"mastodon", func(t *testing.T) (networktest.InboxFake, network.Network) {
			s := mastodontest.NewServer(t)
			return s, mastodon.New(mastodon.Options{HTTP: &http.Client{Timeout: 10 * time.Second}})
		}, func(f networktest.InboxFake, parent string) []string {
			var out []string
			for _, st := range f.(*mastodontest.Server).Statuses() {
				if st.InReplyToID == parent && st.AccountID == f.(*mastodontest.Server).Account().ID {
					out = append(out, st.Text)
				}
			}
			return out
		}, func(f networktest.InboxFake) []string {
			var out []string
			for _, st := range f.(*mastodontest.Server).Statuses() {
				if st.InReplyToID == "" && st.Visibility == "direct" && st.AccountID == f.(*mastodontest.Server).Account().ID {
					out = append(out, st.Text)
				}
			}
			return out
		}},
		{"bluesky", func(t *testing.T) (networktest.InboxFake, network.Network) {
			s := blueskytest.NewServer(t)
			return s, bluesky.New(bluesky.Options{HTTP: &http.Client{Timeout: 10 * time.Second}, Entryway: s.URL(), PLCDirectory: s.URL()})
		}, func(f networktest.InboxFake, parent string) []string {
			s := f.(*blueskytest.Server)
			if strings.HasPrefix(parent, "chat:") {
				convo, _, _ := strings.Cut(strings.TrimPrefix(parent, "chat:"), "/")
				return s.SentMessages(convo)
			}
			var out []string
			for _, r := range s.Records() {
				if r.Reply != nil && r.Reply.Parent.URI == parent {
					out = append(out, r.Text)
				}
			}
			return out
		}, func(f networktest.InboxFake) []string {
			s := f.(*blueskytest.Server)
			var out []string
			for _, c := range s.Convos() {
				out = append(out, s.SentMessages(c)...)
			}
			return out
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			fake, n := tc.fake(t)
			cred, err := networktest.Connect(t, n, fake)
			if err != nil {
				t.Fatal(err)
			}
			cfg := testConfig(t)
			g := openDB(t, cfg)
			now := time.Now
			chans := store.NewChannels(g, now)
			ch := model.Channel{Network: n.Descriptor().ID, Instance: fake.Instance(), RemoteID: "me", Handle: "shop", DisplayName: "Shop"}
			if err := chans.Create(ctx, &ch); err != nil {
				t.Fatal(err)
			}
			own := fake.OwnPost(t, "We open a new shop today")
			comment := fake.Reply(t, own, "Is it open on Sunday?")
			message := fake.Message(t, "Do you ship abroad?")
			items := store.NewInbox(g, now)
			if _, err := items.StorePage(ctx, ch.ID, store.IngestPage{Last: true}); err != nil {
				t.Fatal(err)
			}
			other := blueskytest.OtherDID
			if m, ok := fake.(*mastodontest.Server); ok {
				other = m.Other().ID
			}
			if _, err := items.StorePage(ctx, ch.ID, store.IngestPage{Items: []store.Incoming{
				{RemoteID: comment, Kind: model.InboxReply, AuthorRemoteID: other, AuthorHandle: "@other@remote.example", Text: "Is it open on Sunday?", ParentRemoteID: own, CreatedAt: now().Add(-time.Hour)},
				{RemoteID: message, Kind: model.InboxMessage, AuthorHandle: "@other@remote.example", Text: "Do you ship abroad?", ConversationID: "c", CreatedAt: now().Add(-time.Hour)},
			}}); err != nil {
				t.Fatal(err)
			}
			var rows []model.InboxItem
			if err := g.Order("id").Find(&rows).Error; err != nil || len(rows) != 2 {
				t.Fatalf("items = %v, %v", rows, err)
			}
			reg := network.NewRegistry(n)
			engine := publish.New(publish.Deps{DB: g, Channels: chans, Credentials: credsFor{cred}, Networks: reg, Health: noHealth{},
				Notifier: notify.Discard{}, Emitter: &events.Catcher{}, Clock: clockwork.NewRealClock(), Log: slog.New(slog.DiscardHandler)})
			posts := NewPosts(PostsDeps{DB: g, Networks: reg, Engine: engine, Media: media.NewLibrary(cfg.MediaDir), Emitter: &events.Catcher{}, Now: now})
			s := NewInbox(InboxDeps{DB: g, Inbox: items, Channels: chans, Audit: store.NewAudit(g, now), Sync: &fakeSyncer{},
				Credentials: credsFor{cred}, Networks: reg, Emitter: events.Discard{}, Replies: posts})

			for i, it := range rows {
				text := "Yes, 10 to 4."
				if it.Kind == model.InboxMessage {
					text = "@other@remote.example We do, to the EU."
				}
				check, err := s.CheckReply(ReplyInput{ItemID: it.ID, Text: text})
				if err != nil || !check.OK {
					t.Fatalf("check %s = %+v, %v", it.Kind, check, err)
				}
				key := "key-" + string(rune('a'+i)) + "-0123456789"
				first, err := s.Reply(ReplyInput{ItemID: it.ID, Text: text, Key: key})
				if err != nil {
					t.Fatal(err)
				}
				again, err := s.Reply(ReplyInput{ItemID: it.ID, Text: text, Key: key})
				if err != nil || again.TargetID != first.TargetID {
					t.Fatalf("the same key again = %+v, %v; want the first reply %d", again, err, first.TargetID)
				}
				engine.Tick(ctx)
				if got := tc.sent(fake, it.RemoteID); len(got) != 1 || !strings.Contains(got[0], strings.TrimPrefix(text, "@other@remote.example ")) {
					t.Fatalf("%s: the network holds %q in answer to %s, want the one reply", it.Kind, got, it.RemoteID)
				}
				conv, err := s.Get(it.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(conv.Replies) != 1 || conv.Replies[0].Status != string(model.TargetPublished) {
					t.Fatalf("conversation replies = %+v", conv.Replies)
				}
				got, err := items.Get(ctx, it.ID)
				if err != nil || got.FirstReplyAt == nil || got.ReadAt == nil {
					t.Fatalf("item after the reply = %+v, %v; want a first-reply time and read", got, err)
				}
			}
			// A private answer to the public comment: a direct message to its
			// author, not a reply in the thread.
			before := len(tc.private(fake))
			text := "@other@remote.example A discount code for you: SPRING"
			if _, err := s.Reply(ReplyInput{ItemID: rows[0].ID, Text: text, Key: "key-private-0123456789", Private: true}); err != nil {
				t.Fatal(err)
			}
			engine.Tick(ctx)
			if got := tc.private(fake); len(got) != before+1 || !strings.Contains(got[len(got)-1], "SPRING") {
				t.Fatalf("private messages %q (before %d), want the new one", got, before)
			}
			if got := tc.sent(fake, rows[0].RemoteID); len(got) != 1 {
				t.Fatalf("the thread holds %q, want only the public reply", got)
			}
			page, err := s.List(InboxFilter{HasReply: "yes"}, "")
			if err != nil || len(page.Items) != 2 {
				t.Fatalf("has-reply filter = %+v, %v", page, err)
			}
			entries, _, err := store.NewAudit(g, now).List(ctx, store.AuditFilter{EventLike: "inbox.reply"})
			if err != nil || len(entries) != 3 || entries[0].Actor != model.ActorUser {
				t.Fatalf("audit = %+v, %v; want three reply lines by the user", entries, err)
			}
		})
	}
}

// Bad replies are refused with the reason and nothing is saved: an empty
// text, one over the network's limit, a Mastodon direct message that names
// nobody, a reply to a deleted item, a missing key.
func TestABadReplyIsRefusedAndNothingIsSaved(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig(t)
	g := openDB(t, cfg)
	chans := store.NewChannels(g, now)
	ch := model.Channel{Network: "mastodon", Instance: "https://m.example", RemoteID: "1", Handle: "shop", DisplayName: "Shop"}
	if err := chans.Create(ctx, &ch); err != nil {
		t.Fatal(err)
	}
	items := store.NewInbox(g, now)
	if _, err := items.StorePage(ctx, ch.ID, store.IngestPage{Last: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := items.StorePage(ctx, ch.ID, store.IngestPage{Items: []store.Incoming{
		{RemoteID: "m1", Kind: model.InboxMessage, AuthorHandle: "@ana@social.example", Text: "hi", CreatedAt: t0},
		{RemoteID: "r1", Kind: model.InboxReply, AuthorHandle: "@bo@social.example", Text: "gone soon", CreatedAt: t0},
	}}); err != nil {
		t.Fatal(err)
	}
	var msg, gone model.InboxItem
	g.Where("remote_id = 'm1'").Take(&msg)
	g.Where("remote_id = 'r1'").Take(&gone)
	if _, err := items.StoreRefresh(ctx, ch.ID, []store.Incoming{{RemoteID: "r1", Deleted: true}}); err != nil {
		t.Fatal(err)
	}
	reg := network.NewRegistry(mastodon.New(mastodon.Options{}))
	posts := NewPosts(PostsDeps{DB: g, Networks: reg, Engine: &wakeCounter{}, Media: media.NewLibrary(cfg.MediaDir), Emitter: &events.Catcher{}, Now: now})
	s := NewInbox(InboxDeps{DB: g, Inbox: items, Channels: chans, Audit: store.NewAudit(g, now), Sync: &fakeSyncer{},
		Networks: reg, Emitter: events.Discard{}, Replies: posts})
	cases := []struct {
		name string
		in   ReplyInput
		want string
	}{
		{"empty", ReplyInput{ItemID: msg.ID, Text: "   ", Key: "k-empty-0001"}, ""},
		{"too long", ReplyInput{ItemID: msg.ID, Text: "@ana@social.example " + strings.Repeat("a", 600), Key: "k-long-00001"}, "500"},
		{"names nobody", ReplyInput{ItemID: msg.ID, Text: "Sure!", Key: "k-nobody-001"}, "@ana@social.example"},
		{"deleted", ReplyInput{ItemID: gone.ID, Text: "Thanks", Key: "k-deleted-01"}, "deleted"},
		{"no key", ReplyInput{ItemID: msg.ID, Text: "@ana@social.example hi"}, "key"},
		{"missing item", ReplyInput{ItemID: 9999, Text: "hi", Key: "k-missing-01"}, "no longer exists"},
	}
	for _, tc := range cases {
		_, err := s.Reply(tc.in)
		var ae *apperr.Error
		if !errors.As(err, &ae) || !strings.Contains(ae.Message, tc.want) {
			t.Errorf("%s: err = %v, want a clear error mentioning %q", tc.name, err, tc.want)
		}
	}
	var n int64
	g.Model(&model.Post{}).Count(&n)
	if n != 0 {
		t.Errorf("%d posts saved by refused replies", n)
	}
}
