// Package inbox keeps each channel's inbox in step with the network: it
// reads what is new since the stored cursors, stores each page with its
// cursors in one transaction (store.Inbox, which also runs the user's rules
// on each new item), notifies the user of new items (never of the backlog
// a first sync finds; not for a channel whose notifications are off unless
// a rule asks), and polls each channel at its own pace: fast while people
// are talking to it, slower while it is quiet.
package inbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"
	"unicode/utf8"

	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/notify"
	"herald/backend/ratebudget"
	"herald/backend/store"
)

// Reader is the network capability the sync reads with
// (network.InboxReader).
type Reader interface {
	ReadInbox(ctx context.Context, instance string, cred network.Credential, cursors network.InboxCursors) (network.InboxPage, error)
}

// Refresher checks stored items for edits and deletions
// (network.InboxRefresher).
type Refresher interface {
	RefreshInbox(ctx context.Context, instance string, cred network.Credential, remoteIDs []string) ([]network.InboxItem, error)
}

// Channels lists the channels to sync.
type Channels interface {
	List(ctx context.Context) ([]model.Channel, error)
	Get(ctx context.Context, id int64) (model.Channel, error)
}

// Credentials hands out valid credentials.
type Credentials interface {
	Fresh(ctx context.Context, ch model.Channel) (network.Credential, error)
	Renew(ctx context.Context, ch model.Channel, stale network.Credential) (network.Credential, error)
}

// Health decides what an auth error means for a channel; only it
// disconnects one.
type Health interface {
	ReportErrorAt(ctx context.Context, channelID, gen int64, err error) bool
}

// RateLimits is the channel's shared "wait until" mark (store.RateLimits):
// a 429 from the inbox makes publishing wait too, and the other way round.
type RateLimits interface {
	Park(ctx context.Context, id int64, until time.Time) error
}

// Polling pace. A channel with an item in the last hour is read every two
// minutes; each run that finds it quiet doubles its interval up to half an
// hour, and the first new item brings it back to two minutes. Two minutes
// keeps a busy Mastodon account at about 1 of its 300 requests per five
// minutes per stream; half an hour keeps fifty quiet channels cheap.
const (
	FastInterval   = 2 * time.Minute
	SlowInterval   = 30 * time.Minute
	ActiveWindow   = time.Hour
	MaxPagesPerRun = 10
	// RateLimitWait is how long a 429 without a reset time parks the
	// channel.
	RateLimitWait = 15 * time.Minute
	// Edits and deletions: every RefreshEvery, the items of the last
	// RefreshWindow (at most RefreshLimit) are checked again.
	RefreshEvery  = 30 * time.Minute
	RefreshWindow = 7 * 24 * time.Hour
	RefreshLimit  = 200
	// MaxText bounds an item's stored text; a longer body is cut (a 10 MB
	// message must not reach the list or the search index whole).
	MaxText = 20000
	// notifyEach: up to this many new items in one run are notified one by
	// one; more become one summary.
	notifyEach = 3
)

// Skip reasons, in the user's words.
const (
	SkipDisconnected = "The channel is disconnected; reconnect it and Herald reads its inbox again."
	SkipPaused       = "Paused: Herald is leaving the networks alone until you resume."
	// HeldForPublishing: Herald's own request budget kept the channel's
	// last requests for publishing; the next check is shown beside it.
	HeldForPublishing = "Herald is keeping this channel's remaining requests for publishing; the inbox is read at the next check."
)

// Deps are the sync's collaborators.
type Deps struct {
	Store       *store.Inbox
	Channels    Channels
	Credentials Credentials
	Health      Health
	RateLimits  RateLimits
	Networks    *network.Registry
	Notifier    notify.Notifier
	Emitter     events.Emitter
	// OnOpen answers a click on a notification's Open button: the item,
	// or 0 for the inbox (a summary). Nil: no button.
	OnOpen func(itemID int64)
	// Paused says whether the user paused Herald's work with the networks
	// ("Pause all publishing"); nil: never.
	Paused func() bool
	Now    func() time.Time
	Log    *slog.Logger
}

