package network

import (
	"context"
	"time"
)

// Media is one attachment, already copied into Herald's media folder.
type Media struct {
	Path    string
	MIME    string
	Size    int64
	AltText string
	Width   int
	Height  int
}

// Post is one variant to publish on one channel.
type Post struct {
	Text         string
	Media        []Media
	Thread       []string // follow-ups, each a reply to the one before
	FirstComment string   // a reply posted right after the post
	// ReplyTo makes the post an answer: the network id of the item it
	// replies to, as the inbox reader reported it (InboxItem.RemoteID). A
	// direct message id answers in that conversation.
	ReplyTo string
	// DirectTo makes the post a direct message to that account (its
	// network id: a Mastodon account id, a Bluesky DID) that starts or
	// continues the private conversation with it, when ReplyTo is empty.
	// On Mastodon the caller also sets visibility "direct" and mentions
	// the account in the text.
	DirectTo string
	// Options are network-specific: "visibility", "content_warning",
	// "sensitive", "language".
	Options map[string]string
	// IdempotencyKey is stable across retries of the same target; networks
	// that support it send it (Mastodon's Idempotency-Key) or derive a
	// deterministic record key from it (Bluesky's rkey).
	IdempotencyKey string
	// CreatedAt is when the target was first attempted; stable across
	// retries, so a network that stores it can recognise a repeat.
	CreatedAt time.Time
	// Done holds the remote ids of items already published by an earlier
	// attempt, in order (post, thread..., first comment): the publisher
	// continues after them instead of starting again.
	Done []string
	// Progress is called after each item is created, before the next one,
	// so the caller can record the remote id at once. It must be quick.
	Progress func(index int, remoteID, url string)
}

// Items is how many remote posts p makes: the post, its thread, and the
// first comment.
func (p Post) Items() int {
	n := 1 + len(p.Thread)
	if p.FirstComment != "" {
		n++
	}
	return n
}

// Published is what a successful publish made.
type Published struct {
	RemoteID string   // the post itself
	URL      string   // its public page
	ItemIDs  []string // every item, in order (post, thread..., first comment)
}

// Publisher publishes a post now.
type Publisher interface {
	Publish(ctx context.Context, instance string, cred Credential, p Post) (Published, error)
}

// RemotePost is a post as read back from the network.
type RemotePost struct {
	ID         string
	URL        string
	Text       string
	CreatedAt  time.Time
	MediaCount int
	AltTexts   []string
}

// Verifier reads a published post back, to confirm a reported success.
// A post that does not exist is an *Error with ClassContentRejected and
// Code "not_found".
type Verifier interface {
	Lookup(ctx context.Context, instance string, cred Credential, remoteID string) (RemotePost, error)
}

// Reconciler finds out whether an attempt whose outcome is unknown (the
// request may have been processed after the connection dropped) created
// the post, by looking at the channel's own recent posts.
type Reconciler interface {
	FindPublished(ctx context.Context, instance string, cred Credential, p Post, since time.Time) (Published, bool, error)
}

// Scheduled is a post handed to the network's own scheduler.
type Scheduled struct {
	ID          string
	ScheduledAt time.Time
	Text        string
}

// PublishedEarlyError is Schedule's error when the network ignored the time and
// published the post at once (a server without a scheduler that still
// accepts the request). The post is out: publishing it again would double
// it, so the caller records it as published instead.
type PublishedEarlyError struct {
	Published Published
	Err       *Error
}

func (e *PublishedEarlyError) Error() string { return e.Err.Error() }
func (e *PublishedEarlyError) Unwrap() error { return e.Err }

// NativeScheduler hands a post to the network so it goes out even when
// Herald is not running (Mastodon scheduled_at).
type NativeScheduler interface {
	// MinScheduleLead is how far ahead the network accepts a schedule.
	MinScheduleLead() time.Duration
	Schedule(ctx context.Context, instance string, cred Credential, p Post, at time.Time) (Scheduled, error)
	ListScheduled(ctx context.Context, instance string, cred Credential) ([]Scheduled, error)
	CancelScheduled(ctx context.Context, instance string, cred Credential, id string) error
}

// Rules are a network's limits for one channel, used to validate a post
// before it is published.
type Rules struct {
	MaxChars int // graphemes
	MaxBytes int // UTF-8 bytes, 0 = no byte limit
	// URLWeight is how many characters a link counts as; 0 = as written.
	URLWeight int
	// MentionDomainFree: "@user@domain" counts as "@user" (Mastodon).
	MentionDomainFree bool
	MaxMedia          int
	MaxImageBytes     int64
	MaxVideoBytes     int64
	MediaTypes        []string // accepted MIME types
	MaxAltText        int      // graphemes, 0 = no alt text
	MaxThread         int      // follow-ups allowed, 0 = none
	// VideoAlone: a video cannot share a post with other attachments.
	VideoAlone bool
}

// RulesProvider reads a channel's live limits (a Mastodon server's own
// character limit). Networks without it use Descriptor().Rules.
type RulesProvider interface {
	Rules(ctx context.Context, instance string) (Rules, error)
}
