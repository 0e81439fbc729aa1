package exactlyonce

import (
	"errors"
	"strings"
	"testing"
	"time"

	"herald/backend/apperr"
	"herald/backend/service"
)

// The TestRegression_* tests are the shortest action sequences
// TestExactlyOnce found for each distinct violation, written out by hand.
// Each asserts the same invariants as the model.

func newTestWorld(t *testing.T) *world {
	t.Helper()
	w := newWorld(t, t.TempDir(), 2)
	t.Cleanup(w.close)
	return w
}

// draft saves a post with one variant per channel (thread: follow-ups).
func (w *world) draft(t *testing.T, thread int, channels ...int64) int64 {
	t.Helper()
	in := service.DraftInput{TimeZone: "UTC", MissedPolicy: "publish_late"}
	for i, ch := range channels {
		v := service.VariantInput{ChannelID: ch, Text: "regression " + strings.Repeat("x", i+1), Thread: []string{}}
		for j := 0; j < thread; j++ {
			v.Thread = append(v.Thread, "follow-up")
		}
		in.Variants = append(in.Variants, v)
	}
	v, err := w.posts.SaveDraft(in)
	if err != nil {
		t.Fatalf("SaveDraft: %v", err)
	}
	w.postIDs = append(w.postIDs, v.ID)
	return v.ID
}

// acted checks a user action's answer: it may be refused, saying why (the
// outcome of the last attempt is not known yet, or the network's scheduler
// already published it); any other error is a failure.
func acted(t *testing.T, what string, err error) {
	t.Helper()
	var ae *apperr.Error
	switch {
	case err == nil:
	case errors.As(err, &ae) && (ae.Code == service.CodeOutcomeUnknown || ae.Code == apperr.CodeConflict):
		t.Logf("%s refused: %s", what, ae.Message)
	default:
		t.Fatalf("%s: %v", what, err)
	}
}

func (w *world) publishNow(t *testing.T, id int64) {
	t.Helper()
	if _, err := w.posts.PublishNow(id); err != nil {
		t.Fatalf("PublishNow: %v", err)
	}
}

func (w *world) targetOf(t *testing.T, postID int64) targetRow {
	t.Helper()
	for _, r := range w.rows() {
		if r.PostID == postID {
			return r
		}
	}
	t.Fatalf("post %d has no target", postID)
	return targetRow{}
}

// holds fails the test with every invariant violated now.
func (w *world) holds(t *testing.T, when string, settled bool) {
	t.Helper()
	ps := w.problems()
	if settled {
		ps = append(ps, w.settledProblems()...)
	}
	if len(ps) > 0 {
		t.Errorf("%s:\n  %s\nstate:\n%s", when, strings.Join(ps, "\n  "), w.describe())
	}
}

// lostAnswer publishes a new post on ch whose create request is stored by
// the network but whose answer never arrives: the outcome is unknown and
// the target waits to be reconciled.
func lostAnswer(t *testing.T, w *world, ch int64) int64 {
	t.Helper()
	id := w.draft(t, 0, ch)
	w.publishNow(t, id)
	w.net.arm(ch, faultLostAnswer, 0)
	w.clock.Advance(time.Second)
	w.tick()
	if r := w.targetOf(t, id); !r.Reconcile || r.Status != "scheduled" {
		t.Fatalf("after a lost answer the target is %s reconcile=%v, want scheduled and flagged for a check", r.Status, r.Reconcile)
	}
	w.holds(t, "after the lost answer", false)
	return id
}

// Moving a post whose last attempt may have published it (Reschedule, Add
// to queue, Publish now) clears its pending channel check, so the next
// attempt publishes it a second time.
func TestRegression_RescheduleAfterLostAnswerPublishesTwice(t *testing.T) {
	w := newTestWorld(t)
	id := lostAnswer(t, w, w.channelIDs[0])
	_, err := w.posts.Reschedule(id, w.clock.Now().Add(10*time.Minute).Format(time.RFC3339))
	acted(t, "Reschedule", err)
	w.holds(t, "after Reschedule", false)
	w.settle()
	w.holds(t, "after settling", true)
}

// Unscheduling a post whose last attempt may have published it makes it a
// draft and forgets the unknown outcome: Herald shows "draft" while the
// post is on the network.
func TestRegression_UnscheduleForgetsUnknownOutcome(t *testing.T) {
	w := newTestWorld(t)
	id := lostAnswer(t, w, w.channelIDs[0])
	_, err := w.posts.Unschedule(id)
	acted(t, "Unschedule", err)
	w.holds(t, "after Unschedule", false)
}

// Skipping a variant whose last attempt may have published it marks it
// "Skipped by you; not published." without looking at the channel.
func TestRegression_SkipAfterLostAnswerSaysNotPublished(t *testing.T) {
	w := newTestWorld(t)
	id := lostAnswer(t, w, w.channelIDs[0])
	_, err := w.posts.SkipTarget(w.targetOf(t, id).ID)
	acted(t, "SkipTarget", err)
	w.holds(t, "after SkipTarget", false)
}

