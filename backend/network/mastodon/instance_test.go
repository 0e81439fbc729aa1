package mastodon_test

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/mastodon"
)

func TestNormalizeInstance(t *testing.T) {
	ok := []struct{ in, want string }{
		{"mastodon.social", "https://mastodon.social"},
		{"  Mastodon.Social  ", "https://mastodon.social"},
		{"https://mastodon.social/", "https://mastodon.social"},
		{"https://mastodon.social", "https://mastodon.social"},
		{"HTTPS://mastodon.social/@alice", "https://mastodon.social"},
		{"mastodon.social/@alice", "https://mastodon.social"},
		{"@alice@mastodon.social", "https://mastodon.social"},
		{"alice@mastodon.social", "https://mastodon.social"},
		{"mastodon.social.", "https://mastodon.social"},
		{"https://mastodon.social:443/", "https://mastodon.social"},
		{"social.example.org:8443", "https://social.example.org:8443"},
		{"mästodon.example", "https://xn--mstodon-5wa.example"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"http://localhost:3000/", "http://localhost:3000"},
		{"http://[::1]:8080", "http://[::1]:8080"},
		{"127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"https://127.0.0.1:8443", "https://127.0.0.1:8443"},
	}
	for _, c := range ok {
		got, err := mastodon.NormalizeInstance(c.in)
		if err != nil || got != c.want {
			t.Errorf("NormalizeInstance(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}

	bad := []struct{ in, wantMsg string }{
		{"", "type the address"},
		{"   ", "type the address"},
		{"mastodon", "is not a server address"},
		{"not a server", "is not a server address"},
		{"https://", "is not a server address"},
		{"@alice", "is not a server address"},
		{"@@mastodon.social", "is not a server address"},
		{"ftp://mastodon.social", "is not a server address"},
		{"https://user:pw@mastodon.social", "is not a server address"},
		{"mastodon.social:99999", "is not a server address"},
		{"mastodon.social:", "is not a server address"},
		{"-bad-.example", "is not a server address"},
		{"exa$mple.com", "is not a server address"},
		{"mailto:alice@example.org", "is not a server address"},
		{"http://mastodon.social", "https"},
		{"http://10.0.0.5:3000", "https"},
	}
	for _, c := range bad {
		got, err := mastodon.NormalizeInstance(c.in)
		if network.ClassOf(err) != network.ClassInvalidInput || err == nil {
			t.Errorf("NormalizeInstance(%q) = %q, %v; want invalid_input", c.in, got, err)
			continue
		}
		if !strings.Contains(err.Error(), c.wantMsg) {
			t.Errorf("NormalizeInstance(%q) error %q does not mention %q", c.in, err, c.wantMsg)
		}
	}
}

func FuzzNormalizeInstance(f *testing.F) {
	for _, s := range []string{"mastodon.social", "@a@b.c", "http://127.0.0.1:1", "https://x.y/@z", "[::1]:80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := mastodon.NormalizeInstance(in)
		if err != nil {
			if network.ClassOf(err) != network.ClassInvalidInput {
				t.Fatalf("NormalizeInstance(%q) error class %s", in, network.ClassOf(err))
			}
			return
		}
		again, err := mastodon.NormalizeInstance(got)
		if err != nil || again != got {
			t.Fatalf("not idempotent: %q → %q → %q, %v", in, got, again, err)
		}
	})
}

// beginAuth runs BeginAuth against base with placeholder PKCE values.
func beginAuth(t *testing.T, c *mastodon.Client, base string) error {
	t.Helper()
	_, err := c.BeginAuth(context.Background(), base, "http://127.0.0.1:1/callback", "state", "challenge")
	return err
}

func TestBeginAuthRejectsServersThatAreNotMastodon(t *testing.T) {
	cases := []struct {
		name        string
		status      int
		contentType string
		body        string
	}{
		{"an HTML page", 200, "text/html; charset=utf-8", "<!doctype html><html><body>Welcome to my blog</body></html>"},
		{"a 404", 404, "text/html", "<h1>Not Found</h1>"},
		{"a JSON 404", 404, "application/json", `{"error":"Not found"}`},
		{"JSON without uri", 200, "application/json", `{"name":"something else","ok":true}`},
		{"not JSON at all", 200, "application/json", `this is not json`},
		{"a redirect to a login page", 401, "text/html", "<form>sign in</form>"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var apps int
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/api/v1/apps" {
					apps++
				}
				w.Header().Set("Content-Type", tc.contentType)
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			err := beginAuth(t, mastodon.New(mastodon.Options{HTTP: srv.Client()}), srv.URL)
			if network.ClassOf(err) != network.ClassInvalidInput {
				t.Fatalf("BeginAuth = %v (class %s), want invalid_input", err, network.ClassOf(err))
			}
			// The message speaks of what was typed (the caller quotes it);
			// the address as reached is kept for logs.
			host := strings.TrimPrefix(srv.URL, "http://")
			var ne *network.Error
			if !errors.As(err, &ne) || !strings.Contains(ne.Message, "does not look like a Mastodon server") ||
				strings.Contains(ne.Message, host) || ne.Field != network.FieldInstance {
				t.Errorf("message %q should say it is not a Mastodon server, on the instance field, without the host", err)
			}
			if ne != nil && (ne.Err == nil || !strings.Contains(ne.Err.Error(), host)) {
				t.Errorf("wrapped error %v should keep the address for logs", ne.Err)
			}
			if apps != 0 {
				t.Error("Herald registered itself with a server that is not Mastodon")
			}
		})
	}
}

func TestBeginAuthOnABusyServerIsTransient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	err := beginAuth(t, mastodon.New(mastodon.Options{HTTP: srv.Client()}), srv.URL)
	if network.ClassOf(err) != network.ClassTransient {
		t.Fatalf("BeginAuth on 503 = %v (class %s), want transient", err, network.ClassOf(err))
	}
}

