package service

import (
	"context"
	"fmt"

	"herald/backend/apperr"
	"herald/backend/model"
)

func (s *Posts) takeBackHandoffs(ctx context.Context, p model.Post) error {
	for _, t := range p.Targets {
		if t.HandoffID == "" {
			continue
		}
		if err := s.engine.CancelHandoff(ctx, t); err != nil {
			return &apperr.Error{Code: apperr.CodeUnavailable, Message: fmt.Sprintf("This post was handed to the network's scheduler, and Herald could not take it back: %v", err),
				Hint: "Herald needs to reach the network to change a handed-off post. Try again when you are online.", Err: err}
		}
	}
	return nil
}
