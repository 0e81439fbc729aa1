package bluesky

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"herald/backend/network"
)

const (
	// searchLimit is the searches' maximum page (searchActors defaults to
	// 25, searchActorsTypeahead to 10).
	searchLimit = 100
	// getProfilesBatch is getProfiles' maximum number of actors.
	getProfilesBatch = 25
	invalidHandle    = "handle.invalid"
)

// actorView is app.bsky.actor.defs#profileViewBasic, #profileView or
// #profileViewDetailed: the counts only come with the last.
type actorView struct {
	DID            string `json:"did"`
	Handle         string `json:"handle"`
	DisplayName    string `json:"displayName"`
	Description    string `json:"description"`
	Avatar         string `json:"avatar"`
	FollowersCount *int64 `json:"followersCount"`
	FollowsCount   *int64 `json:"followsCount"`
	PostsCount     *int64 `json:"postsCount"`
}

func (a actorView) profile() network.Profile {
	p := network.Profile{RemoteID: a.DID, Handle: a.Handle, DisplayName: strings.TrimSpace(a.DisplayName),
		Bio: strings.TrimSpace(a.Description), AvatarURL: a.Avatar, ProfileURL: profileURL(a.Handle, a.DID),
		Followers: a.FollowersCount, Following: a.FollowsCount, Posts: a.PostsCount}
	if a.Handle != "" && a.Handle != invalidHandle {
		// An account whose handle no longer checks out cannot be
		// mentioned by it: Mention stays empty.
		p.Mention = "@" + a.Handle
	}
	return p
}

// SearchAccounts finds accounts by handle, name or description
// (app.bsky.actor.searchActors), or by the start of a handle or name for
// autocompletion (searchActorsTypeahead). The searches return profiles
// without counts: a full search reads them with getProfiles, 25 accounts a
// call; a typeahead search leaves them nil. A query that is empty (or only
// "@") finds nothing without a call. limit 0 takes the search's default;
// more than 100 is 100.
//
// https://docs.bsky.app/docs/api/app-bsky-actor-search-actors
// https://docs.bsky.app/docs/api/app-bsky-actor-search-actors-typeahead
// https://docs.bsky.app/docs/api/app-bsky-actor-get-profiles
func (cl *Client) SearchAccounts(ctx context.Context, instance string, cred network.Credential, query string, typeahead bool, limit int) ([]network.Profile, error) {
	const op = "search accounts"
	s, err := cl.repoSession(op, instance, cred)
	if err != nil {
		return nil, err
	}
	q := strings.TrimPrefix(strings.TrimSpace(query), "@")
	if q == "" {
		return []network.Profile{}, nil
	}
	params := url.Values{"q": {q}}
	if limit > 0 {
		params.Set("limit", strconv.Itoa(min(limit, searchLimit)))
	}
	nsid := "app.bsky.actor.searchActors"
	if typeahead {
		nsid = "app.bsky.actor.searchActorsTypeahead"
	}
	var res struct {
		Actors []actorView `json:"actors"`
	}
	if err := cl.do(ctx, call{op: op, method: http.MethodGet, host: s.host, nsid: nsid, query: params,
		token: s.token, use: accessToken, subject: "the search"}, &res); err != nil {
		return nil, err
	}
	out := make([]network.Profile, 0, len(res.Actors))
	seen := map[string]bool{}
	for _, a := range res.Actors {
		if a.DID == "" || seen[a.DID] {
			continue
		}
		seen[a.DID] = true
		out = append(out, a.profile())
	}
	if typeahead || len(out) == 0 {
		return out, nil
	}
	if err := cl.addCounts(ctx, op, s, out); err != nil {
		return nil, err
	}
	return out, nil
}

// addCounts reads the profiles' public counts. An account getProfiles
// does not return (taken down since the search) keeps none.
func (cl *Client) addCounts(ctx context.Context, op string, s repoSession, profiles []network.Profile) error {
	byDID := map[string]actorView{}
	for start := 0; start < len(profiles); start += getProfilesBatch {
		var actors []string
		for _, p := range profiles[start:min(start+getProfilesBatch, len(profiles))] {
			actors = append(actors, p.RemoteID)
		}
		var res struct {
			Profiles []actorView `json:"profiles"`
		}
		if err := cl.do(ctx, call{op: op, method: http.MethodGet, host: s.host, nsid: "app.bsky.actor.getProfiles",
			query: url.Values{"actors": actors}, token: s.token, use: accessToken, subject: "the profiles"}, &res); err != nil {
			return err
		}
		for _, a := range res.Profiles {
			byDID[a.DID] = a
		}
	}
	for i := range profiles {
		if a, ok := byDID[profiles[i].RemoteID]; ok {
			profiles[i].Followers, profiles[i].Following, profiles[i].Posts = a.FollowersCount, a.FollowsCount, a.PostsCount
		}
	}
	return nil
}
