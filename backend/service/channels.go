package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/connect"
	"herald/backend/credentials"
	"herald/backend/events"
	"herald/backend/health"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
)

// HealthChecker runs one channel's liveness check.
type HealthChecker interface {
	Check(ctx context.Context, channelID int64) (health.Result, error)
}

// Unblocker reschedules the targets that waited for a channel to work
// again (store.Targets).
type Unblocker interface {
	Unblock(ctx context.Context, channelID int64, at time.Time) ([]int64, error)
}

// Waker makes the publishing engine look at the schedule now.
type Waker interface {
	Wake()
}

// ResumeWaiting returns what runs when a channel works again: after a
// reconnect (connect.Deps.Reauthorized) and after a health check finds a
// disconnected channel working (health.Deps.Resume). Its posts that waited
// for it are rescheduled for now and publishing is woken. Both paths use
// this one function, so a channel that comes back resumes the same way
// whichever noticed.
func ResumeWaiting(targets Unblocker, engine Waker, now func() time.Time, log *slog.Logger) func(ctx context.Context, channelID int64) {
	return func(ctx context.Context, channelID int64) {
		ids, err := targets.Unblock(ctx, channelID, now())
		if err != nil {
			log.Error("resume posts waiting for a reconnect", "channel_id", channelID, "err", err)
			return
		}
		if len(ids) > 0 {
			log.Info("posts waiting for a reconnect resume", "channel_id", channelID, "posts", len(ids))
			engine.Wake()
		}
	}
}

// Channels serves the channel list and the connect, refresh and remove
// flows.
type Channels struct {
	db       *gorm.DB
	channels *store.Channels
	teams    *store.Teams
	timeline *store.Health
	audit    *store.Audit
	networks *network.Registry
	connect  *connect.Service
	health   HealthChecker
	reminder func(ctx context.Context) int
	emitter  events.Emitter
	now      func() time.Time
}

// ChannelsDeps are the Channels service's collaborators.
type ChannelsDeps struct {
	DB           *gorm.DB
	Channels     *store.Channels
	Teams        *store.Teams
	Timeline     *store.Health
	Audit        *store.Audit
	Networks     *network.Registry
	Connect      *connect.Service
	Health       HealthChecker
	ReminderDays func(ctx context.Context) int
	Emitter      events.Emitter
	Now          func() time.Time
}

// NewChannels builds the service.
func NewChannels(d ChannelsDeps) *Channels {
	return &Channels{db: d.DB, channels: d.Channels, teams: d.Teams, timeline: d.Timeline, audit: d.Audit, networks: d.Networks,
		connect: d.Connect, health: d.Health, reminder: d.ReminderDays, emitter: d.Emitter, now: d.Now}
}

// LimitationView is an API limit the UI explains.
type LimitationView struct {
	Capability string `json:"capability"`
	Text       string `json:"text"`
}

// NetworkInfo is what the connect dialog needs to know about a network.
type NetworkInfo struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	Auth            string `json:"auth"`
	NeedsInstance   bool   `json:"needsInstance"`
	DefaultInstance string `json:"defaultInstance"`
	InstanceLabel   string `json:"instanceLabel"`
	IdentifierLabel string `json:"identifierLabel"`
	SecretLabel     string `json:"secretLabel"`
	// Format hints shown under the inputs: what to type, with an example.
	InstanceFormat   string           `json:"instanceFormat"`
	IdentifierFormat string           `json:"identifierFormat"`
	SecretFormat     string           `json:"secretFormat"`
	ConnectHelp      string           `json:"connectHelp"`
	NotListedHelp    string           `json:"notListedHelp"`
	Capabilities     []string         `json:"capabilities"`
	Limitations      []LimitationView `json:"limitations"`
}

// Networks lists the networks Herald can connect.
func (s *Channels) Networks() ([]NetworkInfo, error) {
	var out []NetworkInfo
	for _, n := range s.networks.All() {
		out = append(out, networkInfo(n.Descriptor()))
	}
	return out, nil
}

func networkInfo(d network.Descriptor) NetworkInfo {
	info := NetworkInfo{ID: d.ID, Name: d.Name, Auth: string(d.Auth), NeedsInstance: d.NeedsInstance, DefaultInstance: d.DefaultInstance,
		InstanceLabel: d.InstanceLabel, IdentifierLabel: d.IdentifierLabel, SecretLabel: d.SecretLabel,
		InstanceFormat: d.InstanceFormat, IdentifierFormat: d.IdentifierFormat, SecretFormat: d.SecretFormat, ConnectHelp: d.ConnectHelp,
		NotListedHelp: d.NotListedHelp, Capabilities: []string{}, Limitations: []LimitationView{}}
	for _, c := range d.Capabilities {
		info.Capabilities = append(info.Capabilities, string(c))
	}
	for _, l := range d.Limitations {
		info.Limitations = append(info.Limitations, LimitationView{Capability: string(l.Capability), Text: l.Text})
	}
	return info
}