// Deleting a post whose last attempt may have published it is allowed, and
// Herald forgets a post that is on the network.
func TestRegression_DeleteAfterLostAnswerForgetsPost(t *testing.T) {
	w := newTestWorld(t)
	id := lostAnswer(t, w, w.channelIDs[0])
	before := w.deleting(id)
	if err := w.posts.Delete(id); err != nil {
		t.Logf("Delete refused (the fix may do this): %v", err)
		return
	}
	w.deleted[id] = true
	w.gone = append(w.gone, before...)
	w.holds(t, "after Delete", false)
}

// A kill while one variant of a post is publishing, after another variant
// finished (which derived the post's status as "publishing"), leaves the
// post "publishing" after the restart: RecoverClaimed moves the target back
// to scheduled but does not derive the post's status again, so the UI
// shows a post in flight that is not.
func TestRegression_RecoverLeavesPostPublishing(t *testing.T) {
	w := newTestWorld(t)
	id := w.draft(t, 0, w.channelIDs[0], w.channelIDs[1])
	w.publishNow(t, id)
	w.net.arm(w.channelIDs[1], faultKillCommitted, 0)
	w.clock.Advance(time.Second)
	w.tick() // the kill restarts Herald on the same file
	if w.restarts != 1 {
		t.Fatalf("restarts = %d, want 1", w.restarts)
	}
	w.holds(t, "after the restart", false)
	w.settle()
	w.holds(t, "after settling", true)
}

// A 429 parks only the target that got it: the channel's next due target
// is sent in the same tick, inside the window the network announced.
func TestRegression_RateLimitNotParkedForTheChannel(t *testing.T) {
	w := newTestWorld(t)
	ch := w.channelIDs[0]
	first := w.draft(t, 0, ch)
	second := w.draft(t, 0, ch)
	w.publishNow(t, first)
	w.publishNow(t, second)
	w.net.arm(ch, faultRateLimit, 10*time.Minute)
	w.clock.Advance(time.Second)
	w.tick()
	w.holds(t, "after the tick that got the 429", false)
	w.settle()
	w.holds(t, "after settling", true)
}

// Publish now (or Retry, Reschedule) after a 429 sends at once, inside the
// window: nothing keeps the channel parked until the reset.
func TestRegression_PublishNowIgnoresRateLimit(t *testing.T) {
	w := newTestWorld(t)
	ch := w.channelIDs[0]
	id := w.draft(t, 0, ch)
	w.publishNow(t, id)
	w.net.arm(ch, faultRateLimit, 10*time.Minute)
	w.clock.Advance(time.Second)
	w.tick()
	w.clock.Advance(time.Minute)
	w.publishNow(t, id)
	w.tick()
	w.holds(t, "after Publish now inside the window", false)
}

// A failed read while reconciling (the channel check after an unknown
// outcome answered 4xx) is classified like a refused post: the target ends
// "failed: the server rejected the post" although the earlier attempt's
// post is on the channel and nothing was rejected.
func TestRegression_ReconcileReadErrorFailsPublishedPost(t *testing.T) {
	w := newTestWorld(t)
	ch := w.channelIDs[0]
	id := lostAnswer(t, w, ch)
	w.net.arm(ch, faultReject, 0) // the channel check (FindPublished) gets a 422
	w.clock.Advance(time.Hour)
	w.tick()
	if r := w.targetOf(t, id); r.Status != "scheduled" {
		t.Logf("after the failed channel check the target is %s (%q)", r.Status, r.ErrorMessage)
	}
	w.holds(t, "after the failed channel check", false)
	w.settle()
	w.holds(t, "after settling", true)
}

// handoffPost saves a hand-off post with one variant on ch, due in d.
func (w *world) handoffPost(t *testing.T, ch int64, d time.Duration) int64 {
	t.Helper()
	in := service.DraftInput{TimeZone: "UTC", MissedPolicy: "publish_late", GraceMinutes: 60, Handoff: true,
		Variants: []service.VariantInput{{ChannelID: ch, Text: "handed off", Thread: []string{}}}}
	v, err := w.posts.SaveDraft(in)
	if err != nil {
		t.Fatalf("SaveDraft: %v", err)
	}
	w.postIDs = append(w.postIDs, v.ID)
	if _, err := w.posts.Reschedule(v.ID, w.clock.Now().Add(d).UTC().Format(time.RFC3339)); err != nil {
		t.Fatalf("Reschedule: %v", err)
	}
	return v.ID
}

