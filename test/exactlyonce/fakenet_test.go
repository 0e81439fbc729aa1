package exactlyonce

import (
	"context"
	"flag"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"herald/backend/network"
)

// netID is the fake network's id in Herald's registry.
const netID = "fakenet"

// fault is what the fake server does with a channel's next request.
type fault int

const (
	faultNone          fault = iota
	faultRefuse              // 503 before anything was stored: not sent
	faultLostAnswer          // stored, then the connection drops: Sent
	faultBadGateway          // stored, then a proxy answers 502: Sent
	faultRateLimit           // 429 with a reset time; nothing stored
	faultRevoke              // the token is revoked: 401 until Reconnect
	faultReject              // 422: the post itself is refused
	faultKillCommitted       // stored, then Herald's process dies
	faultKillBefore          // Herald's process dies before the request lands
)

var faultNames = map[fault]string{
	faultNone: "none", faultRefuse: "refuse-503", faultLostAnswer: "commit+lost-answer", faultBadGateway: "commit+502",
	faultRateLimit: "429", faultRevoke: "revoke-401", faultReject: "reject-422", faultKillCommitted: "commit+kill", faultKillBefore: "kill-before-commit",
}

func (f fault) String() string { return faultNames[f] }

// remoteItem is one post (or thread item) stored on the fake server.
type remoteItem struct {
	ID    string
	Key   string // the idempotency key Herald sent
	Index int    // 0 = the post, 1.. = thread follow-ups / first comment
	Text  string
	Media int
	At    time.Time
	Fired string // the scheduled post it was made from, if the network's scheduler made it
	Seq   int    // the server's event counter when it was created
	// GoneSeq is the server's event counter when the user deleted it on
	// the network (0 while it is there).
	GoneSeq int
}

// schedItem is one post waiting in the fake network's own scheduler.
type schedItem struct {
	ID    string
	Key   string // the idempotency key Herald sent with the schedule request
	Text  string
	Media int
	At    time.Time // when the network publishes it
}

// window is a rate-limit window the server announced with a 429.
type window struct {
	From, Until time.Time
}

// violation is a request Herald made inside an announced 429 window.
type violation struct {
	Channel int64
	Op      string
	At      time.Time
	Window  window
}

type fakeChannel struct {
	items   []remoteItem
	removed []remoteItem // items the user deleted on the network
	sched   []schedItem  // the network's scheduler, in the order it was given the posts
	next    int          // remote id counter, per channel so ids never depend on goroutine order
	nextSch int          // scheduled id counter
	armed   fault
	armedOp string // when set, the armed fault waits for a request of this op
	limit   window
	limited bool
	revoked bool
	dead    bool // Herald's process died during a request of this channel
	reqs    int
}

// fakeNet is an in-process social network. It implements network.Network,
// network.Publisher and network.Reconciler. Every decision it takes is a
// function of the channel's own state and the fake clock, so the order in
// which the engine's per-channel goroutines reach it does not matter.
type fakeNet struct {
	now func() time.Time

	mu         sync.Mutex
	chans      map[int64]*fakeChannel
	rateWindow time.Duration // reset delay of the next armed 429
	violations []violation
	// onKill runs (in the engine's goroutine) when a kill fault fires: it
	// freezes the channel's in-flight targets as a dead process leaves them.
	onKill func(channelID int64)
	killed bool
	log    []string
	seq    int // counts item creations and deletions, to tell "alive at once" from "one after the other"
}

var _ network.NativeScheduler = (*fakeNet)(nil)

func newFakeNet(now func() time.Time) *fakeNet {
	return &fakeNet{now: now, chans: map[int64]*fakeChannel{}}
}

func (f *fakeNet) Descriptor() network.Descriptor {
	return network.Descriptor{ID: netID, Name: "FakeNet", Auth: network.AuthAppPassword,
		Capabilities: []network.Capability{network.CapPublish, network.CapThreads, network.CapNativeSchedule},
		Rules:        network.Rules{MaxChars: 500, MaxThread: 5}}
}

func (f *fakeNet) ch(id int64) *fakeChannel {
	c, ok := f.chans[id]
	if !ok {
		c = &fakeChannel{}
		f.chans[id] = c
	}
	return c
}

// arm sets the fault of a channel's next request.
func (f *fakeNet) arm(ch int64, ft fault, rateWindow time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ch(ch).armed, f.ch(ch).armedOp = ft, ""
	if ft == faultRateLimit {
		f.rateWindow = rateWindow
	}
}

