package mastodontest

import (
	"strconv"
	"strings"

	"herald/backend/network"
)

// RevokeAll invalidates every token and code the fake has issued, as a
// person removing Herald from their server's settings would.
func (s *Server) RevokeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
	clear(s.codes)
}

// RevokeToken invalidates one access token.
func (s *Server) RevokeToken(access string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, access)
}

// TokenValid says whether access is a live token.
func (s *Server) TokenValid(access string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.tokens[access]
	return ok
}

// Credential registers an app and issues a token for the account with
// accountID directly, skipping the browser: for tests that need a
// connected channel, not the connect flow. scopes defaults to "read write".
func (s *Server) Credential(accountID, scopes string) network.Credential {
	if scopes == "" {
		scopes = "read write"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.serial++
	now := s.now()
	a := &App{
		ID: strconv.Itoa(s.serial), Name: "Herald", RedirectURIs: []string{"http://127.0.0.1/callback"},
		Scopes: strings.Fields(scopes), ClientID: randomString(16), ClientSecret: randomString(16),
	}
	s.apps[a.ClientID] = a
	access := randomString(32)
	s.tokens[access] = &grant{clientID: a.ClientID, accountID: accountID, scopes: a.Scopes, created: now}
	return network.Credential{
		Kind: "oauth2", AccessToken: access, TokenType: "Bearer", Scope: scopes,
		ClientID: a.ClientID, ClientSecret: a.ClientSecret,
	}
}
