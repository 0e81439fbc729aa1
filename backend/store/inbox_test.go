package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"herald/backend/model"
)

// inboxWith stores n items on a new channel (one page, after the backlog)
// and returns the repository and the channel id.
func inboxWith(t *testing.T, items ...Incoming) (*Inbox, int64) {
	t.Helper()
	g := openDB(t)
	now := func() time.Time { return t0 }
	ch := model.Channel{Network: "mastodon", Instance: "https://m.example", RemoteID: "1", Handle: "shop"}
	if err := NewChannels(g, now).Create(context.Background(), &ch); err != nil {
		t.Fatal(err)
	}
	in := NewInbox(g, now)
	if _, err := in.StorePage(context.Background(), ch.ID, IngestPage{Last: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := in.StorePage(context.Background(), ch.ID, IngestPage{Items: items}); err != nil {
		t.Fatal(err)
	}
	return in, ch.ID
}

func item(id string, kind model.InboxKind, minute int, text string) Incoming {
	return Incoming{RemoteID: id, Kind: kind, AuthorHandle: "@ana@social.example", AuthorName: "Ana", Text: text,
		CreatedAt: t0.Add(time.Duration(minute) * time.Minute)}
}

func remoteIDs(items []model.InboxItem) string {
	s := ""
	for _, it := range items {
		s += it.RemoteID + " "
	}
	return s
}

func TestInboxListFiltersAndPagesNewestFirst(t *testing.T) {
	ctx := context.Background()
	in, ch := inboxWith(t,
		item("1", model.InboxMention, 1, "Where is my parcel?"),
		item("2", model.InboxReply, 2, "Love the new café"),
		item("3", model.InboxMessage, 3, "Do you ship to Åland?"),
		item("4", model.InboxReply, 3, "Parcel arrived, thanks"),
		Incoming{RemoteID: "5", Kind: model.InboxQuote, AuthorHandle: "@bo@x.example", AuthorName: "Bo Parcel", Text: "quote", CreatedAt: t0.Add(5 * time.Minute)},
	)
	get := func(id string) int64 {
		items, _, err := in.List(ctx, InboxFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if it.RemoteID == id {
				return it.ID
			}
		}
		t.Fatalf("item %s not listed", id)
		return 0
	}
	if _, err := in.AddLabel(ctx, get("2"), " Praise "); err != nil {
		t.Fatal(err)
	}
	if _, err := in.SetStatus(ctx, get("4"), model.InboxDone); err != nil {
		t.Fatal(err)
	}
	if _, err := in.RecordFirstReply(ctx, get("1"), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	yes, no := true, false
	cases := []struct {
		name string
		f    InboxFilter
		want string
	}{
		{"all, newest first, ties by id", InboxFilter{}, "5 4 3 2 1 "},
		{"channel", InboxFilter{ChannelIDs: []int64{ch}}, "5 4 3 2 1 "},
		{"other channel", InboxFilter{ChannelIDs: []int64{ch + 1}}, ""},
		{"kinds", InboxFilter{Kinds: []model.InboxKind{model.InboxReply, model.InboxQuote}}, "5 4 2 "},
		{"status", InboxFilter{Statuses: []model.InboxStatus{model.InboxOpen}}, "5 3 2 1 "},
		{"label in other case", InboxFilter{Label: "praise"}, "2 "},
		{"unread (done marks read)", InboxFilter{UnreadOnly: true}, "5 3 2 1 "},
		{"answered", InboxFilter{HasReply: &yes}, "1 "},
		{"not answered", InboxFilter{HasReply: &no}, "5 4 3 2 "},
		{"text, any case, prefix", InboxFilter{Text: "parc"}, "5 4 1 "},
		{"text, every word", InboxFilter{Text: "parcel thanks"}, "4 "},
		{"text, a page filled by the newest rows", InboxFilter{Text: "parc", Limit: 2}, "5 4 "},
		{"text, a page after a cursor", InboxFilter{Text: "parc", Limit: 2, After: &InboxCursor{CreatedAt: t0.Add(3 * time.Minute), ID: 4}}, "1 "},
		{"text without diacritics", InboxFilter{Text: "aland"}, "3 "},
		{"text: FTS syntax is literal", InboxFilter{Text: `parcel" OR "x NEAR(`}, ""},
		{"author handle", InboxFilter{Text: "bo"}, "5 "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			items, _, err := in.List(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if got := remoteIDs(items); got != tc.want {
				t.Errorf("List(%s) = %q, want %q", tc.name, got, tc.want)
			}
		})
	}
	// Keyset paging visits every item once, in order, across equal times.
	var seen string
	f := InboxFilter{Limit: 2}
	for pages := 0; ; pages++ {
		items, next, err := in.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		seen += remoteIDs(items)
		if next == nil {
			break
		}
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		f.After = next
	}
	if seen != "5 4 3 2 1 " {
		t.Errorf("pages = %q", seen)
	}
}

func TestInboxEditsReachTheSearchAndDeletionsAreFinal(t *testing.T) {
	ctx := context.Background()
	in, ch := inboxWith(t, item("1", model.InboxReply, 1, "first words"))
	edit := item("1", model.InboxReply, 1, "second thoughts")
	edit.EditedAt = t0.Add(time.Hour)
	if _, err := in.StorePage(ctx, ch, IngestPage{Items: []Incoming{edit}}); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{"first": 0, "second": 1} {
		items, _, err := in.List(ctx, InboxFilter{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != want {
			t.Errorf("search %q after the edit found %d, want %d", q, len(items), want)
		}
	}
	older := item("1", model.InboxReply, 1, "stale copy")
	older.EditedAt = t0.Add(time.Minute)
	gone := item("1", model.InboxReply, 1, "")
	gone.Deleted = true
	back := item("1", model.InboxReply, 1, "back again")
	back.EditedAt = t0.Add(2 * time.Hour)
	for _, p := range []Incoming{older, gone, back} {
		if _, err := in.StorePage(ctx, ch, IngestPage{Items: []Incoming{p}}); err != nil {
			t.Fatal(err)
		}
	}
	items, _, _ := in.List(ctx, InboxFilter{})
	if len(items) != 1 || items[0].Text != "second thoughts" || items[0].DeletedAt == nil {
		t.Fatalf("after a stale edit, a deletion and a later copy: %+v", items)
	}
	c, err := in.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Total != 0 {
		t.Errorf("a deleted item counts as unread: %+v", c)
	}
}

func TestInboxUserTransitions(t *testing.T) {
	ctx := context.Background()
	in, _ := inboxWith(t, item("1", model.InboxReply, 1, "hi"))
	items, _, _ := in.List(ctx, InboxFilter{})
	id := items[0].ID

	if _, err := in.SetStatus(ctx, id, "closed"); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("unknown status: %v", err)
	}
	for _, st := range []model.InboxStatus{model.InboxArchived, model.InboxOpen, model.InboxDone, model.InboxArchived, model.InboxOpen} {
		changed, err := in.SetStatus(ctx, id, st)
		if err != nil || !changed {
			t.Fatalf("SetStatus(%s) = %v, %v", st, changed, err)
		}
	}
	if changed, _ := in.SetStatus(ctx, id, model.InboxOpen); changed {
		t.Error("setting the same status changed the item")
	}
	it, _ := in.Get(ctx, id)
	if it.ReadAt == nil {
		t.Error("an item reopened after done is unread again; reopening must keep it read")
	}
	if _, err := in.AddLabel(ctx, id, "   "); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("empty label: %v", err)
	}
	for i := 0; i < MaxLabels; i++ {
		if _, err := in.AddLabel(ctx, id, fmt.Sprintf("l%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := in.AddLabel(ctx, id, "one more"); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("label %d: %v", MaxLabels+1, err)
	}
	if changed, err := in.AddLabel(ctx, id, "L0"); err != nil || changed {
		t.Errorf("the same label again = %v, %v", changed, err)
	}
	if _, err := in.Assign(ctx, id, 99); !errors.Is(err, ErrNotFound) {
		t.Errorf("assign to a missing team: %v", err)
	}
	if _, err := in.MarkRead(ctx, id+100); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing item: %v", err)
	}
	if _, err := in.RecordFirstReply(ctx, id, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if changed, _ := in.RecordFirstReply(ctx, id, t0.Add(3*time.Hour)); changed {
		t.Error("a later reply replaced the first-reply time")
	}
	if changed, _ := in.RecordFirstReply(ctx, id, t0.Add(time.Hour)); !changed {
		t.Error("an earlier reply did not replace the first-reply time")
	}
	before := it.Version
	it, _ = in.Get(ctx, id)
	if it.Version <= before || len(it.Labels) != MaxLabels || !it.FirstReplyAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("item = version %d (was %d), %d labels, first reply %v", it.Version, before, len(it.Labels), it.FirstReplyAt)
	}
}

// TestInboxSearchPagesNewestStoredFirst: a search lists matches in the
// order Herald stored them, newest first, even when the network's times
// are out of that order (a backlog read newest first, a server clock
// off), and its pages together hold every match once.
func TestInboxSearchPagesNewestStoredFirst(t *testing.T) {
	var items []Incoming
	for i := range 23 {
		// Stored in this order; created times jump back and forth.
		items = append(items, item(fmt.Sprint(i), model.InboxReply, (i*7)%11, fmt.Sprintf("parcel question %d", i)))
	}
	items = append(items, item("other", model.InboxReply, 5, "no match here"))
	in, _ := inboxWith(t, items...)
	for _, window := range []int64{searchWindow, 3, 1} {
		t.Run(fmt.Sprintf("first window %d ids", window), func(t *testing.T) {
			in.window = window
			searchAllPages(t, in)
		})
	}
}

func searchAllPages(t *testing.T, in *Inbox) {
	t.Helper()
	ctx := context.Background()
	var got []string
	var after *InboxCursor
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		page, next, err := in.List(ctx, InboxFilter{Text: "parcel", Limit: 5, After: after})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page {
			got = append(got, it.RemoteID)
		}
		if next == nil {
			break
		}
		after = next
	}
	want := make([]string, 0, 23)
	for i := 22; i >= 0; i-- {
		want = append(want, fmt.Sprint(i))
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("search pages = %v, want every match once, newest stored first: %v", got, want)
	}
}
