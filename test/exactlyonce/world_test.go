package exactlyonce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/db"
	"herald/backend/events"
	"herald/backend/health"
	"herald/backend/media"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/notify"
	"herald/backend/publish"
	"herald/backend/service"
	"herald/backend/store"
)

// t0 is the fake clock's start: a Monday morning.
var t0 = time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)

// tb is what the world needs of *testing.T and *rapid.T.
type tb interface {
	Helper()
	Logf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// creds is the keyring double: every channel has a working credential that
// names it, so the fake server knows which channel a request is for.
// creds hands out a channel's token with its current credential
// generation, as the keyring-backed manager does.
type creds struct{ chs *store.Channels }

func (c creds) Fresh(ctx context.Context, ch model.Channel) (network.Credential, error) {
	gen, err := c.chs.CredentialGeneration(ctx, ch.ID)
	if err != nil {
		return network.Credential{}, err
	}
	return network.Credential{Kind: "test", AccessToken: "tok-" + strconv.FormatInt(ch.ID, 10), Extra: map[string]string{"channel": strconv.FormatInt(ch.ID, 10)},
		Generation: gen}, nil
}

func (c creds) Renew(ctx context.Context, ch model.Channel, _ network.Credential) (network.Credential, error) {
	return c.Fresh(ctx, ch)
}

func (creds) Unsaved(int64) error                                   { return nil }
func (creds) WatchSaves(func(ctx context.Context, channelID int64)) {}

// logBuf keeps the engine's warnings and errors; the harness prints them
// from its own goroutine after each action.
type logBuf struct {
	mu    sync.Mutex
	lines []string
}

func (b *logBuf) Enabled(context.Context, slog.Level) bool { return true }
func (b *logBuf) Handle(_ context.Context, r slog.Record) error {
	if r.Level < slog.LevelWarn {
		return nil
	}
	var sb strings.Builder
	sb.WriteString("engine " + r.Level.String() + ": " + r.Message)
	r.Attrs(func(a slog.Attr) bool {
		sb.WriteString(" " + a.Key + "=" + a.Value.String())
		return true
	})
	b.mu.Lock()
	b.lines = append(b.lines, sb.String())
	b.mu.Unlock()
	return nil
}
func (b *logBuf) WithAttrs([]slog.Attr) slog.Handler { return b }
func (b *logBuf) WithGroup(string) slog.Handler      { return b }
func (b *logBuf) drain() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.lines
	b.lines = nil
	return out
}

// deletedTarget is what Herald showed of a target when its post was deleted.
type deletedTarget struct {
	ID      int64
	Post    int64
	Channel int64
	Key     string
	Status  string
	Items   []string
}

// world is one Herald process (engine, services, database handle) over a
// database file that outlives it, a fake network and a fake clock.
type world struct {
	t     tb
	dir   string
	path  string
	clock *clockwork.FakeClock
	net   *fakeNet
	log   *logBuf

	// One process generation; replaced by restart.
	g          *gorm.DB
	ctx        context.Context
	cancel     context.CancelFunc
	engine     *publish.Engine
	posts      *service.Posts
	inbox      *service.Inbox
	publishing *service.Publishing
	channels   *store.Channels
	targets    *store.Targets
	restarts   int
	// inJob: a sequential job (hand-off, hand-off check) is running; a kill
	// during it makes every later write of this process fail (dead), as a
	// real kill would. In a tick, channels run concurrently, so a kill
	// freezes only the killed channel's claims: what the other channels do
	// around it would otherwise depend on goroutine timing, and the model
	// must replay exactly.
	inJob bool
	dead  atomic.Bool

	channelIDs []int64
	postIDs    []int64 // every post created, in order (deleted ones too)
	deleted    map[int64]bool
	gone       []deletedTarget
	shown      map[int64]string // per post, the rows it was last shown correctly from
	items      []int64          // inbox items a reply can answer
	// replyKeys: the post each reply key made; the same key again must
	// return that post, never make another.
	replyKeys map[string]int64
	replySeq  int
	// stepProblems are violations an action saw while it ran (a missed
	// window published anyway); problems reports and clears them.
	stepProblems []string
}

// reused: a new post got id (SQLite hands a deleted post's id on). The
// deleted post's reply key is forgotten: the window never sends the key of
// a discarded reply again.
func (w *world) reused(id int64) {
	delete(w.deleted, id)
	for k, post := range w.replyKeys {
		if post == id {
			delete(w.replyKeys, k)
		}
	}
}

// policy is Herald's shipped policy, with an attempt timeout no slow CI
// machine can reach (the fake network never blocks).
func policy() publish.Policy {
	p := publish.DefaultPolicy()
	p.AttemptTimeout = 24 * time.Hour
	return p
}

