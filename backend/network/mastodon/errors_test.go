package mastodon_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/mastodon"
)

func TestErrorMapping(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	const jsonCT = "application/json; charset=utf-8"
	cases := []struct {
		name        string
		status      int
		contentType string
		header      map[string]string
		body        string
		class       network.Class
		msg         string // the message must contain this
		resetAt     time.Time
	}{
		{name: "revoked token", status: 401, contentType: jsonCT, body: `{"error":"The access token is invalid"}`,
			class: network.ClassAuthDead, msg: "The access token is invalid"},
		{name: "scope missing", status: 403, contentType: jsonCT, body: `{"error":"This action is outside the authorized scopes"}`,
			class: network.ClassScopeMissing, msg: "missing a permission"},
		{name: "disabled login is not a disconnect", status: 403, contentType: jsonCT, body: `{"error":"Your login is currently disabled"}`,
			class: network.ClassContentRejected, msg: "Your login is currently disabled"},
		{name: "validation", status: 422, contentType: jsonCT, body: `{"error":"Validation failed: Text character limit of 500 exceeded"}`,
			class: network.ClassContentRejected, msg: "Validation failed: Text character limit of 500 exceeded"},
		{name: "rate limited with ISO 8601 reset", status: 429, contentType: jsonCT, body: `{"error":"Too many requests"}`,
			header: map[string]string{"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2026-03-01T12:04:59.123456Z"},
			class:  network.ClassRateLimited, msg: "rate limit", resetAt: time.Date(2026, 3, 1, 12, 4, 59, 123456000, time.UTC)},
		{name: "rate limited with an epoch reset (forks)", status: 429, contentType: jsonCT, body: `{"error":"Throttled"}`,
			header: map[string]string{"X-RateLimit-Reset": "1772366700"},
			class:  network.ClassRateLimited, msg: "Throttled", resetAt: time.Unix(1772366700, 0)},
		{name: "rate limited with Retry-After only", status: 429, contentType: "text/plain",
			header: map[string]string{"Retry-After": "60"},
			class:  network.ClassRateLimited, msg: "rate limit", resetAt: now.Add(time.Minute)},
		{name: "throttled (GoToSocial 503 + Retry-After)", status: 503, contentType: "text/html", body: "<h1>503</h1>",
			header: map[string]string{"Retry-After": "120"},
			class:  network.ClassTransient, msg: "try again later", resetAt: now.Add(2 * time.Minute)},
		{name: "internal error", status: 500, contentType: jsonCT, body: `{"error":"Internal Server Error"}`,
			class: network.ClassTransient, msg: "Internal Server Error"},
		{name: "bad gateway page", status: 502, contentType: "text/html", body: "<html>Bad Gateway</html>",
			class: network.ClassTransient, msg: "having trouble"},
		{name: "gone", status: 410, contentType: jsonCT, body: `{"error":"Gone"}`,
			class: network.ClassAPIRetired},
		{name: "media too large", status: 413, contentType: "text/html", body: "<h1>413</h1>",
			class: network.ClassMediaRejected},
		{name: "not found", status: 404, contentType: jsonCT, body: `{"error":"Record not found"}`,
			class: network.ClassContentRejected, msg: "Record not found"},
		{name: "200 with a web page", status: 200, contentType: "text/html", body: "<html>captive portal</html>",
			class: network.ClassTransient, msg: "web page"},
		{name: "200 with broken JSON", status: 200, contentType: jsonCT, body: `{"id":`,
			class: network.ClassTransient, msg: "could not be read"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				for k, v := range tc.header {
					w.Header().Set(k, v)
				}
				w.Header().Set("Content-Type", tc.contentType)
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			c := mastodon.New(mastodon.Options{HTTP: srv.Client(), Now: func() time.Time { return now }})
			err := c.Check(context.Background(), srv.URL, network.Credential{AccessToken: "tok-secret-123"})
			var ne *network.Error
			if !errors.As(err, &ne) {
				t.Fatalf("Check = %v, want a *network.Error", err)
			}
			if ne.Class != tc.class {
				t.Errorf("class = %s, want %s (%v)", ne.Class, tc.class, err)
			}
			if tc.msg != "" && !strings.Contains(ne.Message, tc.msg) {
				t.Errorf("message %q does not contain %q", ne.Message, tc.msg)
			}
			if !ne.ResetAt.Equal(tc.resetAt) {
				t.Errorf("ResetAt = %v, want %v", ne.ResetAt, tc.resetAt)
			}
			if tc.status != 200 && ne.Status != tc.status {
				t.Errorf("Status = %d, want %d", ne.Status, tc.status)
			}
			if strings.Contains(err.Error(), "tok-secret-123") {
				t.Errorf("error %q contains the token", err)
			}
		})
	}
}

func TestErrorMessagesAreRedactedAndShort(t *testing.T) {
	long := strings.Repeat("very long complaint ", 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = w.Write([]byte(`{"error":"rejected access_token=` + bearerOf(r) + ` Bearer ` + bearerOf(r) + " " + long + `"}`))
	}))
	defer srv.Close()
	c := mastodon.New(mastodon.Options{HTTP: srv.Client()})
	err := c.Check(context.Background(), srv.URL, network.Credential{AccessToken: "tok-secret-123"})
	if err == nil || strings.Contains(err.Error(), "tok-secret-123") {
		t.Fatalf("error %q must exist and not echo the token", err)
	}
	if n := len([]rune(err.Error())); n > 500 {
		t.Errorf("error is %d characters long; the server's words should be shortened", n)
	}
}

func bearerOf(r *http.Request) string {
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
}
