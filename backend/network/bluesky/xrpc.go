package bluesky

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"herald/backend/logging"
	"herald/backend/network"
)

// tokenUse says which token a call presents, because the same XRPC error
// means different things: ExpiredToken on an API call asks for a refresh,
// on refreshSession it means the session is over.
type tokenUse int

const (
	noToken      tokenUse = iota // sign-in and identity look-ups
	accessToken                  // API calls
	refreshToken                 // refreshSession, deleteSession
)

// call is one XRPC request: https://atproto.com/specs/xrpc
type call struct {
	op     string // names the step in errors: "sign in", "check"
	method string // GET for queries, POST for procedures
	host   string // scheme://host of the entryway or PDS
	nsid   string
	query  url.Values
	body   any // JSON input of a procedure, if any
	// raw is a procedure's binary input (uploadBlob), sent as rawType.
	raw     []byte
	rawType string
	token   string
	use     tokenUse
	// subject names what a refusal is about in messages: "the post".
	subject string
	// proxy is the atproto-proxy header: the service the PDS forwards
	// the call to (the chat service).
	proxy string
}

// maxResponse bounds how much of a response is read; XRPC answers here
// are JSON objects, the largest a page of 100 records.
const maxResponse = 4 << 20

// xrpcError is the documented error body: {"error": "Name", "message": "…"}.
type xrpcError struct {
	Name    string `json:"error"`
	Message string `json:"message"`
}

// do sends c and decodes a 200 answer into out (which may be nil).
func (cl *Client) do(ctx context.Context, c call, out any) error {
	u := c.host + "/xrpc/" + c.nsid
	if len(c.query) > 0 {
		u += "?" + c.query.Encode()
	}
	return cl.getJSON(ctx, c, u, out)
}

