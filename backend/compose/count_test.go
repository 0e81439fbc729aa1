package compose

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"mvdan.cc/xurls/v2"

	"herald/backend/network"
)

const family = "👨\u200d👩\u200d👧\u200d👦" // 4 emoji joined by ZWJ: 25 bytes, 1 grapheme

func TestGraphemes(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		chars int
		bytes int
	}{
		{"empty", "", 0, 0},
		{"ascii", "hello", 5, 5},
		{"thumbs up with skin tone", "👍🏽", 1, 8},
		{"combining acute", "e\u0301", 1, 3},
		{"precomposed acute", "é", 1, 2},
		{"ascii before combining mark", "ae\u0301b", 3, 5},
		{"ZWJ family", family, 1, 25},
		{"CJK", "日本語", 3, 9},
		{"flags pair up", "🇫🇷🇩🇪", 2, 16},
		{"odd regional indicator", "🇫🇷🇩", 2, 12},
		{"CRLF is one", "a\r\nb", 3, 4},
		{"lone CR and LF", "\n\r", 2, 2},
		{"keycap", "1\ufe0f\u20e3", 1, 7},
		{"hangul jamo", "\u1100\u1161\u11a8", 1, 9},
		{"emoji then ascii", "🎉a", 2, 5},
		{"prepend joins next", "\u0600a", 1, 3},
		{"invalid UTF-8", "a\xffb", 3, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := CountText(blueskyRules(), tt.text)
			if c.Chars != tt.chars || c.Bytes != tt.bytes {
				t.Errorf("CountText(%q) = %d chars %d bytes, want %d, %d", tt.text, c.Chars, c.Bytes, tt.chars, tt.bytes)
			}
			if want := uniseg.GraphemeClusterCount(tt.text); graphemes(tt.text) != want {
				t.Errorf("graphemes(%q) = %d, uniseg says %d", tt.text, graphemes(tt.text), want)
			}
		})
	}
}

func TestURLWeighting(t *testing.T) {
	long := "https://example.com/" + strings.Repeat("a", 200)
	tests := []struct {
		name     string
		text     string
		mastodon int // Chars on Mastodon (URL 23)
		urls     int // links Mastodon weights
		bluesky  int // Chars on Bluesky (as written)
	}{
		{"long URL counts 23", long, 23, 1, 220},
		{"short URL counts 23 too", "http://a.co", 23, 1, 11},
		{"URL in a sentence", "Read https://example.com/very/long/path?x=1 now", 5 + 23 + 4, 1, 47},
		{"two URLs", "https://a.com https://b.org/x", 23 + 1 + 23, 2, 29},
		{"upper case", "HTTPS://EXAMPLE.COM/A", 23, 1, 21},
		{"gemini is linked by Mastodon", "gemini://example.org/", 23, 1, 21},
		{"port", "https://example.com:8080/x", 23, 1, 26},
		{"punycode TLD", "https://example.xn--p1ai/", 23, 1, 25},
		{"IDN host", "https://日本.jp/", 23, 1, 14},
		{"trailing period is not part of it", "https://example.com/foo.", 24, 1, 24},
		{"parentheses around it", "(https://example.com/foo)", 25, 1, 25},
		{"fragment straight after host", "https://example.com#frag", 23 + 5, 1, 24},
		// What Mastodon does not weight (extract_url_without_protocol: false,
		// Mastodon's scheme list, twitter-text's valid_domain and preceding
		// characters): these count as written.
		{"no scheme", "example.com/very/long/path", 26, 0, 26},
		{"www without scheme", "www.example.com", 15, 0, 15},
		{"ftp", "ftp://example.com/file", 22, 0, 22},
		{"mailto", "mailto:someone@example.com", 26, 0, 26},
		{"no TLD", "https://localhost:3000/x", 24, 0, 24},
		{"unknown TLD", "https://example.notatld/", 24, 0, 24},
		{"IP address", "http://127.0.0.1/", 17, 0, 17},
		{"user info", "https://user@example.com", 24, 0, 24},
		{"glued to a word", "xhttps://example.com", 20, 0, 20},
		{"after a hash", "#https://example.com", 20, 0, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := CountText(mastodonRules(), tt.text)
			if m.Chars != tt.mastodon || m.URLs != tt.urls {
				t.Errorf("Mastodon: %q = %d chars, %d URLs; want %d, %d", tt.text, m.Chars, m.URLs, tt.mastodon, tt.urls)
			}
			b := CountText(blueskyRules(), tt.text)
			if b.Chars != tt.bluesky {
				t.Errorf("Bluesky: %q = %d chars, want %d", tt.text, b.Chars, tt.bluesky)
			}
		})
	}
}

