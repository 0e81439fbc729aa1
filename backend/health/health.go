// Package health keeps channel connections healthy: it checks each
// channel's credential with the network's cheapest call, renews tokens
// before they lapse, reminds the user to sign in again every N days, and
// disconnects a channel only when the network says its credentials are
// dead — never on a blip, a 5xx or a rate limit.
package health

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/notify"
	"herald/backend/ratebudget"
	"herald/backend/store"
)

// Channels is the channel repository as health uses it.
type Channels interface {
	List(ctx context.Context) ([]model.Channel, error)
	Get(ctx context.Context, id int64) (model.Channel, error)
	Transition(ctx context.Context, id int64, to model.ChannelStatus, reason string) (bool, error)
	// CredentialFailed records a failed check and moves the channel to
	// status to, only while its credential is still of generation gen.
	CredentialFailed(ctx context.Context, id, gen int64, to model.ChannelStatus, class, message string) (changed, current bool, err error)
	RecordCheck(ctx context.Context, id int64, class, message string) error
	Reminded(ctx context.Context, id int64) error
	DueForRefresh(ctx context.Context, before time.Time) ([]model.Channel, error)
}

// Timeline is the channel health timeline.
type Timeline interface {
	Append(ctx context.Context, e *model.HealthEvent) error
}

// Auditor appends to the audit log.
type Auditor interface {
	Append(ctx context.Context, e *model.AuditEntry) error
}

// Credentials hands out valid credentials, each with its generation.
type Credentials interface {
	Fresh(ctx context.Context, ch model.Channel) (network.Credential, error)
	Renew(ctx context.Context, ch model.Channel, stale network.Credential) (network.Credential, error)
	// Unsaved says why the channel's renewed credential is only in memory
	// (the keyring refused it), or nil.
	Unsaved(channelID int64) error
	// WatchSaves sets what runs when a channel's credential becomes
	// unsaved or is saved at last.
	WatchSaves(fn func(ctx context.Context, channelID int64))
}

// ClassKeyring is the check class of a channel whose renewed credential
// the system keyring refused to store. It is Herald's problem, not the
// network's: the credential works, but would be lost when Herald quits.
const ClassKeyring network.Class = "keyring"

// keyringMessage tells the user what ClassKeyring means and what to do.
const keyringMessage = "Herald renewed this channel's sign-in but could not save it to the system keyring, so it is only kept " +
	"while Herald runs. Unlock the system keyring (or allow Herald to use it) and Herald will save it on its next try; " +
	"if Herald quits before then, reconnect the channel."

// ReminderDays reads the "re-authorize every N days" setting.
type ReminderDays func(ctx context.Context) int

// ReminderRepeat is how often a reminder repeats until the user signs in again.
const ReminderRepeat = 7 * 24 * time.Hour

// Monitor runs the health checks.
type Monitor struct {
	channels    Channels
	timeline    Timeline
	audit       Auditor
	creds       Credentials
	networks    *network.Registry
	notifier    notify.Notifier
	emitter     events.Emitter
	reminder    ReminderDays
	now         func() time.Time
	log         *slog.Logger
	onReconnect func(channelID int64) // a click on a notification's Reconnect
	resume      func(ctx context.Context, channelID int64)
}

// Deps are the Monitor's collaborators.
type Deps struct {
	Channels     Channels
	Timeline     Timeline
	Audit        Auditor
	Credentials  Credentials
	Networks     *network.Registry
	Notifier     notify.Notifier
	Emitter      events.Emitter
	ReminderDays ReminderDays
	Now          func() time.Time
	Log          *slog.Logger
	OnReconnect  func(channelID int64)
	// Resume runs when a check finds a disconnected or attention channel
	// working again: the same function a reconnect runs (the posts that
	// waited for the channel are rescheduled and publishing is woken).
	Resume func(ctx context.Context, channelID int64)
}

