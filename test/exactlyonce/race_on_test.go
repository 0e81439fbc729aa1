//go:build race

package exactlyonce

// raceEnabled: the race detector slows the pure-Go SQLite about tenfold.
const raceEnabled = true
