package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/events"
	"herald/backend/measure"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
)

// WatchView is one watched public account with its latest public counts.
type WatchView struct {
	ID          int64  `json:"id"`
	ChannelID   int64  `json:"channelId"` // read through
	ChannelName string `json:"channelName"`
	Network     string `json:"network"`
	RemoteID    string `json:"remoteId"`
	Handle      string `json:"handle"`
	DisplayName string `json:"displayName"`
	AvatarURL   string `json:"avatarUrl"`
	ProfileURL  string `json:"profileUrl"`
	Followers   *int64 `json:"followers"`
	Following   *int64 `json:"following"`
	Posts       *int64 `json:"posts"`
	AddedAt     string `json:"addedAt"`
	ReadAt      string `json:"readAt,omitempty"`
	LastError   string `json:"lastError,omitempty"`
}

// Watchlist lists the watched accounts.
func (s *Measure) Watchlist() ([]WatchView, error) {
	ctx := context.Background()
	list, err := s.metrics.Watched(ctx, 0)
	if err != nil {
		return nil, err
	}
	names := s.channelNames(ctx)
	// The latest reading, whatever the clock says.
	latest := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]WatchView, 0, len(list))
	for _, w := range list {
		v := WatchView{ID: w.ID, ChannelID: w.ChannelID, ChannelName: names[w.ChannelID].name, Network: names[w.ChannelID].network,
			RemoteID: w.RemoteID, Handle: w.Handle, DisplayName: w.DisplayName, AvatarURL: w.AvatarURL, ProfileURL: w.ProfileURL,
			AddedAt: w.AddedAt.UTC().Format(time.RFC3339), ReadAt: rfc3339(w.ReadAt), LastError: w.LastError}
		for k, dst := range map[string]**int64{network.MetricFollowers: &v.Followers, network.MetricFollowing: &v.Following, network.MetricPosts: &v.Posts} {
			x, ok, err := s.metrics.WatchedLevel(ctx, w.ID, k, latest)
			if err != nil {
				return nil, err
			}
			if ok {
				*dst = &x
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// Watch adds a public account (as a search found it) to the watchlist,
// read through channelID, and reads it at once in the background.
func (s *Measure) Watch(channelID int64, p network.Profile) (WatchView, error) {
	ctx := context.Background()
	ch, err := s.channels.Get(ctx, channelID)
	if err != nil {
		return WatchView{}, notFound(err, "This channel no longer exists.")
	}
	n, ok := s.networks.Get(ch.Network)
	if _, reads := n.(measure.PublicReader); !ok || !reads {
		return WatchView{}, &apperr.Error{Code: apperr.CodeUnavailable, Message: fmt.Sprintf("Herald cannot watch accounts on %s yet.", ch.Network)}
	}
	var w model.WatchedAccount
	created := false
	err = store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		var err error
		w, created, err = s.metrics.WithTx(tx).Watch(ctx, model.WatchedAccount{ChannelID: ch.ID, RemoteID: p.RemoteID, Handle: p.Handle,
			DisplayName: p.DisplayName, AvatarURL: p.AvatarURL, ProfileURL: p.ProfileURL})
		if err != nil || !created {
			return err
		}
		id := ch.ID
		details, _ := json.Marshal(map[string]any{"watchId": w.ID, "remoteId": w.RemoteID})
		return store.NewAudit(tx, s.now).AppendTx(ctx, tx, &model.AuditEntry{Actor: model.ActorUser, Event: "measure.watch", ChannelID: &id,
			ChannelName: ch.Label(), Teams: store.TeamNames(ch.Teams), Summary: fmt.Sprintf("Watching %s through %s", w.Handle, channelName(ch)), Details: string(details)})
	})
	if err != nil {
		if errors.Is(err, store.ErrInvalidInput) {
			return WatchView{}, apperr.Invalid("account", "%s", userWords(err))
		}
		return WatchView{}, err
	}
	if created {
		s.emitter.Emit(events.AuditAppended, nil)
		go func() { _ = s.sync.SyncNow(context.WithoutCancel(ctx), ch.ID) }()
	}
	list, err := s.Watchlist()
	if err != nil {
		return WatchView{}, err
	}
	for _, v := range list {
		if v.ID == w.ID {
			return v, nil
		}
	}
	return WatchView{}, apperr.NotFound("The watched account is gone.")
}

// Unwatch removes an account from the watchlist, with its history.
func (s *Measure) Unwatch(id int64) error {
	ctx := context.Background()
	err := store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		w, err := s.metrics.WithTx(tx).Unwatch(ctx, id)
		if err != nil {
			return err
		}
		details, _ := json.Marshal(map[string]any{"watchId": w.ID, "remoteId": w.RemoteID})
		return store.NewAudit(tx, s.now).AppendTx(ctx, tx, &model.AuditEntry{Actor: model.ActorUser, Event: "measure.unwatch",
			Summary: fmt.Sprintf("Stopped watching %s", w.Handle), Details: string(details)})
	})
	if err != nil {
		return notFound(err, "This account is no longer watched.")
	}
	s.emitter.Emit(events.AuditAppended, nil)
	s.emitter.Emit(events.MetricsChanged, nil)
	return nil
}

