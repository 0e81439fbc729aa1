package bluesky

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/publicsuffix"

	"herald/backend/network"
)

// Rich text on Bluesky is plain text plus facets
// (https://docs.bsky.app/docs/advanced-guides/post-richtext): ranges of the
// text, in UTF-8 byte offsets (start inclusive, end exclusive), that are a
// link (app.bsky.richtext.facet#link) or a mention of an account by DID
// (app.bsky.richtext.facet#mention). Bluesky does not find links itself:
// a URL without a facet shows as plain text.
//
// Detection follows the official client's rules (@atproto/api
// rich-text/detection.ts) so a post from Herald looks like one written in
// the Bluesky app: a link or mention starts the text or follows white space
// or "("; a link is http(s)://… up to the next space, or a bare domain with
// a real top-level domain; trailing punctuation and an unbalanced ")" are
// not part of a link.

type spanKind int

const (
	spanLink spanKind = iota
	spanMention
)

// span is a detected link or mention. For a link, uri is the target; for a
// mention, handle is the lower-cased handle without "@".
type span struct {
	kind       spanKind
	start, end int // byte offsets into the text
	uri        string
	handle     string
}

// detectSpans finds the links and mentions in text, sorted and
// non-overlapping (a link wins over a mention inside it). Offsets are only
// meaningful for valid UTF-8; publishing sanitizes the text first. It runs
// in time linear in the text, whatever the text.
func detectSpans(text string) []span {
	links, mentions := detectLinks(text), detectMentions(text)
	out := make([]span, 0, len(links)+len(mentions))
	li := 0
	for _, m := range mentions {
		for li < len(links) && links[li].end <= m.start {
			out = append(out, links[li])
			li++
		}
		if li < len(links) && links[li].start < m.end {
			continue // inside (or across) a link
		}
		out = append(out, m)
	}
	return append(out, links[li:]...)
}

// atBoundary reports whether a link or mention may start at byte i.
func atBoundary(text string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return r == '(' || unicode.IsSpace(r)
}

// tokenEnd is where the run of non-space characters starting at i ends.
func tokenEnd(text string, i int) int {
	for j, r := range text[i:] {
		if unicode.IsSpace(r) {
			return i + j
		}
	}
	return len(text)
}

func detectLinks(text string) []span {
	var out []span
	runEnd := 0 // every position of a run of non-space shares its end
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) || !atBoundary(text, i) {
			i += size
			continue
		}
		if i >= runEnd {
			runEnd = tokenEnd(text, i)
		}
		if s, ok := linkAt(text[i:runEnd]); ok {
			s.start += i
			s.end += i
			out = append(out, s)
			i = s.end
			continue
		}
		i += size // no link here, but a "(" further on may start one
	}
	return out
}

// linkAt reads a link at the start of tok, a run of non-space characters.
// What cannot start a link is refused before anything scans the whole
// run, so many "(" in one run stay cheap.
func linkAt(tok string) (span, bool) {
	if scheme := schemeLen(tok); scheme > 0 {
		if len(tok) == scheme || strings.IndexByte("/?#", tok[scheme]) >= 0 {
			return span{}, false // no host
		}
		if tok = trimLinkEnd(tok); len(tok) == scheme {
			return span{}, false // "https://." ends a sentence
		}
		return span{kind: spanLink, end: len(tok), uri: tok}, true
	}
	n := domainLen(tok)
	if n == 0 {
		return span{}, false
	}
	if n < len(tok) && strings.IndexByte("/:?#", tok[n]) < 0 {
		// Only sentence punctuation may follow a bare domain directly:
		// "example.com's" or "example.com@x" is no link.
		for _, c := range []byte(tok[n:]) {
			if strings.IndexByte(trailing, c) < 0 && c != ')' {
				return span{}, false
			}
		}
		tok = tok[:n]
	}
	if !hasTLD(tok[:n]) {
		return span{}, false
	}
	tok = trimLinkEnd(tok)
	return span{kind: spanLink, end: len(tok), uri: "https://" + tok}, true
}

// schemeLen is the length of "http://" or "https://" (any case) at the
// start of tok, or 0.
func schemeLen(tok string) int {
	for _, p := range []string{"https://", "http://"} {
		if len(tok) >= len(p) && strings.EqualFold(tok[:len(p)], p) {
			return len(p)
		}
	}
	return 0
}

// trailing is the punctuation that ends a sentence rather than a URL.
const trailing = ".,;:!?\"'"

// trimLinkEnd drops trailing punctuation, and a ")" that closes a
// parenthesis opened before the link.
func trimLinkEnd(tok string) string {
	open, closed := strings.Count(tok, "("), strings.Count(tok, ")")
	for tok != "" {
		last := tok[len(tok)-1]
		switch {
		case strings.IndexByte(trailing, last) >= 0:
		case last == ')' && open < closed:
			closed--
		default:
			return tok
		}
		tok = tok[:len(tok)-1]
	}
	return tok
}

