package bluesky

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"herald/backend/network"
)

// Codes of the errors about a public account (network.Error.Code, class
// ClassInvalidInput): the account is gone, taken down, deactivated, or
// one of the two accounts blocks the other.
const (
	CodeNotFound    = "not_found"
	CodeSuspended   = "suspended"
	CodeDeactivated = "deactivated"
	CodeBlocked     = "blocked"
)

// ReadPublicProfile reads any account by its DID (app.bsky.actor.getProfile)
// with its public counts, as a search describes it. An account the
// AppView does not know (deleted, or never there), one Bluesky took down
// and one deactivated are invalid input with their own code and words,
// never a reason to disconnect the channel; an empty id is refused
// without a request.
//
// https://docs.bsky.app/docs/api/app-bsky-actor-get-profile
func (cl *Client) ReadPublicProfile(ctx context.Context, instance string, cred network.Credential, remoteID string) (network.Profile, error) {
	const op = "read a public account"
	s, did, err := cl.publicTarget(op, instance, cred, remoteID)
	if err != nil {
		return network.Profile{}, err
	}
	a, err := cl.getProfile(ctx, op, s, did)
	if err != nil {
		return network.Profile{}, actorGone(op, err)
	}
	if a.DID == "" {
		return network.Profile{}, &network.Error{Network: ID, Op: op, Class: network.ClassTransient,
			Message: "Bluesky described the account without its id; Herald will try again later"}
	}
	return a.profile(), nil
}

// ListAccountPosts is ListOwnPosts for any account: one page of its posts
// and replies from its author feed, newest first, reposts left out,
// ending at the first post created before since. Besides the errors of
// ReadPublicProfile, a block either way is invalid input CodeBlocked: the
// AppView shows no feed between the two accounts.
func (cl *Client) ListAccountPosts(ctx context.Context, instance string, cred network.Credential, remoteID string, since time.Time, cursor string) (network.OwnPostsPage, error) {
	const op = "list an account's posts"
	s, did, err := cl.publicTarget(op, instance, cred, remoteID)
	if err != nil {
		return network.OwnPostsPage{}, err
	}
	page, err := cl.listAuthorFeed(ctx, op, s, did, "", since, cursor)
	if err != nil {
		return network.OwnPostsPage{}, actorGone(op, err)
	}
	return page, nil
}

// publicTarget checks the credential and the account's id, its DID as a
// search returns it. Something that is not a DID names no account: not
// found, without a request.
func (cl *Client) publicTarget(op, instance string, cred network.Credential, remoteID string) (repoSession, string, error) {
	did := strings.TrimSpace(remoteID)
	if did == "" {
		return repoSession{}, "", invalid(op, "no account was given to read")
	}
	s, err := cl.repoSession(op, instance, cred)
	if err != nil {
		return repoSession{}, "", err
	}
	if !validDID(did) {
		e := invalid(op, "There is no Bluesky account with this id")
		e.Code = CodeNotFound
		return repoSession{}, "", e
	}
	return s, did, nil
}

// getProfile reads an account's profileViewDetailed.
//
// https://docs.bsky.app/docs/api/app-bsky-actor-get-profile
func (cl *Client) getProfile(ctx context.Context, op string, s repoSession, actor string) (actorView, error) {
	var a actorView
	err := cl.do(ctx, call{op: op, method: http.MethodGet, host: s.host, nsid: "app.bsky.actor.getProfile",
		query: url.Values{"actor": {actor}}, token: s.token, use: accessToken, subject: "the profile"}, &a)
	return a, err
}

// actorGone turns the AppView's refusals about the account read (a 400,
// unlike the 401 of a session that is over) into what the person reads.
// AccountTakedown and AccountDeactivated are otherwise about the channel's
// own account, which they would disconnect. Anything else is returned as
// it was.
func actorGone(op string, err error) error {
	var ne *network.Error
	if !errors.As(err, &ne) || ne.Status != http.StatusBadRequest {
		return err
	}
	var code, msg string
	switch {
	case ne.Code == "AccountTakedown":
		code, msg = CodeSuspended, "Bluesky has taken this account down; its profile and posts can no longer be read"
	case ne.Code == "AccountDeactivated":
		code, msg = CodeDeactivated, "This account is deactivated on Bluesky; its profile and posts cannot be read until it comes back"
	case ne.Code == "BlockedActor":
		code, msg = CodeBlocked, "You have blocked this account on Bluesky, so its posts cannot be read"
	case ne.Code == "BlockedByActor":
		code, msg = CodeBlocked, "This account has blocked you on Bluesky, so its posts cannot be read"
	case ne.Code == "InvalidRequest" && strings.Contains(strings.ToLower(ne.Message), "not found"):
		// "Profile not found": deleted, or never there.
		code, msg = CodeNotFound, "This account no longer exists on Bluesky"
	default:
		return err
	}
	e := invalid(op, msg)
	e.Code, e.Status, e.Err = code, ne.Status, ne
	return e
}
