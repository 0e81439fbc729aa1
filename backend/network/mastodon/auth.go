package mastodon

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"herald/backend/network"
)

// app is the answer to POST /api/v1/apps.
type app struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

// token is the answer to POST /oauth/token. Mastodon tokens carry no
// expires_in and no refresh_token: they live until revoked.
type token struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	Scope       string `json:"scope"`
	CreatedAt   int64  `json:"created_at"`
}

// BeginAuth confirms instance is a Mastodon-API server, registers Herald
// there for exactly redirectURI, and returns the authorize URL to open.
func (c *Client) BeginAuth(ctx context.Context, instance, redirectURI, state, codeChallenge string) (network.AuthRequest, error) {
	const op = "register app"
	base, err := normalize(op, instance)
	if err != nil {
		return network.AuthRequest{}, err
	}
	if err := c.probe(ctx, base); err != nil {
		return network.AuthRequest{}, err
	}
	// https://docs.joinmastodon.org/methods/apps/#create
	form := url.Values{
		"client_name":   {c.clientName},
		"redirect_uris": {redirectURI},
		"scopes":        {c.scopes},
	}
	if c.website != "" {
		form.Set("website", c.website)
	}
	var a app
	if err := c.call(ctx, op, http.MethodPost, base+"/api/v1/apps", "", form, &a); err != nil {
		return network.AuthRequest{}, err
	}
	if a.ClientID == "" || a.ClientSecret == "" {
		return network.AuthRequest{}, &network.Error{Network: ID, Op: op, Class: network.ClassTransient,
			Message: "the server registered Herald but returned no client credentials"}
	}
	// https://docs.joinmastodon.org/methods/oauth/#authorize
	q := url.Values{
		"response_type":         {"code"},
		"client_id":             {a.ClientID},
		"redirect_uri":          {redirectURI},
		"scope":                 {c.scopes},
		"state":                 {state},
		"code_challenge":        {codeChallenge},
		"code_challenge_method": {"S256"},
	}
	return network.AuthRequest{
		AuthURL: base + "/oauth/authorize?" + q.Encode(),
		Client:  network.Credential{Kind: "oauth2", ClientID: a.ClientID, ClientSecret: a.ClientSecret, Scope: c.scopes},
	}, nil
}

// Exchange trades the authorization code for an access token.
//
// https://docs.joinmastodon.org/methods/oauth/#token
func (c *Client) Exchange(ctx context.Context, instance string, req network.AuthRequest, code, codeVerifier, redirectURI string) (network.Credential, error) {
	const op = "sign in"
	base, err := normalize(op, instance)
	if err != nil {
		return network.Credential{}, err
	}
	scope := req.Client.Scope
	if scope == "" {
		scope = c.scopes
	}
	form := url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"client_id":     {req.Client.ClientID},
		"client_secret": {req.Client.ClientSecret},
		"redirect_uri":  {redirectURI},
		"code_verifier": {codeVerifier},
		"scope":         {scope},
	}
	var t token
	if err := c.call(ctx, op, http.MethodPost, base+"/oauth/token", "", form, &t); err != nil {
		return network.Credential{}, signInError(err)
	}
	if t.AccessToken == "" {
		return network.Credential{}, &network.Error{Network: ID, Op: op, Class: network.ClassTransient,
			Message: "the server answered the sign-in without an access token; try connecting again"}
	}
	if t.Scope == "" {
		t.Scope = scope
	}
	return network.Credential{
		Kind:         "oauth2",
		AccessToken:  t.AccessToken,
		TokenType:    t.TokenType,
		Scope:        t.Scope,
		ClientID:     req.Client.ClientID,
		ClientSecret: req.Client.ClientSecret,
	}, nil
}

// signInError turns a refused code exchange into invalid input: no
// channel exists yet, so nothing is disconnected; the person simply
// signs in again (which registers Herald afresh).
func signInError(err error) error {
	var ne *network.Error
	if !errors.As(err, &ne) || ne.Status == 0 {
		return err
	}
	if ne.Status == http.StatusBadRequest || ne.Status == http.StatusUnauthorized || ne.Status == http.StatusForbidden {
		ne.Class = network.ClassInvalidInput
		ne.Message = "the server refused the sign-in; try connecting again"
		switch ne.Code {
		case "invalid_grant":
			ne.Message += " (the sign-in code was already used, expired or did not match)"
		case "invalid_client", "unauthorized_client":
			ne.Message += " (the server no longer knows Herald's registration)"
		}
	}
	return ne
}

// Revoke invalidates the credential's token on the server.
//
// https://docs.joinmastodon.org/methods/oauth/#revoke
func (c *Client) Revoke(ctx context.Context, instance string, cred network.Credential) error {
	const op = "revoke"
	base, err := normalize(op, instance)
	if err != nil {
		return err
	}
	form := url.Values{
		"client_id":     {cred.ClientID},
		"client_secret": {cred.ClientSecret},
		"token":         {cred.AccessToken},
	}
	err = c.call(ctx, op, http.MethodPost, base+"/oauth/revoke", "", form, nil)
	var ne *network.Error
	if errors.As(err, &ne) && (ne.Status == http.StatusNotFound || ne.Status == http.StatusMethodNotAllowed) {
		ne.Err = ErrRevokeUnsupported
		ne.Message = "this server cannot revoke Herald's access through its API; " +
			"remove Herald from the applications in your account settings on " + hostOf(base)
	}
	return err
}
