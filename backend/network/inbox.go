package network

import (
	"context"
	"time"
)

// InboxKind is what an inbox item is to the channel.
type InboxKind string

const (
	InboxMention InboxKind = "mention" // names the channel, not in reply to its posts
	InboxReply   InboxKind = "reply"   // answers one of the channel's posts (or a reply under one)
	InboxQuote   InboxKind = "quote"   // quotes one of the channel's posts
	InboxMessage InboxKind = "message" // a direct message
)

// InboxAuthor is who wrote an inbox item, as the network shows them.
type InboxAuthor struct {
	RemoteID    string `json:"remoteId"` // account id / DID
	Handle      string `json:"handle"`   // "@alice@example.social", "alice.bsky.social"
	DisplayName string `json:"displayName"`
	AvatarURL   string `json:"avatarUrl"`
	ProfileURL  string `json:"profileUrl"`
}

// InboxItem is one comment, mention, reply, quote or direct message as the
// network reports it. Network packages turn the network's markup into
// plain Text (HTML is never passed on) and keep the links a person could
// follow in Links.
type InboxItem struct {
	// RemoteID is unique among the channel's items and stable: the same
	// network item always has the same RemoteID (Mastodon: the status id;
	// Bluesky: the post's at:// URI; a chat message: "chat:<convo>/<msg>").
	RemoteID string
	Kind     InboxKind
	Author   InboxAuthor
	Text     string
	Links    []string
	// URL is the item's public page, when it has one (DMs often do not).
	URL string
	// ParentID is the RemoteID of what the item answers or quotes (empty
	// for a mention that answers nothing); RootID the first post of its
	// thread. For a message, ConversationID groups the messages of one
	// conversation.
	ParentID       string
	RootID         string
	ConversationID string
	// Language is the BCP 47 tag the network gives, if any.
	Language  string
	CreatedAt time.Time
	// EditedAt is set when the network says the item was edited after it
	// was created.
	EditedAt time.Time
	// Deleted is set when the network reports that the item was removed
	// (a tombstone, a "not found" on refresh).
	Deleted bool
}

// InboxCursors is where each of a channel's inbox streams ("notifications",
// "conversations", "chat", ...) was read up to. Networks define the keys
// and values; Herald stores them as given and passes them back unchanged.
// A missing key means the stream was never read.
type InboxCursors map[string]string

// InboxProblem is one entry of a page Herald could not use (malformed, an
// unknown kind it cannot show): the sync skips it and goes on, and the
// reason is logged.
type InboxProblem struct {
	Stream   string // the stream the entry came from
	RemoteID string // the entry's id, when it had one
	Reason   string
}

// InboxPage is what one read of a channel's inbox found.
type InboxPage struct {
	Items []InboxItem
	// Cursors replaces the cursors passed in once every item of the page
	// is stored; a stream the read did not reach keeps its old cursor.
	Cursors InboxCursors
	// More is true when a stream has more to read right away (the read
	// stopped at its page limit): the caller reads again with Cursors.
	More     bool
	Problems []InboxProblem
	// Unavailable lists the streams the credential may not read, with the
	// reason in the user's words and how to fix it (a Bluesky app password
	// without direct-message access): a missing permission, not a failure.
	Unavailable []Limitation
}

// InboxReader reads what is new for a channel since cursors. With no
// cursors (a channel's first sync) it reads the recent backlog, bounded by
// the network's page limits, and returns cursors to go on from.
//
// A read cut short by an error returns the error together with the page
// read so far: its Items and Cursors are consistent (storing both, then
// reading again with the Cursors, loses and repeats nothing), and a caller
// may as well drop them and read again from its old cursors.
type InboxReader interface {
	ReadInbox(ctx context.Context, instance string, cred Credential, cursors InboxCursors) (InboxPage, error)
}

// Thread is one conversation around an item: the channel's own post it
// hangs on (when there is one), everything above the item and every reply
// below it that the network returns, oldest first.
type Thread struct {
	Items []InboxItem
	// Truncated is set when the network (or Herald's own bound, 1,000
	// items) cut the thread short.
	Truncated bool
}

// ThreadReader reads the thread an item belongs to.
type ThreadReader interface {
	ReadThread(ctx context.Context, instance string, cred Credential, remoteID string) (Thread, error)
}

// InboxRefresher reports, for items Herald already holds, whether each
// still exists and whether it was edited, so edits and deletions on the
// network are reflected. Items it cannot find are returned with Deleted
// set; items it could not check (rate limit) are left out, and the error
// that stopped it is returned with the items checked before it. Only
// RemoteID, Text, Links, EditedAt and Deleted of a refreshed item are
// meaningful: Kind, parent and conversation are what the read reported.
type InboxRefresher interface {
	RefreshInbox(ctx context.Context, instance string, cred Credential, remoteIDs []string) ([]InboxItem, error)
}

// InboxAction is something the user does to an inbox item (like it, hide
// it under the channel's post) or to its author (mute, block) on the
// network. Herald only ever does one because the user asked.
type InboxAction string

const (
	ActionLike  InboxAction = "like"  // like / favourite the item
	ActionHide  InboxAction = "hide"  // hide a reply under the channel's own post
	ActionMute  InboxAction = "mute"  // stop seeing the author
	ActionBlock InboxAction = "block" // stop the author from interacting
)

// InboxActions lists every action, in the order the window shows them.
var InboxActions = []InboxAction{ActionLike, ActionHide, ActionMute, ActionBlock}

// ItemRef is what a Moderator needs to know of an item.
type ItemRef struct {
	RemoteID       string
	Kind           InboxKind
	AuthorRemoteID string
	// RootID is the first post of the item's thread: a reply can only be
	// hidden under the channel's own post.
	RootID string
}

// Moderator acts on inbox items and their authors. Supports is the
// network's limitations matrix: whether an action can be done to an item
// for the channel whose account id (Mastodon account id, Bluesky DID) is
// self and, when not, why in the user's words. Act does it (or, with undo,
// takes it back); doing what is already done is not an error.
type Moderator interface {
	Supports(a InboxAction, item ItemRef, self string) (bool, string)
	Act(ctx context.Context, instance string, cred Credential, a InboxAction, item ItemRef, undo bool) error
}
