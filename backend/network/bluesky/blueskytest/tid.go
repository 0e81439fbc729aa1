package blueskytest

import (
	"crypto/sha256"
	"encoding/base32"
	"strings"
)

// nextTID returns a fresh TID from the fake's clock, later than any before.
// Callers hold s.mu.
func (s *Server) nextTID() string {
	v := uint64(s.now().UnixMicro())<<10 | 0x2a
	if v <= s.repo.lastTID {
		v = s.repo.lastTID + 1<<10
	}
	s.repo.lastTID = v
	return encodeTID(v)
}

const tidAlphabet = "234567abcdefghijklmnopqrstuvwxyz"

func encodeTID(v uint64) string {
	var b [13]byte
	for i := 12; i >= 0; i-- {
		b[i] = tidAlphabet[v&31]
		v >>= 5
	}
	return string(b[:])
}

// validTID follows https://atproto.com/specs/tid#tid-syntax.
func validTID(s string) bool {
	if len(s) != 13 || !strings.ContainsRune(tidAlphabet[:16], rune(s[0])) {
		return false
	}
	for i := range len(s) {
		if !strings.ContainsRune(tidAlphabet, rune(s[i])) {
			return false
		}
	}
	return true
}

// fakeCID makes a CID-shaped id from content: "bafyrei…" for records,
// "bafkrei…" for blobs, as CIDv1 sha-256 in base32 are.
func fakeCID(prefix string, data []byte) string {
	sum := sha256.Sum256(data)
	return prefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:]))[:52]
}
