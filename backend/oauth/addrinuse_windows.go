//go:build windows

package oauth

import (
	"errors"
	"syscall"
)

// Winsock's codes; syscall.EADDRINUSE on Windows is an invented value
// that a real bind failure never matches.
const (
	wsaeacces     = syscall.Errno(10013) // taken with SO_EXCLUSIVEADDRUSE, or in a reserved range (Hyper-V)
	wsaeaddrinuse = syscall.Errno(10048)
)

// isAddrInUse reports whether a bind failed because the port is taken.
func isAddrInUse(err error) bool {
	return errors.Is(err, wsaeaddrinuse) || errors.Is(err, wsaeacces)
}
