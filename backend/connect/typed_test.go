package connect

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/idna"

	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/network/bluesky/blueskytest"
	"herald/backend/network/mastodon"
)

// fakeNet stands in for DNS and the wire: names in routes reach a test
// server (whatever the scheme), a name in refused resets the connection,
// and any other name does not resolve. Like the real resolver, it looks
// names up in their ASCII (punycode) form.
type fakeNet struct {
	routes  map[string]string // name → base URL of a test server
	refused map[string]bool
}

func (f fakeNet) Do(r *http.Request) (*http.Response, error) {
	ascii, _ := idna.Lookup.ToASCII(r.URL.Hostname())
	if base, ok := f.routes[ascii]; ok {
		u, _ := url.Parse(base)
		out := r.Clone(r.Context())
		out.URL.Scheme, out.URL.Host, out.Host, out.RequestURI = u.Scheme, u.Host, "", ""
		return http.DefaultClient.Do(out)
	}
	if f.refused[ascii] {
		return nil, &url.Error{Op: r.Method, URL: r.URL.String(), Err: &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}}
	}
	return nil, &url.Error{Op: r.Method, URL: r.URL.String(), Err: &net.OpError{Op: "dial", Net: "tcp",
		Err: &net.DNSError{Err: "no such host", Name: ascii, IsNotFound: true}}}
}