// New returns a Monitor. It watches the credentials' keyring saves, so a
// renewed sign-in the keyring refuses is shown at once.
func New(d Deps) *Monitor {
	m := &Monitor{channels: d.Channels, timeline: d.Timeline, audit: d.Audit, creds: d.Credentials, networks: d.Networks,
		notifier: d.Notifier, emitter: d.Emitter, reminder: d.ReminderDays, now: d.Now, log: d.Log, onReconnect: d.OnReconnect,
		resume: d.Resume}
	if m.creds != nil {
		m.creds.WatchSaves(m.keyringChanged)
	}
	return m
}

// Result is the outcome of one check.
type Result struct {
	ChannelID int64
	OK        bool
	Class     network.Class
	Message   string
	Status    model.ChannelStatus
	// Stale: the error belonged to a credential replaced since; nothing
	// was changed.
	Stale bool
}

// CheckAll checks every channel that is not already disconnected.
func (m *Monitor) CheckAll(ctx context.Context) {
	chs, err := m.channels.List(ctx)
	if err != nil {
		m.log.Error("health check: list channels", "err", err)
		return
	}
	for _, ch := range chs {
		if ctx.Err() != nil {
			return
		}
		if ch.Status == model.ChannelDisconnected {
			continue // its credentials are dead; only the user can fix that
		}
		if m.parked(ch) {
			continue // the network asked for no requests until its reset
		}
		if _, err := m.Check(ctx, ch.ID); err != nil {
			m.log.Warn("health check", "channel_id", ch.ID, "err", err)
		}
	}
}

// Check runs the liveness check for one channel and acts on the result.
func (m *Monitor) Check(ctx context.Context, channelID int64) (Result, error) {
	ch, err := m.channels.Get(ctx, channelID)
	if err != nil {
		return Result{}, err
	}
	n, ok := m.networks.Get(ch.Network)
	if !ok {
		return Result{}, fmt.Errorf("channel %d: unknown network %q", ch.ID, ch.Network)
	}
	checker, ok := n.(network.LivenessChecker)
	if !ok {
		return Result{ChannelID: ch.ID, OK: true, Status: ch.Status}, nil
	}
	ctx = ratebudget.WithChannel(ctx, ch.ID, ratebudget.Health)
	cred, err := m.creds.Fresh(ctx, ch)
	if err == nil {
		err = checker.Check(ctx, ch.Instance, cred)
		if network.ClassOf(err) == network.ClassTokenExpired {
			if cred, err = m.creds.Renew(ctx, ch, cred); err == nil {
				err = checker.Check(ctx, ch.Instance, cred)
			}
		}
	}
	if errors.Is(err, context.Canceled) {
		return Result{}, err
	}
	if err == nil && m.creds.Unsaved(ch.ID) != nil {
		return m.keyringAttention(ctx, ch)
	}
	return m.apply(ctx, ch, cred.Generation, err)
}

// ReportError lets other parts of Herald (publishing, syncing) report a
// network error for a channel; an auth-dead error disconnects it. It
// blames the channel's current credential: a caller that knows which
// credential failed uses ReportErrorAt.
func (m *Monitor) ReportError(ctx context.Context, channelID int64, err error) {
	m.report(ctx, channelID, nil, err)
}

// ReportErrorAt is ReportError for an error of the credential of
// generation gen (network.Credential.Generation). An auth-dead error
// disconnects the channel only while that is still its credential: a 401
// from before the user reconnected, or from a token rotated since, changes
// nothing. It reports whether err concerns the channel's current
// credential; false means it was replaced since, and the work that failed
// can be tried again with a fresh one.
func (m *Monitor) ReportErrorAt(ctx context.Context, channelID, gen int64, err error) bool {
	return m.report(ctx, channelID, &gen, err)
}

func (m *Monitor) report(ctx context.Context, channelID int64, gen *int64, err error) bool {
	class := network.ClassOf(err)
	if class != network.ClassAuthDead && class != network.ClassScopeMissing && class != network.ClassAPIRetired {
		return true
	}
	ch, gerr := m.channels.Get(ctx, channelID)
	if gerr != nil {
		m.log.Error("report channel error", "channel_id", channelID, "err", gerr)
		return true
	}
	at := ch.CredentialGeneration
	if gen != nil {
		at = *gen
	}
	res, aerr := m.apply(ctx, ch, at, err)
	if aerr != nil {
		m.log.Error("report channel error", "channel_id", channelID, "err", aerr)
		return true
	}
	return !res.Stale
}

