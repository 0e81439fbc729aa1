package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"herald/backend/model"
)

// RateBudgets keeps the request budgets' state across restarts (package
// ratebudget owns the budgets themselves).
type RateBudgets struct {
	db  *gorm.DB
	now func() time.Time
}

// NewRateBudgets returns the budget rows.
func NewRateBudgets(db *gorm.DB, now func() time.Time) *RateBudgets {
	return &RateBudgets{db: db, now: now}
}

// LoadRateBudgets returns every stored budget.
func (r *RateBudgets) LoadRateBudgets(ctx context.Context) ([]model.RateBudget, error) {
	var out []model.RateBudget
	if err := r.db.WithContext(ctx).Order("bucket").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("load rate budgets: %w", err)
	}
	return out, nil
}

// SaveRateBudget writes one budget's state, replacing what was stored.
func (r *RateBudgets) SaveRateBudget(ctx context.Context, b model.RateBudget) error {
	b.TokensAt = b.TokensAt.UTC()
	if b.HeaderReset != nil {
		t := b.HeaderReset.UTC()
		b.HeaderReset = &t
	}
	b.UpdatedAt = r.now().UTC()
	err := r.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&b).Error
	if err != nil {
		return fmt.Errorf("save rate budget %s: %w", b.Bucket, err)
	}
	return nil
}

// PruneRateBudgets deletes budgets not written since before: their window
// is long over, so they would start full anyway.
func (r *RateBudgets) PruneRateBudgets(ctx context.Context, before time.Time) error {
	if err := r.db.WithContext(ctx).Where("updated_at < ?", before.UTC()).Delete(&model.RateBudget{}).Error; err != nil {
		return fmt.Errorf("prune rate budgets: %w", err)
	}
	return nil
}
