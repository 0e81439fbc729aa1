//go:build linux

package memtrim

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

const sample = `00400000-00c67000 r-xp 00000000 fd:01 123 /opt/herald/herald
Size:               8572 kB
Rss:                7548 kB
Private_Dirty:         0 kB
Anonymous:             0 kB
VmFlags: rd ex mr mw me
7f8ea6000000-7f8ea6300000 r--p 00100000 fd:01 456 /usr/lib/libwebkit2gtk-4.1.so.0
Rss:                2940 kB
Private_Dirty:      2940 kB
Anonymous:          2940 kB
VmFlags: rd mr mw me ac
7f8ea7000000-7f8ea7100000 rw-p 00000000 00:00 0 
Rss:                 100 kB
Private_Dirty:       100 kB
Anonymous:           100 kB
7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]
Rss:                  12 kB
7f8ea8000000-7f8ea8001000 r--p 00000000 fd:01 789 /tmp/with space (deleted)
Rss:                   4 kB
Private_Dirty:         0 kB
`

func TestParseSmapsPicksCleanReadOnlyFiles(t *testing.T) {
	maps, err := parseSmaps(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(maps) != 5 {
		t.Fatalf("got %d mappings, want 5", len(maps))
	}
	var released []string
	for _, m := range maps {
		if m.releasable() {
			released = append(released, m.path)
		}
	}
	if len(released) != 1 || released[0] != "/opt/herald/herald" {
		t.Fatalf("releasable = %q, want only the binary's text (not the relocated segment, anonymous memory, the stack or a deleted file)", released)
	}
	if maps[0].start != 0x400000 || maps[0].end != 0xc67000 || maps[0].rssKB != 7548 {
		t.Fatalf("first mapping parsed as %+v", maps[0])
	}
	if maps[4].path != "/tmp/with space (deleted)" || maps[4].file {
		t.Fatalf("deleted file parsed as %+v", maps[4])
	}
}

func TestParseSmapsRejectsGarbage(t *testing.T) {
	if _, err := parseSmaps(strings.NewReader("00400000-00300000 r-xp 0 0 0 /x\n")); err == nil {
		t.Fatal("an end before the start must be an error")
	}
}

// TestReleasePagesOutCleanFileMemoryOnly maps a file twice: read-only
// (clean, to be released) and private read-write, written to, then made
// read-only (a relocated segment, which must keep its changes).
func TestReleasePagesOutCleanFileMemoryOnly(t *testing.T) {
	const size = 8 << 20
	path := filepath.Join(t.TempDir(), "data")
	content := bytes.Repeat([]byte("herald!\n"), size/8)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Written pages are dirty in the page cache until written back; only
	// clean ones can be reclaimed.
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	clean, err := unix.Mmap(int(f.Fd()), 0, size, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = unix.Munmap(clean) }()
	relocated, err := unix.Mmap(int(f.Fd()), 0, 1<<20, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = unix.Munmap(relocated) }()
	copy(relocated, "changed")
	if err := unix.Mprotect(relocated, unix.PROT_READ); err != nil {
		t.Fatal(err)
	}
	var sum int
	for i := 0; i < size; i += 4096 {
		sum += int(clean[i])
	}
	if sum != size/4096*int('h') {
		t.Fatalf("read back %d, want every page to start with h", sum)
	}
	before := residentKB(t, &clean[0])
	if before < size/1024/2 {
		t.Fatalf("the mapping should be resident after reading it, has %d kB", before)
	}

	st, err := Release()
	if err != nil {
		t.Fatalf("release: %v", err)
	}
	if st.Mappings == 0 || st.SkippedDirty == 0 {
		t.Fatalf("stats %+v: want released mappings and the dirty one skipped", st)
	}
	after := residentKB(t, &clean[0])
	if after > before/4 {
		t.Fatalf("resident %d kB before, %d kB after release: not paged out", before, after)
	}
	if !bytes.Equal(clean, content) {
		t.Fatal("the released mapping reads back different content")
	}
	if string(relocated[:7]) != "changed" {
		t.Fatalf("a private change was lost: %q", relocated[:7])
	}
}

// residentKB is the Rss of the mapping that holds p.
func residentKB(t *testing.T, p *byte) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	maps, err := parseSmaps(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	addr := addressOf(p)
	for _, m := range maps {
		if m.start <= addr && addr < m.end {
			return m.rssKB
		}
	}
	t.Fatal("mapping not found")
	return 0
}
