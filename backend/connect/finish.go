package connect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
)

// ChannelRef names a channel in a result.
type ChannelRef struct {
	ID          int64  `json:"id"`
	Handle      string `json:"handle"`
	DisplayName string `json:"displayName"`
}

// Result says what Finish did.
type Result struct {
	Connected []ChannelRef `json:"connected"`
	Refreshed []ChannelRef `json:"refreshed"`
}

// Finish connects the selected channels (remote ids) of a ready session:
// new ones are created in the given teams, ones already in Herald get the
// new credential in place (same id, posts, metrics and teams). Each
// channel's row, keyring item, timeline and audit line are written
// together or not at all.
func (s *Service) Finish(ctx context.Context, id string, remoteIDs []string, teamIDs []int64) (Result, error) {
	s.mu.Lock()
	sess, ok := s.sessions[id]
	s.mu.Unlock()
	if !ok {
		return Result{}, errSessionGone
	}
	if sess.stage != StageReady {
		return Result{}, &FlowError{Code: CodeConflict, Message: "The sign-in is not finished yet."}
	}
	if len(remoteIDs) == 0 {
		return Result{}, &FlowError{Code: CodeInvalid, Field: "selection", Message: "Select at least one channel."}
	}
	picked := make([]candidate, 0, len(remoteIDs))
	for _, rid := range remoteIDs {
		c, ok := find(sess.found, rid)
		if !ok {
			return Result{}, &FlowError{Code: CodeInvalid, Field: "selection", Message: "A selected channel is not among those this sign-in returned."}
		}
		if !c.account.Connectable {
			return Result{}, &FlowError{Code: CodeInvalid, Field: "selection", Message: fmt.Sprintf("%s cannot be connected: %s", c.account.Handle, c.account.Reason)}
		}
		if sess.refreshID != 0 && (c.existing == nil || c.existing.ID != sess.refreshID) {
			return Result{}, &FlowError{Code: CodeConflict, Message: "Only the channel being refreshed can be selected."}
		}
		picked = append(picked, c)
	}

	res := Result{Connected: []ChannelRef{}, Refreshed: []ChannelRef{}}
	for _, c := range picked {
		if c.existing != nil {
			ref, err := s.refresh(ctx, sess, c)
			if err != nil {
				return res, err
			}
			res.Refreshed = append(res.Refreshed, ref)
			continue
		}
		ref, err := s.create(ctx, sess, c, teamIDs)
		if err != nil {
			return res, err
		}
		res.Connected = append(res.Connected, ref)
	}
	s.update(sess, func() { sess.stage, sess.found = StageFinished, nil })
	s.mu.Lock()
	delete(s.sessions, id)
	s.mu.Unlock()
	s.d.Emitter.Emit(events.ChannelsChanged, nil)
	return res, nil
}

func find(found []candidate, remoteID string) (candidate, bool) {
	for _, c := range found {
		if c.account.RemoteID == remoteID {
			return c, true
		}
	}
	return candidate{}, false
}

// expiries maps a credential to the channel's two expiry columns: the
// session end the user must sign in again by, and the access token's
// lapse that Herald refreshes ahead of.
func expiries(c network.Credential) (tokenExpires, accessExpires *time.Time) {
	refreshable := c.RefreshToken != ""
	if refreshable {
		if !c.RefreshExpiry.IsZero() {
			t := c.RefreshExpiry
			tokenExpires = &t
		}
		if !c.Expiry.IsZero() {
			t := c.Expiry
			accessExpires = &t
		}
		return tokenExpires, accessExpires
	}
	if !c.Expiry.IsZero() {
		t := c.Expiry
		tokenExpires = &t
	}
	return tokenExpires, nil
}

func (s *Service) create(ctx context.Context, sess *session, c candidate, teamIDs []int64) (ChannelRef, error) {
	a := c.account
	d := sess.network.Descriptor()
	tokenExp, accessExp := expiries(a.Credential)
	ch := &model.Channel{Network: d.ID, Instance: channelInstance(d, sess.instance, a), RemoteID: a.RemoteID, Kind: a.Kind,
		Handle: a.Handle, DisplayName: a.DisplayName, AvatarURL: a.AvatarURL, ProfileURL: a.ProfileURL,
		TokenExpiresAt: tokenExp, AccessExpiresAt: accessExp}
	var saved bool
	err := store.Transaction(ctx, s.d.DB, func(tx *gorm.DB) error {
		if err := s.d.Channels.WithTx(tx).Create(ctx, ch); err != nil {
			return err
		}
		if err := s.d.Channels.WithTx(tx).SetTeams(ctx, ch.ID, teamIDs); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return &FlowError{Code: CodeInvalid, Field: "teams", Message: "A selected team no longer exists; choose the teams again."}
			}
			return err
		}
		if err := s.d.Health.WithTx(tx).Append(ctx, &model.HealthEvent{ChannelID: ch.ID, Kind: model.HealthConnected, Message: "Connected by signing in at " + d.Name + "."}); err != nil {
			return err
		}
		teams, err := teamNames(ctx, tx, teamIDs)
		if err != nil {
			return err
		}
		if err := s.d.Audit.AppendTx(ctx, tx, auditEntry(ch, "channel.connected", fmt.Sprintf("Connected %s (%s)", label(ch), d.Name), teams)); err != nil {
			return err
		}
		// The keyring write is last inside the transaction: if it fails the
		// row is rolled back, so no channel exists without its credential.
		if err := s.d.Credentials.Save(ctx, ch.ID, a.Credential); err != nil {
			return err
		}
		saved = true
		return nil
	})
	if err != nil {
		if saved {
			// The commit failed after the keyring write: take the item back.
			if derr := s.d.Credentials.Delete(context.WithoutCancel(ctx), ch.ID); derr != nil {
				s.d.Log.Error("remove credential of a channel that was not created", "err", derr)
			}
		}
		return ChannelRef{}, err
	}
	s.d.Log.Info("channel connected", "channel_id", ch.ID, "network", d.ID)
	return ChannelRef{ID: ch.ID, Handle: ch.Handle, DisplayName: ch.DisplayName}, nil
}

