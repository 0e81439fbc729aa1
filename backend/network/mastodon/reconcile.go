package mastodon

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"herald/backend/network"
)

// Reconciling. When the answer to a create-status request is lost, the
// status may or may not exist. Idempotency-Key alone cannot settle it:
// Mastodon keeps a key for about an hour only (a retry after a long sleep
// posts again), and GoToSocial (0.17.3, checked against its source and
// a real server) accepts the header for CORS but ignores it, so every
// resend is a new post. So Herald reads the account's own recent posts and
// looks for the one it meant to make.
const (
	// recentLimit is how many of the account's latest statuses are read:
	// Mastodon's page maximum.
	recentLimit = 40
	// clockSkew widens "created at or after since": since is Herald's
	// clock, created_at the server's.
	clockSkew = 2 * time.Minute
)

// FindPublished looks for p among the account's statuses created since
// (less clockSkew): the oldest status that is not a reply or a boost, with
// p's text and as many attachments, then the thread items and first
// comment replying to it in turn. Text is compared normalised (see
// normalizeText). Items in p.Done are taken as made and the search
// continues after them; found is then true only when a further item was
// made. ItemIDs may be shorter than p.Items(): the rest were not made, and
// a retry passes ItemIDs as Done.
//
// https://docs.joinmastodon.org/methods/accounts/#statuses
func (c *Client) FindPublished(ctx context.Context, instance string, cred network.Credential, p network.Post, since time.Time) (network.Published, bool, error) {
	const op = "check for a published post"
	base, err := normalize(op, instance)
	if err != nil {
		return network.Published{}, false, err
	}
	items, err := postItems(op, p)
	if err != nil {
		return network.Published{}, false, err
	}
	acct, err := c.verifyCredentials(ctx, op, base, cred)
	if err != nil {
		return network.Published{}, false, err
	}
	q := url.Values{"limit": {strconv.Itoa(recentLimit)}, "exclude_reblogs": {"true"}}
	var recent []status
	endpoint := base + "/api/v1/accounts/" + url.PathEscape(acct.ID) + "/statuses?" + q.Encode()
	if err := c.call(ctx, op, http.MethodGet, endpoint, cred.AccessToken, nil, &recent); err != nil {
		return network.Published{}, false, err
	}
	// Oldest first: the first match is the original, later ones repeats.
	cutoff := since.Add(-clockSkew)
	var candidates []status
	for i := len(recent) - 1; i >= 0; i-- {
		s := recent[i]
		if s.Reblog != nil || (!since.IsZero() && !s.created().IsZero() && s.created().Before(cutoff)) {
			continue
		}
		candidates = append(candidates, s)
	}

	var out network.Published
	var chain []status
	if len(p.Done) > 0 {
		out.ItemIDs = append(out.ItemIDs, p.Done...)
	} else {
		want := normalizeText(p.Text)
		for _, s := range candidates {
			if s.inReplyTo() == "" && len(s.Media) == len(p.Media) && normalizeText(s.plainText()) == want {
				chain = append(chain, s)
				out.ItemIDs = append(out.ItemIDs, s.ID)
				break
			}
		}
		if len(chain) == 0 {
			return network.Published{}, false, nil
		}
	}
	for i := len(out.ItemIDs); i < len(items); i++ {
		prev, want := out.ItemIDs[i-1], normalizeText(items[i])
		found := false
		for _, s := range candidates {
			if s.inReplyTo() == prev && normalizeText(s.plainText()) == want {
				chain = append(chain, s)
				out.ItemIDs = append(out.ItemIDs, s.ID)
				found = true
				break
			}
		}
		if !found {
			break
		}
	}
	if len(p.Done) == 0 {
		out.RemoteID, out.URL = chain[0].ID, chain[0].link()
	} else {
		out.RemoteID = p.Done[0]
		for _, s := range recent {
			if s.ID == out.RemoteID {
				out.URL = s.link()
			}
		}
		if len(chain) == 0 {
			// Nothing beyond what was already known was made.
			return network.Published{}, false, nil
		}
	}
	return out, true, nil
}

// mentionDomain matches the domain of an "@user@domain" mention: servers
// render a mention as "@user" in their HTML.
var mentionDomain = regexp.MustCompile(`(^|[^\w@/])(@\w+(?:[.\-]\w+)*)@[\w\-]+(?:\.[\w\-]+)+(?::\d+)?`)

// normalizeText makes a post's text comparable with what the server
// shows: mention domains dropped, white space collapsed. HTML is removed
// from the server's side beforehand (status.plainText), never from Herald's
// text, which is plain.
func normalizeText(s string) string {
	s = mentionDomain.ReplaceAllString(s, "$1$2")
	return strings.Join(strings.Fields(s), " ")
}
