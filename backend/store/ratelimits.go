package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"herald/backend/model"
)

// RateLimits owns a channel's "wait until" mark: when a network answers
// 429, the whole channel — every target and every kind of request — waits
// until the reset it announced. The mark is in the database, so a restart
// keeps waiting too.
type RateLimits struct {
	db  *gorm.DB
	now func() time.Time
}

// NewRateLimits returns the rate-limit marks.
func NewRateLimits(db *gorm.DB, now func() time.Time) *RateLimits {
	return &RateLimits{db: db, now: now}
}

// Park makes channel id wait until at least until; a later mark already
// there is kept.
func (r *RateLimits) Park(ctx context.Context, id int64, until time.Time) error {
	u := until.UTC()
	err := r.db.WithContext(ctx).Exec(`UPDATE channels SET rate_limited_until = ? WHERE id = ? AND (rate_limited_until IS NULL OR rate_limited_until < ?)`,
		u, id, u).Error
	if err != nil {
		return fmt.Errorf("park channel %d until %s: %w", id, u.Format(time.RFC3339), err)
	}
	return nil
}

// Until says until when channel id must not be sent requests (zero: now).
func (r *RateLimits) Until(ctx context.Context, id int64) (time.Time, error) {
	var ch model.Channel
	if err := r.db.WithContext(ctx).Select("id", "rate_limited_until").Take(&ch, id).Error; err != nil {
		return time.Time{}, fmt.Errorf("read channel %d's rate limit: %w", id, err)
	}
	if ch.RateLimitedUntil == nil || !ch.RateLimitedUntil.After(r.now()) {
		return time.Time{}, nil
	}
	return *ch.RateLimitedUntil, nil
}