func TestBlueskyCountsEveryStrictLink(t *testing.T) {
	c := CountText(blueskyRules(), "see https://localhost/x and ftp://example.com and example.com")
	if c.URLs != 2 {
		t.Errorf("URLs = %d, want 2 (scheme://… links only)", c.URLs)
	}
}

func TestMentions(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		mastodon int
		mentions int
		bluesky  int
	}{
		{"remote mention counts as @user", "@alice@example.social hi", 9, 1, 24},
		{"local mention", "@alice hi", 9, 1, 9},
		{"trailing period stays", "@alice@example.social.", 7, 1, 22},
		{"dots and dashes in names", "@Alice.Bob-x@Example.Social", 12, 1, 27},
		{"unicode domain", "@bob@exämple.de", 4, 1, 15},
		{"two mentions", "@a@x.org @b@y.org", 5, 2, 17},
		{"e-mail address is not a mention", "bob@example.com", 15, 0, 15},
		{"after =", "a=@alice@example.social", 23, 0, 23},
		{"after /", "/@alice@example.social", 22, 0, 22},
		{"followed by another @", "@alice@example.social@x", 23, 0, 23},
		{"followed by a Latin accent", "@aliceé", 7, 0, 7},
		{"followed by ://", "@alice@example://", 17, 0, 17},
		{"bare @", "@ @@ x@", 7, 0, 7},
		{"dangling domain @", "@alice@ hi", 10, 0, 10},
		{"bluesky handle", "@alice.bsky.social", 18, 1, 18},
		{"inside a URL it is part of the link", "https://example.com/x,@alice@example.social", 23, 0, 43},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := CountText(mastodonRules(), tt.text)
			if m.Chars != tt.mastodon || m.Mentions != tt.mentions {
				t.Errorf("Mastodon: %q = %d chars, %d mentions; want %d, %d", tt.text, m.Chars, m.Mentions, tt.mastodon, tt.mentions)
			}
			if b := CountText(blueskyRules(), tt.text); b.Chars != tt.bluesky {
				t.Errorf("Bluesky: %q = %d chars, want %d", tt.text, b.Chars, tt.bluesky)
			}
		})
	}
}

func TestCountFields(t *testing.T) {
	c := CountText(mastodonRules(), "hi https://example.com/a @bob@example.org")
	want := Count{Chars: 3 + 23 + 1 + 4, Bytes: 41, Max: 500, Remaining: 500 - 31, URLs: 1, Mentions: 1, Fits: 41}
	if c != want {
		t.Errorf("got %+v, want %+v", c, want)
	}
	b := CountText(blueskyRules(), "héllo")
	if b.MaxBytes != 3000 || b.Bytes != 6 || b.Remaining != 295 {
		t.Errorf("got %+v", b)
	}
	if n := CountText(network.Rules{}, "abc"); n.Remaining != 0 || n.Max != 0 {
		t.Errorf("no limit: got %+v", n)
	}
}

// TestWeightIsExact compares the arithmetic weight with writing the "x"s
// out, next to characters that join a cluster from either side (xurls
// takes most non-ASCII characters after a link into it, so the ones after
// it mostly test that).
func TestWeightIsExact(t *testing.T) {
	edges := []string{"", " ", "\u0600" /* Prepend */, "\u0301" /* Extend */, "\u200d", "\u0903", "🇫", "👍", "\r"}
	for _, before := range edges {
		for _, after := range edges {
			for _, w := range []int{1, 2, 23} {
				text := before + "https://example.com/x" + after
				got := CountText(network.Rules{URLWeight: w}, text)
				s := linkScanner{text: text, mastodon: true}
				l, ok := s.next()
				if !ok {
					t.Fatalf("no link in %+q", text)
				}
				want := uniseg.GraphemeClusterCount(text[:l.start] + strings.Repeat("x", w) + text[l.end:])
				if got.URLs != 1 || got.Chars != want {
					t.Errorf("%+q at weight %d: %d, want %d", text, w, got.Chars, want)
				}
			}
		}
	}
	if c := CountText(network.Rules{URLWeight: 1 << 40}, "https://example.com"); c.Chars != 1<<40 {
		t.Errorf("huge weight: %d", c.Chars)
	}
}

