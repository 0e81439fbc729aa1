package bluesky

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"herald/backend/network"
)

// idKind is what the user typed as the identifier.
type idKind int

const (
	idHandle idKind = iota
	idEmail
	idDID
)

// errShortHandle is the answer to "alice" instead of "alice.bsky.social".
var errShortHandle = errors.New("type your full handle, like alice.bsky.social")

// normalizeIdentifier cleans what the user typed or pasted: a leading @,
// spaces, and the invisible direction marks bsky.app copies around handles;
// handles and emails are case-insensitive, so they are lower-cased.
// Errors quote what was typed, not the cleaned form.
func normalizeIdentifier(typed string) (string, idKind, error) {
	quoted := "“" + strings.TrimSpace(typed) + "”"
	s := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, typed)
	s = strings.TrimLeft(s, "@")
	switch {
	case s == "":
		return "", idHandle, errors.New("type your Bluesky handle, like alice.bsky.social")
	case strings.HasPrefix(s, "did:"):
		if !validDID(s) {
			return "", idDID, errors.New(quoted + " is not a valid Bluesky DID")
		}
		return s, idDID, nil
	case strings.Contains(s, "@"):
		return strings.ToLower(s), idEmail, nil
	}
	s = strings.TrimSuffix(strings.ToLower(s), ".")
	if !strings.Contains(s, ".") {
		return "", idHandle, errShortHandle
	}
	if !validHandle(s) {
		return "", idHandle, errors.New(quoted + " is not a valid Bluesky handle; a handle looks like alice.bsky.social")
	}
	return s, idHandle, nil
}

