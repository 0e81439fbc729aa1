package bluesky

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"herald/backend/network"
)

// canned answers every request with one response.
type canned struct {
	status int
	header http.Header
	body   string
}

func (c canned) Do(req *http.Request) (*http.Response, error) {
	h := c.header
	if h == nil {
		h = http.Header{}
	}
	return &http.Response{StatusCode: c.status, Header: h, Body: io.NopCloser(strings.NewReader(c.body)), Request: req}, nil
}

func TestErrorMapping(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	xe := func(name, msg string) string { return `{"error":"` + name + `","message":"` + msg + `"}` }
	hdr := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	cases := []struct {
		name   string
		use    tokenUse
		status int
		header http.Header
		body   string
		class  network.Class
		reset  time.Time
	}{
		{"expired access token: refresh and retry", accessToken, 400, nil, xe("ExpiredToken", "Token has expired"), network.ClassTokenExpired, time.Time{}},
		{"expired refresh token: session over", refreshToken, 400, nil, xe("ExpiredToken", "Token has been revoked"), network.ClassAuthDead, time.Time{}},
		{"invalid access token", accessToken, 400, nil, xe("InvalidToken", "Token could not be verified"), network.ClassAuthDead, time.Time{}},
		{"invalid refresh token", refreshToken, 400, nil, xe("InvalidToken", "Bad token scope"), network.ClassAuthDead, time.Time{}},
		{"wrong password at sign-in", noToken, 401, nil, xe("AuthenticationRequired", "Invalid identifier or password"), network.ClassInvalidInput, time.Time{}},
		{"sign-in code asked for", noToken, 401, nil, xe("AuthFactorTokenRequired", "A sign in code has been sent to your email address"), network.ClassInvalidInput, time.Time{}},
		{"takedown at sign-in", noToken, 401, nil, xe("AccountTakedown", "Account has been taken down"), network.ClassAuthDead, time.Time{}},
		{"takedown on a call", accessToken, 401, nil, xe("AccountTakedown", "Account has been taken down"), network.ClassAuthDead, time.Time{}},
		{"takedown on refresh", refreshToken, 401, nil, xe("AccountTakedown", "Account has been taken down"), network.ClassAuthDead, time.Time{}},
		{"deactivated", accessToken, 400, nil, xe("AccountDeactivated", "Account is deactivated"), network.ClassAuthDead, time.Time{}},
		{"authentication required on a call", accessToken, 401, nil, xe("AuthenticationRequired", "Authentication Required"), network.ClassAuthDead, time.Time{}},
		{"no token sent", accessToken, 401, nil, xe("AuthMissing", "Authentication Required"), network.ClassAuthDead, time.Time{}},
		{"401 without a body", accessToken, 401, nil, "", network.ClassAuthDead, time.Time{}},
		{"rate limit, epoch reset", accessToken, 429, hdr("RateLimit-Reset", "1740830700", "RateLimit-Remaining", "0"), xe("RateLimitExceeded", "Rate Limit Exceeded"), network.ClassRateLimited, time.Unix(1740830700, 0)},
		{"rate limit at sign-in", noToken, 429, hdr("ratelimit-reset", "1740830700"), xe("RateLimitExceeded", "Rate Limit Exceeded"), network.ClassRateLimited, time.Unix(1740830700, 0)},
		{"rate limit, delta reset", accessToken, 429, hdr("RateLimit-Reset", "60"), "", network.ClassRateLimited, now.Add(time.Minute)},
		{"rate limit, Retry-After only", refreshToken, 429, hdr("Retry-After", "120"), "", network.ClassRateLimited, now.Add(2 * time.Minute)},
		{"rate limit, no reset", accessToken, 429, nil, "", network.ClassRateLimited, time.Time{}},
		{"503 honours Retry-After", accessToken, 503, hdr("Retry-After", "30"), xe("NotEnoughResources", "Service Unavailable"), network.ClassTransient, now.Add(30 * time.Second)},
		{"500", accessToken, 500, nil, xe("InternalServerError", "Internal Server Error"), network.ClassTransient, time.Time{}},
		{"502 from a proxy, HTML", accessToken, 502, nil, "<html>Bad Gateway</html>", network.ClassTransient, time.Time{}},
		{"504 upstream timeout", noToken, 504, nil, xe("UpstreamTimeout", "Upstream Timeout"), network.ClassTransient, time.Time{}},
		{"method not implemented", accessToken, 501, nil, xe("MethodNotImplemented", "Method Not Implemented"), network.ClassAPIRetired, time.Time{}},
		{"invalid request on a call", accessToken, 400, nil, xe("InvalidRequest", "Record/text must not be longer than 300 graphemes"), network.ClassContentRejected, time.Time{}},
		{"invalid request at sign-in", noToken, 400, nil, xe("InvalidRequest", "Invalid identifier"), network.ClassInvalidInput, time.Time{}},
		{"payload too large", accessToken, 413, nil, xe("PayloadTooLarge", "request entity too large"), network.ClassMediaRejected, time.Time{}},
		{"blob too large for the embed", accessToken, 400, nil, xe("BlobTooLarge", "This file is too large."), network.ClassMediaRejected, time.Time{}},
		{"blob of the wrong type", accessToken, 400, nil, xe("InvalidMimeType", "Referenced Mimetype does not match stored blob."), network.ClassMediaRejected, time.Time{}},
		{"uploaded blob gone: upload again", accessToken, 400, nil, xe("BlobNotFound", "Could not find blob: bafkrei…"), network.ClassTransient, time.Time{}},
		{"forbidden", accessToken, 403, nil, xe("Forbidden", "Bad token method"), network.ClassScopeMissing, time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cl := New(Options{HTTP: canned{tc.status, tc.header, tc.body}, Now: func() time.Time { return now }})
			err := cl.do(context.Background(), call{op: "test", method: http.MethodGet, host: "https://pds.example.com",
				nsid: "com.example.test", token: "tok", use: tc.use}, nil)
			var ne *network.Error
			if !errors.As(err, &ne) {
				t.Fatalf("error %T %v, want *network.Error", err, err)
			}
			if ne.Class != tc.class || ne.Status != tc.status {
				t.Errorf("class %s status %d, want %s %d (%v)", ne.Class, ne.Status, tc.class, tc.status, err)
			}
			if !ne.ResetAt.Equal(tc.reset) {
				t.Errorf("ResetAt = %v, want %v", ne.ResetAt, tc.reset)
			}
			if ne.Network != ID || ne.Message == "" {
				t.Errorf("error lacks network or message: %+v", ne)
			}
		})
	}
}

