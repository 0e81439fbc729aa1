package compose

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"herald/backend/network"
)

// fitsAt is the byte offset in text where the first character past c's
// limits starts (len(text) when nothing is over). It is computed only for
// a text that is over, by the same rules as c.Chars and c.Bytes.
func fitsAt(r network.Rules, contentWarning, text string, c Count) int {
	at := len(text)
	if c.Max > 0 && c.Chars > c.Max {
		at = charsFitAt(r, contentWarning, text, c.Max)
	}
	// A cut at or before the byte limit is already the stricter one.
	if c.MaxBytes > 0 && c.Bytes > c.MaxBytes && at > c.MaxBytes {
		at = clusterAt(text, c.MaxBytes)
	}
	return at
}

// clusterAt is the start of the grapheme cluster holding byte limit of
// text: a character is past a byte limit as soon as any byte of it is.
func clusterAt(text string, limit int) int {
	pos, state := 0, -1
	rest := text
	for rest != "" {
		var cluster string
		cluster, rest, state = nextCluster(rest, state)
		if pos+len(cluster) > limit {
			return pos
		}
		pos += len(cluster)
	}
	return pos
}

// nextCluster splits off s's first grapheme cluster as
// uniseg.FirstGraphemeClusterInString does, with graphemes' fast path: a
// simple rune followed by another simple rune is a cluster of its own.
func nextCluster(s string, state int) (cluster, rest string, newState int) {
	r, size := utf8.DecodeRuneInString(s)
	if simpleRune(r) && r != '\r' && size < len(s) {
		if next, _ := utf8.DecodeRuneInString(s[size:]); simpleRune(next) {
			return s[:size], s[size:], -1
		}
	}
	cluster, rest, _, newState = uniseg.FirstGraphemeClusterInString(s, state)
	return cluster, rest, newState
}

// piece is a stretch of the text as countWith counts it: from rewritten
// offset at on, the bytes come from text at from (linearly), or are the
// one "x" standing for a weighted link (heavy).
type piece struct {
	at, from int
	heavy    bool
}

// charsFitAt walks the text the way countWith counts it (content warning
// first, weighted links as one heavy "x", mention domains dropped) and
// returns the offset in text of the cluster that takes the count past limit.
// A cluster holding a link's "x" weighs URLWeight, as in countWith. The
// walk stops at the limit, so a long text costs no more than its start.
func charsFitAt(r network.Rules, contentWarning, text string, limit int) int {
	var b strings.Builder
	b.Grow(len(contentWarning) + len(text))
	b.WriteString(contentWarning)
	pieces := []piece{{at: len(contentWarning)}}
	copied := 0
	cut := func(to, next int, heavy bool) {
		b.WriteString(text[copied:to])
		if heavy {
			pieces = append(pieces, piece{at: b.Len(), from: to, heavy: true})
			b.WriteByte('x')
		}
		pieces = append(pieces, piece{at: b.Len(), from: next})
		copied = next
	}
	eachEntity(text, r.URLWeight > 0, func(e entity) {
		switch {
		case e.link && r.URLWeight > 0:
			cut(e.start, e.end, true)
		case !e.link && r.MentionDomainFree && e.userEnd < e.end:
			cut(e.userEnd, e.end, false)
		}
	})
	b.WriteString(text[copied:])

	// origin is where rewritten offset pos comes from in text: 0 inside
	// the content warning, the link's start for its "x".
	p := -1 // pieces[p] holds pos; -1 inside the content warning
	origin := func(pos int) int {
		if p < 0 {
			return 0
		}
		return pieces[p].from + pos - pieces[p].at
	}
	n, pos, state := 0, 0, -1
	rest := b.String()
	for rest != "" {
		for p+1 < len(pieces) && pieces[p+1].at <= pos {
			p++
		}
		start := origin(pos)
		var cluster string
		cluster, rest, state = nextCluster(rest, state)
		n++
		for q := max(p, 0); q < len(pieces) && pieces[q].at < pos+len(cluster); q++ {
			if pieces[q].heavy && pieces[q].at >= pos {
				n += r.URLWeight - 1
				break
			}
		}
		if n > limit {
			return start
		}
		pos += len(cluster)
	}
	return len(text)
}

// utf16Len is the length of s in UTF-16 code units: JavaScript's
// String.length, which indexes the text in the composer.
func utf16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		n += utf16.RuneLen(r)
		i += size
	}
	return n
}
