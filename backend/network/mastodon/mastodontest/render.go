package mastodontest

import (
	"html"
	"regexp"
	"strings"
)

// entityPattern finds what Mastodon's formatter turns into links: URLs,
// #hashtags and @mentions (with or without a domain).
var entityPattern = regexp.MustCompile(`(https?://[^\s<>"]+)|\B#(\w+)|\B@(\w+)(?:@([\w\-]+(?:\.[\w\-]+)*(?::\d+)?))?`)

var paragraphBreak = regexp.MustCompile(`\n[ \t]*\n+`)

// renderHTML formats plain text as Mastodon's TextFormatter does: HTML
// escaped, a paragraph per blank-line block, <br /> for a line break,
// links with their scheme (and the tail of a long one) hidden in
// spans, hashtags, and mentions of local accounts shown as @user.
func (s *Server) renderHTML(text string) string {
	var b strings.Builder
	for _, para := range paragraphBreak.Split(strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n")), -1) {
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br />")
			}
			s.renderLine(&b, line)
		}
		b.WriteString("</p>")
	}
	return b.String()
}

func (s *Server) renderLine(b *strings.Builder, line string) {
	last := 0
	for _, m := range entityPattern.FindAllStringSubmatchIndex(line, -1) {
		b.WriteString(html.EscapeString(line[last:m[0]]))
		last = m[1]
		whole := line[m[0]:m[1]]
		switch {
		case m[2] >= 0:
			b.WriteString(linkHTML(whole))
		case m[4] >= 0:
			tag := line[m[4]:m[5]]
			b.WriteString(`<a href="` + s.srv.URL + `/tags/` + html.EscapeString(strings.ToLower(tag)) +
				`" class="mention hashtag" rel="tag">#<span>` + html.EscapeString(tag) + `</span></a>`)
		default:
			user, domain := line[m[6]:m[7]], ""
			if m[8] >= 0 {
				domain = line[m[8]:m[9]]
			}
			a, ok := s.localAccount(user)
			if !ok || (domain != "" && !strings.EqualFold(domain, s.Host())) {
				b.WriteString(html.EscapeString(whole))
				continue
			}
			b.WriteString(`<span class="h-card" translate="no"><a href="` + html.EscapeString(a.URL) +
				`" class="u-url mention">@<span>` + html.EscapeString(a.Username) + `</span></a></span>`)
		}
	}
	b.WriteString(html.EscapeString(line[last:]))
}

// linkHTML is Mastodon's link markup: the scheme hidden, the first 30
// characters shown, the rest hidden behind an ellipsis.
func linkHTML(u string) string {
	scheme, rest, _ := strings.Cut(u, "://")
	scheme += "://"
	shown, hidden, class := rest, "", ""
	if len(rest) > 30 {
		shown, hidden, class = rest[:30], rest[30:], "ellipsis"
	}
	return `<a href="` + html.EscapeString(u) + `" target="_blank" rel="nofollow noopener" translate="no">` +
		`<span class="invisible">` + html.EscapeString(scheme) + `</span>` +
		`<span class="` + class + `">` + html.EscapeString(shown) + `</span>` +
		`<span class="invisible">` + html.EscapeString(hidden) + `</span></a>`
}

// localAccount finds a local account by username; the caller must not
// hold s.mu.
func (s *Server) localAccount(username string) (Account, bool) {
	for _, a := range s.Accounts() {
		if a.Domain == "" && strings.EqualFold(a.Username, username) {
			return a, true
		}
	}
	return Account{}, false
}
