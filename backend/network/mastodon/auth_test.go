package mastodon_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"herald/backend/network"
	"herald/backend/network/mastodon"
	"herald/backend/network/mastodon/mastodontest"
)

const redirect = "http://127.0.0.1:49152/callback"

func newClient(fake *mastodontest.Server) *mastodon.Client {
	return mastodon.New(mastodon.Options{HTTP: fake.Client(), Website: "https://herald.example"})
}

func TestBeginAuthRegistersTheExactRedirectAndBuildsTheAuthorizeURL(t *testing.T) {
	fake := mastodontest.NewServer(t)
	verifier := oauth2.GenerateVerifier()
	challenge := oauth2.S256ChallengeFromVerifier(verifier)
	req, err := newClient(fake).BeginAuth(context.Background(), fake.Instance(), redirect, "st4te", challenge)
	if err != nil {
		t.Fatal(err)
	}
	if fake.Calls("/api/v1/instance") != 1 {
		t.Error("BeginAuth did not confirm the server speaks the Mastodon API first")
	}
	apps := fake.Apps()
	if len(apps) != 1 {
		t.Fatalf("registered %d apps, want 1", len(apps))
	}
	a := apps[0]
	if a.Name != "Herald" || a.Website != "https://herald.example" || strings.Join(a.Scopes, " ") != "read write" {
		t.Errorf("registered app %+v", a)
	}
	if len(a.RedirectURIs) != 1 || a.RedirectURIs[0] != redirect {
		t.Errorf("registered redirect URIs %q, want exactly %q", a.RedirectURIs, redirect)
	}
	if req.Client.ClientID != a.ClientID || req.Client.ClientSecret != a.ClientSecret {
		t.Error("AuthRequest.Client does not carry the registered client id and secret")
	}
	u, err := url.Parse(req.AuthURL)
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Scheme + "://" + u.Host + u.Path; got != fake.Instance()+"/oauth/authorize" {
		t.Errorf("auth URL goes to %s", got)
	}
	want := url.Values{
		"response_type": {"code"}, "client_id": {a.ClientID}, "redirect_uri": {redirect}, "scope": {"read write"},
		"state": {"st4te"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"},
	}
	for k, v := range want {
		if u.Query().Get(k) != v[0] {
			t.Errorf("auth URL %s = %q, want %q", k, u.Query().Get(k), v[0])
		}
	}
	if strings.Contains(req.AuthURL, a.ClientSecret) {
		t.Error("the auth URL (opened in a browser) contains the client secret")
	}
}

// connect runs the whole flow against the fake and returns the request
// and credential.
func connect(t *testing.T, c *mastodon.Client, fake *mastodontest.Server) network.Credential {
	t.Helper()
	verifier := oauth2.GenerateVerifier()
	req, err := c.BeginAuth(context.Background(), fake.Instance(), redirect, "s", oauth2.S256ChallengeFromVerifier(verifier))
	if err != nil {
		t.Fatal(err)
	}
	code, _ := fake.Approve(t, req.AuthURL)
	cred, err := c.Exchange(context.Background(), fake.Instance(), req, code, verifier, redirect)
	if err != nil {
		t.Fatal(err)
	}
	return cred
}

func TestExchange(t *testing.T) {
	fake := mastodontest.NewServer(t)
	c := newClient(fake)
	ctx := context.Background()

	t.Run("returns a complete oauth2 credential", func(t *testing.T) {
		cred := connect(t, c, fake)
		if cred.Kind != "oauth2" || cred.AccessToken == "" || cred.TokenType != "Bearer" || cred.Scope != "read write" ||
			cred.ClientID == "" || cred.ClientSecret == "" || cred.RefreshToken != "" || !cred.Expiry.IsZero() {
			t.Errorf("credential %+v", cred)
		}
	})

	refused := []struct {
		name     string
		tamper   func(code, verifier, redirectURI *string)
		reuse    bool
		contains string
	}{
		{name: "wrong PKCE verifier", tamper: func(_, v, _ *string) { *v = oauth2.GenerateVerifier() }, contains: "did not match"},
		{name: "different redirect URI", tamper: func(_, _, r *string) { *r = "http://127.0.0.1:1/other" }, contains: "did not match"},
		{name: "unknown code", tamper: func(c, _, _ *string) { *c = "forged" }, contains: "did not match"},
		{name: "code used twice", reuse: true, contains: "already used"},
	}
	for _, tc := range refused {
		t.Run(tc.name+" is invalid input", func(t *testing.T) {
			verifier := oauth2.GenerateVerifier()
			req, err := c.BeginAuth(ctx, fake.Instance(), redirect, "s", oauth2.S256ChallengeFromVerifier(verifier))
			if err != nil {
				t.Fatal(err)
			}
			code, _ := fake.Approve(t, req.AuthURL)
			redirectURI := redirect
			if tc.reuse {
				if _, err := c.Exchange(ctx, fake.Instance(), req, code, verifier, redirectURI); err != nil {
					t.Fatal(err)
				}
			} else {
				tc.tamper(&code, &verifier, &redirectURI)
			}
			_, err = c.Exchange(ctx, fake.Instance(), req, code, verifier, redirectURI)
			if network.ClassOf(err) != network.ClassInvalidInput || !strings.Contains(err.Error(), tc.contains) {
				t.Fatalf("Exchange = %v (class %s), want invalid_input mentioning %q", err, network.ClassOf(err), tc.contains)
			}
			if strings.Contains(err.Error(), req.Client.ClientSecret) || strings.Contains(err.Error(), verifier) {
				t.Errorf("error %q contains a secret", err)
			}
		})
	}

	t.Run("wrong client secret is invalid input", func(t *testing.T) {
		verifier := oauth2.GenerateVerifier()
		req, err := c.BeginAuth(ctx, fake.Instance(), redirect, "s", oauth2.S256ChallengeFromVerifier(verifier))
		if err != nil {
			t.Fatal(err)
		}
		code, _ := fake.Approve(t, req.AuthURL)
		req.Client.ClientSecret = "nope"
		_, err = c.Exchange(ctx, fake.Instance(), req, code, verifier, redirect)
		if network.ClassOf(err) != network.ClassInvalidInput || !strings.Contains(err.Error(), "registration") {
			t.Fatalf("Exchange = %v (class %s), want invalid_input about the registration", err, network.ClassOf(err))
		}
	})
}

func TestAccounts(t *testing.T) {
	fake := mastodontest.NewServer(t)
	c := newClient(fake)
	ctx := context.Background()

	cred := connect(t, c, fake)
	accounts, err := c.Accounts(ctx, fake.Instance(), cred)
	if err != nil {
		t.Fatal(err)
	}
	alice := fake.Account()
	want := network.Account{
		RemoteID: alice.ID, Kind: "account", Handle: "alice@" + fake.Host(), DisplayName: "Alice Example",
		AvatarURL: alice.Avatar, ProfileURL: alice.URL, Instance: fake.Instance(), Connectable: true, Credential: cred,
	}
	if len(accounts) != 1 || !reflect.DeepEqual(accounts[0], want) {
		t.Fatalf("Accounts = %+v\nwant [%+v]", accounts, want)
	}

	// Another person signed in at the browser, without a display name.
	bob := fake.AddAccount(mastodontest.Account{Username: "bob"})
	fake.SignInAs(bob.ID)
	accounts, err = c.Accounts(ctx, fake.Instance(), connect(t, c, fake))
	if err != nil {
		t.Fatal(err)
	}
	if len(accounts) != 1 || accounts[0].RemoteID != bob.ID || accounts[0].DisplayName != "bob" || accounts[0].Handle != "bob@"+fake.Host() {
		t.Fatalf("Accounts for bob = %+v", accounts)
	}
}

func TestCheckWithoutReadScopeIsScopeMissing(t *testing.T) {
	fake := mastodontest.NewServer(t)
	cred := fake.Credential(fake.Account().ID, "write:statuses")
	err := newClient(fake).Check(context.Background(), fake.Instance(), cred)
	if network.ClassOf(err) != network.ClassScopeMissing {
		t.Fatalf("Check = %v (class %s), want scope_missing", err, network.ClassOf(err))
	}
}

func TestRevoke(t *testing.T) {
	fake := mastodontest.NewServer(t)
	c := newClient(fake)
	ctx := context.Background()
	cred := connect(t, c, fake)
	other := connect(t, c, fake)

	if err := c.Revoke(ctx, fake.Instance(), cred); err != nil {
		t.Fatal(err)
	}
	if fake.TokenValid(cred.AccessToken) {
		t.Error("the token is still valid after Revoke")
	}
	if !fake.TokenValid(other.AccessToken) {
		t.Error("Revoke invalidated another channel's token")
	}
	if err := c.Revoke(ctx, fake.Instance(), cred); err != nil {
		t.Errorf("revoking twice = %v, want nil (RFC 7009)", err)
	}

	t.Run("a server without the endpoint says so", func(t *testing.T) {
		fake.Handle("POST /oauth/revoke", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":"404 page not found"}`))
		})
		err := c.Revoke(ctx, fake.Instance(), other)
		if !errors.Is(err, mastodon.ErrRevokeUnsupported) || !strings.Contains(err.Error(), "applications") {
			t.Fatalf("Revoke = %v, want ErrRevokeUnsupported explaining where to remove Herald", err)
		}
		if network.IsAuthDead(err) {
			t.Error("an unsupported revoke must not read as a dead credential")
		}
	})
}

func TestCallsRejectABadStoredInstance(t *testing.T) {
	c := mastodon.New(mastodon.Options{})
	ctx := context.Background()
	for name, err := range map[string]error{
		"Check":    c.Check(ctx, "http://mastodon.social", network.Credential{}),
		"Accounts": func() error { _, err := c.Accounts(ctx, "not a server", network.Credential{}); return err }(),
		"Revoke":   c.Revoke(ctx, "", network.Credential{}),
		"Exchange": func() error {
			_, err := c.Exchange(ctx, "ftp://x.org", network.AuthRequest{}, "", "", redirect)
			return err
		}(),
	} {
		if network.ClassOf(err) != network.ClassInvalidInput {
			t.Errorf("%s with a bad instance = %v, want invalid_input", name, err)
		}
	}
}
