package db

import (
	"errors"
	"fmt"
	"strings"
)

// NewerSchemaError means the database was written by a newer Herald. The
// file is left exactly as it was.
type NewerSchemaError struct {
	Path      string
	Found     int
	Supported int
}

func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("the database %s was written by a newer version of Herald (schema %d; this version knows up to %d). It was not opened or changed: install the newer Herald again, or restore a backup",
		e.Path, e.Found, e.Supported)
}

// CorruptError means SQLite cannot read the file. Herald never overwrites
// it; LatestBackup names the newest backup to offer, if there is one.
type CorruptError struct {
	Path         string
	Err          error
	LatestBackup *Backup
}

func (e *CorruptError) Error() string {
	msg := fmt.Sprintf("the database %s is damaged and cannot be read (%v). Herald has not changed it", e.Path, e.Err)
	if e.LatestBackup != nil {
		msg += fmt.Sprintf("; the latest backup is %s from %s", e.LatestBackup.Path, e.LatestBackup.TakenAt.Format("2006-01-02 15:04 MST"))
	} else {
		msg += "; no backup was found"
	}
	return msg
}

func (e *CorruptError) Unwrap() error { return e.Err }

// isCorruption recognises SQLite's SQLITE_CORRUPT and SQLITE_NOTADB results.
// The driver reports them as text, so the text is what we match.
func isCorruption(err error) bool {
	if err == nil {
		return false
	}
	msg := strings.ToLower(err.Error())
	for _, s := range []string{"file is not a database", "malformed", "sqlite_corrupt", "sqlite_notadb", "(11)", "(26)"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// ErrBackupMissing is returned by Restore when the chosen backup is gone.
var ErrBackupMissing = errors.New("backup file not found")
