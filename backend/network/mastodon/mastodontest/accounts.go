package mastodontest

import (
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Account is an account on the fake: a local one, or one of another
// server the fake knows (Domain set).
type Account struct {
	ID          string
	Username    string
	DisplayName string
	Avatar      string
	// URL is the profile page; defaults to {server}/@username, or
	// https://{Domain}/@username for a remote account.
	URL string
	// Note is the bio as plain text; the API shows it as HTML.
	Note string
	// Domain is the server of a remote account; empty for a local one.
	Domain string
}

// Acct is the account's acct: the username, with @domain for a remote
// account.
func (a Account) Acct() string {
	if a.Domain != "" {
		return a.Username + "@" + a.Domain
	}
	return a.Username
}

// DefaultAccount is the account every fake starts with, signed in at the
// browser.
func DefaultAccount() Account {
	return Account{ID: "109384924382956001", Username: "alice", DisplayName: "Alice Example"}
}

// AddAccount registers another local account (an ID is assigned when
// empty) and returns it as stored.
func (s *Server) AddAccount(a Account) Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.serial++
	if a.ID == "" {
		a.ID = strconv.Itoa(109384924382956000 + s.serial)
	}
	if a.URL == "" && a.Domain != "" {
		a.URL = "https://" + a.Domain + "/@" + a.Username
	} else if a.URL == "" {
		a.URL = s.srv.URL + "/@" + a.Username
	}
	if a.Avatar == "" {
		a.Avatar = s.srv.URL + "/avatars/original/missing.png"
	}
	s.accounts = append(s.accounts, a)
	if s.signedIn == "" {
		s.signedIn = a.ID
	}
	return a
}

// Accounts lists the fake's accounts.
func (s *Server) Accounts() []Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Account(nil), s.accounts...)
}

// Account returns the first account (DefaultAccount as stored).
func (s *Server) Account() Account { return s.Accounts()[0] }

// SignInAs makes the person at the browser signed in as the account with
// id: the next Approve authorizes that account.
func (s *Server) SignInAs(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.signedIn = id
}

func (s *Server) accountByID(id string) (Account, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.accounts {
		if a.ID == id {
			return a, true
		}
	}
	return Account{}, false
}

// https://docs.joinmastodon.org/methods/accounts/#verify_credentials
func (s *Server) verifyCredentials(w http.ResponseWriter, r *http.Request) {
	g, ok := s.authenticate(w, r, "read", "read:accounts", "profile")
	if !ok {
		return
	}
	a, ok := s.accountByID(g.accountID)
	if !ok {
		writeError(w, http.StatusUnauthorized, "The access token is invalid")
		return
	}
	s.mu.Lock()
	out := s.accountJSONLocked(a)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// authenticate checks the bearer token and that it carries one of the
// scopes; it writes Mastodon's error and returns false when not.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, scopes ...string) (grant, bool) {
	s.mu.Lock()
	g, ok := s.tokens[bearer(r)]
	var cp grant
	if ok {
		cp = *g
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusUnauthorized, "The access token is invalid")
		return grant{}, false
	}
	if !cp.hasAnyScope(scopes...) {
		writeError(w, http.StatusForbidden, "This action is outside the authorized scopes")
		return grant{}, false
	}
	return cp, true
}

// accountJSONLocked is accountJSON with the account's counts as they
// are now; the caller holds s.mu.
func (s *Server) accountJSONLocked(a Account) map[string]any {
	out := accountJSON(a)
	followers, following, statuses := s.accountCountsLocked(a.ID)
	out["followers_count"], out["following_count"], out["statuses_count"] = followers, following, statuses
	return out
}

// accountJSON is a CredentialAccount, its counts 0.
//
// https://docs.joinmastodon.org/entities/Account/#CredentialAccount
func accountJSON(a Account) map[string]any {
	note := ""
	if a.Note != "" {
		note = "<p>" + html.EscapeString(a.Note) + "</p>"
	}
	return map[string]any{
		"id":              a.ID,
		"username":        a.Username,
		"acct":            a.Acct(),
		"display_name":    a.DisplayName,
		"locked":          false,
		"bot":             false,
		"discoverable":    true,
		"group":           false,
		"created_at":      time.Date(2022, 11, 20, 0, 0, 0, 0, time.UTC).Format(time.RFC3339),
		"note":            note,
		"url":             a.URL,
		"avatar":          a.Avatar,
		"avatar_static":   a.Avatar,
		"header":          strings.Replace(a.Avatar, "avatars", "headers", 1),
		"header_static":   strings.Replace(a.Avatar, "avatars", "headers", 1),
		"followers_count": 0,
		"following_count": 0,
		"statuses_count":  0,
		"last_status_at":  nil,
		"emojis":          []any{},
		"fields":          []any{},
		"source": map[string]any{
			"privacy":   "public",
			"sensitive": false,
			"language":  "",
			"note":      "",
			"fields":    []any{},
		},
	}
}
