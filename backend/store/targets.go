package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"herald/backend/model"
)

// Targets holds the publishing engine's queries: the database is the
// schedule, and every state change of a target is one conditional UPDATE.
type Targets struct {
	db  *gorm.DB
	now func() time.Time
}

// NewTargets returns the target repository.
func NewTargets(db *gorm.DB, now func() time.Time) *Targets { return &Targets{db: db, now: now} }

// WithTx returns the repository bound to a transaction.
func (t *Targets) WithTx(tx *gorm.DB) *Targets { return &Targets{db: tx, now: t.now} }

// ErrNotClaimed means a target was no longer in the expected state: some
// other path (the user, a restart) moved it first.
var ErrNotClaimed = errors.New("target is not in the expected state")

// Claimed is a target taken for one attempt.
type Claimed struct {
	Target  model.PostTarget
	Post    model.Post
	Attempt model.Attempt
}

// ClaimDue atomically takes up to limit due targets (status scheduled,
// next attempt at or before now, not handed off) and opens an attempt for
// each. A target is claimed by exactly one caller: the UPDATE itself
// checks the status.
func (t *Targets) ClaimDue(ctx context.Context, now time.Time, token string, limit int) ([]Claimed, error) {
	now = now.UTC()
	var out []Claimed
	err := t.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ids []int64
		// A channel the network asked to wait (429) is not touched until then.
		err := tx.Raw(`UPDATE post_targets SET status = 'claimed', claim_token = ?, claimed_at = ?, version = version + 1,
			attempt_count = attempt_count + 1, first_attempt_at = coalesce(first_attempt_at, ?), updated_at = ?
			WHERE id IN (SELECT id FROM post_targets WHERE status = 'scheduled' AND handoff_id = ''
			             AND next_attempt_at IS NOT NULL AND next_attempt_at <= ?
			             AND channel_id NOT IN (SELECT id FROM channels WHERE rate_limited_until > ?)
			             ORDER BY next_attempt_at, id LIMIT ?)
			RETURNING id`, token, now, now, now, now, now, limit).Scan(&ids).Error
		if err != nil {
			return fmt.Errorf("claim due targets: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		var targets []model.PostTarget
		if err := tx.Preload("Media", func(db *gorm.DB) *gorm.DB { return db.Order("position") }).
			Where("id IN ?", ids).Order("next_attempt_at, id").Find(&targets).Error; err != nil {
			return err
		}
		postIDs := make([]int64, 0, len(targets))
		for _, tg := range targets {
			postIDs = append(postIDs, tg.PostID)
		}
		var posts []model.Post
		if err := tx.Where("id IN ?", postIDs).Find(&posts).Error; err != nil {
			return err
		}
		byID := make(map[int64]model.Post, len(posts))
		for _, p := range posts {
			byID[p.ID] = p
		}
		// One statement opens every attempt of the batch.
		var attempts []model.Attempt
		if err := tx.Raw(`INSERT INTO attempts (target_id, number, started_at, outcome)
			SELECT id, attempt_count, ?, 'pending' FROM post_targets WHERE id IN ?
			RETURNING id, target_id, number, started_at, outcome`, now, ids).Scan(&attempts).Error; err != nil {
			return fmt.Errorf("open attempts: %w", err)
		}
		byTarget := make(map[int64]model.Attempt, len(attempts))
		for _, a := range attempts {
			a.StartedAt = now
			byTarget[a.TargetID] = a
		}
		for _, tg := range targets {
			out = append(out, Claimed{Target: tg, Post: byID[tg.PostID], Attempt: byTarget[tg.ID]})
		}
		return nil
	})
	return out, err
}

