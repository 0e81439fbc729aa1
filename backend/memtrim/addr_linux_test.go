//go:build linux

package memtrim

import "unsafe"

func addressOf(p *byte) uintptr { return uintptr(unsafe.Pointer(p)) }
