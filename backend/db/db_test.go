package db

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func clockAt(t time.Time) func() time.Time { return func() time.Time { return t } }

func openT(t *testing.T, o Options) (*gorm.DB, Report) {
	t.Helper()
	if o.Now == nil {
		o.Now = clockAt(t0)
	}
	g, rep, err := Open(context.Background(), o)
	if err != nil {
		t.Fatalf("Open(%s) error: %v", o.Path, err)
	}
	t.Cleanup(func() { _ = Close(g) })
	return g, rep
}

func paths(t *testing.T) Options {
	dir := t.TempDir()
	return Options{Path: filepath.Join(dir, "herald.db"), BackupDir: filepath.Join(dir, "backups")}
}

func TestOpenNewDatabaseAppliesEveryMigrationAndPragmas(t *testing.T) {
	o := paths(t)
	g, rep := openT(t, o)
	if rep.SchemaVersion != LatestVersion() || rep.FromVersion != 0 {
		t.Fatalf("report = %+v, want from 0 to %d", rep, LatestVersion())
	}
	if rep.Backup != nil {
		t.Errorf("a new database should not be backed up, got %+v", rep.Backup)
	}
	pragmas := map[string]string{"foreign_keys": "1", "journal_mode": "wal", "busy_timeout": "10000"}
	for name, want := range pragmas {
		var got string
		if err := g.Raw("PRAGMA " + name).Scan(&got).Error; err != nil {
			t.Fatalf("PRAGMA %s: %v", name, err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %q, want %q", name, got, want)
		}
	}
}

func TestReopenIsANoOp(t *testing.T) {
	o := paths(t)
	g, _, err := Open(context.Background(), Options{Path: o.Path, BackupDir: o.BackupDir, Now: clockAt(t0)})
	if err != nil {
		t.Fatal(err)
	}
	if err := Close(g); err != nil {
		t.Fatal(err)
	}
	_, rep := openT(t, o)
	if len(rep.Applied) != 0 || rep.Backup != nil || rep.FromVersion != LatestVersion() {
		t.Errorf("second open report = %+v, want nothing applied and no backup", rep)
	}
}

// snapshot reads every row of every user table as text, keyed by table.
// Full-text indexes (virtual tables and their shadow tables) are left out:
// they are derived from the tables they index, and some have no rowid.
func snapshot(t *testing.T, g *gorm.DB) map[string][]map[string]string {
	t.Helper()
	var tables []string
	if err := g.Raw(`SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations' ORDER BY name`).Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string][]map[string]string{}
	for _, table := range tables {
		out[table] = tableRows(t, g, table)
	}
	return out
}

