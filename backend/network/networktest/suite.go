// Package networktest is the conformance suite every network package
// passes against its fake server, plus helpers for writing those fakes.
//
// A network package's test calls Run with a constructor and its fake:
//
//	func TestConformance(t *testing.T) {
//		networktest.Run(t, networktest.Options{
//			New:  func(c *http.Client) network.Network { return mastodon.New(mastodon.Options{HTTP: c}) },
//			Fake: newFake(t),
//		})
//	}
package networktest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"herald/backend/network"
)

// Fault is a behaviour the fake adopts for its next API calls.
type Fault int

const (
	// FaultNone: answer normally.
	FaultNone Fault = iota
	// FaultRateLimited: 429 with the network's documented reset header.
	FaultRateLimited
	// FaultServerError: 503.
	FaultServerError
)

// Fake is a fake server that follows one network's documented wire format.
type Fake interface {
	// Instance is the base URL Herald is given as the server.
	Instance() string
	// Approve plays the person at the browser for OAuth networks: it
	// follows authURL, signs in and allows access, and returns the code and
	// state that the network's redirect would deliver.
	Approve(t *testing.T, authURL string) (code, state string)
	// Login returns a valid identifier and password for password networks.
	Login() (identifier, password string)
	// Inject sets the behaviour of subsequent API calls (not sign-in).
	Inject(f Fault)
	// RevokeAll invalidates every credential the fake has issued.
	RevokeAll()
	// RotatesRefreshTokens says whether a refresh token is single-use.
	RotatesRefreshTokens() bool
	// ExpireAccessTokens makes every issued access token expired.
	ExpireAccessTokens()
}

// Options configure Run.
type Options struct {
	// New builds the network with an HTTP client for the fake.
	New  func(client *http.Client) network.Network
	Fake Fake
}

// Run runs the conformance suite.
func Run(t *testing.T, o Options) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	n := o.New(client)
	d := n.Descriptor()
	var secrets []string
	noSecrets := func(t *testing.T, err error) {
		t.Helper()
		if err == nil {
			return
		}
		for _, s := range secrets {
			if s != "" && strings.Contains(err.Error(), s) {
				t.Errorf("error %q contains a credential", err)
			}
		}
	}
	connect := func(t *testing.T) network.Credential {
		t.Helper()
		o.Fake.Inject(FaultNone)
		cred, err := Connect(t, n, o.Fake)
		if err != nil {
			t.Fatalf("connect: %v", err)
		}
		secrets = append(secrets, cred.AccessToken, cred.RefreshToken, cred.ClientSecret)
		return cred
	}

	t.Run("descriptor", func(t *testing.T) {
		if d.ID == "" || d.Name == "" || d.ID != strings.ToLower(d.ID) {
			t.Errorf("descriptor id %q name %q: both required, id lower-case", d.ID, d.Name)
		}
		if _, ok := n.(network.AccountLister); !ok {
			t.Error("every network must list accounts (network.AccountLister)")
		}
		if _, ok := n.(network.LivenessChecker); !ok {
			t.Error("every network must check liveness (network.LivenessChecker)")
		}
		if (d.NeedsInstance || d.InstanceLabel != "") && d.InstanceFormat == "" {
			t.Error("a network that asks for a server must say what its address looks like (InstanceFormat)")
		}
		switch d.Auth {
		case network.AuthOAuthLoopback:
			if _, ok := n.(network.OAuthConnector); !ok {
				t.Error("Auth is oauth_loopback but the network is not an OAuthConnector")
			}
		case network.AuthAppPassword:
			if _, ok := n.(network.PasswordConnector); !ok {
				t.Error("Auth is app_password but the network is not a PasswordConnector")
			}
			if d.IdentifierLabel == "" || d.SecretLabel == "" || d.ConnectHelp == "" {
				t.Error("password networks must label the identifier and secret and explain where to get one")
			}
			if d.IdentifierFormat == "" || d.SecretFormat == "" {
				t.Error("password networks must say what the identifier and secret look like (IdentifierFormat, SecretFormat)")
			}
		default:
			t.Errorf("unknown auth kind %q", d.Auth)
		}
		if _, ok := n.(network.Refresher); ok != d.Has(network.CapRefresh) {
			t.Errorf("CapRefresh declared %v but Refresher implemented %v", d.Has(network.CapRefresh), ok)
		}
		if _, ok := n.(network.Revoker); ok != d.Has(network.CapRevoke) {
			t.Errorf("CapRevoke declared %v but Revoker implemented %v", d.Has(network.CapRevoke), ok)
		}
		if d.NotListedHelp == "" {
			t.Error("NotListedHelp must explain why a channel may be missing")
		}
	})

	t.Run("connect and list accounts", func(t *testing.T) {
		cred := connect(t)
		accounts, err := n.(network.AccountLister).Accounts(context.Background(), o.Fake.Instance(), cred)
		if err != nil {
			t.Fatal(err)
		}
		var connectable int
		for _, a := range accounts {
			if a.Connectable {
				connectable++
				if a.RemoteID == "" || a.Credential.AccessToken == "" && a.Credential.RefreshToken == "" {
					t.Errorf("connectable account %+v lacks a remote id or credential", a)
				}
			} else if a.Reason == "" {
				t.Errorf("account %s cannot be connected but gives no reason", a.Handle)
			}
		}
		if connectable == 0 {
			t.Fatalf("no connectable account in %+v", accounts)
		}
	})

	t.Run("liveness check passes with a fresh credential", func(t *testing.T) {
		cred := connect(t)
		if err := n.(network.LivenessChecker).Check(context.Background(), o.Fake.Instance(), cred); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("rate limit is rate_limited with a reset time, not a disconnect", func(t *testing.T) {
		cred := connect(t)
		o.Fake.Inject(FaultRateLimited)
		defer o.Fake.Inject(FaultNone)
		err := n.(network.LivenessChecker).Check(context.Background(), o.Fake.Instance(), cred)
		noSecrets(t, err)
		if network.ClassOf(err) != network.ClassRateLimited {
			t.Fatalf("Check under rate limit = %v (class %s), want rate_limited", err, network.ClassOf(err))
		}
		if reset, ok := network.RetryAfter(err); !ok || reset.Before(time.Now().Add(-time.Minute)) {
			t.Errorf("rate-limit reset = %v, %v; want a time from the network's header", reset, ok)
		}
	})

	t.Run("server error is transient, not a disconnect", func(t *testing.T) {
		cred := connect(t)
		o.Fake.Inject(FaultServerError)
		defer o.Fake.Inject(FaultNone)
		err := n.(network.LivenessChecker).Check(context.Background(), o.Fake.Instance(), cred)
		noSecrets(t, err)
		if err == nil || network.ClassOf(err) != network.ClassTransient {
			t.Fatalf("Check on 503 = %v (class %s), want transient", err, network.ClassOf(err))
		}
	})

	t.Run("unreachable server is transient, not a disconnect", func(t *testing.T) {
		cred := connect(t)
		err := n.(network.LivenessChecker).Check(context.Background(), closedURL(t), cred)
		noSecrets(t, err)
		if err == nil || network.ClassOf(err) != network.ClassTransient {
			t.Fatalf("Check against a closed port = %v (class %s), want transient", err, network.ClassOf(err))
		}
	})

	t.Run("revoked credential is auth_dead", func(t *testing.T) {
		cred := connect(t)
		o.Fake.RevokeAll()
		err := n.(network.LivenessChecker).Check(context.Background(), o.Fake.Instance(), cred)
		noSecrets(t, err)
		if !network.IsAuthDead(err) {
			t.Fatalf("Check after revoke = %v (class %s), want auth_dead", err, network.ClassOf(err))
		}
	})

	if d.Auth == network.AuthAppPassword {
		t.Run("wrong password is invalid input", func(t *testing.T) {
			id, pw := o.Fake.Login()
			secrets = append(secrets, pw, pw+"-wrong")
			_, err := n.(network.PasswordConnector).Login(context.Background(), o.Fake.Instance(), id, pw+"-wrong")
			noSecrets(t, err)
			if network.ClassOf(err) != network.ClassInvalidInput {
				t.Fatalf("Login with a wrong password = %v (class %s), want invalid_input", err, network.ClassOf(err))
			}
		})
	}

	if r, ok := n.(network.Refresher); ok {
		t.Run("refresh renews the credential", func(t *testing.T) {
			cred := connect(t)
			if !r.RefreshDue(cred, time.Now().Add(365*24*time.Hour)) {
				t.Error("RefreshDue is false a year later")
			}
			o.Fake.ExpireAccessTokens()
			fresh, err := r.Refresh(context.Background(), o.Fake.Instance(), cred)
			if err != nil {
				t.Fatal(err)
			}
			secrets = append(secrets, fresh.AccessToken, fresh.RefreshToken)
			if fresh.AccessToken == cred.AccessToken {
				t.Error("refresh returned the same access token")
			}
			if err := n.(network.LivenessChecker).Check(context.Background(), o.Fake.Instance(), fresh); err != nil {
				t.Errorf("Check with the refreshed credential: %v", err)
			}
			if o.Fake.RotatesRefreshTokens() {
				if fresh.RefreshToken == cred.RefreshToken {
					t.Error("the network rotates refresh tokens but the same one came back")
				}
				_, err := r.Refresh(context.Background(), o.Fake.Instance(), cred)
				noSecrets(t, err)
				if !network.IsAuthDead(err) {
					t.Errorf("reusing a rotated refresh token = %v, want auth_dead", err)
				}
			}
		})
		t.Run("refresh of a revoked credential is auth_dead", func(t *testing.T) {
			cred := connect(t)
			o.Fake.RevokeAll()
			_, err := r.Refresh(context.Background(), o.Fake.Instance(), cred)
			noSecrets(t, err)
			if !network.IsAuthDead(err) {
				t.Fatalf("Refresh after revoke = %v, want auth_dead", err)
			}
		})
	}

	if rv, ok := n.(network.Revoker); ok {
		t.Run("revoke invalidates the credential", func(t *testing.T) {
			cred := connect(t)
			if err := rv.Revoke(context.Background(), o.Fake.Instance(), cred); err != nil {
				t.Fatal(err)
			}
			err := n.(network.LivenessChecker).Check(context.Background(), o.Fake.Instance(), cred)
			if !network.IsAuthDead(err) {
				t.Fatalf("Check after Revoke = %v, want auth_dead", err)
			}
		})
	}
}

// Connect signs in to the fake the way Herald does, playing the user's
// part through the fake.
func Connect(t *testing.T, n network.Network, f Fake) (network.Credential, error) {
	t.Helper()
	ctx := context.Background()
	switch c := n.(type) {
	case network.OAuthConnector:
		const redirect = "http://127.0.0.1:1/callback"
		verifier := oauth2.GenerateVerifier()
		state := randomState()
		req, err := c.BeginAuth(ctx, f.Instance(), redirect, state, oauth2.S256ChallengeFromVerifier(verifier))
		if err != nil {
			return network.Credential{}, err
		}
		code, gotState := f.Approve(t, req.AuthURL)
		if gotState != state {
			t.Fatalf("the redirect carried state %q, want %q", gotState, state)
		}
		return c.Exchange(ctx, f.Instance(), req, code, verifier, redirect)
	case network.PasswordConnector:
		id, pw := f.Login()
		return c.Login(ctx, f.Instance(), id, pw)
	}
	return network.Credential{}, errors.New("network has no way to connect")
}

func randomState() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// closedURL returns a loopback URL where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return "http://" + addr
}
