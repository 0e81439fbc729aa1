// Package db opens Herald's SQLite file with the pragmas it relies on, and
// brings its schema up to date through ordered, versioned migrations, taking
// a VACUUM INTO backup before it migrates an existing database.
package db

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Options for Open. Now and Log default to the wall clock and slog.Default.
type Options struct {
	Path      string
	BackupDir string
	Now       func() time.Time
	Log       *slog.Logger
	// migrations overrides the real history in tests.
	migrations []Migration
}

// Report says what Open did.
type Report struct {
	SchemaVersion int
	FromVersion   int
	Applied       []int
	Backup        *Backup // taken before migrating, if any
}

var sqliteHeader = []byte("SQLite format 3\x00")

// dsn turns on what Herald depends on: foreign keys, a busy timeout so
// concurrent writers wait instead of failing, WAL so readers never block the
// writer, and BEGIN IMMEDIATE so a write transaction takes its lock up front
// (a deferred one can deadlock when it upgrades from read to write). A 16 MB
// page cache and memory-mapped reads keep the calendar's month query off
// read() calls once the database outgrows SQLite's 2 MB default.
func dsn(path string) string {
	return path + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-16000)&_pragma=mmap_size(268435456)&_txlock=immediate"
}

// Open opens (creating if needed) and migrates the database at o.Path.
// A damaged file yields *CorruptError and a file from a newer Herald yields
// *NewerSchemaError; in both cases the file is left as it was.
func Open(ctx context.Context, o Options) (*gorm.DB, Report, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	ms := o.migrations
	if ms == nil {
		ms = Migrations()
	}
	latest := ms[len(ms)-1].Version

	corrupt := func(err error) error {
		ce := &CorruptError{Path: o.Path, Err: err}
		if b, lerr := LatestBackup(o.BackupDir); lerr == nil {
			ce.LatestBackup = b
		}
		return ce
	}

	if err := checkHeader(o.Path); err != nil {
		return nil, Report{}, corrupt(err)
	}

	sqlDB, err := sql.Open(sqlite.DriverName, dsn(o.Path))
	if err != nil {
		return nil, Report{}, fmt.Errorf("open database %s: %w", o.Path, err)
	}
	// Connections are kept rather than closed after a burst: a new one
	// costs its set-up pragmas, an empty page cache and a fresh prepare of
	// every statement. (No cap on open connections: a transaction may need
	// a second connection to read while it holds its own.)
	sqlDB.SetMaxIdleConns(maxIdleConns)
	g, err := gorm.Open(sqlite.Dialector{DriverName: sqlite.DriverName, DSN: dsn(o.Path), Conn: sqlDB}, &gorm.Config{
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return o.Now().UTC() },
		SkipDefaultTransaction: true,
		// Statements are prepared once per connection and reused: parsing
		// SQL costs more than running it for the engine's small updates.
		// (GORM re-prepares a statement in each transaction when it was first
		// prepared inside one; most of the engine's writes are.)
		PrepareStmt:    true,
		TranslateError: true,
	})
	if err != nil {
		_ = sqlDB.Close()
		if isCorruption(err) {
			return nil, Report{}, corrupt(err)
		}
		return nil, Report{}, fmt.Errorf("open database %s: %w", o.Path, err)
	}
	fail := func(err error) (*gorm.DB, Report, error) {
		_ = Close(g)
		return nil, Report{}, err
	}

	if err := quickCheck(ctx, o.Path); err != nil {
		if isCorruption(err) || errors.Is(err, errIntegrity) {
			return fail(corrupt(err))
		}
		return fail(fmt.Errorf("open database %s: %w", o.Path, err))
	}

	from, err := SchemaVersion(ctx, g)
	if err != nil {
		return fail(fmt.Errorf("read schema version: %w", err))
	}
	rep := Report{SchemaVersion: from, FromVersion: from}
	if from > latest {
		return fail(&NewerSchemaError{Path: o.Path, Found: from, Supported: latest})
	}
	if from == latest {
		return g, rep, nil
	}
	if from > 0 {
		b, err := TakeBackup(ctx, g, o.BackupDir, fmt.Sprintf("pre-migration-v%d", from), o.Now())
		if err != nil {
			return fail(fmt.Errorf("back up before migrating (nothing was changed): %w", err))
		}
		rep.Backup = &b
		o.Log.Info("database backed up before migration", "path", b.Path, "from_version", from)
	}
	applied, err := migrate(ctx, g, ms, o.Now)
	rep.Applied = applied
	if err != nil {
		return fail(fmt.Errorf("upgrade database: %w", err))
	}
	rep.SchemaVersion = latest
	o.Log.Info("database migrated", "from_version", from, "to_version", latest, "applied", applied)
	return g, rep, nil
}

// Close closes the pool and checkpoints the WAL into the main file.
// maxIdleConns is how many connections stay open between bursts: the
// publishing workers and the window's reads at once.
const maxIdleConns = 8

func Close(g *gorm.DB) error {
	sqlDB, err := g.DB()
	if err != nil {
		return err
	}
	_ = g.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`).Error
	return sqlDB.Close()
}

func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, head)
	if n == 0 && (errors.Is(err, io.EOF)) {
		return nil // an empty file is a new database
	}
	if err != nil || !bytes.Equal(head, sqliteHeader) {
		return errors.New("file is not a database (bad header)")
	}
	return nil
}

var errIntegrity = errors.New("integrity check failed")

// quickCheck reads every page once to find damage early. It runs on its
// own short-lived handle with SQLite's small default cache and no memory
// map, so checking a big database does not leave it all resident.
func quickCheck(ctx context.Context, path string) error {
	check, err := sql.Open(sqlite.DriverName, path+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		return err
	}
	defer check.Close()
	rows, err := check.QueryContext(ctx, `PRAGMA quick_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		lines = append(lines, line)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(lines) == 1 && lines[0] == "ok" {
		return nil
	}
	return fmt.Errorf("%w: %v", errIntegrity, lines)
}
