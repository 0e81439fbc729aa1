package exactlyonce

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"herald/backend/service"
)

// machine is the rapid state machine: every exported method with a
// *rapid.T is an action, Check runs after each one.
type machine struct {
	w     *world
	texts int // text counter: bodies never depend on anything random
}

func (m *machine) logf(t *rapid.T, format string, args ...any) {
	t.Helper()
	t.Logf("[%s] %s", m.w.since(), fmt.Sprintf(format, args...))
}

func (m *machine) text() string {
	m.texts++
	return fmt.Sprintf("text %d", m.texts)
}

func (m *machine) thread(t *rapid.T) []string {
	n := rapid.IntRange(0, 2).Draw(t, "followUps")
	out := []string{}
	for i := 0; i < n; i++ {
		out = append(out, m.text())
	}
	return out
}

var avoidUnknown = flag.Bool("exactlyonce.avoid-unknown", false, "the user never moves, skips or deletes a post whose last attempt may have published it (to look past those known violations)")

var avoidFired = flag.Bool("exactlyonce.avoid-fired", false, "the user never acts on a post whose handed-off copy the network already published (to look past the known take-back violation)")

// fired says whether r is handed off under an id the network's scheduler
// no longer holds (it published it, or a lost cancel removed it).
func (m *machine) fired(r targetRow) bool {
	if r.HandoffID == "" || r.HandoffID == "?" {
		return false
	}
	for _, sc := range m.w.net.scheduled()[r.ChannelID] {
		if sc.ID == r.HandoffID {
			return false
		}
	}
	return true
}

func (m *machine) pickPost(t *rapid.T) int64 {
	live := m.w.livePosts()
	if len(live) == 0 {
		t.Skip("no post")
	}
	id := rapid.SampledFrom(live).Draw(t, "post")
	for _, r := range m.w.rows() {
		if r.PostID == id && *avoidUnknown && r.Reconcile {
			t.Skip("post with an unknown outcome")
		}
		if r.PostID == id && *avoidFired && m.fired(r) {
			t.Skip("post the network's scheduler published")
		}
	}
	return id
}