// A hand-off whose answer was lost (the network stored the scheduled
// post) is marked pending ("?"). Only HandOff resolves a pending mark,
// and HandOff selects only targets due in the future: if the post's time
// passes before the network's schedule could be read (Herald closed, the
// computer asleep, the list request failing), the target stays
// "scheduled" with a pending hand-off for ever. The engine never claims
// it (its handoff_id is set), CheckHandoffs skips pending marks, the missed
// policy skips hand-offs, and the user cannot move it (CancelHandoff
// refuses a pending mark). Meanwhile the network's copy fires and Herald
// never records it.
func TestRegression_PendingHandoffPastItsTimeIsStuck(t *testing.T) {
	w := newTestWorld(t)
	ch := w.channelIDs[0]
	id := w.handoffPost(t, ch, 30*time.Minute)
	w.net.arm(ch, faultLostAnswer, 0)
	w.handOff()
	if r := w.targetOf(t, id); r.HandoffID != "?" {
		t.Fatalf("after a lost answer the hand-off is %q, want pending", r.HandoffID)
	}
	w.holds(t, "after the lost hand-off answer", false)
	w.advance(40 * time.Minute) // Herald was asleep: the network published it
	w.settle()
	w.holds(t, "after settling", true)
}

// HandOff sends the schedule request without first recording that the
// network may hold the post (publishing claims the target first; a
// hand-off marks nothing until the answer). A kill after the network
// stored the scheduled post leaves the target scheduled with no hand-off:
// at its time the network's copy fires and Herald publishes the post
// itself too (or the next HandOff schedules a second copy).
func TestRegression_KillDuringHandOffLeavesUntrackedCopy(t *testing.T) {
	w := newTestWorld(t)
	ch := w.channelIDs[0]
	w.handoffPost(t, ch, 30*time.Minute)
	w.net.arm(ch, faultKillCommitted, 0)
	w.handOff() // the kill restarts Herald on the same file
	if w.restarts != 1 {
		t.Fatalf("restarts = %d, want 1", w.restarts)
	}
	w.holds(t, "after the restart", false)
	w.settle()
	w.holds(t, "after settling", true)
}

// CancelHandoff treats the network's 404 on cancelling a scheduled post
// as "taken back". But a 404 also means the network already published it
// (Mastodon: "already published, or cancelled on the server"): a user
// action on a handed-off post between its time and the next hand-off
// check clears the mark and moves a post that is on the channel. A
// reschedule publishes it a second time; unschedule, edit, skip or delete
// show it as not published.
func TestRegression_TakeBackAfterTheNetworkPublishedPublishesTwice(t *testing.T) {
	w := newTestWorld(t)
	ch := w.channelIDs[0]
	id := w.handoffPost(t, ch, 30*time.Minute)
	w.handOff()
	if r := w.targetOf(t, id); r.HandoffID == "" || r.HandoffID == "?" {
		t.Fatalf("hand-off %q, want the network's scheduled id", r.HandoffID)
	}
	w.advance(31 * time.Minute) // the network publishes it; Herald has not checked yet
	_, err := w.posts.Reschedule(id, w.clock.Now().Add(10*time.Minute).UTC().Format(time.RFC3339))
	acted(t, "Reschedule", err)
	w.holds(t, "after Reschedule", false)
	w.settle()
	w.holds(t, "after settling", true)
}

// CancelHandoff (every user action on a handed-off post) calls the
// network without asking whether the channel is parked after a 429: a
// second try of the action sends the cancel inside the window the network
// announced.
func TestRegression_TakeBackIgnoresRateLimit(t *testing.T) {
	w := newTestWorld(t)
	ch := w.channelIDs[0]
	id := w.handoffPost(t, ch, 30*time.Minute)
	w.handOff()
	w.net.arm(ch, faultRateLimit, 10*time.Minute)
	_, err := w.posts.Unschedule(id) // the cancel gets the 429
	if !refused(err) {
		t.Fatalf("Unschedule: %v", err)
	}
	w.advance(time.Minute)
	_, err = w.posts.Unschedule(id)
	if err != nil && !refused(err) {
		t.Fatalf("Unschedule: %v", err)
	}
	w.holds(t, "after trying again inside the window", false)
}

// A hand-off whose answer is lost leaves the intent mark; the next round
// looks in the network's schedule and, only if Herald's clock says the
// time has come, on the channel. With the clock set back after the network
// published the post (or a server clock running ahead), the copy is in
// neither place Herald looked: it concluded the network never took the
// post and would publish it itself a second time.
func TestRegression_LostHandOffAnswerAndAClockSetBackPublishTwice(t *testing.T) {
	w := newTestWorld(t)
	ch := w.channelIDs[0]
	id := w.handoffPost(t, ch, 60*time.Minute)
	w.net.arm(ch, faultBadGateway, 0)
	w.handOff()
	if r := w.targetOf(t, id); r.HandoffID != "?" {
		t.Fatalf("after a 502 the hand-off is %q, want pending", r.HandoffID)
	}
	w.advance(61 * time.Minute) // the network publishes its copy
	w.advance(-61 * time.Minute)
	w.handOff()
	w.holds(t, "after the hand-off check with the clock set back", false)
	w.settle()
	w.holds(t, "after settling", true)
}

