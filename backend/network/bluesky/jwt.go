package bluesky

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"time"
)

// claims are the parts of a session JWT Herald reads. The PDS signs its
// tokens for itself; Herald never verifies them, it only reads when they
// expire so it can refresh in time.
type claims struct {
	Sub   string
	Scope string
	Exp   time.Time // zero when the token has no exp claim
}

var errNotJWT = errors.New("not a JWT")

// maxJWT bounds what parseJWT decodes; session JWTs are a few hundred bytes.
const maxJWT = 16 << 10

// parseJWT decodes the payload of a compact JWT (header.payload.signature)
// without verifying it.
func parseJWT(token string) (claims, error) {
	if len(token) > maxJWT {
		return claims{}, errNotJWT
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return claims{}, errNotJWT
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return claims{}, errNotJWT
	}
	var p struct {
		Sub   any         `json:"sub"`
		Scope any         `json:"scope"`
		Exp   json.Number `json:"exp"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return claims{}, errNotJWT
	}
	c := claims{}
	c.Sub, _ = p.Sub.(string)
	c.Scope, _ = p.Scope.(string)
	if p.Exp != "" {
		exp, err := p.Exp.Float64()
		// Reject what no real token carries: negative, fractional
		// overflow, or beyond year 9999.
		if err != nil || math.IsNaN(exp) || exp <= 0 || exp > 253402300799 {
			return claims{}, errNotJWT
		}
		c.Exp = time.Unix(int64(exp), 0).UTC()
	}
	return c, nil
}

// jwtExpiry is the token's exp, or the zero time when it cannot be read
// (Herald then treats the token as due for refresh).
func jwtExpiry(token string) time.Time {
	c, err := parseJWT(token)
	if err != nil {
		return time.Time{}
	}
	return c.Exp
}
