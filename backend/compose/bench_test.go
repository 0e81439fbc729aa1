package compose

import (
	"strings"
	"testing"

	"github.com/rivo/uniseg"

	"herald/backend/network"
)

// post5000 is a long post of exactly 5,000 graphemes: prose with a few
// links, emoji (skin tones, a ZWJ family, flags), accents, CJK and
// mentions. With links = true every paragraph carries two links (24
// in all), a stress case for the link scan.
func post5000(tb testing.TB, links bool) string {
	tb.Helper()
	prose := "Launch notes for the spring release 🎉 — thanks to everyone who tested the betas. " +
		"Café crème for the whole team 👍🏽 " + family + " 🇫🇷 and a few words in Japanese: 日本語のテキストも少し。 " +
		"Scheduling, threads and alt text all work offline now, and the queue survives a restart.\n\n"
	withLinks := "Details at https://example.com/blog/2026/spring-release?utm_source=herald and the docs at " +
		"https://docs.example.org/guide/getting-started#install — thanks @alice@example.social and @bob!\n\n"
	var b strings.Builder
	b.WriteString(withLinks) // two links and two mentions up front
	for i := 0; uniseg.GraphemeClusterCount(b.String()) < 5000; i++ {
		b.WriteString(prose)
		if links || i == 6 {
			b.WriteString(withLinks) // the "few" case: four links, four mentions
		}
	}
	text, n, state := b.String(), 0, -1
	for i := 0; ; {
		var cl string
		cl, _, _, state = uniseg.FirstGraphemeClusterInString(text[i:], state)
		i += len(cl)
		if n++; n == 5000 {
			text = text[:i]
			break
		}
	}
	if g := uniseg.GraphemeClusterCount(text); g != 5000 {
		tb.Fatalf("fixture has %d graphemes", g)
	}
	return text
}

func BenchmarkValidate5000(b *testing.B) {
	few, many := post5000(b, false), post5000(b, true)
	media := []MediaInfo{{Name: "a.jpg", MIME: "image/jpeg", Size: 500_000, AltText: "A cat on a keyboard"}}
	for _, bc := range []struct {
		name  string
		rules network.Rules
		net   string
		text  string
	}{
		{"mastodon", mastodonRules(), mastodonName, few},
		{"bluesky", blueskyRules(), blueskyName, few},
		{"mastodon-24-links", mastodonRules(), mastodonName, many},
		{"bluesky-24-links", blueskyRules(), blueskyName, many},
	} {
		b.Run(bc.name, func(b *testing.B) {
			text := bc.text
			v := Variant{Text: text, Media: media}
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				res := Validate(bc.rules, bc.net, v)
				if res.OK {
					b.Fatal("a 5,000-character post passed")
				}
			}
		})
	}
}

func BenchmarkCountText5000(b *testing.B) {
	text := post5000(b, false)
	for _, bc := range []struct {
		name  string
		rules network.Rules
	}{
		{"mastodon", mastodonRules()},
		{"bluesky", blueskyRules()},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				CountText(bc.rules, text)
			}
		})
	}
}

// BenchmarkGraphemes compares the ASCII fast path with plain uniseg.
func BenchmarkGraphemes(b *testing.B) {
	text := post5000(b, false)
	b.Run("compose", func(b *testing.B) {
		for b.Loop() {
			graphemes(text)
		}
	})
	b.Run("uniseg", func(b *testing.B) {
		for b.Loop() {
			uniseg.GraphemeClusterCount(text)
		}
	})
}

// BenchmarkStrictWholeText is what scanning the whole post with
// xurls.Strict would cost, for comparison with the windowed scan.
func BenchmarkStrictWholeText(b *testing.B) {
	text := post5000(b, false)
	for b.Loop() {
		strictURL.FindAllStringIndex(text, -1)
	}
}

func TestBenchFixture(t *testing.T) {
	for _, links := range []bool{false, true} {
		text := post5000(t, links)
		m := CountText(mastodonRules(), text)
		t.Logf("links=%v: %d bytes, %d URLs, %d mentions, Mastodon counts %d", links, len(text), m.URLs, m.Mentions, m.Chars)
		if m.URLs < 4 || m.Mentions < 4 {
			t.Errorf("fixture has %d URLs and %d mentions", m.URLs, m.Mentions)
		}
	}
}

// BenchmarkCountTextPathological: pasted junk must stay linear. 20,000
// bytes of near-links in one run without spaces, and a 20,000-byte run of
// scheme characters before a "://".
func BenchmarkCountTextPathological(b *testing.B) {
	for name, text := range map[string]string{
		"near-links":   strings.Repeat("http://(", 2500),
		"long-scheme":  strings.Repeat("HTTP", 5000) + "://example.com",
		"many-links":   strings.Repeat("https://example.com/a,", 900),
		"many-mention": strings.Repeat("@alice@example.social ", 900),
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				CountText(mastodonRules(), text)
			}
		})
	}
}
