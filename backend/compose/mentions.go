package compose

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// mention is one "@user" or "@user@domain" found in a text, as byte
// offsets; [userEnd, end) is the "@domain" part, empty for a local mention.
type mention struct{ start, userEnd, end int }

// mentionScanner walks a text's mentions left to right without allocating.
//
// It is a hand-written port of what Mastodon's StatusLengthValidator uses,
// because Go's regexp has no look-behind:
//
//	USERNAME_RE = /[a-z0-9_]+([.-]+[a-z0-9_]+)*/i
//	MENTION_RE  = %r{(?<![=/[:word:]])@((#{USERNAME_RE})(?:@[[:word:]]+([.-]+[[:word:]]+)*)?)}
//
// (mastodon/mastodon app/models/account.rb), scanned by
// Extractor.extract_mentions_or_lists_with_indices (app/lib/extractor.rb),
// which drops a match followed by Twitter::TwitterText::Regex
// [:end_mention_match], /\A(?:[@＠]|[#{LATIN_ACCENTS}]|:\/\/)/, and resumes
// scanning after the match either way. StatusLengthValidator then rewrites
// each kept mention to "@#{screen_name.split('@').first}".
type mentionScanner struct {
	text string
	pos  int
}

// next returns the next mention, or ok == false when there is none.
func (s *mentionScanner) next() (m mention, ok bool) {
	t := s.text
	for s.pos < len(t) {
		i := strings.IndexByte(t[s.pos:], '@')
		if i < 0 {
			s.pos = len(t)
			return mention{}, false
		}
		at := s.pos + i
		s.pos = at + 1
		if r, _ := utf8.DecodeLastRuneInString(t[:at]); at > 0 && (r == '=' || r == '/' || isWordRune(r)) {
			continue
		}
		userEnd := scanUsername(t, at+1)
		if userEnd == at+1 {
			continue
		}
		end := userEnd
		if end < len(t) && t[end] == '@' {
			end = scanDomain(t, end+1, end)
		}
		s.pos = end
		if endsMention(t[end:]) {
			return mention{at, userEnd, end}, true
		}
	}
	return mention{}, false
}

// scanUsername matches USERNAME_RE at i and returns where it ends (i when
// it does not match).
func scanUsername(t string, i int) int {
	j := i
	for j < len(t) && isUsernameByte(t[j]) {
		j++
	}
	if j == i {
		return i
	}
	for {
		k := j
		for k < len(t) && (t[k] == '.' || t[k] == '-') {
			k++
		}
		if k == j || k == len(t) || !isUsernameByte(t[k]) {
			return j
		}
		for k < len(t) && isUsernameByte(t[k]) {
			k++
		}
		j = k
	}
}

// scanDomain matches [[:word:]]+([.-]+[[:word:]]+)* at i and returns where
// it ends, or fallback when it does not match (a bare trailing "@").
func scanDomain(t string, i, fallback int) int {
	j := skipWord(t, i)
	if j == i {
		return fallback
	}
	for {
		k := j
		for k < len(t) && (t[k] == '.' || t[k] == '-') {
			k++
		}
		if k == j {
			return j
		}
		e := skipWord(t, k)
		if e == k {
			return j
		}
		j = e
	}
}

func skipWord(t string, i int) int {
	for i < len(t) {
		r, n := utf8.DecodeRuneInString(t[i:])
		if !isWordRune(r) {
			break
		}
		i += n
	}
	return i
}

// endsMention is false when what follows a match makes it not a mention
// (end_mention_match): another at sign, a Latin-1 accented letter, "://".
func endsMention(after string) bool {
	if strings.HasPrefix(after, "://") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(after)
	switch {
	case after == "":
		return true
	case r == '@' || r == '＠':
		return false
	case r >= 0xC0 && r <= 0xFF && r != 0xD7 && r != 0xF7: // LATIN_ACCENTS
		return false
	}
	return true
}

// isWordRune is Onigmo's [[:word:]] on Unicode text: Letter, Mark,
// Decimal_Number, Connector_Punctuation.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r)) || r == '_'
	}
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r) || unicode.Is(unicode.Pc, r)
}

func isUsernameByte(c byte) bool {
	return isASCIIAlnum(c) || c == '_'
}
