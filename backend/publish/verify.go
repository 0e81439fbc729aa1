package publish

import (
	"context"
	"errors"
	"time"

	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/ratebudget"
)

// verifyWindow is how long after publishing Herald keeps trying to read a
// post back.
const verifyWindow = 24 * time.Hour

// Verify reads recently published posts back from their networks: a
// reported success is confirmed, and one the network does not have is
// flagged on the target (and announced) instead of silently trusted.
func (e *Engine) Verify(ctx context.Context) {
	now := e.d.Clock.Now().UTC()
	var targets []model.PostTarget
	err := e.d.DB.WithContext(ctx).Table("post_targets INDEXED BY post_targets_unverified").
		Where("status = 'published' AND verified_at IS NULL AND error_class = '' AND published_at > ?", now.Add(-verifyWindow)).
		Order("published_at").Limit(200).Find(&targets).Error
	if err != nil {
		e.d.Log.Error("verify: list published posts", "err", err)
		return
	}
	for _, tg := range targets {
		if ctx.Err() != nil {
			return
		}
		e.verifyOne(ctx, tg)
	}
}

func (e *Engine) verifyOne(ctx context.Context, tg model.PostTarget) {
	ch, err := e.d.Channels.Get(ctx, tg.ChannelID)
	if err != nil || ch.Status == model.ChannelDisconnected || e.parked(ctx, ch.ID) {
		return
	}
	n, _ := e.d.Networks.Get(ch.Network)
	v, ok := n.(network.Verifier)
	if !ok {
		return
	}
	// Read-back confirms what is already out: it yields to publishing.
	ctx = ratebudget.WithChannel(ctx, ch.ID, ratebudget.Health)
	cred, err := e.d.Credentials.Fresh(ctx, ch)
	if err != nil {
		return
	}
	class, message := "", ""
	if _, err := v.Lookup(ctx, ch.Instance, cred, tg.RemoteID); err != nil {
		e.noteRateLimit(ctx, ch.ID, err)
		var ne *network.Error
		if !errors.As(err, &ne) || ne.Code != "not_found" {
			return // try again on the next round
		}
		class = "unverified"
		message = "Published, but " + label(ch) + " no longer has the post (it may have been deleted there); check it on the network."
		e.d.Log.Warn("a published post could not be read back", "target_id", tg.ID)
	}
	if err := e.targets.MarkVerified(ctx, tg.ID, class, message); err != nil {
		e.d.Log.Error("record verification", "target_id", tg.ID, "err", err)
		return
	}
	if class != "" {
		e.d.Emitter.Emit(events.PostsChanged, tg.PostID)
	}
}
