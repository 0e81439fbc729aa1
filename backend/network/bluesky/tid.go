package bluesky

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"strings"
	"time"
)

// A TID (timestamp identifier, https://atproto.com/specs/tid) is the record
// key type of app.bsky.feed.post: a 64-bit integer whose top bit is 0, whose
// next 53 bits are microseconds since the Unix epoch and whose last 10 bits
// are a "clock identifier", written big-endian in base32-sortable as exactly
// 13 characters, so that string order is time order.
const (
	tidAlphabet = "234567abcdefghijklmnopqrstuvwxyz"
	tidLen      = 13
	tidMaxMicro = 1<<53 - 1
)

// errNoCreatedAt: without the time of the first attempt a record key cannot
// be derived, and a key that changes between retries could double a post.
var errNoCreatedAt = errors.New("the post has no first-attempt time, so Herald cannot give it a stable record key")

// postRKey is the record key of item index of a post. It is a function of
// the target's idempotency key, its first-attempt time and the item index
// only, so every retry of the same target writes to the same keys:
//
//   - timestamp: createdAt in microseconds, plus the item index, so a
//     thread's items sort in order and never share a key;
//   - clock id: the first 10 bits of SHA-256(idempotency key), so two
//     targets attempted in the same microsecond almost never collide (and a
//     collision is caught: the record found there has other text).
func postRKey(idempotencyKey string, createdAt time.Time, index int) (string, error) {
	if createdAt.IsZero() {
		return "", errNoCreatedAt
	}
	us := createdAt.UnixMicro() + int64(index)
	if us < 0 || us > tidMaxMicro || index < 0 {
		return "", errors.New("the post's first-attempt time is out of range for a record key")
	}
	sum := sha256.Sum256([]byte(idempotencyKey))
	clock := uint64(binary.BigEndian.Uint16(sum[:2])) & 0x3ff
	return encodeTID(uint64(us)<<10 | clock), nil
}

// encodeTID writes v in base32-sortable, all 13 digits.
func encodeTID(v uint64) string {
	var b [tidLen]byte
	for i := tidLen - 1; i >= 0; i-- {
		b[i] = tidAlphabet[v&31]
		v >>= 5
	}
	return string(b[:])
}

// parseTID reads a TID back into its time and clock id.
func parseTID(s string) (time.Time, uint16, bool) {
	if len(s) != tidLen || strings.IndexByte(tidAlphabet[:16], s[0]) < 0 {
		return time.Time{}, 0, false // the first digit carries the zero top bit
	}
	var v uint64
	for i := range tidLen {
		d := strings.IndexByte(tidAlphabet, s[i])
		if d < 0 {
			return time.Time{}, 0, false
		}
		v = v<<5 | uint64(d)
	}
	return time.UnixMicro(int64(v >> 10)).UTC(), uint16(v & 0x3ff), true
}
