// Package connect runs the "add channels" and "refresh connection" flows:
// sign in at the network (browser + loopback, or an app password), ask the
// network which channels this login can see, sort them into new, already
// in Herald and not connectable, and on Finish create or refresh channels.
// A channel row and its keyring item are written together or not at all.
package connect

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"gorm.io/gorm"

	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/oauth"
	"herald/backend/store"
)

// SessionTTL is how long a finished sign-in waits for the user to Finish.
const SessionTTL = 15 * time.Minute

// Stage is where a connect session stands.
type Stage string

const (
	StageStarting  Stage = "starting"
	StageBrowser   Stage = "waiting_for_browser"
	StageExchange  Stage = "exchanging"
	StageListing   Stage = "listing"
	StageReady     Stage = "ready"
	StageFailed    Stage = "failed"
	StageCancelled Stage = "cancelled"
	StageFinished  Stage = "finished"
)

// Credentials saves and removes channel credentials in the keyring.
type Credentials interface {
	Save(ctx context.Context, channelID int64, c network.Credential) error
	Load(ctx context.Context, channelID int64) (network.Credential, error)
	Delete(ctx context.Context, channelID int64) error
}

// Listener opens a loopback listener (oauth.Listen in production).
type Listener func(ctx context.Context, o oauth.Options) (*oauth.Loopback, error)

// Deps are the Service's collaborators.
type Deps struct {
	DB          *gorm.DB
	Channels    *store.Channels
	Health      *store.Health
	Audit       *store.Audit
	Credentials Credentials
	Networks    *network.Registry
	Opener      oauth.Opener
	Listen      Listener
	Emitter     events.Emitter
	Now         func() time.Time
	Log         *slog.Logger
	// AuthTimeout bounds the wait for the browser (oauth.DefaultTimeout).
	AuthTimeout time.Duration
	// Reauthorized runs after a channel got a fresh credential (refresh,
	// reconnect, restore): posts waiting for it can go out.
	Reauthorized func(ctx context.Context, channelID int64)
}

// Service runs connect sessions. Close stops every flow in progress.
type Service struct {
	d Deps

	bg     context.Context
	stopBg context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	sessions map[string]*session
}

// New returns a Service.
func New(d Deps) *Service {
	if d.Listen == nil {
		d.Listen = oauth.Listen
	}
	if d.AuthTimeout == 0 {
		d.AuthTimeout = oauth.DefaultTimeout
	}
	bg, stop := context.WithCancel(context.Background())
	return &Service{d: d, bg: bg, stopBg: stop, sessions: map[string]*session{}}
}

// Close cancels every flow in progress and waits for them.
func (s *Service) Close() {
	s.stopBg()
	s.wg.Wait()
}

type candidate struct {
	account  network.Account
	existing *model.Channel
}

type session struct {
	id       string
	network  network.Network
	instance string
	// typed is the server as the person typed it (or as stored, when
	// refreshing a channel), "" for the network's default: errors quote it.
	typed     string
	refreshID int64
	stage     Stage
	err       error
	authURL   string
	browserOK bool
	found     []candidate
	cancel    context.CancelFunc
	updated   time.Time
}

func newID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Service) network(id string) (network.Network, error) {
	n, ok := s.d.Networks.Get(id)
	if !ok {
		return nil, &FlowError{Code: CodeInvalid, Message: fmt.Sprintf("Herald does not support the network %q.", id)}
	}
	return n, nil
}

// refreshTarget loads the channel a refresh flow is for.
func (s *Service) refreshTarget(ctx context.Context, id int64, networkID string) (*model.Channel, error) {
	if id == 0 {
		return nil, nil
	}
	ch, err := s.d.Channels.Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &FlowError{Code: CodeNotFound, Message: "That channel no longer exists."}
	}
	if err != nil {
		return nil, err
	}
	if ch.Network != networkID {
		return nil, &FlowError{Code: CodeInvalid, Message: fmt.Sprintf("That channel is on %s, not %s.", ch.Network, networkID)}
	}
	return &ch, nil
}

