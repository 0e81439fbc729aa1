package bluesky_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/network/bluesky/blueskytest"
	"herald/backend/network/networktest"
)

func newClient(t *testing.T) (*bluesky.Client, *blueskytest.Server) {
	t.Helper()
	s := blueskytest.NewServer(t)
	return bluesky.New(bluesky.Options{Entryway: s.URL(), PLCDirectory: s.URL()}), s
}

func login(t *testing.T, c *bluesky.Client, s *blueskytest.Server) network.Credential {
	t.Helper()
	handle, _, pw := s.Account()
	cred, err := c.Login(context.Background(), "", handle, pw)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	return cred
}

// noSecret fails when err shows a credential.
func noSecret(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range append(secrets, blueskytest.AppPassword, blueskytest.MainPassword, "eyJ") {
		if s != "" && strings.Contains(err.Error(), s) {
			t.Errorf("error %q shows a secret", err)
		}
	}
}

func TestLoginCredential(t *testing.T) {
	for _, id := range []string{"herald-test.bsky.social", "@Herald-Test.BSKY.social ", "\u202a@herald-test.bsky.social\u202c",
		blueskytest.Email, blueskytest.DID} {
		t.Run(id, func(t *testing.T) {
			c, s := newClient(t)
			before := time.Now()
			cred, err := c.Login(context.Background(), "", id, " "+blueskytest.AppPassword+" ")
			if err != nil {
				t.Fatal(err)
			}
			if cred.Kind != bluesky.CredentialKind || cred.AccessToken == "" || cred.RefreshToken == "" {
				t.Errorf("credential %+v lacks kind or tokens", cred)
			}
			want := map[string]string{bluesky.ExtraDID: blueskytest.DID, bluesky.ExtraHandle: blueskytest.Handle, bluesky.ExtraPDS: s.URL()}
			for k, v := range want {
				if cred.Extra[k] != v {
					t.Errorf("Extra[%s] = %q, want %q", k, cred.Extra[k], v)
				}
			}
			if d := cred.Expiry.Sub(before); d < 119*time.Minute || d > 121*time.Minute {
				t.Errorf("Expiry %v is not the access JWT's exp (2 h)", cred.Expiry)
			}
			if d := cred.RefreshExpiry.Sub(before); d < 59*24*time.Hour || d > 61*24*time.Hour {
				t.Errorf("RefreshExpiry %v is not the refresh JWT's exp (60 days)", cred.RefreshExpiry)
			}
			if cred.Scope != "com.atproto.appPass" {
				t.Errorf("Scope = %q, want the app-password scope", cred.Scope)
			}
			if got := s.Calls("com.atproto.server.createSession"); got != 1 {
				t.Errorf("createSession called %d times", got)
			}
			if n := s.Calls("com.atproto.identity.resolveHandle"); (id == blueskytest.Email || id == blueskytest.DID) && n != 0 {
				t.Errorf("signing in with %s resolved a handle %d times", id, n)
			}
		})
	}
}

