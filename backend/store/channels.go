package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"herald/backend/model"
)

// ErrNotFound is returned when a row does not exist.
var ErrNotFound = errors.New("not found")

// Channels is the channel repository.
type Channels struct {
	db  *gorm.DB
	now func() time.Time
}

// NewChannels returns the channel repository.
func NewChannels(db *gorm.DB, now func() time.Time) *Channels {
	return &Channels{db: db, now: now}
}

// WithTx returns the repository bound to a transaction.
func (c *Channels) WithTx(tx *gorm.DB) *Channels { return &Channels{db: tx, now: c.now} }

// List returns active channels (not removed), teams loaded, by network then name.
func (c *Channels) List(ctx context.Context) ([]model.Channel, error) {
	var out []model.Channel
	err := c.db.WithContext(ctx).Preload("Teams", func(db *gorm.DB) *gorm.DB { return db.Order("name") }).
		Where("removed_at IS NULL").Order("network, lower(display_name), id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list channels: %w", err)
	}
	return out, nil
}

// Get returns one channel (removed or not) with its teams.
func (c *Channels) Get(ctx context.Context, id int64) (model.Channel, error) {
	var ch model.Channel
	err := c.db.WithContext(ctx).Preload("Teams").Where("id = ?", id).Take(&ch).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ch, fmt.Errorf("channel %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return ch, fmt.Errorf("get channel %d: %w", id, err)
	}
	return ch, nil
}

// FindByRemote finds the channel for a network-side id, removed or not.
func (c *Channels) FindByRemote(ctx context.Context, network, instance, remoteID string) (*model.Channel, error) {
	var ch model.Channel
	err := c.db.WithContext(ctx).Preload("Teams").
		Where("network = ? AND instance = ? AND remote_id = ?", network, instance, remoteID).Take(&ch).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find channel: %w", err)
	}
	return &ch, nil
}

// FindByRemoteAnyInstance finds a channel by a network-wide id (Bluesky
// DIDs), whichever server it was connected through.
func (c *Channels) FindByRemoteAnyInstance(ctx context.Context, network, remoteID string) (*model.Channel, error) {
	var ch model.Channel
	err := c.db.WithContext(ctx).Preload("Teams").Where("network = ? AND remote_id = ?", network, remoteID).
		Order("removed_at IS NOT NULL, id").Take(&ch).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find channel: %w", err)
	}
	return &ch, nil
}

// Create inserts a new channel; ID is set on return.
func (c *Channels) Create(ctx context.Context, ch *model.Channel) error {
	now := c.now().UTC()
	ch.CreatedAt, ch.UpdatedAt = now, now
	if ch.StatusChangedAt.IsZero() {
		ch.StatusChangedAt = now
	}
	if ch.ConnectedAt.IsZero() {
		ch.ConnectedAt = now
	}
	if ch.Status == "" {
		ch.Status = model.ChannelConnected
	}
	if ch.Kind == "" {
		ch.Kind = "account"
	}
	teams := ch.Teams
	ch.Teams = nil
	if err := c.db.WithContext(ctx).Omit("Teams").Create(ch).Error; err != nil {
		return fmt.Errorf("create channel %s: %w", ch.Handle, err)
	}
	ch.Teams = teams
	return nil
}

// Profile is what the network says about a channel now.
type Profile struct {
	Handle, DisplayName, AvatarURL, ProfileURL string
}