func tableRows(t *testing.T, g *gorm.DB, table string) []map[string]string {
	t.Helper()
	// A WITHOUT ROWID table is in the order of its primary key.
	order := "rowid"
	var pk []string
	if err := g.Raw(`SELECT '"' || name || '"' FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`, table).Scan(&pk).Error; err != nil {
		t.Fatal(err)
	}
	var withoutRowid bool
	if err := g.Raw(`SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?`, table).Scan(&withoutRowid).Error; err != nil {
		t.Fatal(err)
	}
	if withoutRowid {
		order = strings.Join(pk, ", ")
	}
	rows, err := g.Raw(fmt.Sprintf(`SELECT * FROM %q ORDER BY %s`, table, order)).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []map[string]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := map[string]string{}
		for i, c := range cols {
			row[c] = fmt.Sprint(vals[i])
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEveryMigrationKeepsSeededData migrates a seeded database of every
// historical version to the latest one and checks that every seeded row is
// still there with every old column unchanged. A new migration needs a
// testdata/seed_vN.sql for the version it starts from.
func TestEveryMigrationKeepsSeededData(t *testing.T) {
	all := Migrations()
	for i, m := range all {
		t.Run(fmt.Sprintf("from_v%d", m.Version), func(t *testing.T) {
			seed, err := os.ReadFile(filepath.Join("testdata", fmt.Sprintf("seed_v%d.sql", m.Version)))
			if err != nil {
				t.Fatalf("every schema version needs a seed: %v", err)
			}
			o := paths(t)
			o.migrations = all[:i+1]
			o.Now = clockAt(t0)
			g, _, err := Open(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			if err := g.Exec(string(seed)).Error; err != nil {
				t.Fatalf("seed v%d: %v", m.Version, err)
			}
			before := snapshot(t, g)
			if err := Close(g); err != nil {
				t.Fatal(err)
			}

			g2, rep := openT(t, Options{Path: o.Path, BackupDir: o.BackupDir, Now: clockAt(t0.Add(time.Hour))})
			if rep.SchemaVersion != LatestVersion() {
				t.Fatalf("schema version = %d, want %d", rep.SchemaVersion, LatestVersion())
			}
			if m.Version < LatestVersion() && rep.Backup == nil {
				t.Errorf("no backup was taken before migrating from v%d", m.Version)
			}
			after := snapshot(t, g2)
			for table, rows := range before {
				if len(after[table]) != len(rows) {
					t.Errorf("table %s has %d rows after migration, want %d", table, len(after[table]), len(rows))
					continue
				}
				for r, row := range rows {
					for col, v := range row {
						if got := after[table][r][col]; got != v {
							t.Errorf("%s row %d column %s = %q after migration, want %q", table, r, col, got, v)
						}
					}
				}
			}
			if len(before) == 0 {
				t.Fatal("seed produced no rows")
			}
		})
	}
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestNewerSchemaIsRefusedAndFileKept(t *testing.T) {
	o := paths(t)
	g, _, err := Open(context.Background(), Options{Path: o.Path, BackupDir: o.BackupDir, Now: clockAt(t0)})
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', ?)`, LatestVersion()+7, t0).Error; err != nil {
		t.Fatal(err)
	}
	if err := Close(g); err != nil {
		t.Fatal(err)
	}
	before := fileHash(t, o.Path)

	_, _, err = Open(context.Background(), Options{Path: o.Path, BackupDir: o.BackupDir, Now: clockAt(t0)})
	var newer *NewerSchemaError
	if !errors.As(err, &newer) {
		t.Fatalf("Open error = %v, want *NewerSchemaError", err)
	}
	if newer.Found != LatestVersion()+7 || newer.Supported != LatestVersion() {
		t.Errorf("NewerSchemaError = %+v", newer)
	}
	if !strings.Contains(err.Error(), "newer version of Herald") {
		t.Errorf("message %q does not explain the cause", err)
	}
	if fileHash(t, o.Path) != before {
		t.Error("the newer database file was modified")
	}
	if bs, _ := ListBackups(o.BackupDir); len(bs) != 0 {
		t.Errorf("refusing to open should not back up, found %d backups", len(bs))
	}
}

func TestCorruptDatabaseIsReportedWithLatestBackupAndNeverOverwritten(t *testing.T) {
	cases := map[string]func(t *testing.T, path string){
		"garbage instead of a database": func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte(strings.Repeat("this is not sqlite ", 300)), 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"valid header, damaged pages": func(t *testing.T, path string) {
			g, _, err := Open(context.Background(), Options{Path: path, BackupDir: filepath.Join(filepath.Dir(path), "backups"), Now: clockAt(t0)})
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 200; i++ {
				if err := g.Exec(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)`, fmt.Sprintf("k%d", i), strings.Repeat("v", 500), t0).Error; err != nil {
					t.Fatal(err)
				}
			}
			if err := Close(g); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			// Keep the 100-byte header, scribble over every page after the first.
			for i := 4096; i < len(b); i++ {
				b[i] = byte(i * 7)
			}
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			o := paths(t)
			// A backup from an earlier, healthy run.
			healthy := filepath.Join(t.TempDir(), "healthy.db")
			g, _, err := Open(context.Background(), Options{Path: healthy, BackupDir: o.BackupDir, Now: clockAt(t0)})
			if err != nil {
				t.Fatal(err)
			}
			b, err := TakeBackup(context.Background(), g, o.BackupDir, "manual", t0)
			if err != nil {
				t.Fatal(err)
			}
			_ = Close(g)

			damage(t, o.Path)
			before := fileHash(t, o.Path)
			_, _, err = Open(context.Background(), Options{Path: o.Path, BackupDir: o.BackupDir, Now: clockAt(t0)})
			var ce *CorruptError
			if !errors.As(err, &ce) {
				t.Fatalf("Open error = %v, want *CorruptError", err)
			}
			if ce.LatestBackup == nil || ce.LatestBackup.Path != b.Path {
				t.Errorf("LatestBackup = %+v, want %s", ce.LatestBackup, b.Path)
			}
			if fileHash(t, o.Path) != before {
				t.Error("the damaged file was modified")
			}

			kept, err := Restore(ce.LatestBackup.Path, o.Path, t0)
			if err != nil {
				t.Fatal(err)
			}
			if fileHash(t, kept) != before {
				t.Error("the damaged file was not kept aside intact")
			}
			_, rep := openT(t, Options{Path: o.Path, BackupDir: o.BackupDir})
			if rep.SchemaVersion != LatestVersion() {
				t.Errorf("restored database schema = %d", rep.SchemaVersion)
			}
		})
	}
}

func TestFailedMigrationRollsBackAndKeepsData(t *testing.T) {
	o := paths(t)
	first := Migrations()
	g, _, err := Open(context.Background(), Options{Path: o.Path, BackupDir: o.BackupDir, Now: clockAt(t0), migrations: first})
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Exec(`INSERT INTO teams (name, created_at, updated_at) VALUES ('Shop', ?, ?)`, t0, t0).Error; err != nil {
		t.Fatal(err)
	}
	_ = Close(g)

	broken := append(append([]Migration{}, first...), Migration{
		Version: LatestVersion() + 1, Name: "broken",
		Up: func(ctx context.Context, tx *gorm.DB) error {
			if err := tx.Exec(`ALTER TABLE teams ADD COLUMN colour TEXT NOT NULL DEFAULT ''`).Error; err != nil {
				return err
			}
			return tx.Exec(`THIS IS NOT SQL`).Error
		},
	})
	_, _, err = Open(context.Background(), Options{Path: o.Path, BackupDir: o.BackupDir, Now: clockAt(t0), migrations: broken})
	if err == nil || !strings.Contains(err.Error(), "migration") {
		t.Fatalf("Open with a broken migration error = %v, want a migration error", err)
	}
	bs, _ := ListBackups(o.BackupDir)
	if len(bs) != 1 {
		t.Errorf("want the pre-migration backup, found %d", len(bs))
	}
	g2, rep := openT(t, Options{Path: o.Path, BackupDir: o.BackupDir, migrations: first})
	if rep.SchemaVersion != LatestVersion() {
		t.Errorf("schema version after failed migration = %d, want %d", rep.SchemaVersion, LatestVersion())
	}
	var cols []struct{ Name string }
	g2.Raw(`PRAGMA table_info(teams)`).Scan(&cols)
	for _, c := range cols {
		if c.Name == "colour" {
			t.Error("the failed migration's ALTER TABLE was not rolled back")
		}
	}
	var n int
	g2.Raw(`SELECT count(*) FROM teams`).Scan(&n)
	if n != 1 {
		t.Errorf("teams rows = %d, want 1", n)
	}
}

func TestBackupsArePrunedToTheNewest(t *testing.T) {
	o := paths(t)
	g, _ := openT(t, o)
	var want []string
	for i := 0; i < KeepBackups+3; i++ {
		b, err := TakeBackup(context.Background(), g, o.BackupDir, "manual", t0.Add(time.Duration(i)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		want = append([]string{b.Path}, want...)
	}
	got, err := ListBackups(o.BackupDir)
	if err != nil {
		t.Fatal(err)
	}
	var gotPaths []string
	for _, b := range got {
		gotPaths = append(gotPaths, b.Path)
	}
	if !reflect.DeepEqual(gotPaths, want[:KeepBackups]) {
		t.Errorf("backups kept = %v, want %v", gotPaths, want[:KeepBackups])
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	g, _ := openT(t, paths(t))
	if err := g.Exec(`INSERT INTO audit_log (at, actor, event, summary) VALUES (?, 'user', 'settings.changed', 'x')`, t0).Error; err != nil {
		t.Fatal(err)
	}
	if err := g.Exec(`UPDATE audit_log SET summary = 'y'`).Error; err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("UPDATE audit_log error = %v, want append-only refusal", err)
	}
	if err := g.Exec(`DELETE FROM audit_log`).Error; err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("DELETE FROM audit_log error = %v, want append-only refusal", err)
	}
}