func TestLoginErrors(t *testing.T) {
	handle := blueskytest.Handle
	cases := []struct {
		name       string
		setup      func(*blueskytest.Server)
		instance   string
		id, pw     string
		class      network.Class
		msg        string // part of the message
		field      string // the input it is about, if any
		noRequests bool
	}{
		{name: "handle without a dot", id: "herald-test", pw: blueskytest.AppPassword, class: network.ClassInvalidInput,
			msg: "Type your full handle, like alice.bsky.social", field: network.FieldIdentifier, noRequests: true},
		{name: "no password", id: handle, pw: "  ", class: network.ClassInvalidInput, msg: "app password", field: network.FieldSecret, noRequests: true},
		{name: "unknown handle", id: "nobody.bsky.social", pw: blueskytest.AppPassword, class: network.ClassInvalidInput,
			msg: "Bluesky has no account with the handle “nobody.bsky.social”", field: network.FieldIdentifier},
		{name: "unknown handle quoted as typed", id: " @Nobody.bsky.social", pw: blueskytest.AppPassword, class: network.ClassInvalidInput,
			msg: "Bluesky has no account with the handle “@Nobody.bsky.social”", field: network.FieldIdentifier},
		{name: "bad handle quoted as typed", id: "Shop!.bsky.social", pw: blueskytest.AppPassword, class: network.ClassInvalidInput,
			msg: "“Shop!.bsky.social” is not a valid Bluesky handle", field: network.FieldIdentifier, noRequests: true},
		{name: "wrong app password", id: handle, pw: "aaaa-bbbb-cccc-dddd", class: network.ClassInvalidInput,
			msg: "Bluesky did not accept this handle and app password", field: network.FieldSecret},
		{name: "main password with email 2FA", setup: func(s *blueskytest.Server) { s.RequireAuthFactor(true) },
			id: handle, pw: blueskytest.MainPassword, class: network.ClassInvalidInput, msg: "Herald needs an app password", field: network.FieldSecret},
		{name: "account taken down", setup: func(s *blueskytest.Server) { s.SetStatus("takendown") },
			id: handle, pw: blueskytest.AppPassword, class: network.ClassAuthDead, msg: "taken down"},
		{name: "account deactivated", setup: func(s *blueskytest.Server) { s.SetStatus("deactivated") },
			id: handle, pw: blueskytest.AppPassword, class: network.ClassAuthDead, msg: "deactivated"},
		{name: "unregistered DID", id: "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa", pw: blueskytest.AppPassword,
			class: network.ClassInvalidInput, msg: "no record of this account", field: network.FieldIdentifier},
		{name: "sign-in rate limited", setup: func(s *blueskytest.Server) {
			s.InjectNSID("com.atproto.server.createSession", networktest.FaultRateLimited)
		}, id: handle, pw: blueskytest.AppPassword, class: network.ClassRateLimited, msg: "rate limiting"},
		{name: "PLC directory down", setup: func(s *blueskytest.Server) { s.InjectNSID(blueskytest.PLC, networktest.FaultServerError) },
			id: handle, pw: blueskytest.AppPassword, class: network.ClassTransient, msg: "trouble"},
		{name: "hosting provider over plain http", instance: "http://pds.example.com", id: handle, pw: blueskytest.AppPassword,
			class: network.ClassInvalidInput, msg: "does not use https", field: network.FieldInstance, noRequests: true},
		{name: "unreachable hosting provider", instance: "http://127.0.0.1:1", id: handle, pw: blueskytest.AppPassword,
			class: network.ClassTransient, msg: "could not be reached"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, s := newClient(t)
			if tc.setup != nil {
				tc.setup(s)
			}
			_, err := c.Login(context.Background(), tc.instance, tc.id, tc.pw)
			noSecret(t, err, tc.pw)
			if network.ClassOf(err) != tc.class {
				t.Fatalf("Login = %v (class %s), want %s", err, network.ClassOf(err), tc.class)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("message %q does not say %q", err, tc.msg)
			}
			var ne *network.Error
			if errors.As(err, &ne) && ne.Field != tc.field {
				t.Errorf("error is about field %q, want %q", ne.Field, tc.field)
			}
			if strings.Contains(err.Error(), "did:") || strings.Contains(err.Error(), "xrpc") {
				t.Errorf("message %q shows Herald's workings", err)
			}
			if n := len(s.CallCounts()); tc.noRequests && n != 0 {
				t.Errorf("bad input still reached the server: %v", s.CallCounts())
			}
		})
	}
}

func TestRefreshRotation(t *testing.T) {
	c, s := newClient(t)
	ctx := context.Background()
	first := login(t, c, s)
	first.Extra["channel_note"] = "kept"

	second, err := c.Refresh(ctx, s.URL(), first)
	if err != nil {
		t.Fatal(err)
	}
	if second.AccessToken == first.AccessToken || second.RefreshToken == first.RefreshToken {
		t.Fatal("refresh did not return a new token pair")
	}
	if second.Extra["channel_note"] != "kept" || second.Extra[bluesky.ExtraDID] != blueskytest.DID {
		t.Errorf("refresh lost the credential's extra data: %v", second.Extra)
	}
	if second.Expiry.IsZero() || second.RefreshExpiry.IsZero() {
		t.Errorf("refreshed credential lacks expiries: %+v", second)
	}

	_, err = c.Refresh(ctx, s.URL(), first)
	noSecret(t, err, first.RefreshToken, second.RefreshToken)
	if !network.IsAuthDead(err) {
		t.Fatalf("reusing the spent refresh token = %v, want auth_dead", err)
	}
	third, err := c.Refresh(ctx, s.URL(), second)
	if err != nil {
		t.Fatalf("the rotated refresh token does not work: %v", err)
	}
	if err := c.Check(ctx, s.URL(), third); err != nil {
		t.Fatal(err)
	}
	if got := s.Calls("com.atproto.server.refreshSession"); got != 3 {
		t.Errorf("refreshSession called %d times, want 3", got)
	}
}

