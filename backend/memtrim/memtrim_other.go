//go:build !linux

package memtrim

// Release does nothing where the kernel offers no way to page out one
// process's file-backed memory on request.
func Release() (Stats, error) { return Stats{Unsupported: true}, nil }
