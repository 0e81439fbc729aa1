// Package model holds Herald's persistent types. It does no I/O; the
// schema itself is defined by the migrations in package db, and a test in
// package store checks that every field here has its column.
package model

import (
	"fmt"
	"strings"
	"time"
)

// Setting is one key/value pair of user settings.
type Setting struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
}

func (Setting) TableName() string { return "settings" }

// Team groups channels (a brand, a client, "Personal").
type Team struct {
	ID        int64 `gorm:"primaryKey"`
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (Team) TableName() string { return "teams" }

// ChannelStatus is the health of a channel's connection.
type ChannelStatus string

const (
	// ChannelConnected: the last check or use succeeded.
	ChannelConnected ChannelStatus = "connected"
	// ChannelAttention: usable for some things, but the user must act
	// (a missing permission, a retired API version).
	ChannelAttention ChannelStatus = "attention"
	// ChannelDisconnected: the network said the credentials are dead.
	ChannelDisconnected ChannelStatus = "disconnected"
)

// Channel is one account, page or organization on one network.
type Channel struct {
	ID              int64 `gorm:"primaryKey"`
	Network         string
	Instance        string
	RemoteID        string
	Kind            string
	Handle          string
	DisplayName     string
	AvatarURL       string
	ProfileURL      string
	Status          ChannelStatus
	StatusReason    string
	StatusChangedAt time.Time
	// TokenExpiresAt is when the user must sign in again at the latest (the
	// end of the refreshable session); nil when the network never expires it.
	TokenExpiresAt *time.Time
	// AccessExpiresAt is when the short-lived access token lapses; Herald
	// refreshes it before then.
	AccessExpiresAt  *time.Time
	ConnectedAt      time.Time
	RefreshedAt      *time.Time
	CheckedAt        *time.Time
	RemindedAt       *time.Time
	LastCheckClass   string
	LastCheckMessage string
	RemovedAt        *time.Time
	// RateLimitedUntil: the network asked for no requests before then.
	RateLimitedUntil *time.Time
	// CredentialGeneration grows with every reconnect and token rotation.
	CredentialGeneration int64
	// InboxMuted: new inbox items of this channel raise no desktop
	// notification (a rule with Notify still does). The zero value
	// notifies, as a new channel should.
	InboxMuted bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Teams      []Team `gorm:"many2many:channel_teams"`
}

// LastAuthorizedAt is when the user last signed in for this channel.
func (c Channel) LastAuthorizedAt() time.Time {
	if c.RefreshedAt != nil && c.RefreshedAt.After(c.ConnectedAt) {
		return *c.RefreshedAt
	}
	return c.ConnectedAt
}

// HealthKind names an entry of a channel's health timeline.
type HealthKind string

const (
	HealthConnected      HealthKind = "connected"
	HealthRefreshed      HealthKind = "refreshed"       // the user signed in again
	HealthTokenRefreshed HealthKind = "token_refreshed" // Herald renewed the token itself
	HealthDisconnected   HealthKind = "disconnected"
	HealthReconnected    HealthKind = "reconnected"
	HealthAttention      HealthKind = "attention"
	HealthCheckFailed    HealthKind = "check_failed"
	HealthRecovered      HealthKind = "recovered"
	HealthReminder       HealthKind = "reminder"
	HealthRemoved        HealthKind = "removed"
	HealthRestored       HealthKind = "restored"
)

// HealthEvent is one entry of a channel's health timeline.
type HealthEvent struct {
	ID        int64 `gorm:"primaryKey"`
	ChannelID int64
	At        time.Time
	Kind      HealthKind
	Class     string
	Message   string
}

func (HealthEvent) TableName() string { return "channel_health" }

func (Channel) TableName() string { return "channels" }

// Label names the channel in desktop notifications and the audit log,
// where no avatar or icon can stand beside it: its name, handle and
// network, so that two channels called "Shop" differ ("Shop
// (@shop@mastodon.social, mastodon)"). "" when it has neither name nor
// handle.
func (c Channel) Label() string {
	handle := c.Handle
	if handle != "" && !strings.HasPrefix(handle, "@") {
		handle = "@" + handle
	}
	switch {
	case c.DisplayName != "" && handle != "":
		return fmt.Sprintf("%s (%s, %s)", c.DisplayName, handle, c.Network)
	case c.DisplayName != "" || handle != "":
		return fmt.Sprintf("%s (%s)", c.DisplayName+handle, c.Network)
	}
	return ""
}

// ChannelTeam links a channel to a team.
type ChannelTeam struct {
	ChannelID int64 `gorm:"primaryKey"`
	TeamID    int64 `gorm:"primaryKey"`
}

func (ChannelTeam) TableName() string { return "channel_teams" }

// PostStatus summarises a post's targets.
type PostStatus string

const (
	PostDraft      PostStatus = "draft"
	PostScheduled  PostStatus = "scheduled"
	PostPublishing PostStatus = "publishing"
	PostPublished  PostStatus = "published"
	PostPartial    PostStatus = "partial"
	PostFailed     PostStatus = "failed"
	PostCancelled  PostStatus = "cancelled"
)

// MissedPolicy says what happens to a target whose time passed while
// Herald was not running.
type MissedPolicy string

const (
	MissedPublishLate MissedPolicy = "publish_late"
	MissedSkip        MissedPolicy = "skip"
	MissedAsk         MissedPolicy = "ask"
)

// Post is what the user wrote once, for one or more channels.
type Post struct {
	ID int64 `gorm:"primaryKey"`
	// Kind is PostKindPost for the composer's posts, PostKindReply for an
	// answer written in the inbox.
	Kind         PostKind
	Title        string
	Status       PostStatus
	ScheduledAt  *time.Time
	TimeZone     string
	MissedPolicy MissedPolicy
	GraceMinutes int
	// Handoff: hand the post to the network's own scheduler where it has one.
	Handoff   bool
	Origin    string // "app", "cli"
	CreatedAt time.Time
	UpdatedAt time.Time
	Targets   []PostTarget
}

func (Post) TableName() string { return "posts" }

// PostKind is where a post was made and what it is.
type PostKind string

const (
	PostKindPost  PostKind = "post"
	PostKindReply PostKind = "reply"
)

// TargetStatus is where one variant stands.
type TargetStatus string

const (
	TargetDraft     TargetStatus = "draft"
	TargetScheduled TargetStatus = "scheduled"
	TargetClaimed   TargetStatus = "claimed"
	TargetPublished TargetStatus = "published"
	TargetFailed    TargetStatus = "failed"
	TargetSkipped   TargetStatus = "skipped"
	TargetBlocked   TargetStatus = "blocked"
	TargetCancelled TargetStatus = "cancelled"
)

// PostTarget is a post's variant for one channel, with its own status.
type PostTarget struct {
	ID             int64 `gorm:"primaryKey"`
	PostID         int64
	ChannelID      int64
	Body           string
	Link           string
	Thread         string // JSON array of follow-up texts
	FirstComment   string
	Options        string // JSON, network-specific
	Status         TargetStatus
	DueAt          *time.Time
	NextAttemptAt  *time.Time
	AttemptCount   int
	IdempotencyKey string
	RemoteID       string
	RemoteURL      string
	ErrorClass     string
	ErrorMessage   string
	PublishedAt    *time.Time
	Position       int
	ItemIDs        string // JSON array of remote ids already made
	ClaimToken     string
	ClaimedAt      *time.Time
	// Reconcile: the last attempt's outcome is unknown; look at the
	// channel's posts before trying again.
	Reconcile      bool
	FirstAttemptAt *time.Time
	HandoffID      string
	VerifiedAt     *time.Time
	SlotQueued     bool
	// Version grows with every transition; a writer moves the target only
	// from the version it read (see store.Targets).
	Version int
	// Tries is how many attempts counted against the retry budget.
	Tries int
	// ReplyTo is the network id of the item a reply answers ("" for a
	// post); InboxItemID the inbox item it was written from.
	ReplyTo     string
	InboxItemID *int64
	// DirectTo: a direct message starting a conversation with this account
	// (network account id) rather than a reply.
	DirectTo  string
	CreatedAt time.Time
	UpdatedAt time.Time
	Media     []TargetMedia `gorm:"foreignKey:TargetID"`
}

func (PostTarget) TableName() string { return "post_targets" }

// TargetMedia is one attachment of a variant, copied into Herald's media
// folder so the draft stays valid if the original moves.
type TargetMedia struct {
	ID           int64 `gorm:"primaryKey"`
	TargetID     int64
	Position     int
	Path         string // relative to the media folder
	OriginalName string
	MIME         string
	SizeBytes    int64
	SHA256       string `gorm:"column:sha256"`
	Width        int
	Height       int
	AltText      string
}

func (TargetMedia) TableName() string { return "target_media" }

// QueueSlot is a weekly posting time of a channel.
type QueueSlot struct {
	ID          int64 `gorm:"primaryKey"`
	ChannelID   int64
	Weekday     int // 0 = Sunday
	MinuteOfDay int
	TimeZone    string
}

func (QueueSlot) TableName() string { return "queue_slots" }

// AttemptOutcome is how one publish attempt ended.
type AttemptOutcome string

const (
	OutcomePending   AttemptOutcome = "pending"
	OutcomeSucceeded AttemptOutcome = "succeeded"
	OutcomeFailed    AttemptOutcome = "failed"
	// OutcomeUnknown: the request may have reached the network (a timeout
	// after sending); reconcile before retrying.
	OutcomeUnknown AttemptOutcome = "unknown"
)

// Attempt is one entry in a target's ledger.
type Attempt struct {
	ID           int64 `gorm:"primaryKey"`
	TargetID     int64
	Number       int
	StartedAt    time.Time
	FinishedAt   *time.Time
	Outcome      AttemptOutcome
	ErrorClass   string
	ErrorMessage string
	RemoteID     string
	// Fingerprint identifies what this attempt sent (text as sent, media,
	// position in a thread), for reconciliation.
	Fingerprint string
}

func (Attempt) TableName() string { return "attempts" }

// Actor says who caused an audited action.
type Actor string

const (
	ActorUser      Actor = "user"
	ActorScheduler Actor = "scheduler"
	ActorHealth    Actor = "health"
	ActorSystem    Actor = "system"
)

// AuditEntry is one append-only line of the audit log.
type AuditEntry struct {
	ID          int64 `gorm:"primaryKey"`
	At          time.Time
	Actor       Actor
	Event       string
	ChannelID   *int64
	ChannelName string
	Teams       string
	PostID      *int64
	Summary     string
	Details     string // JSON
}

func (AuditEntry) TableName() string { return "audit_log" }

// InboxKind is what an inbox item is to its channel.
type InboxKind string

const (
	InboxMention InboxKind = "mention"
	InboxReply   InboxKind = "reply"
	InboxQuote   InboxKind = "quote"
	InboxMessage InboxKind = "message"
)

// InboxStatus is where the user's work on an inbox item stands.
type InboxStatus string

const (
	InboxOpen     InboxStatus = "open"
	InboxDone     InboxStatus = "done"
	InboxArchived InboxStatus = "archived"
)

// InboxItem is one mention, reply, quote or direct message a channel
// received. The network's fields change with the network (an edit, a
// deletion); the user's fields (Status, ReadAt, TeamID, Note, labels,
// FirstReplyAt) change only through the user's transitions in
// store.Inbox.
type InboxItem struct {
	ID               int64 `gorm:"primaryKey"`
	ChannelID        int64
	RemoteID         string
	Kind             InboxKind
	AuthorRemoteID   string
	AuthorHandle     string
	AuthorName       string
	AuthorAvatarURL  string
	AuthorProfileURL string
	Text             string
	Links            string // JSON array of URLs
	URL              string
	ParentRemoteID   string
	RootRemoteID     string
	ConversationID   string
	Language         string
	CreatedAt        time.Time // the network's time
	ReceivedAt       time.Time
	EditedAt         *time.Time
	// DeletedAt: the network reported the item removed. Not GORM's soft
	// delete: the row stays visible with its mark.
	DeletedAt    *time.Time
	Status       InboxStatus
	ReadAt       *time.Time
	TeamID       *int64
	Note         string
	FirstReplyAt *time.Time
	// LikedAt / HiddenAt: the user liked the item, or hid it under the
	// channel's post, from Herald.
	LikedAt  *time.Time
	HiddenAt *time.Time
	// Backlog: found by the channel's first sync; stored read and never
	// notified.
	Backlog bool
	Version int
	// Labels are read from inbox_labels.
	Labels []string `gorm:"-"`
}

func (InboxItem) TableName() string { return "inbox_items" }

// InboxAuthor is what the user did to an author from a channel: muted,
// blocked.
type InboxAuthor struct {
	ChannelID      int64  `gorm:"primaryKey;autoIncrement:false"`
	AuthorRemoteID string `gorm:"primaryKey"`
	MutedAt        *time.Time
	BlockedAt      *time.Time
	UpdatedAt      time.Time
}

func (InboxAuthor) TableName() string { return "inbox_authors" }

// SavedReply is an answer the user reuses; Body may hold {name},
// {handle} and {post_url}.
type SavedReply struct {
	ID        int64 `gorm:"primaryKey"`
	Name      string
	Body      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (SavedReply) TableName() string { return "saved_replies" }

// InboxLabel is one label on an inbox item.
type InboxLabel struct {
	ItemID int64  `gorm:"primaryKey"`
	Label  string `gorm:"primaryKey"`
}

func (InboxLabel) TableName() string { return "inbox_labels" }

// InboxSync is where a channel's inbox sync stands, kept across restarts.
type InboxSync struct {
	ChannelID int64 `gorm:"primaryKey;autoIncrement:false"`
	// Cursors is a JSON object: stream → cursor, as the network gave them.
	Cursors string
	// BacklogDone: the first sync has read to the end; items found from
	// now on are new to the user.
	BacklogDone     bool
	LastRunAt       *time.Time
	NextRunAt       *time.Time
	IntervalSeconds int
	LastActivityAt  *time.Time
	LastError       string
	SkippedReason   string
	Unavailable     string // JSON array of network.Limitation
	ItemsSeen       int64
	ItemsNew        int64
	Runs            int64
	LastRefreshAt   *time.Time
	UpdatedAt       time.Time
}

func (InboxSync) TableName() string { return "inbox_sync" }

// InboxRule is one of the user's inbox rules: the conditions that are set
// (non-empty, non-nil) must all hold for a new item, and then the actions
// that are set apply to it. Rules run in Position order.
type InboxRule struct {
	ID       int64 `gorm:"primaryKey"`
	Name     string
	Position int
	Enabled  bool
	// Conditions.
	TextContains string // a phrase, compared without case
	AuthorIs     string // a handle without its leading @, compared without case
	Kind         InboxKind
	ChannelID    *int64
	// Actions.
	AddLabel  string
	MarkDone  bool
	TeamID    *int64
	Notify    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (InboxRule) TableName() string { return "inbox_rules" }

// RateBudget is what Herald last knew about one request budget (one rule
// of one network, for one channel or one server), kept so that a restart
// never starts from a full budget the network would not grant.
type RateBudget struct {
	// Bucket names the budget: "<network>/<rule>/channel:<id>" or
	// "<network>/<rule>/host:<host>".
	Bucket string `gorm:"primaryKey"`
	// Tokens is what the budget held at TokensAt, after the last request
	// it let through.
	Tokens   float64
	TokensAt time.Time
	// HeaderLimit, HeaderRemaining and HeaderReset are the network's own
	// count from its last rate-limit headers (0 / nil: it sent none).
	HeaderLimit     int
	HeaderRemaining int
	HeaderReset     *time.Time
	UpdatedAt       time.Time
}

func (RateBudget) TableName() string { return "rate_budgets" }
