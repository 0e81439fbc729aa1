package store

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestOnlyStoreWritesTargetState keeps the state machine the one owner of
// a target's state: no code outside backend/store may write post_targets
// (raw SQL or GORM), so a new button or job has to ask for a transition.
func TestOnlyStoreWritesTargetState(t *testing.T) {
	// A GORM chain may span lines: from the model to its write, without
	// leaving the statement.
	writes := regexp.MustCompile(`(?i)UPDATE\s+post_targets|INSERT\s+INTO\s+post_targets|DELETE\s+FROM\s+post_targets|` +
		`PostTarget\{\}[^;{}]{0,400}?\.\s*(Update|Updates|UpdateColumn|UpdateColumns|Delete)\(`)
	offenders := writesOutsideStore(t, writes)
	if len(offenders) > 0 {
		t.Fatalf("post_targets is written outside backend/store; add a transition there instead:\n%s", strings.Join(offenders, "\n"))
	}
}

// TestOnlyStoreWritesTheInbox keeps store.Inbox the one writer of inbox
// items, labels, sync state and rules: the sync, the services and the
// rules ask for a named transition.
func TestOnlyStoreWritesTheInbox(t *testing.T) {
	writes := regexp.MustCompile(`(?i)(UPDATE|INSERT\s+(OR\s+\w+\s+)?INTO|DELETE\s+FROM)\s+(inbox_items|inbox_labels|inbox_sync|inbox_fts|inbox_rules)\b|` +
		`Inbox(Item|Label|Sync|Rule)\{\}[^;{}]{0,400}?\.\s*(Create|Save|Update|Updates|UpdateColumn|UpdateColumns|Delete)\(`)
	if offenders := writesOutsideStore(t, writes); len(offenders) > 0 {
		t.Fatalf("the inbox is written outside backend/store; add a transition to store.Inbox instead:\n%s", strings.Join(offenders, "\n"))
	}
}

// writesOutsideStore lists the matches of writes in Go code outside
// backend/store and test/.
func writesOutsideStore(t *testing.T, writes *regexp.Regexp) []string {
	t.Helper()
	root := filepath.Join("..", "..")
	var offenders []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "node_modules", "frontend", "tools", ".git", "bin", "build":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		if rel, _ := filepath.Rel(root, path); strings.HasPrefix(filepath.ToSlash(rel), "backend/store/") || strings.HasPrefix(filepath.ToSlash(rel), "test/") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range writes.FindAllIndex(src, -1) {
			line := 1 + strings.Count(string(src[:m[0]]), "\n")
			offenders = append(offenders, fmt.Sprintf("%s:%d: %s", path, line, strings.Join(strings.Fields(string(src[m[0]:m[1]])), " ")))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return offenders
}