// A take-back that the network answers with "not found" looked on the
// channel only once Herald's clock said the post's time had come. With the
// clock set back after the network published the post, the action moved a
// post that was already on the channel, and Herald published it again.
func TestRegression_TakeBackWithAClockSetBackPublishesTwice(t *testing.T) {
	w := newTestWorld(t)
	ch := w.channelIDs[0]
	id := w.handoffPost(t, ch, 30*time.Minute)
	w.handOff()
	if r := w.targetOf(t, id); r.HandoffID == "" || r.HandoffID == "?" {
		t.Fatalf("hand-off %q, want the network's scheduled id", r.HandoffID)
	}
	w.advance(31 * time.Minute) // the network publishes it; Herald has not checked yet
	w.advance(-31 * time.Minute)
	_, err := w.posts.Reschedule(id, w.clock.Now().Add(10*time.Minute).UTC().Format(time.RFC3339))
	if err != nil && !refused(err) {
		t.Fatalf("Reschedule: %v", err)
	}
	w.holds(t, "after Reschedule", false)
	w.settle()
	w.holds(t, "after settling", true)
}

// The second part of a thread goes out with its answer lost, then the user
// deletes the first part on the network before Herald checks the channel.
// The check finds only the second part; taken as "the parts on the
// channel", that is no more than the one part recorded, so Herald either
// publishes the second part again or, past the window, ends the target
// "1 of 2 parts" with the second part on the channel and not recorded.
func TestRegression_DeletedFirstPartHidesFoundSecondPart(t *testing.T) {
	for _, wait := range []time.Duration{time.Minute, 2 * time.Hour} {
		t.Run(wait.String(), func(t *testing.T) {
			w := newTestWorld(t)
			ch := w.channelIDs[0]
			id := w.draft(t, 1, ch)
			w.publishNow(t, id)
			w.net.armOp(ch, faultLostAnswer, "publish[1]")
			w.clock.Advance(time.Second)
			w.tick()
			r := w.targetOf(t, id)
			if !r.Reconcile || len(r.items()) != 1 {
				t.Fatalf("after the lost answer of part 2 the target is %s reconcile=%v items=%v, want one part recorded and a check pending", r.Status, r.Reconcile, r.items())
			}
			if !w.net.userDelete(ch, r.items()[0]) {
				t.Fatalf("part 1 (%s) is not on the channel", r.items()[0])
			}
			w.advance(wait)
			w.tick()
			w.holds(t, "after the channel check", false)
			w.settle()
			w.holds(t, "after settling", true)
		})
	}
}

// "Publish now" while paused records the variant to release on resume by
// its id and version. The post is deleted; SQLite gives its target's id
// to the next new target, which can reach the same version. That one is a
// hand-off whose answer was lost (pending "?"): on resume it was made due
// now although the network's scheduler may hold it, and the next check
// found nothing on the channel and cleared the mark, leaving the network's
// copy to fire beside Herald's.
func TestRegression_ResumeReleasesAReusedTargetID(t *testing.T) {
	w := newTestWorld(t)
	ch := w.channelIDs[0]
	if _, err := w.publishing.SetPaused(true); err != nil {
		t.Fatal(err)
	}
	gone := w.draft(t, 0, ch)
	w.publishNow(t, gone)
	w.publishNow(t, gone) // a second press: the version the hand-off below reaches
	oldID := w.targetOf(t, gone).ID
	if err := w.posts.Delete(gone); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	w.deleted[gone] = true
	w.net.arm(ch, faultBadGateway, 0)
	id := w.handoffPost(t, ch, 8*time.Hour)
	r := w.targetOf(t, id)
	if r.ID != oldID {
		t.Skipf("the new target got id %d, not the deleted one's %d: nothing to test", r.ID, oldID)
	}
	w.handOff()
	if r := w.targetOf(t, id); r.HandoffID != "?" {
		t.Fatalf("after a 502 to the hand-off the mark is %q, want pending", r.HandoffID)
	}
	if _, err := w.publishing.SetPaused(false); err != nil {
		t.Fatal(err)
	}
	if r := w.targetOf(t, id); r.DueAt == nil || r.DueAt.Before(w.clock.Now().Add(time.Hour)) {
		t.Errorf("resume moved the handed-off post to %v", r.DueAt)
	}
	w.holds(t, "after resuming", false)
	w.advance(20 * time.Minute)
	w.handOff()
	w.holds(t, "after the next hand-off round", false)
	w.settle()
	w.holds(t, "after settling", true)
}
