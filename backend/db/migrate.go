package db

import (
	"context"
	"embed"
	"fmt"
	"time"

	"gorm.io/gorm"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one step of the schema. Steps are applied in Version order,
// each in its own transaction together with its schema_migrations row, so a
// crash leaves the database at the previous version, never half-way.
type Migration struct {
	Version int
	Name    string
	Up      func(ctx context.Context, tx *gorm.DB) error
}

// sqlFile runs an embedded SQL script as a migration step.
func sqlFile(name string) func(ctx context.Context, tx *gorm.DB) error {
	return func(ctx context.Context, tx *gorm.DB) error {
		script, err := migrationFiles.ReadFile("migrations/" + name)
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		return tx.WithContext(ctx).Exec(string(script)).Error
	}
}

// Migrations is the full, ordered history of Herald's schema. Append only:
// never edit or reorder a step that has shipped.
func Migrations() []Migration {
	return []Migration{
		{Version: 1, Name: "initial", Up: sqlFile("0001_initial.sql")},
		{Version: 2, Name: "channel health", Up: sqlFile("0002_channel_health.sql")},
		{Version: 3, Name: "publishing", Up: sqlFile("0003_publishing.sql")},
		{Version: 4, Name: "job indexes", Up: sqlFile("0004_job_indexes.sql")},
		{Version: 5, Name: "target states", Up: sqlFile("0005_target_states.sql")},
		{Version: 6, Name: "queue indexes", Up: sqlFile("0006_queue_indexes.sql")},
		{Version: 7, Name: "backoff index", Up: sqlFile("0007_backoff_index.sql")},
		{Version: 8, Name: "inbox", Up: sqlFile("0008_inbox.sql")},
		{Version: 9, Name: "rate budgets", Up: sqlFile("0009_rate_budgets.sql")},
		{Version: 10, Name: "replies", Up: sqlFile("0010_replies.sql")},
		{Version: 11, Name: "inbox moderation", Up: sqlFile("0011_inbox_moderation.sql")},
		{Version: 12, Name: "inbox rules", Up: sqlFile("0012_inbox_rules.sql")},
		{Version: 13, Name: "saved replies", Up: sqlFile("0013_saved_replies.sql")},
		{Version: 14, Name: "direct messages", Up: sqlFile("0014_direct_messages.sql")},
		{Version: 15, Name: "metrics", Up: sqlFile("0015_metrics.sql")},
	}
}

// LatestVersion is the schema version this build of Herald writes.
func LatestVersion() int {
	m := Migrations()
	return m[len(m)-1].Version
}

const createVersionTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at DATETIME NOT NULL
)`

// SchemaVersion reads the highest applied migration; 0 for a new file.
func SchemaVersion(ctx context.Context, g *gorm.DB) (int, error) {
	var exists int
	err := g.WithContext(ctx).Raw(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&exists).Error
	if err != nil {
		return 0, err
	}
	if exists == 0 {
		return 0, nil
	}
	var v int
	err = g.WithContext(ctx).Raw(`SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v).Error
	return v, err
}

// migrate applies the pending steps of ms. The caller has already taken a
// backup of a non-empty database.
func migrate(ctx context.Context, g *gorm.DB, ms []Migration, now func() time.Time) (applied []int, err error) {
	if err := g.WithContext(ctx).Exec(createVersionTable).Error; err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	current, err := SchemaVersion(ctx, g)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.Version <= current {
			continue
		}
		err := g.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := m.Up(ctx, tx); err != nil {
				return err
			}
			return tx.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, now().UTC()).Error
		})
		if err != nil {
			return applied, fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
		}
		applied = append(applied, m.Version)
	}
	var problems []map[string]any
	if err := g.WithContext(ctx).Raw(`PRAGMA foreign_key_check`).Scan(&problems).Error; err != nil {
		return applied, fmt.Errorf("foreign key check after migration: %w", err)
	}
	if len(problems) > 0 {
		return applied, fmt.Errorf("foreign key check after migration found %d broken references", len(problems))
	}
	return applied, nil
}
