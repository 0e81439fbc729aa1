package service

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"

	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/config"
	"herald/backend/db"
	"herald/backend/model"
	"herald/backend/secrets"
	"herald/backend/store"
)

// KeyringProber checks the OS keyring end to end.
type KeyringProber interface {
	Probe(ctx context.Context) secrets.Status
}

// Settings serves the Settings screen and its Diagnostics tab.
type Settings struct {
	cfg       config.Config
	db        *gorm.DB // nil when the database could not be opened
	keyring   KeyringProber
	startedAt time.Time
	now       func() time.Time
	login     LoginItem
}

// NewSettings builds the Settings service. gdb may be nil (recovery mode).
func NewSettings(cfg config.Config, gdb *gorm.DB, keyring KeyringProber, startedAt time.Time, now func() time.Time) *Settings {
	return &Settings{cfg: cfg, db: gdb, keyring: keyring, startedAt: startedAt, now: now}
}

// LoginItem starts Herald at login (autostart.Entry).
type LoginItem interface {
	Enabled() (bool, error)
	Enable() error
	Disable() error
}

// UseLoginItem sets how "start at login" is managed.
func (s *Settings) UseLoginItem(li LoginItem) { s.login = li }

// Preferences are the user's settings.
type Preferences struct {
	ReminderDays  int  `json:"reminderDays"`
	LaunchAtLogin bool `json:"launchAtLogin"`
	// Clock is "system" (the system's 12/24-hour preference), "12" or "24".
	Clock string `json:"clock"`
}

// Preferences returns the user's settings.
func (s *Settings) Preferences() (Preferences, error) {
	if s.db == nil {
		return Preferences{}, errNoDatabase
	}
	settings := store.NewSettings(s.db, s.now)
	p := Preferences{ReminderDays: settings.ReminderDays(context.Background()), Clock: settings.Clock(context.Background())}
	if s.login != nil {
		p.LaunchAtLogin, _ = s.login.Enabled()
	}
	return p, nil
}

// SetLaunchAtLogin starts Herald (hidden, in the tray) when you log in.
func (s *Settings) SetLaunchAtLogin(on bool) (Preferences, error) {
	if s.db == nil {
		return Preferences{}, errNoDatabase
	}
	if s.login == nil {
		return Preferences{}, &apperr.Error{Code: apperr.CodeUnavailable, Message: "Herald cannot manage login items on this system."}
	}
	var err error
	if on {
		err = s.login.Enable()
	} else {
		err = s.login.Disable()
	}
	if err != nil {
		return Preferences{}, &apperr.Error{Code: apperr.CodeUnavailable, Message: "Herald could not change the login item: " + err.Error(), Err: err}
	}
	summary := "Herald no longer starts at login"
	if on {
		summary = "Herald starts at login, in the tray"
	}
	if err := store.NewAudit(s.db, s.now).Append(context.Background(), &model.AuditEntry{Actor: model.ActorUser, Event: "settings.changed",
		Summary: summary, Details: fmt.Sprintf(`{"setting":"launch_at_login","to":%v}`, on)}); err != nil {
		return Preferences{}, err
	}
	return s.Preferences()
}

// SetReminderDays sets after how many days Herald reminds the user to
// refresh a channel's connection (0 turns it off).
func (s *Settings) SetReminderDays(days int) (Preferences, error) {
	if s.db == nil {
		return Preferences{}, errNoDatabase
	}
	if days != 0 && (days < 7 || days > 365) {
		return Preferences{}, apperr.Invalid("reminderDays", "Choose between 7 and 365 days, or 0 to turn the reminder off.")
	}
	ctx := context.Background()
	settings := store.NewSettings(s.db, s.now)
	old := settings.ReminderDays(ctx)
	err := store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		if err := store.NewSettings(tx, s.now).Set(ctx, store.SettingReminderDays, strconv.Itoa(days)); err != nil {
			return err
		}
		return store.NewAudit(tx, s.now).Append(ctx, &model.AuditEntry{Actor: model.ActorUser, Event: "settings.changed",
			Summary: fmt.Sprintf("Re-authorization reminder changed from %s to %s", daysText(old), daysText(days)),
			Details: fmt.Sprintf(`{"setting":%q,"from":%d,"to":%d}`, store.SettingReminderDays, old, days)})
	})
	if err != nil {
		return Preferences{}, err
	}
	return s.Preferences()
}