// waitSettled polls a browser sign-in until it has failed or is waiting.
func waitSettled(t *testing.T, e *env, id string) Snapshot {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		snap, err := e.svc.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		if snap.Stage != StageStarting || time.Now().After(deadline) {
			return snap
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestErrorsQuoteWhatWasTyped: a sign-in that fails names the server or
// handle exactly as the person typed it, never Herald's workings (the name
// in punycode, a request URL, an account's DID, an XRPC method) and never a
// lower-cased copy; it says what to type instead and points at the input
// that is wrong. The raw detail stays in the error for the log.
func TestErrorsQuoteWhatWasTyped(t *testing.T) {
	webPage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html>Welcome to my blog</html>"))
	}))
	defer webPage.Close()
	notFound := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":"Record not found"}`))
	}))
	defer notFound.Close()
	bsky := blueskytest.NewServer(t)
	fake := fakeNet{
		routes: map[string]string{
			"xn--bcher-kva.example": webPage.URL,
			"blog.example":          webPage.URL,
			"gone.example":          notFound.URL,
			"bsky.example":          bsky.URL(),
			"127.0.0.1":             bsky.URL(), // the PDS its DID documents name
		},
		refused: map[string]bool{"flaky.example": true, "flaky-pds.example": true},
	}
	masto := mastodon.New(mastodon.Options{HTTP: fake})
	blue := bluesky.New(bluesky.Options{HTTP: fake, Entryway: "https://bsky.example", PLCDirectory: "https://bsky.example"})

	cases := []struct {
		name       string
		network    string
		instance   string
		identifier string
		password   string
		field      string
		says       []string // parts of the message or hint
		quotes     string   // what the message must quote, as typed
	}{
		{name: "a profile address on an international name that is not Mastodon", network: mastodon.ID,
			instance: "https://Bücher.example/@Alice", field: network.FieldInstance,
			says:   []string{"does not look like a Mastodon server", "Check the spelling, or use the server's address, like mastodon.social"},
			quotes: "https://Bücher.example/@Alice"},
		{name: "a handle on a blog", network: mastodon.ID, instance: "@Alice@Blog.Example", field: network.FieldInstance,
			says: []string{"does not look like a Mastodon server"}, quotes: "@Alice@Blog.Example"},
		{name: "a server that answers 404", network: mastodon.ID, instance: "Gone.example/@alice", field: network.FieldInstance,
			says: []string{"HTTP 404"}, quotes: "Gone.example/@alice"},
		{name: "a name that does not resolve", network: mastodon.ID, instance: "Mastodon.Socal", field: network.FieldInstance,
			says:   []string{"no server with this name could be found", "Check the spelling, or use the server's address, like mastodon.social"},
			quotes: "Mastodon.Socal"},
		{name: "an international name that does not resolve", network: mastodon.ID, instance: "Mästödon.Example", field: network.FieldInstance,
			says: []string{"no server with this name could be found"}, quotes: "Mästödon.Example"},
		{name: "not an address at all", network: mastodon.ID, instance: "My Server", field: network.FieldInstance,
			says: []string{"not a server address"}, quotes: "My Server"},
		{name: "a connection that breaks", network: mastodon.ID, instance: "Flaky.example", field: "",
			says: []string{"Herald could not reach", "connection reset"}, quotes: "Flaky.example"},

		{name: "an unknown Bluesky handle", network: bluesky.ID, identifier: "@Nobody.Bsky.Social", password: "abcd-efgh-ijkl-mnop",
			field: network.FieldIdentifier, says: []string{"Bluesky has no account with the handle"}, quotes: "@Nobody.Bsky.Social"},
		{name: "a Bluesky handle that is not one", network: bluesky.ID, identifier: "Shop!.Bsky.Social", password: "abcd-efgh-ijkl-mnop",
			field: network.FieldIdentifier, says: []string{"not a valid Bluesky handle"}, quotes: "Shop!.Bsky.Social"},
		{name: "a wrong app password", network: bluesky.ID, identifier: blueskytest.Handle, password: "aaaa-bbbb-cccc-dddd",
			field: network.FieldSecret, says: []string{"did not accept this handle and app password"}},
		{name: "a hosting provider that does not resolve", network: bluesky.ID, instance: "PDS.Bücher.example",
			identifier: blueskytest.Handle, password: blueskytest.AppPassword, field: network.FieldInstance,
			says:   []string{"no server with this name could be found", "Check the spelling, or use the hosting provider's address, like bsky.social"},
			quotes: "PDS.Bücher.example"},
		{name: "a hosting provider whose connection breaks", network: bluesky.ID, instance: "Flaky-PDS.example",
			identifier: blueskytest.Handle, password: blueskytest.AppPassword, field: "",
			says: []string{"Herald could not reach", "connection reset"}, quotes: "Flaky-PDS.example"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, masto, blue)
			var snap Snapshot
			var err error
			if tc.network == mastodon.ID {
				snap, err = e.svc.StartOAuth(context.Background(), tc.network, tc.instance, 0)
				if err == nil {
					snap = waitSettled(t, e, snap.ID)
				}
			} else {
				snap, err = e.svc.LoginPassword(context.Background(), tc.network, tc.instance, tc.identifier, tc.password, 0)
			}
			if err != nil {
				t.Fatal(err)
			}
			if snap.Stage != StageFailed || snap.Error == nil {
				t.Fatalf("sign-in = %+v, want failed with an error", snap)
			}
			v := snap.Error
			text := v.Message + " " + v.Hint
			if v.Field != tc.field {
				t.Errorf("error %q is on field %q, want %q", text, v.Field, tc.field)
			}
			for _, want := range tc.says {
				if !strings.Contains(text, want) {
					t.Errorf("error %q does not say %q", text, want)
				}
			}
			if tc.quotes != "" {
				if !strings.Contains(v.Message, "“"+tc.quotes+"”") {
					t.Errorf("message %q does not quote %q as typed", v.Message, tc.quotes)
				}
				if lower := strings.ToLower(tc.quotes); lower != tc.quotes && strings.Contains(text, lower) {
					t.Errorf("error %q quotes a lower-cased copy of %q", text, tc.quotes)
				}
			}
			for _, never := range []string{"xn--", "/api/", "did:", "xrpc", "https://bsky.example", tc.password} {
				if never != "" && strings.Contains(text, never) {
					t.Errorf("error %q shows %q", text, never)
				}
			}
		})
	}
}

// TestTypedErrorKeepsTheDetail: the message leaves the resolved name out,
// the error underneath keeps it for the log.
func TestTypedErrorKeepsTheDetail(t *testing.T) {
	masto := mastodon.New(mastodon.Options{HTTP: fakeNet{}})
	e := newEnv(t, masto)
	snap, err := e.svc.StartOAuth(context.Background(), mastodon.ID, "Bücher.example", 0)
	if err != nil {
		t.Fatal(err)
	}
	snap = waitSettled(t, e, snap.ID)
	e.svc.mu.Lock()
	raw := e.svc.sessions[snap.ID].err
	e.svc.mu.Unlock()
	var dnsErr *net.DNSError
	if !errors.As(raw, &dnsErr) || dnsErr.Name != "xn--bcher-kva.example" || !strings.Contains(cause(raw), "xn--bcher-kva.example") {
		t.Errorf("wrapped error %v (cause %q) lost the name as looked up", raw, cause(raw))
	}
	if strings.Contains(snap.Error.Message, "xn--") {
		t.Errorf("message %q shows punycode", snap.Error.Message)
	}
}
