package bluesky

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// want is one expected span: its kind, the exact text it covers, and the
// link target or handle.
type want struct {
	kind   spanKind
	text   string
	target string
}

func link(text, uri string) want { return want{spanLink, text, uri} }
func mention(text string) want {
	return want{spanMention, text, strings.ToLower(strings.TrimPrefix(text, "@"))}
}

func TestDetectSpans(t *testing.T) {
	cases := []struct {
		name string
		text string
		want []want
		// start, when given, is the expected byteStart of the first span.
		start int
	}{
		{"plain link", "Hello https://example.com", []want{link("https://example.com", "https://example.com")}, 6},
		{"emoji before a link: offsets are UTF-8 bytes",
			"🦋✨ see https://bsky.app/profile/herald!", []want{link("https://bsky.app/profile/herald", "https://bsky.app/profile/herald")}, 4 + 3 + 5},
		{"family emoji (ZWJ sequence) before a link", "👨‍👩‍👧 https://a.example.org/x",
			[]want{link("https://a.example.org/x", "https://a.example.org/x")}, len("👨‍👩‍👧 ")},
		{"multi-byte text and a non-ASCII URL", "Grüße aus Köln: https://köln.de/straße?q=ä",
			[]want{link("https://köln.de/straße?q=ä", "https://köln.de/straße?q=ä")}, len("Grüße aus Köln: ")},
		{"CJK before a link", "日本語のテキスト https://example.jp/パス", []want{link("https://example.jp/パス", "https://example.jp/パス")}, 0},
		{"trailing punctuation is not part of the link", "Read https://example.com/a.html, then https://example.com/b?",
			[]want{link("https://example.com/a.html", "https://example.com/a.html"), link("https://example.com/b", "https://example.com/b")}, 0},
		{"a link in parentheses", "(see https://example.com/docs)",
			[]want{link("https://example.com/docs", "https://example.com/docs")}, 0},
		{"balanced parentheses stay in the URL", "(https://en.wikipedia.org/wiki/Go_(language))",
			[]want{link("https://en.wikipedia.org/wiki/Go_(language)", "https://en.wikipedia.org/wiki/Go_(language)")}, 1},
		{"upper-case scheme kept as written", "GO TO HTTPS://EXAMPLE.COM/X", []want{link("HTTPS://EXAMPLE.COM/X", "HTTPS://EXAMPLE.COM/X")}, 6},
		{"bare domain gets https://", "visit herald.app.", []want{link("herald.app", "https://herald.app")}, 6},
		{"bare domain with a path", "docs at go.dev/doc/effective_go!", []want{link("go.dev/doc/effective_go", "https://go.dev/doc/effective_go")}, 0},
		{"link after a newline, a tab and a no-break space", "a\nhttps://x.org b\thttps://y.org c\u00a0https://z.org",
			[]want{link("https://x.org", "https://x.org"), link("https://y.org", "https://y.org"), link("https://z.org", "https://z.org")}, 2},
		{"not links: abbreviations, file names, numbers, a bare scheme", "e.g. i.e. file.txt v1.2.3 3.14 https:// http://", nil, 0},
		{"not a link inside a word", "foohttps://example.com and foo@example.com/x", nil, 0},
		{"an email is neither link nor mention", "mail bob@example.com", nil, 0},
		{"mention", "hi @alice.bsky.social!", []want{mention("@alice.bsky.social")}, 3},
		{"mention after emoji", "🎉🎉 @Bob.Example.com, welcome", []want{mention("@Bob.Example.com")}, 9},
		{"mention with the .test TLD of test networks", "(@carol.test)", []want{mention("@carol.test")}, 1},
		{"not mentions", "@alice @-x.com @name_x.com @1.2 @@bob.com", nil, 0},
		{"a mention inside a link is part of the link", "https://example.com/(@dave.com)",
			[]want{link("https://example.com/(@dave.com)", "https://example.com/(@dave.com)")}, 0},
		{"links and mentions in order", "@a.bsky.social see https://x.com and @b.bsky.social",
			[]want{mention("@a.bsky.social"), link("https://x.com", "https://x.com"), mention("@b.bsky.social")}, 0},
		{"empty", "", nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := detectSpans(tc.text)
			checkSpans(t, tc.text, got)
			if len(got) != len(tc.want) {
				t.Fatalf("detectSpans(%q) = %+v, want %d spans", tc.text, got, len(tc.want))
			}
			for i, w := range tc.want {
				g := got[i]
				target := g.uri
				if g.kind == spanMention {
					target = g.handle
				}
				if g.kind != w.kind || tc.text[g.start:g.end] != w.text || target != w.target {
					t.Errorf("span %d = kind %d %q → %q, want kind %d %q → %q", i, g.kind, tc.text[g.start:g.end], target, w.kind, w.text, w.target)
				}
			}
			if tc.start != 0 && got[0].start != tc.start {
				t.Errorf("first span starts at byte %d, want %d", got[0].start, tc.start)
			}
		})
	}
}

