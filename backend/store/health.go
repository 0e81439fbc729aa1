package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"herald/backend/model"
)

// Health is the channel health timeline.
type Health struct {
	db  *gorm.DB
	now func() time.Time
}

// NewHealth returns the health timeline repository.
func NewHealth(db *gorm.DB, now func() time.Time) *Health { return &Health{db: db, now: now} }

// WithTx returns the repository bound to a transaction.
func (h *Health) WithTx(tx *gorm.DB) *Health { return &Health{db: tx, now: h.now} }

// Append adds an entry; At defaults to now.
func (h *Health) Append(ctx context.Context, e *model.HealthEvent) error {
	if e.At.IsZero() {
		e.At = h.now()
	}
	e.At = e.At.UTC()
	if err := h.db.WithContext(ctx).Create(e).Error; err != nil {
		return fmt.Errorf("append health event: %w", err)
	}
	return nil
}

// List returns a channel's timeline, newest first.
func (h *Health) List(ctx context.Context, channelID int64, limit int) ([]model.HealthEvent, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []model.HealthEvent
	err := h.db.WithContext(ctx).Where("channel_id = ?", channelID).Order("at DESC, id DESC").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list health events: %w", err)
	}
	return out, nil
}
