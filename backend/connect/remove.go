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
	"herald/backend/secrets"
	"herald/backend/store"
)

// RemoveResult says what removing a channel did.
type RemoveResult struct {
	Revoked        bool   `json:"revoked"`
	RevokeProblem  string `json:"revokeProblem"`
	HistoryDeleted bool   `json:"historyDeleted"`
}

// Remove disconnects a channel for good: its keyring item is deleted
// first (if the keyring cannot, nothing changes), then the network grant
// is revoked where the network allows, then the channel is hidden with
// its published history kept — or deleted with it if the user chose so.
func (s *Service) Remove(ctx context.Context, channelID int64, deleteHistory bool) (RemoveResult, error) {
	var res RemoveResult
	ch, err := s.d.Channels.Get(ctx, channelID)
	if errors.Is(err, store.ErrNotFound) {
		return res, &FlowError{Code: CodeNotFound, Message: "That channel no longer exists."}
	}
	if err != nil {
		return res, err
	}
	n, known := s.d.Networks.Get(ch.Network)
	cred, loadErr := s.d.Credentials.Load(ctx, ch.ID)
	if loadErr != nil && !errors.Is(loadErr, secrets.ErrNotFound) {
		return res, loadErr
	}
	if err := s.d.Credentials.Delete(ctx, ch.ID); err != nil {
		return res, err
	}
	if rv, ok := n.(network.Revoker); known && ok && loadErr == nil {
		rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := rv.Revoke(rctx, ch.Instance, cred)
		cancel()
		if err != nil {
			res.RevokeProblem = fmt.Sprintf("Herald could not revoke its access at %s (%v). You can revoke it in your account's settings there.", ch.Network, view(err, viewContext{network: n.Descriptor(), instance: ch.Instance}).Message)
		} else {
			res.Revoked = true
		}
	}
	res.HistoryDeleted = deleteHistory
	details, _ := json.Marshal(map[string]any{"revoked": res.Revoked, "historyDeleted": deleteHistory, "network": ch.Network, "remoteId": ch.RemoteID})
	summary := fmt.Sprintf("Removed %s; its published history was kept", label(&ch))
	if deleteHistory {
		summary = fmt.Sprintf("Removed %s and deleted its posts and history", label(&ch))
	}
	err = store.Transaction(ctx, s.d.DB, func(tx *gorm.DB) error {
		entry := auditEntry(&ch, "channel.removed", summary, store.TeamNames(ch.Teams))
		entry.Details = string(details)
		if err := s.d.Audit.AppendTx(ctx, tx, entry); err != nil {
			return err
		}
		if deleteHistory {
			return s.d.Channels.WithTx(tx).Delete(ctx, ch.ID)
		}
		if err := s.d.Channels.WithTx(tx).Remove(ctx, ch.ID); err != nil {
			return err
		}
		return s.d.Health.WithTx(tx).Append(ctx, &model.HealthEvent{ChannelID: ch.ID, Kind: model.HealthRemoved, Message: "Removed from Herald; history kept."})
	})
	if err != nil {
		return res, err
	}
	s.d.Log.Info("channel removed", "channel_id", ch.ID, "revoked", res.Revoked, "history_deleted", deleteHistory)
	s.d.Emitter.Emit(events.ChannelsChanged, nil)
	return res, nil
}