// apply acts on the outcome of a check of ch's credential of generation
// gen.
func (m *Monitor) apply(ctx context.Context, ch model.Channel, gen int64, checkErr error) (Result, error) {
	res := Result{ChannelID: ch.ID, OK: checkErr == nil, Status: ch.Status}
	if checkErr != nil {
		res.Class = network.ClassOf(checkErr)
		res.Message = network.SafeMessage(checkErr)
	}
	switch {
	case checkErr == nil:
		if err := m.channels.RecordCheck(ctx, ch.ID, "", ""); err != nil {
			return res, err
		}
		if ch.LastCheckClass != "" {
			m.timelineAdd(ctx, ch.ID, model.HealthRecovered, "", "The channel answers again.")
		}
		if ch.Status != model.ChannelConnected {
			if changed, err := m.channels.Transition(ctx, ch.ID, model.ChannelConnected, ""); err != nil {
				return res, err
			} else if changed {
				res.Status = model.ChannelConnected
				m.timelineAdd(ctx, ch.ID, model.HealthRecovered, "", "The network accepts Herald's credentials again.")
				m.auditAdd(ctx, ch, "channel.recovered", fmt.Sprintf("%s answers again", label(ch)), nil)
				m.emitter.Emit(events.ChannelHealth, healthEvent(ch.ID, model.ChannelConnected))
				if m.resume != nil {
					m.resume(ctx, ch.ID)
				}
			}
		}
	case res.Class == network.ClassAuthDead:
		_, current, err := m.disconnect(ctx, ch, gen, res.Message)
		if err != nil || !current {
			res.Stale = !current
			return res, err
		}
		res.Status = model.ChannelDisconnected
	case res.Class == network.ClassScopeMissing || res.Class == network.ClassAPIRetired:
		changed, current, err := m.channels.CredentialFailed(ctx, ch.ID, gen, model.ChannelAttention, string(res.Class), res.Message)
		if err != nil || !current {
			res.Stale = !current
			return res, err
		}
		res.Status = model.ChannelAttention
		if changed {
			m.timelineAdd(ctx, ch.ID, model.HealthAttention, string(res.Class), res.Message)
			m.auditAdd(ctx, ch, "channel.attention", fmt.Sprintf("%s needs attention: %s", label(ch), res.Message), map[string]any{"class": res.Class})
			m.notifyReconnect(ctx, ch, fmt.Sprintf("%s needs your attention", label(ch)), res.Message+" Refresh the connection in Herald.")
			m.emitter.Emit(events.ChannelHealth, healthEvent(ch.ID, model.ChannelAttention))
		}
	default:
		// Rate limits, 5xx, timeouts, a locked keyring: record, never disconnect.
		if err := m.channels.RecordCheck(ctx, ch.ID, string(res.Class), res.Message); err != nil {
			return res, err
		}
		if ch.LastCheckClass == "" {
			m.timelineAdd(ctx, ch.ID, model.HealthCheckFailed, string(res.Class), res.Message)
		}
	}
	return res, nil
}

// disconnect marks the channel disconnected because its credential of
// generation gen is dead. The status change is one conditional UPDATE, so
// however many checks and publishes see the dead token at once, exactly
// one notifies, audits and records it; and none does when the channel's
// credential was replaced since (current is then false).
func (m *Monitor) disconnect(ctx context.Context, ch model.Channel, gen int64, reason string) (changed, current bool, err error) {
	changed, current, err = m.channels.CredentialFailed(ctx, ch.ID, gen, model.ChannelDisconnected, string(network.ClassAuthDead), reason)
	if err != nil || !changed {
		if err == nil && !current {
			m.log.Info("an error of a replaced credential does not disconnect the channel", "channel_id", ch.ID, "generation", gen)
		}
		return changed, current, err
	}
	m.log.Warn("channel disconnected", "channel_id", ch.ID, "network", ch.Network, "reason", reason)
	m.timelineAdd(ctx, ch.ID, model.HealthDisconnected, string(network.ClassAuthDead), reason)
	m.auditAdd(ctx, ch, "channel.disconnected", fmt.Sprintf("%s was disconnected: %s", label(ch), reason), map[string]any{"class": network.ClassAuthDead})
	m.notifyReconnect(ctx, ch, fmt.Sprintf("%s was disconnected", label(ch)),
		reason+" Nothing was deleted: reconnect it in Herald and its posts and history stay.")
	m.emitter.Emit(events.ChannelHealth, healthEvent(ch.ID, model.ChannelDisconnected))
	return true, true, nil
}

