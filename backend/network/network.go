// Package network defines what Herald asks of a social network: a small
// core every network implements, optional capability interfaces, the
// credential that lives in the keyring, and one error classification.
// Network packages (mastodon, bluesky, ...) never import store or service.
package network

import (
	"context"
	"net/http"
	"time"
)

// AuthKind is how a user signs in to a network from Herald.
type AuthKind string

const (
	// AuthOAuthLoopback: the system browser and a one-shot listener on
	// 127.0.0.1 (RFC 8252) with PKCE.
	AuthOAuthLoopback AuthKind = "oauth_loopback"
	// AuthAppPassword: an identifier and an app-specific password typed into
	// Herald (Bluesky).
	AuthAppPassword AuthKind = "app_password"
)

// Capability names what a network can do through its API.
type Capability string

const (
	CapPublish        Capability = "publish"
	CapMedia          Capability = "media"
	CapAltText        Capability = "alt_text"
	CapThreads        Capability = "threads"
	CapFirstComment   Capability = "first_comment"
	CapComments       Capability = "comments" // the inbox reads mentions, replies and quotes (InboxReader)
	CapDirectMessages Capability = "direct_messages"
	CapPostMetrics    Capability = "post_metrics"
	CapChannelMetrics Capability = "channel_metrics"
	CapNativeSchedule Capability = "native_schedule"
	CapRefresh        Capability = "refresh"
	CapRevoke         Capability = "revoke"
	CapTagPeople      Capability = "tag_people"
	CapAccountSearch  Capability = "account_search"
	CapContentWarning Capability = "content_warning"
	CapVisibility     Capability = "visibility"
)

// Limitation is an API limit the UI explains instead of failing.
type Limitation struct {
	Capability Capability `json:"capability"`
	Text       string     `json:"text"`
}

// Descriptor is what Herald knows about a network without calling it.
type Descriptor struct {
	ID            string
	Name          string
	Auth          AuthKind
	NeedsInstance bool // the user chooses a server (Mastodon)
	// GlobalIDs: remote ids are unique across the whole network (Bluesky
	// DIDs), so a channel is the same whichever server it is reached on.
	GlobalIDs       bool
	DefaultInstance string // pre-filled server, if any
	InstanceLabel   string // "Server", "Hosting provider (PDS)"
	IdentifierLabel string // for app-password networks: "Handle"
	SecretLabel     string // for app-password networks: "App password"
	// Format hints, shown under each input: what to type, with an example.
	InstanceFormat   string // "The server's address, like mastodon.social"
	IdentifierFormat string // "Your handle, like alice.bsky.social, or your email"
	SecretFormat     string // "An app password, like abcd-efgh-ijkl-mnop"
	ConnectHelp      string // shown next to the sign-in step
	NotListedHelp    string // "why is my channel not listed?"
	Capabilities     []Capability
	Limitations      []Limitation
	// Rules are the network's default limits for a post.
	Rules Rules
	// ReauthAdvice is how often the network needs the user to sign in again
	// regardless of Herald's reminder, if at all (LinkedIn: 60 days).
	ReauthAdvice time.Duration
}

// Has reports whether the network declares capability c.
func (d Descriptor) Has(c Capability) bool {
	for _, x := range d.Capabilities {
		if x == c {
			return true
		}
	}
	return false
}

// Credential is everything needed to act as one channel. It is stored as
// one keyring item (JSON), so a rotated refresh token and its access token
// are always replaced together.
type Credential struct {
	Kind          string            `json:"kind"` // "oauth2", "atproto_session"
	AccessToken   string            `json:"access_token,omitempty"`
	RefreshToken  string            `json:"refresh_token,omitempty"`
	TokenType     string            `json:"token_type,omitempty"`
	Scope         string            `json:"scope,omitempty"`
	Expiry        time.Time         `json:"expiry,omitempty"`
	RefreshExpiry time.Time         `json:"refresh_expiry,omitempty"`
	ClientID      string            `json:"client_id,omitempty"`
	ClientSecret  string            `json:"client_secret,omitempty"`
	Extra         map[string]string `json:"extra,omitempty"`
	// Generation is the channel's credential generation this credential
	// belongs to, as handed out by Herald's credentials manager (never
	// stored with it: the database counts generations). An auth error is
	// reported with it, so a credential replaced since cannot disconnect
	// the channel.
	Generation int64 `json:"-"`
}

// ExpiresWithin reports whether the access token expires within d of now.
// A credential without an expiry never does.
func (c Credential) ExpiresWithin(now time.Time, d time.Duration) bool {
	return !c.Expiry.IsZero() && !now.Add(d).Before(c.Expiry)
}

// Account is a channel a login can see: a user account, a page, an
// organization. Connectable accounts carry the credential to act as them.
type Account struct {
	RemoteID    string
	Kind        string // "account", "page", "organization"
	Handle      string
	DisplayName string
	AvatarURL   string
	ProfileURL  string
	Instance    string
	Connectable bool
	Reason      string // why it cannot be connected, when it cannot
	Credential  Credential
}

// Network is the core every network implements.
type Network interface {
	Descriptor() Descriptor
}

// AuthRequest is one browser authorization in progress.
type AuthRequest struct {
	// AuthURL is opened in the system browser.
	AuthURL string
	// Client holds what the exchange needs (client id and secret of an app
	// registered for this flow).
	Client Credential
}

// OAuthConnector signs in through the system browser. The caller owns the
// loopback listener, the state and the PKCE verifier.
type OAuthConnector interface {
	// BeginAuth prepares an authorization against instance with redirectURI
	// (registering an app first where the network needs one).
	BeginAuth(ctx context.Context, instance, redirectURI, state, codeChallenge string) (AuthRequest, error)
	// Exchange trades the code for a credential.
	Exchange(ctx context.Context, instance string, req AuthRequest, code, codeVerifier, redirectURI string) (Credential, error)
}

// PasswordConnector signs in with an identifier and an app password.
type PasswordConnector interface {
	Login(ctx context.Context, instance, identifier, password string) (Credential, error)
}

// AccountLister returns every channel a credential can see, connectable or
// not, with the reason for those that are not.
type AccountLister interface {
	Accounts(ctx context.Context, instance string, cred Credential) ([]Account, error)
}

// LivenessChecker makes the cheapest call that proves the credential still
// works for the channel (verify_credentials, getSession).
type LivenessChecker interface {
	Check(ctx context.Context, instance string, cred Credential) error
}

// Refresher renews a credential before it expires. Where the network
// rotates refresh tokens the returned credential replaces the old one
// entirely and must be persisted before it is used.
type Refresher interface {
	// RefreshDue says whether cred should be refreshed now.
	RefreshDue(cred Credential, now time.Time) bool
	Refresh(ctx context.Context, instance string, cred Credential) (Credential, error)
}

// Revoker invalidates a credential on the network (on channel removal).
type Revoker interface {
	Revoke(ctx context.Context, instance string, cred Credential) error
}

// HTTPDoer is the HTTP client a network package uses; tests pass one
// pointed at a fake server.
type HTTPDoer interface {
	Do(req *http.Request) (*http.Response, error)
}
