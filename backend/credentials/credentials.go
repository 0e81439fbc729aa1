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

// refreshTimeout bounds one network refresh and the keyring save after it.
// The refresh runs detached from its callers (see fly), so it needs its own.
const refreshTimeout = 2 * time.Minute

// Save retries of a rotated credential: the network has already spent the
// old refresh token, so a keyring that is briefly busy must not lose it.
const (
	saveAttempts = 3
	saveBackoff  = 200 * time.Millisecond
)

// SecretStore is the keyring as this package uses it.
type SecretStore interface {
	Get(ctx context.Context, key string) (string, error)
	Set(ctx context.Context, key, value string) error
	Delete(ctx context.Context, key string) error
}

// Recorder is the channel table as this package uses it.
type Recorder interface {
	// TokenRenewed stores the expiries of a rotated credential, so the
	// refresh job can find due channels without reading the keyring, and
	// moves the channel's credential generation on; it returns the new one.
	TokenRenewed(ctx context.Context, id int64, tokenExpires, accessExpires *time.Time) (int64, error)
	// CredentialGeneration is the generation of the channel's credential.
	CredentialGeneration(ctx context.Context, id int64) (int64, error)
}

// Manager loads, saves and renews channel credentials.
//
// Every read and write of one channel's keyring item, and every refresh of
// it, holds that channel's lock: a renewal, a reconnect's save and a
// removal never interleave. Concurrent renewals of one channel share one
// network refresh (a flight) and all get its result.
type Manager struct {
	secrets  SecretStore
	networks *network.Registry
	recorder Recorder
	now      func() time.Time
	log      *slog.Logger

	mu       sync.Mutex
	channels map[int64]*channelState
	onSave   func(ctx context.Context, channelID int64)
}

// channelState is one channel's lock and what is in flight for it.
type channelState struct {
	lock sync.Mutex // held for every keyring access and refresh of the channel

	// Guarded by Manager.mu:
	flight *flight // the refresh in progress, if any
	// unsaved is a rotated credential the keyring refused to store: the
	// network already spent the old one, so it is used from memory and
	// saved again on every use until that works.
	unsaved *network.Credential
	saveErr error
}

// flight is one network refresh shared by every caller that wants it.
type flight struct {
	seen string // the access token the refresh replaces
	done chan struct{}
	cred network.Credential
	err  error
}

// New returns a Manager. recorder may be nil (then generations are those
// of the channel passed in).
func New(s SecretStore, networks *network.Registry, recorder Recorder, now func() time.Time, log *slog.Logger) *Manager {
	return &Manager{secrets: s, networks: networks, recorder: recorder, now: now, log: log, channels: map[int64]*channelState{}}
}

// CodeMissing is the network.Error code of a channel whose credential is
// not in this computer's keyring: the data folder was restored or copied
// from elsewhere, or the keyring was reset. Only signing in again fixes it.
const CodeMissing = "credential_missing"

// MissingMessage tells the user why a channel with no saved credential was
// disconnected and what to do.
const MissingMessage = "Herald has no saved sign-in for this channel on this computer (the data folder may have been restored " +
	"or copied). Sign in again to reconnect it."

// missing classifies a keyring without the channel's item as a dead
// credential: no retry brings it back. It still matches
// secrets.ErrNotFound.
func missing(err error) error {
	return &network.Error{Op: "load credential", Class: network.ClassAuthDead, Code: CodeMissing, Message: MissingMessage, Err: err}
}

// Key is the keyring item name of a channel's credential.
func Key(channelID int64) string {
	return secrets.Key("channel", strconv.FormatInt(channelID, 10), "credential")
}

// WatchSaves sets fn to run whenever a channel's credential becomes
// unsaved (a rotated credential the keyring refused, after retries) or
// saved again; Unsaved says which. fn runs without any channel lock held,
// but before the refresh that made the change returns to its callers, so
// it must not ask for the channel's credential itself.
func (m *Manager) WatchSaves(fn func(ctx context.Context, channelID int64)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.onSave = fn
}

