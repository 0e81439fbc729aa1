package publish

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/ratebudget"
	"herald/backend/store"
)

// handoffPending marks a hand-off whose answer was lost: the network may
// hold the post. Herald does not publish it itself until the network's
// list of scheduled posts says one way or the other.
const handoffPending = "?"

// handoffMissingAfter is how long after its time a handed-off post may
// take to appear before Herald calls the hand-off failed.
const handoffMissingAfter = 30 * time.Minute

type handoffRow struct {
	ID        int64
	PostID    int64
	ChannelID int64
	HandoffID string
	DueAt     time.Time
}

// HandOff gives due-later targets of hand-off posts to the network's own
// scheduler, so they go out even if this computer is asleep.
func (e *Engine) HandOff(ctx context.Context) {
	now := e.d.Clock.Now().UTC()
	var rows []handoffRow
	// From the few hand-off posts to their targets (CROSS JOIN keeps that
	// order; the + keeps SQLite off the status index, which would visit
	// every scheduled target).
	err := e.d.DB.WithContext(ctx).Raw(`SELECT t.id, t.post_id, t.channel_id, t.handoff_id, t.due_at
		FROM posts p INDEXED BY posts_handoff CROSS JOIN post_targets t ON t.post_id = p.id
		WHERE p.handoff = 1 AND +t.status = 'scheduled' AND t.reconcile = 0 AND t.error_class = ''
		  AND (t.handoff_id = ? OR (t.handoff_id = '' AND t.due_at > ?))`,
		handoffPending, now).Scan(&rows).Error
	if err != nil {
		e.d.Log.Error("hand-off: list targets", "err", err)
		return
	}
	for _, r := range rows {
		if ctx.Err() != nil {
			return
		}
		if err := e.handOffOne(ctx, r); err != nil {
			e.d.Log.Warn("hand-off", "target_id", r.ID, "err", err)
		}
	}
}

func (e *Engine) handOffOne(ctx context.Context, r handoffRow) error {
	ch, err := e.d.Channels.Get(ctx, r.ChannelID)
	if err != nil || ch.Status == model.ChannelDisconnected || ch.RemovedAt != nil || e.parked(ctx, ch.ID) {
		return err
	}
	n, _ := e.d.Networks.Get(ch.Network)
	ns, ok := n.(network.NativeScheduler)
	if !ok {
		return nil // Herald publishes it itself
	}
	var tg model.PostTarget
	if err := e.d.DB.WithContext(ctx).Preload("Media").First(&tg, r.ID).Error; err != nil {
		return err
	}
	post, err := e.buildPost(store.Claimed{Target: tg})
	if err != nil {
		return err
	}
	ctx = ratebudget.WithChannel(ctx, ch.ID, ratebudget.Publish)
	cred, err := e.d.Credentials.Fresh(ctx, ch)
	if err != nil {
		return err
	}
	if r.HandoffID == handoffPending {
		return e.resolvePending(ctx, ns, ch, cred, tg, post)
	}
	if r.DueAt.Before(e.d.Clock.Now().Add(ns.MinScheduleLead() + time.Minute)) {
		return nil // too close to its time for the network to accept it
	}
	// The intent is recorded before the request: if Herald stops while it
	// is out, the "?" mark makes the next round look at the network's
	// schedule (and the channel) before anything else — and the user's
	// actions wait the few seconds until the answer is in.
	if err := e.setHandoff(ctx, tg, "", handoffPending, "", ""); err != nil {
		if errors.Is(err, errHandoffLost) {
			return nil // the user moved it first
		}
		return err
	}
	tg.HandoffID = handoffPending
	sch, err := ns.Schedule(ctx, ch.Instance, cred, post, r.DueAt)
	var early *network.PublishedEarlyError
	if errors.As(err, &early) {
		// Out already, ahead of its time: record it, never publish it again.
		e.d.Log.Warn("the server published a handed-off post at once", "target_id", tg.ID, "channel_id", ch.ID)
		return e.closeHandoff(ctx, tg, model.TargetPublished, model.OutcomeSucceeded, early.Published, "",
			fmt.Sprintf("The server of %s ignored the scheduled time and published the post at once when Herald handed it off; "+
				"Herald did not publish it again. Leave hand-off off for posts to this channel.", label(ch)), "post.published")
	}
	if err != nil {
		var ne *network.Error
		if errors.As(err, &ne) && ne.Sent {
			// The "?" mark stays: the next round looks for it.
			return e.d.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
				return e.auditTarget(ctx, tx, tg, "post.handoff_unknown", "The hand-off to the server may have worked; Herald is checking before publishing.")
			})
		}
		e.noteRateLimit(ctx, ch.ID, err)
		e.d.Health.ReportErrorAt(context.WithoutCancel(ctx), ch.ID, cred.Generation, err)
		// Not taken: Herald publishes it itself at its time.
		if rerr := e.setHandoff(ctx, tg, handoffPending, "", "", ""); rerr != nil {
			return rerr
		}
		return err
	}
	err = e.setHandoff(ctx, tg, handoffPending, sch.ID, "post.handed_off",
		fmt.Sprintf("Handed off to %s's own scheduler for %s", ch.Network, r.DueAt.UTC().Format(time.RFC3339)))
	if errors.Is(err, errHandoffLost) {
		// The user moved the post (publish now, edit, unschedule) while it
		// was being handed off: the server's copy must not fire as well.
		return e.withdraw(ctx, ns, ch, cred, tg.ID, sch.ID)
	}
	return err
}