// armOp sets the fault of the channel's next request of that op (say,
// "publish[1]": the second part of a thread), letting the others through.
func (f *fakeNet) armOp(ch int64, ft fault, op string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ch(ch).armed, f.ch(ch).armedOp = ft, op
}

// calm clears every armed fault (the end of a run).
func (f *fakeNet) calm() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.chans {
		c.armed, c.armedOp = faultNone, ""
	}
}

// reconnect gives the channel a working token again.
func (f *fakeNet) reconnect(ch int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ch(ch).revoked = false
}

// restarted forgets the dead process.
func (f *fakeNet) restarted() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.killed = false
	for _, c := range f.chans {
		c.dead = false
	}
}

func (f *fakeNet) wasKilled() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.killed
}

func (f *fakeNet) revoked(ch int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ch(ch).revoked
}

// drainLog returns what the server saw since the last call.
func (f *fakeNet) drainLog() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.log
	f.log = nil
	return out
}

// snapshot returns every stored item of every channel, by channel.
func (f *fakeNet) snapshot() map[int64][]remoteItem {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[int64][]remoteItem{}
	for id, c := range f.chans {
		out[id] = append([]remoteItem(nil), c.items...)
	}
	return out
}

func (f *fakeNet) rateViolations() []violation {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]violation(nil), f.violations...)
}

func channelOf(cred network.Credential) int64 {
	id, _ := strconv.ParseInt(cred.Extra["channel"], 10, 64)
	return id
}

var errDead = &network.Error{Network: netID, Op: "request", Class: network.ClassTransient, Message: "Herald's process is gone (nothing was sent)"}

// request applies the channel's state and armed fault to one request.
// store is nil for a read; otherwise it stores the item and returns its id.
func (f *fakeNet) request(chID int64, op string, store func(c *fakeChannel) string) (string, error) {
	f.mu.Lock()
	c := f.ch(chID)
	now := f.now()
	if c.dead {
		f.mu.Unlock()
		return "", errDead
	}
	c.reqs++
	if c.limited && !now.Before(c.limit.From) && now.Before(c.limit.Until) {
		f.violations = append(f.violations, violation{Channel: chID, Op: op, At: now, Window: c.limit})
		f.log = append(f.log, fmt.Sprintf("net ch%d %s: 429 again (request inside the window until %s)", chID, op, c.limit.Until.Format(time.RFC3339)))
		until := c.limit.Until
		f.mu.Unlock()
		return "", &network.Error{Network: netID, Op: op, Class: network.ClassRateLimited, Status: 429, Message: "rate limited", ResetAt: until}
	}
	if c.revoked {
		f.log = append(f.log, fmt.Sprintf("net ch%d %s: 401 (revoked)", chID, op))
		f.mu.Unlock()
		return "", &network.Error{Network: netID, Op: op, Class: network.ClassAuthDead, Status: 401, Message: "the access token was revoked"}
	}
	ft := c.armed
	if c.armedOp != "" && c.armedOp != op {
		ft = faultNone
	} else {
		c.armed, c.armedOp = faultNone, ""
	}
	if *noHandoffKills && scheduleOp(op) && (ft == faultKillCommitted || ft == faultKillBefore) {
		ft, c.armed = faultNone, ft // the kill waits for the next publishing request
	}
	var id string
	write := store != nil
	switch ft {
	case faultLostAnswer, faultBadGateway, faultKillCommitted, faultNone:
		if write {
			id = store(c)
		}
	}
	f.log = append(f.log, fmt.Sprintf("net ch%d %s: %s%s", chID, op, ft, storedNote(id)))
	switch ft {
	case faultRateLimit:
		c.limited, c.limit = true, window{From: now, Until: now.Add(f.rateWindow)}
	case faultRevoke:
		c.revoked = true
	case faultKillCommitted, faultKillBefore:
		c.dead, f.killed = true, true
	}
	kill := f.onKill
	f.mu.Unlock()

	switch ft {
	case faultRefuse:
		return "", &network.Error{Network: netID, Op: op, Class: network.ClassTransient, Status: 503, Message: "service unavailable"}
	case faultLostAnswer:
		return "", &network.Error{Network: netID, Op: op, Class: network.ClassTransient, Sent: true, Message: "the server did not answer in time"}
	case faultBadGateway:
		return "", &network.Error{Network: netID, Op: op, Class: network.ClassTransient, Status: 502, Sent: true, Message: "bad gateway"}
	case faultRateLimit:
		return "", &network.Error{Network: netID, Op: op, Class: network.ClassRateLimited, Status: 429, Message: "rate limited", ResetAt: now.Add(f.rateWindow)}
	case faultRevoke:
		return "", &network.Error{Network: netID, Op: op, Class: network.ClassAuthDead, Status: 401, Message: "the access token was revoked"}
	case faultReject:
		return "", &network.Error{Network: netID, Op: op, Class: network.ClassContentRejected, Status: 422, Message: "the server rejected the post"}
	case faultKillCommitted, faultKillBefore:
		if kill != nil {
			kill(chID)
		}
		return "", errDead
	}
	return id, nil
}