func (m *machine) pickTarget(t *rapid.T) targetRow {
	var rows []targetRow
	for _, r := range m.w.rows() {
		if !m.w.deleted[r.PostID] && (!*avoidUnknown || !r.Reconcile) && (!*avoidFired || !m.fired(r)) {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		t.Skip("no target")
	}
	i := rapid.IntRange(0, len(rows)-1).Draw(t, "targetIndex")
	return rows[i]
}

func (m *machine) pickChannel(t *rapid.T) int64 {
	return rapid.SampledFrom(m.w.channelIDs).Draw(t, "channel")
}

func (m *machine) outcome(t *rapid.T, what string, v service.PostView, err error) {
	t.Helper()
	switch {
	case err == nil:
		var ts []string
		for _, tv := range v.Targets {
			ts = append(ts, fmt.Sprintf("%d:%s", tv.ID, tv.Status))
		}
		m.logf(t, "%s → post %d %s [%s]", what, v.ID, v.Status, strings.Join(ts, " "))
	case refused(err):
		m.logf(t, "%s → refused: %v", what, err)
	default:
		t.Fatalf("%s: unexpected error: %v", what, err)
	}
	m.w.reap(what)
}

// Create drafts a post for one or two channels, maybe with a thread, and
// schedules it, publishes it now, queues it or leaves it a draft.
func (m *machine) Create(t *rapid.T) {
	w := m.w
	chans := rapid.SampledFrom([][]int64{{w.channelIDs[0]}, {w.channelIDs[1]}, {w.channelIDs[0], w.channelIDs[1]}}).Draw(t, "channels")
	policy := rapid.SampledFrom([]string{"publish_late", "skip", "ask"}).Draw(t, "missedPolicy")
	grace := rapid.SampledFrom([]int{60, 5}).Draw(t, "graceMinutes")
	// A hand-off post goes to the network's own scheduler when it is due
	// later than the network's minimum lead (HandOff).
	handoff := rapid.IntRange(0, 2).Draw(t, "handoff") == 0
	in := service.DraftInput{TimeZone: "UTC", MissedPolicy: policy, GraceMinutes: grace, Handoff: handoff}
	for _, ch := range chans {
		in.Variants = append(in.Variants, service.VariantInput{ChannelID: ch, Text: m.text(), Thread: m.thread(t)})
	}
	v, err := w.posts.SaveDraft(in)
	if err != nil {
		t.Fatalf("SaveDraft: %v", err)
	}
	// SQLite may hand a deleted post's id to a new one.
	w.reused(v.ID)
	kept := w.postIDs[:0]
	for _, id := range w.postIDs {
		if id != v.ID {
			kept = append(kept, id)
		}
	}
	kept = append(kept, v.ID)
	w.postIDs = kept
	shape := []string{}
	for _, vi := range in.Variants {
		shape = append(shape, fmt.Sprintf("ch%d:%d items", vi.ChannelID, 1+len(vi.Thread)))
	}
	m.outcome(t, fmt.Sprintf("Create post (%s, missed=%s grace=%dm handoff=%v) as draft", strings.Join(shape, ", "), policy, grace, handoff), v, nil)
	switch rapid.SampledFrom([]string{"at", "now", "queue", "draft"}).Draw(t, "how") {
	case "at":
		m.reschedule(t, v.ID)
	case "now":
		v, err := w.posts.PublishNow(v.ID)
		m.outcome(t, fmt.Sprintf("PublishNow post %d", v.ID), v, err)
	case "queue":
		v, err := w.posts.AddToQueue(v.ID)
		m.outcome(t, fmt.Sprintf("AddToQueue post %d", v.ID), v, err)
	}
}

// Reply answers an inbox item from its conversation: a post of kind reply
// through the same engine. Sometimes the same reply is sent again (a
// second press, a retry after a lost answer): its key must return the
// post it made, never a second one.
func (m *machine) Reply(t *rapid.T) {
	w := m.w
	item := rapid.SampledFrom(w.items).Draw(t, "item")
	// The window sends a key again only while its reply exists (a second
	// press, a retry); a discarded reply's key is never sent again.
	var keys []string
	for k, post := range w.replyKeys {
		if !w.deleted[post] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	w.replySeq++
	key := fmt.Sprintf("reply-key-%04d", w.replySeq)
	again := len(keys) > 0 && rapid.IntRange(0, 2).Draw(t, "again") == 0
	if again {
		key = rapid.SampledFrom(keys).Draw(t, "key")
	}
	r, err := w.inbox.Reply(service.ReplyInput{ItemID: item, Text: m.text(), Key: key})
	if err != nil {
		if !refused(err) {
			t.Fatalf("Reply: unexpected error: %v", err)
		}
		m.logf(t, "Reply to item %d (key %s) → refused: %v", item, key, err)
		w.reap("Reply")
		return
	}
	if first, ok := w.replyKeys[key]; ok {
		if r.PostID != first {
			t.Fatalf("Reply with key %s again made post %d; the key made post %d", key, r.PostID, first)
		}
		m.logf(t, "Reply to item %d again (key %s) → the same post %d", item, key, r.PostID)
		w.reap("Reply")
		return
	}
	w.reused(r.PostID)
	w.replyKeys[key] = r.PostID
	w.postIDs = slices.DeleteFunc(w.postIDs, func(id int64) bool { return id == r.PostID })
	w.postIDs = append(w.postIDs, r.PostID)
	v, err := w.posts.Get(r.PostID)
	m.outcome(t, fmt.Sprintf("Reply to item %d (key %s)", item, key), v, err)
}

func (m *machine) reschedule(t *rapid.T, id int64) {
	mins := rapid.IntRange(0, 180).Draw(t, "inMinutes")
	at := m.w.clock.Now().Add(time.Duration(mins) * time.Minute).UTC()
	v, err := m.w.posts.Reschedule(id, at.Format(time.RFC3339))
	m.outcome(t, fmt.Sprintf("Reschedule post %d to now+%dm", id, mins), v, err)
}

// Edit changes the text (and maybe the thread) of every variant.
func (m *machine) Edit(t *rapid.T) {
	id := m.pickPost(t)
	cur, err := m.w.posts.Get(id)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	in := service.DraftInput{ID: id, Title: cur.Title, TimeZone: cur.TimeZone, MissedPolicy: cur.MissedPolicy, GraceMinutes: cur.GraceMinutes, Handoff: cur.Handoff}
	for _, tv := range cur.Targets {
		vi := tv.Variant
		vi.Text = m.text()
		if rapid.Bool().Draw(t, "newThread") {
			vi.Thread = m.thread(t)
		}
		in.Variants = append(in.Variants, vi)
	}
	v, err := m.w.posts.SaveDraft(in)
	m.outcome(t, fmt.Sprintf("Edit post %d", id), v, err)
}

func (m *machine) Reschedule(t *rapid.T) { m.reschedule(t, m.pickPost(t)) }

func (m *machine) PublishNow(t *rapid.T) {
	id := m.pickPost(t)
	v, err := m.w.posts.PublishNow(id)
	m.outcome(t, fmt.Sprintf("PublishNow post %d", id), v, err)
}

func (m *machine) AddToQueue(t *rapid.T) {
	id := m.pickPost(t)
	v, err := m.w.posts.AddToQueue(id)
	m.outcome(t, fmt.Sprintf("AddToQueue post %d", id), v, err)
}

func (m *machine) Unschedule(t *rapid.T) {
	id := m.pickPost(t)
	v, err := m.w.posts.Unschedule(id)
	m.outcome(t, fmt.Sprintf("Unschedule post %d", id), v, err)
}

func (m *machine) Delete(t *rapid.T) {
	id := m.pickPost(t)
	before := m.w.deleting(id)
	err := m.w.posts.Delete(id)
	switch {
	case err == nil:
		m.w.deleted[id] = true
		m.w.gone = append(m.w.gone, before...)
		var ts []string
		for _, d := range before {
			ts = append(ts, fmt.Sprintf("%d:%s items=%v", d.ID, d.Status, d.Items))
		}
		m.logf(t, "Delete post %d (targets %s)", id, strings.Join(ts, ", "))
	case refused(err):
		m.logf(t, "Delete post %d → refused: %v", id, err)
	default:
		t.Fatalf("Delete: %v", err)
	}
	m.w.reap("Delete")
}

func (m *machine) Retry(t *rapid.T) {
	r := m.pickTarget(t)
	v, err := m.w.posts.RetryTarget(r.ID)
	m.outcome(t, fmt.Sprintf("Retry target %d (was %s)", r.ID, r.Status), v, err)
}

func (m *machine) Skip(t *rapid.T) {
	r := m.pickTarget(t)
	v, err := m.w.posts.SkipTarget(r.ID)
	m.outcome(t, fmt.Sprintf("Skip target %d (was %s)", r.ID, r.Status), v, err)
}

func (m *machine) Pause(t *rapid.T) {
	p := rapid.Bool().Draw(t, "paused")
	if _, err := m.w.publishing.SetPaused(p); err != nil {
		t.Fatalf("SetPaused: %v", err)
	}
	m.logf(t, "SetPaused(%v)", p)
}

func (m *machine) Reconnect(t *rapid.T) {
	ch := m.pickChannel(t)
	m.logf(t, "Reconnect channel %d", ch)
	m.w.reconnect(ch)
}

var steps = []time.Duration{5 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute, 15 * time.Minute,
	30 * time.Minute, time.Hour, 3 * time.Hour, -time.Hour}

func (m *machine) advance(t *rapid.T) {
	m.move(t, rapid.SampledFrom(steps).Draw(t, "advance"))
}

// move moves the clock; the network's scheduler fires what came due.
func (m *machine) move(t *rapid.T, d time.Duration) {
	if d < 0 {
		m.logf(t, "Clock jumps back %v", -d)
	} else {
		m.logf(t, "Advance %v", d)
	}
	m.w.advance(d)
	m.w.flushLogs()
}

// Jump is the computer's clock jumping by hours (asleep overnight, a
// wrong clock corrected), then the engine looks: a post whose window
// passed meanwhile is skipped or waits for a decision with a reason,
// never published beyond what its missed-time policy allows, never lost
// (missedTick checks it).
func (m *machine) Jump(t *rapid.T) {
	m.move(t, rapid.SampledFrom([]time.Duration{2 * time.Hour, 7 * time.Hour, 26 * time.Hour, -2 * time.Hour, -26 * time.Hour}).Draw(t, "jump"))
	m.Tick(t)
}

func (m *machine) Advance(t *rapid.T) { m.advance(t) }

func (m *machine) Tick(t *rapid.T) {
	m.logf(t, "Tick")
	m.w.missedTick()
}

// HandOff runs the job that gives hand-off posts to the network's
// scheduler.
func (m *machine) HandOff(t *rapid.T) {
	m.logf(t, "HandOff job")
	m.w.handOff()
}

// CheckHandoffs runs the job that records handed-off posts the network
// published (or failed to).
func (m *machine) CheckHandoffs(t *rapid.T) {
	m.logf(t, "CheckHandoffs job")
	m.w.checkHandoffs()
}

// DeleteOnNetwork is the user deleting a post (or a thread item) on the
// network's own site: one Herald published, one the network's scheduler
// published, or one stored after a lost answer. What the invariants
// expect: Herald does not crash, does not mark anything it did not see;
// a published target whose item was deleted stays published (Herald did
// publish it, and never publishes it again); a target still waiting for a
// channel check after a lost answer finds nothing and may publish again,
// which is not a duplicate (DUPLICATE counts copies alive at once); a
// handed-off post deleted after the network published it, before Herald
// saw it, ends failed with a reason.
func (m *machine) DeleteOnNetwork(t *rapid.T) {
	ch := m.pickChannel(t)
	items := m.w.net.snapshot()[ch]
	if len(items) == 0 {
		t.Skip("nothing on the channel")
	}
	it := rapid.SampledFrom(items).Draw(t, "remoteItem")
	m.w.net.userDelete(ch, it.ID)
	m.logf(t, "The user deletes %s (item %d of %s) on channel %d's site", it.ID, it.Index, m.w.whose(it.Key, nil), ch)
}

// AdvanceTick is the common case: time passes, then the engine looks.
func (m *machine) AdvanceTick(t *rapid.T) {
	m.advance(t)
	m.Tick(t)
}

var faults = []fault{faultRefuse, faultLostAnswer, faultBadGateway, faultRateLimit, faultRevoke, faultReject, faultKillCommitted, faultKillBefore}

func (m *machine) Fault(t *rapid.T) {
	ch := m.pickChannel(t)
	f := rapid.SampledFrom(faults).Draw(t, "fault")
	win := rapid.SampledFrom([]time.Duration{time.Minute, 10 * time.Minute, time.Hour}).Draw(t, "rateWindow")
	m.w.net.arm(ch, f, win)
	if f == faultRateLimit {
		m.logf(t, "Fault: channel %d's next request gets %s (reset in %v)", ch, f, win)
		return
	}
	m.logf(t, "Fault: channel %d's next request gets %s", ch, f)
}

// Restart kills Herald between two ticks and starts it again.
func (m *machine) Restart(t *rapid.T) {
	m.logf(t, "Kill Herald and restart it")
	m.w.restart()
	m.w.flushLogs()
}

var skipTags = flag.String("exactlyonce.skip", "", "comma-separated invariant tags (DUPLICATE, HIDDEN-ON-SERVER, ...) not to report, to look past a known violation")

// reported drops the problems whose tag -exactlyonce.skip names.
func reported(ps []string) []string {
	if *skipTags == "" {
		return ps
	}
	skip := map[string]bool{}
	for _, s := range strings.Split(*skipTags, ",") {
		skip[strings.TrimSpace(s)] = true
	}
	var out []string
	for _, p := range ps {
		if tag, _, _ := strings.Cut(p, ":"); !skip[tag] {
			out = append(out, p)
		}
	}
	return out
}

// raceChecks keeps the default run well inside CI's budget under the race
// detector (it slows the pure-Go SQLite about tenfold): without an explicit
// -rapid.checks (or RAPID_CHECKS) it runs a fifth of rapid's 100 checks,
// and without an explicit -rapid.shrinktime it shrinks a failure for 15s.
func raceChecks(t *testing.T) {
	if !raceEnabled {
		return
	}
	lower := func(name, env, value string) {
		set := os.Getenv(env) != ""
		flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
		if set {
			return
		}
		old := flag.Lookup(name).Value.String()
		if err := flag.Set(name, value); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = flag.Set(name, old) })
		t.Logf("race detector on: -%s=%s instead of %s (set it to run more)", name, value, old)
	}
	lower("rapid.checks", "RAPID_CHECKS", "20")
	lower("rapid.shrinktime", "RAPID_SHRINKTIME", "15s")
}