// Authorized records a fresh sign-in (connect or refresh): the profile,
// the token expiries, status connected, and not removed.
func (c *Channels) Authorized(ctx context.Context, id int64, p Profile, tokenExpires, accessExpires *time.Time, refreshed bool) error {
	now := c.now().UTC()
	updates := map[string]any{
		"handle": p.Handle, "display_name": p.DisplayName, "avatar_url": p.AvatarURL, "profile_url": p.ProfileURL,
		"token_expires_at": utcPtr(tokenExpires), "access_expires_at": utcPtr(accessExpires),
		"status": model.ChannelConnected, "status_reason": "", "status_changed_at": now,
		"last_check_class": "", "last_check_message": "", "checked_at": now,
		"removed_at": nil, "updated_at": now,
		// A new sign-in is a new credential: errors of the old one must no
		// longer disconnect the channel (CredentialFailed).
		"credential_generation": nextGeneration(),
	}
	if refreshed {
		updates["refreshed_at"] = now
	}
	res := c.db.WithContext(ctx).Model(&model.Channel{}).Where("id = ?", id).Updates(updates)
	if res.Error != nil {
		return fmt.Errorf("update channel %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("channel %d: %w", id, ErrNotFound)
	}
	return nil
}

// nextGeneration moves credential_generation on inside the UPDATE that
// records the new credential, so the two can never be seen apart.
func nextGeneration() clause.Expr { return gorm.Expr("credential_generation + 1") }

// TokenRenewed records expiries after Herald refreshed (rotated) a token
// itself, and returns the channel's new credential generation.
func (c *Channels) TokenRenewed(ctx context.Context, id int64, tokenExpires, accessExpires *time.Time) (int64, error) {
	return c.bump(ctx, id, map[string]any{"token_expires_at": utcPtr(tokenExpires), "access_expires_at": utcPtr(accessExpires)})
}

// BumpCredentialGeneration records that the channel's credential was
// replaced without any other change to its row, and returns the new
// generation.
func (c *Channels) BumpCredentialGeneration(ctx context.Context, id int64) (int64, error) {
	return c.bump(ctx, id, map[string]any{})
}

// CredentialGeneration returns the generation of the channel's credential.
func (c *Channels) CredentialGeneration(ctx context.Context, id int64) (int64, error) {
	var gen []int64
	err := c.db.WithContext(ctx).Model(&model.Channel{}).Where("id = ?", id).Pluck("credential_generation", &gen).Error
	if err != nil {
		return 0, fmt.Errorf("read credential generation of channel %d: %w", id, err)
	}
	if len(gen) == 0 {
		return 0, fmt.Errorf("channel %d: %w", id, ErrNotFound)
	}
	return gen[0], nil
}

// bump applies updates with the credential generation moved on, and reads
// the new generation in the same transaction.
func (c *Channels) bump(ctx context.Context, id int64, updates map[string]any) (int64, error) {
	updates["credential_generation"] = nextGeneration()
	var gen int64
	err := c.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		in := c.WithTx(tx)
		if err := in.update(ctx, id, updates); err != nil {
			return err
		}
		var err error
		gen, err = in.CredentialGeneration(ctx, id)
		return err
	})
	return gen, err
}

// CredentialFailed records a check that found the credential of generation
// gen dead or lacking (class, message) and moves the channel to status to
// unless it is there already. Both UPDATEs hold only while the channel's
// credential is still that generation, so an error of a credential replaced
// since (the user reconnected, the token rotated) changes nothing: current
// is then false. Of many concurrent reports exactly one sees changed.
func (c *Channels) CredentialFailed(ctx context.Context, id, gen int64, to model.ChannelStatus, class, message string) (changed, current bool, err error) {
	now := c.now().UTC()
	err = c.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&model.Channel{}).Where("id = ? AND credential_generation = ?", id, gen).
			Updates(map[string]any{"checked_at": now, "last_check_class": class, "last_check_message": message, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if current = res.RowsAffected == 1; !current {
			return nil
		}
		res = tx.Model(&model.Channel{}).Where("id = ? AND credential_generation = ? AND status != ?", id, gen, to).
			Updates(map[string]any{"status": to, "status_reason": message, "status_changed_at": now})
		changed = res.RowsAffected == 1
		return res.Error
	})
	if err != nil {
		return false, false, fmt.Errorf("record credential failure of channel %d: %w", id, err)
	}
	return changed, current, nil
}

