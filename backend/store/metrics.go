package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"herald/backend/model"
)

// Metrics owns what Measure keeps: channel_metrics, content_items,
// content_metrics, content_latest and metric_sync are written only here
// (this file: what the metrics sync stores; metrics_query.go: the reads
// the dashboards make).
//
// A value is stored when it changes (and the first time it is read): the
// value at any moment is the last row at or before it, and metric_sync
// says up to when the channel was read. A metric absent from a reading is
// not stored at all — absent, never 0 — and a post's last known value of
// a metric that a later reading lacks stays its latest.
type Metrics struct {
	db  *gorm.DB
	now func() time.Time
	// engaging: the post metrics whose latest values add up to a post's
	// engagement (the networks' catalogues say which).
	engaging map[string]bool
}

// NewMetrics returns the metrics repository; engaging names the post
// metrics that count as engagement.
func NewMetrics(db *gorm.DB, now func() time.Time, engaging ...string) *Metrics {
	m := &Metrics{db: db, now: now, engaging: map[string]bool{}}
	for _, k := range engaging {
		m.engaging[k] = true
	}
	return m
}

// WithTx returns the repository bound to a transaction.
func (s *Metrics) WithTx(tx *gorm.DB) *Metrics {
	return &Metrics{db: tx, now: s.now, engaging: s.engaging}
}

// Engaging lists the post metrics that count as engagement, sorted.
func (s *Metrics) Engaging() []string { return slices.Sorted(maps.Keys(s.engaging)) }

// Values is one reading: metric key → value.
type Values map[string]int64

// Polling a post's counts by its age: hourly for its first day, every six
// hours to a week, daily to a month, weekly to PollFor; each reading that
// changed nothing doubles the interval (up to 8×, never past a week), the
// first change brings it back.
const (
	PollFor     = 90 * 24 * time.Hour
	maxQuiet    = 3
	maxInterval = 7 * 24 * time.Hour
	// BackfillFor is how far back a new channel's own posts are read.
	BackfillFor = 90 * 24 * time.Hour
	// excerptRunes bounds the text kept for lists.
	excerptRunes = 280
)

// NextPoll is when a post published at published, read at at with quiet
// readings in a row that changed nothing, is read next; nil when it is no
// longer read.
func NextPoll(published, at time.Time, quiet int) *time.Time {
	age := at.Sub(published)
	var base time.Duration
	switch {
	case age < 24*time.Hour:
		base = time.Hour
	case age < 7*24*time.Hour:
		base = 6 * time.Hour
	case age < 30*24*time.Hour:
		base = 24 * time.Hour
	case age < PollFor:
		base = 7 * 24 * time.Hour
	default:
		return nil
	}
	quiet = min(max(quiet, 0), maxQuiet)
	next := at.Add(min(base<<quiet, max(base, maxInterval))).UTC()
	// The last reading is at the end of the window, not after it.
	if end := published.Add(PollFor).UTC(); next.After(end) {
		next = end
	}
	return &next
}

// Sync reads a channel's metrics state; a channel never synced gets its
// row now, with the backfill reaching BackfillFor back.
func (s *Metrics) Sync(ctx context.Context, channelID int64) (model.MetricSync, error) {
	now := s.now().UTC()
	since := now.Add(-BackfillFor)
	row := model.MetricSync{ChannelID: channelID, BackfillSince: &since, UpdatedAt: now}
	db := s.db.WithContext(ctx)
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return model.MetricSync{}, fmt.Errorf("start the metrics of channel %d: %w", channelID, err)
	}
	var out model.MetricSync
	if err := db.First(&out, "channel_id = ?", channelID).Error; err != nil {
		return model.MetricSync{}, fmt.Errorf("read the metrics state of channel %d: %w", channelID, err)
	}
	return out, nil
}

// SyncStates reads every channel's metrics state (channels never synced
// have none).
func (s *Metrics) SyncStates(ctx context.Context) ([]model.MetricSync, error) {
	var out []model.MetricSync
	if err := s.db.WithContext(ctx).Order("channel_id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("read the metrics states: %w", err)
	}
	return out, nil
}

