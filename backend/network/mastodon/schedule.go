package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"herald/backend/network"
)

// MinScheduleLead is how far ahead Mastodon accepts scheduled_at
// (PostStatusService::MIN_SCHEDULE_OFFSET).
const MinScheduleLead = 5 * time.Minute

// maxScheduledPages bounds ListScheduled: Mastodon keeps at most 300
// scheduled statuses per account, 40 a page.
const maxScheduledPages = 10

// ErrScheduleUnsupported means the server has no scheduled statuses
// (GoToSocial up to at least 0.17 answers scheduled_at with 501 and has no
// /api/v1/scheduled_statuses). Herald publishes on time itself instead.
var ErrScheduleUnsupported = errors.New("the server does not support scheduled posts")

// scheduledStatus is Mastodon's ScheduledStatus.
//
// https://docs.joinmastodon.org/entities/ScheduledStatus/
type scheduledStatus struct {
	ID          string `json:"id"`
	ScheduledAt string `json:"scheduled_at"`
	Params      struct {
		Text string `json:"text"`
	} `json:"params"`
	// A server that ignores scheduled_at answers with a Status: these
	// tell it apart.
	URI     string `json:"uri"`
	URL     string `json:"url"`
	Content string `json:"content"`
}

func (s scheduledStatus) scheduled() (network.Scheduled, error) {
	at, err := time.Parse(time.RFC3339Nano, s.ScheduledAt)
	if err != nil {
		return network.Scheduled{}, err
	}
	return network.Scheduled{ID: s.ID, ScheduledAt: at, Text: s.Params.Text}, nil
}

// MinScheduleLead is Mastodon's minimum: 5 minutes ahead.
func (c *Client) MinScheduleLead() time.Duration { return MinScheduleLead }

// Schedule hands p to the server's scheduler for at: its attachments are
// uploaded now, the post goes out at at even when Herald is not running.
// A thread or first comment cannot be scheduled: the replies need the
// post's id, which exists only once it is published.
//
// https://docs.joinmastodon.org/methods/statuses/#create (scheduled_at)
func (c *Client) Schedule(ctx context.Context, instance string, cred network.Credential, p network.Post, at time.Time) (network.Scheduled, error) {
	const op = "schedule"
	base, err := normalize(op, instance)
	if err != nil {
		return network.Scheduled{}, err
	}
	if _, err := postItems(op, p); err != nil {
		return network.Scheduled{}, err
	}
	if len(p.Thread) > 0 || p.FirstComment != "" {
		e := invalid(op, "a thread or a first comment cannot be scheduled on the server, because the replies need the published post")
		e.Code = "unsupported"
		return network.Scheduled{}, e
	}
	if len(p.Done) > 0 {
		return network.Scheduled{}, invalid(op, "the post is already published")
	}
	if lead := at.Sub(c.now()); lead < MinScheduleLead {
		return network.Scheduled{}, invalid(op, fmt.Sprintf("the server schedules posts at least %s ahead; this one is due in %s",
			MinScheduleLead, lead.Round(time.Second)))
	}

	form := optionsFrom(p.Options).form(p.Text)
	form.Set("scheduled_at", at.UTC().Format("2006-01-02T15:04:05.000Z"))
	if len(p.Media) > 0 {
		ids, err := c.uploadAll(ctx, base, cred, p.Media)
		if err != nil {
			return network.Scheduled{}, err
		}
		for _, id := range ids {
			form.Add("media_ids[]", id)
		}
	}
	var ss scheduledStatus
	code, err := c.callReq(ctx, op, request{
		method: http.MethodPost, url: base + "/api/v1/statuses", token: cred.AccessToken,
		form: form, idempotencyKey: itemKey(p.IdempotencyKey, 0), write: true,
	}, &ss)
	var ne *network.Error
	if errors.As(err, &ne) {
		switch {
		case code == http.StatusNotImplemented:
			return network.Scheduled{}, unsupported(op, ne)
		case code >= 200 && code <= 299, maybeTaken(code):
			ne.Sent = true
		}
		return network.Scheduled{}, err
	}
	if err != nil {
		return network.Scheduled{}, err
	}
	if ss.ScheduledAt == "" && (ss.URI != "" || ss.Content != "") {
		// The server ignored scheduled_at and published at once.
		url := ss.URL
		if url == "" {
			url = ss.URI
		}
		return network.Scheduled{}, &network.PublishedEarlyError{
			Published: network.Published{RemoteID: ss.ID, URL: url, ItemIDs: []string{ss.ID}},
			Err: &network.Error{Network: ID, Op: op, Class: network.ClassInvalidInput, Status: code, Code: "published_now",
				Message: fmt.Sprintf("the server does not support scheduled posts and published this one at once (post %s)", ss.ID)},
		}
	}
	sch, perr := ss.scheduled()
	if ss.ID == "" || perr != nil {
		return network.Scheduled{}, &network.Error{Network: ID, Op: op, Class: network.ClassTransient, Status: code, Sent: true, Err: perr,
			Message: "the server's answer to the schedule could not be read; Herald will check the server's scheduled posts"}
	}
	return sch, nil
}