func (m *machine) Check(t *rapid.T) {
	if ps := reported(m.w.problems()); len(ps) > 0 {
		t.Fatalf("invariant violated at %s:\n  %s\nstate:\n%s", m.w.since(), strings.Join(ps, "\n  "), m.w.describe())
	}
}

// TestExactlyOnce: under any interleaving of user actions, engine ticks,
// network faults and kills, no post is published twice, nothing Herald
// shows as not published is on the network, the UI matches the database,
// no request lands inside a 429 window, and once faults stop every post
// the user still wants goes out exactly once or fails with a reason.
func TestExactlyOnce(t *testing.T) {
	raceChecks(t)
	parent := t.TempDir()
	rapid.Check(t, func(rt *rapid.T) {
		dir := mkdirTemp(parent)
		defer os.RemoveAll(dir)
		w := newWorld(rt, dir, 2)
		defer w.close()
		m := &machine{w: w}
		rt.Repeat(rapid.StateMachineActions(m))
		m.logf(rt, "Settle: faults stop, channels reconnected, publishing resumed, the clock runs to each due time")
		w.settle()
		ps := reported(append(w.problems(), w.settledProblems()...))
		if len(ps) > 0 {
			rt.Fatalf("after settling at %s:\n  %s\nstate:\n%s", w.since(), strings.Join(ps, "\n  "), w.describe())
		}
	})
}
