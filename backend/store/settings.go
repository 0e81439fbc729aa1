package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"herald/backend/model"
)

// Setting keys.
const (
	SettingInstallID    = "install_id"
	SettingReminderDays = "reauth_reminder_days"
	SettingClock        = "clock"
)

// Clock settings: follow the system's 12/24-hour preference, or always
// use one.
const (
	ClockSystem = "system"
	Clock12     = "12"
	Clock24     = "24"
)

// DefaultReminderDays follows the common "refresh every 3–4 months" advice.
const DefaultReminderDays = 90

// Settings is the key/value settings table.
type Settings struct {
	db  *gorm.DB
	now func() time.Time
}

// NewSettings returns the settings repository.
func NewSettings(db *gorm.DB, now func() time.Time) *Settings {
	return &Settings{db: db, now: now}
}

// Get returns the value of key and whether it is set.
func (s *Settings) Get(ctx context.Context, key string) (string, bool, error) {
	var row model.Setting
	err := s.db.WithContext(ctx).Where("key = ?", key).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read setting %s: %w", key, err)
	}
	return row.Value, true, nil
}

// Set writes key = value.
func (s *Settings) Set(ctx context.Context, key, value string) error {
	row := model.Setting{Key: key, Value: value, UpdatedAt: s.now().UTC()}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"}),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("write setting %s: %w", key, err)
	}
	return nil
}

// InstallID returns this installation's random id, creating it once. It
// scopes keyring items so two data folders never share credentials.
func (s *Settings) InstallID(ctx context.Context) (string, error) {
	if v, ok, err := s.Get(ctx, SettingInstallID); err != nil || ok {
		return v, err
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	id := fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
	// Insert-if-absent, then read back: a concurrent first start keeps one id.
	row := model.Setting{Key: SettingInstallID, Value: id, UpdatedAt: s.now().UTC()}
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return "", fmt.Errorf("create install id: %w", err)
	}
	v, _, err := s.Get(ctx, SettingInstallID)
	return v, err
}

// ReminderDays is how many days after a sign-in Herald reminds the user to
// refresh a channel; 0 turns the reminder off.
func (s *Settings) ReminderDays(ctx context.Context) int {
	v, ok, err := s.Get(ctx, SettingReminderDays)
	if err != nil || !ok {
		return DefaultReminderDays
	}
	var n int
	if _, err := fmt.Sscan(v, &n); err != nil || n < 0 {
		return DefaultReminderDays
	}
	return n
}

// Clock is how times are written: ClockSystem (the default), Clock12 or
// Clock24.
func (s *Settings) Clock(ctx context.Context) string {
	v, ok, err := s.Get(ctx, SettingClock)
	if err != nil || !ok || (v != Clock12 && v != Clock24) {
		return ClockSystem
	}
	return v
}
