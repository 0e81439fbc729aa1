package compose

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"herald/backend/network"
)

// Count is how long one text (the post, a follow-up, the first comment) is
// by a network's rules.
type Count struct {
	// Chars is the length as the network counts it: grapheme clusters, with
	// links at their weight and mention domains dropped where the rules say
	// so, content warning included (see Validate).
	Chars int `json:"chars"`
	// Bytes is the text's UTF-8 length.
	Bytes int `json:"bytes"`
	// Max and MaxBytes are the limits (0: no limit).
	Max      int `json:"max"`
	MaxBytes int `json:"maxBytes"`
	// Remaining is Max - Chars; negative when over. 0 when Max is 0.
	Remaining int `json:"remaining"`
	// URLs is how many links the network recognises in the text: with
	// URLWeight > 0 the ones counted at that weight, otherwise every
	// "scheme://" link xurls.Strict finds.
	URLs int `json:"urls"`
	// Mentions is how many "@user" / "@user@domain" mentions were found
	// (Mastodon's syntax, which also matches "@handle.bsky.social").
	Mentions int `json:"mentions"`
	// ContentWarning is the grapheme length of the content warning counted
	// into Chars (Mastodon counts spoiler_text with the text); 0 if none.
	ContentWarning int `json:"contentWarning"`
	// Fits is how much of the text fits within Max and MaxBytes, as a
	// length in UTF-16 code units (JavaScript string indexes), so that the
	// composer can mark text.slice(fits) as past the limit without counting
	// anything itself. It is the whole text's length when it all fits; a
	// link counted at URLWeight is never split, and a content warning that
	// is over on its own leaves 0.
	Fits int `json:"fits"`
}

// CountText counts text by r: graphemes, with links at r.URLWeight when it
// is set and mention domains dropped when r.MentionDomainFree is. It
// allocates a copy of the text only when it must rewrite it (a weighted
// link or a mention domain to drop), as Mastodon does before counting, so
// that clusters across the rewritten edges come out as Mastodon's do.
func CountText(r network.Rules, text string) Count {
	return countWith(r, "", text)
}

// countWith counts contentWarning followed by text, the way Mastodon
// counts [status.spoiler_text, countable_text(status.text)].join.
func countWith(r network.Rules, contentWarning, text string) Count {
	c := Count{Bytes: len(text), Max: r.MaxChars, MaxBytes: r.MaxBytes}
	if contentWarning != "" {
		c.ContentWarning = graphemes(contentWarning)
	}

	// Rewrite only what changes the count, as Mastodon does: a weighted link
	// becomes URLWeight "x"s, a mention "@user@domain" becomes "@user". The
	// text is copied lazily, so a text with nothing to rewrite is counted
	// in place. A link is written as one "x" and the other URLWeight-1 are
	// added: no two "x"s ever share a grapheme cluster, so this is exact,
	// and a server announcing an absurd weight cannot make us allocate it.
	var b strings.Builder
	rewriting := false
	copied := 0 // text[:copied] is already in b (when rewriting)
	extra := 0  // weight not written out
	rewrite := func(from, to int, with string) {
		if !rewriting {
			rewriting = true
			b.Grow(len(contentWarning) + len(text))
			b.WriteString(contentWarning)
		}
		b.WriteString(text[copied:from])
		b.WriteString(with)
		copied = to
	}
	eachEntity(text, r.URLWeight > 0, func(e entity) {
		if e.link {
			c.URLs++
			if r.URLWeight > 0 {
				rewrite(e.start, e.end, "x")
				extra += r.URLWeight - 1
			}
			return
		}
		c.Mentions++
		if r.MentionDomainFree && e.userEnd < e.end {
			rewrite(e.userEnd, e.end, "")
		}
	})

	switch {
	case rewriting:
		b.WriteString(text[copied:])
		c.Chars = graphemes(b.String()) + extra
	case contentWarning != "":
		c.Chars = graphemes(contentWarning + text)
	default:
		c.Chars = graphemes(text)
	}
	if c.Max > 0 {
		c.Remaining = c.Max - c.Chars
	}
	c.Fits = utf16Len(text[:fitsAt(r, contentWarning, text, c)])
	return c
}

// entity is a link or a mention kept for counting, as byte offsets; for a
// mention [userEnd, end) is its "@domain" part.
type entity struct {
	start, userEnd, end int
	link                bool
}

// eachEntity calls fn with text's links and mentions in order, dropping an
// entity that overlaps the one kept before it (twitter-text
// remove_overlapping_entities). mastodonLinks applies Mastodon's link
// recognition (see linkScanner).
func eachEntity(text string, mastodonLinks bool, fn func(entity)) {
	links := linkScanner{text: text, mastodon: mastodonLinks}
	ments := mentionScanner{text: text}
	l, lok := links.next()
	m, mok := ments.next()
	lastEnd := 0
	for lok || mok {
		if lok && (!mok || l.start <= m.start) {
			if l.start >= lastEnd {
				lastEnd = l.end
				fn(entity{start: l.start, userEnd: l.end, end: l.end, link: true})
			}
			l, lok = links.next()
			continue
		}
		if m.start >= lastEnd {
			lastEnd = m.end
			fn(entity{start: m.start, userEnd: m.userEnd, end: m.end})
		}
		m, mok = ments.next()
	}
}

// graphemes counts s's extended grapheme clusters, exactly as uniseg
// does, with a fast path for the common case: a "simple" character (see
// simpleRune) followed by another simple character always ends a cluster
// (GB999; CR LF aside), and restarting uniseg's state after it is exact,
// because the only rules that look further back (GB11 emoji ZWJ
// sequences, GB12/13 regional-indicator pairs) need a ZWJ, an emoji or a
// regional indicator before it. uniseg itself also measures display widths,
// which is most of its cost here.
func graphemes(s string) int {
	n, state := 0, -1
	for len(s) > 0 {
		r, size := rune(s[0]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s)
		}
		if simpleRune(r) {
			if r == '\r' && len(s) > 1 && s[1] == '\n' {
				s, n, state = s[2:], n+1, -1
				continue
			}
			if size == len(s) {
				return n + 1
			}
			next := rune(s[size])
			if next >= utf8.RuneSelf {
				next, _ = utf8.DecodeRuneInString(s[size:])
			}
			if simpleRune(next) {
				s, n, state = s[size:], n+1, -1
				continue
			}
		}
		_, s, _, state = uniseg.FirstGraphemeClusterInString(s, state)
		n++
	}
	return n
}

// simpleRune reports whether r's Grapheme_Cluster_Break property is Other,
// or is an ASCII control (CR, LF, Control), for the alphabets most posts
// are written in: ASCII, Latin, Greek, Cyrillic and Armenian letters, CJK
// ideographs and kana. None of them is Extend, ZWJ, SpacingMark, Prepend,
// a regional indicator, Hangul or Extended_Pictographic. Marks and symbols
// in these blocks are not letters and go through uniseg. TestSimpleRunes
// checks every one of them against uniseg.
func simpleRune(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return true
	case r < 0x0530:
		return unicode.IsLetter(r)
	case r >= 0x4E00 && r <= 0x9FFF: // CJK Unified Ideographs
		return true
	case r >= 0x3041 && r <= 0x3096, r >= 0x30A1 && r <= 0x30FA: // hiragana, katakana
		return true
	}
	return false
}