// NextDue returns when the next target can be claimed, if any is
// scheduled: the earliest due time among channels free to publish, or the
// end of a rate-limit wait, whichever comes first. (A parked channel's
// overdue targets must not make the engine spin until the wait ends.)
func (t *Targets) NextDue(ctx context.Context) (time.Time, bool, error) {
	now := t.now().UTC()
	var next, parked *string
	err := t.db.WithContext(ctx).Raw(`SELECT min(next_attempt_at) FROM post_targets
		WHERE status = 'scheduled' AND handoff_id = '' AND next_attempt_at IS NOT NULL
		  AND channel_id NOT IN (SELECT id FROM channels WHERE rate_limited_until > ?)`, now).Scan(&next).Error
	if err != nil {
		return time.Time{}, false, err
	}
	if err := t.db.WithContext(ctx).Raw(`SELECT min(rate_limited_until) FROM channels WHERE rate_limited_until > ?
		AND EXISTS (SELECT 1 FROM post_targets WHERE channel_id = channels.id AND status = 'scheduled')`, now).Scan(&parked).Error; err != nil {
		return time.Time{}, false, err
	}
	var out time.Time
	for _, v := range []*string{next, parked} {
		if v == nil || *v == "" {
			continue
		}
		at, err := parseDBTime(*v)
		if err != nil {
			return time.Time{}, false, err
		}
		if out.IsZero() || at.Before(out) {
			out = at
		}
	}
	return out, !out.IsZero(), nil
}

// parseDBTime reads a time as SQLite aggregates return it (text).
func parseDBTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable time %q", s)
}

// RecordItems stores the remote ids made so far, the moment they are known.
func (t *Targets) RecordItems(ctx context.Context, id int64, token string, items []string, url string) error {
	b, _ := json.Marshal(items)
	updates := map[string]any{"item_ids": string(b), "updated_at": t.now().UTC()}
	if len(items) > 0 {
		updates["remote_id"] = items[0]
	}
	if url != "" {
		updates["remote_url"] = url
	}
	res := t.db.WithContext(ctx).Model(&model.PostTarget{}).Where("id = ? AND status = 'claimed' AND claim_token = ?", id, token).Updates(updates)
	if res.Error != nil {
		return fmt.Errorf("record published items of target %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotClaimed
	}
	return nil
}

// Outcome is how an attempt ended, and what becomes of its target.
type Outcome struct {
	Attempt model.AttemptOutcome
	Class   string
	Message string
	// Target status after the attempt: published, scheduled (retry at
	// NextAttemptAt), failed, blocked, skipped.
	Status        model.TargetStatus
	NextAttemptAt time.Time
	Reconcile     bool
	RemoteID      string
	RemoteURL     string
	Items         []string
	PublishedAt   time.Time
	VerifiedAt    time.Time // read back from the network, if it was
	// CountsTry: the attempt used up one of the target's tries (a
	// rate-limited answer, a stop or a "maybe sent" found absent do not).
	CountsTry bool
	// Fingerprint of what the attempt sent, kept with the attempt.
	Fingerprint string
}

// Finish closes a claimed target's attempt and moves the target on, with
// its audit line (if any) in the same transaction. It only applies while
// the caller still holds the claim.
func (t *Targets) Finish(ctx context.Context, c Claimed, token string, o Outcome, audit *model.AuditEntry) error {
	return t.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return t.FinishIn(ctx, tx, c, token, o, audit) })
}

