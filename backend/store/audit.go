package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"herald/backend/model"
)

// Audit is the append-only audit log. The database refuses updates and
// deletes on it (triggers in the first migration).
type Audit struct {
	db  *gorm.DB
	now func() time.Time
}

// NewAudit returns the audit repository.
func NewAudit(db *gorm.DB, now func() time.Time) *Audit {
	return &Audit{db: db, now: now}
}

// Append writes one entry; At defaults to now.
func (a *Audit) Append(ctx context.Context, e *model.AuditEntry) error {
	return a.AppendTx(ctx, a.db, e)
}

// AppendTx writes an entry inside the caller's transaction, so an action and
// its audit line commit together or not at all.
func (a *Audit) AppendTx(ctx context.Context, tx *gorm.DB, e *model.AuditEntry) error {
	if e.At.IsZero() {
		e.At = a.now()
	}
	e.At = e.At.UTC()
	if e.Details == "" {
		e.Details = "{}"
	}
	if err := tx.WithContext(ctx).Create(e).Error; err != nil {
		return fmt.Errorf("append audit entry %s: %w", e.Event, err)
	}
	return nil
}

// AuditFilter narrows List. Zero values mean "any".
type AuditFilter struct {
	From, To  time.Time
	Actor     model.Actor
	EventLike string // prefix, e.g. "channel." or "post.published"
	ChannelID int64
	Team      string
	Text      string
	Limit     int
	BeforeID  int64 // keyset paging: entries older than this id
}

// List returns entries newest first, and how many match in all.
func (a *Audit) List(ctx context.Context, f AuditFilter) ([]model.AuditEntry, int64, error) {
	q := a.db.WithContext(ctx).Model(&model.AuditEntry{})
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	if f.Actor != "" {
		q = q.Where("actor = ?", f.Actor)
	}
	if f.EventLike != "" {
		q = q.Where("event LIKE ? ESCAPE '\\'", escapeLike(f.EventLike)+"%")
	}
	if f.ChannelID != 0 {
		q = q.Where("channel_id = ?", f.ChannelID)
	}
	if f.Team != "" {
		q = q.Where("(',' || teams || ',') LIKE ? ESCAPE '\\'", "%,"+escapeLike(f.Team)+",%")
	}
	if f.Text != "" {
		like := "%" + escapeLike(f.Text) + "%"
		q = q.Where("(summary LIKE ? ESCAPE '\\' OR channel_name LIKE ? ESCAPE '\\')", like, like)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count audit entries: %w", err)
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	var out []model.AuditEntry
	if err := q.Order("id DESC").Limit(limit).Find(&out).Error; err != nil {
		return nil, 0, fmt.Errorf("list audit entries: %w", err)
	}
	return out, total, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
