package mastodon

import (
	"context"
	"net/http"
	"net/url"

	"herald/backend/network"
)

var _ network.Moderator = (*Client)(nil)

// Supports is Mastodon's limitations matrix. Every call it makes is
// idempotent on the server: favouriting a favourite, muting a muted
// account change nothing.
func (c *Client) Supports(a network.InboxAction, item network.ItemRef, self string) (bool, string) {
	switch a {
	case network.ActionLike:
		return true, ""
	case network.ActionMute, network.ActionBlock:
		if item.AuthorRemoteID != "" && item.AuthorRemoteID == self {
			return false, "This is the channel's own account."
		}
		return true, ""
	case network.ActionHide:
		return false, "Mastodon has no way to hide a reply under your post. Mute or block its author, or report it on your server."
	}
	return false, "Mastodon does not offer this."
}

// Act favourites (likes) a status, or mutes or blocks its author; undo
// takes it back.
//
// https://docs.joinmastodon.org/methods/statuses/#favourite
// https://docs.joinmastodon.org/methods/accounts/#mute
// https://docs.joinmastodon.org/methods/accounts/#block
func (c *Client) Act(ctx context.Context, instance string, cred network.Credential, a network.InboxAction, item network.ItemRef, undo bool) error {
	op := string(a)
	if undo {
		op = "un" + op
	}
	base, err := normalize(op, instance)
	if err != nil {
		return err
	}
	var path string
	switch a {
	case network.ActionLike:
		verb := "favourite"
		if undo {
			verb = "unfavourite"
		}
		path = "/api/v1/statuses/" + url.PathEscape(item.RemoteID) + "/" + verb
	case network.ActionMute, network.ActionBlock:
		if item.AuthorRemoteID == "" {
			return invalid(op, "Herald does not know this author's account on the server")
		}
		path = "/api/v1/accounts/" + url.PathEscape(item.AuthorRemoteID) + "/" + op
	default:
		_, why := c.Supports(a, item, "")
		return &network.Error{Network: ID, Op: op, Class: network.ClassInvalidInput, Message: why}
	}
	return c.call(ctx, op, http.MethodPost, base+path, cred.AccessToken, url.Values{}, nil)
}
