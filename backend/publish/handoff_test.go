package publish

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
)

// schedNet is fakeNet with a native scheduler, like Mastodon's scheduled_at.
type schedNet struct {
	*fakeNet
	smu       sync.Mutex
	scheduled map[string]network.Scheduled
	next      int
	lose      bool   // the next Schedule answer is lost after the server stored it
	early     bool   // the server publishes at once instead of scheduling
	during    func() // runs while the server stores a scheduled post
}

func (s *schedNet) MinScheduleLead() time.Duration { return 5 * time.Minute }

func (s *schedNet) Schedule(_ context.Context, _ string, _ network.Credential, p network.Post, at time.Time) (network.Scheduled, error) {
	s.smu.Lock()
	defer s.smu.Unlock()
	s.next++
	sch := network.Scheduled{ID: fmt.Sprintf("s%d", s.next), ScheduledAt: at.UTC(), Text: p.Text}
	s.scheduled[sch.ID] = sch
	if s.during != nil {
		s.during()
		s.during = nil
	}
	if s.lose {
		s.lose = false
		return network.Scheduled{}, &network.Error{Class: network.ClassTransient, Message: "timeout", Sent: true}
	}
	if s.early {
		// A server without a scheduler: the post goes out now.
		delete(s.scheduled, sch.ID)
		s.mu.Lock()
		id := fmt.Sprintf("r%d", len(s.posts)+1)
		s.posts = append(s.posts, network.RemotePost{ID: id, Text: p.Text})
		s.mu.Unlock()
		return network.Scheduled{}, &network.PublishedEarlyError{Published: network.Published{RemoteID: id, URL: "https://fake.example/" + id, ItemIDs: []string{id}},
			Err: &network.Error{Class: network.ClassInvalidInput, Code: "published_now", Message: "published at once"}}
	}
	return sch, nil
}

func (s *schedNet) ListScheduled(context.Context, string, network.Credential) ([]network.Scheduled, error) {
	s.smu.Lock()
	defer s.smu.Unlock()
	var out []network.Scheduled
	for _, v := range s.scheduled {
		out = append(out, v)
	}
	return out, nil
}

func (s *schedNet) CancelScheduled(_ context.Context, _ string, _ network.Credential, id string) error {
	s.smu.Lock()
	defer s.smu.Unlock()
	delete(s.scheduled, id)
	return nil
}

// fire publishes every scheduled post due by now, as the server would.
func (s *schedNet) fire(now time.Time) {
	s.smu.Lock()
	defer s.smu.Unlock()
	for id, sch := range s.scheduled {
		if !sch.ScheduledAt.After(now) {
			s.mu.Lock()
			s.posts = append(s.posts, network.RemotePost{ID: fmt.Sprintf("r%d", len(s.posts)+1), Text: sch.Text})
			s.mu.Unlock()
			delete(s.scheduled, id)
		}
	}
}

func newHandoffRig(t *testing.T) (*rig, *schedNet) {
	t.Helper()
	r := newRig(t)
	sn := &schedNet{fakeNet: r.net, scheduled: map[string]network.Scheduled{}}
	r.e.d.Networks = network.NewRegistry(sn)
	return r, sn
}

func (r *rig) handoffPost(t *testing.T, text string, due time.Time) model.PostTarget {
	t.Helper()
	tg := r.schedule(t, text, due, model.MissedPublishLate)
	if err := r.g.Model(&model.Post{}).Where("id = ?", tg.PostID).Update("handoff", true).Error; err != nil {
		t.Fatal(err)
	}
	return tg
}

func TestHandedOffPostIsPublishedByTheNetworkAndRecordedOnce(t *testing.T) {
	r, sn := newHandoffRig(t)
	ctx := context.Background()
	due := t0.Add(time.Hour)
	tg := r.handoffPost(t, "handed off", due)
	r.e.HandOff(ctx)
	got := r.target(t, tg.ID)
	if got.HandoffID != "s1" || got.Status != model.TargetScheduled {
		t.Fatalf("after hand-off: %+v", got)
	}
	// Herald itself leaves it alone at its time, even while the laptop is
	// awake: the server publishes it.
	r.clock.Advance(time.Hour)
	r.e.Tick(ctx)
	if r.net.creates != 0 {
		t.Fatal("Herald published a handed-off post itself")
	}
	sn.fire(r.clock.Now())
	r.clock.Advance(2 * time.Minute)
	r.e.CheckHandoffs(ctx)
	got = r.target(t, tg.ID)
	if got.Status != model.TargetPublished || got.RemoteID == "" || r.net.count("handed off") != 1 {
		t.Fatalf("after the server fired: %+v (%d on the network)", got, r.net.count("handed off"))
	}
	if as := r.attempts(t, tg.ID); len(as) != 1 || as[0].Outcome != model.OutcomeSucceeded {
		t.Errorf("ledger = %+v", as)
	}
}

func TestTooCloseToItsTimeHeraldPublishesItself(t *testing.T) {
	r, sn := newHandoffRig(t)
	ctx := context.Background()
	tg := r.handoffPost(t, "soon", t0.Add(3*time.Minute))
	r.e.HandOff(ctx)
	if got := r.target(t, tg.ID); got.HandoffID != "" || len(sn.scheduled) != 0 {
		t.Fatalf("handed off although inside the network's 5-minute minimum: %+v", got)
	}
	r.clock.Advance(3 * time.Minute)
	r.e.Tick(ctx)
	if got := r.target(t, tg.ID); got.Status != model.TargetPublished {
		t.Fatalf("Herald did not publish it itself: %+v", got)
	}
}