func (s *Metrics) updateSync(ctx context.Context, channelID int64, fields map[string]any) error {
	fields["updated_at"] = s.now().UTC()
	res := s.db.WithContext(ctx).Model(&model.MetricSync{}).Where("channel_id = ?", channelID).Updates(fields)
	if res.Error != nil {
		return fmt.Errorf("save the metrics state of channel %d: %w", channelID, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("save the metrics state of channel %d: %w", channelID, ErrNotFound)
	}
	return nil
}

// RecordChannel stores a reading of the channel's counts taken at `at`
// (the values that changed) and when to read them next, in one
// transaction.
func (s *Metrics) RecordChannel(ctx context.Context, channelID int64, at time.Time, v Values, next time.Time) error {
	at = at.UTC()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := storeChanges(tx, "channel_metrics", "channel_id", channelID, at, v, func(k string) any {
			return &model.ChannelMetric{ChannelID: channelID, Metric: k, TakenAt: at, Value: v[k]}
		})
		if err != nil {
			return fmt.Errorf("store channel %d's counts: %w", channelID, err)
		}
		return s.WithTx(tx).updateSync(ctx, channelID, map[string]any{"channel_read_at": at, "channel_next_at": next.UTC()})
	})
}

// storeChanges stores, of a reading of an account's lifetime counts (a
// channel's, a watched account's), the values that differ from the last
// stored at or before at; row builds the row of one metric.
func storeChanges(tx *gorm.DB, table, owner string, id int64, at time.Time, v Values, row func(metric string) any) error {
	for _, k := range sortedKeys(v) {
		var last []int64
		if err := tx.Raw(`SELECT value FROM `+table+` WHERE `+owner+` = ? AND metric = ? AND taken_at <= ? ORDER BY taken_at DESC LIMIT 1`,
			id, k, at).Scan(&last).Error; err != nil {
			return fmt.Errorf("read %s: %w", k, err)
		}
		if len(last) == 1 && last[0] == v[k] {
			continue
		}
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(row(k)).Error; err != nil {
			return fmt.Errorf("store %s: %w", k, err)
		}
	}
	return nil
}

// DelayChannel moves the next reading of the channel's counts (after a
// failure) without storing anything.
func (s *Metrics) DelayChannel(ctx context.Context, channelID int64, next time.Time) error {
	return s.updateSync(ctx, channelID, map[string]any{"channel_next_at": next.UTC()})
}

// Found is one of the channel's posts as a listing reported it.
type Found struct {
	RemoteID    string
	URL         string
	Text        string
	Reply       bool
	PublishedAt time.Time
	// Values are the counts the listing carried; nil: none.
	Values Values
}

// AddContent stores posts a listing found (those already known are left
// as they are, except that counts the listing carried are recorded as a
// reading). A post Herald published is linked to its target. It returns
// how many were new.
func (s *Metrics) AddContent(ctx context.Context, channelID int64, found []Found, at time.Time) (int, error) {
	return s.addContent(ctx, channelID, nil, found, at)
}

// AddWatchedContent stores a watched account's posts a listing found, as
// AddContent does the channel's own.
func (s *Metrics) AddWatchedContent(ctx context.Context, w model.WatchedAccount, found []Found, at time.Time) (int, error) {
	id := w.ID
	return s.addContent(ctx, w.ChannelID, &id, found, at)
}

