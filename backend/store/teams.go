package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"herald/backend/model"
)

// ErrDuplicate is returned when a unique name is taken.
var ErrDuplicate = errors.New("already exists")

// Teams is the team repository.
type Teams struct {
	db  *gorm.DB
	now func() time.Time
}

// NewTeams returns the team repository.
func NewTeams(db *gorm.DB, now func() time.Time) *Teams { return &Teams{db: db, now: now} }

// WithTx returns the repository bound to a transaction.
func (t *Teams) WithTx(tx *gorm.DB) *Teams { return &Teams{db: tx, now: t.now} }

// TeamWithCount is a team and how many active channels it has.
type TeamWithCount struct {
	model.Team
	Channels int64
}

// List returns all teams by name with their channel counts.
func (t *Teams) List(ctx context.Context) ([]TeamWithCount, error) {
	var out []TeamWithCount
	err := t.db.WithContext(ctx).Raw(`SELECT t.*, (SELECT count(*) FROM channel_teams ct JOIN channels c ON c.id = ct.channel_id
		WHERE ct.team_id = t.id AND c.removed_at IS NULL) AS channels FROM teams t ORDER BY lower(t.name)`).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}
	return out, nil
}

// Get returns one team.
func (t *Teams) Get(ctx context.Context, id int64) (model.Team, error) {
	var team model.Team
	err := t.db.WithContext(ctx).Where("id = ?", id).Take(&team).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return team, fmt.Errorf("team %d: %w", id, ErrNotFound)
	}
	return team, err
}

// Create adds a team. Names are unique, ignoring case.
func (t *Teams) Create(ctx context.Context, name string) (model.Team, error) {
	now := t.now().UTC()
	team := model.Team{Name: strings.TrimSpace(name), CreatedAt: now, UpdatedAt: now}
	if err := t.db.WithContext(ctx).Create(&team).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return team, fmt.Errorf("team %q: %w", team.Name, ErrDuplicate)
		}
		return team, fmt.Errorf("create team: %w", err)
	}
	return team, nil
}

// Rename changes a team's name.
func (t *Teams) Rename(ctx context.Context, id int64, name string) error {
	res := t.db.WithContext(ctx).Model(&model.Team{}).Where("id = ?", id).
		Updates(map[string]any{"name": strings.TrimSpace(name), "updated_at": t.now().UTC()})
	if errors.Is(res.Error, gorm.ErrDuplicatedKey) {
		return fmt.Errorf("team %q: %w", name, ErrDuplicate)
	}
	if res.Error != nil {
		return fmt.Errorf("rename team %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("team %d: %w", id, ErrNotFound)
	}
	return nil
}

// Delete removes a team; its channels stay, unassigned from it.
func (t *Teams) Delete(ctx context.Context, id int64) error {
	res := t.db.WithContext(ctx).Delete(&model.Team{}, id)
	if res.Error != nil {
		return fmt.Errorf("delete team %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("team %d: %w", id, ErrNotFound)
	}
	return nil
}

// TeamNames joins team names with commas, as the audit log stores them.
func TeamNames(teams []model.Team) string {
	names := make([]string, len(teams))
	for i, t := range teams {
		names[i] = t.Name
	}
	return strings.Join(names, ",")
}