// ListScheduled returns every post waiting in the server's scheduler.
//
// https://docs.joinmastodon.org/methods/scheduled_statuses/#get
func (c *Client) ListScheduled(ctx context.Context, instance string, cred network.Credential) ([]network.Scheduled, error) {
	const op = "list scheduled posts"
	base, err := normalize(op, instance)
	if err != nil {
		return nil, err
	}
	var out []network.Scheduled
	next := base + "/api/v1/scheduled_statuses?limit=40"
	for page := 0; next != "" && page < maxScheduledPages; page++ {
		resp, err := c.send(ctx, http.MethodGet, next, cred.AccessToken, nil)
		if err != nil {
			return nil, network.TransportError(ID, op, err)
		}
		var list []scheduledStatus
		err = func() error {
			defer drain(resp)
			if resp.StatusCode < 200 || resp.StatusCode > 299 {
				e := c.apiError(op, resp)
				if e.Status == http.StatusNotFound || e.Status == http.StatusNotImplemented {
					return unsupported(op, e)
				}
				return e
			}
			return decode(op, resp, &list)
		}()
		if err != nil {
			return nil, err
		}
		for _, s := range list {
			sch, err := s.scheduled()
			if err != nil {
				return nil, &network.Error{Network: ID, Op: op, Class: network.ClassTransient, Err: err,
					Message: fmt.Sprintf("the server listed scheduled post %s with an unreadable time %q", s.ID, s.ScheduledAt)}
			}
			out = append(out, sch)
		}
		next = nextPage(resp.Header, base)
	}
	return out, nil
}

// CancelScheduled removes a post from the server's scheduler. A post that
// is no longer there (published, or cancelled on the server) is an *Error
// with Code "not_found".
//
// https://docs.joinmastodon.org/methods/scheduled_statuses/#cancel
func (c *Client) CancelScheduled(ctx context.Context, instance string, cred network.Credential, id string) error {
	const op = "cancel scheduled post"
	base, err := normalize(op, instance)
	if err != nil {
		return err
	}
	if id == "" || strings.ContainsAny(id, "/?#") {
		return invalid(op, "the scheduled post id is empty or malformed")
	}
	err = c.call(ctx, op, http.MethodDelete, base+"/api/v1/scheduled_statuses/"+url.PathEscape(id), cred.AccessToken, nil, nil)
	var ne *network.Error
	if errors.As(err, &ne) && ne.Status == http.StatusNotFound {
		ne.Code = "not_found"
		ne.Message = "the server no longer has this scheduled post (already published, or cancelled on the server)"
	}
	return err
}

// unsupported turns the server's refusal into ErrScheduleUnsupported. It
// is invalid input, not a channel problem: the channel stays healthy and
// Herald publishes the post on time itself.
func unsupported(op string, e *network.Error) *network.Error {
	return &network.Error{Network: ID, Op: op, Class: network.ClassInvalidInput, Status: e.Status, Code: "unsupported",
		Message: "this server does not support scheduled posts", Err: ErrScheduleUnsupported}
}

// nextPage reads the rel="next" link of a Link header, accepting only a
// link on the same server: the token is never sent elsewhere.
//
// https://docs.joinmastodon.org/api/guidelines/#pagination
func nextPage(h http.Header, base string) string {
	for _, v := range h.Values("Link") {
		for _, part := range strings.Split(v, ",") {
			segs := strings.Split(part, ";")
			target := strings.TrimSpace(segs[0])
			if !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			for _, p := range segs[1:] {
				if strings.ReplaceAll(strings.TrimSpace(p), `"`, "") == "rel=next" {
					u := target[1 : len(target)-1]
					if strings.HasPrefix(u, base+"/") {
						return u
					}
				}
			}
		}
	}
	return ""
}
