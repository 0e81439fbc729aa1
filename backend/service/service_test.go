package service

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/config"
	"herald/backend/db"
	"herald/backend/secrets"
	"herald/backend/store"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func now() time.Time { return t0 }

func testConfig(t *testing.T) config.Config {
	t.Helper()
	cfg, err := config.Resolve("1.2.3", func(k string) string {
		if k == config.EnvDataDir {
			return filepath.Join(t.TempDir(), "data")
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func openDB(t *testing.T, cfg config.Config) *gorm.DB {
	t.Helper()
	g, _, err := db.Open(context.Background(), db.Options{Path: cfg.DBPath, BackupDir: cfg.BackupDir, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(g) })
	return g
}

type fixedProber secrets.Status

func (f fixedProber) Probe(context.Context) secrets.Status { return secrets.Status(f) }

func TestDiagnosticsReportsTheRealDatabase(t *testing.T) {
	cfg := testConfig(t)
	cfg.Commit = "1982e59c1d83"
	s := NewSettings(cfg, openDB(t, cfg), fixedProber{Available: true}, t0, now)
	d, err := s.Diagnostics()
	if err != nil {
		t.Fatal(err)
	}
	if d.Commit != "1982e59c1d83" {
		t.Errorf("commit = %q, want the build commit apart from the version", d.Commit)
	}
	if !d.DatabaseOpen || d.SchemaVersion != db.LatestVersion() || d.LatestSchemaVersion != db.LatestVersion() {
		t.Errorf("schema: open %v, %d of %d", d.DatabaseOpen, d.SchemaVersion, d.LatestSchemaVersion)
	}
	if d.Version != "1.2.3" || d.DataDir != cfg.DataDir || !d.Portable || d.DatabaseSizeBytes == 0 {
		t.Errorf("diagnostics = %+v", d)
	}
	if d.LastBackup != nil {
		t.Errorf("LastBackup = %+v before any backup", d.LastBackup)
	}
	b, err := s.BackupNow()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(b.Path); err != nil || b.TakenAt != "2026-03-01T12:00:00Z" {
		t.Errorf("BackupNow = %+v (%v)", b, err)
	}
	d, _ = s.Diagnostics()
	if d.LastBackup == nil || d.LastBackup.Path != b.Path {
		t.Errorf("LastBackup after BackupNow = %+v", d.LastBackup)
	}
}

func TestDiagnosticsWithoutADatabase(t *testing.T) {
	cfg := testConfig(t)
	s := NewSettings(cfg, nil, fixedProber{}, t0, now)
	d, err := s.Diagnostics()
	if err != nil || d.DatabaseOpen || d.SchemaVersion != 0 {
		t.Errorf("Diagnostics = %+v, %v", d, err)
	}
	_, err = s.BackupNow()
	if p, ok := apperr.Format(err).(apperr.Payload); !ok || p.Code != apperr.CodeUnavailable || p.Hint == "" {
		t.Errorf("BackupNow without a database = %+v", apperr.Format(err))
	}
}

func TestKeyringStatusCarriesTheHint(t *testing.T) {
	cfg := testConfig(t)
	mem := secrets.NewMemory()
	mem.Fail = errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'")
	st := secrets.New(mem, "x", time.Second)
	s := NewSettings(cfg, nil, st, t0, now)
	ks, err := s.KeyringStatus()
	if err != nil {
		t.Fatal(err)
	}
	if ks.Available || !strings.Contains(ks.Hint, "Unlock") || ks.CheckedAt == "" {
		t.Errorf("KeyringStatus = %+v", ks)
	}
}

func TestRecoveryRestoresTheLatestBackupAndKeepsTheDamagedFile(t *testing.T) {
	cfg := testConfig(t)
	g := openDB(t, cfg)
	if err := g.Exec(`INSERT INTO teams (name, created_at, updated_at) VALUES ('Shop', ?, ?)`, t0, t0).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := db.TakeBackup(context.Background(), g, cfg.BackupDir, "manual", t0); err != nil {
		t.Fatal(err)
	}
	_ = db.Close(g)
	if err := os.WriteFile(cfg.DBPath, []byte(strings.Repeat("x", 5000)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, openErr := db.Open(context.Background(), db.Options{Path: cfg.DBPath, BackupDir: cfg.BackupDir})
	restarted := false
	r := NewRecovery(cfg, openErr, func() { restarted = true }, now)

	p, err := r.Problem()
	if err != nil || p.Kind != "corrupt" || p.LatestBackup == nil || !strings.Contains(p.Hint, "Restore") {
		t.Fatalf("Problem = %+v, %v", p, err)
	}
	res, err := r.RestoreLatestBackup()
	if err != nil {
		t.Fatal(err)
	}
	if !restarted {
		t.Error("Herald was not restarted after the restore")
	}
	if b, _ := os.ReadFile(res.KeptDamaged); string(b) != strings.Repeat("x", 5000) {
		t.Error("the damaged file was not kept")
	}
	g2 := openDB(t, cfg)
	var n int
	g2.Raw(`SELECT count(*) FROM teams`).Scan(&n)
	if n != 1 {
		t.Errorf("teams after restore = %d, want 1", n)
	}
}

func TestRecoveryWithNothingWrong(t *testing.T) {
	r := NewRecovery(testConfig(t), nil, nil, now)
	if p, _ := r.Problem(); p.Kind != "none" {
		t.Errorf("Problem = %+v", p)
	}
	if _, err := r.RestoreLatestBackup(); err == nil {
		t.Error("restoring over a healthy database was allowed")
	}
}

func TestClockSettingIsStoredAndAudited(t *testing.T) {
	cfg := testConfig(t)
	g := openDB(t, cfg)
	s := NewSettings(cfg, g, fixedProber{Available: true}, t0, now)
	p, err := s.Preferences()
	if err != nil || p.Clock != "system" {
		t.Fatalf("default clock = %q, %v; want system", p.Clock, err)
	}
	if p, err = s.SetClock("12"); err != nil || p.Clock != "12" {
		t.Fatalf("SetClock(12) = %+v, %v", p, err)
	}
	if p, err = s.Preferences(); err != nil || p.Clock != "12" {
		t.Fatalf("clock after saving = %q, %v", p.Clock, err)
	}
	if _, err := s.SetClock("25"); err == nil {
		t.Error("SetClock accepted 25")
	}
	entries, _, err := store.NewAudit(g, now).List(context.Background(), store.AuditFilter{EventLike: "settings."})
	if err != nil || len(entries) != 1 || entries[0].Summary != "Clock changed from the system's clock to 12-hour clock" {
		t.Fatalf("audit = %+v, %v", entries, err)
	}
}