// TeamRef names a team.
type TeamRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// ChannelView is one channel as the channel list shows it.
type ChannelView struct {
	ID               int64  `json:"id"`
	Network          string `json:"network"`
	NetworkName      string `json:"networkName"`
	Auth             string `json:"auth"`
	Instance         string `json:"instance"`
	RemoteID         string `json:"remoteId"`
	Kind             string `json:"kind"`
	Handle           string `json:"handle"`
	DisplayName      string `json:"displayName"`
	AvatarURL        string `json:"avatarUrl"`
	ProfileURL       string `json:"profileUrl"`
	Status           string `json:"status"`
	StatusReason     string `json:"statusReason"`
	StatusChangedAt  string `json:"statusChangedAt"`
	TokenExpiresAt   string `json:"tokenExpiresAt"`
	ConnectedAt      string `json:"connectedAt"`
	RefreshedAt      string `json:"refreshedAt"`
	LastAuthorizedAt string `json:"lastAuthorizedAt"`
	CheckedAt        string `json:"checkedAt"`
	LastCheckClass   string `json:"lastCheckClass"`
	LastCheckMessage string `json:"lastCheckMessage"`
	ReminderDue      bool   `json:"reminderDue"`
	ReminderReason   string `json:"reminderReason"`
	// SignInMissing: disconnected because this computer's keyring has no
	// credential for it (a restored or copied data folder), not because
	// the network refused it.
	SignInMissing bool      `json:"signInMissing"`
	Teams         []TeamRef `json:"teams"`
}

func (s *Channels) view(ctx context.Context, ch model.Channel, days int) ChannelView {
	v := ChannelView{ID: ch.ID, Network: ch.Network, NetworkName: ch.Network, Instance: ch.Instance, RemoteID: ch.RemoteID, Kind: ch.Kind,
		Handle: ch.Handle, DisplayName: ch.DisplayName, AvatarURL: ch.AvatarURL, ProfileURL: ch.ProfileURL, Status: string(ch.Status),
		StatusReason: ch.StatusReason, StatusChangedAt: stamp(ch.StatusChangedAt), TokenExpiresAt: stampPtr(ch.TokenExpiresAt),
		ConnectedAt: stamp(ch.ConnectedAt), RefreshedAt: stampPtr(ch.RefreshedAt), LastAuthorizedAt: stamp(ch.LastAuthorizedAt()),
		CheckedAt: stampPtr(ch.CheckedAt), LastCheckClass: ch.LastCheckClass, LastCheckMessage: ch.LastCheckMessage, Teams: []TeamRef{}}
	if n, ok := s.networks.Get(ch.Network); ok {
		d := n.Descriptor()
		v.NetworkName, v.Auth = d.Name, string(d.Auth)
	}
	if ch.Status != model.ChannelDisconnected {
		v.ReminderDue, v.ReminderReason = health.ReminderDue(ch, days, s.now())
	} else {
		v.SignInMissing = ch.StatusReason == credentials.MissingMessage
	}
	for _, t := range ch.Teams {
		v.Teams = append(v.Teams, TeamRef{ID: t.ID, Name: t.Name})
	}
	_ = ctx
	return v
}

// List returns the connected channels.
func (s *Channels) List() ([]ChannelView, error) {
	ctx := context.Background()
	chs, err := s.channels.List(ctx)
	if err != nil {
		return nil, err
	}
	days := s.reminder(ctx)
	out := make([]ChannelView, 0, len(chs))
	for _, ch := range chs {
		out = append(out, s.view(ctx, ch, days))
	}
	return out, nil
}

// StartConnect begins adding channels of an OAuth network: Herald opens
// the system browser and waits for the sign-in.
func (s *Channels) StartConnect(networkID, instance string) (connect.Snapshot, error) {
	return s.connect.StartOAuth(context.Background(), networkID, instance, 0)
}

// StartRefresh signs in again for a channel of an OAuth network and
// replaces its credential in place.
func (s *Channels) StartRefresh(channelID int64) (connect.Snapshot, error) {
	ch, err := s.get(channelID)
	if err != nil {
		return connect.Snapshot{}, err
	}
	return s.connect.StartOAuth(context.Background(), ch.Network, ch.Instance, ch.ID)
}

