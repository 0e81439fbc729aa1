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
	if err := s.precheck(ctx, p, store.ActionDelete, nil); err != nil {
		return err
	}
	if err := s.takeBackHandoffs(ctx, p); err != nil {
		return err
	}
	err = store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		if err := s.auditPost(ctx, tx, postID, "post.deleted", fmt.Sprintf("Deleted %s from Herald (nothing was deleted on the networks)", titleOfPost(p)), nil); err != nil {
			return err
		}
		return s.explain(ctx, s.posts.WithTx(tx).Delete(ctx, postID))
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
	a := store.ActionSkip
	if action == "retry" {
		a = store.ActionRetry
	}
	only := func(t model.PostTarget) bool { return t.ID == targetID }
	if err := s.precheck(ctx, p, a, only); err != nil {
		return PostView{}, err
	}
	if tg.HandoffID != "" {
		if err := s.takeBackHandoffs(ctx, model.Post{Targets: []model.PostTarget{tg}}); err != nil {
			return PostView{}, err
		}
	}
	ch, _ := s.channels.Get(ctx, tg.ChannelID)
	summary := fmt.Sprintf("Skipped %s on %s", titleOfPost(p), displayName(ch))
	if a == store.ActionRetry {
		summary = fmt.Sprintf("Asked to publish %s to %s again now", titleOfPost(p), displayName(ch))
	}
	err = store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		targets := s.targets.WithTx(tx)
		move := targets.Skip
		if a == store.ActionRetry {
			move = targets.Retry
		}
		if _, err := move(ctx, targetID); err != nil {
			return s.explain(ctx, err)
		}
		if a == store.ActionRetry {
			held, err := holdForResume(ctx, tx, s.now, []int64{targetID})
			if err != nil {
				return err
			}
			if held {
				summary = fmt.Sprintf("Asked to publish %s to %s again as soon as publishing resumes", titleOfPost(p), displayName(ch))
			}
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