// keyringChanged follows the credentials' keyring saves: a renewed sign-in
// the keyring refused puts the channel in attention at once, and saving
// it at last makes the channel connected again.
func (m *Monitor) keyringChanged(ctx context.Context, channelID int64) {
	ch, err := m.channels.Get(ctx, channelID)
	if err != nil {
		m.log.Error("keyring state of a channel", "channel_id", channelID, "err", err)
		return
	}
	if m.creds.Unsaved(channelID) != nil {
		_, err = m.keyringAttention(ctx, ch)
	} else if ch.Status == model.ChannelAttention && ch.LastCheckClass == string(ClassKeyring) {
		// The credential in use is the one just saved and it worked when it
		// was renewed: the channel is fine again.
		_, err = m.apply(ctx, ch, ch.CredentialGeneration, nil)
	}
	if err != nil {
		m.log.Error("keyring state of a channel", "channel_id", channelID, "err", err)
	}
}

// keyringAttention puts a channel whose renewed credential is only in
// memory in attention, and tells the user once.
func (m *Monitor) keyringAttention(ctx context.Context, ch model.Channel) (Result, error) {
	res := Result{ChannelID: ch.ID, Class: ClassKeyring, Message: keyringMessage, Status: ch.Status}
	if ch.Status == model.ChannelDisconnected {
		return res, nil // its credential is dead anyway; reconnecting replaces it
	}
	if err := m.channels.RecordCheck(ctx, ch.ID, string(ClassKeyring), keyringMessage); err != nil {
		return res, err
	}
	changed, err := m.channels.Transition(ctx, ch.ID, model.ChannelAttention, keyringMessage)
	if err != nil {
		return res, err
	}
	res.Status = model.ChannelAttention
	if changed {
		m.log.Warn("renewed credential only in memory; the channel needs attention", "channel_id", ch.ID)
		m.timelineAdd(ctx, ch.ID, model.HealthAttention, string(ClassKeyring), keyringMessage)
		m.auditAdd(ctx, ch, "channel.attention", fmt.Sprintf("%s needs attention: %s", label(ch), keyringMessage), map[string]any{"class": ClassKeyring})
		m.notifyReconnect(ctx, ch, fmt.Sprintf("Herald could not save the sign-in of %s", label(ch)), keyringMessage)
		m.emitter.Emit(events.ChannelHealth, healthEvent(ch.ID, model.ChannelAttention))
	}
	return res, nil
}

// Remind gives re-authorization reminders: N days after the last sign-in
// (the "refresh every 3–4 months" advice), and before a network-imposed
// session end. A reminder repeats weekly until the user signs in again.
func (m *Monitor) Remind(ctx context.Context) {
	chs, err := m.channels.List(ctx)
	if err != nil {
		m.log.Error("reminders: list channels", "err", err)
		return
	}
	days := m.reminder(ctx)
	now := m.now()
	for _, ch := range chs {
		if ch.Status == model.ChannelDisconnected {
			continue
		}
		due, why := ReminderDue(ch, days, now)
		if !due {
			continue
		}
		if ch.RemindedAt != nil && ch.RemindedAt.After(ch.LastAuthorizedAt()) && now.Sub(*ch.RemindedAt) < ReminderRepeat {
			continue
		}
		if err := m.channels.Reminded(ctx, ch.ID); err != nil {
			m.log.Error("record reminder", "channel_id", ch.ID, "err", err)
			continue
		}
		m.timelineAdd(ctx, ch.ID, model.HealthReminder, "", why)
		m.auditAdd(ctx, ch, "channel.reminder", fmt.Sprintf("Reminded to refresh %s: %s", label(ch), why), nil)
		m.notifyReconnect(ctx, ch, fmt.Sprintf("Time to refresh %s", label(ch)), why)
		m.emitter.Emit(events.ChannelHealth, healthEvent(ch.ID, ch.Status))
	}
}