// Syncer syncs the inboxes. Runs never overlap: the scheduler's tick and a
// "sync now" take turns, so a channel's cursors are read and written by one
// run at a time.
type Syncer struct {
	d  Deps
	mu sync.Mutex
}

// New returns a Syncer.
func New(d Deps) *Syncer {
	if d.Notifier == nil {
		d.Notifier = notify.Discard{}
	}
	if d.Emitter == nil {
		d.Emitter = events.Discard{}
	}
	return &Syncer{d: d}
}

// Tick syncs every channel whose next run is due: the scheduler's job.
func (s *Syncer) Tick(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	chs, err := s.d.Channels.List(ctx)
	if err != nil {
		s.d.Log.Error("inbox sync: list channels", "err", err)
		return
	}
	states, err := s.d.Store.SyncStates(ctx)
	if err != nil {
		s.d.Log.Error("inbox sync: read sync states", "err", err)
		return
	}
	now := s.d.Now()
	for _, ch := range chs {
		if ctx.Err() != nil {
			return
		}
		if st, ok := states[ch.ID]; ok && st.NextRunAt != nil && st.NextRunAt.After(now) {
			continue
		}
		s.run(ctx, ch)
	}
}

// ErrNoInbox: the channel's network has no inbox Herald can read.
var ErrNoInbox = errors.New("this network's inbox cannot be read yet")

// SyncNow syncs one channel (or every channel, for 0) at once, whatever
// its next run time; a disconnected, paused or rate-limited channel is
// still skipped, with its reason recorded.
func (s *Syncer) SyncNow(ctx context.Context, channelID int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if channelID == 0 {
		chs, err := s.d.Channels.List(ctx)
		if err != nil {
			return fmt.Errorf("list channels: %w", err)
		}
		for _, ch := range chs {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			s.run(ctx, ch)
		}
		return nil
	}
	ch, err := s.d.Channels.Get(ctx, channelID)
	if err != nil {
		return err
	}
	if s.reader(ch) == nil {
		return ErrNoInbox
	}
	s.run(ctx, ch)
	return nil
}

// Readable says whether Herald can read the channel's inbox.
func (s *Syncer) Readable(ch model.Channel) bool { return s.reader(ch) != nil }

func (s *Syncer) reader(ch model.Channel) Reader {
	n, ok := s.d.Networks.Get(ch.Network)
	if !ok {
		return nil
	}
	r, _ := n.(Reader)
	return r
}

// outcome is what one run learned, for RecordRun.
type outcome struct {
	err         string
	next        time.Time // set by a rate limit
	unavailable []network.Limitation
	readAll     bool // the run reached the network: Unavailable is current
}

// run syncs one channel and records the run (or the skip).
func (s *Syncer) run(ctx context.Context, ch model.Channel) {
	r := s.reader(ch)
	if r == nil || ch.RemovedAt != nil {
		return
	}
	// Every request of the sync spends the channel's budget last: it stops
	// at the budget's reserve, which publishing and health checks keep.
	ctx = ratebudget.WithChannel(ctx, ch.ID, ratebudget.Ingest)
	now := s.d.Now()
	st, err := s.d.Store.SyncState(ctx, ch.ID)
	if err != nil {
		s.d.Log.Error("inbox sync: read sync state", "channel_id", ch.ID, "err", err)
		return
	}
	interval := time.Duration(st.IntervalSeconds) * time.Second
	if interval <= 0 {
		interval = FastInterval
	}
	if reason, until := s.skip(ch, now); reason != "" {
		next := now.Add(interval)
		if !until.IsZero() {
			next = until
		}
		s.record(ctx, ch.ID, store.Run{At: now, Next: next, Interval: interval, Skipped: reason})
		return
	}
	o := s.read(ctx, ch, r, st)
	if ctx.Err() != nil {
		// A stop: the stored pages are kept; the next start runs again.
		return
	}
	after, err := s.d.Store.SyncState(ctx, ch.ID)
	if err != nil {
		s.d.Log.Error("inbox sync: read sync state", "channel_id", ch.ID, "err", err)
		return
	}
	interval = nextInterval(interval, after.LastActivityAt, s.d.Now())
	run := store.Run{At: now, Next: s.d.Now().Add(interval), Interval: interval, Error: o.err}
	if !o.next.IsZero() {
		run.Next = o.next
	}
	if o.readAll {
		b, _ := json.Marshal(nonNil(o.unavailable))
		run.Unavailable = string(b)
	}
	s.record(ctx, ch.ID, run)
	s.d.Emitter.Emit(events.InboxChanged, ch.ID)
}