func TestExpiredAccessTokenMeansRefreshNotDisconnect(t *testing.T) {
	c, s := newClient(t)
	ctx := context.Background()
	now := time.Now()
	s.SetClock(func() time.Time { return now })
	s.SetAccessTTL(5 * time.Minute)
	cred := login(t, c, s)

	if !c.RefreshDue(cred, time.Now()) {
		t.Error("a token expiring in 5 minutes is not due for refresh")
	}
	s.SetClock(func() time.Time { return now.Add(6 * time.Minute) })
	err := c.Check(ctx, s.URL(), cred)
	if network.ClassOf(err) != network.ClassTokenExpired {
		t.Fatalf("Check with an expired access token = %v (class %s), want token_expired", err, network.ClassOf(err))
	}
	if _, err := c.Accounts(ctx, s.URL(), cred); network.ClassOf(err) != network.ClassTokenExpired {
		t.Errorf("Accounts with an expired access token = %v, want token_expired", err)
	}
	fresh, err := c.Refresh(ctx, s.URL(), cred)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Check(ctx, s.URL(), fresh); err != nil {
		t.Fatalf("Check after refresh: %v", err)
	}
}

func TestRefreshDue(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	c := bluesky.New(bluesky.Options{})
	cases := []struct {
		name string
		cred network.Credential
		want bool
	}{
		{"an hour left", network.Credential{AccessToken: "a", Expiry: now.Add(time.Hour)}, false},
		{"16 minutes left", network.Credential{AccessToken: "a", Expiry: now.Add(16 * time.Minute)}, false},
		{"15 minutes left", network.Credential{AccessToken: "a", Expiry: now.Add(15 * time.Minute)}, true},
		{"expired", network.Credential{AccessToken: "a", Expiry: now.Add(-time.Minute)}, true},
		{"no expiry", network.Credential{AccessToken: "opaque"}, true},
		{"no access token", network.Credential{RefreshToken: "r", Expiry: now.Add(time.Hour)}, true},
	}
	for _, tc := range cases {
		if got := c.RefreshDue(tc.cred, now); got != tc.want {
			t.Errorf("%s: RefreshDue = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestRefreshAfterTakedownIsAuthDead(t *testing.T) {
	c, s := newClient(t)
	cred := login(t, c, s)
	s.SetStatus("takendown")
	_, err := c.Refresh(context.Background(), s.URL(), cred)
	if !network.IsAuthDead(err) || !strings.Contains(err.Error(), "taken down") {
		t.Fatalf("Refresh after a takedown = %v, want auth_dead saying so", err)
	}
}

func TestCheckInactiveAccountIsAuthDead(t *testing.T) {
	c, s := newClient(t)
	cred := login(t, c, s)
	s.SetStatus("deactivated")
	err := c.Check(context.Background(), s.URL(), cred)
	if !network.IsAuthDead(err) || !strings.Contains(err.Error(), "deactivated") {
		t.Fatalf("Check of a deactivated account = %v, want auth_dead saying so", err)
	}
}

func TestRevokeIsIdempotent(t *testing.T) {
	c, s := newClient(t)
	ctx := context.Background()
	cred := login(t, c, s)
	for i := range 2 {
		if err := c.Revoke(ctx, s.URL(), cred); err != nil {
			t.Fatalf("Revoke #%d: %v", i+1, err)
		}
	}
	if _, err := c.Refresh(ctx, s.URL(), cred); !network.IsAuthDead(err) {
		t.Errorf("Refresh after Revoke = %v, want auth_dead", err)
	}
	if err := c.Revoke(ctx, s.URL(), network.Credential{}); err != nil {
		t.Errorf("Revoke of an empty credential: %v", err)
	}
	s.Inject(networktest.FaultServerError)
	if err := c.Revoke(ctx, s.URL(), login(t, c, s)); network.ClassOf(err) != network.ClassTransient {
		t.Errorf("Revoke on 503 = %v, want transient (so the caller retries)", err)
	}
}

func TestAccounts(t *testing.T) {
	c, s := newClient(t)
	cred := login(t, c, s)
	accounts, err := c.Accounts(context.Background(), "", cred)
	if err != nil {
		t.Fatal(err)
	}
	if len(accounts) != 1 {
		t.Fatalf("got %d accounts, want the one the session is for", len(accounts))
	}
	a := accounts[0]
	want := network.Account{
		RemoteID: blueskytest.DID, Kind: "account", Handle: blueskytest.Handle, DisplayName: blueskytest.DisplayName,
		ProfileURL: "https://bsky.app/profile/" + blueskytest.Handle, Instance: s.URL(), Connectable: true,
	}
	if a.RemoteID != want.RemoteID || a.Kind != want.Kind || a.Handle != want.Handle || a.DisplayName != want.DisplayName ||
		a.ProfileURL != want.ProfileURL || a.Instance != want.Instance || !a.Connectable {
		t.Errorf("account = %+v\nwant      %+v", a, want)
	}
	if !strings.HasPrefix(a.AvatarURL, "https://cdn.bsky.app/") {
		t.Errorf("AvatarURL = %q", a.AvatarURL)
	}
	if a.Credential.AccessToken != cred.AccessToken || a.Credential.RefreshToken != cred.RefreshToken {
		t.Error("the account does not carry the session")
	}
	if got := s.Calls("app.bsky.actor.getProfile"); got != 1 {
		t.Errorf("getProfile called %d times", got)
	}
}

// TestCallsGoToThePDS: the entryway is the front door for sign-in only;
// with it (or nothing) as the instance, calls go to the session's PDS.
func TestCallsGoToThePDS(t *testing.T) {
	c, s := newClient(t)
	cred := login(t, c, s)
	elsewhere := bluesky.New(bluesky.Options{}) // entryway https://bsky.social, never reached here
	for _, instance := range []string{"", "https://bsky.social", "bsky.social/"} {
		if err := elsewhere.Check(context.Background(), instance, cred); err != nil {
			t.Errorf("Check with instance %q: %v", instance, err)
		}
	}
}

func TestDescriptor(t *testing.T) {
	d := bluesky.New(bluesky.Options{}).Descriptor()
	if d.ID != "bluesky" || d.Auth != network.AuthAppPassword || d.NeedsInstance || d.DefaultInstance != "https://bsky.social" {
		t.Errorf("descriptor %+v", d)
	}
	for _, want := range []string{"app password", "7 days", "revoke", "https://bsky.app/settings/app-passwords", "keyring"} {
		if !strings.Contains(d.ConnectHelp, want) {
			t.Errorf("ConnectHelp does not mention %q", want)
		}
	}
	for _, c := range []network.Capability{network.CapPublish, network.CapMedia, network.CapAltText, network.CapThreads,
		network.CapFirstComment, network.CapComments, network.CapPostMetrics, network.CapChannelMetrics, network.CapRefresh, network.CapRevoke} {
		if !d.Has(c) {
			t.Errorf("capability %s missing", c)
		}
	}
	if d.Has(network.CapNativeSchedule) {
		t.Error("Bluesky cannot schedule natively")
	}
	limits := map[network.Capability]bool{}
	for _, l := range d.Limitations {
		limits[l.Capability] = l.Text != ""
	}
	for _, c := range []network.Capability{network.CapPostMetrics, network.CapNativeSchedule, network.CapPublish, network.CapMedia, network.CapTagPeople} {
		if !limits[c] {
			t.Errorf("no limitation explains %s", c)
		}
	}
}

func TestUnusableEntrywayIsNeverCalled(t *testing.T) {
	c := bluesky.New(bluesky.Options{Entryway: "http://entryway.example.com"})
	_, err := c.Login(context.Background(), "", blueskytest.Handle, blueskytest.AppPassword)
	if network.ClassOf(err) != network.ClassInvalidInput {
		t.Fatalf("Login through a plain-http entryway = %v, want invalid_input", err)
	}
}
