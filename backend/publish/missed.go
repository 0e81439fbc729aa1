package publish

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"herald/backend/model"
	"herald/backend/notify"
	"herald/backend/queue"
	"herald/backend/store"
)

type missedRow struct {
	ID           int64
	PostID       int64
	ChannelID    int64
	DueAt        time.Time
	SlotQueued   bool
	MissedPolicy model.MissedPolicy
	GraceMinutes int
	Title        string
	Body         string
}

// applyMissed handles targets whose time passed while Herald could not
// publish them (closed, asleep, paused): publish late within the post's
// grace window — staggered per channel so a feed is never flooded — or
// skip (to the next queue slot where the post was queued), or ask. A
// skipped target is listed as not attempted; it is never marked sent.
func (e *Engine) applyMissed(ctx context.Context) error {
	now := e.d.Clock.Now().UTC()
	var rows []missedRow
	err := e.d.DB.WithContext(ctx).Raw(`SELECT t.id, t.post_id, t.channel_id, t.due_at, t.slot_queued, p.missed_policy, p.grace_minutes, p.title, t.body
		FROM post_targets t INDEXED BY post_targets_scheduled_due JOIN posts p ON p.id = t.post_id
		WHERE t.status = 'scheduled' AND t.handoff_id = '' AND t.reconcile = 0 AND t.error_class = ''
		  AND t.due_at IS NOT NULL AND t.due_at < ?
		ORDER BY t.channel_id, t.due_at, t.id`, now.Add(-e.d.Policy.Tolerance)).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return err
	}
	caughtUp := map[int64]int{} // per channel, how many catch-up posts are already lined up
	var asked []missedRow
	for _, r := range rows {
		late := now.Sub(r.DueAt)
		was := r.DueAt.UTC().Format("Mon 2 Jan 15:04 MST")
		switch {
		case r.MissedPolicy == model.MissedAsk:
			err = e.missedUpdate(ctx, r, store.MissedChange{Status: model.TargetBlocked, Class: "missed",
				Message: fmt.Sprintf("Herald could not publish this at %s (it was not running). Publish it now, pick a new time, or skip it.", was)},
				"post.needs_decision", "is waiting for your decision after missing its time")
			asked = append(asked, r)
		case r.MissedPolicy == model.MissedPublishLate && late <= time.Duration(r.GraceMinutes)*time.Minute:
			at := now.Add(time.Duration(caughtUp[r.ChannelID]) * e.d.Policy.Stagger)
			caughtUp[r.ChannelID]++
			err = e.missedUpdate(ctx, r, store.MissedChange{Status: model.TargetScheduled, NextAttemptAt: &at, Class: "missed_late",
				Message: fmt.Sprintf("Publishing late: it was due at %s while Herald was not running (within its %d-minute grace window).", was, r.GraceMinutes)},
				"post.late", fmt.Sprintf("will be published late, at %s", at.Format(time.RFC3339)))
		default:
			err = e.skipOrRequeue(ctx, r, was, late)
		}
		if err != nil {
			return err
		}
	}
	for _, r := range asked {
		e.notifyPost(ctx, r.PostID, "A post missed its time", fmt.Sprintf("%s was due while Herald was not running. Open it to publish now, reschedule or skip.", quote(r.Title, r.Body)), false)
	}
	return nil
}

func (e *Engine) skipOrRequeue(ctx context.Context, r missedRow, was string, late time.Duration) error {
	now := e.d.Clock.Now().UTC()
	if r.MissedPolicy == model.MissedSkip && r.SlotQueued {
		at, ok, err := queue.NextFreeFor(ctx, e.d.DB, r.ChannelID, 0, now)
		if err != nil {
			return err
		}
		if ok {
			return e.missedUpdate(ctx, r, store.MissedChange{Status: model.TargetScheduled, DueAt: &at, NextAttemptAt: &at,
				Message: fmt.Sprintf("Moved to the next free slot: it was due at %s while Herald was not running.", was)},
				"post.rescheduled", fmt.Sprintf("moved to the next free slot, %s, after missing its time", at.Format(time.RFC3339)))
		}
	}
	why := "its post skips missed times"
	if r.MissedPolicy == model.MissedPublishLate {
		why = fmt.Sprintf("%s late is past its %d-minute grace window", late.Round(time.Minute), r.GraceMinutes)
	}
	return e.missedUpdate(ctx, r, store.MissedChange{Status: model.TargetSkipped, Class: "missed_window",
		Message: fmt.Sprintf("Not published (never attempted): it was due at %s while Herald was not running, and %s. Reschedule it to publish.", was, why)},
		"post.skipped", "was skipped after missing its time (never attempted)")
}