var noHandoffKills = flag.Bool("exactlyonce.no-handoff-kills", false, "kill faults never hit a request to the network's scheduler (to look past the known untracked copy a kill during a hand-off leaves)")

// scheduleOp says whether op is a request to the network's scheduler.
func scheduleOp(op string) bool {
	return op == "schedule" || op == "list scheduled" || strings.HasPrefix(op, "cancel scheduled")
}

func storedNote(id string) string {
	if id == "" {
		return ""
	}
	return " (stored " + id + ")"
}

func (f *fakeNet) Publish(_ context.Context, _ string, cred network.Credential, p network.Post) (network.Published, error) {
	chID := channelOf(cred)
	texts := append([]string{p.Text}, p.Thread...)
	if p.FirstComment != "" {
		texts = append(texts, p.FirstComment)
	}
	ids := append([]string(nil), p.Done...)
	for i := len(p.Done); i < len(texts); i++ {
		id, err := f.request(chID, fmt.Sprintf("publish[%d]", i), func(c *fakeChannel) string {
			c.next++
			id := fmt.Sprintf("c%d-r%d", chID, c.next)
			media := 0
			if i == 0 {
				media = len(p.Media)
			}
			f.seq++
			c.items = append(c.items, remoteItem{ID: id, Key: p.IdempotencyKey, Index: i, Text: texts[i], Media: media, At: f.now(), Seq: f.seq})
			return id
		})
		if err != nil {
			return network.Published{}, err
		}
		ids = append(ids, id)
		if p.Progress != nil {
			p.Progress(i, id, "https://fakenet.example/"+id)
		}
	}
	return network.Published{RemoteID: ids[0], URL: "https://fakenet.example/" + ids[0], ItemIDs: ids}, nil
}

// FindPublished finds the items Herald sent under p's idempotency key: the
// fake's reconciliation is exact, so the engine's logic is what is tested.
func (f *fakeNet) FindPublished(_ context.Context, _ string, cred network.Credential, p network.Post, _ time.Time) (network.Published, bool, error) {
	chID := channelOf(cred)
	if _, err := f.request(chID, "find", nil); err != nil {
		return network.Published{}, false, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var found []remoteItem
	for _, it := range f.ch(chID).items {
		if it.Key == p.IdempotencyKey {
			found = append(found, it)
		}
	}
	if len(found) == 0 {
		return network.Published{}, false, nil
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].Index < found[j].Index })
	ids := make([]string, 0, len(found))
	for _, it := range found {
		ids = append(ids, it.ID)
	}
	return network.Published{RemoteID: ids[0], URL: "https://fakenet.example/" + ids[0], ItemIDs: ids}, true, nil
}

// history returns every item each channel ever held: those still there and
// those the user deleted on the network (GoneSeq set).
func (f *fakeNet) history() map[int64][]remoteItem {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[int64][]remoteItem{}
	for id, c := range f.chans {
		all := append(append([]remoteItem(nil), c.items...), c.removed...)
		sort.Slice(all, func(i, j int) bool { return all[i].Seq < all[j].Seq })
		out[id] = all
	}
	return out
}

// scheduled returns every post waiting in each channel's scheduler.
func (f *fakeNet) scheduled() map[int64][]schedItem {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[int64][]schedItem{}
	for id, c := range f.chans {
		if len(c.sched) > 0 {
			out[id] = append([]schedItem(nil), c.sched...)
		}
	}
	return out
}

// nextFire is the earliest time a scheduled post is due, if any.
func (f *fakeNet) nextFire() (time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out time.Time
	for _, c := range f.chans {
		for _, s := range c.sched {
			if out.IsZero() || s.At.Before(out) {
				out = s.At
			}
		}
	}
	return out, !out.IsZero()
}

