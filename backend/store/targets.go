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
		err := tx.Raw(`UPDATE post_targets SET status = 'claimed', claim_token = ?, claimed_at = ?,
			attempt_count = attempt_count + 1, first_attempt_at = coalesce(first_attempt_at, ?), updated_at = ?
			WHERE id IN (SELECT id FROM post_targets WHERE status = 'scheduled' AND handoff_id = ''
			             AND next_attempt_at IS NOT NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?)
			RETURNING id`, token, now, now, now, now, limit).Scan(&ids).Error
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

// NextDue returns when the next target falls due, if any is scheduled.
func (t *Targets) NextDue(ctx context.Context) (time.Time, bool, error) {
	var next *string
	err := t.db.WithContext(ctx).Raw(`SELECT min(next_attempt_at) FROM post_targets WHERE status = 'scheduled' AND handoff_id = '' AND next_attempt_at IS NOT NULL`).Scan(&next).Error
	if err != nil || next == nil || *next == "" {
		return time.Time{}, false, err
	}
	at, err := parseDBTime(*next)
	if err != nil {
		return time.Time{}, false, err
	}
	return at, true, nil
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
	set := "status = ?, error_class = ?, error_message = ?, reconcile = ?, claim_token = '', claimed_at = NULL, updated_at = ?"
	args := []any{o.Status, o.Class, o.Message, o.Reconcile, now}
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
	if err := db.Exec(`UPDATE attempts SET outcome = ?, error_class = ?, error_message = ?, remote_id = ?, finished_at = ? WHERE id = ?`,
		o.Attempt, o.Class, o.Message, o.RemoteID, now, c.Attempt.ID).Error; err != nil {
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
	return RefreshPostStatus(ctx, tx, c.Target.PostID, now)
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
		res := tx.Exec(`UPDATE post_targets SET status = 'scheduled', reconcile = 1, claim_token = '', claimed_at = NULL,
			next_attempt_at = ?, error_class = 'transient', error_message = 'Herald stopped while publishing; checking the channel before trying again',
			updated_at = ? WHERE status = 'claimed'`, now, now)
		n = res.RowsAffected
		return res.Error
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

// Unblock reschedules a channel's targets that waited for it to be
// reconnected.
func (t *Targets) Unblock(ctx context.Context, channelID int64, at time.Time) ([]int64, error) {
	var postIDs []int64
	err := t.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Raw(`UPDATE post_targets SET status = 'scheduled', next_attempt_at = ?, error_class = '', error_message = '', updated_at = ?
			WHERE channel_id = ? AND status = 'blocked' AND error_class IN ('auth_dead', 'scope_missing')
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