// ErrAlreadyPublished: a take-back found the post already published by the
// network's scheduler; Herald recorded it, and nothing else may move it.
var ErrAlreadyPublished = errors.New("the network's scheduler has already published this post")

// errHandoffLost: the target moved while its hand-off was under way.
var errHandoffLost = errors.New("the post changed while it was being handed off")

// withdraw deletes a copy at the network's scheduler that Herald no
// longer stands behind.
func (e *Engine) withdraw(ctx context.Context, ns network.NativeScheduler, ch model.Channel, cred network.Credential, targetID int64, id string) error {
	if err := ns.CancelScheduled(ctx, ch.Instance, cred, id); err != nil {
		var ne *network.Error
		if !errors.As(err, &ne) || ne.Code != "not_found" {
			e.d.Log.Error("a post changed while being handed off, and its copy on the server could not be withdrawn", "target_id", targetID, "err", err)
			return fmt.Errorf("withdraw the hand-off of target %d from %s: %w", targetID, ch.Network, err)
		}
	}
	e.d.Log.Info("withdrew a hand-off that lost a race with a change to the post", "target_id", targetID)
	return nil
}

// resolvePending looks for a hand-off whose answer was lost.
func (e *Engine) resolvePending(ctx context.Context, ns network.NativeScheduler, ch model.Channel, cred network.Credential, tg model.PostTarget, post network.Post) error {
	list, err := ns.ListScheduled(ctx, ch.Instance, cred)
	if err != nil {
		e.noteRateLimit(ctx, ch.ID, err)
		return err
	}
	for _, s := range list {
		// Servers keep the time to the millisecond at best.
		if s.ScheduledAt.Truncate(time.Second).Equal(tg.DueAt.UTC().Truncate(time.Second)) && sameText(s.Text, post.Text) {
			return e.setHandoff(ctx, tg, handoffPending, s.ID, "post.handed_off", "Found the handed-off post in the server's schedule")
		}
	}
	// Not in the schedule: the server never took it, or took it and has
	// published it already. Herald's clock cannot tell which (it may have
	// been set back, or the server's may run ahead), so it always looks.
	if found, ok, err := e.findFired(ctx, ch, cred, tg, post); err != nil {
		return err
	} else if ok {
		return e.closeHandoff(ctx, tg, model.TargetPublished, model.OutcomeSucceeded, found, "",
			fmt.Sprintf("Published by %s's own scheduler", ch.Network), "post.published")
	}
	return e.setHandoff(ctx, tg, handoffPending, "", "post.handoff_failed", "The server does not have the post; Herald will publish it itself")
}

