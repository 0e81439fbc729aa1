package blueskytest_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/network/bluesky/blueskytest"
	"herald/backend/network/networktest"
)

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

func xrpc(t *testing.T, s *blueskytest.Server, method, nsid, token, contentType, body string) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, s.URL()+"/xrpc/"+nsid, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header}
	_ = json.Unmarshal(raw, &a.body)
	return a
}

func session(t *testing.T, s *blueskytest.Server) (access, refresh string) {
	t.Helper()
	a := xrpc(t, s, http.MethodPost, "com.atproto.server.createSession", "", "application/json",
		`{"identifier":"`+blueskytest.Handle+`","password":"`+blueskytest.AppPassword+`"}`)
	if a.status != http.StatusOK {
		t.Fatalf("createSession: %d %v", a.status, a.body)
	}
	return a.body["accessJwt"].(string), a.body["refreshJwt"].(string)
}

func TestWireFormat(t *testing.T) {
	s := blueskytest.NewServer(t)
	access, refresh := session(t, s)

	for name, tok := range map[string]string{"access": access, "refresh": refresh} {
		parts := strings.Split(tok, ".")
		if len(parts) != 3 {
			t.Fatalf("%s token is not a compact JWT", name)
		}
		var p map[string]any
		b, _ := base64.RawURLEncoding.DecodeString(parts[1])
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		if p["sub"] != blueskytest.DID || p["exp"] == nil || p["scope"] == nil {
			t.Errorf("%s token payload %v lacks sub, exp or scope", name, p)
		}
	}

	cases := []struct {
		name, method, nsid, token, ctype, body string
		status                                 int
		errName                                string
	}{
		{"unknown handle", "GET", "com.atproto.identity.resolveHandle?handle=nobody.bsky.social", "", "", "", 400, "InvalidRequest"},
		{"sign-in without JSON", "POST", "com.atproto.server.createSession", "", "text/plain", "x", 400, "InvalidRequest"},
		{"wrong password", "POST", "com.atproto.server.createSession", "", "application/json", `{"identifier":"` + blueskytest.Handle + `","password":"nope"}`, 401, "AuthenticationRequired"},
		{"no token", "GET", "com.atproto.server.getSession", "", "", "", 401, "AuthMissing"},
		{"forged token", "GET", "com.atproto.server.getSession", access[:len(access)-2] + "xx", "", "", 400, "InvalidToken"},
		{"refresh token as access token", "GET", "com.atproto.server.getSession", refresh, "", "", 400, "InvalidToken"},
		{"access token as refresh token", "POST", "com.atproto.server.refreshSession", access, "", "", 400, "InvalidToken"},
		{"query sent as POST", "POST", "com.atproto.server.getSession", access, "", "", 400, "InvalidRequest"},
		{"unknown method", "GET", "com.atproto.repo.describeRepo", access, "", "", 501, "MethodNotImplemented"},
		{"unknown profile", "GET", "app.bsky.actor.getProfile?actor=did:plc:aaaaaaaaaaaaaaaaaaaaaaaa", access, "", "", 400, "InvalidRequest"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := xrpc(t, s, tc.method, tc.nsid, tc.token, tc.ctype, tc.body)
			if a.status != tc.status || a.body["error"] != tc.errName || a.body["message"] == "" {
				t.Errorf("%s %s = %d %v, want %d %s with a message", tc.method, tc.nsid, a.status, a.body, tc.status, tc.errName)
			}
		})
	}

	resp, err := http.Get(s.URL() + "/" + blueskytest.DID)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		ID      string `json:"id"`
		Service []struct{ ID, Type, ServiceEndpoint string }
	}
	_ = json.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	if doc.ID != blueskytest.DID || len(doc.Service) != 1 || doc.Service[0].ServiceEndpoint != s.URL() {
		t.Errorf("DID document %+v does not name the fake as PDS", doc)
	}
	resp, err = http.Get(s.URL() + "/did:plc:aaaaaaaaaaaaaaaaaaaaaaaa")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown DID = %d, want 404", resp.StatusCode)
	}
}

func TestFaults(t *testing.T) {
	s := blueskytest.NewServer(t)
	access, _ := session(t, s)

	s.Inject(networktest.FaultRateLimited)
	a := xrpc(t, s, "GET", "com.atproto.server.getSession", access, "", "")
	reset, _ := strconv.ParseInt(a.header.Get("RateLimit-Reset"), 10, 64)
	if a.status != 429 || a.body["error"] != "RateLimitExceeded" || reset < time.Now().Unix() ||
		a.header.Get("RateLimit-Remaining") != "0" || a.header.Get("RateLimit-Policy") == "" {
		t.Errorf("rate limit = %d %v %v", a.status, a.body, a.header)
	}
	if _, refresh := session(t, s); refresh == "" {
		t.Error("Inject faulted sign-in")
	}

	s.Inject(networktest.FaultServerError)
	if a := xrpc(t, s, "GET", "com.atproto.server.getSession", access, "", ""); a.status != 503 || a.header.Get("Retry-After") == "" {
		t.Errorf("server error = %d %v", a.status, a.header)
	}
	s.Inject(networktest.FaultNone)
	if a := xrpc(t, s, "GET", "com.atproto.server.getSession", access, "", ""); a.status != 200 {
		t.Errorf("after FaultNone = %d %v", a.status, a.body)
	}

	s.InjectNSID("com.atproto.server.createSession", networktest.FaultServerError)
	a = xrpc(t, s, "POST", "com.atproto.server.createSession", "", "application/json", `{}`)
	if a.status != 503 {
		t.Errorf("InjectNSID(createSession) = %d", a.status)
	}
	s.InjectNSID("com.atproto.server.createSession", networktest.FaultNone)
	session(t, s)

	counts := s.CallCounts()
	if counts["com.atproto.server.getSession"] != 3 || counts["com.atproto.server.createSession"] != 4 {
		t.Errorf("call counts %v", counts)
	}
}