// domainLen is the length of the host name at the start of s: ASCII labels
// of letters, digits and hyphens, the first starting with a letter, at
// least two labels. 0 when there is none.
func domainLen(s string) int {
	if s == "" || !isASCIILetter(s[0]) {
		return 0
	}
	labels, end, labelLen := 1, 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isASCIILetter(c) || isASCIIDigit(c) || c == '-':
			labelLen++
			if labels > 1 {
				end = i + 1
			}
		case c == '.' && labelLen > 0 && i+1 < len(s) && isLabelChar(s[i+1]):
			labels++
			labelLen = 0
		default:
			return end
		}
	}
	return end
}

// hasTLD reports whether the last label of domain is a real top-level
// domain (from the public suffix list), so "e.g" or "file.txt" is no link.
func hasTLD(domain string) bool {
	domain = strings.ToLower(domain)
	tld := domain[strings.LastIndexByte(domain, '.')+1:]
	if tld == "" || strings.Trim(tld, "0123456789") == "" {
		return false
	}
	suffix, icann := publicsuffix.PublicSuffix(tld)
	return icann && suffix == tld
}

func detectMentions(text string) []span {
	var out []span
	for i := 0; i < len(text); i++ {
		if text[i] != '@' || !atBoundary(text, i) {
			continue
		}
		j := i + 1
		for j < len(text) && (isLabelChar(text[j]) || text[j] == '.') {
			j++
		}
		if j < len(text) && text[j] == '_' {
			continue // "@name_x" is no handle
		}
		h := strings.TrimRight(text[i+1:j], ".-")
		handle := strings.ToLower(h)
		// Like the Bluesky app: a real TLD, or .test on development networks.
		if !validHandle(handle) || (!hasTLD(handle) && !strings.HasSuffix(handle, ".test")) {
			continue
		}
		out = append(out, span{kind: spanMention, start: i, end: i + 1 + len(h), handle: handle})
		i += len(h)
	}
	return out
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isASCIIDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLabelChar(c byte) bool   { return isASCIILetter(c) || isASCIIDigit(c) || c == '-' }

// facet is app.bsky.richtext.facet.
type facet struct {
	Index    byteSlice      `json:"index"`
	Features []facetFeature `json:"features"`
}

type byteSlice struct {
	ByteStart int `json:"byteStart"`
	ByteEnd   int `json:"byteEnd"`
}

// facetFeature is one member of the features union: #link or #mention.
type facetFeature struct {
	Type string `json:"$type"`
	URI  string `json:"uri,omitempty"`
	DID  string `json:"did,omitempty"`
}

const (
	featureLink    = "app.bsky.richtext.facet#link"
	featureMention = "app.bsky.richtext.facet#mention"
)

// handleResolver turns handles into DIDs once per publish.
type handleResolver struct {
	cl    *Client
	host  string
	cache map[string]string // handle → DID, "" when it does not resolve
}

// facets builds the facets of text, resolving mentions. A handle that does
// not resolve stays plain text, as in the Bluesky app; a failure to ask
// (server down, rate limit) is returned, since a silently unlinked mention
// would not notify the person.
func (r *handleResolver) facets(ctx context.Context, text string) ([]facet, error) {
	var out []facet
	for _, s := range detectSpans(text) {
		f := facet{Index: byteSlice{ByteStart: s.start, ByteEnd: s.end}}
		switch s.kind {
		case spanLink:
			f.Features = []facetFeature{{Type: featureLink, URI: s.uri}}
		case spanMention:
			did, err := r.resolve(ctx, s.handle)
			if err != nil {
				return nil, err
			}
			if did == "" {
				continue
			}
			f.Features = []facetFeature{{Type: featureMention, DID: did}}
		}
		out = append(out, f)
	}
	return out, nil
}

// resolve asks the PDS for the DID of handle.
// https://docs.bsky.app/docs/api/com-atproto-identity-resolve-handle
func (r *handleResolver) resolve(ctx context.Context, handle string) (string, error) {
	if did, ok := r.cache[handle]; ok {
		return did, nil
	}
	var out struct {
		DID string `json:"did"`
	}
	err := r.cl.do(ctx, call{op: "resolve @" + handle, method: http.MethodGet, host: r.host,
		nsid: "com.atproto.identity.resolveHandle", query: url.Values{"handle": {handle}}}, &out)
	if ne, ok := asError(err); ok && ne.Status >= 400 && ne.Status < 500 && ne.Status != http.StatusTooManyRequests {
		err = nil // no such handle: the mention stays text
		out.DID = ""
	}
	if err != nil {
		return "", err
	}
	if !validDID(out.DID) {
		out.DID = ""
	}
	r.cache[handle] = out.DID
	return out.DID, nil
}

func asError(err error) (*network.Error, bool) {
	var ne *network.Error
	ok := errors.As(err, &ne)
	return ne, ok
}
