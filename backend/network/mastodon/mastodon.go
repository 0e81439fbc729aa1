// Package mastodon connects Herald to any server that speaks the Mastodon
// client API (Mastodon itself, GoToSocial, and compatible forks).
//
// Every server is its own OAuth provider: Herald registers itself with the
// server the user names (POST /api/v1/apps) for the exact loopback redirect
// it has just bound, then signs in with PKCE. Access tokens never expire,
// so there is no refresh; a token dies only when it is revoked.
package mastodon

import (
	"net/http"
	"sync"
	"time"

	"herald/backend/network"
)

// ID is the network id stored with every Mastodon channel.
const ID = "mastodon"

// Options configure a Client. Zero values get sensible defaults.
type Options struct {
	// HTTP sends every request; default *http.Client with a 30 s timeout.
	HTTP network.HTTPDoer
	// ClientName is the app name the user sees on the server; default "Herald".
	ClientName string
	// Website is shown next to the app name on the server's consent page.
	Website string
	// Scopes requested at registration and sign-in; default "read write".
	Scopes string
	// Now is the clock used to turn Retry-After into a time and to check a
	// schedule's lead; default time.Now.
	Now func() time.Time
	// MediaPollInterval is the first wait between checks of an attachment
	// the server is still processing (it grows to 5 s); default 1 s.
	MediaPollInterval time.Duration
	// MediaWait bounds how long Herald waits for the server to process one
	// attachment; default 5 minutes (a long video).
	MediaWait time.Duration
}

// Client talks to Mastodon-API servers. It holds no per-server state: the
// server and credential are passed to each call.
type Client struct {
	http       network.HTTPDoer
	clientName string
	website    string
	scopes     string
	now        func() time.Time
	mediaPoll  time.Duration
	mediaWait  time.Duration
	// noBatch holds the servers (base URLs) that answered the multiple
	// statuses endpoint with "not here": RefreshInbox reads them one by one.
	noBatch sync.Map
}

var (
	_ network.Network         = (*Client)(nil)
	_ network.OAuthConnector  = (*Client)(nil)
	_ network.AccountLister   = (*Client)(nil)
	_ network.LivenessChecker = (*Client)(nil)
	_ network.Revoker         = (*Client)(nil)
	_ network.Publisher       = (*Client)(nil)
	_ network.Verifier        = (*Client)(nil)
	_ network.Reconciler      = (*Client)(nil)
	_ network.NativeScheduler = (*Client)(nil)
	_ network.RulesProvider   = (*Client)(nil)
	_ network.InboxReader     = (*Client)(nil)
	_ network.ThreadReader    = (*Client)(nil)
	_ network.InboxRefresher  = (*Client)(nil)
	_ network.MetricsReader   = (*Client)(nil)
	_ network.AccountSearcher = (*Client)(nil)
	_ network.PublicReader    = (*Client)(nil)
)

// New returns a Client with o's dependencies, defaulting what is unset.
func New(o Options) *Client {
	c := &Client{http: o.HTTP, clientName: o.ClientName, website: o.Website, scopes: o.Scopes, now: o.Now,
		mediaPoll: o.MediaPollInterval, mediaWait: o.MediaWait}
	if c.http == nil {
		c.http = &http.Client{Timeout: 30 * time.Second}
	}
	if c.clientName == "" {
		c.clientName = "Herald"
	}
	if c.scopes == "" {
		c.scopes = "read write"
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.mediaPoll <= 0 {
		c.mediaPoll = time.Second
	}
	if c.mediaWait <= 0 {
		c.mediaWait = 5 * time.Minute
	}
	return c
}

// Descriptor says what Herald can do with a Mastodon server.
func (c *Client) Descriptor() network.Descriptor {
	return network.Descriptor{
		ID:             ID,
		Name:           "Mastodon",
		Auth:           network.AuthOAuthLoopback,
		NeedsInstance:  true,
		InstanceLabel:  "Server",
		InstanceFormat: "The server's address, like mastodon.social",
		ConnectHelp: "You'll sign in on your server's own page in your browser. " +
			"Herald registers itself with your server and never sees your password.",
		NotListedHelp: "One sign-in connects one account: the one signed in on your server's page. " +
			"To add another account, sign out on the server's page first, or use a private browser window.",
		Capabilities: []network.Capability{
			network.CapPublish,
			network.CapMedia,
			network.CapAltText,
			network.CapThreads,
			network.CapFirstComment,
			network.CapContentWarning,
			network.CapVisibility,
			network.CapNativeSchedule,
			network.CapComments,
			network.CapDirectMessages,
			network.CapPostMetrics,
			network.CapChannelMetrics,
			network.CapRevoke,
		},
		Limitations: []network.Limitation{
			{Capability: network.CapPostMetrics, Text: "Mastodon reports no views, link clicks or reach: only replies, boosts, favourites and (from Mastodon 4.5) quotes."},
			{Capability: network.CapPublish, Text: "Character and media limits differ per server; Herald reads them from your server."},
			{Capability: network.CapTagPeople, Text: "People are tagged by @mentioning them in the text (@name@server)."},
			{Capability: network.CapFirstComment, Text: "The first comment is a reply to your own post, with the post's visibility."},
			{Capability: network.CapNativeSchedule, Text: "Scheduling on the server needs a server that supports it (Mastodon does; GoToSocial does not yet), " +
				"at least 5 minutes ahead, and no thread or first comment. Otherwise Herald publishes on time itself."},
			{Capability: network.CapDirectMessages, Text: "Direct messages are posts visible only to the people they mention; " +
				"servers that do not list conversations (older GoToSocial) show them as mentions only."},
		},
		Rules: DefaultRules(),
	}
}