// fire is the network's scheduler: every scheduled post whose time has
// come becomes a post on its channel, whatever Herald is doing (it runs
// whenever the fake clock moves). Channels in id order, posts in the
// order they were scheduled: nothing depends on map order.
func (f *fakeNet) fire() {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	chIDs := make([]int64, 0, len(f.chans))
	for id := range f.chans {
		chIDs = append(chIDs, id)
	}
	sort.Slice(chIDs, func(i, j int) bool { return chIDs[i] < chIDs[j] })
	for _, chID := range chIDs {
		c := f.chans[chID]
		kept := c.sched[:0]
		for _, s := range c.sched {
			if now.Before(s.At) {
				kept = append(kept, s)
				continue
			}
			c.next++
			f.seq++
			id := fmt.Sprintf("c%d-r%d", chID, c.next)
			c.items = append(c.items, remoteItem{ID: id, Key: s.Key, Index: 0, Text: s.Text, Media: s.Media, At: now, Fired: s.ID, Seq: f.seq})
			f.log = append(f.log, fmt.Sprintf("net ch%d scheduler: %s (due %s) published as %s", chID, s.ID, s.At.Sub(t0), id))
		}
		c.sched = kept
	}
}

// userDelete is the user deleting an item on the network's own site.
func (f *fakeNet) userDelete(chID int64, id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.ch(chID)
	for i, it := range c.items {
		if it.ID == id {
			f.seq++
			it.GoneSeq = f.seq
			c.removed = append(c.removed, it)
			c.items = append(c.items[:i:i], c.items[i+1:]...)
			return true
		}
	}
	return false
}

// MinScheduleLead is Mastodon's: five minutes ahead.
func (f *fakeNet) MinScheduleLead() time.Duration { return 5 * time.Minute }

func invalidSchedule(msg string) error {
	return &network.Error{Network: netID, Op: "schedule", Class: network.ClassInvalidInput, Status: 422, Code: "unsupported", Message: msg}
}

// Schedule stores p in the channel's scheduler for at, as Mastodon's
// scheduled_at does. Like Mastodon, it refuses a thread or a first comment
// (the replies need the published post) and a time closer than the lead.
// It is not idempotent: a second request makes a second scheduled copy.
func (f *fakeNet) Schedule(_ context.Context, _ string, cred network.Credential, p network.Post, at time.Time) (network.Scheduled, error) {
	chID := channelOf(cred)
	if len(p.Thread) > 0 || p.FirstComment != "" {
		return network.Scheduled{}, invalidSchedule("a thread or a first comment cannot be scheduled on the server")
	}
	if len(p.Done) > 0 {
		return network.Scheduled{}, invalidSchedule("the post is already published")
	}
	if at.Sub(f.now()) < f.MinScheduleLead() {
		return network.Scheduled{}, invalidSchedule("the server schedules posts at least 5m ahead")
	}
	var sch schedItem
	id, err := f.request(chID, "schedule", func(c *fakeChannel) string {
		c.nextSch++
		sch = schedItem{ID: fmt.Sprintf("c%d-s%d", chID, c.nextSch), Key: p.IdempotencyKey, Text: p.Text, Media: len(p.Media), At: at.UTC()}
		c.sched = append(c.sched, sch)
		return sch.ID
	})
	if err != nil {
		return network.Scheduled{}, err
	}
	return network.Scheduled{ID: id, ScheduledAt: sch.At, Text: sch.Text}, nil
}

// ListScheduled lists the channel's scheduler, oldest request first.
func (f *fakeNet) ListScheduled(_ context.Context, _ string, cred network.Credential) ([]network.Scheduled, error) {
	chID := channelOf(cred)
	if _, err := f.request(chID, "list scheduled", nil); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	out := []network.Scheduled{}
	for _, s := range f.ch(chID).sched {
		out = append(out, network.Scheduled{ID: s.ID, ScheduledAt: s.At, Text: s.Text})
	}
	return out, nil
}

// CancelScheduled removes a scheduled post; one the scheduler no longer
// has (published already, or never there) is a 404 with Code "not_found",
// as Mastodon answers. A lost answer removes it and reports Sent.
func (f *fakeNet) CancelScheduled(_ context.Context, _ string, cred network.Credential, id string) error {
	chID := channelOf(cred)
	found := false
	_, err := f.request(chID, "cancel scheduled "+id, func(c *fakeChannel) string {
		for i, s := range c.sched {
			if s.ID == id {
				found = true
				c.sched = append(c.sched[:i:i], c.sched[i+1:]...)
				return id
			}
		}
		return ""
	})
	if err != nil {
		return err
	}
	if !found {
		return &network.Error{Network: netID, Op: "cancel scheduled post", Class: network.ClassContentRejected, Status: 404, Code: "not_found",
			Message: "the server no longer has this scheduled post (already published, or cancelled on the server)"}
	}
	return nil
}

// events is the server's event counter: items made and deleted so far.
func (f *fakeNet) events() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seq
}
