package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"herald/backend/model"
)

// A post target's state machine. This file and targets.go are the only
// code that writes post_targets.status; every other package asks for a
// named transition. Each transition is one conditional UPDATE that names
// the states it may start from (and, for the engine, the claim token), and
// bumps the target's version, so two writers that read the same row cannot
// both move it.
//
//	draft ──schedule──▶ scheduled ──claim──▶ claimed ──finish──▶ published
//	  ▲                  │  ▲  ▲               │  │                failed
//	  └───unschedule─────┘  │  └──release──────┘  └─finish(retry)─▶ scheduled
//	                        │     (pause, parked channel)          blocked
//	                        │                                       skipped
//	  failed/skipped/blocked ──retry──▶ scheduled
//	  scheduled (overdue, never tried) ──missed──▶ scheduled (late) | skipped | blocked (ask)
//	  blocked (auth) ──resume (reconnect)──▶ scheduled
//	  claimed (after a stop) ──recover──▶ scheduled + must reconcile
//	  scheduled ──hand off──▶ scheduled + handoff id ──close──▶ published | failed
//
// Two marks ride on a state and restrict the user's actions:
//
//   - reconcile: the last attempt may have reached the network. Only a
//     reconcile that found the answer clears it (the engine's finish).
//     Until then the user can publish now (which runs the check first) but
//     not reschedule, unschedule, edit, skip or delete.
//   - handoff_id: the network's own scheduler holds a copy. It must be taken
//     back at the server (TakeBack) before the target can move.

// TargetAction names a transition, for errors and the audit log.
type TargetAction string

// The user's transitions.
const (
	ActionSchedule   TargetAction = "schedule"
	ActionPublishNow TargetAction = "publish_now"
	ActionUnschedule TargetAction = "unschedule"
	ActionEdit       TargetAction = "edit"
	ActionDelete     TargetAction = "delete"
	ActionRetry      TargetAction = "retry"
	ActionSkip       TargetAction = "skip"
)

// userFrom lists the states each user action may start from.
func userFrom(a TargetAction) []model.TargetStatus {
	switch a {
	case ActionSchedule, ActionPublishNow:
		return []model.TargetStatus{model.TargetDraft, model.TargetScheduled, model.TargetSkipped, model.TargetFailed, model.TargetBlocked, model.TargetCancelled}
	case ActionUnschedule:
		return []model.TargetStatus{model.TargetDraft, model.TargetScheduled, model.TargetBlocked, model.TargetSkipped, model.TargetFailed, model.TargetCancelled}
	case ActionEdit:
		return []model.TargetStatus{model.TargetDraft, model.TargetScheduled, model.TargetBlocked, model.TargetSkipped, model.TargetFailed, model.TargetCancelled}
	case ActionDelete:
		return []model.TargetStatus{model.TargetDraft, model.TargetScheduled, model.TargetBlocked, model.TargetSkipped, model.TargetFailed, model.TargetCancelled, model.TargetPublished}
	case ActionRetry:
		return []model.TargetStatus{model.TargetFailed, model.TargetSkipped, model.TargetBlocked}
	case ActionSkip:
		return []model.TargetStatus{model.TargetScheduled, model.TargetBlocked, model.TargetSkipped, model.TargetFailed}
	}
	return nil
}

// keepsUnknown: the action may start from a target whose outcome is
// unknown, because the engine reconciles before it publishes anything.
func keepsUnknown(a TargetAction) bool { return a == ActionPublishNow || a == ActionRetry }

// Reasons a transition was refused.
const (
	RefusedUnknown    = "outcome_unknown" // the last attempt may be on the network
	RefusedPublishing = "publishing"      // an attempt is in flight
	RefusedHandedOff  = "handed_off"      // the network's scheduler holds it
	RefusedPartial    = "partly_published"
	RefusedState      = "state"     // the action does not apply to that state
	RefusedGone       = "not_found" // the target no longer exists
	RefusedChanged    = "changed"   // someone moved it since it was read
)

// TransitionError says why a target could not make a transition.
type TransitionError struct {
	TargetID  int64
	ChannelID int64
	Action    TargetAction
	From      model.TargetStatus
	Reason    string
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("target %d cannot %s from %s: %s", e.TargetID, strings.ReplaceAll(string(e.Action), "_", " "), e.From, e.Reason)
}

// ErrOutcomeUnknown matches a TransitionError refused because the last
// attempt's outcome is not known yet.
var ErrOutcomeUnknown = errors.New("the last attempt's outcome is not known yet")

// Is lets errors.Is(err, ErrOutcomeUnknown) and errors.Is(err, ErrNotClaimed) match.
func (e *TransitionError) Is(target error) bool {
	switch target {
	case ErrOutcomeUnknown:
		return e.Reason == RefusedUnknown
	case ErrNotClaimed:
		return true
	}
	return false
}

// userGuard is the SQL condition for a user action on a target.
func userGuard(a TargetAction) (string, []any) {
	cond := "status IN ? AND handoff_id = ''"
	args := []any{userFrom(a)}
	if !keepsUnknown(a) {
		cond += " AND reconcile = 0"
	}
	if a == ActionEdit || a == ActionUnschedule {
		// Part of a thread is on the network: the rest must go out as it
		// was written, after it.
		cond += " AND item_ids IN ('', '[]')"
	}
	return cond, args
}

// refusal explains why target id did not match the guard of action a.
func refusal(ctx context.Context, db *gorm.DB, id int64, a TargetAction) error {
	var t model.PostTarget
	if err := db.WithContext(ctx).Select("id", "channel_id", "status", "reconcile", "handoff_id", "item_ids").Take(&t, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return &TransitionError{TargetID: id, Action: a, Reason: RefusedGone}
		}
		return fmt.Errorf("read target %d: %w", id, err)
	}
	if err := refusalOf(t, a); err != nil {
		return err
	}
	return &TransitionError{TargetID: t.ID, ChannelID: t.ChannelID, Action: a, From: t.Status, Reason: RefusedChanged}
}

// refusalOf says which rule target t breaks for action a, or nil.
func refusalOf(t model.PostTarget, a TargetAction) error {
	e := &TransitionError{TargetID: t.ID, ChannelID: t.ChannelID, Action: a, From: t.Status}
	allowed := false
	for _, s := range userFrom(a) {
		allowed = allowed || s == t.Status
	}
	switch {
	case t.Status == model.TargetClaimed:
		e.Reason = RefusedPublishing
	case t.Reconcile && !keepsUnknown(a):
		e.Reason = RefusedUnknown
	case !allowed:
		e.Reason = RefusedState
	case t.HandoffID != "":
		e.Reason = RefusedHandedOff
	case (a == ActionEdit || a == ActionUnschedule) && t.ItemIDs != "" && t.ItemIDs != "[]":
		e.Reason = RefusedPartial
	default:
		return nil
	}
	return e
}

// CheckUser says whether action a may apply to target t as read, without
// changing it: services ask before slow work (validation, the network).
func CheckUser(t model.PostTarget, a TargetAction) error { return refusalOf(t, a) }
