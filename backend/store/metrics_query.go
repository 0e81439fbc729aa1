package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"herald/backend/model"
)

// BucketSeconds is the grain of activity sums: a quarter of an hour, so the
// caller can put each bucket in the user's day in any time zone (some are
// off UTC by a half or a quarter hour).
const BucketSeconds = 900

// ChannelPoint is a channel's value of a metric from At on.
type ChannelPoint struct {
	ChannelID int64
	At        time.Time
	Value     int64
}

// ChannelValues returns, for each channel, its value of metric as it stood
// at from (the last change at or before it, when there is one) and every
// change after it up to to, oldest first.
func (s *Metrics) ChannelValues(ctx context.Context, channelIDs []int64, metric string, from, to time.Time) ([]ChannelPoint, error) {
	if len(channelIDs) == 0 {
		return nil, nil
	}
	var out []ChannelPoint
	// SQLite takes the bare columns of a max() aggregate from the row that
	// holds the max: the value as it stood at from.
	err := s.db.WithContext(ctx).Raw(`SELECT channel_id, taken_at AS at, value FROM (
			SELECT channel_id, max(taken_at) AS taken_at, value FROM channel_metrics
			WHERE channel_id IN ? AND metric = ? AND taken_at <= ? GROUP BY channel_id
			UNION ALL
			SELECT channel_id, taken_at, value FROM channel_metrics
			WHERE channel_id IN ? AND metric = ? AND taken_at > ? AND taken_at <= ?)
		ORDER BY at, channel_id`,
		channelIDs, metric, from.UTC(), channelIDs, metric, from.UTC(), to.UTC()).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("read %s of %d channels: %w", metric, len(channelIDs), err)
	}
	return out, nil
}

// Bucket is a sum over one BucketSeconds interval starting at
// Start*BucketSeconds (Unix seconds).
type Bucket struct {
	Start int64
	Value int64
}

// Activity sums the changes of the given post metrics counted in [from,
// to) on the channels' posts, by bucket.
func (s *Metrics) Activity(ctx context.Context, channelIDs []int64, metrics []string, from, to time.Time) ([]Bucket, error) {
	if len(channelIDs) == 0 || len(metrics) == 0 {
		return nil, nil
	}
	var out []Bucket
	err := s.db.WithContext(ctx).Raw(`SELECT counted_at / ? AS start, sum(delta) AS value FROM content_metrics INDEXED BY content_metrics_counted
		WHERE channel_id IN ? AND counted_at >= ? AND counted_at < ? AND metric IN ?
		GROUP BY start ORDER BY start`, BucketSeconds, channelIDs, from.Unix(), to.Unix(), metrics).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("sum activity: %w", err)
	}
	return out, nil
}

// Published counts the channels' posts published in [from, to), by bucket;
// replies only when asked.
func (s *Metrics) Published(ctx context.Context, channelIDs []int64, from, to time.Time, replies bool) ([]Bucket, error) {
	if len(channelIDs) == 0 {
		return nil, nil
	}
	q := `SELECT CAST(strftime('%s', published_at) AS INTEGER) / ? AS start, count(*) AS value FROM content_items INDEXED BY content_items_published
		WHERE channel_id IN ? AND published_at >= ? AND published_at < ?`
	if !replies {
		q += ` AND is_reply = 0`
	}
	var out []Bucket
	if err := s.db.WithContext(ctx).Raw(q+` GROUP BY start ORDER BY start`, BucketSeconds, channelIDs, from.UTC(), to.UTC()).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("count published posts: %w", err)
	}
	return out, nil
}

// PostEngagement is one post's publication time and its engagement so far.
type PostEngagement struct {
	PublishedAt time.Time
	Engagement  int64
}

// Engagements lists the channels' posts (not replies) published in [from,
// to) that have been read at least once, with the sum of their latest
// values of the given metrics.
func (s *Metrics) Engagements(ctx context.Context, channelIDs []int64, metrics []string, from, to time.Time) ([]PostEngagement, error) {
	if len(channelIDs) == 0 || len(metrics) == 0 {
		return nil, nil
	}
	var out []PostEngagement
	err := s.db.WithContext(ctx).Raw(`SELECT c.published_at, sum(l.value) AS engagement
		FROM content_items c INDEXED BY content_items_published JOIN content_latest l ON l.content_id = c.id AND l.metric IN ?
		WHERE c.channel_id IN ? AND c.published_at >= ? AND c.published_at < ? AND c.is_reply = 0
		GROUP BY c.id`, metrics, channelIDs, from.UTC(), to.UTC()).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("read posts' engagement: %w", err)
	}
	return out, nil
}

// ContentFilter selects and orders the channels' posts.
type ContentFilter struct {
	ChannelIDs []int64
	From, To   time.Time // published in [From, To)
	Search     string    // words in the text, without case
	Replies    bool      // include the channels' replies
	// Sort: "published" (default), "engagement", or a metric key; posts
	// without the metric come last either way.
	Sort       string
	Desc       bool
	Engagement []string // the metrics that make up engagement
	Offset     int
	Limit      int
}