// missedUpdate applies one decision with its audit line in a transaction,
// only if the target is still untouched.
func (e *Engine) missedUpdate(ctx context.Context, r missedRow, m store.MissedChange, event, what string) error {
	now := e.d.Clock.Now().UTC()
	return e.d.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		moved, err := e.targets.WithTx(tx).ApplyMissed(ctx, r.ID, m)
		if err != nil || !moved {
			return err
		}
		ch, _ := e.d.Channels.Get(ctx, r.ChannelID)
		details, _ := json.Marshal(map[string]any{"targetId": r.ID, "dueAt": r.DueAt.UTC(), "policy": r.MissedPolicy})
		chID, postID := r.ChannelID, r.PostID
		if err := store.NewAudit(tx, e.d.Clock.Now).AppendTx(ctx, tx, &model.AuditEntry{Actor: model.ActorScheduler, Event: event,
			ChannelID: &chID, ChannelName: label(ch), Teams: store.TeamNames(ch.Teams), PostID: &postID,
			Summary: fmt.Sprintf("%s to %s %s", quote(r.Title, r.Body), label(ch), what), Details: string(details)}); err != nil {
			return err
		}
		return store.RefreshPostStatus(ctx, tx, r.PostID, now)
	})
}

// notifyIfDone raises a desktop notification when a target failed or is
// blocked (the user should know before it matters), or when the whole
// post is published.
func (e *Engine) notifyIfDone(ctx context.Context, p model.Post, t model.PostTarget, ch model.Channel, o store.Outcome) {
	title := quote(p.Title, t.Body)
	switch o.Status {
	case model.TargetFailed:
		e.notifyPost(ctx, p.ID, "A post could not be published", fmt.Sprintf("%s to %s: %s", title, label(ch), o.Message), true)
	case model.TargetBlocked:
		e.notifyPost(ctx, p.ID, "A post is waiting", fmt.Sprintf("%s to %s: %s", title, label(ch), o.Message), true)
	case model.TargetPublished:
		var status model.PostStatus
		if err := e.d.DB.WithContext(ctx).Model(&model.Post{}).Where("id = ?", p.ID).Pluck("status", &status).Error; err != nil {
			return
		}
		if status == model.PostPublished {
			e.notifyPost(ctx, p.ID, "Published", fmt.Sprintf("%s is live on every channel.", title), false)
		}
	}
}

// notifyReply tells of a reply that could not go out. A sent reply is not
// announced: the user wrote it a moment ago and sees it in the thread.
func (e *Engine) notifyReply(ctx context.Context, t model.PostTarget, ch model.Channel, o store.Outcome) {
	var title string
	switch o.Status {
	case model.TargetFailed:
		title = "A reply could not be sent"
	case model.TargetBlocked:
		title = "A reply is waiting"
	default:
		return
	}
	n := notify.Notification{Title: title, Body: fmt.Sprintf("%s on %s: %s", quote("", t.Body), label(ch), o.Message), Urgent: true}
	if t.InboxItemID != nil && e.d.OnOpenInbox != nil {
		id := *t.InboxItemID
		n.Actions = []notify.Action{{ID: "open", Label: "Open"}}
		n.OnAction = func(string) { e.d.OnOpenInbox(id) }
	}
	if err := e.d.Notifier.Notify(ctx, n); err != nil {
		e.d.Log.Debug("desktop notification not shown", "err", err)
	}
}

func (e *Engine) notifyPost(ctx context.Context, postID int64, title, body string, urgent bool) {
	n := notify.Notification{Title: title, Body: body, Urgent: urgent, Actions: []notify.Action{{ID: "open", Label: "Open"}}}
	if e.d.OnOpenPost != nil {
		n.OnAction = func(string) { e.d.OnOpenPost(postID) }
	}
	if err := e.d.Notifier.Notify(ctx, n); err != nil {
		e.d.Log.Debug("desktop notification not shown", "err", err)
	}
}

func quote(title, body string) string {
	if title != "" {
		return "“" + title + "”"
	}
	r := []rune(body)
	if len(r) > 40 {
		r = append(r[:40], '…')
	}
	if len(r) == 0 {
		return "A post"
	}
	return "“" + string(r) + "”"
}
