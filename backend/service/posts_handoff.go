package service

import (
	"context"
	"errors"
	"fmt"

	"herald/backend/apperr"
	"herald/backend/model"
	"herald/backend/publish"
	"herald/backend/store"
)

// precheck asks the target state machine, before any slow work (the
// network, validation), whether action a may move each target of p that
// move selects. A hand-off does not count: it is taken back next.
func (s *Posts) precheck(ctx context.Context, p model.Post, a store.TargetAction, move func(model.PostTarget) bool) error {
	for _, t := range p.Targets {
		if move != nil && !move(t) {
			continue
		}
		t.HandoffID = ""
		if err := store.CheckUser(t, a); err != nil {
			return s.explain(ctx, err)
		}
	}
	return nil
}

// takeBackHandoffs withdraws the post's copies from networks' schedulers:
// the state machine moves no target that a network still holds.
func (s *Posts) takeBackHandoffs(ctx context.Context, p model.Post) error {
	for _, t := range p.Targets {
		if t.HandoffID == "" {
			continue
		}
		if err := s.engine.CancelHandoff(ctx, t); errors.Is(err, publish.ErrAlreadyPublished) {
			return &apperr.Error{Code: apperr.CodeConflict, Message: "This post was already published by the network's own scheduler; Herald has recorded it.",
				Hint: "Reload the post to see its link. Duplicate it to post it again.", Err: err}
		} else if err != nil {
			return &apperr.Error{Code: apperr.CodeUnavailable, Message: fmt.Sprintf("This post was handed to the network's scheduler, and Herald could not take it back: %v", err),
				Hint: "Herald needs to reach the network to change a handed-off post. Try again when you are online.", Err: err}
		}
	}
	return nil
}