func TestUntrustedCertificateIsInvalidInput(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"uri":"example.org","title":"x"}`))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	defer srv.Close()
	// A client that does not trust the test server's certificate.
	c := mastodon.New(mastodon.Options{HTTP: &http.Client{Timeout: 10 * time.Second}})
	err := beginAuth(t, c, srv.URL)
	if network.ClassOf(err) != network.ClassInvalidInput {
		t.Fatalf("BeginAuth with an untrusted certificate = %v (class %s), want invalid_input", err, network.ClassOf(err))
	}
	if !strings.Contains(err.Error(), "certificate") {
		t.Errorf("message %q should explain the certificate problem", err)
	}
}

func TestUnreachableServer(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	c := mastodon.New(mastodon.Options{})
	err := beginAuth(t, c, base)
	if network.ClassOf(err) != network.ClassTransient || !strings.Contains(err.Error(), "could not be reached") {
		t.Fatalf("BeginAuth against a closed port = %v (class %s), want transient 'could not be reached'", err, network.ClassOf(err))
	}

	// A name that does not exist is a typo, not a blip. The resolver is
	// faked so the test does not depend on this machine's DNS.
	noDNS := doerFunc(func(r *http.Request) (*http.Response, error) {
		return nil, &url.Error{Op: "Get", URL: r.URL.String(), Err: &net.OpError{Op: "dial", Net: "tcp",
			Err: &net.DNSError{Err: "no such host", Name: r.URL.Hostname(), IsNotFound: true}}}
	})
	err = beginAuth(t, mastodon.New(mastodon.Options{HTTP: noDNS}), "no-such-server.example")
	if network.ClassOf(err) != network.ClassInvalidInput || !strings.Contains(err.Error(), "no server with this name could be found") {
		t.Fatalf("BeginAuth against an unknown name = %v (class %s), want invalid_input 'could not be found'", err, network.ClassOf(err))
	}
}

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }
