package mastodon

import (
	"context"
	"fmt"
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
	// recentLimit is how many of the account's statuses one page holds:
	// Mastodon's page maximum.
	recentLimit = 40
	// maxPages bounds how far back FindPublished reads. A busy account may
	// have posted more than a page since the attempt; past this many pages
	// Herald cannot tell and says so rather than risk a second post.
	maxPages = 10
	// clockSkew widens "created at or after since": since is Herald's
	// clock, created_at the server's.
	clockSkew = 2 * time.Minute
)

// FindPublished looks for p among the account's statuses created since
// (less clockSkew): the oldest status that is not a boost and replies to
// p.ReplyTo (to nothing, for a post), with
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
	cutoff := since.Add(-clockSkew)
	recent, err := c.statusesSince(ctx, op, base, cred, acct.ID, since, cutoff)
	if err != nil {
		return network.Published{}, false, err
	}
	// Oldest first: the first match is the original, later ones repeats.
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
			if s.inReplyTo() == p.ReplyTo && len(s.Media) == len(p.Media) && normalizeText(s.plainText()) == want {
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

// statusesSince reads the account's statuses, newest first, page by page
// back to cutoff (one page when since is zero).
func (c *Client) statusesSince(ctx context.Context, op, base string, cred network.Credential, accountID string, since, cutoff time.Time) ([]status, error) {
	var recent []status
	maxID := ""
	for page := 1; ; page++ {
		q := url.Values{"limit": {strconv.Itoa(recentLimit)}, "exclude_reblogs": {"true"}}
		if maxID != "" {
			q.Set("max_id", maxID)
		}
		var batch []status
		endpoint := base + "/api/v1/accounts/" + url.PathEscape(accountID) + "/statuses?" + q.Encode()
		if err := c.call(ctx, op, http.MethodGet, endpoint, cred.AccessToken, nil, &batch); err != nil {
			return nil, err
		}
		recent = append(recent, batch...)
		if len(batch) < recentLimit || since.IsZero() {
			return recent, nil // the last page, or only the latest asked for
		}
		oldest := batch[len(batch)-1]
		if oldest.created().IsZero() || oldest.created().Before(cutoff) {
			return recent, nil
		}
		if page == maxPages {
			return nil, &network.Error{Network: ID, Op: op, Class: network.ClassTransient,
				Message: fmt.Sprintf("the channel has more than %d posts since the interrupted attempt, so Herald cannot tell whether this one went out; check the channel", maxPages*recentLimit)}
		}
		maxID = oldest.ID
	}
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