func (s *Metrics) addContent(ctx context.Context, channelID int64, watchID *int64, found []Found, at time.Time) (int, error) {
	at = at.UTC()
	added := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		m := s.WithTx(tx)
		for _, f := range found {
			id, isNew, err := m.ensureContent(ctx, channelID, watchID, f, nil, at)
			if err != nil {
				return err
			}
			if isNew {
				added++
			}
			if f.Values != nil {
				if err := m.record(ctx, id, Reading{ContentID: id, Values: f.Values}, at); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return added, err
}

// ensureContent finds or creates the content row of a post.
func (s *Metrics) ensureContent(ctx context.Context, channelID int64, watchID *int64, f Found, targetID *int64, at time.Time) (int64, bool, error) {
	db := s.db.WithContext(ctx)
	var existing []int64
	if err := db.Raw(`SELECT id FROM content_items WHERE channel_id = ? AND remote_id = ?`, channelID, f.RemoteID).Scan(&existing).Error; err != nil {
		return 0, false, fmt.Errorf("look up post %s: %w", f.RemoteID, err)
	}
	if len(existing) == 1 {
		return existing[0], false, nil
	}
	if targetID == nil && watchID == nil {
		var ids []int64
		if err := db.Raw(`SELECT id FROM post_targets WHERE channel_id = ? AND remote_id = ? AND status = 'published' ORDER BY id LIMIT 1`,
			channelID, f.RemoteID).Scan(&ids).Error; err != nil {
			return 0, false, fmt.Errorf("match post %s to Herald's posts: %w", f.RemoteID, err)
		}
		if len(ids) == 1 {
			targetID = &ids[0]
		}
	}
	published := f.PublishedAt.UTC()
	if published.IsZero() || published.After(at) {
		published = at
	}
	row := model.ContentItem{ChannelID: channelID, WatchID: watchID, RemoteID: f.RemoteID, URL: f.URL, Excerpt: excerpt(f.Text), IsReply: f.Reply,
		PublishedAt: published, PublishedTS: published.Unix(), PostTargetID: targetID, FirstSeenAt: at,
		// The first reading an hour after it went out (at once when that has
		// passed); a listing's counts, recorded next, set the pace from there.
		NextPollAt: NextPoll(published, published, 0)}
	if row.NextPollAt != nil && row.NextPollAt.Before(at) {
		row.NextPollAt = &at
	}
	if at.Sub(published) >= PollFor {
		row.NextPollAt = nil
	}
	if err := db.Create(&row).Error; err != nil {
		return 0, false, fmt.Errorf("store post %s: %w", f.RemoteID, err)
	}
	return row.ID, true, nil
}

// AdoptPublished takes Herald's posts published since `since` that are not
// yet measured into content_items, so their counts are read from their
// first hour. It returns how many it took.
func (s *Metrics) AdoptPublished(ctx context.Context, since time.Time) (int, error) {
	type row struct {
		ID          int64
		ChannelID   int64
		RemoteID    string
		RemoteURL   string
		Body        string
		ReplyTo     string
		DirectTo    string
		PublishedAt time.Time
	}
	var rows []row
	err := s.db.WithContext(ctx).Raw(`SELECT t.id, t.channel_id, t.remote_id, t.remote_url, t.body, t.reply_to, t.direct_to, t.published_at
		FROM post_targets t INDEXED BY post_targets_published
		WHERE t.status = 'published' AND t.published_at > ? AND t.remote_id <> ''
		  AND NOT EXISTS (SELECT 1 FROM content_items c WHERE c.channel_id = t.channel_id AND c.remote_id = t.remote_id)
		ORDER BY t.published_at`, since.UTC()).Scan(&rows).Error
	if err != nil {
		return 0, fmt.Errorf("list Herald's published posts to measure: %w", err)
	}
	at := s.now().UTC()
	n := 0
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		m := s.WithTx(tx)
		for _, r := range rows {
			if r.DirectTo != "" || strings.HasPrefix(r.RemoteID, "chat:") {
				continue // a private message has no public counts
			}
			id := r.ID
			if _, _, err := m.ensureContent(ctx, r.ChannelID, nil, Found{RemoteID: r.RemoteID, URL: r.RemoteURL, Text: r.Body, Reply: r.ReplyTo != "",
				PublishedAt: r.PublishedAt}, &id, at); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// DuePosts lists up to limit of the channel's posts whose counts are due
// to be read at `at`, the most overdue first.
func (s *Metrics) DuePosts(ctx context.Context, channelID int64, at time.Time, limit int) ([]model.ContentItem, error) {
	var out []model.ContentItem
	err := s.db.WithContext(ctx).Table("content_items INDEXED BY content_items_due").
		Where("channel_id = ? AND next_poll_at IS NOT NULL AND next_poll_at <= ? AND deleted_at IS NULL", channelID, at.UTC()).
		Order("next_poll_at").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list channel %d's posts due for a reading: %w", channelID, err)
	}
	return out, nil
}

// Reading is one post's counts as read, or its deletion.
type Reading struct {
	ContentID int64
	Values    Values
	Deleted   bool
}

// RecordPosts stores readings taken at `at` in one transaction: the
// values that changed, each post's latest values, and when it is read
// next (later while nothing changes; never again once deleted or past
// PollFor).
func (s *Metrics) RecordPosts(ctx context.Context, readings []Reading, at time.Time) error {
	at = at.UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		m := s.WithTx(tx)
		for _, r := range readings {
			if err := m.record(ctx, r.ContentID, r, at); err != nil {
				return err
			}
		}
		if len(readings) == 0 {
			return nil
		}
		var channelID int64
		if err := tx.Raw(`SELECT channel_id FROM content_items WHERE id = ?`, readings[0].ContentID).Scan(&channelID).Error; err != nil {
			return err
		}
		return m.updateSync(ctx, channelID, map[string]any{"posts_read_at": at})
	})
	if err != nil {
		return fmt.Errorf("store the readings of %d posts: %w", len(readings), err)
	}
	return nil
}

func (s *Metrics) record(ctx context.Context, id int64, r Reading, at time.Time) error {
	db := s.db.WithContext(ctx)
	var item model.ContentItem
	if err := db.First(&item, id).Error; err != nil {
		return fmt.Errorf("read post %d: %w", id, err)
	}
	if r.Deleted {
		return db.Model(&model.ContentItem{}).Where("id = ?", id).
			Updates(map[string]any{"deleted_at": at, "polled_at": at, "next_poll_at": nil}).Error
	}
	var latest []model.ContentLatest
	if err := db.Where("content_id = ?", id).Find(&latest).Error; err != nil {
		return fmt.Errorf("read post %d's counts: %w", id, err)
	}
	known := make(map[string]int64, len(latest))
	for _, l := range latest {
		known[l.Metric] = l.Value
	}
	changed := false
	for _, k := range sortedKeys(r.Values) {
		v := r.Values[k]
		old, ok := known[k]
		if ok && old == v {
			continue
		}
		changed = true
		row := model.ContentMetric{ContentID: id, Metric: k, TakenAt: at, Value: v, Delta: v - old, ChannelID: item.ChannelID, CountedAt: at.Unix()}
		if item.WatchID != nil {
			row.ChannelID = 0 // a watched account's post is no channel's activity
		}
		if !ok {
			row.CountedAt = item.PublishedAt.Unix()
		}
		if err := db.Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error; err != nil {
			return fmt.Errorf("store post %d's %s: %w", id, k, err)
		}
		if err := db.Clauses(clause.OnConflict{UpdateAll: true}).Create(&model.ContentLatest{ContentID: id, Metric: k, Value: v, TakenAt: at}).Error; err != nil {
			return fmt.Errorf("store post %d's latest %s: %w", id, k, err)
		}
	}
	quiet := 0
	if !changed {
		quiet = item.QuietPolls + 1
	}
	fields := map[string]any{"polled_at": at, "quiet_polls": quiet, "next_poll_at": NextPoll(item.PublishedAt, at, quiet)}
	if changed {
		for k, v := range r.Values {
			known[k] = v
		}
		var eng *int64
		for k, v := range known {
			if s.engaging[k] {
				if eng == nil {
					eng = new(int64)
				}
				*eng += v
			}
		}
		if eng != nil {
			fields["engagement"] = *eng
		}
	}
	return db.Model(&model.ContentItem{}).Where("id = ?", id).Updates(fields).Error
}

// DelayPosts moves the next reading of posts whose read failed (the
// request, not the posts) to next.
func (s *Metrics) DelayPosts(ctx context.Context, ids []int64, next time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	return s.db.WithContext(ctx).Model(&model.ContentItem{}).Where("id IN ? AND next_poll_at IS NOT NULL", ids).
		Update("next_poll_at", next.UTC()).Error
}

// SaveBackfill records where the backfill of the channel's posts stopped;
// done: it reached BackfillFor back. newest is the newest post seen (the
// next listings start there).
func (s *Metrics) SaveBackfill(ctx context.Context, channelID int64, cursor string, done bool, newest time.Time) error {
	fields := map[string]any{"backfill_cursor": cursor}
	if done {
		fields["backfilled_at"] = s.now().UTC()
	}
	if !newest.IsZero() {
		if err := s.raiseListedTo(ctx, channelID, newest); err != nil {
			return err
		}
	}
	return s.updateSync(ctx, channelID, fields)
}

// SaveListing records a listing of the channel's recent posts: the newest
// seen and when to list again.
func (s *Metrics) SaveListing(ctx context.Context, channelID int64, newest, next time.Time) error {
	if !newest.IsZero() {
		if err := s.raiseListedTo(ctx, channelID, newest); err != nil {
			return err
		}
	}
	return s.updateSync(ctx, channelID, map[string]any{"list_next_at": next.UTC()})
}

func (s *Metrics) raiseListedTo(ctx context.Context, channelID int64, newest time.Time) error {
	return s.db.WithContext(ctx).Exec(`UPDATE metric_sync SET listed_to = ? WHERE channel_id = ? AND (listed_to IS NULL OR listed_to < ?)`,
		newest.UTC(), channelID, newest.UTC()).Error
}

// SetError records the last failure of the channel's metrics in the user's
// words ("" clears it).
func (s *Metrics) SetError(ctx context.Context, channelID int64, message string) error {
	var at any
	if message != "" {
		at = s.now().UTC()
	}
	return s.updateSync(ctx, channelID, map[string]any{"last_error": message, "last_error_at": at})
}

// excerpt keeps the start of a post's text for lists, on a rune boundary.
func excerpt(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= excerptRunes {
		return text
	}
	r := []rune(text)
	return string(r[:excerptRunes-1]) + "…"
}

func sortedKeys(v Values) []string { return slices.Sorted(maps.Keys(v)) }