// Unsaved returns why the channel's current credential exists only in
// memory (the keyring refused to store it), or nil.
func (m *Manager) Unsaved(channelID int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	st, ok := m.channels[channelID]
	if !ok || st.unsaved == nil {
		return nil
	}
	return fmt.Errorf("the renewed credential of channel %d is not saved to the keyring: %w", channelID, st.saveErr)
}

func (m *Manager) state(channelID int64) *channelState {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.stateLocked(channelID)
}

func (m *Manager) stateLocked(channelID int64) *channelState {
	st, ok := m.channels[channelID]
	if !ok {
		st = &channelState{}
		m.channels[channelID] = st
	}
	return st
}

// Load reads a channel's credential. A rotated credential the keyring
// refused before is saved again first; until that works it is the one
// returned.
func (m *Manager) Load(ctx context.Context, channelID int64) (network.Credential, error) {
	st := m.state(channelID)
	st.lock.Lock()
	c, changed, err := m.load(ctx, channelID)
	st.lock.Unlock()
	if changed {
		m.notify(ctx, channelID)
	}
	return c, err
}

// load is Load with the channel's lock held. changed reports that an
// unsaved credential was saved now.
func (m *Manager) load(ctx context.Context, channelID int64) (network.Credential, bool, error) {
	if pending, ok := m.pending(channelID); ok {
		if err := m.save(ctx, channelID, pending); err != nil {
			m.log.Warn("renewed credential still not saved to the keyring; using it from memory", "channel_id", channelID, "err", err)
			return pending, false, nil
		}
		m.log.Info("renewed credential saved to the keyring", "channel_id", channelID)
		return pending, true, nil
	}
	raw, err := m.secrets.Get(ctx, Key(channelID))
	if errors.Is(err, secrets.ErrNotFound) {
		err = missing(err)
	}
	if err != nil {
		return network.Credential{}, false, fmt.Errorf("load credential of channel %d: %w", channelID, err)
	}
	var c network.Credential
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		return network.Credential{}, false, fmt.Errorf("credential of channel %d is not readable: %w", channelID, err)
	}
	return c, false, nil
}

func (m *Manager) pending(channelID int64) (network.Credential, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.stateLocked(channelID)
	if st.unsaved == nil {
		return network.Credential{}, false
	}
	return *st.unsaved, true
}

// Save writes a channel's credential as one keyring item, replacing the
// previous one in a single operation. It waits for a refresh of the
// channel in progress, so that refresh cannot overwrite it afterwards.
func (m *Manager) Save(ctx context.Context, channelID int64, c network.Credential) error {
	st := m.state(channelID)
	st.lock.Lock()
	_, hadUnsaved := m.pending(channelID)
	err := m.save(ctx, channelID, c)
	st.lock.Unlock()
	if err == nil && hadUnsaved {
		m.notify(ctx, channelID) // the credential only in memory is replaced
	}
	return err
}

// save is Save with the channel's lock held.
func (m *Manager) save(ctx context.Context, channelID int64, c network.Credential) error {
	raw, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode credential: %w", err)
	}
	if err := m.secrets.Set(ctx, Key(channelID), string(raw)); err != nil {
		return fmt.Errorf("save credential of channel %d: %w", channelID, err)
	}
	m.setUnsaved(channelID, nil, nil)
	return nil
}

func (m *Manager) setUnsaved(channelID int64, c *network.Credential, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.stateLocked(channelID)
	st.unsaved, st.saveErr = c, err
}

// Delete removes a channel's credential. A missing item is not an error.
func (m *Manager) Delete(ctx context.Context, channelID int64) error {
	st := m.state(channelID)
	st.lock.Lock()
	defer st.lock.Unlock()
	m.setUnsaved(channelID, nil, nil)
	if err := m.secrets.Delete(ctx, Key(channelID)); err != nil {
		return fmt.Errorf("delete credential of channel %d: %w", channelID, err)
	}
	return nil
}

