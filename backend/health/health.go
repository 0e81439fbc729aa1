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
	"herald/backend/logging"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/notify"
	"herald/backend/store"
)

// Channels is the channel repository as health uses it.
type Channels interface {
	List(ctx context.Context) ([]model.Channel, error)
	Get(ctx context.Context, id int64) (model.Channel, error)
	Transition(ctx context.Context, id int64, to model.ChannelStatus, reason string) (bool, error)
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

// Credentials hands out valid credentials.
type Credentials interface {
	Fresh(ctx context.Context, ch model.Channel) (network.Credential, error)
	Renew(ctx context.Context, ch model.Channel, stale network.Credential) (network.Credential, error)
}

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
}

// New returns a Monitor.
func New(d Deps) *Monitor {
	return &Monitor{channels: d.Channels, timeline: d.Timeline, audit: d.Audit, creds: d.Credentials, networks: d.Networks,
		notifier: d.Notifier, emitter: d.Emitter, reminder: d.ReminderDays, now: d.Now, log: d.Log, onReconnect: d.OnReconnect}
}

// Result is the outcome of one check.
type Result struct {
	ChannelID int64
	OK        bool
	Class     network.Class
	Message   string
	Status    model.ChannelStatus
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
	return m.apply(ctx, ch, err)
}

// ReportError lets other parts of Herald (publishing, syncing) report a
// network error for a channel; an auth-dead error disconnects it.
func (m *Monitor) ReportError(ctx context.Context, channelID int64, err error) {
	class := network.ClassOf(err)
	if class != network.ClassAuthDead && class != network.ClassScopeMissing && class != network.ClassAPIRetired {
		return
	}
	ch, gerr := m.channels.Get(ctx, channelID)
	if gerr != nil {
		m.log.Error("report channel error", "channel_id", channelID, "err", gerr)
		return
	}
	if _, aerr := m.apply(ctx, ch, err); aerr != nil {
		m.log.Error("report channel error", "channel_id", channelID, "err", aerr)
	}
}

func (m *Monitor) apply(ctx context.Context, ch model.Channel, checkErr error) (Result, error) {
	res := Result{ChannelID: ch.ID, OK: checkErr == nil, Status: ch.Status}
	if checkErr != nil {
		res.Class = network.ClassOf(checkErr)
		res.Message = safeMessage(checkErr)
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
			}
		}
	case res.Class == network.ClassAuthDead:
		changed, err := m.disconnect(ctx, ch, res.Message)
		if err != nil {
			return res, err
		}
		res.Status = model.ChannelDisconnected
		_ = changed
	case res.Class == network.ClassScopeMissing || res.Class == network.ClassAPIRetired:
		if err := m.channels.RecordCheck(ctx, ch.ID, string(res.Class), res.Message); err != nil {
			return res, err
		}
		changed, err := m.channels.Transition(ctx, ch.ID, model.ChannelAttention, res.Message)
		if err != nil {
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

// disconnect marks the channel disconnected. The status change is one
// conditional UPDATE, so however many checks and publishes see the dead
// token at once, exactly one notifies, audits and records it.
func (m *Monitor) disconnect(ctx context.Context, ch model.Channel, reason string) (bool, error) {
	if err := m.channels.RecordCheck(ctx, ch.ID, string(network.ClassAuthDead), reason); err != nil {
		return false, err
	}
	changed, err := m.channels.Transition(ctx, ch.ID, model.ChannelDisconnected, reason)
	if err != nil || !changed {
		return false, err
	}
	m.log.Warn("channel disconnected", "channel_id", ch.ID, "network", ch.Network, "reason", reason)
	m.timelineAdd(ctx, ch.ID, model.HealthDisconnected, string(network.ClassAuthDead), reason)
	m.auditAdd(ctx, ch, "channel.disconnected", fmt.Sprintf("%s was disconnected: %s", label(ch), reason), map[string]any{"class": network.ClassAuthDead})
	m.notifyReconnect(ctx, ch, fmt.Sprintf("%s was disconnected", label(ch)),
		reason+" Nothing was deleted: reconnect it in Herald and its posts and history stay.")
	m.emitter.Emit(events.ChannelHealth, healthEvent(ch.ID, model.ChannelDisconnected))
	return true, nil
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
		if _, err := m.creds.Fresh(ctx, ch); err != nil {
			if network.IsAuthDead(err) {
				if _, derr := m.disconnect(ctx, ch, safeMessage(err)); derr != nil {
					m.log.Error("disconnect", "channel_id", ch.ID, "err", derr)
				}
				continue
			}
			m.log.Warn("token refresh failed; will retry", "channel_id", ch.ID, "err", err)
		}
	}
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
	name := ch.DisplayName
	if name == "" {
		name = ch.Handle
	}
	return fmt.Sprintf("%s (%s)", name, ch.Network)
}

// safeMessage is the user-facing text of a network error, scrubbed.
func safeMessage(err error) string {
	var ne *network.Error
	if errors.As(err, &ne) {
		return logging.Redact(ne.Message)
	}
	return logging.Redact(err.Error())
}
