package mastodon

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/http/httpguts"

	"herald/backend/network"
)

// DefaultVisibility is sent when a post names none. It is always sent:
// GoToSocial makes a post without one unlisted, Mastodon makes it public.
const DefaultVisibility = "public"

// Publish posts p: its attachments first (each processed before use), then
// the post, then each thread item and the first comment as a reply to the
// item before, all with the post's visibility, content warning and
// language. Progress is called after each item, before the next is made.
//
// A retry passes the ids already made in p.Done: those items are skipped,
// the attachments are not uploaded again, and the next item replies to
// the last id in Done. On failure the returned Published holds the items
// made so far. A post with ReplyTo answers that status (a reply to a
// direct message is a status with visibility "direct" that mentions its
// recipients, which the caller sets).
//
// https://docs.joinmastodon.org/methods/statuses/#create
func (c *Client) Publish(ctx context.Context, instance string, cred network.Credential, p network.Post) (network.Published, error) {
	const op = "publish"
	base, err := normalize(op, instance)
	if err != nil {
		return network.Published{}, err
	}
	items, err := postItems(op, p)
	if err != nil {
		return network.Published{}, err
	}
	if len(p.Done) > len(items) {
		return network.Published{}, invalid(op, fmt.Sprintf("%d items are recorded as published, but the post has only %d", len(p.Done), len(items)))
	}
	opts := optionsFrom(p.Options)
	out := network.Published{ItemIDs: append([]string(nil), p.Done...)}
	if len(p.Done) > 0 {
		out.RemoteID = p.Done[0]
		// Only for Published.URL: the caller recorded it through Progress
		// when the post was made, so a failed read does not stop the rest.
		if rp, err := c.Lookup(ctx, base, cred, p.Done[0]); err == nil {
			out.URL = rp.URL
		}
	}

	var mediaIDs []string
	if len(p.Done) == 0 && len(p.Media) > 0 {
		if mediaIDs, err = c.uploadAll(ctx, base, cred, p.Media); err != nil {
			return out, err
		}
	}
	for i := len(p.Done); i < len(items); i++ {
		form := opts.form(items[i])
		if i == 0 {
			for _, id := range mediaIDs {
				form.Add("media_ids[]", id)
			}
			if p.ReplyTo != "" {
				form.Set("in_reply_to_id", p.ReplyTo)
			}
		} else {
			form.Set("in_reply_to_id", out.ItemIDs[i-1])
		}
		s, err := c.createStatus(ctx, itemOp(p, i), base, cred, form, itemKey(p.IdempotencyKey, i))
		if err != nil {
			return out, err
		}
		out.ItemIDs = append(out.ItemIDs, s.ID)
		if i == 0 {
			out.RemoteID, out.URL = s.ID, s.link()
		}
		if p.Progress != nil {
			p.Progress(i, s.ID, s.link())
		}
	}
	return out, nil
}

// postItems is the text of each item, in order: the post, its thread, the
// first comment. Nothing is sent when one of them is empty.
func postItems(op string, p network.Post) ([]string, error) {
	if strings.TrimSpace(p.Text) == "" && len(p.Media) == 0 {
		return nil, invalid(op, "the post has no text and no attachment")
	}
	if len(p.Thread) > MaxThread {
		return nil, invalid(op, fmt.Sprintf("the thread has %d follow-ups; Herald posts at most %d", len(p.Thread), MaxThread))
	}
	items := append([]string{p.Text}, p.Thread...)
	for i, t := range p.Thread {
		if strings.TrimSpace(t) == "" {
			return nil, invalid(op, fmt.Sprintf("thread item %d is empty", i+2))
		}
	}
	if p.FirstComment != "" {
		if strings.TrimSpace(p.FirstComment) == "" {
			return nil, invalid(op, "the first comment is empty")
		}
		items = append(items, p.FirstComment)
	}
	return items, nil
}

