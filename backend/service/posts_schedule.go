package service

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/compose"
	"herald/backend/model"
	"herald/backend/queue"
	"herald/backend/schedule"
	"herald/backend/store"
)

// ScheduleResult says when a post will go out.
type ScheduleResult struct {
	Post PostView `json:"post"`
	// Note explains a daylight-saving adjustment of the chosen time.
	Note string `json:"note"`
}

// Schedule sets a post to go out at a wall-clock time in a time zone
// (stored in UTC with the zone beside it). Every variant must validate.
func (s *Posts) Schedule(postID int64, local, zone string) (ScheduleResult, error) {
	r, err := schedule.Resolve(local, zone)
	if err != nil {
		return ScheduleResult{}, apperr.Invalid("when", "%v", err)
	}
	if r.At.Before(s.now().Add(-time.Minute)) {
		return ScheduleResult{}, apperr.Invalid("when", "That time has passed. Choose a time in the future, or publish now.")
	}
	pv, err := s.scheduleAt(postID, r.At, r.Zone, "post.scheduled", fmt.Sprintf("for %s (%s)", schedule.Local(r.At, r.Zone), r.Zone))
	return ScheduleResult{Post: pv, Note: r.Note}, err
}

// Reschedule moves a post to a new instant (the calendar's drag), keeping
// its time zone.
func (s *Posts) Reschedule(postID int64, atRFC3339 string) (PostView, error) {
	at, err := time.Parse(time.RFC3339, atRFC3339)
	if err != nil {
		return PostView{}, apperr.Invalid("when", "%q is not a time.", atRFC3339)
	}
	if at.Before(s.now().Add(-time.Minute)) {
		return PostView{}, apperr.Invalid("when", "That time has passed. Drop the post on a future time.")
	}
	p, err := s.posts.Get(context.Background(), postID)
	if err != nil {
		return PostView{}, s.notFound(err)
	}
	return s.scheduleAt(postID, at.UTC(), p.TimeZone, "post.rescheduled", fmt.Sprintf("to %s (%s)", schedule.Local(at, p.TimeZone), p.TimeZone))
}

// PublishNow publishes a post at once.
func (s *Posts) PublishNow(postID int64) (PostView, error) {
	p, err := s.posts.Get(context.Background(), postID)
	if err != nil {
		return PostView{}, s.notFound(err)
	}
	return s.scheduleAt(postID, s.now().UTC(), p.TimeZone, "post.publish_now", "now")
}

// readyToSchedule loads a post about to get a new time: every variant must
// validate, and variants handed to a network's scheduler are taken back.
func (s *Posts) readyToSchedule(ctx context.Context, postID int64, a store.TargetAction) (model.Post, error) {
	p, err := s.posts.Get(ctx, postID)
	if err != nil {
		return p, s.notFound(err)
	}
	if err := s.precheck(ctx, p, a, movesOnSchedule); err != nil {
		return p, err
	}
	if err := s.checkPublishable(ctx, p); err != nil {
		return p, err
	}
	return p, s.takeBackHandoffs(ctx, p)
}

// movesOnSchedule: a new time applies to every variant not published or
// publishing.
func movesOnSchedule(t model.PostTarget) bool {
	return t.Status != model.TargetPublished && t.Status != model.TargetClaimed
}

func (s *Posts) scheduleAt(postID int64, at time.Time, zone, event, when string) (PostView, error) {
	ctx := context.Background()
	action := store.ActionSchedule
	if event == "post.publish_now" {
		action = store.ActionPublishNow
	}
	p, err := s.readyToSchedule(ctx, postID, action)
	if err != nil {
		return PostView{}, err
	}
	due := map[int64]time.Time{}
	for _, t := range p.Targets {
		if t.Status != model.TargetPublished && t.Status != model.TargetClaimed {
			due[t.ID] = at
		}
	}
	if len(due) == 0 {
		return PostView{}, &apperr.Error{Code: apperr.CodeConflict, Message: "Every variant of this post is already published or publishing."}
	}
	err = store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		if err := tx.Model(&model.Post{}).Where("id = ?", postID).Update("time_zone", zone).Error; err != nil {
			return err
		}
		if err := s.posts.WithTx(tx).ScheduleTargets(ctx, postID, due, false, &at, action); err != nil {
			return s.explain(ctx, err)
		}
		if action == store.ActionPublishNow {
			held, err := holdForResume(ctx, tx, s.now, slices.Collect(maps.Keys(due)))
			if err != nil {
				return err
			}
			if held {
				when = "to publish as soon as publishing resumes"
			}
		}
		return s.auditPost(ctx, tx, postID, event, fmt.Sprintf("Scheduled %s %s", titleOfPost(p), when), map[string]any{"at": at, "zone": zone})
	})
	if err != nil {
		return PostView{}, err
	}
	s.engine.Wake()
	s.changed(postID)
	return s.Get(postID)
}

