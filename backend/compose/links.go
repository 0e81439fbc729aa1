package compose

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"mvdan.cc/xurls/v2"
)

// strictURL is xurls.Strict: "scheme://…" links with a scheme from xurls'
// lists (IANA and common unofficial ones), plus scheme-only URIs such as
// mailto:. It is compiled once by xurls and is safe for concurrent use;
// the tests use it as the reference for linkScanner.
var strictURL = xurls.Strict()

// anchoredURL is xurls.Strict's own path grammar behind any syntactically
// valid scheme, anchored at the start. Strict's alternation of ~400 schemes
// makes a 2,400-instruction program that runs on Go's slowest matcher, at
// about 1 MB/s; with the scheme checked against the same lists by lookup,
// this one is 43 instructions and runs on the backtracker. Compiled once;
// a *regexp.Regexp is immutable and safe for concurrent use.
var anchoredURL = anchor(xurls.StrictMatchingScheme(`[a-zA-Z][a-zA-Z0-9+.\-]*://`))

func anchor(re *regexp.Regexp, err error) *regexp.Regexp {
	if err != nil {
		panic(err) // a constant expression: cannot fail at run time
	}
	a := regexp.MustCompile(`^(?:` + re.String() + `)`)
	a.Longest()
	return a
}

// Mastodon's link recognition, which applies when a link has a fixed
// weight (Rules.URLWeight > 0). Mastodon's StatusLengthValidator gives the
// 23-character concession only to URLs its formatter will link:
//
//	Extractor.extract_urls_with_indices(str, extract_url_without_protocol: false)
//
// (mastodon/mastodon app/validators/status_length_validator.rb), that is
// twitter-text's Regex[:valid_url] as redefined by Mastodon in
// config/initializers/twitter_regex.rb:
//
//	((?:https?|dat|dweb|ipfs|ipns|ssb|gopher|gemini)://)?   # protocol
//	(#{REGEXEN[:valid_domain]})                             # needs a known TLD
//	(?::(#{REGEXEN[:valid_port_number]}))?
//	(/#{REGEXEN[:valid_url_path]}*)?
//	(\?#{REGEXEN[:valid_url_query_chars]}*…)?
//
// with the protocol made mandatory by extract_url_without_protocol: false,
// and preceded by Regex[:valid_url_preceding_chars]
// /(?:[^A-Z0-9@＠$#＃#{INVALID_CHARACTERS}]|^)/i. So "example.com/page"
// (no scheme), "ftp://…", "mailto:…", "xmpp:…", "https://localhost" (no
// TLD) and "xhttps://…" all count as written on Mastodon; only the schemes
// below, on a host with a real top-level domain, count as the weight.
//
// The extent of a link is what xurls.Strict matches, cut short after the
// host (and port) when the next character is neither "/" nor "?", as
// valid_url requires. The end of a path can differ from Mastodon's by a
// character in rare cases: xurls lets a path end in "~", "%", "$", "&" or
// "=", which Mastodon's valid_url_path_ending_chars excludes.
var weightedSchemes = [...]string{"http", "https", "dat", "dweb", "ipfs", "ipns", "ssb", "gopher", "gemini"}

// link is one URL found in a text, as byte offsets.
type link struct{ start, end int }

// linkScanner walks a text's links left to right. The only allocation is
// the regexp's two-int result, once per link.
type linkScanner struct {
	text     string
	pos      int  // where the search for the next "://" resumes
	mastodon bool // apply Mastodon's recognition (weighted links)
	runEnd   int  // end of the run of non-space text last measured
}

// next returns the next link, or ok == false when there is none.
//
// It finds what xurls.Strict finds, limited to "scheme://" links, without
// running Strict over the whole text: for each "://" it looks back over
// the scheme characters for the leftmost known scheme (where Strict's
// leftmost match would start) and matches Strict's path grammar from there.
// Scheme-only URIs (mailto:, tel:, xmpp:) have no "://" and are not links
// for counting; Mastodon does not weight them either.
func (s *linkScanner) next() (l link, ok bool) {
	t := s.text
	for s.pos < len(t) {
		i := strings.Index(t[s.pos:], "://")
		if i < 0 {
			s.pos = len(t)
			return link{}, false
		}
		i += s.pos
		ws := i
		for ws > s.pos && i-ws < maxSchemeLen && isSchemeByte(t[ws-1]) {
			ws--
		}
		start, end := -1, -1
		for p := ws; p < i; p++ {
			if !knownScheme(t[p:i]) {
				continue
			}
			if loc := anchoredURL.FindStringIndex(t[p:s.spaceAfter(i+3)]); loc != nil {
				start, end = p, p+loc[1]
			}
			break // a later start has the same path and fails the same way
		}
		if start < 0 {
			s.pos = i + 3
			continue
		}
		s.pos = end
		if !s.mastodon {
			return link{start, end}, true
		}
		if end, ok = mastodonLink(t, start, i, end); ok {
			return link{start, end}, true
		}
	}
	return link{}, false
}