func nonNil(l []network.Limitation) []network.Limitation {
	if l == nil {
		return []network.Limitation{}
	}
	return l
}

func (s *Syncer) record(ctx context.Context, channelID int64, r store.Run) {
	if err := s.d.Store.RecordRun(ctx, channelID, r); err != nil {
		s.d.Log.Error("inbox sync: record run", "channel_id", channelID, "err", err)
	}
}

// skip says why a channel must not be read now, and until when when that
// is known.
func (s *Syncer) skip(ch model.Channel, now time.Time) (string, time.Time) {
	switch {
	case ch.Status == model.ChannelDisconnected:
		return SkipDisconnected, time.Time{}
	case s.d.Paused != nil && s.d.Paused():
		return SkipPaused, time.Time{}
	case ch.RateLimitedUntil != nil && ch.RateLimitedUntil.After(now):
		return rateLimitedReason(*ch.RateLimitedUntil), *ch.RateLimitedUntil
	}
	return "", time.Time{}
}

func rateLimitedReason(until time.Time) string {
	return fmt.Sprintf("Rate limited: the network asked Herald to wait until %s.", until.UTC().Format(time.RFC3339))
}

// nextInterval is the pace after a run: fast while the channel had an
// item within the active window, else twice the last interval, bounded.
func nextInterval(last time.Duration, activity *time.Time, now time.Time) time.Duration {
	if activity != nil && now.Sub(*activity) < ActiveWindow {
		return FastInterval
	}
	next := last * 2
	if next < FastInterval {
		next = FastInterval
	}
	if next > SlowInterval {
		next = SlowInterval
	}
	return next
}

// read reads and stores pages until the network has no more (bounded per
// run), then checks recent items for edits and deletions when due.
func (s *Syncer) read(ctx context.Context, ch model.Channel, r Reader, st model.InboxSync) outcome {
	var o outcome
	cred, err := s.d.Credentials.Fresh(ctx, ch)
	if err != nil {
		return s.failed(ctx, ch, cred, err)
	}
	cursors, err := s.d.Store.Cursors(ctx, ch.ID)
	if err != nil {
		s.d.Log.Error("inbox sync: read cursors", "channel_id", ch.ID, "err", err)
		return outcome{err: "Herald could not read where this channel's inbox stopped; it tries again on the next run."}
	}
	seen := map[string]network.Limitation{}
	for pages := 0; pages < MaxPagesPerRun; pages++ {
		page, err := r.ReadInbox(ctx, ch.Instance, cred, network.InboxCursors(cursors))
		if network.ClassOf(err) == network.ClassTokenExpired {
			if cred, err = s.d.Credentials.Renew(ctx, ch, cred); err == nil {
				page, err = r.ReadInbox(ctx, ch.Instance, cred, network.InboxCursors(cursors))
			}
		}
		if err != nil {
			failed := s.failed(ctx, ch, cred, err)
			failed.unavailable = sortedLimits(seen)
			return failed
		}
		o.readAll = true
		for _, l := range page.Unavailable {
			seen[string(l.Capability)+"\x00"+l.Text] = l
		}
		items := s.usable(ch, page)
		res, err := s.d.Store.StorePage(ctx, ch.ID, store.IngestPage{Items: items, Cursors: page.Cursors, Last: !page.More})
		if err != nil {
			s.d.Log.Error("inbox sync: store page", "channel_id", ch.ID, "err", err)
			o.err = "Herald could not store what it read from this channel; it reads it again on the next run."
			break
		}
		s.notifyNew(ctx, ch, res)
		for k, v := range page.Cursors {
			cursors[k] = v
		}
		if !page.More {
			break
		}
	}
	o.unavailable = sortedLimits(seen)
	if o.err == "" {
		if rerr := s.refresh(ctx, ch, cred, st); rerr != nil {
			refreshed := s.failed(ctx, ch, cred, rerr)
			o.err, o.next = refreshed.err, refreshed.next
		}
	}
	return o
}

