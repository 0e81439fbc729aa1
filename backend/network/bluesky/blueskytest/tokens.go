package blueskytest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Token scopes as the reference PDS writes them.
const (
	scopeAccess  = "com.atproto.access"
	scopeAppPass = "com.atproto.appPass"
	scopeRefresh = "com.atproto.refresh"
)

// session is one createSession and its chain of refreshes.
type session struct {
	scope      string // access scope: appPass or access
	refreshJTI string // the one refresh token still valid
	revoked    bool
}

// issued is what the fake remembers of a token it signed.
type issued struct {
	session *session
	refresh bool
	expired bool // forced by ExpireAccessTokens
}

type payload struct {
	Scope string `json:"scope"`
	Sub   string `json:"sub"`
	Aud   string `json:"aud"`
	Iat   int64  `json:"iat"`
	Exp   int64  `json:"exp"`
	JTI   string `json:"jti"`
}

// sessionTokens signs a new access and refresh JWT for ss. Callers hold s.mu.
func (s *Server) sessionTokens(ss *session) (access, refresh string) {
	now := s.now()
	aud := "did:web:" + hostOf(s.srv.URL)
	a := payload{Scope: ss.scope, Sub: DID, Aud: aud, Iat: now.Unix(), Exp: now.Add(s.accessTTL).Unix(), JTI: rand.Text()}
	r := payload{Scope: scopeRefresh, Sub: DID, Aud: aud, Iat: now.Unix(), Exp: now.Add(s.refreshTTL).Unix(), JTI: rand.Text()}
	s.tokens[a.JTI] = &issued{session: ss}
	s.tokens[r.JTI] = &issued{session: ss, refresh: true}
	ss.refreshJTI = r.JTI
	return s.sign("at+jwt", a), s.sign("refresh+jwt", r)
}

// sign writes a compact HS256 JWT, as the reference PDS does.
func (s *Server) sign(typ string, p payload) string {
	h, _ := json.Marshal(map[string]string{"typ": typ, "alg": "HS256"})
	b, _ := json.Marshal(p)
	msg := b64(h) + "." + b64(b)
	mac := hmac.New(sha256.New, s.secret)
	mac.Write([]byte(msg))
	return msg + "." + b64(mac.Sum(nil))
}

// verify checks a JWT's signature and returns its payload.
func (s *Server) verify(token string) (payload, bool) {
	i := strings.LastIndexByte(token, '.')
	if i < 0 || strings.Count(token, ".") != 2 {
		return payload{}, false
	}
	mac := hmac.New(sha256.New, s.secret)
	mac.Write([]byte(token[:i]))
	sig, err := base64.RawURLEncoding.DecodeString(token[i+1:])
	if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
		return payload{}, false
	}
	body, err := base64.RawURLEncoding.DecodeString(token[strings.IndexByte(token, '.')+1 : i])
	if err != nil {
		return payload{}, false
	}
	var p payload
	if json.Unmarshal(body, &p) != nil || !strings.HasPrefix(p.Sub, "did:") {
		return payload{}, false
	}
	return p, true
}

type authLevel int

const (
	authNone authLevel = iota
	authAccess
	authRefresh
)

// caller is who an authenticated request acts as.
type caller struct {
	did     string
	session *session
	jti     string
}

// xrpcErr is a rejection to write as an XRPC error.
type xrpcErr struct {
	status        int
	name, message string
}

// authenticate checks the bearer token the way the reference PDS's auth
// verifier does: 401 AuthMissing without one, 400 InvalidToken when it is
// forged, of the wrong kind or revoked, 400 ExpiredToken when it expired.
// Callers hold s.mu.
func (s *Server) authenticate(r *http.Request, level authLevel) (caller, *xrpcErr) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		return caller{}, &xrpcErr{http.StatusUnauthorized, "AuthMissing", "Authentication Required"}
	}
	p, ok := s.verify(token)
	if !ok {
		return caller{}, &xrpcErr{http.StatusBadRequest, "InvalidToken", "Token could not be verified"}
	}
	tk := s.tokens[p.JTI]
	if (level == authRefresh) != (p.Scope == scopeRefresh) || tk == nil {
		return caller{}, &xrpcErr{http.StatusBadRequest, "InvalidToken", "Bad token scope"}
	}
	if !s.now().Before(time.Unix(p.Exp, 0)) || tk.expired {
		return caller{}, &xrpcErr{http.StatusBadRequest, "ExpiredToken", "Token has expired"}
	}
	if level == authRefresh && (tk.session.revoked || tk.session.refreshJTI != p.JTI) {
		// A spent (rotated) or revoked refresh token, as refreshSession says it.
		return caller{}, &xrpcErr{http.StatusBadRequest, "ExpiredToken", "Token has been revoked"}
	}
	if tk.session.revoked {
		return caller{}, &xrpcErr{http.StatusBadRequest, "InvalidToken", "Token has been revoked"}
	}
	if s.status == "takendown" {
		return caller{}, &xrpcErr{http.StatusUnauthorized, "AccountTakedown", "Account has been taken down"}
	}
	return caller{did: p.Sub, session: tk.session, jti: p.JTI}, nil
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	return strings.ReplaceAll(p.Host, ":", "%3A")
}