// checkPublishable validates every variant before it may be scheduled.
func (s *Posts) checkPublishable(ctx context.Context, p model.Post) error {
	in := DraftInput{ID: p.ID}
	for _, t := range p.Targets {
		if t.Status == model.TargetPublished {
			continue
		}
		in.Variants = append(in.Variants, variantInput(t))
	}
	v, err := s.Validate(in)
	if err != nil {
		return err
	}
	if !v.OK {
		for _, vc := range v.Variants {
			for _, is := range vc.Result.Issues {
				if is.Severity == compose.SeverityError {
					return &apperr.Error{Code: apperr.CodeInvalid, Message: is.Message, Hint: "Fix the variant for " + vc.NetworkName + " in the composer, then schedule again."}
				}
			}
		}
		return apperr.Invalid("variants", "%s", strings.Join(v.Problems, " "))
	}
	return nil
}

// AddToQueue puts each variant in its channel's next free queue slot.
func (s *Posts) AddToQueue(postID int64) (PostView, error) {
	ctx := context.Background()
	p, err := s.readyToSchedule(ctx, postID, store.ActionSchedule)
	if err != nil {
		return PostView{}, err
	}
	due := map[int64]time.Time{}
	var first *time.Time
	now := s.now()
	for _, t := range p.Targets {
		if t.Status == model.TargetPublished || t.Status == model.TargetClaimed {
			continue
		}
		at, ok, err := queue.NextFreeFor(ctx, s.db, t.ChannelID, t.ID, now)
		if err != nil {
			return PostView{}, err
		}
		if !ok {
			ch, _ := s.channels.Get(ctx, t.ChannelID)
			return PostView{}, &apperr.Error{Code: apperr.CodeInvalid, Field: "queue",
				Message: fmt.Sprintf("%s has no queue times.", displayName(ch)), Hint: "Add posting times for it under Settings → Queue, or pick a time."}
		}
		due[t.ID] = at
		if first == nil || at.Before(*first) {
			a := at
			first = &a
		}
	}
	err = store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		if err := s.posts.WithTx(tx).ScheduleTargets(ctx, postID, due, true, first, store.ActionSchedule); err != nil {
			return s.explain(ctx, err)
		}
		return s.auditPost(ctx, tx, postID, "post.queued", fmt.Sprintf("Queued %s for the next free slots", titleOfPost(p)), nil)
	})
	if err != nil {
		return PostView{}, err
	}
	s.engine.Wake()
	s.changed(postID)
	return s.Get(postID)
}

// Unschedule turns a scheduled post back into a draft.
func (s *Posts) Unschedule(postID int64) (PostView, error) {
	ctx := context.Background()
	p, err := s.posts.Get(ctx, postID)
	if err != nil {
		return PostView{}, s.notFound(err)
	}
	if err := s.precheck(ctx, p, store.ActionUnschedule, func(t model.PostTarget) bool {
		return t.Status != model.TargetDraft && t.Status != model.TargetPublished
	}); err != nil {
		return PostView{}, err
	}
	if err := s.takeBackHandoffs(ctx, p); err != nil {
		return PostView{}, err
	}
	err = store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		if err := s.posts.WithTx(tx).Unschedule(ctx, postID); err != nil {
			return s.explain(ctx, err)
		}
		return s.auditPost(ctx, tx, postID, "post.unscheduled", fmt.Sprintf("Unscheduled %s (back to drafts)", titleOfPost(p)), nil)
	})
	if err != nil {
		return PostView{}, err
	}
	s.changed(postID)
	return s.Get(postID)
}