// FinishIn is Finish inside the caller's transaction. It is the engine's
// hottest write, so it is plain SQL: four statements per attempt.
func (t *Targets) FinishIn(ctx context.Context, tx *gorm.DB, c Claimed, token string, o Outcome, audit *model.AuditEntry) error {
	now := t.now().UTC()
	set := "status = ?, error_class = ?, error_message = ?, reconcile = ?, claim_token = '', claimed_at = NULL, updated_at = ?, version = version + 1"
	args := []any{o.Status, o.Class, o.Message, o.Reconcile, now}
	if o.CountsTry {
		set += ", tries = tries + 1"
	}
	switch o.Status {
	case model.TargetScheduled:
		set += ", next_attempt_at = ?"
		args = append(args, o.NextAttemptAt.UTC())
	case model.TargetPublished:
		set += ", next_attempt_at = NULL, remote_id = ?, remote_url = ?, published_at = ?"
		args = append(args, o.RemoteID, o.RemoteURL, o.PublishedAt.UTC())
		if !o.VerifiedAt.IsZero() {
			set += ", verified_at = ?"
			args = append(args, o.VerifiedAt.UTC())
		}
	default:
		set += ", next_attempt_at = NULL"
	}
	if o.Items != nil {
		b, _ := json.Marshal(o.Items)
		set += ", item_ids = ?"
		args = append(args, string(b))
	}
	args = append(args, c.Target.ID, token)
	db := tx.WithContext(ctx)
	res := db.Exec("UPDATE post_targets SET "+set+" WHERE id = ? AND status = 'claimed' AND claim_token = ?", args...)
	if res.Error != nil {
		return fmt.Errorf("finish target %d: %w", c.Target.ID, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotClaimed
	}
	if err := db.Exec(`UPDATE attempts SET outcome = ?, error_class = ?, error_message = ?, remote_id = ?, finished_at = ?, fingerprint = ? WHERE id = ?`,
		o.Attempt, o.Class, o.Message, o.RemoteID, now, o.Fingerprint, c.Attempt.ID).Error; err != nil {
		return fmt.Errorf("close attempt: %w", err)
	}
	if audit != nil {
		if audit.At.IsZero() {
			audit.At = now
		}
		if audit.Details == "" {
			audit.Details = "{}"
		}
		if err := db.Exec(`INSERT INTO audit_log (at, actor, event, channel_id, channel_name, teams, post_id, summary, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			audit.At.UTC(), audit.Actor, audit.Event, audit.ChannelID, audit.ChannelName, audit.Teams, audit.PostID, audit.Summary, audit.Details).Error; err != nil {
			return fmt.Errorf("append audit entry %s: %w", audit.Event, err)
		}
	}
	if o.Status == model.TargetPublished && c.Target.InboxItemID != nil {
		// A reply written in the inbox: the item's first-reply time is the
		// first reply's publication, recorded with it.
		if _, err := NewInbox(tx, t.now).RecordFirstReply(ctx, *c.Target.InboxItemID, o.PublishedAt); err != nil && !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("record first reply: %w", err)
		}
	}
	return RefreshPostStatus(ctx, tx, c.Target.PostID, now)
}

// ByIdempotencyKey reads the target with that key (unique).
func (t *Targets) ByIdempotencyKey(ctx context.Context, key string) (model.PostTarget, error) {
	var out model.PostTarget
	err := t.db.WithContext(ctx).Where("idempotency_key = ?", key).Take(&out).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return out, fmt.Errorf("target with key %q: %w", key, ErrNotFound)
	}
	return out, err
}

// PublishedURL is the public address of the channel's published post with
// remote id remoteID, "" when Herald did not publish it.
func (t *Targets) PublishedURL(ctx context.Context, channelID int64, remoteID string) (string, error) {
	if remoteID == "" {
		return "", nil
	}
	var urls []string
	if err := t.db.WithContext(ctx).Model(&model.PostTarget{}).Where("channel_id = ? AND remote_id = ? AND remote_url <> ''", channelID, remoteID).
		Limit(1).Pluck("remote_url", &urls).Error; err != nil {
		return "", fmt.Errorf("read the address of %s: %w", remoteID, err)
	}
	if len(urls) == 0 {
		return "", nil
	}
	return urls[0], nil
}

// RepliesTo reads the replies written from an inbox item, oldest first.
func (t *Targets) RepliesTo(ctx context.Context, itemID int64) ([]model.PostTarget, error) {
	var out []model.PostTarget
	if err := t.db.WithContext(ctx).Where("inbox_item_id = ?", itemID).Order("created_at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("read replies to inbox item %d: %w", itemID, err)
	}
	return out, nil
}

// RecoverClaimed runs at start-up: a target still claimed was in flight
// when Herald stopped (a crash, a kill). Its attempt's outcome is unknown,
// so it goes back to the schedule flagged for reconciliation — never
// straight to a blind retry.
func (t *Targets) RecoverClaimed(ctx context.Context) (int64, error) {
	now := t.now().UTC()
	var n int64
	err := t.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`UPDATE attempts SET outcome = 'unknown', finished_at = ?, error_class = 'transient',
			error_message = 'Herald stopped while this attempt was in progress'
			WHERE outcome = 'pending'`, now).Error; err != nil {
			return err
		}
		// The attempt was cut short: it does not use up a try.
		var postIDs []int64
		if err := tx.Raw(`UPDATE post_targets SET status = 'scheduled', reconcile = 1, claim_token = '', claimed_at = NULL, version = version + 1,
			next_attempt_at = ?, error_class = 'transient', error_message = 'Herald stopped while publishing; checking the channel before trying again',
			updated_at = ? WHERE status = 'claimed' RETURNING post_id`, now, now).Scan(&postIDs).Error; err != nil {
			return err
		}
		n = int64(len(postIDs))
		for _, id := range uniq(postIDs) {
			if err := RefreshPostStatus(ctx, tx, id, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("recover interrupted targets: %w", err)
	}
	return n, nil
}

// postStatusSQL derives a post's status from its targets' statuses:
// draft until scheduled; publishing while a target is claimed; scheduled
// while any waits; then published, partial (some published) or failed.
const postStatusSQL = `(SELECT CASE
	WHEN count(*) = 0 OR sum(status = 'draft') = count(*) THEN 'draft'
	WHEN sum(status = 'cancelled') = count(*) THEN 'cancelled'
	WHEN sum(status = 'claimed') > 0 THEN 'publishing'
	WHEN sum(status IN ('scheduled', 'blocked')) > 0 THEN 'scheduled'
	WHEN sum(status = 'published') = count(*) THEN 'published'
	WHEN sum(status = 'published') > 0 THEN 'partial'
	WHEN sum(status = 'draft') > 0 THEN 'draft'
	ELSE 'failed' END FROM post_targets WHERE post_id = posts.id)`

// RefreshPostStatus derives a post's status from its targets, in one
// statement.
func RefreshPostStatus(ctx context.Context, tx *gorm.DB, postID int64, now time.Time) error {
	return tx.WithContext(ctx).Exec(`UPDATE posts SET status = `+postStatusSQL+`, updated_at = ? WHERE id = ?`, now.UTC(), postID).Error
}

// Unblock reschedules, for at once, a channel's targets that waited for it
// to be reconnected. They are marked "resumed", not "missed": they were
// held by the connection, not by Herald being closed, so the missed-time
// policy does not stagger or skip them.
func (t *Targets) Unblock(ctx context.Context, channelID int64, at time.Time) ([]int64, error) {
	var postIDs []int64
	err := t.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Raw(`UPDATE post_targets SET status = 'scheduled', next_attempt_at = ?, error_class = 'resumed',
			error_message = 'Its channel is connected again; publishing now.', tries = 0, version = version + 1, updated_at = ?
			WHERE channel_id = ? AND status = 'blocked' AND error_class IN ('auth_dead', 'scope_missing', 'api_version_retired')
			RETURNING post_id`, at.UTC(), at.UTC(), channelID).Scan(&postIDs).Error; err != nil {
			return err
		}
		for _, id := range uniq(postIDs) {
			if err := RefreshPostStatus(ctx, tx, id, at); err != nil {
				return err
			}
		}
		return nil
	})
	return uniq(postIDs), err
}

func uniq(ids []int64) []int64 {
	seen := map[int64]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// Release gives a claimed target back to the schedule without an attempt:
// publishing was paused, or its channel was told to wait, after the claim
// and before anything was sent. The opened attempt is dropped.
func (t *Targets) Release(ctx context.Context, c Claimed, token string, next time.Time, message string) error {
	now := t.now().UTC()
	return t.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE post_targets SET status = 'scheduled', claim_token = '', claimed_at = NULL, next_attempt_at = ?,
			attempt_count = attempt_count - 1, error_message = CASE WHEN ? = '' THEN error_message ELSE ? END, version = version + 1, updated_at = ?
			WHERE id = ? AND status = 'claimed' AND claim_token = ?`, next.UTC(), message, message, now, c.Target.ID, token)
		if res.Error != nil {
			return fmt.Errorf("release target %d: %w", c.Target.ID, res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotClaimed
		}
		if err := tx.Exec(`DELETE FROM attempts WHERE id = ? AND outcome = 'pending'`, c.Attempt.ID).Error; err != nil {
			return fmt.Errorf("drop attempt: %w", err)
		}
		return RefreshPostStatus(ctx, tx, c.Target.PostID, now)
	})
}

// Abandon ends a claimed attempt whose outcome could not be recorded (the
// database refused the write): the target goes back to the schedule,
// marked for reconciliation, as after a stop — not left "publishing".
func (t *Targets) Abandon(ctx context.Context, c Claimed, token string, next time.Time) error {
	now := t.now().UTC()
	return t.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE post_targets SET status = 'scheduled', reconcile = 1, claim_token = '', claimed_at = NULL, next_attempt_at = ?,
			error_class = 'transient', error_message = 'Herald could not record how an attempt ended; checking the channel before trying again',
			version = version + 1, updated_at = ? WHERE id = ? AND status = 'claimed' AND claim_token = ?`, next.UTC(), now, c.Target.ID, token)
		if res.Error != nil {
			return fmt.Errorf("abandon target %d: %w", c.Target.ID, res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotClaimed
		}
		if err := tx.Exec(`UPDATE attempts SET outcome = 'unknown', finished_at = ?, error_class = 'transient',
			error_message = 'the outcome could not be recorded' WHERE id = ? AND outcome = 'pending'`, now, c.Attempt.ID).Error; err != nil {
			return err
		}
		return RefreshPostStatus(ctx, tx, c.Target.PostID, now)
	})
}

// BringForward moves a channel's targets that wait out a transient
// failure to now: a success shows the channel works again, so nothing
// should sit in a long backoff. Targets of unknown outcome come too (they
// are checked first). Returns how many moved.
func (t *Targets) BringForward(ctx context.Context, channelID int64, now time.Time) (int64, error) {
	// It runs after every success, also through a burst of due posts, so it
	// reads only this channel's backed-off targets (a partial index), never
	// the other overdue ones or the history.
	res := t.db.WithContext(ctx).Exec(`UPDATE post_targets INDEXED BY post_targets_backoff SET next_attempt_at = ?, version = version + 1, updated_at = ?
		WHERE channel_id = ? AND status = 'scheduled' AND error_class IN ('transient', 'rate_limited') AND handoff_id = ''
		  AND next_attempt_at > ? AND due_at <= ?`, now.UTC(), now.UTC(), channelID, now.UTC(), now.UTC())
	if res.Error != nil {
		return 0, fmt.Errorf("bring channel %d's retries forward: %w", channelID, res.Error)
	}
	return res.RowsAffected, nil
}

// Retry schedules a failed, skipped or waiting target for now. A target of
// unknown outcome keeps its mark (it is checked before anything is sent).
func (t *Targets) Retry(ctx context.Context, id int64) (model.PostTarget, error) {
	now := t.now().UTC()
	return t.userMove(ctx, id, ActionRetry, map[string]any{"status": model.TargetScheduled, "next_attempt_at": now, "due_at": now,
		"error_class": "", "error_message": "", "tries": 0})
}

// Skip gives up on a target that has not gone out; skipping a skipped one
// again dismisses it from "needs attention".
func (t *Targets) Skip(ctx context.Context, id int64) (model.PostTarget, error) {
	return t.userMove(ctx, id, ActionSkip, map[string]any{"status": model.TargetSkipped, "next_attempt_at": nil,
		"error_class": "skipped_by_user", "error_message": "Skipped by you; not published."})
}

func (t *Targets) userMove(ctx context.Context, id int64, a TargetAction, updates map[string]any) (model.PostTarget, error) {
	now := t.now().UTC()
	db := t.db.WithContext(ctx)
	var tg model.PostTarget
	if err := db.Take(&tg, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return tg, &TransitionError{TargetID: id, Action: a, Reason: RefusedGone}
		}
		return tg, fmt.Errorf("read target %d: %w", id, err)
	}
	guard, args := userGuard(a)
	updates["version"], updates["updated_at"] = gorm.Expr("version + 1"), now
	res := db.Model(&model.PostTarget{}).Where("id = ? AND version = ? AND "+guard, append([]any{id, tg.Version}, args...)...).Updates(updates)
	if res.Error != nil {
		return tg, fmt.Errorf("%s target %d: %w", a, id, res.Error)
	}
	if res.RowsAffected == 0 {
		return tg, refusal(ctx, db, id, a)
	}
	return tg, RefreshPostStatus(ctx, db, tg.PostID, now)
}

// MissedChange is what the missed-time policy decides for an overdue
// target that was never attempted.
type MissedChange struct {
	Status        model.TargetStatus // scheduled (late, or moved to a slot), skipped or blocked (ask)
	NextAttemptAt *time.Time
	DueAt         *time.Time // moved to the next free queue slot
	Class         string
	Message       string
}

// ApplyMissed applies the missed-time policy to a target that is still
// scheduled, untried, not handed off and of known outcome. It reports
// whether the target moved (false: something else moved it first).
func (t *Targets) ApplyMissed(ctx context.Context, id int64, m MissedChange) (bool, error) {
	updates := map[string]any{"status": m.Status, "next_attempt_at": m.NextAttemptAt, "error_class": m.Class, "error_message": m.Message,
		"version": gorm.Expr("version + 1"), "updated_at": t.now().UTC()}
	if m.DueAt != nil {
		updates["due_at"] = m.DueAt.UTC()
	}
	res := t.db.WithContext(ctx).Model(&model.PostTarget{}).
		Where("id = ? AND status = 'scheduled' AND error_class = '' AND reconcile = 0 AND handoff_id = ''", id).Updates(updates)
	if res.Error != nil {
		return false, fmt.Errorf("apply missed-time policy to target %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// MarkVerified records the read-back of a published target: confirmed, or
// flagged (class, message) when the network no longer has it.
func (t *Targets) MarkVerified(ctx context.Context, id int64, class, message string) error {
	updates := map[string]any{"updated_at": t.now().UTC(), "version": gorm.Expr("version + 1")}
	if class == "" {
		updates["verified_at"] = t.now().UTC()
	} else {
		updates["error_class"], updates["error_message"] = class, message
	}
	err := t.db.WithContext(ctx).Model(&model.PostTarget{}).Where("id = ? AND status = 'published'", id).Updates(updates).Error
	if err != nil {
		return fmt.Errorf("record read-back of target %d: %w", id, err)
	}
	return nil
}

// SetHandoff moves a scheduled target's hand-off mark from tg.HandoffID to
// to ("" none, "?" unknown, else the network's scheduled id). With
// sameVersion, only if nothing else moved the target since tg was read: a
// hand-off made while the user pressed "publish now" must not stick. It
// reports whether the target moved; false means the copy just made at the
// network must be withdrawn.
func (t *Targets) SetHandoff(ctx context.Context, tg model.PostTarget, to string, sameVersion bool) (bool, error) {
	q := t.db.WithContext(ctx).Model(&model.PostTarget{}).
		Where("id = ? AND status = 'scheduled' AND reconcile = 0 AND handoff_id = ?", tg.ID, tg.HandoffID)
	if sameVersion {
		q = q.Where("version = ?", tg.Version)
	}
	res := q.Updates(map[string]any{"handoff_id": to, "version": gorm.Expr("version + 1"), "updated_at": t.now().UTC()})
	if res.Error != nil {
		return false, fmt.Errorf("record hand-off of target %d: %w", tg.ID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// HandoffEnd is how a handed-off target ended.
type HandoffEnd struct {
	Status   model.TargetStatus // published or failed
	Outcome  model.AttemptOutcome
	RemoteID string
	URL      string
	Items    []string
	Class    string
	Message  string
}

// CloseHandoff records the end of a handed-off target as an attempt. It
// reports whether the target moved.
func (t *Targets) CloseHandoff(ctx context.Context, tg model.PostTarget, end HandoffEnd) (bool, error) {
	now := t.now().UTC()
	db := t.db.WithContext(ctx)
	updates := map[string]any{"status": end.Status, "error_class": end.Class, "error_message": end.Message, "next_attempt_at": nil,
		"attempt_count": gorm.Expr("attempt_count + 1"), "version": gorm.Expr("version + 1"), "updated_at": now}
	if end.Status == model.TargetPublished {
		items, _ := json.Marshal(end.Items)
		updates["remote_id"], updates["remote_url"], updates["published_at"], updates["item_ids"] = end.RemoteID, end.URL, now, string(items)
	}
	res := db.Model(&model.PostTarget{}).Where("id = ? AND status = 'scheduled' AND handoff_id = ?", tg.ID, tg.HandoffID).Updates(updates)
	if res.Error != nil || res.RowsAffected == 0 {
		return false, res.Error
	}
	if err := db.Create(&model.Attempt{TargetID: tg.ID, Number: tg.AttemptCount + 1, StartedAt: now, FinishedAt: &now, Outcome: end.Outcome,
		ErrorClass: end.Class, ErrorMessage: end.Message, RemoteID: end.RemoteID}).Error; err != nil {
		return false, err
	}
	return true, RefreshPostStatus(ctx, db, tg.PostID, now)
}
