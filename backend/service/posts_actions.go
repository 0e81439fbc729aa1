package service

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/model"
	"herald/backend/store"
)

// Delete deletes a post from Herald. It never deletes anything on a
// network: published posts stay there.
func (s *Posts) Delete(postID int64) error {
	ctx := context.Background()
	p, err := s.posts.Get(ctx, postID)
	if err != nil {
		return s.notFound(err)
	}
	for _, t := range p.Targets {
		if t.Status == model.TargetClaimed {
			return &apperr.Error{Code: apperr.CodeConflict, Message: "This post is being published right now; delete it when that finishes."}
		}
	}
	if err := s.takeBackHandoffs(ctx, p); err != nil {
		return err
	}
	err = store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		if err := s.auditPost(ctx, tx, postID, "post.deleted", fmt.Sprintf("Deleted %s from Herald (nothing was deleted on the networks)", titleOfPost(p)), nil); err != nil {
			return err
		}
		return s.posts.WithTx(tx).Delete(ctx, postID)
	})
	if err != nil {
		return err
	}
	s.changed(postID)
	return nil
}

// RetryTarget schedules a failed, skipped or waiting variant to go out now.
func (s *Posts) RetryTarget(targetID int64) (PostView, error) {
	return s.targetAction(targetID, "retry")
}

// SkipTarget gives up on a variant that is waiting (a missed time the user
// was asked about, or a blocked one): it is listed as not published.
func (s *Posts) SkipTarget(targetID int64) (PostView, error) {
	return s.targetAction(targetID, "skip")
}

func (s *Posts) targetAction(targetID int64, action string) (PostView, error) {
	ctx := context.Background()
	var tg model.PostTarget
	if err := s.db.WithContext(ctx).First(&tg, targetID).Error; err != nil {
		return PostView{}, apperr.NotFound("That variant no longer exists.")
	}
	p, err := s.posts.Get(ctx, tg.PostID)
	if err != nil {
		return PostView{}, s.notFound(err)
	}
	now := s.now().UTC()
	err = store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		var res *gorm.DB
		var summary string
		ch, _ := s.channels.Get(ctx, tg.ChannelID)
		switch action {
		case "retry":
			res = tx.Model(&model.PostTarget{}).Where("id = ? AND status IN ('failed','skipped','blocked')", targetID).
				Updates(map[string]any{"status": model.TargetScheduled, "next_attempt_at": now, "due_at": now, "error_class": "", "error_message": "", "updated_at": now})
			summary = fmt.Sprintf("Asked to publish %s to %s again now", titleOfPost(p), displayName(ch))
		default:
			// A skipped target can be skipped again: that dismisses it from
			// "needs attention".
			res = tx.Model(&model.PostTarget{}).Where("id = ? AND status IN ('blocked','scheduled','skipped','failed') AND handoff_id = ''", targetID).
				Updates(map[string]any{"status": model.TargetSkipped, "next_attempt_at": nil, "error_class": "skipped_by_user",
					"error_message": "Skipped by you; not published.", "updated_at": now})
			summary = fmt.Sprintf("Skipped %s on %s", titleOfPost(p), displayName(ch))
		}
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &apperr.Error{Code: apperr.CodeConflict, Message: "That variant changed meanwhile; refresh and try again."}
		}
		if err := store.RefreshPostStatus(ctx, tx, tg.PostID, now); err != nil {
			return err
		}
		return s.auditPost(ctx, tx, tg.PostID, "post."+action, summary, map[string]any{"targetId": targetID})
	})
	if err != nil {
		return PostView{}, err
	}
	s.engine.Wake()
	s.changed(tg.PostID)
	return s.Get(tg.PostID)
}