// ReminderDue says whether ch should be re-authorized now, and why.
func ReminderDue(ch model.Channel, days int, now time.Time) (bool, string) {
	if ch.TokenExpiresAt != nil && now.Add(ReminderRepeat).After(*ch.TokenExpiresAt) {
		return true, fmt.Sprintf("The network ends this sign-in on %s; sign in again before then.", ch.TokenExpiresAt.UTC().Format("2 Jan 2006"))
	}
	if days > 0 && !now.Before(ch.LastAuthorizedAt().Add(time.Duration(days)*24*time.Hour)) {
		return true, fmt.Sprintf("It has been %d days since you last signed in; refreshing the connection keeps it reliable.", days)
	}
	return false, ""
}

// RefreshDue renews the tokens that lapse soon (networks with refresh).
func (m *Monitor) RefreshDue(ctx context.Context, ahead time.Duration) {
	due, err := m.channels.DueForRefresh(ctx, m.now().Add(ahead))
	if err != nil {
		m.log.Error("token refresh: list channels", "err", err)
		return
	}
	for _, ch := range due {
		if m.parked(ch) {
			continue // refreshed after the rate limit's reset, well before expiry
		}
		if cred, err := m.creds.Fresh(ratebudget.WithChannel(ctx, ch.ID, ratebudget.Health), ch); err != nil {
			if network.IsAuthDead(err) {
				if _, _, derr := m.disconnect(ctx, ch, cred.Generation, network.SafeMessage(err)); derr != nil {
					m.log.Error("disconnect", "channel_id", ch.ID, "err", derr)
				}
				continue
			}
			m.log.Warn("token refresh failed; will retry", "channel_id", ch.ID, "err", err)
		}
	}
}

// parked: a 429 asked for no requests to this channel before its reset.
func (m *Monitor) parked(ch model.Channel) bool {
	return ch.RateLimitedUntil != nil && ch.RateLimitedUntil.After(m.now())
}

func (m *Monitor) notifyReconnect(ctx context.Context, ch model.Channel, title, body string) {
	n := notify.Notification{Title: title, Body: body, Urgent: ch.Status != model.ChannelDisconnected,
		Actions: []notify.Action{{ID: "reconnect", Label: "Reconnect"}}}
	if m.onReconnect != nil {
		id := ch.ID
		n.OnAction = func(string) { m.onReconnect(id) }
	}
	if err := m.notifier.Notify(ctx, n); err != nil {
		m.log.Info("desktop notification not shown; the in-app badge remains", "err", err)
	}
}

func (m *Monitor) timelineAdd(ctx context.Context, channelID int64, kind model.HealthKind, class, message string) {
	if err := m.timeline.Append(ctx, &model.HealthEvent{ChannelID: channelID, Kind: kind, Class: class, Message: message}); err != nil {
		m.log.Error("append health timeline", "channel_id", channelID, "err", err)
	}
}

func (m *Monitor) auditAdd(ctx context.Context, ch model.Channel, event, summary string, details map[string]any) {
	d := "{}"
	if details != nil {
		if b, err := json.Marshal(details); err == nil {
			d = string(b)
		}
	}
	id := ch.ID
	e := &model.AuditEntry{Actor: model.ActorHealth, Event: event, ChannelID: &id, ChannelName: label(ch),
		Teams: store.TeamNames(ch.Teams), Summary: summary, Details: d}
	if err := m.audit.Append(ctx, e); err != nil {
		m.log.Error("append audit", "event", event, "err", err)
		return
	}
	m.emitter.Emit(events.AuditAppended, e.ID)
}

// HealthChange is the payload of events.ChannelHealth.
type HealthChange struct {
	ChannelID int64  `json:"channelId"`
	Status    string `json:"status"`
}

func healthEvent(id int64, s model.ChannelStatus) HealthChange {
	return HealthChange{ChannelID: id, Status: string(s)}
}

func label(ch model.Channel) string {
	return ch.Label()
}