// template is a migrated database file with the channels and queue times
// every run starts from, made once per test binary (opening and migrating
// a fresh file costs more than a whole run).
var template struct {
	sync.Once
	data []byte
	err  error
}

// newWorld starts Herald on a copy of the template database.
func newWorld(t tb, dir string, nChannels int) *world {
	t.Helper()
	template.Do(func() {
		tdir, err := os.MkdirTemp("", "herald-template")
		if err != nil {
			template.err = err
			return
		}
		defer os.RemoveAll(tdir)
		w := buildWorld(t, tdir, nChannels)
		w.close()
		template.data, template.err = os.ReadFile(w.path)
	})
	if template.err != nil {
		t.Fatalf("template database: %v", template.err)
	}
	clock := clockwork.NewFakeClockAt(t0)
	w := &world{t: t, dir: dir, path: filepath.Join(dir, "herald.db"), clock: clock, net: newFakeNet(clock.Now), log: &logBuf{}, deleted: map[int64]bool{}, shown: map[int64]string{}}
	w.net.onKill = w.freeze
	if err := os.WriteFile(w.path, template.data, 0o600); err != nil {
		t.Fatalf("copy template: %v", err)
	}
	w.open()
	if err := w.g.Raw(`SELECT id FROM channels ORDER BY id`).Scan(&w.channelIDs).Error; err != nil || len(w.channelIDs) != nChannels {
		t.Fatalf("template channels: %v %v", w.channelIDs, err)
	}
	if err := w.g.Raw(`SELECT id FROM inbox_items ORDER BY id`).Scan(&w.items).Error; err != nil || len(w.items) != 2*nChannels {
		t.Fatalf("template inbox items: %v %v", w.items, err)
	}
	w.replyKeys = map[string]int64{}
	return w
}

func buildWorld(t tb, dir string, nChannels int) *world {
	t.Helper()
	clock := clockwork.NewFakeClockAt(t0)
	w := &world{t: t, dir: dir, path: filepath.Join(dir, "herald.db"), clock: clock, net: newFakeNet(clock.Now), log: &logBuf{}, deleted: map[int64]bool{}, shown: map[int64]string{}}
	w.open()
	for i := 1; i <= nChannels; i++ {
		ch := model.Channel{Network: netID, Instance: "https://fakenet.example", RemoteID: strconv.Itoa(i), Handle: fmt.Sprintf("shop%d", i), DisplayName: fmt.Sprintf("Shop %d", i)}
		if err := w.channels.Create(context.Background(), &ch); err != nil {
			t.Fatalf("create channel: %v", err)
		}
		w.channelIDs = append(w.channelIDs, ch.ID)
		slots := []service.SlotView{}
		for d := 0; d < 7; d++ {
			slots = append(slots, service.SlotView{Weekday: d, Time: "09:00"}, service.SlotView{Weekday: d, Time: "17:00"})
		}
		if _, err := w.publishing.SetQueueSlots(service.QueueTimes{ChannelID: ch.ID, TimeZone: "UTC", Slots: slots}); err != nil {
			t.Fatalf("queue slots: %v", err)
		}
		// Two comments to answer: replies are posts like any other.
		items := store.NewInbox(w.g, w.clock.Now)
		if _, err := items.StorePage(context.Background(), ch.ID, store.IngestPage{Last: true}); err != nil {
			t.Fatalf("inbox backlog: %v", err)
		}
		var in []store.Incoming
		for j := 1; j <= 2; j++ {
			in = append(in, store.Incoming{RemoteID: fmt.Sprintf("comment-%d-%d", i, j), Kind: model.InboxReply, AuthorRemoteID: "99",
				AuthorHandle: "@ana@else.example", Text: "A question", ParentRemoteID: "root", RootRemoteID: "root", CreatedAt: t0})
		}
		if _, err := items.StorePage(context.Background(), ch.ID, store.IngestPage{Items: in}); err != nil {
			t.Fatalf("inbox items: %v", err)
		}
	}
	return w
}

