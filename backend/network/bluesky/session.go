package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"herald/backend/network"
)

// sessionOutput is the answer of createSession and refreshSession.
type sessionOutput struct {
	AccessJwt  string          `json:"accessJwt"`
	RefreshJwt string          `json:"refreshJwt"`
	Handle     string          `json:"handle"`
	DID        string          `json:"did"`
	DIDDoc     json.RawMessage `json:"didDoc"`
	Active     *bool           `json:"active"`
	Status     string          `json:"status"` // active, takendown, suspended, deactivated
}

// Login opens an app-password session. instance is the entryway or PDS
// the user chose ("" for bsky.social); identifier is a handle, an email
// or a DID.
func (cl *Client) Login(ctx context.Context, instance, identifier, password string) (network.Credential, error) {
	const op = "sign in"
	id, kind, err := normalizeIdentifier(identifier)
	if err != nil {
		return network.Credential{}, onField(invalid(op, capitalize(err.Error())), network.FieldIdentifier)
	}
	password = strings.TrimSpace(password)
	if password == "" {
		return network.Credential{}, onField(invalid(op, "Type the app password you made for Herald in Bluesky"), network.FieldSecret)
	}
	host := cl.entryway
	if host == "" && strings.TrimSpace(instance) == "" {
		return network.Credential{}, invalid(op, "Herald's Bluesky entryway setting is not a valid https address")
	}
	if strings.TrimSpace(instance) != "" {
		if host, err = normalizeHost(instance); err != nil {
			msg := "this is not the address of a hosting provider"
			if errors.Is(err, errNoHTTPS) {
				msg = "this address does not use https (plain http is only allowed for a server on this computer)"
			}
			e := onField(invalid(op, msg), network.FieldInstance)
			e.Err = err
			return network.Credential{}, e
		}
	}
	did := id
	if kind == idHandle {
		if did, err = cl.resolveHandle(ctx, host, id, identifier); err != nil {
			return network.Credential{}, err
		}
	}
	pds := host // an email signs in at the entryway, which knows the account
	if kind != idEmail {
		if pds, err = cl.resolvePDS(ctx, did); err != nil {
			return network.Credential{}, err
		}
	}
	out, err := cl.createSession(ctx, pds, id, password)
	var ne *network.Error
	if errors.As(err, &ne) && ne.Class == network.ClassInvalidInput && ne.Field == "" {
		// A refused sign-in: the app password, most likely (the handle
		// was found, or the account was named by email).
		ne.Field = network.FieldSecret
	}
	if err != nil {
		return network.Credential{}, err
	}
	if kind == idEmail {
		if p, ok := sessionPDS(out); ok {
			pds = p
		} else if p, err := cl.resolvePDS(ctx, out.DID); err == nil {
			pds = p
		}
	}
	return credential(op, out, pds, nil)
}

// createSession signs in at the PDS.
// https://docs.bsky.app/docs/api/com-atproto-server-create-session
func (cl *Client) createSession(ctx context.Context, pds, identifier, password string) (sessionOutput, error) {
	var out sessionOutput
	err := cl.do(ctx, call{op: "sign in", method: http.MethodPost, host: pds, nsid: "com.atproto.server.createSession",
		body: map[string]string{"identifier": identifier, "password": password}}, &out)
	return out, err
}

// RefreshDue is true when the access token expires within 15 minutes, has
// expired, or has no readable expiry.
func (cl *Client) RefreshDue(cred network.Credential, now time.Time) bool {
	exp := cred.Expiry
	if exp.IsZero() {
		exp = jwtExpiry(cred.AccessToken)
	}
	return cred.AccessToken == "" || exp.IsZero() || !now.Add(refreshMargin).Before(exp)
}

