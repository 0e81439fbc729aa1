package oauth

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
)

// pageCSS is the only style the pages use. It is inline (the page must
// not fetch anything) and allowed by its hash in the CSP, so nothing else
// can run or load even if a network's text slipped past escaping.
const pageCSS = `:root{color-scheme:light dark;--fg:#1f2328;--bg:#f6f8fa;--card:#fff;--ok:#1a7f37;--err:#cf222e}` +
	`@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--card:#161b22;--ok:#3fb950;--err:#f85149}}` +
	`body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;` +
	`font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}` +
	`main{max-width:32rem;margin:1rem;padding:2rem;border-radius:12px;background:var(--card);` +
	`box-shadow:0 1px 3px rgba(0,0,0,.12);border-top:4px solid var(--err)}` +
	`main.ok{border-top-color:var(--ok)}h1{margin:0 0 .75rem;font-size:1.4rem}p{margin:.5rem 0}`

const pageHTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Heading}} · {{.App}}</title>
<style>` + pageCSS + `</style>
</head>
<body>
<main{{if .OK}} class="ok"{{end}}>
<h1>{{.Heading}}</h1>
{{range .Lines}}<p>{{.}}</p>
{{end}}</main>
</body>
</html>
`

// page is what the browser is told; html/template escapes every field.
type page struct {
	App     string
	Heading string
	Lines   []string
	OK      bool
}

// contentSecurityPolicy allows exactly our inline style and nothing else.
func contentSecurityPolicy() string {
	sum := sha256.Sum256([]byte(pageCSS))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
		"'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}

func (l *Loopback) outcomePage(err error) page {
	again := "Return to " + l.appName + " to try again."
	var d *DeniedError
	switch {
	case err == nil:
		return page{App: l.appName, OK: true, Heading: "You're signed in",
			Lines: []string{"You're signed in — you can close this tab and return to " + l.appName + "."}}
	case errors.Is(err, ErrStateMismatch):
		return page{App: l.appName, Heading: "This sign-in link is not current",
			Lines: []string{"This link is not from " + l.appName + "'s current sign-in, so it was ignored.", again}}
	case asDenied(err, &d) && d.Code == AccessDenied:
		return page{App: l.appName, Heading: "Access not granted",
			Lines: []string{"You declined access, so " + l.appName + " was not connected.", again}}
	case asDenied(err, &d):
		return page{App: l.appName, Heading: "Sign-in refused", Lines: []string{d.Error(), again}}
	case errors.Is(err, ErrMissingCode):
		return page{App: l.appName, Heading: "Sign-in incomplete",
			Lines: []string{"The network sent you back without an authorization code.", again}}
	default:
		return page{App: l.appName, Heading: "Sign-in failed", Lines: []string{again}}
	}
}

func (l *Loopback) finishedPage() page {
	return page{App: l.appName, Heading: "Sign-in already finished",
		Lines: []string{"This sign-in is already finished; this answer was ignored. You can close this tab and return to " + l.appName + "."}}
}

// writePage renders p whole before writing, with a Content-Length, and
// flushes it: the listener may be torn down as soon as the handler
// returns, and the browser must still get the full page.
func (l *Loopback) writePage(w http.ResponseWriter, status int, p page) {
	var buf bytes.Buffer
	if err := l.tmpl.Execute(&buf, p); err != nil {
		l.log.Error("oauth loopback: rendering page", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", l.csp)
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	if _, err := w.Write(buf.Bytes()); err != nil {
		l.log.Debug("oauth loopback: writing page", "err", err)
		return
	}
	if err := http.NewResponseController(w).Flush(); err != nil {
		l.log.Debug("oauth loopback: flushing page", "err", err)
	}
}
