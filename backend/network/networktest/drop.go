package networktest

import (
	"io"
	"net"
	"net/http"
)

// Drop is how a fake server ends a connection without answering.
type Drop int

const (
	// DropClose closes the connection in order: the client reads EOF.
	DropClose Drop = iota
	// DropReset aborts it: the client sees "connection reset by peer".
	DropReset
)

// DropAfterBody reads the whole request, as a server that went on to
// process it would, then ends the connection as d says without answering.
// For a write, the client cannot know whether it was made.
func DropAfterBody(w http.ResponseWriter, r *http.Request, d Drop) {
	_, _ = io.Copy(io.Discard, r.Body)
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic("networktest: the server cannot hijack connections: " + err.Error())
	}
	if tc, ok := conn.(*net.TCPConn); ok && d == DropReset {
		// A zero linger makes Close send RST instead of FIN.
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