// itemOp names item i in errors ("publish thread item 2 of 3").
func itemOp(p network.Post, i int) string {
	switch {
	case i == 0:
		return "publish"
	case i > len(p.Thread):
		return "publish first comment"
	default:
		return fmt.Sprintf("publish thread item %d of %d", i+1, len(p.Thread)+1)
	}
}

// itemKey is the Idempotency-Key of item i: the post's key for the post,
// "<key>-<i>" for the replies, so a retry of each item is recognised and
// the items are not mistaken for each other.
func itemKey(key string, i int) string {
	if key == "" {
		return ""
	}
	if !httpguts.ValidHeaderFieldValue(key) || strings.TrimSpace(key) != key || len(key) > 200 {
		// Not sendable as a header as it is: a digest is just as stable.
		sum := sha256.Sum256([]byte(key))
		key = hex.EncodeToString(sum[:])
	}
	if i == 0 {
		return key
	}
	return key + "-" + strconv.Itoa(i)
}

// statusOptions are the Post.Options Mastodon understands.
type statusOptions struct {
	visibility     string
	contentWarning string
	sensitive      string // "true", "false", or "" to keep the account's default
	language       string
}

func optionsFrom(o map[string]string) statusOptions {
	s := statusOptions{
		visibility:     strings.TrimSpace(o["visibility"]),
		contentWarning: strings.TrimSpace(o["content_warning"]),
		language:       strings.TrimSpace(o["language"]),
	}
	if s.visibility == "" {
		s.visibility = DefaultVisibility
	}
	switch strings.TrimSpace(strings.ToLower(o["sensitive"])) {
	case "true":
		s.sensitive = "true"
	case "false":
		s.sensitive = "false"
	}
	if s.contentWarning != "" {
		// A content warning hides the post; its media must be hidden too.
		s.sensitive = "true"
	}
	return s
}

// maybeTaken reports whether a non-2xx answer to a create may hide a
// created status. Mastodon also answers 500 when something after the
// insert failed (fan-out, a hook), so a 500 counts as well.
func maybeTaken(code int) bool {
	return code == http.StatusInternalServerError || network.MaybeTaken(code)
}

// form is the create-status form for one item.
func (o statusOptions) form(text string) url.Values {
	f := url.Values{"status": {text}, "visibility": {o.visibility}}
	if o.contentWarning != "" {
		f.Set("spoiler_text", o.contentWarning)
	}
	if o.sensitive != "" {
		f.Set("sensitive", o.sensitive)
	}
	if o.language != "" {
		f.Set("language", o.language)
	}
	return f
}

// createStatus posts one status. An answer that may hide a created status
// (a 2xx that cannot be read, a 500 from the server, network.MaybeTaken's
// gateway and overload answers, a connection lost after sending) is marked
// Sent: the outcome is unknown and must be reconciled before any retry.
func (c *Client) createStatus(ctx context.Context, op, base string, cred network.Credential, form url.Values, key string) (status, error) {
	var s status
	code, err := c.callReq(ctx, op, request{
		method: http.MethodPost, url: base + "/api/v1/statuses", token: cred.AccessToken,
		form: form, idempotencyKey: key, write: true,
	}, &s)
	var ne *network.Error
	if errors.As(err, &ne) {
		switch {
		case code >= 200 && code <= 299:
			ne.Sent = true
			ne.Message = "the server took the post but its answer could not be read; Herald will check whether it was published"
		case maybeTaken(code):
			ne.Sent = true
		case code == http.StatusBadRequest && ne.Class == network.ClassContentRejected:
			// GoToSocial answers 400 where Mastodon answers 422.
			ne.Message = strings.Replace(ne.Message, "the server refused the request", "the server rejected the post", 1)
		}
		return s, err
	}
	if err != nil {
		return s, err
	}
	if s.ID == "" {
		return s, &network.Error{Network: ID, Op: op, Class: network.ClassTransient, Status: code, Sent: true,
			Message: "the server answered the post without an id; Herald will check whether it was published"}
	}
	return s, nil
}
