package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"herald/backend/network"
)

// maxBody bounds how much of a response Herald reads: a misbehaving server
// must not be able to exhaust memory.
const maxBody = 4 << 20

// send makes one request. token, when set, goes in the Authorization
// header; form, when set, is the urlencoded body.
func (c *Client) send(ctx context.Context, method, rawURL, token string, form url.Values) (*http.Response, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.clientName)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return c.http.Do(req)
}

// call sends a request and decodes a 2xx JSON answer into out (if not
// nil); any other answer becomes a classified *network.Error.
func (c *Client) call(ctx context.Context, op, method, rawURL, token string, form url.Values, out any) error {
	resp, err := c.send(ctx, method, rawURL, token, form)
	if err != nil {
		return network.TransportError(ID, op, err)
	}
	defer drain(resp)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return c.apiError(op, resp)
	}
	if out == nil {
		return nil
	}
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
