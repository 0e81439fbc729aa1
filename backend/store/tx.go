package store

import (
	"context"

	"gorm.io/gorm"
)

// Transaction runs fn in one write transaction (BEGIN IMMEDIATE): every
// repository built on tx inside fn commits or rolls back together.
func Transaction(ctx context.Context, db *gorm.DB, fn func(tx *gorm.DB) error) error {
	return db.WithContext(ctx).Transaction(fn)
}