func (s *Service) refresh(ctx context.Context, sess *session, c candidate) (ChannelRef, error) {
	a, ch := c.account, *c.existing
	d := sess.network.Descriptor()
	old, oldErr := s.d.Credentials.Load(ctx, ch.ID)
	// The new credential goes in first, in one keyring write: if that fails
	// the channel keeps its previous credential and nothing else changed.
	if err := s.d.Credentials.Save(ctx, ch.ID, a.Credential); err != nil {
		return ChannelRef{}, err
	}
	tokenExp, accessExp := expiries(a.Credential)
	wasRemoved := ch.RemovedAt != nil
	wasStatus := ch.Status
	err := store.Transaction(ctx, s.d.DB, func(tx *gorm.DB) error {
		p := store.Profile{Handle: a.Handle, DisplayName: a.DisplayName, AvatarURL: a.AvatarURL, ProfileURL: a.ProfileURL}
		if err := s.d.Channels.WithTx(tx).Authorized(ctx, ch.ID, p, tokenExp, accessExp, true); err != nil {
			return err
		}
		kind, event, summary := model.HealthRefreshed, "channel.refreshed", fmt.Sprintf("Refreshed the connection of %s", label(&ch))
		switch {
		case wasRemoved:
			kind, event, summary = model.HealthRestored, "channel.restored", fmt.Sprintf("Connected %s again; its history was kept", label(&ch))
		case wasStatus == model.ChannelDisconnected:
			kind, event, summary = model.HealthReconnected, "channel.reconnected", fmt.Sprintf("Reconnected %s", label(&ch))
		}
		if err := s.d.Health.WithTx(tx).Append(ctx, &model.HealthEvent{ChannelID: ch.ID, Kind: kind, Message: "Signed in again at " + d.Name + "; the channel, its posts and history are unchanged."}); err != nil {
			return err
		}
		return s.d.Audit.AppendTx(ctx, tx, auditEntry(&ch, event, summary, store.TeamNames(ch.Teams)))
	})
	if err != nil {
		return ChannelRef{}, err
	}
	s.revokeOld(ctx, sess, ch, old, oldErr, a.Credential)
	if s.d.Reauthorized != nil {
		s.d.Reauthorized(ctx, ch.ID)
	}
	s.d.Log.Info("channel connection refreshed", "channel_id", ch.ID, "network", d.ID)
	return ChannelRef{ID: ch.ID, Handle: a.Handle, DisplayName: a.DisplayName}, nil
}

// revokeOld retires the grant the refresh replaced, so refreshing does
// not pile up live tokens at the network. Failing to is only logged.
func (s *Service) revokeOld(ctx context.Context, sess *session, ch model.Channel, old network.Credential, loadErr error, fresh network.Credential) {
	rv, ok := sess.network.(network.Revoker)
	if !ok || loadErr != nil || old.AccessToken == "" || old.AccessToken == fresh.AccessToken {
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if err := rv.Revoke(rctx, ch.Instance, old); err != nil {
			s.d.Log.Info("could not revoke the replaced token", "channel_id", ch.ID, "err", err)
		}
	}()
}

// channelInstance is the server a channel is stored under: the server the
// user chose for federated networks, the network's own for global ids.
func channelInstance(d network.Descriptor, chosen string, a network.Account) string {
	if d.GlobalIDs {
		if chosen != "" {
			return chosen
		}
		return d.DefaultInstance
	}
	if a.Instance != "" {
		return a.Instance
	}
	return chosen
}

func teamNames(ctx context.Context, tx *gorm.DB, ids []int64) (string, error) {
	if len(ids) == 0 {
		return "", nil
	}
	var teams []model.Team
	if err := tx.WithContext(ctx).Where("id IN ?", ids).Order("name").Find(&teams).Error; err != nil {
		return "", err
	}
	return store.TeamNames(teams), nil
}

func auditEntry(ch *model.Channel, event, summary, teams string) *model.AuditEntry {
	id := ch.ID
	details, _ := json.Marshal(map[string]string{"network": ch.Network, "remoteId": ch.RemoteID, "instance": ch.Instance})
	return &model.AuditEntry{Actor: model.ActorUser, Event: event, ChannelID: &id, ChannelName: label(ch), Teams: teams,
		Summary: summary, Details: string(details)}
}

func label(ch *model.Channel) string {
	if ch.DisplayName != "" {
		return ch.DisplayName
	}
	return ch.Handle
}
