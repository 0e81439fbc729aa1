package service

import (
	"context"
	"errors"
	"fmt"

	"herald/backend/apperr"
	"herald/backend/model"
	"herald/backend/store"
)

// explain turns a refused target transition into what the user reads: why
// the post cannot change now, and when it can. Other errors pass through.
func (s *Posts) explain(ctx context.Context, err error) error {
	var te *store.TransitionError
	if !errors.As(err, &te) {
		return err
	}
	where := "its channel"
	if ch, cerr := s.channels.Get(ctx, te.ChannelID); cerr == nil {
		where = s.networkName(ch.Network)
		if name := displayName(ch); name != "" {
			where = fmt.Sprintf("%s (%s)", where, name)
		}
	}
	e := &apperr.Error{Code: apperr.CodeConflict, Err: err}
	switch te.Reason {
	case store.RefusedUnknown:
		e.Code = CodeOutcomeUnknown
		e.Message = fmt.Sprintf("Herald is still checking whether this post went out on %s; you can change it once that is known.", where)
		e.Hint = "Herald looks at the channel before it tries again. Use “Publish now” to check right away."
	case store.RefusedPublishing:
		e.Message = fmt.Sprintf("This post is being published to %s right now.", where)
		e.Hint = "Wait a moment for the attempt to finish, then try again."
	case store.RefusedHandedOff:
		e.Message = fmt.Sprintf("This post is held by %s's own scheduler.", where)
		e.Hint = "Herald takes it back first; try again, and if it keeps failing, check that you are online."
	case store.RefusedPartial:
		e.Message = fmt.Sprintf("Part of this thread is already on %s, so its text can no longer change.", where)
		e.Hint = "Retry to publish the rest as written, or duplicate the post to make a new one."
	case store.RefusedState:
		e.Message = fmt.Sprintf("That is not possible for a post that is %s on %s.", te.From, where)
		e.Hint = "Reload the post to see where it stands."
		if te.Action == store.ActionEdit && te.From == model.TargetPublished {
			e.Message = fmt.Sprintf("This post was published on %s, so it can no longer be edited.", where)
			e.Hint = "Duplicate it to make a new post from it."
		}
	case store.RefusedGone:
		e.Code = apperr.CodeNotFound
		e.Message = "That post or variant no longer exists."
		e.Hint = "Reload the list to see where things stand."
	case store.RefusedChanged:
		e.Message = fmt.Sprintf("This post changed on %s while you were looking at it.", where)
		e.Hint = "Reload the post to see where it stands, then try again."
	default:
		e.Message = fmt.Sprintf("That is not possible for a post that is %s on %s.", te.From, where)
		e.Hint = "Reload the post to see where it stands."
	}
	return e
}

// CodeOutcomeUnknown: the UI can say "checking…" instead of a plain conflict.
const CodeOutcomeUnknown = "outcome_unknown"

func (s *Posts) networkName(id string) string {
	if n, ok := s.networks.Get(id); ok {
		return n.Descriptor().Name
	}
	return id
}