// StartOAuth begins a browser sign-in and returns at once; progress
// arrives as events.OAuthProgress and through Get. refreshID is the
// channel being refreshed, or 0 to add channels.
func (s *Service) StartOAuth(ctx context.Context, networkID, instance string, refreshID int64) (Snapshot, error) {
	n, err := s.network(networkID)
	if err != nil {
		return Snapshot{}, err
	}
	oc, ok := n.(network.OAuthConnector)
	if !ok {
		return Snapshot{}, &FlowError{Code: CodeInvalid, Message: n.Descriptor().Name + " does not sign in through the browser."}
	}
	target, err := s.refreshTarget(ctx, refreshID, networkID)
	if err != nil {
		return Snapshot{}, err
	}
	if target != nil && instance == "" {
		instance = target.Instance
	}
	if instance == "" && n.Descriptor().NeedsInstance {
		return Snapshot{}, &FlowError{Code: CodeInvalid, Field: "instance", Message: "Type the address of your " + n.Descriptor().Name + " server, like mastodon.social."}
	}
	s.gc()
	flowCtx, cancel := context.WithCancel(s.bg)
	sess := &session{id: newID(), network: n, instance: instance, typed: instance, refreshID: refreshID, stage: StageStarting, cancel: cancel, updated: s.d.Now()}
	s.mu.Lock()
	s.sessions[sess.id] = sess
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer cancel()
		s.runOAuth(flowCtx, sess, oc, target)
	}()
	return s.snapshot(sess), nil
}

func (s *Service) runOAuth(ctx context.Context, sess *session, oc network.OAuthConnector, target *model.Channel) {
	defer func() {
		if r := recover(); r != nil {
			s.d.Log.Error("connect flow panicked", "panic", fmt.Sprint(r))
			s.fail(sess, fmt.Errorf("internal error: %v", r))
		}
	}()
	l, err := s.d.Listen(ctx, oauth.Options{Timeout: s.d.AuthTimeout, Log: s.d.Log})
	if err != nil {
		s.fail(sess, err)
		return
	}
	defer func() { _ = l.Close() }()
	req, err := oc.BeginAuth(ctx, sess.instance, l.RedirectURI(), l.State(), l.Challenge())
	if err != nil {
		s.fail(sess, err)
		return
	}
	browserErr := s.d.Opener.Open(ctx, req.AuthURL)
	if browserErr != nil {
		s.d.Log.Warn("could not open the browser; the link is shown in Herald", "err", browserErr)
	}
	s.update(sess, func() { sess.stage, sess.authURL, sess.browserOK = StageBrowser, req.AuthURL, browserErr == nil })
	res, err := l.Wait(ctx)
	if err != nil {
		s.fail(sess, err)
		return
	}
	s.update(sess, func() { sess.stage = StageExchange })
	cred, err := oc.Exchange(ctx, sess.instance, req, res.Code, l.Verifier(), l.RedirectURI())
	if err != nil {
		s.fail(sess, err)
		return
	}
	s.list(ctx, sess, cred, target)
}

// LoginPassword signs in with an identifier and an app password and lists
// the channels; it returns when the session is ready or failed.
func (s *Service) LoginPassword(ctx context.Context, networkID, instance, identifier, password string, refreshID int64) (Snapshot, error) {
	n, err := s.network(networkID)
	if err != nil {
		return Snapshot{}, err
	}
	pc, ok := n.(network.PasswordConnector)
	if !ok {
		return Snapshot{}, &FlowError{Code: CodeInvalid, Message: n.Descriptor().Name + " does not sign in with an app password."}
	}
	d := n.Descriptor()
	if identifier == "" {
		return Snapshot{}, &FlowError{Code: CodeInvalid, Field: "identifier", Message: "Type your " + lower(d.IdentifierLabel) + "."}
	}
	if password == "" {
		return Snapshot{}, &FlowError{Code: CodeInvalid, Field: "password", Message: "Type your " + lower(d.SecretLabel) + "."}
	}
	target, err := s.refreshTarget(ctx, refreshID, networkID)
	if err != nil {
		return Snapshot{}, err
	}
	typed := instance
	if instance == "" {
		instance = d.DefaultInstance
		if target != nil {
			instance, typed = target.Instance, target.Instance
		}
	}
	s.gc()
	sess := &session{id: newID(), network: n, instance: instance, typed: typed, refreshID: refreshID, stage: StageExchange, cancel: func() {}, updated: s.d.Now()}
	s.mu.Lock()
	s.sessions[sess.id] = sess
	s.mu.Unlock()
	cred, err := pc.Login(ctx, instance, identifier, password)
	if err != nil {
		s.fail(sess, err)
		return s.snapshot(sess), nil
	}
	s.list(ctx, sess, cred, target)
	return s.snapshot(sess), nil
}

