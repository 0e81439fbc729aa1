package mastodontest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// App is an application registered through POST /api/v1/apps.
type App struct {
	ID           string
	Name         string
	Website      string
	RedirectURIs []string
	Scopes       []string
	ClientID     string
	ClientSecret string
}

// Apps lists the registered applications.
func (s *Server) Apps() []App {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]App, 0, len(s.apps))
	for _, a := range s.apps {
		out = append(out, *a)
	}
	return out
}

// https://docs.joinmastodon.org/methods/apps/#create
func (s *Server) createApp(w http.ResponseWriter, r *http.Request) {
	p, err := params(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "Could not parse request body")
		return
	}
	name := strings.TrimSpace(p.Get("client_name"))
	if name == "" {
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: Application name can't be blank")
		return
	}
	var uris []string
	for _, v := range p["redirect_uris"] {
		uris = append(uris, strings.Fields(v)...)
	}
	if len(uris) == 0 {
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: Redirect URI can't be blank")
		return
	}
	for _, u := range uris {
		pu, err := url.Parse(u)
		if u != "urn:ietf:wg:oauth:2.0:oob" && (err != nil || !pu.IsAbs() || pu.Host == "" || pu.Fragment != "") {
			writeError(w, http.StatusUnprocessableEntity, "Validation failed: Redirect URI must be an absolute URI.")
			return
		}
	}
	scopes := strings.Fields(p.Get("scopes"))
	if len(scopes) == 0 {
		scopes = []string{"read"}
	}
	for _, sc := range scopes {
		if !validScope(sc) {
			writeError(w, http.StatusUnprocessableEntity, "Validation failed: Scopes must be valid")
			return
		}
	}
	s.mu.Lock()
	s.serial++
	a := &App{
		ID: strconv.Itoa(s.serial), Name: name, Website: p.Get("website"),
		RedirectURIs: uris, Scopes: scopes,
		ClientID: randomString(16), ClientSecret: randomString(16),
	}
	s.apps[a.ClientID] = a
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"id":                       a.ID,
		"name":                     a.Name,
		"website":                  nilIfEmpty(a.Website),
		"scopes":                   a.Scopes,
		"redirect_uri":             strings.Join(a.RedirectURIs, "\n"),
		"redirect_uris":            a.RedirectURIs,
		"client_id":                a.ClientID,
		"client_secret":            a.ClientSecret,
		"client_secret_expires_at": 0,
	})
}

func validScope(s string) bool {
	switch s {
	case "read", "write", "push", "follow", "profile", "admin:read", "admin:write":
		return true
	}
	return strings.HasPrefix(s, "read:") || strings.HasPrefix(s, "write:") ||
		strings.HasPrefix(s, "admin:read:") || strings.HasPrefix(s, "admin:write:")
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
