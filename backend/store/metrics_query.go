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
// change after it up to to, oldest first. Times cross from SQLite as Unix
// seconds: two years of fifty channels is tens of thousands of rows, and
// parsing each stored time as text would cost more than the query.
func (s *Metrics) ChannelValues(ctx context.Context, channelIDs []int64, metric string, from, to time.Time) ([]ChannelPoint, error) {
	if len(channelIDs) == 0 {
		return nil, nil
	}
	// The standing value: per channel, one seek for the last change at or
	// before from (max() over the primary key), not a scan of its history.
	rows, err := s.db.WithContext(ctx).Raw(`SELECT channel_id, CAST(strftime('%s', taken_at) AS INTEGER) AS at, value FROM (
			SELECT m.channel_id, m.taken_at, m.value FROM channels c JOIN channel_metrics m
			  ON m.channel_id = c.id AND m.metric = ?
			 AND m.taken_at = (SELECT max(taken_at) FROM channel_metrics WHERE channel_id = c.id AND metric = ? AND taken_at <= ?)
			WHERE c.id IN ?
			UNION ALL
			SELECT channel_id, taken_at, value FROM channel_metrics
			WHERE channel_id IN ? AND metric = ? AND taken_at > ? AND taken_at <= ?)
		ORDER BY at, channel_id`,
		metric, metric, from.UTC(), channelIDs, channelIDs, metric, from.UTC(), to.UTC()).Rows()
	if err != nil {
		return nil, fmt.Errorf("read %s of %d channels: %w", metric, len(channelIDs), err)
	}
	defer rows.Close()
	var out []ChannelPoint
	for rows.Next() {
		var p ChannelPoint
		var at int64
		if err := rows.Scan(&p.ChannelID, &at, &p.Value); err != nil {
			return nil, fmt.Errorf("read %s of %d channels: %w", metric, len(channelIDs), err)
		}
		p.At = time.Unix(at, 0).UTC()
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s of %d channels: %w", metric, len(channelIDs), err)
	}
	return out, nil
}

// LevelAt is the sum over the channels of each one's value of metric as it
// stood at `at`, and how many channels had one (0: no data then).
func (s *Metrics) LevelAt(ctx context.Context, channelIDs []int64, metric string, at time.Time) (int64, int, error) {
	if len(channelIDs) == 0 {
		return 0, 0, nil
	}
	var r struct {
		Sum int64
		N   int
	}
	err := s.db.WithContext(ctx).Raw(`SELECT coalesce(sum(m.value), 0) AS sum, count(m.value) AS n FROM channels c JOIN channel_metrics m
			ON m.channel_id = c.id AND m.metric = ?
		   AND m.taken_at = (SELECT max(taken_at) FROM channel_metrics WHERE channel_id = c.id AND metric = ? AND taken_at <= ?)
		WHERE c.id IN ?`, metric, metric, at.UTC(), channelIDs).Scan(&r).Error
	if err != nil {
		return 0, 0, fmt.Errorf("read %s of %d channels at %s: %w", metric, len(channelIDs), at.Format(time.RFC3339), err)
	}
	return r.Sum, r.N, nil
}

// Growth is the sum over the channels of how much metric changed between
// from and to: each channel's value at to less its value at from, or less
// its first reading after from when it was first read during the range
// (so a channel connected mid-range adds its growth, not its size). n
// counts the channels with a value at to.
func (s *Metrics) Growth(ctx context.Context, channelIDs []int64, metric string, from, to time.Time) (int64, int, error) {
	if len(channelIDs) == 0 {
		return 0, 0, nil
	}
	var r struct {
		Sum int64
		N   int
	}
	f, t := from.UTC(), to.UTC()
	err := s.db.WithContext(ctx).Raw(`SELECT coalesce(sum(e.value - coalesce(b.value, a.value)), 0) AS sum, count(e.value) AS n FROM channels c
		JOIN channel_metrics e ON e.channel_id = c.id AND e.metric = ?
		 AND e.taken_at = (SELECT max(taken_at) FROM channel_metrics WHERE channel_id = c.id AND metric = ? AND taken_at <= ?)
		LEFT JOIN channel_metrics b ON b.channel_id = c.id AND b.metric = ?
		 AND b.taken_at = (SELECT max(taken_at) FROM channel_metrics WHERE channel_id = c.id AND metric = ? AND taken_at <= ?)
		LEFT JOIN channel_metrics a ON a.channel_id = c.id AND a.metric = ?
		 AND a.taken_at = (SELECT min(taken_at) FROM channel_metrics WHERE channel_id = c.id AND metric = ? AND taken_at > ? AND taken_at <= ?)
		WHERE c.id IN ?`, metric, metric, t, metric, metric, f, metric, metric, f, t, channelIDs).Scan(&r).Error
	if err != nil {
		return 0, 0, fmt.Errorf("read the growth of %s: %w", metric, err)
	}
	return r.Sum, r.N, nil
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
	q := `SELECT published_ts / ? AS start, count(*) AS value FROM content_items INDEXED BY content_items_published
		WHERE channel_id IN ? AND watch_id IS NULL AND published_ts >= ? AND published_ts < ?`
	if !replies {
		q += ` AND is_reply = 0`
	}
	var out []Bucket
	if err := s.db.WithContext(ctx).Raw(q+` GROUP BY start ORDER BY start`, BucketSeconds, channelIDs, from.Unix(), to.Unix()).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("count published posts: %w", err)
	}
	return out, nil
}

