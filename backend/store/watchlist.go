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

// The watchlist: watched_accounts and watched_metrics are written only
// here (their posts go through Metrics.AddWatchedContent and RecordPosts
// like the channel's own).

// MaxWatched bounds the watchlist: each watched account costs requests on
// the channel it is read through.
const MaxWatched = 50

// WatchBackfill is how far back a newly watched account's posts are read.
const WatchBackfill = 30 * 24 * time.Hour

// Watch adds a public account to the watchlist, read through channelID;
// watching it again returns the existing entry.
func (s *Metrics) Watch(ctx context.Context, w model.WatchedAccount) (model.WatchedAccount, bool, error) {
	if strings.TrimSpace(w.RemoteID) == "" || strings.TrimSpace(w.Handle) == "" {
		return model.WatchedAccount{}, false, invalidSpec("an account to watch needs its id and handle")
	}
	var out model.WatchedAccount
	created := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Where("channel_id = ? AND remote_id = ?", w.ChannelID, w.RemoteID).Take(&out).Error
		if err == nil {
			return nil
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		var n int64
		if err := tx.Model(&model.WatchedAccount{}).Count(&n).Error; err != nil {
			return err
		}
		if n >= MaxWatched {
			return invalidSpec("the watchlist holds at most %d accounts; remove one first", MaxWatched)
		}
		w.ID, w.AddedAt = 0, s.now().UTC()
		w.ReadAt, w.NextAt, w.ListedTo, w.ListNextAt, w.LastError = nil, nil, nil, nil, ""
		if err := tx.Create(&w).Error; err != nil {
			return err
		}
		out, created = w, true
		return nil
	})
	if err != nil {
		return model.WatchedAccount{}, false, fmt.Errorf("watch %s: %w", w.Handle, err)
	}
	return out, created, nil
}

// Unwatch removes an account from the watchlist with its history.
func (s *Metrics) Unwatch(ctx context.Context, id int64) (model.WatchedAccount, error) {
	var w model.WatchedAccount
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Take(&w, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrNotFound
			}
			return err
		}
		return tx.Delete(&model.WatchedAccount{}, id).Error
	})
	if err != nil {
		return w, fmt.Errorf("watched account %d: %w", id, err)
	}
	return w, nil
}

// Watched lists the watchlist, by handle; channelID 0: every channel's.
func (s *Metrics) Watched(ctx context.Context, channelID int64) ([]model.WatchedAccount, error) {
	var out []model.WatchedAccount
	q := s.db.WithContext(ctx).Order("lower(handle), id")
	if channelID != 0 {
		q = q.Where("channel_id = ?", channelID)
	}
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list the watchlist: %w", err)
	}
	return out, nil
}

// RecordWatched stores a reading of a watched account's counts (the
// values that changed), its profile as it now reads, and when to read it
// next.
func (s *Metrics) RecordWatched(ctx context.Context, w model.WatchedAccount, at time.Time, v Values, next time.Time) error {
	at = at.UTC()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := storeChanges(tx, "watched_metrics", "watch_id", w.ID, at, v, func(k string) any {
			return &model.WatchedMetric{WatchID: w.ID, Metric: k, TakenAt: at, Value: v[k]}
		})
		if err != nil {
			return fmt.Errorf("store %s's counts: %w", w.Handle, err)
		}
		return tx.Model(&model.WatchedAccount{}).Where("id = ?", w.ID).Updates(map[string]any{
			"handle": w.Handle, "display_name": w.DisplayName, "avatar_url": w.AvatarURL, "profile_url": w.ProfileURL,
			"read_at": at, "next_at": next.UTC(), "last_error": "",
		}).Error
	})
}

// DelayWatched records a failed reading of a watched account (message in
// the user's words) and when to try again.
func (s *Metrics) DelayWatched(ctx context.Context, id int64, message string, next time.Time) error {
	return s.db.WithContext(ctx).Model(&model.WatchedAccount{}).Where("id = ?", id).
		Updates(map[string]any{"last_error": message, "next_at": next.UTC()}).Error
}

// SaveWatchedListing records a listing of a watched account's posts.
func (s *Metrics) SaveWatchedListing(ctx context.Context, id int64, newest, next time.Time) error {
	db := s.db.WithContext(ctx)
	if !newest.IsZero() {
		if err := db.Exec(`UPDATE watched_accounts SET listed_to = ? WHERE id = ? AND (listed_to IS NULL OR listed_to < ?)`,
			newest.UTC(), id, newest.UTC()).Error; err != nil {
			return err
		}
	}
	return db.Model(&model.WatchedAccount{}).Where("id = ?", id).Update("list_next_at", next.UTC()).Error
}

// WatchedLevel is a watched account's value of metric as it stood at `at`.
func (s *Metrics) WatchedLevel(ctx context.Context, id int64, metric string, at time.Time) (int64, bool, error) {
	var v []int64
	err := s.db.WithContext(ctx).Raw(`SELECT value FROM watched_metrics WHERE watch_id = ? AND metric = ? AND taken_at <= ? ORDER BY taken_at DESC LIMIT 1`,
		id, metric, at.UTC()).Scan(&v).Error
	if err != nil {
		return 0, false, fmt.Errorf("read watched account %d's %s: %w", id, metric, err)
	}
	if len(v) == 0 {
		return 0, false, nil
	}
	return v[0], true, nil
}

// WatchedFirstAfter is a watched account's first reading of metric in
// (from, to], for growth when it was first read during a range.
func (s *Metrics) WatchedFirstAfter(ctx context.Context, id int64, metric string, from, to time.Time) (int64, bool, error) {
	var v []int64
	err := s.db.WithContext(ctx).Raw(`SELECT value FROM watched_metrics WHERE watch_id = ? AND metric = ? AND taken_at > ? AND taken_at <= ? ORDER BY taken_at LIMIT 1`,
		id, metric, from.UTC(), to.UTC()).Scan(&v).Error
	if err != nil {
		return 0, false, fmt.Errorf("read watched account %d's %s: %w", id, metric, err)
	}
	if len(v) == 0 {
		return 0, false, nil
	}
	return v[0], true, nil
}

// PostStats is how many posts (not replies) were published in a range and
// the engagement they have had so far (of those read at least once).
type PostStats struct {
	Posts      int64
	Read       int64
	Engagement int64
}

// ChannelPostStats sums the channels' own posts published in [from, to).
func (s *Metrics) ChannelPostStats(ctx context.Context, channelIDs []int64, from, to time.Time) (PostStats, error) {
	var out PostStats
	if len(channelIDs) == 0 {
		return out, nil
	}
	err := s.db.WithContext(ctx).Raw(`SELECT count(*) AS posts, count(engagement) AS read, coalesce(sum(engagement), 0) AS engagement
		FROM content_items INDEXED BY content_items_published
		WHERE channel_id IN ? AND watch_id IS NULL AND published_ts >= ? AND published_ts < ? AND is_reply = 0`,
		channelIDs, from.Unix(), to.Unix()).Scan(&out).Error
	return out, err
}

// WatchedPostStats sums a watched account's posts published in [from, to).
func (s *Metrics) WatchedPostStats(ctx context.Context, id int64, from, to time.Time) (PostStats, error) {
	var out PostStats
	err := s.db.WithContext(ctx).Raw(`SELECT count(*) AS posts, count(engagement) AS read, coalesce(sum(engagement), 0) AS engagement
		FROM content_items INDEXED BY content_items_watched
		WHERE watch_id = ? AND published_ts >= ? AND published_ts < ? AND is_reply = 0`,
		id, from.Unix(), to.Unix()).Scan(&out).Error
	return out, err
}
