package service

import (
	"context"
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

// ResponseTimes is how long items waited for their first reply.
type ResponseTimes struct {
	ID         int64  `json:"id"` // the channel or team; 0 for all, or for "no team"
	Name       string `json:"name"`
	Replied    int    `json:"replied"`
	Unanswered int    `json:"unanswered"`
	// MedianSeconds and P90Seconds are nearest-rank percentiles of the
	// replied items' waits (see store.ReplyTimes); 0 when none was replied.
	MedianSeconds int64 `json:"medianSeconds"`
	P90Seconds    int64 `json:"p90Seconds"`
}

// ResponseTimesReport is the first-reply times of the items created in a
// range, in all, per channel and per team.
type ResponseTimesReport struct {
	From     string          `json:"from"`
	To       string          `json:"to"`
	All      ResponseTimes   `json:"all"`
	Channels []ResponseTimes `json:"channels"`
	Teams    []ResponseTimes `json:"teams"`
}

// MaxReportRange bounds the range of one report.
const MaxReportRange = 400 * 24 * time.Hour

func responseTimes(id int64, name string, t store.ReplyTimes) ResponseTimes {
	return ResponseTimes{ID: id, Name: name, Replied: t.Replied, Unanswered: t.Unanswered,
		MedianSeconds: int64(t.Median / time.Second), P90Seconds: int64(t.P90 / time.Second)}
}

func parseReportTime(field, v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(v))
	if err != nil {
		return t, &apperr.Error{Code: apperr.CodeInvalid, Field: field, Message: fmt.Sprintf("%q is not a day Herald can read.", v),
			Hint: "Pick the day in the calendar."}
	}
	return t, nil
}

// ResponseTimes reports the first-reply times of the items created in
// [from, to) (RFC 3339; the window sends the user's local midnights): the
// median and 90th percentile of the waits and how many items had no reply,
// in all, for every channel and for every team. The first sync's backlog,
// items deleted before any reply and removed channels are left out.
func (s *Inbox) ResponseTimes(from, to string) (ResponseTimesReport, error) {
	ctx := context.Background()
	start, err := parseReportTime("from", from)
	if err != nil {
		return ResponseTimesReport{}, err
	}
	end, err := parseReportTime("to", to)
	if err != nil {
		return ResponseTimesReport{}, err
	}
	switch {
	case !end.After(start):
		return ResponseTimesReport{}, &apperr.Error{Code: apperr.CodeInvalid, Field: "to",
			Message: "The last day is before the first.", Hint: "Pick a last day on or after the first."}
	case end.Sub(start) > MaxReportRange:
		return ResponseTimesReport{}, &apperr.Error{Code: apperr.CodeInvalid, Field: "to",
			Message: "A report covers at most 400 days.", Hint: "Pick a shorter range."}
	}
	rep, err := s.inbox.ReplyReport(ctx, start, end)
	if err != nil {
		return ResponseTimesReport{}, err
	}
	chs, err := s.channels.List(ctx)
	if err != nil {
		return ResponseTimesReport{}, err
	}
	var teams []model.Team
	if err := s.db.WithContext(ctx).Order("lower(name), id").Find(&teams).Error; err != nil {
		return ResponseTimesReport{}, fmt.Errorf("list teams: %w", err)
	}
	out := ResponseTimesReport{From: stamp(start), To: stamp(end), All: responseTimes(0, "All channels", rep.All),
		Channels: make([]ResponseTimes, 0, len(chs)), Teams: make([]ResponseTimes, 0, len(teams)+1)}
	for _, ch := range chs {
		out.Channels = append(out.Channels, responseTimes(ch.ID, channelName(ch), rep.Channels[ch.ID]))
	}
	sort.SliceStable(out.Channels, func(i, j int) bool {
		return strings.ToLower(out.Channels[i].Name) < strings.ToLower(out.Channels[j].Name)
	})
	for _, t := range teams {
		out.Teams = append(out.Teams, responseTimes(t.ID, t.Name, rep.Teams[t.ID]))
	}
	if none, ok := rep.Teams[0]; ok {
		out.Teams = append(out.Teams, responseTimes(0, "No team", none))
	}
	return out, nil
}

// SetChannelNotifications turns the desktop notifications for a channel's
// new inbox items on or off. A rule with "notify" still notifies.
func (s *Inbox) SetChannelNotifications(channelID int64, on bool) error {
	ctx := context.Background()
	ch, err := s.channels.Get(ctx, channelID)
	if err != nil {
		return notFound(err, "This channel no longer exists.")
	}
	changed := false
	err = store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		var err error
		if changed, err = s.channels.WithTx(tx).SetInboxMuted(ctx, channelID, !on); err != nil || !changed {
			return err
		}
		summary := "Turned off the inbox notifications of " + channelName(ch)
		if on {
			summary = "Turned on the inbox notifications of " + channelName(ch)
		}
		id := ch.ID
		return s.audit.AppendTx(ctx, tx, &model.AuditEntry{Actor: model.ActorUser, Event: "inbox.notifications", ChannelID: &id,
			ChannelName: ch.Label(), Teams: store.TeamNames(ch.Teams), Summary: summary})
	})
	if err != nil {
		return notFound(err, "This channel no longer exists.")
	}
	if changed {
		s.emitter.Emit(events.AuditAppended, nil)
	}
	return nil
}
