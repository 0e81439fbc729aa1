//go:build race

package store

// raceEnabled: the race detector slows the pure-Go SQLite about tenfold,
// so the model tests take fewer steps under it (the full runs are in the
// tests without the detector).
const raceEnabled = true