func sortedLimits(m map[string]network.Limitation) []network.Limitation {
	out := make([]network.Limitation, 0, len(m))
	for _, l := range m {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Capability != out[j].Capability {
			return out[i].Capability < out[j].Capability
		}
		return out[i].Text < out[j].Text
	})
	return out
}

// usable converts a page's items, logging every entry Herald cannot hold
// (the network's problems and items without an id, a time or a known
// kind) with its reason; the rest of the page goes on.
func (s *Syncer) usable(ch model.Channel, page network.InboxPage) []store.Incoming {
	for _, p := range page.Problems {
		s.d.Log.Warn("inbox entry skipped", "channel_id", ch.ID, "network", ch.Network, "stream", p.Stream, "remote_id", p.RemoteID, "reason", p.Reason)
	}
	out := make([]store.Incoming, 0, len(page.Items))
	for _, it := range page.Items {
		in := incoming(it)
		if err := store.CheckIncoming(in); err != nil {
			s.d.Log.Warn("inbox entry skipped", "channel_id", ch.ID, "network", ch.Network, "remote_id", it.RemoteID, "reason", err.Error())
			continue
		}
		out = append(out, in)
	}
	return out
}

func incoming(it network.InboxItem) store.Incoming {
	return store.Incoming{
		RemoteID: it.RemoteID, Kind: model.InboxKind(it.Kind),
		AuthorRemoteID: it.Author.RemoteID, AuthorHandle: it.Author.Handle, AuthorName: it.Author.DisplayName,
		AuthorAvatarURL: it.Author.AvatarURL, AuthorProfileURL: it.Author.ProfileURL,
		Text: clip(it.Text, MaxText), Links: it.Links, URL: it.URL,
		ParentRemoteID: it.ParentID, RootRemoteID: it.RootID, ConversationID: it.ConversationID,
		Language: it.Language, CreatedAt: it.CreatedAt, EditedAt: it.EditedAt, Deleted: it.Deleted,
	}
}

// clip cuts s to at most n bytes on a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// refresh checks the recent items for edits and deletions, every
// RefreshEvery, when the network can.
func (s *Syncer) refresh(ctx context.Context, ch model.Channel, cred network.Credential, st model.InboxSync) error {
	n, _ := s.d.Networks.Get(ch.Network)
	rf, ok := n.(Refresher)
	now := s.d.Now()
	if !ok || (st.LastRefreshAt != nil && now.Sub(*st.LastRefreshAt) < RefreshEvery) {
		return nil
	}
	if st.LastRefreshAt == nil {
		// Never refreshed: what the channel holds was read just now, by
		// this first sync, so it is as current as a check would make it.
		// Checking it would cost a request per item on Mastodon (up to
		// RefreshLimit, far past the Ingest share of a budget's burst);
		// the first check comes RefreshEvery from now.
		if _, err := s.d.Store.StoreRefresh(ctx, ch.ID, nil); err != nil {
			s.d.Log.Error("inbox sync: store refresh", "channel_id", ch.ID, "err", err)
		}
		return nil
	}
	ids, err := s.d.Store.RecentRemoteIDs(ctx, ch.ID, now.Add(-RefreshWindow), RefreshLimit)
	if err != nil {
		s.d.Log.Error("inbox sync: list recent items", "channel_id", ch.ID, "err", err)
		return nil
	}
	var found []network.InboxItem
	if len(ids) > 0 {
		if found, err = rf.RefreshInbox(ctx, ch.Instance, cred, ids); err != nil {
			return err
		}
	}
	items := make([]store.Incoming, 0, len(found))
	for _, it := range found {
		items = append(items, incoming(it))
	}
	changed, err := s.d.Store.StoreRefresh(ctx, ch.ID, items)
	if err != nil {
		s.d.Log.Error("inbox sync: store refresh", "channel_id", ch.ID, "err", err)
		return nil
	}
	if changed > 0 {
		s.d.Log.Info("inbox items edited or deleted on the network", "channel_id", ch.ID, "changed", changed)
	}
	return nil
}