// getJSON performs the request for c at u: XRPC calls and the DID
// document fetches share it, so both classify errors the same way.
func (cl *Client) getJSON(ctx context.Context, c call, u string, out any) error {
	var body io.Reader
	contentType := ""
	switch {
	case c.raw != nil:
		body, contentType = bytes.NewReader(c.raw), c.rawType
	case c.body != nil:
		b, err := json.Marshal(c.body)
		if err != nil {
			return &network.Error{Network: ID, Op: c.op, Class: network.ClassInvalidInput, Message: "the request could not be encoded", Err: err}
		}
		body, contentType = bytes.NewReader(b), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, c.method, u, body)
	if err != nil {
		return &network.Error{Network: ID, Op: c.op, Class: network.ClassInvalidInput, Message: "the server address is not valid", Err: err}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.proxy != "" {
		req.Header.Set("Atproto-Proxy", c.proxy)
	}
	resp, err := cl.http.Do(req)
	if err != nil {
		return network.TransportError(ID, c.op, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		ne := network.TransportError(ID, c.op, err)
		ne.Status = resp.StatusCode
		return ne
	}
	if resp.StatusCode != http.StatusOK {
		return cl.classify(c, resp.StatusCode, resp.Header, raw)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return &network.Error{Network: ID, Op: c.op, Class: network.ClassTransient, Status: resp.StatusCode,
			Message: "the server sent an answer Herald could not read", Err: err}
	}
	return nil
}

// classify maps a non-200 answer to the shared error classes.
func (cl *Client) classify(c call, status int, h http.Header, raw []byte) *network.Error {
	var xe xrpcError
	_ = json.Unmarshal(raw, &xe) // proxies may answer with HTML: then only the status counts
	e := &network.Error{
		Network: ID,
		Op:      c.op,
		Status:  status,
		Code:    xe.Name,
		Class:   network.HTTPClass(status),
	}
	said := serverSaid(xe.Message)
	switch {
	case status == http.StatusTooManyRequests || xe.Name == "RateLimitExceeded":
		e.Class = network.ClassRateLimited
		e.ResetAt, _ = rateLimitReset(h, cl.now())
		e.Message = "Bluesky is rate limiting Herald" + untilText(e.ResetAt)
	case xe.Name == "AccountTakedown":
		e.Class = network.ClassAuthDead
		e.Message = "Bluesky has taken down this account, so Herald can no longer act for it" + said
	case xe.Name == "AccountDeactivated":
		e.Class = network.ClassAuthDead
		e.Message = "this Bluesky account is deactivated; reactivate it in Bluesky, then reconnect it in Herald"
	case xe.Name == "AuthFactorTokenRequired":
		e.Class = network.ClassInvalidInput
		e.Message = "Bluesky asked for the sign-in code it emails you, which means this is your main password. " +
			"Herald needs an app password instead: make one in Bluesky under Settings → Privacy and security → App passwords"
	case c.proxy != "" && xe.Name == "InvalidToken" && badTokenScope(xe.Message):
		// The PDS refuses to forward a privileged call (direct messages)
		// for an app password made without that access: the session is
		// fine, one permission is missing.
		e.Class = network.ClassScopeMissing
		e.Message = "this app password has no access to direct messages"
	case xe.Name == "ExpiredToken" && c.use == accessToken:
		e.Class = network.ClassTokenExpired
		e.Message = "the Bluesky session needs to be renewed"
	case xe.Name == "ExpiredToken" || xe.Name == "InvalidToken":
		e.Class = network.ClassAuthDead
		e.Message = "Bluesky ended this session (it was signed out, or its app password was revoked); reconnect the account" + said
	case c.use == noToken && (status == http.StatusUnauthorized || xe.Name == "AuthenticationRequired"):
		e.Class = network.ClassInvalidInput
		e.Message = "Bluesky did not accept this handle and app password. Check both, or make a new app password " +
			"in Bluesky under Settings → Privacy and security → App passwords"
	case status == http.StatusUnauthorized || xe.Name == "AuthenticationRequired" || xe.Name == "AuthMissing":
		e.Class = network.ClassAuthDead
		e.Message = "Bluesky no longer accepts this session; reconnect the account" + said
	case xe.Name == "MethodNotImplemented" || status == http.StatusNotImplemented:
		e.Class = network.ClassAPIRetired
		e.Message = "this Bluesky server does not support " + c.nsid
	case xe.Name == "BlobNotFound":
		// The upload expired before the post referenced it: publishing
		// again uploads it again.
		e.Class = network.ClassTransient
		e.Message = "Bluesky lost an image Herald had just uploaded; Herald will try again" + said
	case isBlobError(xe.Name):
		// Declared by the reference PDS when a record's image blob breaks
		// the lexicon's constraints (size, type, dimensions).
		e.Class = network.ClassMediaRejected
		e.Message = "Bluesky refused an image" + said
	case e.Class == network.ClassMediaRejected:
		e.Message = "Bluesky refused the file as too large or of an unsupported type" + said
	case e.Class == network.ClassTransient:
		e.ResetAt, _ = network.RetryAfterHeader(h, cl.now())
		e.Message = "Bluesky is having trouble right now; Herald will try again later" + said
	case c.use == noToken && status < 500:
		e.Class = network.ClassInvalidInput
		e.Message = "Bluesky refused the sign-in" + said
	default:
		subject := c.subject
		if subject == "" {
			subject = "the request"
		}
		e.Message = "Bluesky refused " + subject + said
	}
	return e
}

// badTokenScope reports whether a PDS message says the token may not make
// this call ("Bad token method" for a privileged method, "Bad token scope").
func badTokenScope(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "bad token method") || strings.Contains(m, "bad token scope")
}

// isBlobError reports whether an XRPC error is about an attached blob.
func isBlobError(name string) bool {
	switch name {
	case "BlobTooLarge", "InvalidBlob", "InvalidMimeType", "InvalidSize", "InvalidImageDimensions", "PayloadTooLarge":
		return true
	}
	return false
}

// serverSaid quotes the server's own message, scrubbed and shortened, so a
// token echoed back by a server never reaches the UI.
func serverSaid(msg string) string {
	msg = strings.TrimSpace(logging.Redact(msg))
	if msg == "" {
		return ""
	}
	if r := []rune(msg); len(r) > 200 {
		msg = string(r[:200]) + "…"
	}
	return fmt.Sprintf(" (Bluesky said: %q)", msg)
}

func untilText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return " until " + t.UTC().Format(time.RFC3339)
}

// rateLimitReset reads ratelimit-reset, which Bluesky sends as epoch
// seconds (https://docs.bsky.app/docs/advanced-guides/rate-limits). A small
// value is read as seconds from now, as in the IETF RateLimit headers
// draft; Retry-After is the fallback.
func rateLimitReset(h http.Header, now time.Time) (time.Time, bool) {
	if v := strings.TrimSpace(h.Get("Ratelimit-Reset")); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 && n < 1<<40 {
			if n < 1_000_000_000 {
				return now.Add(time.Duration(n) * time.Second), true
			}
			return time.Unix(n, 0).UTC(), true
		}
	}
	return network.RetryAfterHeader(h, now)
}

// isClass reports whether err is a network.Error of class k.
func isClass(err error, k network.Class) bool {
	var ne *network.Error
	return errors.As(err, &ne) && ne.Class == k
}
