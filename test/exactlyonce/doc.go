// Package exactlyonce holds a model-based test of Herald's promise that a
// post is never lost and never published twice. It drives the real
// publishing engine, the real post services and a real SQLite file against
// an in-process fake network, under random interleavings of user actions,
// engine ticks, network faults and process kills (pgregory.net/rapid).
//
//	go test -race -count=1 ./test/exactlyonce/
//	go test -count=1 ./test/exactlyonce/ -run TestExactlyOnce -rapid.checks=2000 -rapid.steps=200
//
// The fake network also has its own scheduler (network.NativeScheduler):
// hand-off posts are given to it, it publishes them when the fake clock
// passes their time, and the user may delete posts on the network's site.
//
// A failure prints the seed and the shrunk action sequence; rerun it with
// -rapid.seed=N. The TestRegression_* tests pin each violation found so far.
// To look past the known hand-off violations:
//
//	-exactlyonce.skip=HANDOFF-STUCK -exactlyonce.no-handoff-kills -exactlyonce.avoid-fired
package exactlyonce
