package service

import (
	"errors"
	"fmt"
	"time"

	"herald/backend/apperr"
	"herald/backend/config"
	"herald/backend/db"
)

var errNoDatabase = &apperr.Error{
	Code:    apperr.CodeUnavailable,
	Message: "Herald's database is not open.",
	Hint:    "Open Settings → Diagnostics to see why and restore a backup.",
}

// Recovery explains a start-up problem with the database and offers the
// way out. It is the only working service when the database cannot open.
type Recovery struct {
	cfg      config.Config
	problem  error
	restart  func()
	restored bool
	now      func() time.Time
}

// NewRecovery builds the service; problem is nil when all is well. restart
// relaunches Herald after a restore.
func NewRecovery(cfg config.Config, problem error, restart func(), now func() time.Time) *Recovery {
	return &Recovery{cfg: cfg, problem: problem, restart: restart, now: now}
}

// StartupProblem is what went wrong at start-up, if anything.
type StartupProblem struct {
	// Kind is "none", "corrupt", "newer_schema" or "other".
	Kind         string      `json:"kind"`
	Message      string      `json:"message"`
	Hint         string      `json:"hint"`
	DatabasePath string      `json:"databasePath"`
	LatestBackup *BackupInfo `json:"latestBackup"`
	Restored     bool        `json:"restored"`
}

// Problem reports the start-up problem.
func (r *Recovery) Problem() (StartupProblem, error) {
	p := StartupProblem{Kind: "none", DatabasePath: r.cfg.DBPath, Restored: r.restored}
	if r.problem == nil {
		return p, nil
	}
	var ce *db.CorruptError
	var ne *db.NewerSchemaError
	switch {
	case errors.As(r.problem, &ce):
		p.Kind = "corrupt"
		p.Message = fmt.Sprintf("Herald cannot read its database file (%v). The file has not been changed.", ce.Err)
		if ce.LatestBackup != nil {
			p.LatestBackup = &BackupInfo{Path: ce.LatestBackup.Path, TakenAt: stamp(ce.LatestBackup.TakenAt), SizeBytes: ce.LatestBackup.SizeBytes}
			p.Hint = "Restore the latest backup. The damaged file is kept beside it, renamed, so nothing is deleted."
		} else {
			p.Hint = "No backup was found. Keep the damaged file for recovery tools, and move it away to start with an empty database."
		}
	case errors.As(r.problem, &ne):
		p.Kind = "newer_schema"
		p.Message = fmt.Sprintf("This database was written by a newer version of Herald (schema %d; this version knows up to %d). It has not been changed.", ne.Found, ne.Supported)
		p.Hint = "Install the newer version of Herald that wrote this database. Herald will not change it."
		if b, err := db.LatestBackup(r.cfg.BackupDir); err == nil && b != nil {
			p.LatestBackup = &BackupInfo{Path: b.Path, TakenAt: stamp(b.TakenAt), SizeBytes: b.SizeBytes}
		}
	default:
		p.Kind = "other"
		p.Message = fmt.Sprintf("Herald could not open its database: %v.", r.problem)
		p.Hint = "See the log file in " + r.cfg.LogDir + "."
	}
	return p, nil
}

// RestoreResult says where the damaged file was kept.
type RestoreResult struct {
	RestoredFrom string `json:"restoredFrom"`
	KeptDamaged  string `json:"keptDamaged"`
}

// RestoreLatestBackup puts the newest backup in place of a damaged or
// too-new database, keeping the old file beside it, then relaunches Herald.
func (r *Recovery) RestoreLatestBackup() (RestoreResult, error) {
	if r.problem == nil {
		return RestoreResult{}, &apperr.Error{Code: apperr.CodeConflict, Message: "The database is healthy; there is nothing to restore.",
			Hint: "To go back to a backup, quit Herald first."}
	}
	b, err := db.LatestBackup(r.cfg.BackupDir)
	if err != nil {
		return RestoreResult{}, err
	}
	if b == nil {
		return RestoreResult{}, &apperr.Error{Code: apperr.CodeNotFound, Message: "There is no backup in " + r.cfg.BackupDir + "."}
	}
	kept, err := db.Restore(b.Path, r.cfg.DBPath, r.now())
	if err != nil {
		return RestoreResult{}, fmt.Errorf("restore %s: %w", b.Path, err)
	}
	r.restored = true
	if r.restart != nil {
		r.restart()
	}
	return RestoreResult{RestoredFrom: b.Path, KeptDamaged: kept}, nil
}
