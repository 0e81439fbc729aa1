package service

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"herald/backend/model"
	"herald/backend/store"
)

// SettingPublishOnResume holds the variants the user asked to publish now
// while publishing was paused, each with the version it had then (JSON
// {"targetID:idempotencyKey": version}; the key tells a target from a
// later one given the id of a deleted one; a bare "targetID" is a record
// from before keys were kept). On resume they become due at that moment, so
// they go out at once instead of following their post's missed-time
// policy (skip, ask, or publish late only within a grace window).
const SettingPublishOnResume = "publish_on_resume"

// holdForResume records, inside tx, the variants just scheduled to publish
// now while publishing is paused. It reports whether publishing is paused
// (nothing is recorded otherwise).
func holdForResume(ctx context.Context, tx *gorm.DB, now func() time.Time, targetIDs []int64) (bool, error) {
	if !LoadPaused(ctx, tx, now) || len(targetIDs) == 0 {
		return false, nil
	}
	held, err := heldForResume(ctx, tx, now)
	if err != nil {
		return true, err
	}
	var rows []model.PostTarget
	if err := tx.WithContext(ctx).Select("id", "version", "idempotency_key").Where("id IN ? AND status = ?", targetIDs, model.TargetScheduled).
		Find(&rows).Error; err != nil {
		return true, err
	}
	for _, t := range rows {
		held[strconv.FormatInt(t.ID, 10)+":"+t.IdempotencyKey] = t.Version
	}
	raw, err := json.Marshal(held)
	if err != nil {
		return true, err
	}
	return true, store.NewSettings(tx, now).Set(ctx, SettingPublishOnResume, string(raw))
}

func heldForResume(ctx context.Context, tx *gorm.DB, now func() time.Time) (map[string]int, error) {
	held := map[string]int{}
	v, ok, err := store.NewSettings(tx, now).Get(ctx, SettingPublishOnResume)
	if err != nil || !ok || v == "" {
		return held, err
	}
	if err := json.Unmarshal([]byte(v), &held); err != nil {
		return map[string]int{}, nil //nolint:nilerr // an unreadable list holds nothing; the posts follow their policy
	}
	return held, nil
}

// releaseOnResume makes the held variants due now, inside tx, before the
// engine resumes. A variant changed since (rescheduled, unscheduled,
// published) has another version and is left as it is. It returns how
// many were released.
func releaseOnResume(ctx context.Context, tx *gorm.DB, now func() time.Time) (int, error) {
	held, err := heldForResume(ctx, tx, now)
	if err != nil || len(held) == 0 {
		return 0, err
	}
	at := now().UTC()
	posts := store.NewPosts(tx, now)
	released := 0
	for entry, version := range held {
		idText, key, _ := strings.Cut(entry, ":")
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil {
			continue
		}
		moved, err := posts.DueAgain(ctx, id, key, version, at)
		if err != nil {
			return released, err
		}
		if moved {
			released++
		}
	}
	return released, store.NewSettings(tx, now).Set(ctx, SettingPublishOnResume, "")
}