func TestRotationAndExpiry(t *testing.T) {
	s := blueskytest.NewServer(t)
	now := time.Now()
	s.SetClock(func() time.Time { return now })
	s.SetAccessTTL(time.Minute)
	access, refresh := session(t, s)

	s.SetClock(func() time.Time { return now.Add(2 * time.Minute) })
	if a := xrpc(t, s, "GET", "com.atproto.server.getSession", access, "", ""); a.status != 400 || a.body["error"] != "ExpiredToken" {
		t.Errorf("access token past its TTL = %d %v, want 400 ExpiredToken", a.status, a.body)
	}
	a := xrpc(t, s, "POST", "com.atproto.server.refreshSession", refresh, "", "")
	if a.status != 200 || a.body["refreshJwt"] == refresh {
		t.Fatalf("refresh = %d %v", a.status, a.body)
	}
	if again := xrpc(t, s, "POST", "com.atproto.server.refreshSession", refresh, "", ""); again.status != 400 || again.body["error"] != "ExpiredToken" {
		t.Errorf("spent refresh token = %d %v, want 400 ExpiredToken", again.status, again.body)
	}
	if ok := xrpc(t, s, "GET", "com.atproto.server.getSession", a.body["accessJwt"].(string), "", ""); ok.status != 200 {
		t.Errorf("new access token = %d %v", ok.status, ok.body)
	}
	s.ExpireAccessTokens()
	if ex := xrpc(t, s, "GET", "com.atproto.server.getSession", a.body["accessJwt"].(string), "", ""); ex.body["error"] != "ExpiredToken" {
		t.Errorf("after ExpireAccessTokens = %d %v", ex.status, ex.body)
	}
}

func TestHandleAddsAuthenticatedMethods(t *testing.T) {
	s := blueskytest.NewServer(t)
	s.Handle("com.atproto.repo.createRecord", http.MethodPost, func(w http.ResponseWriter, r *http.Request, did string) {
		var in map[string]any
		if !blueskytest.ReadJSON(w, r, &in) {
			return
		}
		blueskytest.WriteJSON(w, http.StatusOK, map[string]string{"uri": "at://" + did + "/app.bsky.feed.post/3kabc", "cid": "bafyrei"})
	})
	access, _ := session(t, s)
	if a := xrpc(t, s, "POST", "com.atproto.repo.createRecord", "", "application/json", `{}`); a.status != 401 {
		t.Errorf("added method without a token = %d", a.status)
	}
	a := xrpc(t, s, "POST", "com.atproto.repo.createRecord", access, "application/json", `{"repo":"x"}`)
	if a.status != 200 || !strings.HasPrefix(a.body["uri"].(string), "at://"+blueskytest.DID) {
		t.Errorf("added method = %d %v", a.status, a.body)
	}
}

// TestConcurrentUse runs sign-ins, checks, refreshes and revokes at once
// (run with -race).
func TestConcurrentUse(t *testing.T) {
	s := blueskytest.NewServer(t)
	c := bluesky.New(bluesky.Options{Entryway: s.URL(), PLCDirectory: s.URL()})
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 16 {
		wg.Go(func() {
			cred, err := c.Login(ctx, "", blueskytest.Handle, blueskytest.AppPassword)
			if err != nil {
				errs <- err
				return
			}
			for range 3 {
				if cred, err = c.Refresh(ctx, "", cred); err != nil {
					errs <- fmt.Errorf("worker %d refresh: %w", i, err)
					return
				}
				if err := c.Check(ctx, "", cred); err != nil {
					errs <- fmt.Errorf("worker %d check: %w", i, err)
					return
				}
			}
			if _, err := c.Accounts(ctx, "", cred); err != nil {
				errs <- err
			}
			if err := c.Revoke(ctx, "", cred); err != nil {
				errs <- err
			}
			if err := c.Check(ctx, "", cred); !network.IsAuthDead(err) {
				errs <- fmt.Errorf("worker %d: check after revoke = %w", i, err)
			}
		})
		wg.Go(func() { _ = s.CallCounts(); _ = s.Calls("com.atproto.server.getSession") })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := s.Calls("com.atproto.server.refreshSession"); got != 48 {
		t.Errorf("refreshSession calls = %d, want 48", got)
	}
}
