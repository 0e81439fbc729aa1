package service

import (
	"context"
	"strings"
	"testing"

	"herald/backend/apperr"
	"herald/backend/events"
	"herald/backend/media"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
)

// Saved replies: a typo in a variable is refused when saved, names are
// unique, every change has its audit line, and filling one for an item
// puts in the author's name and handle and the address of the channel's
// post the item is about.
func TestSavedRepliesAreCheckedAndFilled(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig(t)
	g := openDB(t, cfg)
	chans := store.NewChannels(g, now)
	ch := model.Channel{Network: "mastodon", Instance: "https://m.example", RemoteID: "1", Handle: "shop", DisplayName: "Shop"}
	if err := chans.Create(ctx, &ch); err != nil {
		t.Fatal(err)
	}
	// The channel's post, as Herald published it.
	if err := g.Exec(`INSERT INTO posts (id, kind, title, status, time_zone, handoff, origin, created_at, updated_at) VALUES (1, 'post', '', 'published', 'UTC', 0, 'app', ?, ?)`, t0, t0).Error; err != nil {
		t.Fatal(err)
	}
	if err := g.Exec(`INSERT INTO post_targets (post_id, channel_id, body, status, idempotency_key, remote_id, remote_url, handoff_id, position, created_at, updated_at)
		VALUES (1, ?, 'Sale', 'published', 'k1', '900', 'https://m.example/@shop/900', '', 0, ?, ?)`, ch.ID, t0, t0).Error; err != nil {
		t.Fatal(err)
	}
	items := store.NewInbox(g, now)
	if _, err := items.StorePage(ctx, ch.ID, store.IngestPage{Last: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := items.StorePage(ctx, ch.ID, store.IngestPage{Items: []store.Incoming{
		{RemoteID: "1001", Kind: model.InboxReply, AuthorHandle: "@ana@social.example", AuthorName: "Ana", Text: "Shipping?", ParentRemoteID: "900", RootRemoteID: "900", CreatedAt: t0},
		{RemoteID: "1002", Kind: model.InboxMention, AuthorHandle: "@bo@social.example", Text: "hi", URL: "https://social.example/@bo/1002", CreatedAt: t0},
		{RemoteID: "1003", Kind: model.InboxMessage, AuthorHandle: "@cy@social.example", Text: "psst", CreatedAt: t0},
	}}); err != nil {
		t.Fatal(err)
	}
	var rows []model.InboxItem
	g.Order("remote_id").Find(&rows)
	reg := network.NewRegistry()
	posts := NewPosts(PostsDeps{DB: g, Networks: reg, Engine: &wakeCounter{}, Media: media.NewLibrary(cfg.MediaDir), Emitter: &events.Catcher{}, Now: now})
	audit := store.NewAudit(g, now)
	s := NewInbox(InboxDeps{DB: g, Inbox: items, Channels: chans, Audit: audit, Sync: &fakeSyncer{}, Networks: reg, Emitter: events.Discard{}, Replies: posts})

	if _, err := s.SaveSavedReply(SavedReplyInput{Name: "Typo", Body: "Hi {nome}"}); !isCode(err, apperr.CodeInvalid) || !strings.Contains(err.Error(), "{nome}") {
		t.Fatalf("an unknown variable: %v", err)
	}
	saved, err := s.SaveSavedReply(SavedReplyInput{Name: " Shipping ", Body: "Hi {name} ({handle}), we ship to the EU: {post_url}"})
	if err != nil || saved.Name != "Shipping" {
		t.Fatalf("save = %+v, %v", saved, err)
	}
	if _, err := s.SaveSavedReply(SavedReplyInput{Name: "shipping", Body: "again"}); !isCode(err, apperr.CodeInvalid) {
		t.Fatalf("a second reply of the same name: %v", err)
	}
	cases := []struct {
		item    model.InboxItem
		want    string
		missing []string
	}{
		{rows[0], "Hi Ana (@ana@social.example), we ship to the EU: https://m.example/@shop/900", nil},
		{rows[1], "Hi @bo@social.example (@bo@social.example), we ship to the EU: https://social.example/@bo/1002", nil},
		{rows[2], "Hi @cy@social.example (@cy@social.example), we ship to the EU: ", []string{"post_url"}},
	}
	for _, tc := range cases {
		got, err := s.FillSavedReply(saved.ID, tc.item.ID)
		if err != nil || got.Text != tc.want || strings.Join(got.Missing, ",") != strings.Join(tc.missing, ",") {
			t.Errorf("fill for %s = %+v, %v; want %q missing %v", tc.item.RemoteID, got, err, tc.want, tc.missing)
		}
	}
	if err := s.DeleteSavedReply(saved.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FillSavedReply(saved.ID, rows[0].ID); !isCode(err, apperr.CodeNotFound) {
		t.Errorf("a deleted saved reply: %v", err)
	}
	entries, _, err := audit.List(ctx, store.AuditFilter{EventLike: "inbox.saved_reply"})
	if err != nil || len(entries) != 2 {
		t.Errorf("audit = %+v, %v; want created and deleted", entries, err)
	}
}