// findFired looks on the channel for a published copy of a handed-off
// post, whatever the time.
func (e *Engine) findFired(ctx context.Context, ch model.Channel, cred network.Credential, tg model.PostTarget, post network.Post) (network.Published, bool, error) {
	if tg.DueAt == nil {
		return network.Published{}, false, nil
	}
	n, _ := e.d.Networks.Get(ch.Network)
	rec, ok := n.(network.Reconciler)
	if !ok {
		return network.Published{}, false, nil
	}
	found, ok, err := rec.FindPublished(ctx, ch.Instance, cred, post, tg.DueAt.Add(-5*time.Minute))
	if err != nil {
		e.noteRateLimit(ctx, ch.ID, err)
		return network.Published{}, false, fmt.Errorf("look for the handed-off post on %s: %w", ch.Network, err)
	}
	return found, ok, nil
}

func sameText(a, b string) bool {
	return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
}

// setHandoff moves the hand-off mark from from to to; errHandoffLost if
// the target moved. Giving a post to the network requires the target as
// read (sameVersion); taking it back only needs the mark.
func (e *Engine) setHandoff(ctx context.Context, tg model.PostTarget, from, to, event, summary string) error {
	tg.HandoffID = from
	sameVersion := from != handoffPending && to != ""
	return e.d.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		moved, err := e.targets.WithTx(tx).SetHandoff(ctx, tg, to, sameVersion)
		if err != nil {
			return err
		}
		if !moved {
			return errHandoffLost
		}
		if event == "" {
			return nil // an intent or its undoing: the outcome is audited
		}
		return e.auditTarget(ctx, tx, tg, event, summary)
	})
}

// CheckHandoffs confirms handed-off posts went out: once a post's time
// has passed, Herald finds it on the channel and records it as published;
// one the server never published is failed with the reason.
func (e *Engine) CheckHandoffs(ctx context.Context) {
	now := e.d.Clock.Now().UTC()
	var targets []model.PostTarget
	err := e.d.DB.WithContext(ctx).Table("post_targets INDEXED BY post_targets_handed_off").Preload("Media").
		Where("status = 'scheduled' AND handoff_id <> '' AND handoff_id <> ? AND due_at < ?", handoffPending, now.Add(-time.Minute)).
		Find(&targets).Error
	if err != nil {
		e.d.Log.Error("check hand-offs", "err", err)
		return
	}
	for _, tg := range targets {
		if err := e.checkHandoff(ctx, tg); err != nil {
			e.d.Log.Warn("check hand-off", "target_id", tg.ID, "err", err)
		}
	}
}

func (e *Engine) checkHandoff(ctx context.Context, tg model.PostTarget) error {
	ch, err := e.d.Channels.Get(ctx, tg.ChannelID)
	if err != nil || e.parked(ctx, ch.ID) {
		return err
	}
	n, _ := e.d.Networks.Get(ch.Network)
	rec, okRec := n.(network.Reconciler)
	ns, okNS := n.(network.NativeScheduler)
	if !okRec || !okNS {
		return nil
	}
	post, err := e.buildPost(store.Claimed{Target: tg})
	if err != nil {
		return err
	}
	// Looking for a post the network's scheduler fired is upkeep: it
	// records what already happened, so it yields to publishing.
	ctx = ratebudget.WithChannel(ctx, ch.ID, ratebudget.Health)
	cred, err := e.d.Credentials.Fresh(ctx, ch)
	if err != nil {
		return err
	}
	found, ok, err := rec.FindPublished(ctx, ch.Instance, cred, post, tg.DueAt.Add(-5*time.Minute))
	if err != nil {
		e.noteRateLimit(ctx, ch.ID, err)
		return err
	}
	now := e.d.Clock.Now().UTC()
	if ok {
		return e.closeHandoff(ctx, tg, model.TargetPublished, model.OutcomeSucceeded, found, "",
			fmt.Sprintf("Published by %s's own scheduler", ch.Network), "post.published")
	}
	list, err := ns.ListScheduled(ctx, ch.Instance, cred)
	if err != nil {
		e.noteRateLimit(ctx, ch.ID, err)
		return err
	}
	for _, s := range list {
		if s.ID == tg.HandoffID {
			return nil // the server has not fired it yet
		}
	}
	if now.Sub(*tg.DueAt) < handoffMissingAfter {
		return nil
	}
	return e.closeHandoff(ctx, tg, model.TargetFailed, model.OutcomeFailed, network.Published{}, "handoff_lost",
		fmt.Sprintf("%s's scheduler did not publish the post and no longer has it (perhaps it was deleted there). Publish it again from Herald.", ch.Network), "post.failed")
}

