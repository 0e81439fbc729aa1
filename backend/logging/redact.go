package logging

import (
	"regexp"
	"strings"
)

// Redacted replaces a secret in logs, events and error text.
const Redacted = "[REDACTED]"

var secretKeyWords = []string{
	"token", "secret", "password", "passwd", "authorization", "cookie",
	"jwt", "verifier", "apikey", "api_key", "credential", "session",
}

// sensitiveKey says whether an attribute name names a secret
// ("access_token", "refreshJwt", "client_secret", "Authorization").
func sensitiveKey(key string) bool {
	k := strings.ToLower(key)
	for _, w := range secretKeyWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// secretName matches a parameter or field name that carries a secret.
const secretName = `(?i)(?:access_?token|refresh_?token|id_?token|client_?secret|app_?password|password|code_?verifier|access_?jwt|refresh_?jwt|api_?key|token|code|secret)`

var patterns = []struct {
	re   *regexp.Regexp
	repl string
}{
	// Authorization headers: "Bearer abc", "DPoP abc", "Basic abc".
	{regexp.MustCompile(`(?i)\b(Bearer|DPoP|Basic)\s+[^\s"',;]+`), "$1 " + Redacted},
	// JSON fields: "access_token":"abc" or "accessJwt": "abc".
	{regexp.MustCompile(`("` + secretName + `"\s*:\s*")[^"]*(")`), "${1}" + Redacted + "${2}"},
	// Query strings and forms: access_token=abc&...
	{regexp.MustCompile(`\b(` + secretName + `=)[^&\s"']+`), "${1}" + Redacted},
	// Bare JWTs anywhere.
	{regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*`), Redacted},
}

// Redact scrubs credentials from free text: bearer headers, JSON token
// fields, query parameters and JWTs. Use it on anything that came from a
// network or an error before it is logged, stored or shown.
func Redact(s string) string {
	for _, p := range patterns {
		s = p.re.ReplaceAllString(s, p.repl)
	}
	return s
}
