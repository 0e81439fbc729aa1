package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"

	"herald/backend/network"
)

// maxBody bounds how much of a response Herald reads: a misbehaving server
// must not be able to exhaust memory.
const maxBody = 4 << 20

// request is one API call.
type request struct {
	method string
	url    string
	token  string     // Authorization: Bearer, when set
	form   url.Values // urlencoded body, when set
	// body and contentType are a prepared body (multipart), with its
	// exact length.
	body        io.Reader
	contentType string
	length      int64
	// idempotencyKey is sent as Idempotency-Key.
	idempotencyKey string
	// write marks a call that creates something (a status, a media
	// attachment): the transport must never send it a second time.
	write bool
}

// send makes one request. token, when set, goes in the Authorization
// header; form, when set, is the urlencoded body.
func (c *Client) send(ctx context.Context, method, rawURL, token string, form url.Values) (*http.Response, error) {
	return c.do(ctx, request{method: method, url: rawURL, token: token, form: form})
}

func (c *Client) do(ctx context.Context, r request) (*http.Response, error) {
	body, contentType := r.body, r.contentType
	if r.form != nil {
		body, contentType = strings.NewReader(r.form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, body)
	if err != nil {
		return nil, err
	}
	if r.body != nil && r.length > 0 {
		req.ContentLength = r.length
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.clientName)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	if r.idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", r.idempotencyKey)
	}
	if r.write {
		// Go's transport resends a request with a rewindable body and an
		// Idempotency-Key when a reused connection dies before the answer
		// (net/http Request.isReplayable). GoToSocial ignores the key, so
		// that silent resend would be a second post. Without GetBody the
		// transport cannot resend: a lost answer surfaces as an error with
		// Sent set, and Herald reconciles before it tries again.
		req.GetBody = nil
	}
	return c.http.Do(req)
}

// call sends a request and decodes a 2xx JSON answer into out (if not
// nil); any other answer becomes a classified *network.Error.
func (c *Client) call(ctx context.Context, op, method, rawURL, token string, form url.Values, out any) error {
	_, err := c.callReq(ctx, op, request{method: method, url: rawURL, token: token, form: form}, out)
	return err
}

// callReq is call for a prepared request; it also returns the 2xx status
// (200 and 202 mean different things for media).
//
// A write that failed without an answer is Sent exactly when the request
// was written: a refused connection made nothing, but a timeout or a
// cancellation after writing may have made the post.
func (c *Client) callReq(ctx context.Context, op string, r request, out any) (int, error) {
	var wrote atomic.Bool
	if r.write {
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
			WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(true) },
		})
	}
	resp, err := c.do(ctx, r)
	if err != nil {
		e := network.TransportError(ID, op, err)
		if r.write {
			e.Sent = wrote.Load()
		}
		return 0, e
	}
	defer drain(resp)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, c.apiError(op, resp)
	}
	if out == nil {
		return resp.StatusCode, nil
	}
	return resp.StatusCode, decode(op, resp, out)
}

// decode reads a JSON answer into out.
func decode(op string, resp *http.Response, out any) error {
	if !isJSON(resp) {
		return &network.Error{Network: ID, Op: op, Class: network.ClassTransient, Status: resp.StatusCode,
			Message: "the server answered with a web page instead of the Mastodon API; try again later"}
	}
	if err := json.NewDecoder(limitBody(resp)).Decode(out); err != nil {
		return &network.Error{Network: ID, Op: op, Class: network.ClassTransient, Status: resp.StatusCode,
			Message: "the server's answer could not be read", Err: err}
	}
	return nil
}

func limitBody(resp *http.Response) io.Reader { return io.LimitReader(resp.Body, maxBody) }

// drain reads what is left of a body (so the connection can be reused) and
// closes it.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
	_ = resp.Body.Close()
}

func invalid(op, msg string) *network.Error {
	return &network.Error{Network: ID, Op: op, Class: network.ClassInvalidInput, Message: msg}
}

// badAddress is an error in the server address the person typed. msg
// speaks of "this" address: the caller quotes what was typed.
func badAddress(op, msg string) *network.Error {
	e := invalid(op, msg)
	e.Field = network.FieldInstance
	return e
}

// normalize is NormalizeInstance for calls that take a stored instance,
// naming the operation in its error.
func normalize(op, instance string) (string, error) {
	n, err := NormalizeInstance(instance)
	var ne *network.Error
	if errors.As(err, &ne) {
		ne.Op = op
	}
	return n, err
}
