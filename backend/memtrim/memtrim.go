// Package memtrim hands pages back to the kernel that a long-running
// process mapped once and will not touch again.
//
// Herald is one binary: it links WebKitGTK for its window, so the dynamic
// loader maps and reads WebKit, JavaScriptCore, GTK and their dependencies
// (relocation tables, symbol tables, speech-synthesis voice data) even when
// `herald --headless` never opens a window. Those clean, read-only pages
// stay resident until the kernel needs memory. Releasing them once start-up
// is over is what mobile systems do for background apps (Android's app
// compaction pages out file-backed memory with MADV_PAGEOUT); a page that is
// needed again is simply read back.
package memtrim

// Stats says what a release found and asked the kernel to reclaim.
type Stats struct {
	Mappings     int   // read-only file mappings released
	ResidentKB   int64 // their resident size before the release
	RSSBeforeKB  int64
	RSSAfterKB   int64
	Unsupported  bool // the platform cannot do this; nothing was tried
	SkippedDirty int  // read-only mappings left alone because they hold private changes (relocations)
}