// ContentRow is one post with its latest counts.
type ContentRow struct {
	model.ContentItem
	PostID     *int64 // the Herald post that published it
	Latest     map[string]int64
	Engagement *int64 // nil until an engagement metric was read
}

// Content lists the posts matching f, one page, and how many match.
func (s *Metrics) Content(ctx context.Context, f ContentFilter) ([]ContentRow, int64, error) {
	if len(f.ChannelIDs) == 0 {
		return nil, 0, nil
	}
	where := []string{"c.channel_id IN ?", "c.published_at >= ?", "c.published_at < ?"}
	args := []any{f.ChannelIDs, f.From.UTC(), f.To.UTC()}
	if !f.Replies {
		where = append(where, "c.is_reply = 0")
	}
	for _, w := range strings.Fields(strings.ToLower(f.Search)) {
		where = append(where, "instr(lower(c.excerpt), ?) > 0")
		args = append(args, w)
	}
	cond := strings.Join(where, " AND ")
	db := s.db.WithContext(ctx)
	var total int64
	if err := db.Raw(`SELECT count(*) FROM content_items c WHERE `+cond, args...).Scan(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count posts: %w", err)
	}
	dir := "ASC"
	if f.Desc {
		dir = "DESC"
	}
	order := "c.published_at " + dir + ", c.id " + dir
	var sortArgs []any
	switch f.Sort {
	case "", "published":
	case "engagement":
		if len(f.Engagement) > 0 {
			order = "sortval IS NULL, sortval " + dir + ", " + order
			sortArgs = append(sortArgs, f.Engagement)
		}
	default:
		order = "sortval IS NULL, sortval " + dir + ", " + order
		sortArgs = append(sortArgs, []string{f.Sort})
	}
	sortCol := "NULL AS sortval"
	if len(sortArgs) > 0 {
		sortCol = "(SELECT sum(value) FROM content_latest l WHERE l.content_id = c.id AND l.metric IN ?) AS sortval"
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	var ids []struct {
		ID      int64
		Sortval *int64
	}
	q := `SELECT c.id, ` + sortCol + ` FROM content_items c WHERE ` + cond + ` ORDER BY ` + order + ` LIMIT ? OFFSET ?`
	if err := db.Raw(q, append(append(sortArgs, args...), limit, max(f.Offset, 0))...).Scan(&ids).Error; err != nil {
		return nil, 0, fmt.Errorf("list posts: %w", err)
	}
	if len(ids) == 0 {
		return []ContentRow{}, total, nil
	}
	keys := make([]int64, len(ids))
	for i, r := range ids {
		keys[i] = r.ID
	}
	var items []model.ContentItem
	if err := db.Where("id IN ?", keys).Find(&items).Error; err != nil {
		return nil, 0, fmt.Errorf("read posts: %w", err)
	}
	var latest []model.ContentLatest
	if err := db.Where("content_id IN ?", keys).Find(&latest).Error; err != nil {
		return nil, 0, fmt.Errorf("read posts' counts: %w", err)
	}
	var posts []struct {
		ID     int64
		PostID int64
	}
	if err := db.Raw(`SELECT c.id, t.post_id FROM content_items c JOIN post_targets t ON t.id = c.post_target_id WHERE c.id IN ?`, keys).Scan(&posts).Error; err != nil {
		return nil, 0, fmt.Errorf("match posts to Herald's: %w", err)
	}
	byID := make(map[int64]*ContentRow, len(items))
	for _, it := range items {
		byID[it.ID] = &ContentRow{ContentItem: it, Latest: map[string]int64{}}
	}
	eng := map[string]bool{}
	for _, k := range f.Engagement {
		eng[k] = true
	}
	for _, l := range latest {
		r := byID[l.ContentID]
		r.Latest[l.Metric] = l.Value
		if eng[l.Metric] {
			if r.Engagement == nil {
				r.Engagement = new(int64)
			}
			*r.Engagement += l.Value
		}
	}
	for _, p := range posts {
		id := p.PostID
		byID[p.ID].PostID = &id
	}
	out := make([]ContentRow, 0, len(ids))
	for _, r := range ids {
		out = append(out, *byID[r.ID])
	}
	return out, total, nil
}

// Curve reads a post and every change of its counts, oldest first.
func (s *Metrics) Curve(ctx context.Context, contentID int64) (model.ContentItem, []model.ContentMetric, error) {
	var it model.ContentItem
	if err := s.db.WithContext(ctx).First(&it, contentID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			err = ErrNotFound
		}
		return model.ContentItem{}, nil, fmt.Errorf("post %d: %w", contentID, err)
	}
	var rows []model.ContentMetric
	if err := s.db.WithContext(ctx).Where("content_id = ?", contentID).Order("taken_at, metric").Find(&rows).Error; err != nil {
		return it, nil, fmt.Errorf("read post %d's counts: %w", contentID, err)
	}
	return it, rows, nil
}

// PostCounts says how many posts each channel has in content_items.
func (s *Metrics) PostCounts(ctx context.Context) (map[int64]int64, error) {
	var rows []struct {
		ChannelID int64
		N         int64
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT channel_id, count(*) AS n FROM content_items GROUP BY channel_id`).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("count measured posts: %w", err)
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.ChannelID] = r.N
	}
	return out, nil
}
