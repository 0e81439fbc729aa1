package service

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/store"
)

// SettingPaused records "Pause all publishing" across restarts.
const SettingPaused = "publishing_paused"

// Pauser is the engine's pause switch.
type Pauser interface {
	SetPaused(bool)
	Paused() bool
	Wake()
}

// Publishing serves the pause switch, the "next post due" line and queue
// times.
type Publishing struct {
	db      *gorm.DB
	engine  Pauser
	emitter events.Emitter
	now     func() time.Time
}

// NewPublishing builds the service.
func NewPublishing(db *gorm.DB, engine Pauser, emitter events.Emitter, now func() time.Time) *Publishing {
	return &Publishing{db: db, engine: engine, emitter: emitter, now: now}
}

// PublishingStatus is what the tray and the header show.
type PublishingStatus struct {
	Paused      bool   `json:"paused"`
	NextDueAt   string `json:"nextDueAt"`
	NextPostID  int64  `json:"nextPostId"`
	NextTitle   string `json:"nextTitle"`
	Scheduled   int64  `json:"scheduled"`
	NeedsAction int64  `json:"needsAction"` // failed, blocked or waiting for a decision
}

// Status reports pause state, the next post due and what needs attention.
func (s *Publishing) Status() (PublishingStatus, error) {
	ctx := context.Background()
	st := PublishingStatus{Paused: s.engine.Paused()}
	var next struct {
		PostID int64
		Title  string
		Body   string
		DueAt  *time.Time
	}
	err := s.db.WithContext(ctx).Raw(`SELECT t.post_id, p.title, t.body, t.due_at FROM post_targets t JOIN posts p ON p.id = t.post_id
		WHERE t.status = 'scheduled' AND t.due_at IS NOT NULL ORDER BY t.due_at LIMIT 1`).Scan(&next).Error
	if err != nil {
		return st, err
	}
	if next.DueAt != nil {
		st.NextDueAt, st.NextPostID = stamp(*next.DueAt), next.PostID
		st.NextTitle = next.Title
		if st.NextTitle == "" {
			st.NextTitle = clip(next.Body, 60)
		}
	}
	if err := s.db.WithContext(ctx).Model(&model.PostTarget{}).Where("status = 'scheduled'").Count(&st.Scheduled).Error; err != nil {
		return st, err
	}
	err = s.db.WithContext(ctx).Model(&model.PostTarget{}).
		Where("status IN ('failed','blocked') OR (status = 'skipped' AND error_class = 'missed_window')").Count(&st.NeedsAction).Error
	return st, err
}

// SetPaused pauses or resumes all publishing. It takes effect at once and
// needs no network; posts that fall due while paused follow their
// missed-time policy on resume, except those the user asked to publish now
// while paused: they go out as soon as publishing resumes.
func (s *Publishing) SetPaused(paused bool) (PublishingStatus, error) {
	ctx := context.Background()
	event, summary := "publishing.resumed", "Resumed publishing"
	if paused {
		event, summary = "publishing.paused", "Paused all publishing"
	}
	err := store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		if err := store.NewSettings(tx, s.now).Set(ctx, SettingPaused, fmt.Sprint(paused)); err != nil {
			return err
		}
		if !paused {
			if _, err := releaseOnResume(ctx, tx, s.now); err != nil {
				return err
			}
		}
		return store.NewAudit(tx, s.now).AppendTx(ctx, tx, &model.AuditEntry{Actor: model.ActorUser, Event: event, Summary: summary})
	})
	if err != nil {
		return PublishingStatus{}, err
	}
	s.engine.SetPaused(paused)
	s.emitter.Emit(events.PauseChanged, paused)
	s.emitter.Emit(events.AuditAppended, nil)
	return s.Status()
}

// LoadPaused reads the saved pause switch (at start-up).
func LoadPaused(ctx context.Context, db *gorm.DB, now func() time.Time) bool {
	v, ok, err := store.NewSettings(db, now).Get(ctx, SettingPaused)
	return err == nil && ok && v == "true"
}

