package mastodon_test

import (
	"html"
	"strings"
	"testing"
	"unicode/utf8"

	"herald/backend/network/mastodon"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"one paragraph", "<p>Hello world</p>", "Hello world"},
		{"paragraphs become a blank line", "<p>One</p><p>Two</p>", "One\n\nTwo"},
		{"br becomes a newline", "<p>One<br>Two<br />Three</p>", "One\nTwo\nThree"},
		{"br at a paragraph end", "<p>One<br /></p><p>Two</p>", "One\n\nTwo"},
		{"entities are unescaped", "<p>Fish &amp; chips &lt;3 &quot;yes&quot; &#39;no&#39; caf&eacute;</p>", `Fish & chips <3 "yes" 'no' café`},
		{"a long link reads in full", `<p>See <a href="https://example.com/a/very/long/path/that/mastodon/cuts" rel="nofollow noopener" target="_blank">` +
			`<span class="invisible">https://</span><span class="ellipsis">example.com/a/very/long/path/th</span>` +
			`<span class="invisible">at/mastodon/cuts</span></a> now</p>`, "See https://example.com/a/very/long/path/that/mastodon/cuts now"},
		{"a mention shows the user", `<p>Hi <span class="h-card" translate="no"><a href="https://x.example/@bob" class="u-url mention">@<span>bob</span></a></span>!</p>`, "Hi @bob!"},
		{"a hashtag", `<p><a href="https://x.example/tags/go" class="mention hashtag" rel="tag">#<span>go</span></a> rocks</p>`, "#go rocks"},
		{"emoji and plain text", "Just text ✨", "Just text ✨"},
		{"lists", "<ul><li>a</li><li>b</li></ul><p>c</p>", "a\nb\n\nc"},
		{"empty", "", ""},
		{"broken markup", "<p>unclosed <b>bold", "unclosed bold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mastodon.HTMLToText(tt.in); got != tt.want {
				t.Errorf("htmlToText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"white space collapses", "  Hello \n\n world\t! ", "Hello world !"},
		{"mention domains go", "Hi @bob@other.social and @carol@x.example:3000, @dave", "Hi @bob and @carol, @dave"},
		{"e-mail addresses stay", "write to bob@example.com", "write to bob@example.com"},
		{"a mention at the start", "@bob@example.com hello", "@bob hello"},
		{"a link with @ stays", "https://example.com/@bob@example.com", "https://example.com/@bob@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mastodon.NormalizeText(tt.in); got != tt.want {
				t.Errorf("normalizeText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzHTMLToText checks that any escaped plain text in a paragraph comes
// back as itself, and that no input makes it panic or emit bad UTF-8.
func FuzzHTMLToText(f *testing.F) {
	for _, s := range []string{"Hello", "a < b & c > d", "<p>x</p>", "café ✨", "&amp;amp;", "  spaced  "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := mastodon.HTMLToText(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("htmlToText(%q) = %q, not valid UTF-8", s, out)
		}
		if !utf8.ValidString(s) || strings.ContainsAny(s, "\r\x00\n") {
			return
		}
		want := strings.TrimSpace(s)
		if got := mastodon.HTMLToText("<p>" + html.EscapeString(s) + "</p>"); got != want {
			t.Fatalf("htmlToText(<p>escaped %q</p>) = %q, want %q", s, got, want)
		}
	})
}
