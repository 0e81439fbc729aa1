//go:build gotosocial

package mastodon_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"herald/backend/network"
	"herald/backend/network/mastodon"
	"herald/test/gts"
)

// TestGoToSocial runs the whole connect flow against a real GoToSocial,
// publishes through the connected channel (gotosocial_publish_test.go),
// then revokes:
//
//	go test -tags gotosocial -count=1 -v ./backend/network/mastodon/
func TestGoToSocial(t *testing.T) {
	server := gts.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c := mastodon.New(mastodon.Options{})

	// The loopback listener Herald would own; bound only for its port.
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	redirectURI := fmt.Sprintf("http://%s/callback", ln.Addr())

	verifier := oauth2.GenerateVerifier()
	const state = "herald-state-42"
	req, err := c.BeginAuth(ctx, server.URL(), redirectURI, state, oauth2.S256ChallengeFromVerifier(verifier))
	if err != nil {
		t.Fatalf("BeginAuth: %v", err)
	}

	code, gotState := server.SignIn(t, req.AuthURL)
	if gotState != state || code == "" {
		t.Fatalf("redirect carried code %q state %q, want a code and state %q", code, gotState, state)
	}

	t.Run("a wrong PKCE verifier is refused where PKCE is enforced", func(t *testing.T) {
		v := oauth2.GenerateVerifier()
		other, err := c.BeginAuth(ctx, server.URL(), redirectURI, "other", oauth2.S256ChallengeFromVerifier(v))
		if err != nil {
			t.Fatal(err)
		}
		otherCode, _ := server.SignIn(t, other.AuthURL)
		_, err = c.Exchange(ctx, server.URL(), other, otherCode, oauth2.GenerateVerifier(), redirectURI)
		if err == nil {
			// 0.17.3 keeps no code_challenge through its sign-in page, so
			// the verifier is never checked. State and the client secret
			// still bind the code to this Herald.
			t.Log("this GoToSocial does not enforce PKCE")
			return
		}
		if network.ClassOf(err) != network.ClassInvalidInput {
			t.Fatalf("Exchange with a wrong verifier = %v (class %s), want invalid_input", err, network.ClassOf(err))
		}
	})

	cred, err := c.Exchange(ctx, server.URL(), req, code, verifier, redirectURI)
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	if cred.Kind != "oauth2" || cred.AccessToken == "" || cred.ClientID == "" || cred.ClientSecret == "" || !cred.Expiry.IsZero() {
		t.Fatalf("credential %+v", redacted(cred))
	}

	accounts, err := c.Accounts(ctx, server.URL(), cred)
	if err != nil {
		t.Fatalf("Accounts: %v", err)
	}
	username, _, _ := server.User()
	host := strings.TrimPrefix(server.URL(), "http://")
	if len(accounts) != 1 {
		t.Fatalf("Accounts = %d accounts, want 1", len(accounts))
	}
	a := accounts[0]
	if a.Handle != username+"@"+host || a.RemoteID == "" || !a.Connectable || a.Instance != server.URL() ||
		a.ProfileURL != server.URL()+"/@"+username || a.DisplayName == "" {
		t.Errorf("account %+v", redactedAccount(a))
	}

	if err := c.Check(ctx, server.URL(), cred); err != nil {
		t.Fatalf("Check with a fresh token: %v", err)
	}

	limits, err := c.InstanceLimits(ctx, server.URL())
	if err != nil {
		t.Fatalf("InstanceLimits: %v", err)
	}
	// GoToSocial's defaults differ from Mastodon's: that is why Herald reads them.
	if limits.MaxCharacters != 5000 || limits.MaxMediaAttachments != 6 || limits.CharactersReservedPerURL != 25 || limits.ImageSizeLimit <= 0 {
		t.Errorf("InstanceLimits = %+v, want GoToSocial's defaults (5000, 6, 25, an image size limit)", limits)
	}

	t.Run("publishing", func(t *testing.T) { testPublishOnGoToSocial(t, server, cred) })

	// GoToSocial 0.17.3 has no /oauth/revoke: Herald must say so, not
	// pretend, and not read it as a dead credential.
	err = c.Revoke(ctx, server.URL(), cred)
	if err != nil && (!errors.Is(err, mastodon.ErrRevokeUnsupported) || network.IsAuthDead(err)) {
		t.Fatalf("Revoke = %v, want nil or ErrRevokeUnsupported", err)
	}
	if err == nil {
		t.Log("this GoToSocial revokes tokens through /oauth/revoke")
	}

	server.RevokeToken(t, cred.ClientID, cred.ClientSecret, cred.AccessToken)
	err = c.Check(ctx, server.URL(), cred)
	if !network.IsAuthDead(err) {
		t.Fatalf("Check after the server revoked the token = %v (class %s), want auth_dead", err, network.ClassOf(err))
	}
	if strings.Contains(err.Error(), cred.AccessToken) {
		t.Errorf("error %q contains the token", err)
	}
	t.Logf("start-up took %s; after revoke: %v", server.StartupTime().Round(100*time.Millisecond), err)
}

func redacted(c network.Credential) network.Credential {
	c.AccessToken, c.ClientSecret = "[REDACTED]", "[REDACTED]"
	return c
}

func redactedAccount(a network.Account) network.Account {
	a.Credential = redacted(a.Credential)
	return a
}