// SetClock sets how times are written: "system" follows the system's
// 12/24-hour preference, "12" and "24" always use that clock.
func (s *Settings) SetClock(clock string) (Preferences, error) {
	if s.db == nil {
		return Preferences{}, errNoDatabase
	}
	names := map[string]string{store.ClockSystem: "the system's clock", store.Clock12: "12-hour clock", store.Clock24: "24-hour clock"}
	if _, ok := names[clock]; !ok {
		return Preferences{}, apperr.Invalid("clock", "Choose System, 12-hour or 24-hour.")
	}
	ctx := context.Background()
	old := store.NewSettings(s.db, s.now).Clock(ctx)
	if old == clock {
		return s.Preferences()
	}
	err := store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		if err := store.NewSettings(tx, s.now).Set(ctx, store.SettingClock, clock); err != nil {
			return err
		}
		return store.NewAudit(tx, s.now).Append(ctx, &model.AuditEntry{Actor: model.ActorUser, Event: "settings.changed",
			Summary: fmt.Sprintf("Clock changed from %s to %s", names[old], names[clock]),
			Details: fmt.Sprintf(`{"setting":%q,"from":%q,"to":%q}`, store.SettingClock, old, clock)})
	})
	if err != nil {
		return Preferences{}, err
	}
	return s.Preferences()
}

func daysText(d int) string {
	if d == 0 {
		return "off"
	}
	return fmt.Sprintf("%d days", d)
}

// BackupInfo describes one database backup.
type BackupInfo struct {
	Path      string `json:"path"`
	TakenAt   string `json:"takenAt"`
	SizeBytes int64  `json:"sizeBytes"`
}

// Diagnostics is what Herald knows about itself and its files.
type Diagnostics struct {
	Version             string      `json:"version"`
	Commit              string      `json:"commit"` // the git commit built, "" when unknown
	OS                  string      `json:"os"`
	Arch                string      `json:"arch"`
	GoVersion           string      `json:"goVersion"`
	DataDir             string      `json:"dataDir"`
	LogDir              string      `json:"logDir"`
	DatabasePath        string      `json:"databasePath"`
	BackupDir           string      `json:"backupDir"`
	Portable            bool        `json:"portable"`
	DatabaseOpen        bool        `json:"databaseOpen"`
	DatabaseSizeBytes   int64       `json:"databaseSizeBytes"`
	SchemaVersion       int         `json:"schemaVersion"`
	LatestSchemaVersion int         `json:"latestSchemaVersion"`
	LastBackup          *BackupInfo `json:"lastBackup"`
	StartedAt           string      `json:"startedAt"`
}

// Diagnostics reports version, folders, schema and the last backup. The
// keyring is checked separately (KeyringStatus) because it may be slow.
func (s *Settings) Diagnostics() (Diagnostics, error) {
	ctx := context.Background()
	d := Diagnostics{
		Version: s.cfg.Version, Commit: s.cfg.Commit, OS: runtime.GOOS, Arch: runtime.GOARCH, GoVersion: runtime.Version(),
		DataDir: s.cfg.DataDir, LogDir: s.cfg.LogDir, DatabasePath: s.cfg.DBPath, BackupDir: s.cfg.BackupDir,
		Portable: s.cfg.Portable, LatestSchemaVersion: db.LatestVersion(), StartedAt: stamp(s.startedAt),
	}
	if st, err := os.Stat(s.cfg.DBPath); err == nil {
		d.DatabaseSizeBytes = st.Size()
	}
	if s.db != nil {
		v, err := db.SchemaVersion(ctx, s.db)
		if err != nil {
			return d, fmt.Errorf("read schema version: %w", err)
		}
		d.DatabaseOpen, d.SchemaVersion = true, v
	}
	b, err := db.LatestBackup(s.cfg.BackupDir)
	if err != nil {
		return d, err
	}
	if b != nil {
		d.LastBackup = &BackupInfo{Path: b.Path, TakenAt: stamp(b.TakenAt), SizeBytes: b.SizeBytes}
	}
	return d, nil
}

// KeyringStatus is the result of a live keyring check.
type KeyringStatus struct {
	Available bool   `json:"available"`
	Backend   string `json:"backend"`
	Message   string `json:"message"`
	Hint      string `json:"hint"`
	CheckedAt string `json:"checkedAt"`
}

// KeyringStatus writes, reads and deletes a throwaway keyring item.
func (s *Settings) KeyringStatus() (KeyringStatus, error) {
	st := s.keyring.Probe(context.Background())
	return KeyringStatus{Available: st.Available, Backend: st.Backend, Message: st.Message, Hint: st.Hint, CheckedAt: stamp(s.now())}, nil
}

// BackupNow takes a database backup on request.
func (s *Settings) BackupNow() (BackupInfo, error) {
	if s.db == nil {
		return BackupInfo{}, errNoDatabase
	}
	b, err := db.TakeBackup(context.Background(), s.db, s.cfg.BackupDir, "manual", s.now())
	if err != nil {
		return BackupInfo{}, err
	}
	return BackupInfo{Path: b.Path, TakenAt: stamp(b.TakenAt), SizeBytes: b.SizeBytes}, nil
}