func TestContentWarningCounts(t *testing.T) {
	c := countWith(mastodonRules(), "spoiler", "text https://example.com/x")
	if c.Chars != 7+5+23 || c.ContentWarning != 7 || c.Bytes != 26 {
		t.Errorf("got %+v", c)
	}
	// Joined before counting, as Mastodon does: an accent at the start of
	// the text combines with the warning's last letter.
	if c := countWith(network.Rules{}, "e", "\u0301"); c.Chars != 1 {
		t.Errorf("joined count = %d, want 1", c.Chars)
	}
}

func TestKnownSchemesAndTLDs(t *testing.T) {
	for _, s := range []string{"http", "HTTPS", "gemini", "web+ap", "xmpp", "view-source", "ftp"} {
		if !knownScheme(s) {
			t.Errorf("knownScheme(%q) = false", s)
		}
	}
	if knownScheme("notascheme") {
		t.Error("knownScheme(notascheme) = true")
	}
	for _, tld := range []string{"com", "social", "COM", "jp", "みんな"} {
		if !knownTLD(tld) {
			t.Errorf("knownTLD(%q) = false", tld)
		}
	}
	if knownTLD("notatld") {
		t.Error("knownTLD(notatld) = true")
	}
	if len(schemes) != len(xurls.Schemes)+len(xurls.SchemesUnofficial) || len(tlds) != len(xurls.TLDs) {
		t.Error("sorted copies lost entries")
	}
}

func TestNumberFormatting(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1500: "1,500", 1234567: "1,234,567", -1500: "-1,500"} {
		if got := number(n); got != want {
			t.Errorf("number(%d) = %q, want %q", n, got, want)
		}
	}
	tests := []struct {
		size, limit int64
		s, l        string
	}{
		{2_400_000, 1_000_000, "2.4 MB", "1 MB"},
		{1_000_100, 1_000_000, "1,000,100 bytes", "1,000,000 bytes"},
		{20 << 20, 16 << 20, "20 MB", "16 MB"},
		{17_000_000, 16 << 20, "16.2 MB", "16 MB"},
		{60_000_000, 50_000_000, "60 MB", "50 MB"},
		{2048, 1000, "2 KB", "1 KB"},
		{2, 1, "2 bytes", "1 byte"},
	}
	for _, tt := range tests {
		if s, l := sizePair(tt.size, tt.limit); s != tt.s || l != tt.l {
			t.Errorf("sizePair(%d, %d) = %q, %q; want %q, %q", tt.size, tt.limit, s, l, tt.s, tt.l)
		}
	}
}

// TestSimpleRunes checks graphemes' fast path against uniseg for every
// simple rune next to a character of every grapheme break class.
func TestSimpleRunes(t *testing.T) {
	others := []string{
		"a", "\r", "\n", "\r\n", "\t", "\u0301" /* Extend */, "\u200d" /* ZWJ */, "\u0903", /* SpacingMark */
		"\u0600" /* Prepend */, "🇫" /* RI */, "\u1100", "\u1161", "\u11a8", "가", "각", /* Hangul */
		"©" /* ExtPict */, "👍", "\u00ad" /* Control */, "é", "日", "あ", "\ufe0f", "\U0001F3FD", "",
	}
	var simple int
	for r := rune(0); r <= 0x10FFFF; r++ {
		if !simpleRune(r) || !utf8.ValidRune(r) {
			continue
		}
		simple++
		c := string(r)
		for _, o := range others {
			for _, s := range []string{c + o, o + c, c + c + o, o + c + c, c + o + c, o + c + o} {
				if got, want := graphemes(s), uniseg.GraphemeClusterCount(s); got != want {
					t.Fatalf("graphemes(%+q) = %d, uniseg says %d", s, got, want)
				}
			}
		}
	}
	if simple < 20000 {
		t.Errorf("only %d simple runes", simple)
	}
}