// Offset is the user's offset from UTC (seconds) from From (Unix seconds)
// until the next Offset's From: the time zone's periods over a range.
type Offset struct {
	From    int64
	Seconds int
}

// Offsets lists loc's periods that overlap [from, to), oldest first.
func Offsets(loc *time.Location, from, to time.Time) []Offset {
	var out []Offset
	t := from.In(loc)
	for t.Before(to) {
		_, off := t.Zone()
		out = append(out, Offset{From: t.Unix(), Seconds: off})
		_, end := t.ZoneBounds()
		if end.IsZero() || !end.After(t) {
			break
		}
		t = end
	}
	return out
}

// WeekHour is one hour of the week in the user's time (Sunday 0).
type WeekHour struct {
	Weekday    int
	Hour       int
	Posts      int
	Engagement int64
}

// WeekHours sums the engagement of the channels' posts (not replies, read
// at least once) published in [from, to) by the hour of the week they were
// published at in the user's time, given as the zone's offsets over the
// range: 168 rows at most, grouped by SQLite from the covering index.
func (s *Metrics) WeekHours(ctx context.Context, channelIDs []int64, from, to time.Time, offsets []Offset) ([]WeekHour, error) {
	if len(channelIDs) == 0 || len(offsets) == 0 {
		return nil, nil
	}
	// local = published_ts + the offset of its period; 1970-01-01 was a
	// Thursday (4 when Sunday is 0).
	var b strings.Builder
	var args []any
	b.WriteString("(published_ts + ")
	if len(offsets) > 1 {
		b.WriteString("CASE")
		for i := len(offsets) - 1; i > 0; i-- {
			b.WriteString(" WHEN published_ts >= ? THEN ?")
			args = append(args, offsets[i].From, offsets[i].Seconds)
		}
		b.WriteString(" ELSE ? END")
	} else {
		b.WriteString("?")
	}
	b.WriteString(")")
	args = append(args, offsets[0].Seconds)
	local := b.String()
	q := `SELECT (` + local + ` / 86400 + 4) % 7 AS weekday, (` + local + ` % 86400) / 3600 AS hour, count(*) AS posts, sum(engagement) AS engagement
		FROM content_items INDEXED BY content_items_published
		WHERE channel_id IN ? AND watch_id IS NULL AND published_ts >= ? AND published_ts < ? AND is_reply = 0 AND engagement IS NOT NULL
		GROUP BY weekday, hour`
	all := append(append(append([]any{}, args...), args...), channelIDs, from.Unix(), to.Unix())
	var out []WeekHour
	if err := s.db.WithContext(ctx).Raw(q, all...).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("sum engagement by hour of the week: %w", err)
	}
	return out, nil
}

// ContentFilter selects and orders the channels' posts.
type ContentFilter struct {
	ChannelIDs []int64
	// WatchIDs, when set, lists watched accounts' posts instead.
	WatchIDs []int64
	From, To time.Time // published in [From, To)
	Search   string    // words in the text, without case
	Replies  bool      // include the channels' replies
	// Sort: "published" (default), "engagement", or a metric key; posts
	// without the metric come last either way.
	Sort   string
	Desc   bool
	Offset int
	Limit  int
}

// ContentRow is one post with its latest counts.
type ContentRow struct {
	model.ContentItem
	PostID *int64 // the Herald post that published it
	Latest map[string]int64
}

// Content lists the posts matching f, one page, and how many match.
func (s *Metrics) Content(ctx context.Context, f ContentFilter) ([]ContentRow, int64, error) {
	if len(f.ChannelIDs) == 0 && len(f.WatchIDs) == 0 {
		return nil, 0, nil
	}
	where := []string{"c.channel_id IN ?", "c.watch_id IS NULL", "c.published_ts >= ?", "c.published_ts < ?"}
	args := []any{f.ChannelIDs, f.From.Unix(), f.To.Unix()}
	if len(f.WatchIDs) > 0 {
		where[0], where[1] = "c.watch_id IN ?", "1"
		args[0] = f.WatchIDs
	}
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
	order := "c.published_ts " + dir + ", c.id " + dir
	var sortArgs []any
	switch f.Sort {
	case "", "published":
	case "engagement":
		order = "c.engagement IS NULL, c.engagement " + dir + ", " + order
	default:
		order = "sortval IS NULL, sortval " + dir + ", " + order
		sortArgs = append(sortArgs, f.Sort)
	}
	sortCol := "NULL AS sortval"
	if len(sortArgs) > 0 {
		sortCol = "(SELECT value FROM content_latest l WHERE l.content_id = c.id AND l.metric = ?) AS sortval"
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
	for _, l := range latest {
		byID[l.ContentID].Latest[l.Metric] = l.Value
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
	if err := s.db.WithContext(ctx).Raw(`SELECT channel_id, count(*) AS n FROM content_items WHERE watch_id IS NULL GROUP BY channel_id`).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("count measured posts: %w", err)
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.ChannelID] = r.N
	}
	return out, nil
}