// Fresh returns ch's credential, renewed first when the network says it is
// due, with the generation it belongs to. Concurrent callers for one
// channel share a single refresh.
func (m *Manager) Fresh(ctx context.Context, ch model.Channel) (network.Credential, error) {
	cred, due, err := m.current(ctx, ch)
	if err != nil || !due {
		return cred, err
	}
	fresh, err := m.refresh(ctx, ch, cred)
	if err != nil && !network.IsAuthDead(err) && !cred.Expiry.IsZero() && m.now().Before(cred.Expiry) {
		// A blip while the current token still works is not worth failing for.
		m.log.Warn("token refresh failed; the current token is still valid", "channel_id", ch.ID, "err", err)
		return cred, nil
	}
	return fresh, err
}

// Renew refreshes ch's credential now (after the network said the access
// token expired), unless it was renewed or replaced since the caller got
// stale: then the current one is returned. Concurrent renewals share one
// network refresh and all get its result. On error the credential
// returned is the one that failed, with its generation.
func (m *Manager) Renew(ctx context.Context, ch model.Channel, stale network.Credential) (network.Credential, error) {
	return m.refresh(ctx, ch, stale)
}

// current loads ch's credential with its generation and says whether the
// network wants it refreshed.
func (m *Manager) current(ctx context.Context, ch model.Channel) (network.Credential, bool, error) {
	st := m.state(ch.ID)
	st.lock.Lock()
	cred, changed, err := m.loadAt(ctx, ch)
	st.lock.Unlock()
	if changed {
		m.notify(ctx, ch.ID)
	}
	if err != nil {
		return cred, false, err
	}
	r, err := m.refresher(ch)
	if err != nil || r == nil {
		return cred, false, err
	}
	return cred, r.RefreshDue(cred, m.now()), nil
}

// loadAt is load with the credential's generation, read first: a
// reconnect saves the new credential before it moves the generation on,
// so reading in this order can pair a new credential with the old
// generation (an error of it is then ignored once) but never an old
// credential with the new generation (which could disconnect a channel
// the user just reconnected).
func (m *Manager) loadAt(ctx context.Context, ch model.Channel) (network.Credential, bool, error) {
	gen := ch.CredentialGeneration
	if m.recorder != nil {
		g, err := m.recorder.CredentialGeneration(ctx, ch.ID)
		if err != nil {
			return network.Credential{}, false, err
		}
		gen = g
	}
	cred, changed, err := m.load(ctx, ch.ID)
	cred.Generation = gen
	return cred, changed, err
}

// refresher is ch's network as a Refresher, or nil when it has no refresh.
func (m *Manager) refresher(ch model.Channel) (network.Refresher, error) {
	n, ok := m.networks.Get(ch.Network)
	if !ok {
		return nil, fmt.Errorf("channel %d: unknown network %q", ch.ID, ch.Network)
	}
	r, _ := n.(network.Refresher)
	return r, nil
}

// refresh joins the channel's refresh in progress or starts one, and waits
// for it as long as ctx allows.
func (m *Manager) refresh(ctx context.Context, ch model.Channel, seen network.Credential) (network.Credential, error) {
	for {
		f := m.takeoff(ctx, ch, seen)
		select {
		case <-f.done:
		case <-ctx.Done():
			return seen, fmt.Errorf("renew credential of channel %d: %w", ch.ID, ctx.Err())
		}
		if f.err == nil && f.seen != seen.AccessToken && f.cred.AccessToken == seen.AccessToken {
			// The flight joined was for an older token and ended at the one
			// this caller holds, which the network refused: refresh that.
			continue
		}
		return f.cred, f.err
	}
}

