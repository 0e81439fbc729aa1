package db

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// KeepBackups is how many backups Herald keeps; older ones are pruned
// after each new backup.
const KeepBackups = 5

const backupPrefix = "herald-"

// Backup describes one backup file.
type Backup struct {
	Path      string
	TakenAt   time.Time
	SizeBytes int64
}

// TakeBackup writes a consistent copy of the open database with VACUUM
// INTO, then prunes old backups. reason goes into the file name
// ("pre-migration-v1", "manual").
func TakeBackup(ctx context.Context, g *gorm.DB, dir, reason string, now time.Time) (Backup, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Backup{}, fmt.Errorf("create backup folder: %w", err)
	}
	name := fmt.Sprintf("%s%s-%s.db", backupPrefix, now.UTC().Format("20060102T150405.000Z"), reason)
	path := filepath.Join(dir, name)
	if err := g.WithContext(ctx).Exec(`VACUUM INTO ?`, path).Error; err != nil {
		return Backup{}, fmt.Errorf("back up database to %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return Backup{}, fmt.Errorf("restrict backup permissions: %w", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return Backup{}, fmt.Errorf("check backup: %w", err)
	}
	if err := PruneBackups(dir, KeepBackups); err != nil {
		return Backup{}, err
	}
	return Backup{Path: path, TakenAt: now.UTC(), SizeBytes: st.Size()}, nil
}

// ListBackups returns the backups in dir, newest first. The time comes
// from the file name, which is written in UTC and sorts by time.
func ListBackups(dir string) ([]Backup, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	var out []Backup
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasPrefix(name, backupPrefix) || !strings.HasSuffix(name, ".db") {
			continue
		}
		stamp, _, _ := strings.Cut(strings.TrimPrefix(name, backupPrefix), "-")
		at, err := time.Parse("20060102T150405.000Z", stamp)
		if err != nil {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, Backup{Path: filepath.Join(dir, name), TakenAt: at, SizeBytes: info.Size()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].TakenAt.After(out[j].TakenAt) })
	return out, nil
}

// LatestBackup returns the newest backup, or nil when there is none.
func LatestBackup(dir string) (*Backup, error) {
	all, err := ListBackups(dir)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	return &all[0], nil
}

// PruneBackups deletes all but the newest keep backups.
func PruneBackups(dir string, keep int) error {
	all, err := ListBackups(dir)
	if err != nil {
		return err
	}
	for i := keep; i < len(all); i++ {
		if err := os.Remove(all[i].Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("prune old backup: %w", err)
		}
	}
	return nil
}

// Restore puts a backup in place of the database at dbPath. The current
// file (and its WAL) is kept beside it, renamed with a ".damaged-<time>"
// suffix, never overwritten or deleted. The database must be closed.
func Restore(backupPath, dbPath string, now time.Time) (keptAs string, err error) {
	if _, err := os.Stat(backupPath); err != nil {
		return "", fmt.Errorf("%w: %s", ErrBackupMissing, backupPath)
	}
	tmp := dbPath + ".restoring"
	if err := copyFile(backupPath, tmp); err != nil {
		return "", fmt.Errorf("copy backup: %w", err)
	}
	suffix := ".damaged-" + now.UTC().Format("20060102T150405Z")
	if _, err := os.Stat(dbPath); err == nil {
		keptAs = dbPath + suffix
		for _, ext := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(dbPath+ext, keptAs+ext); err != nil && !errors.Is(err, os.ErrNotExist) {
				return "", fmt.Errorf("keep the current database aside: %w", err)
			}
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return keptAs, fmt.Errorf("put backup in place: %w", err)
	}
	return keptAs, nil
}

func copyFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	if _, err = io.Copy(out, in); err != nil {
		return err
	}
	return out.Sync()
}