// open starts a process generation on the database file, as Herald does at
// start-up: open and migrate, recover in-flight targets, load the pause
// switch.
func (w *world) open() {
	w.t.Helper()
	g, _, err := db.Open(context.Background(), db.Options{Path: w.path, BackupDir: filepath.Join(w.dir, "backups"), Now: w.clock.Now,
		Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		w.t.Fatalf("open database: %v", err)
	}
	w.g = g
	w.dead.Store(false)
	refuse := func(tx *gorm.DB) {
		if w.dead.Load() {
			_ = tx.AddError(errors.New("herald's process is gone"))
		}
	}
	for _, err := range []error{
		g.Callback().Create().Before("gorm:create").Register("test:dead_create", refuse),
		g.Callback().Update().Before("gorm:update").Register("test:dead_update", refuse),
		g.Callback().Delete().Before("gorm:delete").Register("test:dead_delete", refuse),
		g.Callback().Raw().Before("gorm:raw").Register("test:dead_raw", refuse),
	} {
		if err != nil {
			w.t.Fatalf("register the dead-process guard: %v", err)
		}
	}
	w.ctx, w.cancel = context.WithCancel(context.Background())
	now := w.clock.Now
	reg := network.NewRegistry(w.net)
	w.channels = store.NewChannels(g, now)
	w.targets = store.NewTargets(g, now)
	log := slog.New(w.log)
	monitor := health.New(health.Deps{Channels: w.channels, Timeline: store.NewHealth(g, now), Audit: store.NewAudit(g, now), Credentials: creds{w.channels},
		Networks: reg, Notifier: notify.Discard{}, Emitter: events.Discard{}, ReminderDays: func(context.Context) int { return 0 }, Now: now, Log: log})
	w.engine = publish.New(publish.Deps{DB: g, Channels: w.channels, Credentials: creds{w.channels}, Networks: reg, Health: monitor,
		Notifier: notify.Discard{}, Emitter: events.Discard{}, Clock: w.clock, Log: log, MediaDir: filepath.Join(w.dir, "media"), Policy: policy()})
	if err := w.engine.Recover(w.ctx); err != nil {
		w.t.Fatalf("recover: %v", err)
	}
	w.engine.SetPaused(service.LoadPaused(w.ctx, g, now))
	w.posts = service.NewPosts(service.PostsDeps{DB: g, Networks: reg, Engine: w.engine, Media: media.NewLibrary(filepath.Join(w.dir, "media")),
		Emitter: events.Discard{}, Now: now})
	w.publishing = service.NewPublishing(g, w.engine, events.Discard{}, now)
	w.inbox = service.NewInbox(service.InboxDeps{DB: g, Inbox: store.NewInbox(g, now), Channels: w.channels, Audit: store.NewAudit(g, now),
		Networks: reg, Emitter: events.Discard{}, Replies: w.posts})
}

// close ends the process generation. Nothing of it runs any more: Tick is
// synchronous and Run is never started.
func (w *world) close() {
	w.cancel()
	_ = db.Close(w.g)
}

// restart is a kill and a new start on the same file.
func (w *world) restart() {
	w.close()
	w.net.restarted()
	w.restarts++
	w.open()
}

// freeze runs inside the killed request: the process is gone, so its
// in-flight targets stay exactly as they are in the file (claimed, with
// whatever remote ids were recorded). Taking the claim away makes every
// later write of the dead engine for them miss, as it would after a real
// kill; RecoverClaimed at the next start resets the claim anyway.
func (w *world) freeze(channelID int64) {
	err := w.g.Exec(`UPDATE post_targets SET claim_token = 'dead-process', version = version + 1 WHERE channel_id = ? AND status = 'claimed'`, channelID).Error
	if w.inJob {
		w.dead.Store(true)
	}
	if err != nil {
		w.log.mu.Lock()
		w.log.lines = append(w.log.lines, "harness: freeze failed: "+err.Error())
		w.log.mu.Unlock()
	}
}

// tick runs one engine tick; a kill during it restarts Herald afterwards.
func (w *world) tick() {
	w.engine.Tick(w.ctx)
	w.reap("the tick")
}

// reap restarts Herald if a kill fault fired during what just ran.
func (w *world) reap(during string) {
	w.flushLogs()
	if w.net.wasKilled() {
		w.t.Logf("  process killed during %s; restarting Herald on the same file", during)
		w.restart()
	}
}

// handOff runs the hand-off job (app.go runs it every minute).
func (w *world) handOff() {
	w.inJob = true
	w.engine.HandOff(w.ctx)
	w.inJob = false
	w.reap("the hand-off job")
}

// checkHandoffs runs the hand-off check job (every two minutes in app.go).
func (w *world) checkHandoffs() {
	w.inJob = true
	w.engine.CheckHandoffs(w.ctx)
	w.inJob = false
	w.reap("the hand-off check")
}

// advance moves the fake clock (back too, for d < 0); the network's
// scheduler publishes whatever has come due.
func (w *world) advance(d time.Duration) {
	w.clock.Advance(d)
	w.net.fire()
}

func (w *world) flushLogs() {
	for _, l := range w.net.drainLog() {
		w.t.Logf("  %s", l)
	}
	for _, l := range w.log.drain() {
		w.t.Logf("  %s", l)
	}
}

func (w *world) since() string {
	d := w.clock.Now().Sub(t0)
	return fmt.Sprintf("t0%+v", d)
}

// refused says whether err is the service refusing an action the UI may
// offer in a stale state (a conflict or an invalid time): logged, and the
// model moves on.
// A handed-off post that could not be taken back from the network's
// scheduler (a fault, a 429, a pending hand-off) is refused as unavailable.
func refused(err error) bool {
	var ae *apperr.Error
	return errors.As(err, &ae) && (ae.Code == apperr.CodeConflict || ae.Code == apperr.CodeInvalid || ae.Code == apperr.CodeNotFound ||
		ae.Code == service.CodeOutcomeUnknown || ae.Code == apperr.CodeUnavailable)
}

// targetRow is a target as stored.
type targetRow struct {
	ID             int64
	PostID         int64
	ChannelID      int64
	Status         string
	ItemIDs        string
	RemoteID       string
	Reconcile      bool
	ErrorClass     string
	ErrorMessage   string
	IdempotencyKey string
	Thread         string
	FirstComment   string
	AttemptCount   int
	HandoffID      string
	DueAt          *time.Time
}

func (r targetRow) items() []string {
	var ids []string
	_ = json.Unmarshal([]byte(orDefault(r.ItemIDs, "[]")), &ids)
	if len(ids) == 0 && r.RemoteID != "" {
		ids = []string{r.RemoteID}
	}
	return ids
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func (w *world) rows() []targetRow {
	var rows []targetRow
	if err := w.g.Raw(`SELECT id, post_id, channel_id, status, item_ids, remote_id, reconcile, error_class, error_message, idempotency_key, thread, first_comment, attempt_count,
		handoff_id, due_at
		FROM post_targets ORDER BY id`).Scan(&rows).Error; err != nil {
		w.t.Fatalf("read targets: %v", err)
	}
	return rows
}

func (w *world) livePosts() []int64 {
	var out []int64
	for _, id := range w.postIDs {
		if !w.deleted[id] {
			out = append(out, id)
		}
	}
	return out
}

// describe is one line per live target, for the log.
func (w *world) describe() string {
	var b strings.Builder
	for _, r := range w.rows() {
		due := "-"
		if r.DueAt != nil {
			due = "t0+" + r.DueAt.Sub(t0).String()
		}
		fmt.Fprintf(&b, "    target %d (post %d, ch%d): %s due=%s tries=%d items=%v reconcile=%v handoff=%q class=%q msg=%q\n", r.ID, r.PostID, r.ChannelID, r.Status,
			due, r.AttemptCount, r.items(), r.Reconcile, r.HandoffID, r.ErrorClass, clip(r.ErrorMessage, 90))
	}
	sched := w.net.scheduled()
	for _, ch := range w.channelIDs {
		for _, sc := range sched[ch] {
			fmt.Fprintf(&b, "    at the network's scheduler of ch%d: %s due t0+%s (%s)\n", ch, sc.ID, sc.At.Sub(t0), w.whose(sc.Key, nil))
		}
	}
	return b.String()
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// problems checks every invariant that must hold between any two steps.
func (w *world) problems() []string {
	var out []string
	rows := w.rows()
	server := w.net.snapshot()
	chIDs := make([]int64, 0, len(server))
	for id := range server {
		chIDs = append(chIDs, id)
	}
	sort.Slice(chIDs, func(i, j int) bool { return chIDs[i] < chIDs[j] })

	// Items on the server, by channel and key.
	type slot struct {
		ch  int64
		key string
	}
	byKey := map[slot][]remoteItem{}
	for _, ch := range chIDs {
		for _, it := range server[ch] {
			byKey[slot{ch, it.Key}] = append(byKey[slot{ch, it.Key}], it)
		}
	}
	// A duplicate is two copies of one item alive at once, whoever made
	// them (Herald publishing, the network's scheduler firing a hand-off).
	// A copy the user deleted on the network before the next one was made
	// does not count: after a lost answer, a reconciliation that finds
	// nothing (because the user deleted the post) rightly publishes again.
	userGone := map[string]bool{}
	history := w.net.history()
	for _, ch := range chIDs {
		byItem := map[string][]remoteItem{}
		var order []string
		for _, it := range history[ch] {
			k := fmt.Sprintf("%s#%d", it.Key, it.Index)
			if len(byItem[k]) == 0 {
				order = append(order, k)
			}
			byItem[k] = append(byItem[k], it)
			if it.GoneSeq != 0 {
				userGone[it.ID] = true
			}
		}
		for _, k := range order {
			its := byItem[k]
			for i := 0; i < len(its); i++ {
				for j := i + 1; j < len(its); j++ {
					a, b := its[i], its[j] // a.Seq < b.Seq
					if a.GoneSeq == 0 || a.GoneSeq > b.Seq {
						out = append(out, fmt.Sprintf("DUPLICATE: channel %d held item %d of one target twice at once (%s at %s%s and %s at %s%s) [%s]",
							ch, a.Index, a.ID, a.At.Sub(t0), firedNote(a), b.ID, b.At.Sub(t0), firedNote(b), w.whose(a.Key, rows)))
					}
				}
			}
		}
	}
	known := map[slot]bool{}
	for _, r := range rows {
		s := slot{r.ChannelID, r.IdempotencyKey}
		known[s] = true
		on := byKey[s]
		recorded := map[string]bool{}
		for _, id := range r.items() {
			recorded[id] = true
		}
		var unrecorded []string
		for _, it := range on {
			if !recorded[it.ID] {
				unrecorded = append(unrecorded, it.ID)
			}
		}
		switch r.Status {
		case string(model.TargetPublished):
			onIDs := map[string]bool{}
			for _, it := range on {
				onIDs[it.ID] = true
			}
			// Items the user deleted on the network are not missing:
			// Herald published them.
			var missing []string
			gone := 0
			for id := range recorded {
				if userGone[id] {
					gone++
				} else if !onIDs[id] {
					missing = append(missing, id)
				}
			}
			sort.Strings(missing)
			if len(missing) > 0 || len(unrecorded) > 0 || (len(on) == 0 && gone == 0) {
				out = append(out, fmt.Sprintf("PUBLISHED-MISMATCH: target %d (post %d) is published with items %v, but the server has %v (missing %v, unrecorded %v)",
					r.ID, r.PostID, r.items(), ids(on), missing, unrecorded))
			}
		case string(model.TargetClaimed):
			out = append(out, fmt.Sprintf("STUCK-CLAIMED: target %d (post %d) is claimed while no engine runs", r.ID, r.PostID))
		case string(model.TargetScheduled), string(model.TargetBlocked):
			// A handed-off post the network's scheduler published is
			// recorded by the next hand-off check; Herald never claims it.
			if len(unrecorded) > 0 && !r.Reconcile && r.HandoffID == "" {
				out = append(out, fmt.Sprintf("UNRECORDED: target %d (post %d) is %s without a pending channel check, but the server already has %v that Herald did not record (recorded %v): its next attempt publishes again",
					r.ID, r.PostID, r.Status, unrecorded, r.items()))
			}
		default: // draft, failed, skipped, cancelled: what the user reads as "not published"
			if len(unrecorded) > 0 {
				out = append(out, fmt.Sprintf("HIDDEN-ON-SERVER: target %d (post %d) shows %s (%q) but the server has %v that Herald did not record (recorded %v, reconcile=%v)",
					r.ID, r.PostID, r.Status, clip(r.ErrorMessage, 80), unrecorded, r.items(), r.Reconcile))
			}
		}
	}
	for _, d := range w.gone {
		s := slot{d.Channel, d.Key}
		known[s] = true
		recorded := map[string]bool{}
		for _, id := range d.Items {
			recorded[id] = true
		}
		var unrecorded []string
		for _, it := range byKey[s] {
			if !recorded[it.ID] {
				unrecorded = append(unrecorded, it.ID)
			}
		}
		if len(unrecorded) > 0 {
			out = append(out, fmt.Sprintf("DELETED-BUT-ON-SERVER: target %d of deleted post %d was %s with items %v when deleted, but the server has %v too",
				d.ID, d.Post, d.Status, d.Items, unrecorded))
		}
	}
	for _, ch := range chIDs {
		for _, it := range server[ch] {
			if !known[slot{ch, it.Key}] {
				out = append(out, fmt.Sprintf("ORPHAN: server item %s on channel %d belongs to no target Herald ever had", it.ID, ch))
			}
		}
	}
	out = append(out, w.scheduleProblems(rows)...)
	out = append(out, w.stepProblems...)
	w.stepProblems = nil
	for _, v := range w.net.rateViolations() {
		out = append(out, fmt.Sprintf("RATE-LIMIT-WINDOW: Herald sent %s to channel %d at %s, inside the 429 window %s..%s (expected: the channel parked until the reset)",
			v.Op, v.Channel, v.At.Sub(t0), v.Window.From.Sub(t0), v.Window.Until.Sub(t0)))
	}
	out = append(out, w.viewProblems(rows)...)
	return out
}

func firedNote(it remoteItem) string {
	if it.Fired == "" {
		return " by Herald"
	}
	return " by the network's scheduler from " + it.Fired
}

// scheduleProblems: every post waiting in a network's scheduler is one
// Herald still records as handed off (with that id, or pending while the
// answer to the hand-off was lost). Any other copy fires later behind
// Herald's back: a post shown as draft, skipped, failed, published or
// deleted would go out (again), and one Herald schedules itself would go
// out twice.
func (w *world) scheduleProblems(rows []targetRow) []string {
	var out []string
	sched := w.net.scheduled()
	for _, ch := range w.channelIDs {
		for _, sc := range sched[ch] {
			ok, what := false, "no target Herald ever had"
			for _, r := range rows {
				if r.ChannelID != ch || r.IdempotencyKey != sc.Key {
					continue
				}
				what = fmt.Sprintf("target %d of post %d, shown %s, hand-off %q", r.ID, r.PostID, r.Status, r.HandoffID)
				ok = r.Status == string(model.TargetScheduled) && (r.HandoffID == sc.ID || r.HandoffID == "?")
			}
			if !ok {
				for _, d := range w.gone {
					if d.Channel == ch && d.Key == sc.Key {
						what = fmt.Sprintf("target %d of deleted post %d", d.ID, d.Post)
					}
				}
				out = append(out, fmt.Sprintf("SCHEDULED-UNTRACKED: the network's scheduler of channel %d holds %s due at %s, which Herald does not record as handed off (%s): it will publish it",
					ch, sc.ID, sc.At.Sub(t0), what))
			}
		}
	}
	return out
}

func ids(items []remoteItem) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

func (w *world) whose(key string, rows []targetRow) string {
	if rows == nil {
		rows = w.rows()
	}
	for _, r := range rows {
		if r.IdempotencyKey == key {
			return fmt.Sprintf("target %d of post %d, now %s, items %v", r.ID, r.PostID, r.Status, r.items())
		}
	}
	for _, d := range w.gone {
		if d.Key == key {
			return fmt.Sprintf("target %d of deleted post %d", d.ID, d.Post)
		}
	}
	return "no known target"
}

// derivedStatus is a post's status from its targets' (store.postStatusSQL).
func derivedStatus(ts []string) string {
	n := len(ts)
	c := map[string]int{}
	for _, s := range ts {
		c[s]++
	}
	switch {
	case n == 0 || c["draft"] == n:
		return "draft"
	case c["cancelled"] == n:
		return "cancelled"
	case c["claimed"] > 0:
		return "publishing"
	case c["scheduled"]+c["blocked"] > 0:
		return "scheduled"
	case c["published"] == n:
		return "published"
	case c["published"] > 0:
		return "partial"
	case c["draft"] > 0:
		return "draft"
	}
	return "failed"
}

// viewProblems compares what the UI shows (service.Posts.Get) with the rows.
func (w *world) viewProblems(rows []targetRow) []string {
	var out []string
	byPost := map[int64][]targetRow{}
	for _, r := range rows {
		byPost[r.PostID] = append(byPost[r.PostID], r)
	}
	var postRows []struct {
		ID        int64
		Status    string
		UpdatedAt string
	}
	if err := w.g.Raw(`SELECT id, status, updated_at FROM posts ORDER BY id`).Scan(&postRows).Error; err != nil {
		w.t.Fatalf("read posts: %v", err)
	}
	fp := map[int64]string{}
	for _, p := range postRows {
		fp[p.ID] = p.Status + "|" + p.UpdatedAt
	}
	for _, r := range rows {
		fp[r.PostID] += fmt.Sprintf("|%d:%s:%s:%s", r.ID, r.Status, r.RemoteID, r.ItemIDs)
	}
	for _, id := range w.livePosts() {
		// A post whose rows did not change since it was last shown
		// correctly shows the same (the view is read from the rows).
		if w.shown[id] == fp[id] {
			continue
		}
		v, err := w.posts.Get(id)
		if err != nil {
			out = append(out, fmt.Sprintf("VIEW: post %d cannot be shown: %v", id, err))
			continue
		}
		var statuses []string
		rowByID := map[int64]targetRow{}
		for _, r := range byPost[id] {
			statuses = append(statuses, r.Status)
			rowByID[r.ID] = r
		}
		if len(v.Targets) != len(byPost[id]) {
			out = append(out, fmt.Sprintf("VIEW: post %d shows %d targets, the database has %d", id, len(v.Targets), len(byPost[id])))
		}
		for _, tv := range v.Targets {
			r, ok := rowByID[tv.ID]
			if !ok || tv.Status != r.Status || tv.RemoteID != r.RemoteID {
				out = append(out, fmt.Sprintf("VIEW: post %d target %d shows %s/%q, the database has %s/%q", id, tv.ID, tv.Status, tv.RemoteID, r.Status, r.RemoteID))
			}
		}
		if want := derivedStatus(statuses); v.Status != want {
			out = append(out, fmt.Sprintf("VIEW-POST-STATUS: post %d shows %q but its targets (%v) make it %q", id, v.Status, statuses, want))
		}
		if len(out) == 0 {
			w.shown[id] = fp[id]
		}
	}
	return out
}

// settle ends a run as a user who wants everything out would: no more
// faults, channels reconnected, publishing resumed, and the clock moved to
// each next due time until nothing is left to do.
func (w *world) settle() {
	w.net.calm()
	for _, ch := range w.channelIDs {
		var c model.Channel
		_ = w.g.First(&c, ch).Error
		if w.net.revoked(ch) || c.Status != model.ChannelConnected {
			w.reconnect(ch)
		}
	}
	if w.engine.Paused() {
		if _, err := w.publishing.SetPaused(false); err != nil {
			w.t.Fatalf("resume: %v", err)
		}
	}
	// Each round the jobs run as app.go runs them (tick, hand-off,
	// hand-off check); then the clock moves to the next moment anything
	// can happen: a target due, a scheduled post firing at the network,
	// a handed-off post's check (a minute after its time) or its
	// give-up (30 minutes after).
	for round := 0; round < 80; round++ {
		w.net.fire()
		w.tick()
		w.handOff()
		w.checkHandoffs()
		now := w.clock.Now()
		var active []targetRow
		var candidates []time.Time
		for _, r := range w.rows() {
			if r.Status == string(model.TargetScheduled) || r.Status == string(model.TargetClaimed) {
				active = append(active, r)
			}
			if r.Status == string(model.TargetScheduled) && r.HandoffID != "" && r.DueAt != nil {
				candidates = append(candidates, r.DueAt.Add(time.Minute+time.Second), r.DueAt.Add(31*time.Minute))
			}
		}
		fireAt, firing := w.net.nextFire()
		if len(active) == 0 && !firing {
			return
		}
		if firing {
			candidates = append(candidates, fireAt)
		}
		next, ok, err := w.targets.NextDue(context.Background())
		if err != nil {
			w.t.Fatalf("next due: %v", err)
		}
		if ok {
			candidates = append(candidates, next)
		}
		var soonest time.Time
		dueNow := false
		for _, c := range candidates {
			if !c.After(now) {
				dueNow = dueNow || (ok && c.Equal(next))
				continue
			}
			if soonest.IsZero() || c.Before(soonest) {
				soonest = c
			}
		}
		switch {
		case dueNow:
			// Something is due now: tick again without moving.
		case !soonest.IsZero():
			w.advance(soonest.Sub(now))
		default:
			w.advance(10 * time.Minute)
		}
	}
}

// settledProblems checks the end state: every variant the user still wants
// is out exactly once and marked published, or failed with a reason.
func (w *world) settledProblems() []string {
	var out []string
	for _, r := range w.rows() {
		switch r.Status {
		case string(model.TargetPublished), string(model.TargetDraft), string(model.TargetCancelled):
		case string(model.TargetFailed), string(model.TargetSkipped):
			if strings.TrimSpace(r.ErrorMessage) == "" {
				out = append(out, fmt.Sprintf("NO-REASON: target %d (post %d) ended %s without a reason", r.ID, r.PostID, r.Status))
			}
		case string(model.TargetScheduled):
			if r.HandoffID == "?" {
				out = append(out, fmt.Sprintf("HANDOFF-STUCK: target %d (post %d) is still scheduled with a pending hand-off (the answer to it was lost) after the clock passed its time %s; the network's copy, if any, fired unrecorded",
					r.ID, r.PostID, r.DueAt.Sub(t0)))
				continue
			}
			out = append(out, fmt.Sprintf("NOT-SETTLED: target %d (post %d) is still %s (hand-off %q) after faults stopped and the clock ran to every due time (tries %d, %q)",
				r.ID, r.PostID, r.Status, r.HandoffID, r.AttemptCount, r.ErrorMessage))
		case string(model.TargetBlocked):
			if r.ErrorClass != "missed" {
				out = append(out, fmt.Sprintf("NOT-SETTLED: target %d (post %d) is still blocked (%s: %q) after every channel was reconnected", r.ID, r.PostID, r.ErrorClass, r.ErrorMessage))
			}
		default:
			out = append(out, fmt.Sprintf("NOT-SETTLED: target %d (post %d) is still %s after faults stopped and the clock ran to every due time (tries %d, %q)",
				r.ID, r.PostID, r.Status, r.AttemptCount, r.ErrorMessage))
		}
	}
	return out
}

// reconnect is the user signing in again: a fresh credential, the channel
// connected, and posts waiting for it rescheduled (what app.go wires to
// connect's Reauthorized).
func (w *world) reconnect(ch int64) {
	w.net.reconnect(ch)
	var c model.Channel
	if err := w.g.First(&c, ch).Error; err != nil {
		w.t.Fatalf("reconnect: %v", err)
	}
	p := store.Profile{Handle: c.Handle, DisplayName: c.DisplayName}
	if err := w.channels.Authorized(context.Background(), ch, p, nil, nil, true); err != nil {
		w.t.Fatalf("reconnect: %v", err)
	}
	ids, err := w.targets.Unblock(context.Background(), ch, w.clock.Now())
	if err != nil {
		w.t.Fatalf("unblock: %v", err)
	}
	w.engine.Wake()
	w.t.Logf("  reconnected channel %d; posts resumed: %v", ch, ids)
}

// deleting remembers what Herald showed of a post's targets before it is
// deleted, so the server can still be checked against it.
func (w *world) deleting(postID int64) []deletedTarget {
	var out []deletedTarget
	for _, r := range w.rows() {
		if r.PostID == postID {
			out = append(out, deletedTarget{ID: r.ID, Post: r.PostID, Channel: r.ChannelID, Key: r.IdempotencyKey, Status: r.Status, Items: r.items()})
		}
	}
	return out
}

func mkdirTemp(parent string) string {
	d, err := os.MkdirTemp(parent, "run")
	if err != nil {
		panic(err)
	}
	return d
}

// missedRow is a target untouched since it was scheduled (never tried, no
// hand-off, no pending check, no earlier decision) with its post's policy
// for a missed time.
type missedRow struct {
	ID, PostID   int64
	Key          string
	DueAt        time.Time
	Policy       string
	GraceMinutes int
}

func (w *world) untouched() []missedRow {
	var out []missedRow
	if err := w.g.Raw(`SELECT t.id, t.post_id, t.idempotency_key AS key, t.due_at, p.missed_policy AS policy, p.grace_minutes
		FROM post_targets t JOIN posts p ON p.id = t.post_id
		WHERE t.status = 'scheduled' AND t.handoff_id = '' AND t.reconcile = 0 AND t.error_class = '' AND t.attempt_count = 0
		  AND t.due_at IS NOT NULL ORDER BY t.id`).Scan(&out).Error; err != nil {
		w.t.Fatalf("read untouched targets: %v", err)
	}
	return out
}

// missedTick runs a tick and checks the missed-time policy on the targets
// that were untouched before it: one whose time passed by more than the
// tolerance (a clock jump, a machine asleep) is never published by this
// tick unless its post publishes late and it is within its grace window;
// and it is not lost: it ends skipped or waiting for a decision with a
// reason, moved to a new time, or (within grace) published late.
func (w *world) missedTick() {
	before := w.untouched()
	seq := w.net.events()
	paused := w.engine.Paused()
	tolerance := policy().Tolerance
	now := w.clock.Now()
	w.engine.Tick(w.ctx)
	rows := map[int64]targetRow{}
	for _, r := range w.rows() {
		rows[r.ID] = r
	}
	history := w.net.history()
	for _, m := range before {
		late := now.Sub(m.DueAt)
		if late <= tolerance {
			continue
		}
		mayPublish := m.Policy == "publish_late" && late <= time.Duration(m.GraceMinutes)*time.Minute
		var made []string
		for _, its := range history {
			for _, it := range its {
				if it.Key == m.Key && it.Seq > seq && it.Fired == "" {
					made = append(made, it.ID)
				}
			}
		}
		if len(made) > 0 && !mayPublish {
			w.stepProblems = append(w.stepProblems, fmt.Sprintf("MISSED-WINDOW: target %d (post %d, missed=%s grace=%dm) was due %s ago, past its window, but this tick published it as %v",
				m.ID, m.PostID, m.Policy, m.GraceMinutes, late, made))
		}
		r, ok := rows[m.ID]
		if !ok || mayPublish || w.net.wasKilled() {
			continue
		}
		switch {
		case (r.Status == string(model.TargetSkipped) || r.Status == string(model.TargetBlocked)) && strings.TrimSpace(r.ErrorMessage) != "":
		case r.Status == string(model.TargetScheduled) && r.DueAt != nil && !r.DueAt.Equal(m.DueAt):
		default:
			w.stepProblems = append(w.stepProblems, fmt.Sprintf("MISSED-LOST: target %d (post %d, missed=%s grace=%dm) was due %s ago, past its window, and after a tick (paused=%v) it is %s (%q), not skipped, waiting for a decision or moved",
				m.ID, m.PostID, m.Policy, m.GraceMinutes, late, paused, r.Status, r.ErrorMessage))
		}
	}
	w.reap("the tick")
}