// takeoff returns the flight of ch's refresh, starting it if none is in
// progress.
func (m *Manager) takeoff(ctx context.Context, ch model.Channel, seen network.Credential) *flight {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.stateLocked(ch.ID)
	if st.flight != nil {
		return st.flight
	}
	f := &flight{seen: seen.AccessToken, done: make(chan struct{})}
	st.flight = f
	// Detached from the caller: once the network answers, the old refresh
	// token is spent and the new one must be saved even if every caller has
	// given up by then.
	go m.fly(context.WithoutCancel(ctx), ch, seen, f)
	return f
}

func (m *Manager) fly(ctx context.Context, ch model.Channel, seen network.Credential, f *flight) {
	ctx, cancel := context.WithTimeout(ctx, refreshTimeout)
	defer cancel()
	st := m.state(ch.ID)
	st.lock.Lock()
	cred, changed, err := m.renewLocked(ctx, ch, seen)
	st.lock.Unlock()

	if changed {
		// Before the callers go on, so a caller that sees the new credential
		// can count on the user having been told about its keyring state.
		m.notify(ctx, ch.ID)
	}
	m.mu.Lock()
	st.flight = nil
	m.mu.Unlock()
	f.cred, f.err = cred, err
	close(f.done)
}

// renewLocked refreshes ch's credential with the channel's lock held,
// unless it is no longer the one the caller saw. changed reports that the
// credential's keyring state changed (saved at last, or left unsaved).
func (m *Manager) renewLocked(ctx context.Context, ch model.Channel, seen network.Credential) (network.Credential, bool, error) {
	cur, changed, err := m.loadAt(ctx, ch)
	if err != nil {
		return seen, changed, err
	}
	if cur.AccessToken != seen.AccessToken {
		return cur, changed, nil // renewed or reconnected since the caller looked
	}
	r, err := m.refresher(ch)
	if err != nil || r == nil {
		return cur, changed, err
	}
	fresh, err := r.Refresh(ctx, ch.Instance, cur)
	if err != nil {
		return cur, changed, fmt.Errorf("refresh credential of channel %d: %w", ch.ID, err)
	}
	fresh.Generation = cur.Generation
	if err := m.persist(ctx, ch.ID, fresh); err != nil {
		m.log.Error("renewed credential could not be saved to the keyring; keeping it in memory", "channel_id", ch.ID, "err", err)
		changed = true
	}
	if m.recorder != nil {
		gen, err := m.recorder.TokenRenewed(ctx, ch.ID, timePtr(fresh.RefreshExpiry), timePtr(fresh.Expiry))
		if err != nil {
			m.log.Warn("record token renewal", "channel_id", ch.ID, "err", err)
		} else {
			fresh.Generation = gen
			m.setGeneration(ch.ID, gen)
		}
	}
	m.log.Info("token refreshed", "channel_id", ch.ID, "network", ch.Network)
	return fresh, changed, nil
}

// setGeneration stamps an unsaved credential with its generation.
func (m *Manager) setGeneration(channelID, gen int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if st := m.stateLocked(channelID); st.unsaved != nil {
		st.unsaved.Generation = gen
	}
}

// persist saves a rotated credential, retrying briefly: the old refresh
// token is already spent, so losing the new one would lose the channel.
// If the keyring still refuses, the credential is kept in memory and
// saved again on the next use.
func (m *Manager) persist(ctx context.Context, channelID int64, c network.Credential) error {
	var err error
	for attempt := range saveAttempts {
		if err = m.save(ctx, channelID, c); err == nil {
			return nil
		}
		if ctx.Err() != nil || attempt == saveAttempts-1 {
			break
		}
		select {
		case <-time.After(time.Duration(attempt+1) * saveBackoff):
		case <-ctx.Done():
		}
	}
	m.setUnsaved(channelID, &c, err)
	return err
}

// notify tells the watcher that a channel's keyring state changed.
func (m *Manager) notify(ctx context.Context, channelID int64) {
	m.mu.Lock()
	fn := m.onSave
	m.mu.Unlock()
	if fn != nil {
		fn(context.WithoutCancel(ctx), channelID)
	}
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