func TestALostHandOffAnswerIsResolvedBeforeAnyPublish(t *testing.T) {
	r, sn := newHandoffRig(t)
	ctx := context.Background()
	tg := r.handoffPost(t, "lost answer", t0.Add(time.Hour))
	sn.lose = true
	r.e.HandOff(ctx)
	if got := r.target(t, tg.ID); got.HandoffID != handoffPending {
		t.Fatalf("after a lost answer: %+v", got)
	}
	r.e.HandOff(ctx) // resolves against the server's list
	if got := r.target(t, tg.ID); got.HandoffID != "s1" {
		t.Fatalf("the pending hand-off was not found in the server's list: %+v", got)
	}
	r.clock.Advance(time.Hour)
	r.e.Tick(ctx)
	sn.fire(r.clock.Now())
	r.clock.Advance(2 * time.Minute)
	r.e.CheckHandoffs(ctx)
	if n := r.net.count("lost answer"); n != 1 {
		t.Fatalf("the post exists %d times", n)
	}
}

func TestCancellingAHandOffTakesThePostBack(t *testing.T) {
	r, sn := newHandoffRig(t)
	ctx := context.Background()
	tg := r.handoffPost(t, "changed my mind", t0.Add(time.Hour))
	r.e.HandOff(ctx)
	if err := r.e.CancelHandoff(ctx, r.target(t, tg.ID)); err != nil {
		t.Fatal(err)
	}
	if got := r.target(t, tg.ID); got.HandoffID != "" || len(sn.scheduled) != 0 {
		t.Fatalf("after cancelling: %+v, server still has %d", got, len(sn.scheduled))
	}
}

func TestAHandOffTheServerNeverPublishedFailsWithAReason(t *testing.T) {
	r, sn := newHandoffRig(t)
	ctx := context.Background()
	tg := r.handoffPost(t, "deleted on the server", t0.Add(time.Hour))
	r.e.HandOff(ctx)
	sn.smu.Lock()
	sn.scheduled = map[string]network.Scheduled{} // the user deleted it on the server
	sn.smu.Unlock()
	r.clock.Advance(time.Hour + handoffMissingAfter + time.Minute)
	r.e.CheckHandoffs(ctx)
	got := r.target(t, tg.ID)
	if got.Status != model.TargetFailed || got.ErrorClass != "handoff_lost" || got.ErrorMessage == "" {
		t.Fatalf("target = %+v", got)
	}
}

func TestAServerThatPublishesAtOnceIsRecordedNotPublishedAgain(t *testing.T) {
	r, sn := newHandoffRig(t)
	sn.early = true
	ctx := context.Background()
	due := t0.Add(time.Hour)
	tg := r.handoffPost(t, "too early", due)
	r.e.HandOff(ctx)
	got := r.target(t, tg.ID)
	if got.Status != model.TargetPublished || got.RemoteID == "" || !strings.Contains(got.ErrorMessage, "ignored the scheduled time") {
		t.Fatalf("after a hand-off the server published at once: %+v", got)
	}
	r.clock.Advance(time.Hour)
	r.e.Tick(ctx)
	r.e.HandOff(ctx)
	r.e.CheckHandoffs(ctx)
	if r.net.creates != 0 || r.net.count("too early") != 1 {
		t.Fatalf("Herald published %d times itself; %d on the network, want 1", r.net.creates, r.net.count("too early"))
	}
	if as := r.attempts(t, tg.ID); len(as) != 1 || as[0].Outcome != model.OutcomeSucceeded || as[0].RemoteID != got.RemoteID {
		t.Errorf("ledger = %+v", as)
	}
}

func TestAChangeWhileAHandOffIsOnTheWireWaitsForItsAnswer(t *testing.T) {
	for _, lost := range []bool{false, true} {
		t.Run(fmt.Sprintf("answer_lost=%v", lost), func(t *testing.T) { handOffRace(t, lost) })
	}
}

func handOffRace(t *testing.T, lost bool) {
	r, sn := newHandoffRig(t)
	sn.lose = lost
	ctx := context.Background()
	tg := r.handoffPost(t, "raced", t0.Add(time.Hour))
	posts := store.NewPosts(r.g, r.clock.Now)
	sn.during = func() {
		// The user presses "Publish now" while the hand-off is on the wire:
		// the intent mark makes it wait for the answer instead of racing.
		err := posts.ScheduleTargets(ctx, tg.PostID, map[int64]time.Time{tg.ID: r.clock.Now()}, false, nil, store.ActionPublishNow)
		var te *store.TransitionError
		if !errors.As(err, &te) || te.Reason != store.RefusedHandedOff {
			t.Errorf("publish now during the hand-off = %v", err)
		}
	}
	r.e.HandOff(ctx)
	if lost {
		r.e.HandOff(ctx) // the next round finds it in the server's schedule
	}
	got := r.target(t, tg.ID)
	if got.HandoffID != "s1" {
		t.Fatalf("after the hand-off: %+v", got)
	}
	// Now the user's publish now takes it back first, and Herald publishes.
	if err := r.e.CancelHandoff(ctx, got); err != nil {
		t.Fatal(err)
	}
	if err := posts.ScheduleTargets(ctx, tg.PostID, map[int64]time.Time{tg.ID: r.clock.Now()}, false, nil, store.ActionPublishNow); err != nil {
		t.Fatal(err)
	}
	r.e.Tick(ctx)
	r.clock.Advance(2 * time.Hour)
	sn.fire(r.clock.Now())
	if got := r.target(t, tg.ID); got.Status != model.TargetPublished || got.HandoffID != "" || r.net.count("raced") != 1 || len(sn.scheduled) != 0 {
		t.Fatalf("target %+v; on the network %d times; %d scheduled copies left", got, r.net.count("raced"), len(sn.scheduled))
	}
}