// CompareRow is one of the user's channels or a watched account over a
// range, side by side.
type CompareRow struct {
	Kind              string   `json:"kind"` // "channel" or "watched"
	ID                int64    `json:"id"`
	Name              string   `json:"name"`
	Network           string   `json:"network"`
	Followers         *float64 `json:"followers"` // at the end of the range
	Growth            *float64 `json:"growth"`
	Posts             int64    `json:"posts"`             // published in the range (not replies)
	EngagementPerPost *float64 `json:"engagementPerPost"` // of those read at least once
	ReadAt            string   `json:"readAt,omitempty"`
}

// Compare puts the range's channels and every watched account side by
// side: followers, growth, posts and engagement per post.
func (s *Measure) Compare(r MeasureRange) ([]CompareRow, error) {
	ctx := context.Background()
	sp, err := s.span(ctx, r)
	if err != nil {
		return nil, err
	}
	names := s.channelNames(ctx)
	states, err := s.metrics.SyncStates(ctx)
	if err != nil {
		return nil, err
	}
	readAt := map[int64]*time.Time{}
	for _, st := range states {
		readAt[st.ChannelID] = st.ChannelReadAt
	}
	out := []CompareRow{}
	for _, id := range sp.channels {
		row := CompareRow{Kind: "channel", ID: id, Name: names[id].name, Network: names[id].network, ReadAt: rfc3339(readAt[id])}
		ids := []int64{id}
		if v, n, err := s.metrics.LevelAt(ctx, ids, network.MetricFollowers, sp.to); err != nil {
			return nil, err
		} else if n > 0 {
			row.Followers = num(float64(v))
		}
		if v, n, err := s.metrics.Growth(ctx, ids, network.MetricFollowers, sp.from, sp.to); err != nil {
			return nil, err
		} else if n > 0 {
			row.Growth = num(float64(v))
		}
		st, err := s.metrics.ChannelPostStats(ctx, ids, sp.from, sp.to)
		if err != nil {
			return nil, err
		}
		row.Posts, row.EngagementPerPost = st.Posts, perPost(st)
		out = append(out, row)
	}
	watched, err := s.metrics.Watched(ctx, 0)
	if err != nil {
		return nil, err
	}
	for _, w := range watched {
		row := CompareRow{Kind: "watched", ID: w.ID, Name: w.Handle, Network: names[w.ChannelID].network, ReadAt: rfc3339(w.ReadAt)}
		end, okEnd, err := s.metrics.WatchedLevel(ctx, w.ID, network.MetricFollowers, sp.to)
		if err != nil {
			return nil, err
		}
		if okEnd {
			row.Followers = num(float64(end))
			start, ok, err := s.metrics.WatchedLevel(ctx, w.ID, network.MetricFollowers, sp.from)
			if err != nil {
				return nil, err
			}
			if !ok {
				start, ok, err = s.metrics.WatchedFirstAfter(ctx, w.ID, network.MetricFollowers, sp.from, sp.to)
				if err != nil {
					return nil, err
				}
			}
			if ok {
				row.Growth = num(float64(end - start))
			}
		}
		st, err := s.metrics.WatchedPostStats(ctx, w.ID, sp.from, sp.to)
		if err != nil {
			return nil, err
		}
		row.Posts, row.EngagementPerPost = st.Posts, perPost(st)
		out = append(out, row)
	}
	return out, nil
}

func perPost(st store.PostStats) *float64 {
	if st.Read == 0 {
		return nil
	}
	return num(float64(st.Engagement) / float64(st.Read))
}
