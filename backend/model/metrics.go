package model

import "time"

// ChannelMetric is one change of a channel's lifetime count (followers,
// following, posts): the value from TakenAt until the next row.
type ChannelMetric struct {
	ChannelID int64     `gorm:"primaryKey;autoIncrement:false"`
	Metric    string    `gorm:"primaryKey"`
	TakenAt   time.Time `gorm:"primaryKey"`
	Value     int64
}

func (ChannelMetric) TableName() string { return "channel_metrics" }

// ContentItem is one of a channel's own posts on the network, published
// by Herald (PostTargetID) or found there. Its counts are read at a pace
// set by its age (NextPollAt) until it is 90 days old or deleted.
type ContentItem struct {
	ID        int64 `gorm:"primaryKey"`
	ChannelID int64
	// WatchID: a watched account's post, read through ChannelID; nil for
	// the channel's own.
	WatchID      *int64
	RemoteID     string
	URL          string
	Excerpt      string
	IsReply      bool
	PublishedAt  time.Time
	PublishedTS  int64 `gorm:"column:published_ts"`
	PostTargetID *int64
	FirstSeenAt  time.Time
	DeletedAt    *time.Time // the network's deletion; not GORM's soft delete
	PolledAt     *time.Time
	NextPollAt   *time.Time
	QuietPolls   int
	// Engagement is the sum of its latest engagement counts; nil until one
	// was read.
	Engagement *int64
}

func (ContentItem) TableName() string { return "content_items" }

// ContentMetric is one change of a post's count: its growth curve.
type ContentMetric struct {
	ContentID int64     `gorm:"primaryKey;autoIncrement:false"`
	Metric    string    `gorm:"primaryKey"`
	TakenAt   time.Time `gorm:"primaryKey"`
	Value     int64
	// Delta is the change from the previous value; CountedAt (Unix
	// seconds) when it counts: the post's publication for a first reading.
	Delta     int64
	ChannelID int64
	CountedAt int64
}

func (ContentMetric) TableName() string { return "content_metrics" }

// ContentLatest is a post's latest count of one metric.
type ContentLatest struct {
	ContentID int64  `gorm:"primaryKey;autoIncrement:false"`
	Metric    string `gorm:"primaryKey"`
	Value     int64
	TakenAt   time.Time
}

func (ContentLatest) TableName() string { return "content_latest" }

// MetricSync is where a channel's metrics stand.
type MetricSync struct {
	ChannelID      int64 `gorm:"primaryKey;autoIncrement:false"`
	ChannelReadAt  *time.Time
	ChannelNextAt  *time.Time
	PostsReadAt    *time.Time
	ListedTo       *time.Time
	ListNextAt     *time.Time
	BackfillSince  *time.Time
	BackfillCursor string
	BackfilledAt   *time.Time
	LastError      string
	LastErrorAt    *time.Time
	UpdatedAt      time.Time
}

func (MetricSync) TableName() string { return "metric_sync" }

// Dashboard is one of the user's own dashboards; Spec is its JSON (see
// store.DashboardSpec).
type Dashboard struct {
	ID           int64 `gorm:"primaryKey"`
	Name         string
	Position     int
	Spec         string
	ReportEvery  string // "", "week", "month"
	ReportDir    string
	ReportNextAt *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (Dashboard) TableName() string { return "dashboards" }

// WatchedAccount is a public account the user watches, read through one of
// their channels on the same network.
type WatchedAccount struct {
	ID          int64 `gorm:"primaryKey"`
	ChannelID   int64
	RemoteID    string
	Handle      string
	DisplayName string
	AvatarURL   string
	ProfileURL  string
	AddedAt     time.Time
	ReadAt      *time.Time
	NextAt      *time.Time
	ListedTo    *time.Time
	ListNextAt  *time.Time
	LastError   string
}

func (WatchedAccount) TableName() string { return "watched_accounts" }

// WatchedMetric is one change of a watched account's public count.
type WatchedMetric struct {
	WatchID int64     `gorm:"primaryKey;autoIncrement:false"`
	Metric  string    `gorm:"primaryKey"`
	TakenAt time.Time `gorm:"primaryKey"`
	Value   int64
}

func (WatchedMetric) TableName() string { return "watched_metrics" }