// closeHandoff records the end of a handed-off target as an attempt.
func (e *Engine) closeHandoff(ctx context.Context, tg model.PostTarget, status model.TargetStatus, outcome model.AttemptOutcome, found network.Published, class, message, event string) error {
	return e.d.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		moved, err := e.targets.WithTx(tx).CloseHandoff(ctx, tg, store.HandoffEnd{Status: status, Outcome: outcome, RemoteID: found.RemoteID,
			URL: found.URL, Items: found.ItemIDs, Class: class, Message: message})
		if err != nil || !moved {
			return err
		}
		return e.auditTarget(ctx, tx, tg, event, message)
	})
}

// CancelHandoff takes a handed-off target back from the network's
// scheduler (before the user moves or unschedules it). It needs the
// network: offline, the change is refused rather than risk a double post.
func (e *Engine) CancelHandoff(ctx context.Context, tg model.PostTarget) error {
	if tg.HandoffID == "" {
		return nil
	}
	if tg.HandoffID == handoffPending {
		return errors.New("herald is still checking whether the server holds this post; try again in a minute")
	}
	ch, err := e.d.Channels.Get(ctx, tg.ChannelID)
	if err != nil {
		return err
	}
	n, _ := e.d.Networks.Get(ch.Network)
	ns, ok := n.(network.NativeScheduler)
	if !ok {
		return nil
	}
	if until, err := e.limits.Until(ctx, ch.ID); err == nil && !until.IsZero() {
		return fmt.Errorf("%s asked Herald to wait until %s before sending more requests; try again then", ch.Network, until.UTC().Format(time.RFC3339))
	}
	ctx = ratebudget.WithChannel(ctx, ch.ID, ratebudget.Publish) // the user is waiting for it
	cred, err := e.d.Credentials.Fresh(ctx, ch)
	if err != nil {
		return err
	}
	if err := ns.CancelScheduled(ctx, ch.Instance, cred, tg.HandoffID); err != nil {
		var ne *network.Error
		if !errors.As(err, &ne) || ne.Code != "not_found" {
			e.noteRateLimit(ctx, ch.ID, err)
			return fmt.Errorf("take the post back from %s's scheduler: %w", ch.Network, err)
		}
		// Gone from the schedule: dropped there — or already published,
		// which Herald's clock cannot rule out (it may have been set back).
		post, err := e.buildPost(store.Claimed{Target: tg})
		if err != nil {
			return err
		}
		found, ok, err := e.findFired(ctx, ch, cred, tg, post)
		if err != nil {
			return err
		}
		if ok {
			if err := e.closeHandoff(ctx, tg, model.TargetPublished, model.OutcomeSucceeded, found, "",
				fmt.Sprintf("Published by %s's own scheduler", ch.Network), "post.published"); err != nil {
				return err
			}
			return ErrAlreadyPublished
		}
	}
	err = e.setHandoff(ctx, tg, tg.HandoffID, "", "post.handoff_cancelled", "Took the post back from "+ch.Network+"'s scheduler")
	if errors.Is(err, errHandoffLost) {
		return nil // already moved on (taken back or closed) by another path
	}
	return err
}

func (e *Engine) auditTarget(ctx context.Context, tx *gorm.DB, tg model.PostTarget, event, summary string) error {
	ch, _ := e.d.Channels.Get(ctx, tg.ChannelID)
	chID, postID := tg.ChannelID, tg.PostID
	details, _ := json.Marshal(map[string]any{"targetId": tg.ID, "handoffId": tg.HandoffID})
	return store.NewAudit(tx, e.d.Clock.Now).AppendTx(ctx, tx, &model.AuditEntry{Actor: model.ActorScheduler, Event: event, ChannelID: &chID,
		ChannelName: label(ch), Teams: store.TeamNames(ch.Teams), PostID: &postID, Summary: summary, Details: string(details)})
}