// SlotView is a weekly posting time.
type SlotView struct {
	Weekday int    `json:"weekday"` // 0 = Sunday
	Time    string `json:"time"`    // "09:30"
}

// QueueTimes is a channel's weekly posting times.
type QueueTimes struct {
	ChannelID int64      `json:"channelId"`
	TimeZone  string     `json:"timeZone"`
	Slots     []SlotView `json:"slots"`
}

// QueueSlots returns a channel's posting times.
func (s *Publishing) QueueSlots(channelID int64) (QueueTimes, error) {
	var slots []model.QueueSlot
	if err := s.db.Where("channel_id = ?", channelID).Order("weekday, minute_of_day").Find(&slots).Error; err != nil {
		return QueueTimes{}, err
	}
	qt := QueueTimes{ChannelID: channelID, TimeZone: "UTC", Slots: []SlotView{}}
	for _, sl := range slots {
		qt.TimeZone = sl.TimeZone
		qt.Slots = append(qt.Slots, SlotView{Weekday: sl.Weekday, Time: fmt.Sprintf("%02d:%02d", sl.MinuteOfDay/60, sl.MinuteOfDay%60)})
	}
	return qt, nil
}

// SetQueueSlots replaces a channel's posting times.
func (s *Publishing) SetQueueSlots(in QueueTimes) (QueueTimes, error) {
	ctx := context.Background()
	if _, err := time.LoadLocation(in.TimeZone); err != nil || in.TimeZone == "" {
		return QueueTimes{}, apperr.Invalid("timeZone", "%q is not a time zone Herald knows.", in.TimeZone)
	}
	rows := make([]model.QueueSlot, 0, len(in.Slots))
	seen := map[string]bool{}
	for _, sl := range in.Slots {
		var h, m int
		if _, err := fmt.Sscanf(sl.Time, "%d:%d", &h, &m); err != nil || h < 0 || h > 23 || m < 0 || m > 59 || sl.Weekday < 0 || sl.Weekday > 6 {
			return QueueTimes{}, apperr.Invalid("slots", "%q on day %d is not a time like 09:30.", sl.Time, sl.Weekday)
		}
		key := fmt.Sprint(sl.Weekday, h*60+m)
		if seen[key] {
			continue
		}
		seen[key] = true
		rows = append(rows, model.QueueSlot{ChannelID: in.ChannelID, Weekday: sl.Weekday, MinuteOfDay: h*60 + m, TimeZone: in.TimeZone})
	}
	sort.Slice(rows, func(i, j int) bool {
		return rows[i].Weekday*1440+rows[i].MinuteOfDay < rows[j].Weekday*1440+rows[j].MinuteOfDay
	})
	var ch model.Channel
	if err := s.db.WithContext(ctx).First(&ch, in.ChannelID).Error; err != nil {
		return QueueTimes{}, apperr.NotFound("That channel no longer exists.")
	}
	err := store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		if err := tx.Where("channel_id = ?", in.ChannelID).Delete(&model.QueueSlot{}).Error; err != nil {
			return err
		}
		if len(rows) > 0 {
			if err := tx.Create(&rows).Error; err != nil {
				return err
			}
		}
		var times []string
		for _, r := range rows {
			times = append(times, fmt.Sprintf("%s %02d:%02d", time.Weekday(r.Weekday).String()[:3], r.MinuteOfDay/60, r.MinuteOfDay%60))
		}
		details, _ := json.Marshal(map[string]any{"timeZone": in.TimeZone, "slots": times})
		id := ch.ID
		return store.NewAudit(tx, s.now).AppendTx(ctx, tx, &model.AuditEntry{Actor: model.ActorUser, Event: "settings.queue_changed", ChannelID: &id,
			ChannelName: displayName(ch), Summary: fmt.Sprintf("Queue times of %s set to %s (%s)", displayName(ch), orText(strings.Join(times, ", "), "none"), in.TimeZone),
			Details: string(details)})
	})
	if err != nil {
		return QueueTimes{}, err
	}
	s.emitter.Emit(events.AuditAppended, nil)
	return s.QueueSlots(in.ChannelID)
}

func orText(s, none string) string {
	if s == "" {
		return none
	}
	return s
}
