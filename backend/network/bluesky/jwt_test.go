package bluesky

import (
	"encoding/base64"
	"testing"
	"time"
)

func jwtWith(payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"typ":"at+jwt","alg":"HS256"}`)) + "." + enc([]byte(payload)) + ".c2ln"
}

func TestParseJWT(t *testing.T) {
	padded := base64.URLEncoding.EncodeToString([]byte(`{"exp":1700000000}`))
	cases := []struct {
		name, token string
		exp         int64 // 0: no expiry
		sub, scope  string
		bad         bool
	}{
		{name: "access token", token: jwtWith(`{"scope":"com.atproto.appPass","sub":"did:plc:abc","iat":1699990000,"exp":1700000000}`),
			exp: 1700000000, sub: "did:plc:abc", scope: "com.atproto.appPass"},
		{name: "no exp", token: jwtWith(`{"sub":"did:plc:abc"}`), sub: "did:plc:abc"},
		{name: "float exp", token: jwtWith(`{"exp":1.7e9}`), exp: 1700000000},
		{name: "padded payload", token: "eyJhbGciOiJIUzI1NiJ9." + padded + ".sig", exp: 1700000000},
		{name: "non-string sub ignored", token: jwtWith(`{"sub":42,"exp":1700000000}`), exp: 1700000000},
		{name: "empty signature is still readable", token: jwtWith(`{"exp":1700000000}`)[:len(jwtWith(`{"exp":1700000000}`))-4], exp: 1700000000},
		{name: "negative exp", token: jwtWith(`{"exp":-5}`), bad: true},
		{name: "exp beyond year 9999", token: jwtWith(`{"exp":1e300}`), bad: true},
		{name: "exp as text", token: jwtWith(`{"exp":"soon"}`), bad: true},
		{name: "payload not JSON", token: jwtWith(`not json`), bad: true},
		{name: "payload an array", token: jwtWith(`[1,2]`), bad: true},
		{name: "two parts", token: "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9", bad: true},
		{name: "four parts", token: jwtWith(`{"exp":1}`) + ".x", bad: true},
		{name: "bad base64", token: "a.!!!.c", bad: true},
		{name: "empty", token: "", bad: true},
		{name: "opaque token", token: "hrld-opaque-token", bad: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseJWT(tc.token)
			if tc.bad {
				if err == nil {
					t.Fatalf("parseJWT = %+v, want an error", c)
				}
				if !jwtExpiry(tc.token).IsZero() {
					t.Error("jwtExpiry of a bad token is not zero")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var want time.Time
			if tc.exp != 0 {
				want = time.Unix(tc.exp, 0).UTC()
			}
			if !c.Exp.Equal(want) || c.Sub != tc.sub || c.Scope != tc.scope {
				t.Errorf("parseJWT = %+v; want exp %v sub %q scope %q", c, want, tc.sub, tc.scope)
			}
		})
	}
}

func FuzzParseJWT(f *testing.F) {
	f.Add(jwtWith(`{"scope":"com.atproto.refresh","sub":"did:plc:abc","exp":1700000000,"jti":"x"}`))
	f.Add(jwtWith(`{"exp":1.5e9}`))
	f.Add(jwtWith(`{"exp":9223372036854775807}`))
	f.Add(jwtWith(`{"exp":1e-400}`))
	f.Add("a.b.c")
	f.Add("..")
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		c, err := parseJWT(token)
		if err != nil {
			return
		}
		if !c.Exp.IsZero() && (c.Exp.Year() < 1970 || c.Exp.Year() > 9999) {
			t.Errorf("parseJWT(%q) exp = %v, outside any real token's range", token, c.Exp)
		}
		_ = jwtExpiry(token)
	})
}