// LoginWithPassword signs in to an app-password network (Bluesky).
// refreshChannelID is the channel being refreshed, or 0.
func (s *Channels) LoginWithPassword(networkID, instance, identifier, password string, refreshChannelID int64) (connect.Snapshot, error) {
	return s.connect.LoginPassword(context.Background(), networkID, instance, identifier, password, refreshChannelID)
}

// ConnectSession returns a sign-in's progress.
func (s *Channels) ConnectSession(id string) (connect.Snapshot, error) { return s.connect.Get(id) }

// CancelConnect stops a sign-in in progress.
func (s *Channels) CancelConnect(id string) error { return s.connect.Cancel(id) }

// FinishConnect connects (or refreshes) the selected channels.
func (s *Channels) FinishConnect(id string, remoteIDs []string, teamIDs []int64) (connect.Result, error) {
	return s.connect.Finish(context.Background(), id, remoteIDs, teamIDs)
}

// CheckResult is the outcome of "Check now".
type CheckResult struct {
	OK      bool        `json:"ok"`
	Class   string      `json:"class"`
	Message string      `json:"message"`
	Channel ChannelView `json:"channel"`
}

// CheckNow runs the channel's liveness check at once.
func (s *Channels) CheckNow(channelID int64) (CheckResult, error) {
	ctx := context.Background()
	if _, err := s.get(channelID); err != nil {
		return CheckResult{}, err
	}
	res, err := s.health.Check(ctx, channelID)
	if err != nil {
		return CheckResult{}, err
	}
	ch, err := s.get(channelID)
	if err != nil {
		return CheckResult{}, err
	}
	s.emitter.Emit(events.ChannelsChanged, nil)
	return CheckResult{OK: res.OK, Class: string(res.Class), Message: res.Message, Channel: s.view(ctx, ch, s.reminder(ctx))}, nil
}

// Remove removes a channel: revoked where possible, keyring item deleted,
// published history kept unless deleteHistory.
func (s *Channels) Remove(channelID int64, deleteHistory bool) (connect.RemoveResult, error) {
	return s.connect.Remove(context.Background(), channelID, deleteHistory)
}

// SetTeams assigns a channel to teams.
func (s *Channels) SetTeams(channelID int64, teamIDs []int64) (ChannelView, error) {
	ctx := context.Background()
	ch, err := s.get(channelID)
	if err != nil {
		return ChannelView{}, err
	}
	err = store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		if err := s.channels.WithTx(tx).SetTeams(ctx, channelID, teamIDs); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return apperr.Invalid("teams", "A selected team no longer exists; choose the teams again.")
			}
			return err
		}
		updated, err := s.channels.WithTx(tx).Get(ctx, channelID)
		if err != nil {
			return err
		}
		details, _ := json.Marshal(map[string]any{"from": store.TeamNames(ch.Teams), "to": store.TeamNames(updated.Teams)})
		id := ch.ID
		return s.audit.AppendTx(ctx, tx, &model.AuditEntry{Actor: model.ActorUser, Event: "channel.teams_changed", ChannelID: &id,
			ChannelName: displayName(ch), Teams: store.TeamNames(updated.Teams),
			Summary: fmt.Sprintf("Teams of %s set to %s", displayName(ch), orNone(store.TeamNames(updated.Teams))), Details: string(details)})
	})
	if err != nil {
		return ChannelView{}, err
	}
	ch, err = s.get(channelID)
	if err != nil {
		return ChannelView{}, err
	}
	s.emitter.Emit(events.ChannelsChanged, nil)
	return s.view(ctx, ch, s.reminder(ctx)), nil
}

// HealthEventView is one line of a channel's health timeline.
type HealthEventView struct {
	ID      int64  `json:"id"`
	At      string `json:"at"`
	Kind    string `json:"kind"`
	Class   string `json:"class"`
	Message string `json:"message"`
}

// Timeline returns a channel's health timeline, newest first.
func (s *Channels) Timeline(channelID int64) ([]HealthEventView, error) {
	events, err := s.timeline.List(context.Background(), channelID, 200)
	if err != nil {
		return nil, err
	}
	out := make([]HealthEventView, 0, len(events))
	for _, e := range events {
		out = append(out, HealthEventView{ID: e.ID, At: stamp(e.At), Kind: string(e.Kind), Class: e.Class, Message: e.Message})
	}
	return out, nil
}

func (s *Channels) get(id int64) (model.Channel, error) {
	ch, err := s.channels.Get(context.Background(), id)
	if errors.Is(err, store.ErrNotFound) {
		return ch, apperr.NotFound("That channel no longer exists.")
	}
	return ch, err
}

func displayName(ch model.Channel) string {
	if ch.DisplayName != "" {
		return ch.DisplayName
	}
	return ch.Handle
}

func orNone(s string) string {
	if s == "" {
		return "no team"
	}
	return s
}