func TestErrorMessagesHideEchoedSecrets(t *testing.T) {
	const jwt = "eyJ0eXAiOiJhdCtqd3QifQ.eyJzdWIiOiJkaWQ6cGxjOmFiYyJ9.c2lnbmF0dXJlX3g"
	body := `{"error":"InvalidRequest","message":"bad header Authorization: Bearer ` + jwt + ` and refreshJwt ` + jwt + `"}`
	cl := New(Options{HTTP: canned{status: 400, body: body}})
	err := cl.do(context.Background(), call{op: "test", method: http.MethodGet, host: "https://pds.example.com",
		nsid: "com.example.test", use: accessToken}, nil)
	if err == nil || strings.Contains(err.Error(), jwt) {
		t.Fatalf("error %q repeats the token", err)
	}
	long := `{"error":"InvalidRequest","message":"` + strings.Repeat("x", 5000) + `"}`
	cl = New(Options{HTTP: canned{status: 400, body: long}})
	err = cl.do(context.Background(), call{op: "test", method: http.MethodGet, host: "https://pds.example.com", nsid: "x"}, nil)
	if err == nil || len(err.Error()) > 600 {
		t.Errorf("a long server message is not shortened: %d bytes", len(err.Error()))
	}
}

func TestUnreadableSuccessIsTransient(t *testing.T) {
	cl := New(Options{HTTP: canned{status: 200, body: "<html>captive portal</html>"}})
	var out struct{ DID string }
	err := cl.do(context.Background(), call{op: "test", method: http.MethodGet, host: "https://pds.example.com", nsid: "x"}, &out)
	if network.ClassOf(err) != network.ClassTransient {
		t.Fatalf("unreadable 200 = %v, want transient", err)
	}
}