// failed classifies a read error: a rate limit parks the channel until
// its reset; an auth error goes to health, which alone may disconnect;
// anything else is recorded and tried again on the next run.
func (s *Syncer) failed(ctx context.Context, ch model.Channel, cred network.Credential, err error) outcome {
	class := network.ClassOf(err)
	msg := network.SafeMessage(err)
	s.d.Log.Warn("inbox sync failed", "channel_id", ch.ID, "network", ch.Network, "class", class, "err", err)
	switch class {
	case network.ClassRateLimited:
		until, ok := network.RetryAfter(err)
		if !ok || !until.After(s.d.Now()) {
			until = s.d.Now().Add(RateLimitWait)
		}
		if errors.Is(err, network.ErrNotSent) {
			// Herald's own budget held the request back to keep its reserve
			// for publishing: the network said nothing, so the channel is
			// not parked (publishing goes on); the inbox waits.
			return outcome{err: HeldForPublishing, next: until}
		}
		if perr := s.d.RateLimits.Park(ctx, ch.ID, until); perr != nil {
			s.d.Log.Error("inbox sync: park channel", "channel_id", ch.ID, "err", perr)
		}
		return outcome{err: rateLimitedReason(until), next: until}
	case network.ClassAuthDead, network.ClassScopeMissing, network.ClassAPIRetired:
		s.d.Health.ReportErrorAt(ctx, ch.ID, cred.Generation, err)
	}
	return outcome{err: msg}
}

// notifyNew raises a desktop notification for new items: one each for a
// few, one summary for more. Never for the backlog, whatever a rule says
// (it was there before Herald looked). A rule's "notify" is the user
// asking for exactly these items, so it notifies even when the channel's
// notifications are off; otherwise a muted channel stays quiet, and so
// does an item a rule marked done (it is dealt with and read).
func (s *Syncer) notifyNew(ctx context.Context, ch model.Channel, res store.Ingested) {
	var fresh []model.InboxItem
	for _, it := range res.New {
		switch {
		case it.Backlog:
		case res.Rules[it.ID].Notify:
			fresh = append(fresh, it)
		case ch.InboxMuted, it.Status != model.InboxOpen:
		default:
			fresh = append(fresh, it)
		}
	}
	if len(fresh) == 0 {
		return
	}
	name := ch.Label()
	if name == "" {
		name = ch.Network
	}
	var ns []notify.Notification
	if len(fresh) > notifyEach {
		ns = append(ns, s.withOpen(notify.Notification{Title: fmt.Sprintf("%d new items for %s", len(fresh), name),
			Body: "Open Herald's inbox to read them."}, 0))
	} else {
		for _, it := range fresh {
			who := it.AuthorName
			if who == "" {
				who = it.AuthorHandle
			}
			ns = append(ns, s.withOpen(notify.Notification{Title: fmt.Sprintf("New %s for %s", kindWord(it.Kind), name),
				Body: fmt.Sprintf("%s: %s", who, clip(it.Text, 200))}, it.ID))
		}
	}
	for _, n := range ns {
		if err := s.d.Notifier.Notify(ctx, n); err != nil {
			s.d.Log.Info("desktop notification not shown; the inbox count remains", "err", err)
		}
	}
}

// withOpen gives a notification an Open button leading to the item (0:
// the inbox), when the window can be opened.
func (s *Syncer) withOpen(n notify.Notification, itemID int64) notify.Notification {
	if s.d.OnOpen == nil {
		return n
	}
	n.Actions = []notify.Action{{ID: "open", Label: "Open"}}
	n.OnAction = func(string) { s.d.OnOpen(itemID) }
	return n
}

func kindWord(k model.InboxKind) string {
	switch k {
	case model.InboxMessage:
		return "message"
	case model.InboxReply:
		return "reply"
	case model.InboxQuote:
		return "quote"
	}
	return "mention"
}
