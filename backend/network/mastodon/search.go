package mastodon

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"herald/backend/network"
)

// SearchAccounts finds accounts by name or handle with GET /api/v2/search
// limited to accounts. A full search resolves a handle the server does not
// know yet (resolve=true: a WebFinger lookup on the other server);
// typeahead does not, so typing never makes the server look anywhere
// else. limit is clamped to 1–40 (the documented maximum), 20 when 0 or
// less. An empty query is invalid input: there is nothing to search for.
//
// https://docs.joinmastodon.org/methods/search/#v2
func (c *Client) SearchAccounts(ctx context.Context, instance string, cred network.Credential, query string, typeahead bool, limit int) ([]network.Profile, error) {
	const op = "search accounts"
	base, err := normalize(op, instance)
	if err != nil {
		return nil, err
	}
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, invalid(op, "type a name or a handle to search for")
	}
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, searchLimit)
	q := url.Values{
		"q": {query}, "type": {"accounts"}, "limit": {strconv.Itoa(limit)},
		"resolve": {strconv.FormatBool(!typeahead)},
	}
	var res struct {
		Accounts []account `json:"accounts"`
	}
	if err := c.call(ctx, op, http.MethodGet, base+"/api/v2/search?"+q.Encode(), cred.AccessToken, nil, &res); err != nil {
		return nil, err
	}
	out := make([]network.Profile, 0, len(res.Accounts))
	for _, a := range res.Accounts {
		if a.ID == "" || len(out) == limit {
			continue
		}
		out = append(out, profile(a, base))
	}
	return out, nil
}

// profile is an Account as a search result: handle and mention in the
// full @user@domain form, the bio as text.
func profile(a account, base string) network.Profile {
	h := "@" + handle(a, base)
	name := strings.TrimSpace(a.DisplayName)
	if name == "" {
		name = a.Username
	}
	return network.Profile{
		RemoteID: a.ID, Handle: h, Mention: h, DisplayName: name, Bio: htmlToText(a.Note),
		AvatarURL: a.Avatar, ProfileURL: a.URL,
		Followers: nonNegative(a.FollowersCount), Following: nonNegative(a.FollowingCount), Posts: nonNegative(a.StatusesCount),
	}
}

// nonNegative is a count as Herald shows it: absent stays absent, below
// zero is 0 (put).
func nonNegative(n *int64) *int64 {
	if n == nil {
		return nil
	}
	v := max(*n, 0)
	return &v
}
