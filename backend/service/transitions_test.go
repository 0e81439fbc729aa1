package service

import (
	"context"
	"errors"
	"strings"
	"testing"

	"herald/backend/apperr"
	"herald/backend/model"
)

// takeBack records hand-off take-backs and can refuse them (offline).
type takeBack struct {
	wakeCounter
	calls int
	fail  error
}

func (k *takeBack) CancelHandoff(context.Context, model.PostTarget) error {
	k.calls++
	return k.fail
}

func TestAnUnknownOutcomeRefusesChangesAndSaysWhy(t *testing.T) {
	p, ch, _, _ := postsFixture(t)
	draft, err := p.SaveDraft(DraftInput{Title: "Sale", TimeZone: "UTC", Variants: []VariantInput{{ChannelID: ch.ID, Text: "Sale today"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Schedule(draft.ID, "2026-03-21T09:00", "UTC"); err != nil {
		t.Fatal(err)
	}
	// An attempt was interrupted after it may have reached Bluesky.
	if err := p.db.Exec(`UPDATE post_targets SET reconcile = 1 WHERE post_id = ?`, draft.ID).Error; err != nil {
		t.Fatal(err)
	}
	targetID := draft.Targets[0].ID
	refused := map[string]func() error{
		"reschedule": func() error { _, err := p.Reschedule(draft.ID, "2026-03-22T09:00:00Z"); return err },
		"unschedule": func() error { _, err := p.Unschedule(draft.ID); return err },
		"edit": func() error {
			_, err := p.SaveDraft(DraftInput{ID: draft.ID, Title: "Sale", TimeZone: "UTC", Variants: []VariantInput{{ChannelID: ch.ID, Text: "Sale tomorrow"}}})
			return err
		},
		"delete": func() error { return p.Delete(draft.ID) },
		"skip":   func() error { _, err := p.SkipTarget(targetID); return err },
		"queue":  func() error { _, err := p.AddToQueue(draft.ID); return err },
	}
	for name, act := range refused {
		err := act()
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Code != CodeOutcomeUnknown ||
			!strings.Contains(ae.Message, "Herald is still checking whether this post went out on Bluesky (Shop)") {
			t.Errorf("%s: %v", name, err)
		}
	}
	got, err := p.Get(draft.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Targets[0].Variant.Text != "Sale today" || got.Status != "scheduled" {
		t.Fatalf("a refused action changed the post: %+v", got)
	}
	// Publish now is allowed: the engine looks at the channel first, so the
	// mark stays until it has.
	if _, err := p.PublishNow(draft.ID); err != nil {
		t.Fatal(err)
	}
	var reconcile bool
	if err := p.db.Raw(`SELECT reconcile FROM post_targets WHERE id = ?`, targetID).Scan(&reconcile).Error; err != nil || !reconcile {
		t.Fatalf("publish now cleared the must-reconcile mark (%v)", err)
	}
}

func TestEditingAHandedOffPostTakesItBackAtTheServerFirst(t *testing.T) {
	p, ch, _, _ := postsFixture(t)
	k := &takeBack{fail: errors.New("the server could not be reached")}
	p.engine = k
	draft, err := p.SaveDraft(DraftInput{Title: "Later", TimeZone: "UTC", Handoff: true, Variants: []VariantInput{{ChannelID: ch.ID, Text: "v1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Schedule(draft.ID, "2026-03-21T09:00", "UTC"); err != nil {
		t.Fatal(err)
	}
	if err := p.db.Exec(`UPDATE post_targets SET handoff_id = 's1' WHERE post_id = ?`, draft.ID).Error; err != nil {
		t.Fatal(err)
	}
	edit := DraftInput{ID: draft.ID, Title: "Later", TimeZone: "UTC", Handoff: true, Variants: []VariantInput{{ChannelID: ch.ID, Text: "v2"}}}
	_, err = p.SaveDraft(edit)
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.CodeUnavailable || k.calls != 1 {
		t.Fatalf("edit while the take-back fails = %v (take-backs %d)", err, k.calls)
	}
	if got, _ := p.Get(draft.ID); got.Targets[0].Variant.Text != "v1" {
		t.Fatalf("the text changed although the server still holds the old one: %q", got.Targets[0].Variant.Text)
	}
	// Online again: the take-back clears the mark (as the engine does), then
	// the edit goes through.
	k.fail = nil
	p.engine = &clearingTakeBack{takeBack: k, p: p}
	if _, err := p.SaveDraft(edit); err != nil {
		t.Fatal(err)
	}
	if got, _ := p.Get(draft.ID); got.Targets[0].Variant.Text != "v2" || k.calls != 2 {
		t.Fatalf("after the take-back: %+v (take-backs %d)", got.Targets, k.calls)
	}
}

// clearingTakeBack clears the hand-off mark as Engine.CancelHandoff does.
type clearingTakeBack struct {
	*takeBack
	p *Posts
}

func (c *clearingTakeBack) CancelHandoff(ctx context.Context, tg model.PostTarget) error {
	if err := c.takeBack.CancelHandoff(ctx, tg); err != nil {
		return err
	}
	_, err := c.p.targets.SetHandoff(ctx, tg, "", false)
	return err
}
