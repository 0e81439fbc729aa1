package service

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"herald/backend/events"
	"herald/backend/media"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/store"
)

type wakeCounter struct{ wakes int }

func (w *wakeCounter) Wake() { w.wakes++ }
func (w *wakeCounter) CancelHandoff(context.Context, model.PostTarget) error {
	return nil
}

func postsFixture(t *testing.T) (*Posts, model.Channel, *wakeCounter, *store.Audit) {
	t.Helper()
	cfg := testConfig(t)
	g := openDB(t, cfg)
	clock := time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	ch := model.Channel{Network: "bluesky", Instance: "https://bsky.example", RemoteID: "did:plc:x", Handle: "shop.bsky.social", DisplayName: "Shop"}
	if err := store.NewChannels(g, now).Create(context.Background(), &ch); err != nil {
		t.Fatal(err)
	}
	w := &wakeCounter{}
	p := NewPosts(PostsDeps{DB: g, Networks: network.NewRegistry(bluesky.New(bluesky.Options{})), Engine: w,
		Media: media.NewLibrary(cfg.MediaDir), Emitter: &events.Catcher{}, Now: now})
	return p, ch, w, store.NewAudit(g, now)
}

func TestComposeValidateScheduleAndUnschedule(t *testing.T) {
	p, ch, w, audit := postsFixture(t)
	long := strings.Repeat("a", 301)
	v, err := p.Validate(DraftInput{Variants: []VariantInput{{ChannelID: ch.ID, Text: long}}})
	if err != nil {
		t.Fatal(err)
	}
	if v.OK || len(v.Variants) != 1 || v.Variants[0].Result.Text.Chars != 301 {
		t.Fatalf("validation of 301 characters on Bluesky = %+v", v)
	}
	draft, err := p.SaveDraft(DraftInput{Title: "Spring sale", TimeZone: "Europe/Berlin", Variants: []VariantInput{{ChannelID: ch.ID, Text: long}}})
	if err != nil {
		t.Fatal(err)
	}
	if draft.Status != "draft" || len(draft.Targets) != 1 || draft.Targets[0].Status != "draft" {
		t.Fatalf("draft = %+v", draft)
	}
	if _, err := p.Schedule(draft.ID, "2026-04-01T09:00", "Europe/Berlin"); err == nil || !strings.Contains(err.Error(), "300") {
		t.Fatalf("scheduling an invalid post = %v, want the validation message", err)
	}
	draft.Targets[0].Variant.Text = "Spring sale starts Sunday 🌷"
	if _, err := p.SaveDraft(DraftInput{ID: draft.ID, Title: "Spring sale", TimeZone: "Europe/Berlin", Variants: []VariantInput{draft.Targets[0].Variant}}); err != nil {
		t.Fatal(err)
	}
	res, err := p.Schedule(draft.ID, "2026-03-29T02:30", "Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Note, "does not exist") || res.Post.ScheduledAt != "2026-03-29T01:30:00Z" || res.Post.Status != "scheduled" ||
		res.Post.Targets[0].Status != "scheduled" || res.Post.LocalTime != "2026-03-29T03:30" {
		t.Fatalf("schedule in the DST gap = %+v", res)
	}
	if w.wakes == 0 {
		t.Error("scheduling did not wake the engine")
	}
	moved, err := p.Reschedule(draft.ID, "2026-04-02T07:00:00Z")
	if err != nil || moved.ScheduledAt != "2026-04-02T07:00:00Z" || moved.TimeZone != "Europe/Berlin" {
		t.Fatalf("reschedule = %+v, %v", moved, err)
	}
	if _, err := p.Reschedule(draft.ID, "2020-01-01T00:00:00Z"); err == nil {
		t.Error("rescheduling into the past was accepted")
	}
	back, err := p.Unschedule(draft.ID)
	if err != nil || back.Status != "draft" || back.Targets[0].DueAt != "" {
		t.Fatalf("unschedule = %+v, %v", back, err)
	}
	if err := p.Delete(draft.ID); err != nil {
		t.Fatal(err)
	}
	want := []string{"post.created", "post.updated", "post.scheduled", "post.rescheduled", "post.unscheduled", "post.deleted"}
	entries, _, _ := audit.List(context.Background(), store.AuditFilter{EventLike: "post."})
	var got []string
	for i := len(entries) - 1; i >= 0; i-- {
		got = append(got, entries[i].Event)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("audit = %v, want %v", got, want)
	}
}

func TestQueueNeedsSlotsThenTakesTheNextFreeOne(t *testing.T) {
	p, ch, _, _ := postsFixture(t)
	draft, err := p.SaveDraft(DraftInput{TimeZone: "UTC", Variants: []VariantInput{{ChannelID: ch.ID, Text: "queued"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.AddToQueue(draft.ID); err == nil || !strings.Contains(err.Error(), "no queue times") {
		t.Fatalf("queue without slots = %v", err)
	}
	pub := NewPublishing(p.db, nil, &events.Catcher{}, p.now)
	if _, err := pub.SetQueueSlots(QueueTimes{ChannelID: ch.ID, TimeZone: "Europe/Berlin", Slots: []SlotView{{Weekday: 1, Time: "09:00"}, {Weekday: 1, Time: "25:00"}}}); err == nil {
		t.Error("a slot at 25:00 was accepted")
	}
	if _, err := pub.SetQueueSlots(QueueTimes{ChannelID: ch.ID, TimeZone: "Europe/Berlin", Slots: []SlotView{{Weekday: 1, Time: "09:00"}}}); err != nil {
		t.Fatal(err)
	}
	queued, err := p.AddToQueue(draft.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Friday 20 March 2026 → Monday 23 March, 09:00 in Berlin (CET).
	if queued.Targets[0].DueAt != "2026-03-23T08:00:00Z" || !queued.Targets[0].Queued {
		t.Fatalf("queued = %+v", queued.Targets[0])
	}
	second, _ := p.SaveDraft(DraftInput{TimeZone: "UTC", Variants: []VariantInput{{ChannelID: ch.ID, Text: "also queued"}}})
	q2, err := p.AddToQueue(second.ID)
	if err != nil || q2.Targets[0].DueAt != "2026-03-30T07:00:00Z" {
		t.Fatalf("second queued = %+v, %v (want the Monday after, in CEST)", q2.Targets, err)
	}
}

func TestMediaIsCopiedAndAttached(t *testing.T) {
	p, ch, _, _ := postsFixture(t)
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 8, 8)))
	m, err := p.ImportMediaData("photo.png", base64.StdEncoding.EncodeToString(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if m.MIME != "image/png" || m.Width != 8 {
		t.Fatalf("imported = %+v", m)
	}
	m.AltText = "A tiny black square"
	draft, err := p.SaveDraft(DraftInput{TimeZone: "UTC", Variants: []VariantInput{{ChannelID: ch.ID, Text: "", Media: []MediaView{m}}}})
	if err != nil {
		t.Fatal(err)
	}
	got := draft.Targets[0].Variant.Media
	if len(got) != 1 || got[0].AltText != "A tiny black square" || got[0].Path != m.Path {
		t.Fatalf("attached media = %+v", got)
	}
	if url, err := p.MediaPreview(m.Path); err != nil || !strings.HasPrefix(url, "data:image/png;base64,") {
		t.Errorf("preview = %.40s, %v", url, err)
	}
	if _, err := p.ImportMediaData("bad.png", "%%%"); err == nil {
		t.Error("undecodable data was accepted")
	}
}

func TestCountOfSaysOneOrMany(t *testing.T) {
	for n, want := range map[int]string{0: "0 channels", 1: "1 channel", 2: "2 channels", 12: "12 channels"} {
		if got := countOf(n, "channel", "channels"); got != want {
			t.Errorf("countOf(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestDraftAuditCountsChannelsInPlainWords(t *testing.T) {
	p, ch, _, audit := postsFixture(t)
	if _, err := p.SaveDraft(DraftInput{Title: "One", TimeZone: "UTC", Variants: []VariantInput{{ChannelID: ch.ID, Text: "hello"}}}); err != nil {
		t.Fatal(err)
	}
	entries, _, err := audit.List(context.Background(), store.AuditFilter{EventLike: "post.created"})
	if err != nil || len(entries) != 1 {
		t.Fatalf("audit = %+v, %v", entries, err)
	}
	if s := entries[0].Summary; !strings.HasSuffix(s, "for 1 channel") || strings.Contains(s, "(s)") {
		t.Errorf("summary = %q, want it to end in \"for 1 channel\"", s)
	}
}

func TestQueuePagesCarryTheirCursorAndCounts(t *testing.T) {
	p, ch, _, _ := postsFixture(t)
	for i := range 5 {
		if _, err := p.SaveDraft(DraftInput{Title: fmt.Sprintf("Draft %d", i), TimeZone: "UTC", Variants: []VariantInput{{ChannelID: ch.ID, Text: "Hello"}}}); err != nil {
			t.Fatal(err)
		}
	}
	var titles []string
	after := ""
	for pages := 0; pages < 10; pages++ {
		page, err := p.QueuePage(QueuePageQuery{Tab: "drafts", After: after, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.Posts {
			titles = append(titles, s.Title)
		}
		if after = page.Next; after == "" {
			break
		}
	}
	// Saved at the same moment: the newest id first.
	if strings.Join(titles, ",") != "Draft 4,Draft 3,Draft 2,Draft 1,Draft 0" {
		t.Fatalf("drafts paged as %v", titles)
	}
	counts, err := p.QueueCounts(PostQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if counts != (QueueCounts{Drafts: 5}) {
		t.Fatalf("counts = %+v", counts)
	}
	if _, err := p.QueuePage(QueuePageQuery{Tab: "drafts", After: "not-a-cursor"}); err == nil {
		t.Fatal("a broken cursor was accepted")
	}
	if _, err := p.QueuePage(QueuePageQuery{Tab: "everything"}); err == nil {
		t.Fatal("an unknown tab was accepted")
	}
}
