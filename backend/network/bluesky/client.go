// Package bluesky connects Herald to Bluesky and other AT Protocol servers
// with app-password sessions (com.atproto.server.createSession).
//
// Sign-in resolves the handle to a DID, the DID to its PDS (Personal Data
// Server) and opens a session there; every later call goes to that PDS.
// Sessions are a short access JWT and a rotating refresh JWT: a refreshed
// credential replaces the old one entirely.
//
// Posts are app.bsky.feed.post records written to the account's repo
// under record keys derived from the publishing target, so a retried
// publish can never make a second post (see Client.Publish).
package bluesky

import (
	"net/http"
	"strings"
	"time"

	"herald/backend/network"
)

// ID is the network id in the registry and on stored channels.
const ID = "bluesky"

// CredentialKind marks a credential holding an atproto session.
const CredentialKind = "atproto_session"

// Keys of Credential.Extra.
const (
	ExtraDID    = "did"
	ExtraHandle = "handle"
	ExtraPDS    = "pds"
)

const (
	defaultEntryway = "https://bsky.social"
	defaultPLC      = "https://plc.directory"
	userAgent       = "Herald"
	// refreshMargin: refresh this long before the access token expires, so
	// a scheduled post never meets an expired token.
	refreshMargin = 15 * time.Minute
)

// Options configure a Client. Zero values take the defaults.
type Options struct {
	HTTP         network.HTTPDoer // default: *http.Client with a 30 s timeout
	Entryway     string           // default "https://bsky.social"
	PLCDirectory string           // default "https://plc.directory"
	Now          func() time.Time // default time.Now
}

// Client speaks XRPC to Bluesky. It is safe for concurrent use.
type Client struct {
	http     network.HTTPDoer
	entryway string
	plc      string
	now      func() time.Time
	flights  flights
}

var (
	_ network.Network           = (*Client)(nil)
	_ network.PasswordConnector = (*Client)(nil)
	_ network.AccountLister     = (*Client)(nil)
	_ network.LivenessChecker   = (*Client)(nil)
	_ network.Refresher         = (*Client)(nil)
	_ network.Revoker           = (*Client)(nil)
	_ network.Publisher         = (*Client)(nil)
	_ network.Verifier          = (*Client)(nil)
	_ network.Reconciler        = (*Client)(nil)
	_ network.InboxReader       = (*Client)(nil)
	_ network.ThreadReader      = (*Client)(nil)
	_ network.InboxRefresher    = (*Client)(nil)
	_ network.MetricsReader     = (*Client)(nil)
	_ network.AccountSearcher   = (*Client)(nil)
	_ network.PublicReader      = (*Client)(nil)
)

// New returns a Client.
func New(o Options) *Client {
	c := &Client{http: o.HTTP, entryway: defaultEntryway, plc: defaultPLC, now: o.Now}
	if c.http == nil {
		c.http = &http.Client{Timeout: 30 * time.Second}
	}
	if o.Entryway != "" {
		// An unusable entryway is left empty, so every call fails with
		// invalid_input rather than going somewhere else.
		c.entryway, _ = normalizeHost(o.Entryway)
	}
	if p := strings.TrimRight(strings.TrimSpace(o.PLCDirectory), "/"); p != "" {
		c.plc = p
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// Descriptor describes Bluesky for the UI.
func (cl *Client) Descriptor() network.Descriptor {
	return network.Descriptor{
		ID:               ID,
		Name:             "Bluesky",
		Auth:             network.AuthAppPassword,
		NeedsInstance:    false,
		GlobalIDs:        true,
		DefaultInstance:  cl.entryway,
		InstanceLabel:    "Hosting provider (advanced)",
		IdentifierLabel:  "Handle",
		SecretLabel:      "App password",
		InstanceFormat:   "The hosting provider's address, like bsky.social",
		IdentifierFormat: "Your handle, like alice.bsky.social, or your email",
		SecretFormat: "An app password, like abcd-efgh-ijkl-mnop — create one in Bluesky under " +
			"Settings → Privacy and security → App passwords",
		ConnectHelp: "Herald signs in to Bluesky with an app password, not your main password. " +
			"Herald is a desktop app, and Bluesky's sign-in for apps without a web server ends the session " +
			"after 7 days; an app password keeps Herald signed in, and you can revoke it at any time " +
			"without changing your main password. To make one, open Bluesky → Settings → Privacy and " +
			"security → App passwords (https://bsky.app/settings/app-passwords), add one named “Herald” " +
			"and paste it here. Herald keeps your Bluesky sign-in only in your system keyring.",
		NotListedHelp: "One Bluesky sign-in is one account. To add another account, sign in again with " +
			"that account's handle and an app password made in that account.",
		Capabilities: []network.Capability{
			network.CapPublish, network.CapMedia, network.CapAltText, network.CapThreads,
			network.CapFirstComment, network.CapComments, network.CapDirectMessages, network.CapPostMetrics, network.CapChannelMetrics,
			network.CapAccountSearch, network.CapRefresh, network.CapRevoke,
		},
		Limitations: []network.Limitation{
			{Capability: network.CapPostMetrics, Text: "Bluesky reports likes, reposts, replies, quotes and bookmarks only: there are no views, impressions, reach figures or link clicks."},
			{Capability: network.CapNativeSchedule, Text: "Bluesky cannot schedule posts itself: Herald must be running when a post is due."},
			{Capability: network.CapPublish, Text: "A post holds at most 300 characters (counted as graphemes, so an emoji counts as one)."},
			{Capability: network.CapMedia, Text: "A post holds up to 4 images (JPEG, PNG, WebP or GIF), each at most 1 MB. " +
				"Herald cannot publish videos to Bluesky yet."},
			{Capability: network.CapFirstComment, Text: "The first comment is posted as your own reply to the post (or to the last post of its thread)."},
			{Capability: network.CapTagPeople, Text: "Bluesky has no photo tags: tag people by @mentioning their handle in the text."},
			{Capability: network.CapDirectMessages, Text: "Direct messages need an app password made with " +
				"“Allow access to your direct messages” ticked."},
		},
		Rules: network.Rules{
			MaxChars:      300, // graphemes (app.bsky.feed.post text maxGraphemes)
			MaxBytes:      3000,
			URLWeight:     0, // a link counts as written
			MaxMedia:      maxImages,
			MaxImageBytes: maxImageBytes,
			MaxVideoBytes: maxVideoBytes,
			// Video is left out until Herald publishes it, so the composer
			// says so before the post is scheduled.
			MediaTypes: imageTypes(),
			MaxAltText: 2000, // the Bluesky app's limit
			MaxThread:  25,
			VideoAlone: true,
		},
	}
}

// apiHost is where calls with cred go. The channel's stored instance is
// its PDS; the entryway, like an empty instance, is only the front door
// for sign-in, so calls then go to the PDS named in the credential.
func (cl *Client) apiHost(op, instance string, cred network.Credential) (string, error) {
	pds := cred.Extra[ExtraPDS]
	host := strings.TrimSpace(instance)
	if host != "" && pds != "" {
		if h, err := normalizeHost(host); err == nil && h == cl.entryway {
			host = pds
		}
	}
	if host == "" {
		host = pds
	}
	if host == "" {
		host = cl.entryway
	}
	h, err := normalizeHost(host)
	if err != nil {
		return "", &network.Error{Network: ID, Op: op, Class: network.ClassInvalidInput, Message: err.Error()}
	}
	return h, nil
}
