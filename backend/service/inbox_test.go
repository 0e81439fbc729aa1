package service

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"herald/backend/apperr"
	"herald/backend/events"
	"herald/backend/inbox"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
)

type fakeSyncer struct{ calls []int64 }

func (f *fakeSyncer) SyncNow(_ context.Context, id int64) error {
	f.calls = append(f.calls, id)
	if id == 99 {
		return inbox.ErrNoInbox
	}
	return nil
}
func (f *fakeSyncer) Readable(ch model.Channel) bool { return ch.Network == "mastodon" }

type threadNet struct{ fail bool }

func (threadNet) Descriptor() network.Descriptor {
	return network.Descriptor{ID: "mastodon", Name: "Mastodon"}
}
func (n threadNet) ReadThread(_ context.Context, _ string, _ network.Credential, id string) (network.Thread, error) {
	if n.fail {
		return network.Thread{}, &network.Error{Class: network.ClassTransient, Message: "down"}
	}
	return network.Thread{Items: []network.InboxItem{{RemoteID: "root", Text: "our post"}, {RemoteID: id, Text: "from the network"}}}, nil
}

type okCreds struct{}

func (okCreds) Fresh(context.Context, model.Channel) (network.Credential, error) {
	return network.Credential{AccessToken: "t"}, nil
}

func TestInboxServiceActionsAreAuditedAndListed(t *testing.T) {
	ctx := context.Background()
	g := openDB(t, testConfig(t))
	chans, audit, items := store.NewChannels(g, now), store.NewAudit(g, now), store.NewInbox(g, now)
	ch := model.Channel{Network: "mastodon", Instance: "https://m.example", RemoteID: "1", Handle: "shop", DisplayName: "Shop"}
	if err := chans.Create(ctx, &ch); err != nil {
		t.Fatal(err)
	}
	if _, err := items.StorePage(ctx, ch.ID, store.IngestPage{Last: true}); err != nil {
		t.Fatal(err)
	}
	var in []store.Incoming
	for i, id := range []string{"a", "b", "c"} {
		in = append(in, store.Incoming{RemoteID: id, Kind: model.InboxReply, AuthorHandle: "@ana", Text: "secret text " + id,
			RootRemoteID: "root", CreatedAt: t0.Add(time.Duration(i) * time.Minute)})
	}
	if _, err := items.StorePage(ctx, ch.ID, store.IngestPage{Items: in}); err != nil {
		t.Fatal(err)
	}
	sync := &fakeSyncer{}
	net := &threadNet{}
	s := NewInbox(InboxDeps{DB: g, Inbox: items, Channels: chans, Audit: audit, Sync: sync, Credentials: okCreds{},
		Networks: network.NewRegistry(net), Emitter: events.Discard{}})

	page, err := s.List(InboxFilter{Limit: 2}, "")
	if err != nil || len(page.Items) != 2 || page.Next == "" || page.Items[0].RemoteID != "c" || page.Items[0].ChannelName != "Shop" {
		t.Fatalf("first page = %+v, %v", page, err)
	}
	rest, err := s.List(InboxFilter{Limit: 2}, page.Next)
	if err != nil || len(rest.Items) != 1 || rest.Items[0].RemoteID != "a" || rest.Next != "" {
		t.Fatalf("second page = %+v, %v", rest, err)
	}
	if _, err := s.List(InboxFilter{}, "garbage"); !isCode(err, apperr.CodeInvalid) {
		t.Errorf("a bad cursor: %v", err)
	}
	if _, err := s.List(InboxFilter{Kinds: []string{"like"}}, ""); !isCode(err, apperr.CodeInvalid) {
		t.Errorf("an unknown kind: %v", err)
	}

	ids := []int64{page.Items[0].ID, page.Items[1].ID}
	if err := s.MarkRead(ids); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkRead(ids); err != nil { // nothing changes: no audit line
		t.Fatal(err)
	}
	if err := s.SetStatus(ids[:1], "done"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddLabel(ids[:1], "  "); !isCode(err, apperr.CodeInvalid) {
		t.Errorf("empty label: %v", err)
	}
	if err := s.AddLabel(ids[:1], "VIP"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetNote(ids[0], "call back"); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkUnread([]int64{12345}); !isCode(err, apperr.CodeNotFound) {
		t.Errorf("missing item: %v", err)
	}
	entries, _, err := audit.List(ctx, store.AuditFilter{EventLike: "inbox."})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"inbox.note", "inbox.labeled", "inbox.status", "inbox.read", "inbox.read"}
	if len(entries) != len(want) {
		t.Fatalf("audit = %d lines, want %d: %+v", len(entries), len(want), entries)
	}
	for i, e := range entries {
		if e.Event != want[i] || e.Actor != model.ActorUser || e.ChannelID == nil || *e.ChannelID != ch.ID {
			t.Errorf("audit line %d = %+v, want %s by the user on channel %d", i, e, want[i], ch.ID)
		}
		if contains(e.Summary, "secret") || contains(e.Details, "secret") {
			t.Errorf("an audit line carries the item's text: %+v", e)
		}
	}
	counts, err := s.Counts()
	if err != nil || counts.Total != 1 || len(counts.Channels) != 1 || counts.Channels[0].Unread != 1 {
		t.Errorf("counts = %+v, %v", counts, err)
	}
	labelled, err := s.List(InboxFilter{Label: "vip", Statuses: []string{"done"}}, "")
	if err != nil || len(labelled.Items) != 1 || labelled.Items[0].Note != "call back" || labelled.Items[0].Labels[0] != "VIP" {
		t.Errorf("labelled = %+v, %v", labelled, err)
	}

	conv, err := s.Get(ids[0])
	if err != nil || conv.Source != "network" || len(conv.Thread) != 2 || conv.Thread[1].ID != ids[0] {
		t.Fatalf("conversation = %+v, %v", conv, err)
	}
	net.fail = true
	conv, err = s.Get(ids[0])
	if err != nil || conv.Source != "stored" || len(conv.Thread) != 3 || conv.Notice == "" {
		t.Fatalf("stored conversation = %+v, %v", conv, err)
	}

	st, err := s.SyncNow(ch.ID)
	if err != nil || len(st) != 1 || !st[0].Readable || st[0].IntervalSeconds != 120 {
		t.Fatalf("sync now = %+v, %v", st, err)
	}
	if _, err := s.SyncNow(99); !isCode(err, apperr.CodeUnavailable) {
		t.Errorf("sync of a network without an inbox: %v", err)
	}
}

func isCode(err error, code string) bool {
	var ae *apperr.Error
	return errors.As(err, &ae) && ae.Code == code
}

func contains(s, sub string) bool {
	return strings.Contains(s, sub)
}