// checkSpans asserts what every facet must satisfy: a range inside the
// text on UTF-8 boundaries, in order and not overlapping, covering exactly
// the link (or "@" and the handle).
func checkSpans(t *testing.T, text string, spans []span) {
	t.Helper()
	prevEnd := 0
	for _, s := range spans {
		if s.start < prevEnd || s.start >= s.end || s.end > len(text) {
			t.Fatalf("span [%d,%d) of %q is out of range or order (previous end %d)", s.start, s.end, text, prevEnd)
		}
		if !utf8.RuneStart(text[s.start]) || (s.end < len(text) && !utf8.RuneStart(text[s.end])) {
			t.Fatalf("span [%d,%d) of %q splits a character", s.start, s.end, text)
		}
		covered := text[s.start:s.end]
		switch s.kind {
		case spanLink:
			if s.uri != covered && s.uri != "https://"+covered {
				t.Fatalf("link %q covers %q", s.uri, covered)
			}
		case spanMention:
			if !strings.EqualFold(covered, "@"+s.handle) {
				t.Fatalf("mention of %q covers %q", s.handle, covered)
			}
		}
		prevEnd = s.end
	}
}

func FuzzDetectSpans(f *testing.F) {
	for _, seed := range []string{
		"Hello https://example.com", "🦋✨ see https://bsky.app/profile/herald!", "(https://en.wikipedia.org/wiki/Go_(language))",
		"hi @alice.bsky.social!", "visit herald.app.", "https://example.com/(@dave.com)", "e.g. file.txt", "@@a.com@b.com",
		"a\u00a0https://z.org\u2028@x.test", "\xff\xfehttps://x.com \xc3", "(((https://a.b/)))))", "@a.b.c.d.e.f.g.h.com...",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		spans := detectSpans(text) // must never panic, valid UTF-8 or not
		if utf8.ValidString(text) {
			checkSpans(t, text, spans)
		}
		clean := strings.ToValidUTF8(text, "\uFFFD")
		checkSpans(t, clean, detectSpans(clean))
	})
}

// BenchmarkDetectSpans covers a typical post and runs built to defeat a
// naive scanner; the cost must grow linearly with the text.
func BenchmarkDetectSpans(b *testing.B) {
	inputs := map[string]string{
		"post": "Big news 🎉 our new release is out: https://herald.example.com/blog/release-2-0 — thanks @alice.bsky.social " +
			"and @bob.bsky.social for testing (see docs.herald.app/changes)!",
	}
	for _, n := range []int{10_000, 100_000} {
		k := fmt.Sprint(n / 1000)
		inputs["parens-"+k+"k"] = strings.Repeat("(", n)
		inputs["empty-schemes-"+k+"k"] = strings.Repeat("(https:///", n/10)
		inputs["rejected-domains-"+k+"k"] = strings.Repeat("(a.com@", n/7)
		inputs["closing-"+k+"k"] = strings.Repeat("(", n/2) + "https://x.com" + strings.Repeat(")", n/2)
		inputs["mentions-"+k+"k"] = strings.Repeat("(@a.com", n/7)
	}
	for name, text := range inputs {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				detectSpans(text)
			}
		})
	}
}