// validHandle follows https://atproto.com/specs/handle: DNS labels of
// letters, digits and hyphens, at least two labels, a TLD that does not
// start with a digit, at most 253 characters.
func validHandle(h string) bool {
	if len(h) > 253 {
		return false
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	return tld[0] < '0' || tld[0] > '9'
}

// validDID accepts the two DID methods atproto supports
// (https://atproto.com/specs/did).
func validDID(did string) bool {
	switch {
	case strings.HasPrefix(did, "did:plc:"):
		id := did[len("did:plc:"):]
		if len(id) != 24 {
			return false
		}
		for _, r := range id {
			if (r < 'a' || r > 'z') && (r < '2' || r > '7') {
				return false
			}
		}
		return true
	case strings.HasPrefix(did, "did:web:"):
		_, err := didWebURL(did)
		return err == nil
	}
	return false
}

// didDocURL is where a DID document lives: the PLC directory for did:plc,
// the host's well-known path for did:web (https://atproto.com/specs/did).
func (cl *Client) didDocURL(did string) (string, error) {
	if strings.HasPrefix(did, "did:plc:") && validDID(did) {
		return cl.plc + "/" + did, nil
	}
	if strings.HasPrefix(did, "did:web:") {
		return didWebURL(did)
	}
	return "", errors.New("unsupported DID " + did)
}

// didWebURL maps did:web:example.com (a port as %3A) to
// https://example.com/.well-known/did.json. atproto allows only host-level
// did:web, so a path is rejected. localhost is reached over http, as the
// atproto reference resolvers do for development.
func didWebURL(did string) (string, error) {
	rest := strings.TrimPrefix(did, "did:web:")
	if rest == did || rest == "" || strings.Contains(rest, ":") || strings.Contains(rest, "/") {
		return "", errors.New("unsupported did:web " + did)
	}
	host, err := url.PathUnescape(rest)
	if err != nil || host == "" || strings.ContainsAny(host, "/?#@ ") {
		return "", errors.New("unsupported did:web " + did)
	}
	scheme := "https"
	if h, _, err := net.SplitHostPort(host); (err == nil && h == "localhost") || host == "localhost" {
		scheme = "http"
	}
	return scheme + "://" + host + "/.well-known/did.json", nil
}

// didDocument is the subset of a DID document Herald reads.
type didDocument struct {
	ID          string   `json:"id"`
	AlsoKnownAs []string `json:"alsoKnownAs"`
	Service     []struct {
		ID              string `json:"id"`
		Type            string `json:"type"`
		ServiceEndpoint any    `json:"serviceEndpoint"`
	} `json:"service"`
}

// pds returns the account's Personal Data Server: the service with id
// #atproto_pds and type AtprotoPersonalDataServer.
func (d didDocument) pds(did string) (string, error) {
	if d.ID != did {
		return "", errors.New("the DID document belongs to another account")
	}
	for _, s := range d.Service {
		if (s.ID == "#atproto_pds" || s.ID == did+"#atproto_pds") && s.Type == "AtprotoPersonalDataServer" {
			ep, ok := s.ServiceEndpoint.(string)
			if !ok {
				break
			}
			return normalizeHost(ep)
		}
	}
	return "", errors.New("the account's DID document names no Bluesky hosting provider (PDS)")
}

// errNoHTTPS: an address with plain http to another computer.
var errNoHTTPS = errors.New("does not use https")

// normalizeHost reduces a server address to scheme://host[:port]. Plain
// http is allowed only on this machine: an app password must not cross
// the network unencrypted.
func normalizeHost(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil {
		return "", errors.New("“" + s + "” is not a server address")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "", fmt.Errorf("“%s” %w", s, errNoHTTPS)
		}
	default:
		return "", errors.New("“" + s + "” is not a server address")
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// resolveHandle turns a handle into a DID at the entryway. typed is the
// handle as the person typed it, which errors quote.
// https://docs.bsky.app/docs/api/com-atproto-identity-resolve-handle
func (cl *Client) resolveHandle(ctx context.Context, host, handle, typed string) (string, error) {
	var out struct {
		DID string `json:"did"`
	}
	err := cl.do(ctx, call{op: "sign in", method: http.MethodGet, host: host,
		nsid: "com.atproto.identity.resolveHandle", query: url.Values{"handle": {handle}}}, &out)
	var ne *network.Error
	if errors.As(err, &ne) && (ne.Status == http.StatusBadRequest || ne.Status == http.StatusNotFound) {
		// Unknown handles come back as 400 InvalidRequest "Unable to resolve
		// handle" (HandleNotFound in newer servers).
		ne.Class, ne.Field = network.ClassInvalidInput, network.FieldIdentifier
		ne.Message = "Bluesky has no account with the handle “" + strings.TrimSpace(typed) + "”. Check the spelling, or use the handle shown on your Bluesky profile"
		ne.Err = errors.New("resolveHandle " + handle + ": " + ne.Code)
		return "", ne
	}
	if err != nil {
		return "", err
	}
	if !validDID(out.DID) {
		return "", &network.Error{Network: ID, Op: "sign in", Class: network.ClassTransient,
			Message: "Bluesky answered the handle look-up with something Herald could not read",
			Err:     errors.New("resolveHandle " + handle + ": not a DID: " + out.DID)}
	}
	return out.DID, nil
}

// resolvePDS finds where the account with did is hosted. Its errors are
// about the account the person named (the identifier field) and never
// show the DID, which the person did not type; Err keeps it for logs.
// did:plc: https://web.plc.directory/api/redoc#operation/ResolveDid
// did:web: https://w3c-ccg.github.io/did-method-web/
func (cl *Client) resolvePDS(ctx context.Context, did string) (string, error) {
	accountError := func(msg string, err error) *network.Error {
		return &network.Error{Network: ID, Op: "sign in", Class: network.ClassInvalidInput, Field: network.FieldIdentifier,
			Message: msg, Err: fmt.Errorf("resolve %s: %w", did, err)}
	}
	u, err := cl.didDocURL(did)
	if err != nil {
		return "", accountError("Herald cannot sign in to this kind of Bluesky account", err)
	}
	var doc didDocument
	err = cl.getJSON(ctx, call{op: "sign in", method: http.MethodGet, nsid: "DID document"}, u, &doc)
	var ne *network.Error
	if errors.As(err, &ne) && (ne.Status == http.StatusNotFound || ne.Status == http.StatusGone) {
		ne.Class, ne.Field = network.ClassInvalidInput, network.FieldIdentifier
		ne.Message = "Bluesky's directory has no record of this account (it may have been deleted)"
		ne.Err = fmt.Errorf("resolve %s: HTTP %d", did, ne.Status)
		return "", ne
	}
	if err != nil {
		return "", err
	}
	pds, err := doc.pds(did)
	if err != nil {
		return "", accountError("Bluesky's directory does not say where this account is hosted", err)
	}
	return pds, nil
}
