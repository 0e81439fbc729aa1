package bluesky

import (
	"context"
	"maps"
	"net/http"
	"net/url"

	"herald/backend/network"
)

// Check proves the session still works with the cheapest authenticated
// call. An expired access token is network.ClassTokenExpired (refresh and
// retry), a revoked session network.ClassAuthDead.
// https://docs.bsky.app/docs/api/com-atproto-server-get-session
func (cl *Client) Check(ctx context.Context, instance string, cred network.Credential) error {
	const op = "check"
	if err := usable(op, cred); err != nil {
		return err
	}
	host, err := cl.apiHost(op, instance, cred)
	if err != nil {
		return err
	}
	var out struct {
		DID    string `json:"did"`
		Active *bool  `json:"active"`
		Status string `json:"status"`
	}
	err = cl.do(ctx, call{op: op, method: http.MethodGet, host: host, nsid: "com.atproto.server.getSession",
		token: cred.AccessToken, use: accessToken}, &out)
	if err != nil {
		return err
	}
	if did := cred.Extra[ExtraDID]; did != "" && out.DID != "" && out.DID != did {
		return &network.Error{Network: ID, Op: op, Class: network.ClassAuthDead,
			Message: "the stored Bluesky session belongs to another account; reconnect the account"}
	}
	return statusError(op, out.Active, out.Status)
}

// profile is the part of app.bsky.actor.defs#profileViewDetailed Herald shows.
type profile struct {
	DID         string `json:"did"`
	Handle      string `json:"handle"`
	DisplayName string `json:"displayName"`
	Avatar      string `json:"avatar"`
}

// Accounts returns the one account a Bluesky session acts as.
// https://docs.bsky.app/docs/api/app-bsky-actor-get-profile
func (cl *Client) Accounts(ctx context.Context, instance string, cred network.Credential) ([]network.Account, error) {
	const op = "list accounts"
	if err := usable(op, cred); err != nil {
		return nil, err
	}
	host, err := cl.apiHost(op, instance, cred)
	if err != nil {
		return nil, err
	}
	did := cred.Extra[ExtraDID]
	if did == "" {
		c, _ := parseJWT(cred.AccessToken)
		did = c.Sub
	}
	if !validDID(did) {
		return nil, &network.Error{Network: ID, Op: op, Class: network.ClassAuthDead,
			Message: "the stored Bluesky session names no account; reconnect the account"}
	}
	var p profile
	err = cl.do(ctx, call{op: op, method: http.MethodGet, host: host, nsid: "app.bsky.actor.getProfile",
		query: url.Values{"actor": {did}}, token: cred.AccessToken, use: accessToken}, &p)
	switch {
	case isClass(err, network.ClassContentRejected):
		// A new account may have no profile record yet; the session alone
		// is enough to connect it.
		p = profile{}
	case err != nil:
		return nil, err
	}
	handle := p.Handle
	if handle == "" {
		handle = cred.Extra[ExtraHandle]
	}
	pds := cred.Extra[ExtraPDS]
	if pds == "" {
		pds = host
	}
	c := cred
	c.Extra = maps.Clone(cred.Extra)
	if c.Extra == nil {
		c.Extra = map[string]string{}
	}
	c.Extra[ExtraDID], c.Extra[ExtraHandle], c.Extra[ExtraPDS] = did, handle, pds
	return []network.Account{{
		RemoteID:    did,
		Kind:        "account",
		Handle:      handle,
		DisplayName: p.DisplayName,
		AvatarURL:   p.Avatar,
		ProfileURL:  profileURL(handle, did),
		Instance:    pds,
		Connectable: true,
		Credential:  c,
	}}, nil
}

// profileURL links to the account on bsky.app, by DID when the handle no
// longer verifies ("handle.invalid").
func profileURL(handle, did string) string {
	if handle == "" || handle == "handle.invalid" {
		return "https://bsky.app/profile/" + did
	}
	return "https://bsky.app/profile/" + handle
}

// usable rejects a credential that cannot make an API call at all.
func usable(op string, cred network.Credential) error {
	switch {
	case cred.AccessToken != "":
		return nil
	case cred.RefreshToken != "":
		return &network.Error{Network: ID, Op: op, Class: network.ClassTokenExpired,
			Message: "the Bluesky session needs to be renewed"}
	}
	return &network.Error{Network: ID, Op: op, Class: network.ClassAuthDead,
		Message: "no Bluesky session is stored for this account; reconnect it"}
}
