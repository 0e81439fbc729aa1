//go:build linux

package memtrim

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Release asks the kernel to page out every read-only, file-backed mapping
// of this process that holds no private changes. Only clean pages are
// affected, so nothing is lost: a page touched later is faulted back in
// from its file. Pages shared with other processes stay where they are.
// MADV_PAGEOUT never discards data (unlike MADV_DONTNEED), so a range that
// was remapped between reading the map and the call is safe as well.
func Release() (Stats, error) {
	var st Stats
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return st, fmt.Errorf("read memory map: %w", err)
	}
	maps, err := parseSmaps(bytes.NewReader(smaps))
	if err != nil {
		return st, err
	}
	st.RSSBeforeKB = rss()
	var errs []error
	for _, m := range maps {
		if !m.releasable() {
			if m.file && !m.writable && m.privateDirtyKB > 0 {
				st.SkippedDirty++
			}
			continue
		}
		if err := pageout(m.start, m.end-m.start); err != nil {
			errs = append(errs, fmt.Errorf("release %s: %w", m.path, err))
			continue
		}
		st.Mappings++
		st.ResidentKB += m.rssKB
	}
	st.RSSAfterKB = rss()
	return st, errors.Join(errs...)
}

// mapping is one entry of /proc/self/smaps.
type mapping struct {
	start, end     uintptr
	writable       bool
	file           bool
	path           string
	rssKB          int64
	privateDirtyKB int64
	anonKB         int64
}

// releasable: clean, read-only and backed by a file. A read-only mapping
// with private dirty pages is a relocated segment (RELRO); paging it out
// would need swap and gain nothing.
func (m mapping) releasable() bool {
	return m.file && !m.writable && m.rssKB > 0 && m.privateDirtyKB == 0 && m.anonKB == 0
}

// pageout is madvise(MADV_PAGEOUT) on an address range Go did not
// allocate: the raw system call, since unix.Madvise wants a Go slice.
func pageout(addr, n uintptr) error {
	if _, _, errno := unix.Syscall(unix.SYS_MADVISE, addr, n, unix.MADV_PAGEOUT); errno != 0 {
		return errno
	}
	return nil
}

func parseSmaps(r io.Reader) ([]mapping, error) {
	var out []mapping
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 64*1024), 1024*1024)
	for s.Scan() {
		line := s.Text()
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if isHeader(fields[0]) {
			m, err := parseHeader(fields)
			if err != nil {
				return nil, err
			}
			out = append(out, m)
			continue
		}
		if len(out) == 0 || len(fields) < 2 {
			continue
		}
		cur := &out[len(out)-1]
		kb, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil {
			continue // VmFlags and other non-numeric lines
		}
		switch fields[0] {
		case "Rss:":
			cur.rssKB = kb
		case "Private_Dirty:":
			cur.privateDirtyKB = kb
		case "Anonymous:":
			cur.anonKB = kb
		}
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("read memory map: %w", err)
	}
	return out, nil
}

// isHeader: "7f0000000000-7f0000001000" starts a mapping's block.
func isHeader(f string) bool {
	a, b, ok := strings.Cut(f, "-")
	if !ok || a == "" || b == "" {
		return false
	}
	for _, c := range a + b {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

func parseHeader(fields []string) (mapping, error) {
	var m mapping
	a, b, _ := strings.Cut(fields[0], "-")
	start, err1 := strconv.ParseUint(a, 16, 64)
	end, err2 := strconv.ParseUint(b, 16, 64)
	if err1 != nil || err2 != nil || end <= start || len(fields) < 5 {
		return m, fmt.Errorf("read memory map: unexpected line %q", strings.Join(fields, " "))
	}
	m.start, m.end = uintptr(start), uintptr(end)
	m.writable = strings.Contains(fields[1], "w")
	if len(fields) >= 6 {
		m.path = strings.Join(fields[5:], " ")
		// "[heap]", "[vdso]" and friends are not files; nor is a file
		// deleted since it was mapped.
		m.file = strings.HasPrefix(m.path, "/") && !strings.HasSuffix(m.path, " (deleted)")
	}
	return m, nil
}

// rss is the resident set of this process in kB, or 0 if unknown.
func rss() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb
			}
		}
	}
	return 0
}
