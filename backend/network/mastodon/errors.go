package mastodon

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"herald/backend/logging"
	"herald/backend/network"
)

// ErrRevokeUnsupported means the server has no token revocation endpoint
// (GoToSocial before 0.18): the person has to remove Herald from the
// applications list in their server's settings.
var ErrRevokeUnsupported = errors.New("the server cannot revoke tokens through its API")

// errorBody is Mastodon's error entity; OAuth endpoints add
// error_description.
//
// https://docs.joinmastodon.org/entities/Error/
type errorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// maxMessage bounds how much of a server's own message Herald repeats.
const maxMessage = 300

// apiError classifies a non-2xx answer. The message repeats the server's
// own words (redacted and shortened) so the person sees what it said.
//
// https://docs.joinmastodon.org/api/rate-limits/
func (c *Client) apiError(op string, resp *http.Response) *network.Error {
	e := &network.Error{Network: ID, Op: op, Status: resp.StatusCode, Class: network.HTTPClass(resp.StatusCode)}
	said, code := serverWords(resp)
	e.Code = code
	now := c.now()

	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		e.Message = "the server no longer accepts Herald's access; reconnect the channel"
	case resp.StatusCode == http.StatusForbidden && strings.Contains(strings.ToLower(said), "outside the authorized scopes"):
		e.Class = network.ClassScopeMissing
		e.Message = "Herald is missing a permission on this server; reconnect the channel to grant it"
	case resp.StatusCode == http.StatusForbidden:
		// Not a scope problem: a disabled login or an action the server
		// refuses for this account. The token itself is fine.
		e.Class = network.ClassContentRejected
		e.Message = "the server refused the request"
	case resp.StatusCode == http.StatusUnprocessableEntity:
		e.Class = network.ClassContentRejected
		e.Message = "the server rejected the post"
	case resp.StatusCode == http.StatusTooManyRequests:
		e.Message = "the server's rate limit was reached; Herald will wait until it resets"
		if t, ok := rateLimitReset(resp.Header); ok {
			e.ResetAt = t
		} else if t, ok := network.RetryAfterHeader(resp.Header, now); ok {
			e.ResetAt = t
		}
	case resp.StatusCode >= 500:
		e.Message = "the server is having trouble; Herald will try again later"
		if t, ok := network.RetryAfterHeader(resp.Header, now); ok {
			e.ResetAt = t
		}
	case resp.StatusCode == http.StatusNotFound:
		e.Message = "the server does not know this request (not found)"
	default:
		e.Message = "the server refused the request"
	}
	if said != "" {
		e.Message += ": " + said
	}
	return e
}

// serverWords reads the server's own message and OAuth error code from a
// JSON error body, redacted and shortened. HTML error pages say nothing.
func serverWords(resp *http.Response) (message, code string) {
	if !strings.Contains(strings.ToLower(resp.Header.Get("Content-Type")), "json") {
		return "", ""
	}
	var b errorBody
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&b); err != nil {
		return "", ""
	}
	msg := b.Error
	if isCode(b.Error) {
		code = b.Error
		if b.Description != "" {
			msg = b.Description
		}
	} else if b.Description != "" {
		msg += " (" + b.Description + ")"
	}
	msg = strings.Join(strings.Fields(logging.Redact(msg)), " ")
	if r := []rune(msg); len(r) > maxMessage {
		msg = string(r[:maxMessage]) + "…"
	}
	return msg, code
}

// isCode says whether s is an OAuth error code ("invalid_grant") rather
// than a sentence ("The access token is invalid").
func isCode(s string) bool {
	return s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyz_") == ""
}

// rateLimitReset reads X-RateLimit-Reset, which Mastodon and GoToSocial
// send as an ISO 8601 timestamp; epoch seconds from other forks are
// accepted too.
func rateLimitReset(h http.Header) (time.Time, bool) {
	v := strings.TrimSpace(h.Get("X-RateLimit-Reset"))
	if v == "" {
		return time.Time{}, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil && secs > 1e9 {
		return time.Unix(secs, 0).UTC(), true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