// Refresh exchanges the refresh JWT for a new session. The old refresh
// token is spent: the returned credential replaces cred entirely and must
// be stored before it is used. Concurrent refreshes of one token share a
// single request, because a second one would find the token spent.
// https://docs.bsky.app/docs/api/com-atproto-server-refresh-session
func (cl *Client) Refresh(ctx context.Context, instance string, cred network.Credential) (network.Credential, error) {
	const op = "refresh"
	if cred.RefreshToken == "" {
		return network.Credential{}, &network.Error{Network: ID, Op: op, Class: network.ClassAuthDead,
			Message: "the stored Bluesky session has no refresh token; reconnect the account"}
	}
	host, err := cl.apiHost(op, instance, cred)
	if err != nil {
		return network.Credential{}, err
	}
	return cl.flights.do(ctx, cred.RefreshToken, func() (network.Credential, error) {
		var out sessionOutput
		err := cl.do(ctx, call{op: op, method: http.MethodPost, host: host, nsid: "com.atproto.server.refreshSession",
			token: cred.RefreshToken, use: refreshToken}, &out)
		if err != nil {
			return network.Credential{}, err
		}
		pds := cred.Extra[ExtraPDS]
		if p, ok := sessionPDS(out); ok {
			pds = p // the account moved to another PDS
		} else if pds == "" {
			pds = host
		}
		return credential(op, out, pds, cred.Extra)
	})
}

// Revoke ends the session on the PDS. A session that is already over
// counts as revoked.
// https://docs.bsky.app/docs/api/com-atproto-server-delete-session
func (cl *Client) Revoke(ctx context.Context, instance string, cred network.Credential) error {
	const op = "sign out"
	if cred.RefreshToken == "" {
		return nil
	}
	host, err := cl.apiHost(op, instance, cred)
	if err != nil {
		return err
	}
	err = cl.do(ctx, call{op: op, method: http.MethodPost, host: host, nsid: "com.atproto.server.deleteSession",
		token: cred.RefreshToken, use: refreshToken}, nil)
	if isClass(err, network.ClassAuthDead) {
		return nil
	}
	return err
}

// credential builds the keyring item from a session, keeping extra keys
// of the credential it replaces.
func credential(op string, out sessionOutput, pds string, prev map[string]string) (network.Credential, error) {
	if out.AccessJwt == "" || out.RefreshJwt == "" || !validDID(out.DID) {
		return network.Credential{}, &network.Error{Network: ID, Op: op, Class: network.ClassTransient,
			Message: "Bluesky's answer did not contain a session"}
	}
	if err := statusError(op, out.Active, out.Status); err != nil {
		return network.Credential{}, err
	}
	access, _ := parseJWT(out.AccessJwt)
	extra := maps.Clone(prev)
	if extra == nil {
		extra = map[string]string{}
	}
	extra[ExtraDID], extra[ExtraHandle], extra[ExtraPDS] = out.DID, out.Handle, pds
	return network.Credential{
		Kind:          CredentialKind,
		AccessToken:   out.AccessJwt,
		RefreshToken:  out.RefreshJwt,
		TokenType:     "Bearer",
		Scope:         access.Scope,
		Expiry:        access.Exp,
		RefreshExpiry: jwtExpiry(out.RefreshJwt),
		Extra:         extra,
	}, nil
}

// statusError explains an account that is signed in but not active.
func statusError(op string, active *bool, status string) error {
	if active == nil || *active {
		if status == "" || status == "active" {
			return nil
		}
	}
	e := &network.Error{Network: ID, Op: op, Class: network.ClassAuthDead, Code: status}
	switch status {
	case "takendown":
		e.Message = "Bluesky has taken down this account, so Herald can no longer act for it"
	case "suspended":
		e.Message = "Bluesky has suspended this account; Herald can act for it again once the suspension ends"
	case "deactivated":
		e.Message = "this Bluesky account is deactivated; reactivate it in Bluesky, then reconnect it in Herald"
	default:
		e.Message = "this Bluesky account is not active"
	}
	return e
}

// sessionPDS reads the PDS from the DID document a session may carry.
func sessionPDS(out sessionOutput) (string, bool) {
	if len(out.DIDDoc) == 0 {
		return "", false
	}
	var doc didDocument
	if json.Unmarshal(out.DIDDoc, &doc) != nil {
		return "", false
	}
	pds, err := doc.pds(out.DID)
	return pds, err == nil
}

func invalid(op, msg string) *network.Error {
	return &network.Error{Network: ID, Op: op, Class: network.ClassInvalidInput, Message: msg}
}

// onField marks e as about one sign-in input (network.Error.Field).
func onField(e *network.Error, field string) *network.Error {
	e.Field = field
	return e
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