// Transition moves a channel to status unless it is already there, and
// reports whether it changed. The condition is in the UPDATE itself, so of
// many concurrent detections exactly one sees changed == true.
func (c *Channels) Transition(ctx context.Context, id int64, to model.ChannelStatus, reason string) (bool, error) {
	now := c.now().UTC()
	res := c.db.WithContext(ctx).Model(&model.Channel{}).Where("id = ? AND status != ?", id, to).
		Updates(map[string]any{"status": to, "status_reason": reason, "status_changed_at": now, "updated_at": now})
	if res.Error != nil {
		return false, fmt.Errorf("change channel %d status: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// RecordCheck stores the outcome of a liveness check ("" class = passed).
func (c *Channels) RecordCheck(ctx context.Context, id int64, class, message string) error {
	return c.update(ctx, id, map[string]any{"checked_at": c.now().UTC(), "last_check_class": class, "last_check_message": message})
}

// Reminded records that a re-authorization reminder was given.
func (c *Channels) Reminded(ctx context.Context, id int64) error {
	return c.update(ctx, id, map[string]any{"reminded_at": c.now().UTC()})
}

// SetInboxMuted turns a channel's new-item notifications off (muted) or
// on; changed is false when they already were.
func (c *Channels) SetInboxMuted(ctx context.Context, id int64, muted bool) (changed bool, err error) {
	res := c.db.WithContext(ctx).Model(&model.Channel{}).Where("id = ? AND inbox_muted <> ?", id, muted).
		Updates(map[string]any{"inbox_muted": muted, "updated_at": c.now().UTC()})
	if res.Error != nil {
		return false, fmt.Errorf("switch inbox notifications of channel %d: %w", id, res.Error)
	}
	if res.RowsAffected > 0 {
		return true, nil
	}
	if _, err := c.Get(ctx, id); err != nil {
		return false, err
	}
	return false, nil
}

// Remove hides a channel but keeps it and its history.
func (c *Channels) Remove(ctx context.Context, id int64) error {
	return c.update(ctx, id, map[string]any{"removed_at": c.now().UTC()})
}

// Delete deletes a channel and, by cascade, its posts' targets, attempts,
// teams and health timeline. The audit log keeps its copy of the name.
func (c *Channels) Delete(ctx context.Context, id int64) error {
	res := c.db.WithContext(ctx).Delete(&model.Channel{}, id)
	if res.Error != nil {
		return fmt.Errorf("delete channel %d: %w", id, res.Error)
	}
	return nil
}

// SetTeams replaces the channel's teams.
func (c *Channels) SetTeams(ctx context.Context, id int64, teamIDs []int64) error {
	db := c.db.WithContext(ctx)
	if err := db.Where("channel_id = ?", id).Delete(&model.ChannelTeam{}).Error; err != nil {
		return fmt.Errorf("clear channel %d teams: %w", id, err)
	}
	for _, t := range teamIDs {
		if err := db.Create(&model.ChannelTeam{ChannelID: id, TeamID: t}).Error; err != nil {
			if errors.Is(err, gorm.ErrForeignKeyViolated) {
				return fmt.Errorf("team %d: %w", t, ErrNotFound)
			}
			return fmt.Errorf("assign channel %d to team %d: %w", id, t, err)
		}
	}
	return nil
}

// DueForRefresh lists active, not disconnected channels whose access token
// lapses before the given time.
func (c *Channels) DueForRefresh(ctx context.Context, before time.Time) ([]model.Channel, error) {
	var out []model.Channel
	err := c.db.WithContext(ctx).Where("removed_at IS NULL AND status != ? AND access_expires_at IS NOT NULL AND access_expires_at < ?",
		model.ChannelDisconnected, before.UTC()).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list channels due for refresh: %w", err)
	}
	return out, nil
}

func (c *Channels) update(ctx context.Context, id int64, updates map[string]any) error {
	updates["updated_at"] = c.now().UTC()
	res := c.db.WithContext(ctx).Model(&model.Channel{}).Where("id = ?", id).Updates(updates)
	if res.Error != nil {
		return fmt.Errorf("update channel %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("channel %d: %w", id, ErrNotFound)
	}
	return nil
}

func utcPtr(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