// list asks the network which channels the login can see and sorts them.
func (s *Service) list(ctx context.Context, sess *session, cred network.Credential, target *model.Channel) {
	s.update(sess, func() { sess.stage = StageListing })
	lister, ok := sess.network.(network.AccountLister)
	if !ok {
		s.fail(sess, errors.New("this network cannot list channels"))
		return
	}
	accounts, err := lister.Accounts(ctx, sess.instance, cred)
	if err != nil {
		s.fail(sess, err)
		return
	}
	d := sess.network.Descriptor()
	found := make([]candidate, 0, len(accounts))
	for _, a := range accounts {
		c := candidate{account: a}
		if a.Connectable {
			existing, err := s.findExisting(ctx, d, a)
			if err != nil {
				s.fail(sess, err)
				return
			}
			c.existing = existing
		}
		found = append(found, c)
	}
	if target != nil && !containsConnectable(found, target.RemoteID) {
		s.fail(sess, &FlowError{Code: CodeConflict, Message: fmt.Sprintf("You signed in as %s, but this channel is %s. Nothing was changed.", signedInAs(found), target.Handle),
			Hint: fmt.Sprintf("Sign out at %s (or use a private window), then refresh again and sign in as %s.", d.Name, target.Handle)})
		return
	}
	s.update(sess, func() { sess.stage, sess.found = StageReady, found })
}

func (s *Service) findExisting(ctx context.Context, d network.Descriptor, a network.Account) (*model.Channel, error) {
	if d.GlobalIDs {
		return s.d.Channels.FindByRemoteAnyInstance(ctx, d.ID, a.RemoteID)
	}
	return s.d.Channels.FindByRemote(ctx, d.ID, a.Instance, a.RemoteID)
}

func containsConnectable(found []candidate, remoteID string) bool {
	for _, c := range found {
		if c.account.Connectable && c.account.RemoteID == remoteID {
			return true
		}
	}
	return false
}

func signedInAs(found []candidate) string {
	for _, c := range found {
		if c.account.Connectable {
			return c.account.Handle
		}
	}
	return "another account"
}

// Get returns a session's current state.
func (s *Service) Get(id string) (Snapshot, error) {
	s.mu.Lock()
	sess, ok := s.sessions[id]
	s.mu.Unlock()
	if !ok {
		return Snapshot{}, errSessionGone
	}
	return s.snapshot(sess), nil
}

// Cancel stops a sign-in in progress (the listener closes at once).
func (s *Service) Cancel(id string) error {
	s.mu.Lock()
	sess, ok := s.sessions[id]
	s.mu.Unlock()
	if !ok {
		return nil
	}
	sess.cancel()
	s.update(sess, func() {
		if sess.stage != StageFinished && sess.stage != StageFailed {
			sess.stage, sess.err = StageCancelled, nil
		}
	})
	return nil
}

func (s *Service) fail(sess *session, err error) {
	stage := StageFailed
	if errors.Is(err, context.Canceled) {
		stage, err = StageCancelled, nil
	}
	s.d.Log.Info("connect flow ended without channels", "network", sess.network.Descriptor().ID, "stage", stage, "err", err, "cause", cause(err))
	s.update(sess, func() {
		if sess.stage != StageCancelled {
			sess.stage, sess.err = stage, err
		}
	})
}

func (s *Service) update(sess *session, fn func()) {
	s.mu.Lock()
	fn()
	sess.updated = s.d.Now()
	s.mu.Unlock()
	s.d.Emitter.Emit(events.OAuthProgress, s.snapshot(sess))
}

// gc forgets sessions idle for longer than SessionTTL; their credentials
// were never saved, so nothing is left behind.
func (s *Service) gc() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, sess := range s.sessions {
		if s.d.Now().Sub(sess.updated) > SessionTTL && sess.stage != StageBrowser && sess.stage != StageStarting {
			sess.cancel()
			delete(s.sessions, id)
		}
	}
}

// cause is the raw detail under a network error (the request URL, the
// host as resolved), which the message shown to the person leaves out.
func cause(err error) string {
	var ne *network.Error
	if errors.As(err, &ne) && ne.Err != nil {
		return ne.Err.Error()
	}
	return ""
}

func lower(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}
