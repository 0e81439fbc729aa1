package mastodon

import (
	"context"
	"net/http"
	"strings"

	"herald/backend/network"
)

// account is the part of Mastodon's Account (and CredentialAccount)
// Herald keeps. The counts are pointers: a server that leaves one out
// gives no value, not a 0.
//
// https://docs.joinmastodon.org/entities/Account/
type account struct {
	ID             string `json:"id"`
	Username       string `json:"username"`
	Acct           string `json:"acct"`
	DisplayName    string `json:"display_name"`
	Note           string `json:"note"` // HTML
	Avatar         string `json:"avatar"`
	URL            string `json:"url"`
	FollowersCount *int64 `json:"followers_count"`
	FollowingCount *int64 `json:"following_count"`
	StatusesCount  *int64 `json:"statuses_count"`
}

// verifyCredentials returns the account the token acts as.
//
// https://docs.joinmastodon.org/methods/accounts/#verify_credentials
func (c *Client) verifyCredentials(ctx context.Context, op, base string, cred network.Credential) (account, error) {
	var a account
	err := c.call(ctx, op, http.MethodGet, base+"/api/v1/accounts/verify_credentials", cred.AccessToken, nil, &a)
	if err == nil && a.ID == "" {
		err = &network.Error{Network: ID, Op: op, Class: network.ClassTransient,
			Message: "the server described the account without an id; try again later"}
	}
	return a, err
}

// Accounts returns the one account a Mastodon token acts as.
func (c *Client) Accounts(ctx context.Context, instance string, cred network.Credential) ([]network.Account, error) {
	const op = "list accounts"
	base, err := normalize(op, instance)
	if err != nil {
		return nil, err
	}
	a, err := c.verifyCredentials(ctx, op, base, cred)
	if err != nil {
		return nil, err
	}
	name := a.DisplayName
	if strings.TrimSpace(name) == "" {
		name = a.Username
	}
	return []network.Account{{
		RemoteID:    a.ID,
		Kind:        "account",
		Handle:      handle(a, base),
		DisplayName: name,
		AvatarURL:   a.Avatar,
		ProfileURL:  a.URL,
		Instance:    base,
		Connectable: true,
		Credential:  cred,
	}}, nil
}

// handle is user@host. A local account's acct has no domain, so the
// server's host completes it.
func handle(a account, base string) string {
	acct := strings.TrimPrefix(a.Acct, "@")
	if strings.Contains(acct, "@") {
		return acct
	}
	user := acct
	if user == "" {
		user = a.Username
	}
	return user + "@" + hostOf(base)
}

// Check proves the credential still works with the cheapest call there is.
func (c *Client) Check(ctx context.Context, instance string, cred network.Credential) error {
	const op = "check"
	base, err := normalize(op, instance)
	if err != nil {
		return err
	}
	_, err = c.verifyCredentials(ctx, op, base, cred)
	return err
}