// schemes and tlds are xurls' lists, sorted for binary search (xurls'
// scheme list is not quite in byte order). Built once; never modified.
var (
	schemes = sortedCopy(xurls.Schemes, xurls.SchemesUnofficial)
	tlds    = sortedCopy(xurls.TLDs)
)

// maxSchemeLen is the longest scheme in xurls' lists: looking further
// back from a "://" cannot find one.
var maxSchemeLen = len(slices.MaxFunc(schemes, func(a, b string) int { return len(a) - len(b) }))

func sortedCopy(lists ...[]string) []string {
	return slices.Sorted(slices.Values(slices.Concat(lists...)))
}

// spaceAfter returns the first ASCII white space at or after i (or the
// end): a Strict match never holds one, so no link runs past it. The end
// of the run is remembered, so many "://" in one run cost one scan.
func (s *linkScanner) spaceAfter(i int) int {
	if i < s.runEnd {
		return s.runEnd
	}
	for i < len(s.text) && !isASCIISpace(s.text[i]) {
		i++
	}
	s.runEnd = i
	return i
}

// knownScheme reports whether xurls.Strict accepts scheme before "://".
func knownScheme(scheme string) bool {
	for i := 0; i < len(scheme); i++ {
		if c := scheme[i]; c >= 'A' && c <= 'Z' {
			scheme = strings.ToLower(scheme) // rare: only when typed in capitals
			break
		}
	}
	return inSorted(schemes, scheme)
}

func inSorted(list []string, s string) bool {
	_, found := slices.BinarySearch(list, s)
	return found
}

// mastodonLink reports whether the Strict match text[start:end], whose
// "://" is at sep, is a link Mastodon weights, and where Mastodon's link
// ends (it may stop earlier than Strict; see weightedSchemes).
func mastodonLink(text string, start, sep, end int) (int, bool) {
	if !isWeightedScheme(text[start:sep]) || !urlMayFollow(text[:start]) {
		return 0, false
	}
	hostStart := sep + 3
	h := hostStart
	for h < end {
		r, n := utf8.DecodeRuneInString(text[h:end])
		if r != '.' && !isLabelRune(r) {
			break
		}
		h += n
	}
	if !validDomain(text[hostStart:h]) {
		return 0, false
	}
	if h < end && text[h] == ':' { // a port
		p := h + 1
		for p < end && text[p] >= '0' && text[p] <= '9' {
			p++
		}
		if p > h+1 {
			h = p
		}
	}
	if h < end && text[h] != '/' && text[h] != '?' {
		return h, true // "https://example.com#x": the link is the host
	}
	return end, true
}

func isWeightedScheme(scheme string) bool {
	for _, s := range weightedSchemes {
		if strings.EqualFold(scheme, s) {
			return true
		}
	}
	return false
}

// urlMayFollow implements valid_url_preceding_chars: a link must not be
// glued to a preceding ASCII letter or digit, "@", "$", "#" (or their
// full-width forms) or one of twitter-text's invalid characters.
func urlMayFollow(before string) bool {
	r, _ := utf8.DecodeLastRuneInString(before)
	switch {
	case before == "":
		return true
	case r < utf8.RuneSelf:
		return !isASCIIAlnum(byte(r)) && r != '@' && r != '$' && r != '#'
	default:
		switch r {
		case '＠', '＃', '\uFFFE', '\uFEFF', '\uFFFF', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E':
			return false
		}
		return true
	}
}

// validDomain mirrors twitter-text's valid_domain: at least two labels and
// a top-level domain that exists (xurls' IANA list, which is also where
// twitter-text's lists come from) or is punycode.
func validDomain(host string) bool {
	dot := strings.LastIndexByte(host, '.')
	if dot <= 0 || dot == len(host)-1 {
		return false
	}
	for label := range strings.SplitSeq(host, ".") {
		if label == "" {
			return false
		}
	}
	tld := host[dot+1:]
	if len(tld) > 4 && strings.EqualFold(tld[:4], "xn--") {
		return true
	}
	return knownTLD(tld)
}

// knownTLD looks tld up in xurls.TLDs (lower case).
func knownTLD(tld string) bool {
	for i := 0; i < len(tld); i++ {
		if c := tld[i]; c >= 'A' && c <= 'Z' {
			tld = strings.ToLower(tld) // rare: only when typed in capitals
			break
		}
	}
	return inSorted(tlds, tld)
}

// isLabelRune: the characters of a host name label (twitter-text's
// DOMAIN_VALID_CHARS, which excludes punctuation and spaces, plus "-" and
// "_").
func isLabelRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r)) || r == '-' || r == '_'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

func isSchemeByte(c byte) bool {
	return isASCIIAlnum(c) || c == '+' || c == '-' || c == '.'
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}
