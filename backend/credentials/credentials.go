// Package credentials keeps each channel's network credential in the OS
// keyring, one item per channel, and hands out credentials that are valid
// now: it refreshes them before they lapse, one refresh per channel at a
// time, and persists a rotated token before anyone uses it.
package credentials

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/secrets"
)

// RefreshAhead is how long before an access token lapses Herald renews it.
const RefreshAhead = 15 * time.Minute

// SecretStore is the keyring as this package uses it.
type SecretStore interface {
	Get(ctx context.Context, key string) (string, error)
	Set(ctx context.Context, key, value string) error
	Delete(ctx context.Context, key string) error
}

// ExpiryRecorder stores the expiries of a renewed credential, so the
// refresh job can find due channels without reading the keyring.
type ExpiryRecorder interface {
	TokenRenewed(ctx context.Context, id int64, tokenExpires, accessExpires *time.Time) error
}

// Manager loads, saves and renews channel credentials.
type Manager struct {
	secrets  SecretStore
	networks *network.Registry
	recorder ExpiryRecorder
	now      func() time.Time
	log      *slog.Logger

	mu    sync.Mutex
	locks map[int64]*sync.Mutex
	// unsaved holds a renewed credential the keyring refused to store: the
	// network has already rotated the old one, so this process keeps using
	// the new one and retries the save on next use.
	unsaved map[int64]network.Credential
}

// New returns a Manager.
func New(s SecretStore, networks *network.Registry, recorder ExpiryRecorder, now func() time.Time, log *slog.Logger) *Manager {
	return &Manager{secrets: s, networks: networks, recorder: recorder, now: now, log: log,
		locks: map[int64]*sync.Mutex{}, unsaved: map[int64]network.Credential{}}
}

// Key is the keyring item name of a channel's credential.
func Key(channelID int64) string {
	return secrets.Key("channel", strconv.FormatInt(channelID, 10), "credential")
}

// Load reads a channel's credential.
func (m *Manager) Load(ctx context.Context, channelID int64) (network.Credential, error) {
	m.mu.Lock()
	pending, ok := m.unsaved[channelID]
	m.mu.Unlock()
	if ok {
		return pending, nil
	}
	raw, err := m.secrets.Get(ctx, Key(channelID))
	if err != nil {
		return network.Credential{}, fmt.Errorf("load credential of channel %d: %w", channelID, err)
	}
	var c network.Credential
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		return network.Credential{}, fmt.Errorf("credential of channel %d is not readable: %w", channelID, err)
	}
	return c, nil
}

// Save writes a channel's credential as one keyring item, replacing the
// previous one in a single operation.
func (m *Manager) Save(ctx context.Context, channelID int64, c network.Credential) error {
	raw, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode credential: %w", err)
	}
	if err := m.secrets.Set(ctx, Key(channelID), string(raw)); err != nil {
		return fmt.Errorf("save credential of channel %d: %w", channelID, err)
	}
	m.mu.Lock()
	delete(m.unsaved, channelID)
	m.mu.Unlock()
	return nil
}

// Delete removes a channel's credential. A missing item is not an error.
func (m *Manager) Delete(ctx context.Context, channelID int64) error {
	m.mu.Lock()
	delete(m.unsaved, channelID)
	m.mu.Unlock()
	if err := m.secrets.Delete(ctx, Key(channelID)); err != nil {
		return fmt.Errorf("delete credential of channel %d: %w", channelID, err)
	}
	return nil
}

func (m *Manager) lock(channelID int64) *sync.Mutex {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.locks[channelID]
	if !ok {
		l = &sync.Mutex{}
		m.locks[channelID] = l
	}
	return l
}

// Fresh returns ch's credential, renewed first when the network says it is
// due. Concurrent callers for one channel share a single refresh.
func (m *Manager) Fresh(ctx context.Context, ch model.Channel) (network.Credential, error) {
	return m.renew(ctx, ch, false)
}

// Renew refreshes ch's credential now (after the network said the access
// token expired), unless a concurrent caller already did.
func (m *Manager) Renew(ctx context.Context, ch model.Channel, stale network.Credential) (network.Credential, error) {
	l := m.lock(ch.ID)
	l.Lock()
	cur, err := m.Load(ctx, ch.ID)
	l.Unlock()
	if err == nil && cur.AccessToken != stale.AccessToken {
		return cur, nil // renewed by someone else meanwhile
	}
	return m.renew(ctx, ch, true)
}

func (m *Manager) renew(ctx context.Context, ch model.Channel, force bool) (network.Credential, error) {
	l := m.lock(ch.ID)
	l.Lock()
	defer l.Unlock()

	cred, err := m.Load(ctx, ch.ID)
	if err != nil {
		return cred, err
	}
	n, ok := m.networks.Get(ch.Network)
	if !ok {
		return cred, fmt.Errorf("channel %d: unknown network %q", ch.ID, ch.Network)
	}
	r, ok := n.(network.Refresher)
	if !ok {
		return cred, nil
	}
	now := m.now()
	if !force && !r.RefreshDue(cred, now) {
		return cred, nil
	}
	fresh, err := r.Refresh(ctx, ch.Instance, cred)
	if err != nil {
		// A blip while the old token still works is not worth failing for.
		if !force && !network.IsAuthDead(err) && !cred.Expiry.IsZero() && now.Before(cred.Expiry) {
			m.log.Warn("token refresh failed; the current token is still valid", "channel_id", ch.ID, "err", err)
			return cred, nil
		}
		return cred, fmt.Errorf("refresh credential of channel %d: %w", ch.ID, err)
	}
	// The network has spent the old refresh token: save the new one even if
	// the caller gives up now.
	saveCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := m.persist(saveCtx, ch.ID, fresh); err != nil {
		m.log.Error("renewed credential could not be saved to the keyring; keeping it in memory", "channel_id", ch.ID, "err", err)
	}
	if m.recorder != nil {
		if err := m.recorder.TokenRenewed(ctx, ch.ID, timePtr(fresh.RefreshExpiry), timePtr(fresh.Expiry)); err != nil {
			m.log.Warn("record token expiry", "channel_id", ch.ID, "err", err)
		}
	}
	m.log.Info("token refreshed", "channel_id", ch.ID, "network", ch.Network)
	return fresh, nil
}

// persist saves a rotated credential, retrying briefly: the old refresh
// token is already spent, so losing the new one would lose the channel.
func (m *Manager) persist(ctx context.Context, channelID int64, c network.Credential) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if err = m.Save(ctx, channelID, c); err == nil {
			return nil
		}
		if errors.Is(err, context.DeadlineExceeded) {
			break
		}
		select {
		case <-time.After(time.Duration(attempt+1) * 200 * time.Millisecond):
		case <-ctx.Done():
		}
	}
	m.mu.Lock()
	m.unsaved[channelID] = c
	m.mu.Unlock()
	return err
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
