package service

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/events"
	"herald/backend/media"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
)

// Publisher is the engine as the post service drives it.
type Publisher interface {
	Wake()
	CancelHandoff(ctx context.Context, tg model.PostTarget) error
}

// Posts serves the composer, the queue and the calendar.
type Posts struct {
	db       *gorm.DB
	posts    *store.Posts
	targets  *store.Targets
	channels *store.Channels
	audit    *store.Audit
	networks *network.Registry
	engine   Publisher
	media    *media.Library
	emitter  events.Emitter
	now      func() time.Time
	rules    *rulesCache
}

// PostsDeps are the Posts service's collaborators.
type PostsDeps struct {
	DB       *gorm.DB
	Networks *network.Registry
	Engine   Publisher
	Media    *media.Library
	Emitter  events.Emitter
	Now      func() time.Time
}

// NewPosts builds the service.
func NewPosts(d PostsDeps) *Posts {
	return &Posts{db: d.DB, posts: store.NewPosts(d.DB, d.Now), targets: store.NewTargets(d.DB, d.Now), channels: store.NewChannels(d.DB, d.Now),
		audit: store.NewAudit(d.DB, d.Now), networks: d.Networks, engine: d.Engine, media: d.Media, emitter: d.Emitter, now: d.Now,
		rules: &rulesCache{entries: map[string]rulesEntry{}}}
}

func (s *Posts) changed(postID int64) {
	s.emitter.Emit(events.PostsChanged, postID)
	s.emitter.Emit(events.AuditAppended, nil)
}

func (s *Posts) notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFound("That post no longer exists.")
	}
	return err
}
