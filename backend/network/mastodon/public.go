package mastodon

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/idna"

	"herald/backend/network"
)

// Codes of the errors about a public account (network.Error.Code, class
// ClassInvalidInput): the account is gone, or its server suspended it.
const (
	CodeNotFound  = "not_found"
	CodeSuspended = "suspended"
)

// publicAccount is an Account with the flag Mastodon (3.3 and later) sets
// on a suspended one, which it still describes, without its counts.
//
// https://docs.joinmastodon.org/entities/Account/#suspended
type publicAccount struct {
	account
	Suspended bool `json:"suspended"`
}

// ReadPublicProfile reads any account the server can show by its id
// (GET /api/v1/accounts/:id), with its public counts, as a search
// describes it. An account the server does not know (deleted, or never
// there) and a suspended one are invalid input with CodeNotFound or
// CodeSuspended; an empty id is refused without a request.
//
// https://docs.joinmastodon.org/methods/accounts/#get
func (c *Client) ReadPublicProfile(ctx context.Context, instance string, cred network.Credential, remoteID string) (network.Profile, error) {
	const op = "read a public account"
	base, id, err := publicTarget(op, instance, remoteID)
	if err != nil {
		return network.Profile{}, err
	}
	var a publicAccount
	if err := c.call(ctx, op, http.MethodGet, base+"/api/v1/accounts/"+url.PathEscape(id), cred.AccessToken, nil, &a); err != nil {
		return network.Profile{}, accountGone(op, base, err)
	}
	if a.Suspended {
		return network.Profile{}, suspended(op, base, nil)
	}
	if a.ID == "" {
		return network.Profile{}, &network.Error{Network: ID, Op: op, Class: network.ClassTransient,
			Message: "the server described the account without an id; try again later"}
	}
	return profile(a.account, base), nil
}

// ListAccountPosts is ListOwnPosts for any account the server can show:
// one page of its statuses, newest first, boosts left out, ending at the
// first created before since. The statuses are those the server shows
// the channel: for a locked account whose followers the channel is not
// among, often none, which is an empty page and not an error. An account
// the server says it does not know (404), or suspended (410), is the error
// ReadPublicProfile gives; GoToSocial answers an unknown id with an empty
// list, and Mastodon a suspended account the same way.
func (c *Client) ListAccountPosts(ctx context.Context, instance string, cred network.Credential, remoteID string, since time.Time, cursor string) (network.OwnPostsPage, error) {
	const op = "list an account's posts"
	base, id, err := publicTarget(op, instance, remoteID)
	if err != nil {
		return network.OwnPostsPage{}, err
	}
	page, err := c.listStatuses(ctx, op, base, cred, id, since, cursor)
	if err != nil {
		return network.OwnPostsPage{}, accountGone(op, base, err)
	}
	return page, nil
}

// publicTarget checks the instance and the account id of a public read.
// An id with a character no account id has names no account: not found,
// without a request.
func publicTarget(op, instance, remoteID string) (base, id string, err error) {
	base, err = normalize(op, instance)
	if err != nil {
		return "", "", err
	}
	id = strings.TrimSpace(remoteID)
	if id == "" {
		return "", "", invalid(op, "no account was given to read")
	}
	if strings.ContainsAny(id, "/?#") || id == "." || id == ".." {
		e := invalid(op, "There is no account with this id on "+serverName(base))
		e.Code = CodeNotFound
		return "", "", e
	}
	return base, id, nil
}

// accountGone turns the server's answer about an account that is not
// there into what the person reads: 404 (deleted, or never there) and 410
// (suspended, on servers before Mastodon 3.3) are about that account, not
// about the channel or the request. Anything else is returned as it was.
func accountGone(op, base string, err error) error {
	var ne *network.Error
	if !errors.As(err, &ne) {
		return err
	}
	switch ne.Status {
	case http.StatusNotFound:
		e := invalid(op, "This account no longer exists on "+serverName(base))
		e.Code, e.Status, e.Err = CodeNotFound, ne.Status, ne
		return e
	case http.StatusGone:
		return suspended(op, base, ne)
	}
	return err
}

func suspended(op, base string, cause *network.Error) *network.Error {
	e := invalid(op, "This account has been suspended or closed on "+serverName(base)+"; its profile and posts can no longer be read")
	e.Code = CodeSuspended
	if cause != nil {
		e.Status, e.Err = cause.Status, cause
	}
	return e
}

// serverName is the server's host as a person writes it (an
// international name in its own letters, not punycode).
func serverName(base string) string {
	h := hostOf(base)
	if u, err := idna.Display.ToUnicode(h); err == nil {
		return u
	}
	return h
}
