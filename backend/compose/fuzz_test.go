package compose

import (
	"reflect"
	"strings"
	"testing"

	"github.com/rivo/uniseg"

	"herald/backend/network"
)

var fuzzSeeds = []string{
	"",
	"hello world",
	"👍🏽 e\u0301 " + family + " 日本語 🇫🇷🇩",
	"Read https://example.com/very/long/path?x=1 now",
	"@alice@example.social @bob hi",
	"https://example.com/x,@alice@example.social",
	"xhttps://a.com #https://b.com (https://c.org/x) https://d.com#frag",
	"mailto:a://b.com gemini://x.org/ ftp://y.z",
	"@a@b@c @d@ @aliceé @e@f://",
	"a\r\nb\u0600c\xff\xfe",
	"http://a.comhttp://b.com",
	"://://:// a://b://c",
}

// FuzzCountText checks invariants that hold for any text.
func FuzzCountText(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, uint8(23), true)
	}
	f.Fuzz(func(t *testing.T, text string, weight uint8, domainFree bool) {
		g := uniseg.GraphemeClusterCount(text)
		if got := graphemes(text); got != g {
			t.Fatalf("graphemes(%q) = %d, uniseg says %d", text, got, g)
		}

		r := network.Rules{MaxChars: 500, URLWeight: int(weight), MentionDomainFree: domainFree}
		c := CountText(r, text)
		if c.Bytes != len(text) {
			t.Fatalf("Bytes = %d, len = %d", c.Bytes, len(text))
		}
		if c.Chars < 0 || c.URLs < 0 || c.Mentions < 0 {
			t.Fatalf("negative count %+v", c)
		}
		if c.Remaining != c.Max-c.Chars {
			t.Fatalf("Remaining = %d, want %d", c.Remaining, c.Max-c.Chars)
		}
		if c.URLs > strings.Count(text, "://") {
			t.Fatalf("%d URLs but only %d \"://\" in %q", c.URLs, strings.Count(text, "://"), text)
		}
		if c.Mentions > strings.Count(text, "@") {
			t.Fatalf("%d mentions but only %d \"@\" in %q", c.Mentions, strings.Count(text, "@"), text)
		}
		// Each weighted link is URLWeight "x"s, and no two "x"s ever share
		// a grapheme cluster.
		if c.Chars < c.URLs*r.URLWeight {
			t.Fatalf("Chars %d < %d URLs × %d", c.Chars, c.URLs, r.URLWeight)
		}

		// As written: exactly the grapheme count.
		plain := CountText(network.Rules{}, text)
		if plain.Chars != g {
			t.Fatalf("as written: Chars = %d, graphemes = %d for %q", plain.Chars, g, text)
		}
		// Dropping mention domains only shortens.
		if df := CountText(network.Rules{MentionDomainFree: true}, text); df.Chars > g {
			t.Fatalf("domain-free Chars %d > graphemes %d for %q", df.Chars, g, text)
		}
		// The weight changes only the weighted links' share, linearly, and
		// not which links are found.
		w1 := CountText(network.Rules{URLWeight: 1, MentionDomainFree: domainFree}, text)
		w100 := CountText(network.Rules{URLWeight: 100, MentionDomainFree: domainFree}, text)
		if w1.URLs != w100.URLs || w1.Mentions != w100.Mentions {
			t.Fatalf("weight changed what was found: %+v vs %+v", w1, w100)
		}
		if w100.Chars-w1.Chars != 99*w1.URLs {
			t.Fatalf("weight 100 − weight 1 = %d, want 99 × %d for %q", w100.Chars-w1.Chars, w1.URLs, text)
		}
		// A link is at least one grapheme, so weighing it 1 never adds.
		if !domainFree && w1.Chars > g {
			t.Fatalf("weight 1: Chars %d > graphemes %d for %q", w1.Chars, g, text)
		}

		// Every link found is a whole xurls.Strict match with "://", and
		// when Strict finds only "scheme://" links in the whole text, the
		// scanner finds exactly those.
		var found [][]int
		s := linkScanner{text: text}
		for l, ok := s.next(); ok; l, ok = s.next() {
			u := text[l.start:l.end]
			loc := strictURL.FindStringIndex(u)
			if loc == nil || loc[0] != 0 || loc[1] != len(u) || !strings.Contains(u, "://") {
				t.Fatalf("link %q in %q is not a whole Strict match", u, text)
			}
			found = append(found, []int{l.start, l.end})
		}
		whole := strictURL.FindAllStringIndex(text, -1)
		if onlySchemeLinks(text, whole) && !reflect.DeepEqual(found, whole) {
			t.Fatalf("scanner found %v, Strict finds %v in %q", found, whole, text)
		}
	})
}

// FuzzValidate checks that Validate never panics and that its result is
// consistent.
func FuzzValidate(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, "follow-up\x00second", "comment", uint8(i), "image/jpeg", int64(i)*1_000_000, "alt", "", i%2 == 0)
	}
	f.Add("", "", "", uint8(0), "", int64(0), "", "cw", true)
	f.Add(strings.Repeat(family, 200), "\x00 ", " ", uint8(9), "video/mp4", int64(99_000_000), strings.Repeat("é", 2001), "", false)
	f.Fuzz(func(t *testing.T, text, thread, comment string, nMedia uint8, mime string, size int64, alt, cw string, mastodon bool) {
		r, name := blueskyRules(), blueskyName
		if mastodon {
			r, name = mastodonRules(), mastodonName
		}
		v := Variant{Text: text, FirstComment: comment, Options: map[string]string{}}
		if thread != "" {
			v.Thread = strings.Split(thread, "\x00")
		}
		if cw != "" {
			v.Options[OptionContentWarning] = cw
		}
		for i := range int(nMedia % 8) {
			m := MediaInfo{Name: "f", MIME: mime, Size: size, AltText: alt}
			if i%3 == 1 {
				m.MIME = "video/mp4"
			}
			v.Media = append(v.Media, m)
		}

		res := Validate(r, name, v)
		if res.OK == hasErrors(res) {
			t.Fatalf("OK = %v with issues %v", res.OK, codes(res))
		}
		if len(res.Thread) != len(v.Thread) {
			t.Fatalf("%d thread counts for %d follow-ups", len(res.Thread), len(v.Thread))
		}
		if (res.FirstComment != nil) != (v.FirstComment != "") {
			t.Fatalf("FirstComment = %v for %q", res.FirstComment, v.FirstComment)
		}
		for _, is := range res.Issues {
			if is.Field == "" || is.Code == "" || !strings.HasSuffix(is.Message, ".") ||
				(is.Severity != SeverityError && is.Severity != SeverityWarning) {
				t.Fatalf("malformed issue %+v", is)
			}
		}
		if isBlank(text) && len(v.Media) == 0 {
			if _, ok := findIssue(res, CodeEmpty); !ok || res.OK {
				t.Fatalf("empty post passed: %v", codes(res))
			}
		}
	})
}

// onlySchemeLinks: every match is "scheme://…" (no mailto:-style URI,
// which the scanner leaves out by design).
func onlySchemeLinks(text string, matches [][]int) bool {
	for _, m := range matches {
		u := text[m[0]:m[1]]
		i := strings.Index(u, "://")
		if i <= 0 || strings.IndexFunc(u[:i], func(r rune) bool { return r > 0x7f || !isSchemeByte(byte(r)) }) >= 0 {
			return false
		}
	}
	return true
}
