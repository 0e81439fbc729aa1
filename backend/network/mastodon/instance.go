package mastodon

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"herald/backend/network"
)

// NormalizeInstance turns what a person types for their server
// ("mastodon.social", "https://mastodon.social/", "@alice@mastodon.social")
// into a base URL ("https://mastodon.social"). Plain http is accepted only
// for loopback hosts, where a local test server runs.
func NormalizeInstance(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", badAddress("normalize", "type the address of your server")
	}
	notServer := func() (string, error) {
		return "", badAddress("normalize", "this is not a server address")
	}
	if !strings.Contains(s, "://") {
		// A handle: @alice@mastodon.social or alice@mastodon.social; an @
		// after a slash is a profile's path (mastodon.social/@alice).
		if i := strings.LastIndex(s, "@"); i >= 0 && !strings.Contains(s[:i], "/") {
			if !validUser(strings.TrimPrefix(s[:i], "@")) {
				return notServer()
			}
			s = s[i+1:]
		}
		s = "//" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.User != nil || u.Opaque != "" {
		return notServer()
	}
	host, err := normalizeHost(u.Hostname())
	if err != nil {
		return notServer()
	}
	port := u.Port()
	if strings.HasSuffix(u.Host, ":") || (port != "" && !validPort(port)) {
		return notServer()
	}
	scheme := strings.ToLower(u.Scheme)
	switch scheme {
	case "":
		scheme = "https"
		if isLoopback(host) {
			scheme = "http"
		}
	case "https":
	case "http":
		if !isLoopback(host) {
			return "", badAddress("normalize", "the server must be reached over https; plain http is only allowed for a server on this computer")
		}
	default:
		return notServer()
	}
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host, nil
}

// normalizeHost lower-cases a host, converts an international name to its
// ASCII form, and rejects anything that cannot be a server name.
func normalizeHost(h string) (string, error) {
	if h == "" {
		return "", fmt.Errorf("empty host")
	}
	if ip := net.ParseIP(h); ip != nil {
		return ip.String(), nil
	}
	if !utf8.ValidString(h) {
		return "", fmt.Errorf("not UTF-8")
	}
	ascii, err := idna.Lookup.ToASCII(strings.TrimSuffix(h, "."))
	if err != nil {
		return "", err
	}
	// A name that does not survive a second pass is not one (bad punycode).
	if again, err := idna.Lookup.ToASCII(ascii); err != nil || again != ascii {
		return "", fmt.Errorf("not a stable domain name")
	}
	if ascii == "localhost" {
		return ascii, nil
	}
	labels := strings.Split(ascii, ".")
	if len(labels) < 2 {
		return "", fmt.Errorf("not a domain name")
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return "", fmt.Errorf("bad label")
		}
		if strings.Trim(l, lower+digits+"-_") != "" {
			return "", fmt.Errorf("bad character")
		}
	}
	return ascii, nil
}

// validUser accepts the user part of a handle (letters, digits, _ . -).
func validUser(u string) bool {
	return u != "" && strings.Trim(u, lower+strings.ToUpper(lower)+digits+"_.-") == ""
}

const (
	lower  = "abcdefghijklmnopqrstuvwxyz"
	digits = "0123456789"
)

func validPort(p string) bool {
	if len(p) > 5 {
		return false
	}
	n := 0
	for _, r := range p {
		if r < '0' || r > '9' {
			return false
		}
		n = n*10 + int(r-'0')
	}
	return n > 0 && n < 65536
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hostOf returns the host (and port, if any) of a normalized instance.
func hostOf(instance string) string {
	u, err := url.Parse(instance)
	if err != nil {
		return instance
	}
	return u.Host
}

// instanceInfo is the part of the v1 instance entity Herald needs to know
// it is talking to a Mastodon-API server.
type instanceInfo struct {
	URI     string `json:"uri"`
	Domain  string `json:"domain"`
	Title   string `json:"title"`
	Version string `json:"version"`
}

// probe confirms that instance is a Mastodon-API server before Herald
// registers itself there, so a typo gets a clear answer instead of an
// OAuth error page.
//
// https://docs.joinmastodon.org/methods/instance/#v1
func (c *Client) probe(ctx context.Context, instance string) error {
	const op = "check server"
	resp, err := c.send(ctx, http.MethodGet, instance+"/api/v1/instance", "", nil)
	if err != nil {
		return network.TransportError(ID, op, err)
	}
	defer drain(resp)
	// The message speaks of the address the person typed; the host as
	// Herald reached it (punycode for an international name) is for logs.
	notMastodon := func(why string) error {
		e := badAddress(op, "this does not look like a Mastodon server ("+why+")")
		e.Err = fmt.Errorf("GET %s/api/v1/instance: HTTP %d, %s", instance, resp.StatusCode, resp.Header.Get("Content-Type"))
		return e
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return c.apiError(op, resp)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return notMastodon(fmt.Sprintf("it answered HTTP %d to the Mastodon API", resp.StatusCode))
	case !isJSON(resp):
		return notMastodon("it answered with a web page, not the Mastodon API")
	}
	var info instanceInfo
	if err := json.NewDecoder(limitBody(resp)).Decode(&info); err != nil {
		return notMastodon("its answer is not valid JSON")
	}
	if info.URI == "" && info.Domain == "" && info.Title == "" {
		return notMastodon("its answer does not describe a server")
	}
	return nil
}

func isJSON(resp *http.Response) bool {
	ct := strings.ToLower(resp.Header.Get("Content-Type"))
	return ct == "" || strings.Contains(ct, "json")
}
