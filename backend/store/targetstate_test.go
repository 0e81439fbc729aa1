package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"herald/backend/model"
)

// targetIn stores a post with one target in the given shape and returns it.
func targetIn(t *testing.T, p *Posts, ch int64, status model.TargetStatus, reconcile bool, handoff, items string) model.PostTarget {
	t.Helper()
	ctx := context.Background()
	post := &model.Post{Title: "p", Status: model.PostDraft, TimeZone: "UTC", MissedPolicy: model.MissedPublishLate, GraceMinutes: 60, Origin: "app"}
	tg := model.PostTarget{ChannelID: ch, Body: "hello", Thread: "[]", Options: "{}", IdempotencyKey: fmt.Sprintf("k-%d", time.Now().UnixNano()), ItemIDs: "[]"}
	if err := p.Save(ctx, post, []model.PostTarget{tg}); err != nil {
		t.Fatal(err)
	}
	due := t0.Add(time.Hour)
	if err := p.db.Exec(`UPDATE post_targets SET status = ?, reconcile = ?, handoff_id = ?, item_ids = ?, due_at = ?, next_attempt_at = ? WHERE post_id = ?`,
		status, reconcile, handoff, items, due, due, post.ID).Error; err != nil {
		t.Fatal(err)
	}
	got, err := p.Get(ctx, post.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got.Targets[0]
}

// TestEveryUserActionFromEveryState runs each user action against every
// target state with each mark, on a real database, and checks the SQL
// guard agrees with the declared rules: the move happens exactly when the
// rules allow it, and a refusal names the reason.
func TestEveryUserActionFromEveryState(t *testing.T) {
	g := openDB(t)
	now := func() time.Time { return t0 }
	posts, targets, chs := NewPosts(g, now), NewTargets(g, now), NewChannels(g, now)
	ch := model.Channel{Network: "mastodon", Instance: "https://m.example", RemoteID: "1", Handle: "shop"}
	if err := chs.Create(context.Background(), &ch); err != nil {
		t.Fatal(err)
	}
	states := []model.TargetStatus{model.TargetDraft, model.TargetScheduled, model.TargetClaimed, model.TargetPublished,
		model.TargetFailed, model.TargetSkipped, model.TargetBlocked, model.TargetCancelled}
	type shape struct {
		reconcile bool
		handoff   string
		items     string
	}
	shapes := []shape{{false, "", "[]"}, {true, "", "[]"}, {false, "77", "[]"}, {false, "", `["1"]`}}
	actions := []TargetAction{ActionSchedule, ActionPublishNow, ActionUnschedule, ActionEdit, ActionDelete, ActionRetry, ActionSkip}
	ctx := context.Background()
	for _, a := range actions {
		for _, st := range states {
			for _, sh := range shapes {
				name := fmt.Sprintf("%s/from_%s/reconcile=%v,handoff=%q,items=%s", a, st, sh.reconcile, sh.handoff, sh.items)
				t.Run(name, func(t *testing.T) {
					tg := targetIn(t, posts, ch.ID, st, sh.reconcile, sh.handoff, sh.items)
					want := CheckUser(tg, a)
					var err error
					switch a {
					case ActionSchedule, ActionPublishNow:
						err = posts.ScheduleTargets(ctx, tg.PostID, map[int64]time.Time{tg.ID: t0.Add(2 * time.Hour)}, false, nil, a)
					case ActionUnschedule:
						err = posts.Unschedule(ctx, tg.PostID)
					case ActionEdit:
						post, gerr := posts.Get(ctx, tg.PostID)
						if gerr != nil {
							t.Fatal(gerr)
						}
						edited := post.Targets[0]
						edited.Body = "edited"
						err = posts.Save(ctx, &post, []model.PostTarget{edited})
					case ActionDelete:
						err = posts.Delete(ctx, tg.PostID)
					case ActionRetry:
						_, err = targets.Retry(ctx, tg.ID)
					case ActionSkip:
						_, err = targets.Skip(ctx, tg.ID)
					}
					if a == ActionUnschedule && st == model.TargetPublished {
						want = nil // a published variant stays as it is; the rest go back to drafts
					}
					if a == ActionUnschedule && st == model.TargetDraft {
						want = nil
					}
					if (want == nil) != (err == nil) {
						t.Fatalf("rules say %v, the database said %v", want, err)
					}
					if want != nil {
						var te, wantTE *TransitionError
						_ = errors.As(want, &wantTE)
						if !errors.As(err, &te) || te.Reason != wantTE.Reason {
							t.Fatalf("refused with %v, want reason %s", err, wantTE.Reason)
						}
						after, gerr := posts.Get(ctx, tg.PostID)
						if gerr != nil || after.Targets[0].Version != tg.Version || after.Targets[0].Status != tg.Status {
							t.Fatalf("a refused %s still changed the target: %+v (%v)", a, after.Targets, gerr)
						}
						return
					}
					if a == ActionDelete {
						if _, gerr := posts.Get(ctx, tg.PostID); !errors.Is(gerr, ErrNotFound) {
							t.Fatalf("post still there after delete: %v", gerr)
						}
						return
					}
					after, gerr := posts.Get(ctx, tg.PostID)
					if gerr != nil {
						t.Fatal(gerr)
					}
					got := after.Targets[0]
					if st != model.TargetDraft || a != ActionUnschedule {
						if got.Version <= tg.Version && (a != ActionUnschedule || st != model.TargetPublished) {
							t.Fatalf("version %d → %d: a transition must bump it", tg.Version, got.Version)
						}
					}
					// Nothing but a reconcile clears the "must reconcile" mark.
					if sh.reconcile && !got.Reconcile {
						t.Fatalf("%s cleared the must-reconcile mark", a)
					}
				})
			}
		}
	}
}

func TestOnlyTheClaimHolderFinishesATarget(t *testing.T) {
	g := openDB(t)
	now := func() time.Time { return t0 }
	posts, targets, chs := NewPosts(g, now), NewTargets(g, now), NewChannels(g, now)
	ch := model.Channel{Network: "mastodon", Instance: "https://m.example", RemoteID: "1", Handle: "shop"}
	if err := chs.Create(context.Background(), &ch); err != nil {
		t.Fatal(err)
	}
	tg := targetIn(t, posts, ch.ID, model.TargetScheduled, false, "", "[]")
	ctx := context.Background()
	claimed, err := targets.ClaimDue(ctx, t0.Add(2*time.Hour), "mine", 10)
	if err != nil || len(claimed) != 1 || claimed[0].Target.ID != tg.ID {
		t.Fatalf("claim = %v, %v", claimed, err)
	}
	o := Outcome{Attempt: model.OutcomeSucceeded, Status: model.TargetPublished, RemoteID: "r", PublishedAt: t0}
	if err := targets.Finish(ctx, claimed[0], "someone else", o, nil); !errors.Is(err, ErrNotClaimed) {
		t.Fatalf("finish with another token = %v", err)
	}
	if err := targets.Finish(ctx, claimed[0], "mine", o, nil); err != nil {
		t.Fatal(err)
	}
	if err := targets.Finish(ctx, claimed[0], "mine", o, nil); !errors.Is(err, ErrNotClaimed) {
		t.Fatalf("finishing twice = %v", err)
	}
	// A parked channel is not claimed from.
	tg2 := targetIn(t, posts, ch.ID, model.TargetScheduled, false, "", "[]")
	if err := NewRateLimits(g, now).Park(ctx, ch.ID, t0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if claimed, err := targets.ClaimDue(ctx, t0.Add(2*time.Hour), "mine", 10); err != nil || len(claimed) != 0 {
		t.Fatalf("claimed %d targets (%v) of a parked channel; target %d", len(claimed), err, tg2.ID)
	}
}
