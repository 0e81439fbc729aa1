package bluesky

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"herald/backend/network"
)

func TestNormalizeIdentifier(t *testing.T) {
	cases := []struct {
		in, want string
		kind     idKind
		err      string // part of the error, "" for none
	}{
		{in: "alice.bsky.social", want: "alice.bsky.social"},
		{in: "@Alice.BSKY.social ", want: "alice.bsky.social"},
		{in: " @@alice.bsky.social", want: "alice.bsky.social"},
		{in: "\u202a@alice.bsky.social\u202c", want: "alice.bsky.social"}, // pasted from bsky.app
		{in: "alice .bsky.social\t", want: "alice.bsky.social"},
		{in: "alice.bsky.social.", want: "alice.bsky.social"},
		{in: "Example.COM", want: "example.com"},
		{in: "xn--bcher-kva.example", want: "xn--bcher-kva.example"},
		{in: "Alice@Example.com", want: "alice@example.com", kind: idEmail},
		{in: "did:plc:heraldtestfakeaccount234", want: "did:plc:heraldtestfakeaccount234", kind: idDID},
		{in: "did:web:example.com", want: "did:web:example.com", kind: idDID},
		{in: "alice", err: "type your full handle, like alice.bsky.social"},
		{in: "@alice", err: "type your full handle, like alice.bsky.social"},
		{in: "", err: "type your Bluesky handle"},
		{in: " @ ", err: "type your Bluesky handle"},
		{in: "al_ice.bsky.social", err: "not a valid Bluesky handle"},
		{in: "-alice.bsky.social", err: "not a valid Bluesky handle"},
		{in: "alice..social", err: "not a valid Bluesky handle"},
		{in: "alice.bsky.123", err: "not a valid Bluesky handle"},
		{in: "bücher.example", err: "not a valid Bluesky handle"},
		{in: strings.Repeat("a", 64) + ".com", err: "not a valid Bluesky handle"},
		{in: "did:plc:short", kind: idDID, err: "not a valid Bluesky DID"},
		{in: "did:key:z6Mk", kind: idDID, err: "not a valid Bluesky DID"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, kind, err := normalizeIdentifier(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("normalizeIdentifier(%q) error = %v, want one containing %q", tc.in, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want || kind != tc.kind {
				t.Fatalf("normalizeIdentifier(%q) = %q, %v, %v; want %q, %v", tc.in, got, kind, err, tc.want, tc.kind)
			}
		})
	}
}

func TestDIDDocumentPDS(t *testing.T) {
	const plc = "did:plc:heraldtestfakeaccount234"
	const web = "did:web:example.com"
	doc := func(id, svcID, typ string, ep any) string {
		b, _ := json.Marshal(map[string]any{
			"id":          id,
			"alsoKnownAs": []string{"at://alice.example.com"},
			"service":     []map[string]any{{"id": svcID, "type": typ, "serviceEndpoint": ep}},
		})
		return string(b)
	}
	cases := []struct {
		name, did, doc, want string
	}{
		{"plc, relative service id", plc, doc(plc, "#atproto_pds", "AtprotoPersonalDataServer", "https://morel.us-east.host.bsky.network"), "https://morel.us-east.host.bsky.network"},
		{"web, absolute service id", web, doc(web, web+"#atproto_pds", "AtprotoPersonalDataServer", "https://pds.example.com/"), "https://pds.example.com"},
		{"port kept, path dropped", plc, doc(plc, "#atproto_pds", "AtprotoPersonalDataServer", "https://PDS.example.com:8443/xrpc"), "https://pds.example.com:8443"},
		{"loopback http allowed", plc, doc(plc, "#atproto_pds", "AtprotoPersonalDataServer", "http://127.0.0.1:2583"), "http://127.0.0.1:2583"},
		{"plain http refused", plc, doc(plc, "#atproto_pds", "AtprotoPersonalDataServer", "http://pds.example.com"), ""},
		{"wrong service type", plc, doc(plc, "#atproto_pds", "BskyFeedGenerator", "https://pds.example.com"), ""},
		{"other service id", plc, doc(plc, "#bsky_fg", "AtprotoPersonalDataServer", "https://pds.example.com"), ""},
		{"endpoint not a string", plc, doc(plc, "#atproto_pds", "AtprotoPersonalDataServer", map[string]string{"uri": "https://x"}), ""},
		{"document of another DID", plc, doc(web, "#atproto_pds", "AtprotoPersonalDataServer", "https://pds.example.com"), ""},
		{"no services", plc, `{"id":"` + plc + `"}`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var d didDocument
			if err := json.Unmarshal([]byte(tc.doc), &d); err != nil {
				t.Fatal(err)
			}
			got, err := d.pds(tc.did)
			if tc.want == "" {
				if err == nil {
					t.Fatalf("pds() = %q, want an error", got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("pds() = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestDIDDocURL(t *testing.T) {
	cl := New(Options{PLCDirectory: "https://plc.example/"})
	cases := []struct{ did, want string }{
		{"did:plc:heraldtestfakeaccount234", "https://plc.example/did:plc:heraldtestfakeaccount234"},
		{"did:web:example.com", "https://example.com/.well-known/did.json"},
		{"did:web:localhost%3A8080", "http://localhost:8080/.well-known/did.json"},
		{"did:web:example.com%3A8443", "https://example.com:8443/.well-known/did.json"},
		{"did:web:example.com:user:alice", ""}, // path-based did:web is not atproto
		{"did:web:", ""},
		{"did:plc:UPPERCASEUPPERCASEUPPERC", ""},
		{"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", ""},
	}
	for _, tc := range cases {
		got, err := cl.didDocURL(tc.did)
		if tc.want == "" {
			if err == nil {
				t.Errorf("didDocURL(%q) = %q, want an error", tc.did, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("didDocURL(%q) = %q, %v; want %q", tc.did, got, err, tc.want)
		}
	}
}

func TestNormalizeHost(t *testing.T) {
	cases := []struct{ in, want string }{
		{"bsky.social", "https://bsky.social"},
		{" https://Bsky.Social/ ", "https://bsky.social"},
		{"https://pds.example.com:8443/some/path?q=1", "https://pds.example.com:8443"},
		{"http://127.0.0.1:2583", "http://127.0.0.1:2583"},
		{"http://localhost:2583/", "http://localhost:2583"},
		{"http://[::1]:2583", "http://[::1]:2583"},
		{"http://pds.example.com", ""},
		{"ftp://pds.example.com", ""},
		{"https://user:pw@pds.example.com", ""},
		{"https://", ""},
		{"", ""},
	}
	for _, tc := range cases {
		got, err := normalizeHost(tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("normalizeHost(%q) = %q, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("normalizeHost(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// TestResolvePDSDIDWeb serves a did:web document from localhost, the one
// host did:web may use over plain http.
func TestResolvePDSDIDWeb(t *testing.T) {
	var did string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/did.json" {
			http.NotFound(w, r)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{
			"id": did,
			"service": []map[string]string{{
				"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": "https://pds.example.com",
			}},
		})
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	did = "did:web:localhost%3A" + port

	cl := New(Options{})
	got, err := cl.resolvePDS(context.Background(), did)
	if err != nil || got != "https://pds.example.com" {
		t.Fatalf("resolvePDS(%s) = %q, %v", did, got, err)
	}
	_, err = cl.resolvePDS(context.Background(), "did:web:localhost%3A1")
	if network.ClassOf(err) != network.ClassTransient {
		t.Errorf("resolvePDS on a closed port = %v (class %s), want transient", err, network.ClassOf(err))
	}
}
