package networktest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"herald/backend/network"
)

// InboxFault is how the fake answers one request for a page of the
// channel's mentions, replies and quotes (Mastodon: the notifications
// list; Bluesky: listNotifications).
type InboxFault int

const (
	// InboxOK: answer normally.
	InboxOK InboxFault = iota
	// InboxRateLimited: 429 with the network's documented reset header.
	InboxRateLimited
	// InboxRateLimitedNoReset: 429 with no rate-limit header at all.
	InboxRateLimitedNoReset
	// InboxServerError: 503.
	InboxServerError
	// InboxMalformed: 200 with JSON that is not the documented shape.
	InboxMalformed
	// InboxTruncated: 200 with a page cut off halfway.
	InboxTruncated
)

// InboxFake is a Fake whose channel (the account Connect signs in as)
// receives mentions, replies, quotes and direct messages from another
// account the fake plays.
type InboxFake interface {
	Fake
	// OwnPost publishes a post as the channel and returns its RemoteID.
	OwnPost(t testing.TB, text string) string
	// Mention, Reply, Quote and Message act as another account and return
	// the RemoteID the channel's inbox must report. Reply answers
	// parentID, Quote quotes quotedID.
	Mention(t testing.TB, text string) string
	Reply(t testing.TB, parentID, text string) string
	Quote(t testing.TB, quotedID, text string) string
	Message(t testing.TB, text string) string
	// Noise adds activity the inbox must not show: a like or favourite of
	// the channel's posts and a follow.
	Noise(t testing.TB)
	// Unknown adds an entry of a kind the reader cannot know, and makes
	// sure it reaches the reader.
	Unknown(t testing.TB)
	// Edit changes an item's text on the network (marking it edited) and
	// returns true, or returns false where posts cannot be edited
	// (Bluesky). Delete removes it.
	Edit(t testing.TB, remoteID, text string) bool
	Delete(t testing.TB, remoteID string)
	// SetPageLimit caps how many entries the fake returns per page, as a
	// server with a lower maximum would; 0 restores the documented one.
	SetPageLimit(n int)
	// InjectInbox makes the (skip+1)th inbox page request from now answer
	// with f, once.
	InjectInbox(f InboxFault, skip int)
	// DenyMessages makes the credential lack direct-message access (a
	// Bluesky app password made without it). It returns false when the
	// network has no such thing.
	DenyMessages(deny bool) bool
}

// InboxOptions configure RunInbox.
type InboxOptions struct {
	New  func(client *http.Client) network.Network
	Fake InboxFake
}

// RunInbox is the inbox conformance suite.
func RunInbox(t *testing.T, o InboxOptions) {
	t.Helper()
	n := o.New(&http.Client{Timeout: 10 * time.Second})
	reader, ok := n.(network.InboxReader)
	if !ok {
		t.Fatal("the network does not implement network.InboxReader")
	}
	d := n.Descriptor()
	if !d.Has(network.CapComments) {
		t.Error("InboxReader implemented but CapComments not declared")
	}
	ctx := context.Background()
	inst := o.Fake.Instance()
	reset := func() {
		o.Fake.Inject(FaultNone)
		o.Fake.InjectInbox(InboxOK, 0)
		o.Fake.SetPageLimit(0)
		o.Fake.DenyMessages(false)
	}
	connect := func(t *testing.T) network.Credential {
		t.Helper()
		reset()
		t.Cleanup(reset)
		cred, err := Connect(t, n, o.Fake)
		if err != nil {
			t.Fatal(err)
		}
		return cred
	}
	// drain reads until the network has nothing more right away, as the
	// caller does, and checks that no read repeats an item.
	drain := func(t *testing.T, cred network.Credential, cursors network.InboxCursors) ([]network.InboxItem, network.InboxCursors, []network.InboxProblem, []network.Limitation) {
		t.Helper()
		var items []network.InboxItem
		var problems []network.InboxProblem
		var unavailable []network.Limitation
		for i := 0; ; i++ {
			if i == 100 {
				t.Fatal("ReadInbox still has More after 100 reads")
			}
			p, err := reader.ReadInbox(ctx, inst, cred, cursors)
			if err != nil {
				t.Fatalf("ReadInbox: %v", err)
			}
			checkItems(t, p.Items)
			items = append(items, p.Items...)
			problems = append(problems, p.Problems...)
			unavailable = append(unavailable, p.Unavailable...)
			cursors = merge(cursors, p.Cursors)
			if !p.More {
				return items, cursors, problems, unavailable
			}
		}
	}
	synced := func(t *testing.T, cred network.Credential) network.InboxCursors {
		t.Helper()
		_, c, _, _ := drain(t, cred, nil)
		return c
	}
	key := func(t *testing.T) string { return strings.ReplaceAll(t.Name(), "/", "-") }

	t.Run("first sync returns the backlog once, the next read only what is new", func(t *testing.T) {
		cred := connect(t)
		own := o.Fake.OwnPost(t, "A post of the channel "+key(t))
		want := map[string]network.InboxKind{
			o.Fake.Mention(t, "Hello channel "+key(t)):            network.InboxMention,
			o.Fake.Reply(t, own, "A reply "+key(t)):               network.InboxReply,
			o.Fake.Quote(t, own, "Look at this "+key(t)):          network.InboxQuote,
			o.Fake.Message(t, "A private word "+key(t)):           network.InboxMessage,
			o.Fake.Reply(t, own, "Another reply, café ✨ "+key(t)): network.InboxReply,
		}
		o.Fake.Noise(t)
		items, cursors, problems, _ := drain(t, cred, nil)
		got := byID(items)
		for id, kind := range want {
			it, ok := got[id]
			if !ok {
				t.Errorf("the first sync lacks %s %s", kind, id)
				continue
			}
			if it.Kind != kind {
				t.Errorf("%s is a %q, want %q", id, it.Kind, kind)
			}
			if !strings.Contains(it.Text, key(t)) {
				t.Errorf("%s text %q lacks what was written", id, it.Text)
			}
			if (kind == network.InboxReply || kind == network.InboxQuote) && it.ParentID != own {
				t.Errorf("%s %s has ParentID %q, want the channel's post %s", kind, id, it.ParentID, own)
			}
			if kind == network.InboxMessage && it.ConversationID == "" {
				t.Errorf("message %s has no ConversationID", id)
			}
		}
		if _, ok := got[own]; ok {
			t.Error("the channel's own post is in its inbox")
		}
		for _, it := range items {
			if _, ok := want[it.RemoteID]; !ok && strings.Contains(it.Text, key(t)) {
				t.Errorf("unexpected item %+v", it)
			}
		}
		if len(problems) != 0 {
			t.Errorf("problems on a clean sync: %+v", problems)
		}
		if len(cursors) == 0 {
			t.Fatal("the first sync returned no cursors")
		}
		again, cursors, _, _ := drain(t, cred, cursors)
		if len(again) != 0 {
			t.Errorf("a second read with the cursors returned %d items, want none: %+v", len(again), again)
		}
		m := o.Fake.Mention(t, "Something new "+key(t))
		r := o.Fake.Reply(t, own, "A late reply "+key(t))
		dm := o.Fake.Message(t, "Another private word "+key(t))
		next, _, _, _ := drain(t, cred, cursors)
		assertSame(t, next, map[string]bool{m: true, r: true, dm: true})
		if it := byID(next)[dm]; it.Kind != network.InboxMessage || it.ConversationID == "" || !strings.Contains(it.Text, "Another private word") {
			t.Errorf("the new message = %+v", it)
		}
	})

	t.Run("paging across several pages loses and repeats nothing", func(t *testing.T) {
		cred := connect(t)
		cursors := synced(t, cred)
		o.Fake.SetPageLimit(3)
		own := o.Fake.OwnPost(t, "Paged "+key(t))
		want := map[string]bool{}
		for i := range 11 {
			if i%3 == 0 {
				want[o.Fake.Reply(t, own, fmt.Sprintf("reply %d %s", i, key(t)))] = true
			} else {
				want[o.Fake.Mention(t, fmt.Sprintf("mention %d %s", i, key(t)))] = true
			}
		}
		items, _, _, _ := drain(t, cred, cursors)
		assertSame(t, items, want)
	})

	t.Run("a read cut short resumes with nothing lost and nothing twice", func(t *testing.T) {
		cred := connect(t)
		cursors := synced(t, cred)
		o.Fake.SetPageLimit(3)
		want := map[string]bool{}
		for i := range 10 {
			want[o.Fake.Mention(t, fmt.Sprintf("mention %d %s", i, key(t)))] = true
		}
		o.Fake.InjectInbox(InboxServerError, 1)
		p, err := reader.ReadInbox(ctx, inst, cred, cursors)
		if err == nil {
			t.Fatal("ReadInbox with a failing second page succeeded")
		}
		if network.ClassOf(err) != network.ClassTransient {
			t.Errorf("a 503 is %s, want transient", network.ClassOf(err))
		}
		// The caller keeps what came with the error, and its cursors.
		before := p.Items
		rest, _, _, _ := drain(t, cred, merge(cursors, p.Cursors))
		seen := idSet(before)
		for _, it := range rest {
			if seen[it.RemoteID] {
				t.Errorf("%s was returned before the error and again after", it.RemoteID)
			}
		}
		assertSame(t, append(before, rest...), want)
	})

	for _, f := range []struct {
		name  string
		fault InboxFault
		reset bool
	}{
		{"rate limit with a reset header", InboxRateLimited, true},
		{"rate limit without a reset header", InboxRateLimitedNoReset, false},
	} {
		t.Run(f.name+" is rate_limited", func(t *testing.T) {
			cred := connect(t)
			cursors := synced(t, cred)
			o.Fake.Mention(t, "During a rate limit "+key(t))
			o.Fake.InjectInbox(f.fault, 0)
			_, err := reader.ReadInbox(ctx, inst, cred, cursors)
			if network.ClassOf(err) != network.ClassRateLimited {
				t.Fatalf("ReadInbox under a rate limit = %v (class %s), want rate_limited", err, network.ClassOf(err))
			}
			if reset, ok := network.RetryAfter(err); f.reset && (!ok || reset.Before(time.Now().Add(-time.Minute))) {
				t.Errorf("reset time %v, %v; want the header's time", reset, ok)
			}
		})
	}

	for _, f := range []struct {
		name  string
		fault InboxFault
	}{{"malformed page", InboxMalformed}, {"truncated page", InboxTruncated}} {
		t.Run("a "+f.name+" is transient or a problem, and the next read recovers", func(t *testing.T) {
			cred := connect(t)
			cursors := synced(t, cred)
			m := o.Fake.Mention(t, "Behind a bad page "+key(t))
			o.Fake.InjectInbox(f.fault, 0)
			p, err := reader.ReadInbox(ctx, inst, cred, cursors)
			if err != nil && network.ClassOf(err) != network.ClassTransient {
				t.Fatalf("ReadInbox of a %s = %v (class %s), want transient", f.name, err, network.ClassOf(err))
			}
			if err == nil && len(p.Problems) == 0 {
				t.Fatalf("a %s read without error or problem: %+v", f.name, p)
			}
			if err == nil {
				cursors = merge(cursors, p.Cursors)
			}
			items, _, _, _ := drain(t, cred, cursors)
			if !idSet(append(p.Items, items...))[m] {
				t.Errorf("the mention behind the %s was lost", f.name)
			}
		})
	}

	t.Run("unknown kinds are problems and the sync goes on", func(t *testing.T) {
		cred := connect(t)
		cursors := synced(t, cred)
		o.Fake.Unknown(t)
		o.Fake.Noise(t)
		m := o.Fake.Mention(t, "After the unknown "+key(t))
		items, _, problems, _ := drain(t, cred, cursors)
		assertSame(t, items, map[string]bool{m: true})
		if len(problems) == 0 {
			t.Fatal("the unknown entry was not reported as a problem")
		}
		for _, p := range problems {
			if p.Reason == "" || p.Stream == "" {
				t.Errorf("problem without stream or reason: %+v", p)
			}
		}
	})

	t.Run("edits and deletions are reported by RefreshInbox", func(t *testing.T) {
		cred := connect(t)
		ref, ok := n.(network.InboxRefresher)
		if !ok {
			t.Fatal("the network does not implement network.InboxRefresher")
		}
		own := o.Fake.OwnPost(t, "Refresh "+key(t))
		r := o.Fake.Reply(t, own, "First words "+key(t))
		m := o.Fake.Mention(t, "Soon gone "+key(t))
		same := o.Fake.Mention(t, "Unchanged "+key(t))
		edits := o.Fake.Edit(t, r, "Second thoughts "+key(t))
		o.Fake.Delete(t, m)
		got, err := ref.RefreshInbox(ctx, inst, cred, []string{r, m, same})
		if err != nil {
			t.Fatal(err)
		}
		items := byID(got)
		if it := items[r]; edits && (it.EditedAt.IsZero() || !strings.Contains(it.Text, "Second thoughts") || it.Deleted) {
			t.Errorf("the edited reply = %+v, want EditedAt and the new text", it)
		}
		if it, ok := items[r]; !edits && (!ok || it.Deleted || !it.EditedAt.IsZero()) {
			t.Errorf("the reply = %+v, %v; want it unchanged", it, ok)
		}
		if it, ok := items[m]; !ok || !it.Deleted {
			t.Errorf("the deleted mention = %+v, %v; want Deleted", it, ok)
		}
		if it := items[same]; it.Deleted || !it.EditedAt.IsZero() || !strings.Contains(it.Text, "Unchanged") {
			t.Errorf("the unchanged mention = %+v", it)
		}
	})

	t.Run("ReadThread returns the thread oldest first with the item and its parent", func(t *testing.T) {
		cred := connect(t)
		tr, ok := n.(network.ThreadReader)
		if !ok {
			t.Fatal("the network does not implement network.ThreadReader")
		}
		own := o.Fake.OwnPost(t, "Thread root "+key(t))
		r := o.Fake.Reply(t, own, "In the thread "+key(t))
		below := o.Fake.Reply(t, r, "Below it "+key(t))
		th, err := tr.ReadThread(ctx, inst, cred, r)
		if err != nil {
			t.Fatal(err)
		}
		pos := map[string]int{}
		for i, it := range th.Items {
			pos[it.RemoteID] = i
			if i > 0 && it.CreatedAt.Before(th.Items[i-1].CreatedAt) {
				t.Errorf("thread not oldest first at %d: %v before %v", i, th.Items[i-1].CreatedAt, it.CreatedAt)
			}
		}
		pOwn, ok1 := pos[own]
		pR, ok2 := pos[r]
		pBelow, ok3 := pos[below]
		if !ok1 || !ok2 || !ok3 || pOwn >= pR || pR >= pBelow {
			t.Errorf("thread %v: want %s, %s, %s in this order", idList(th.Items), own, r, below)
		}
		if th.Truncated {
			t.Error("a three-post thread is Truncated")
		}
	})

	if o.Fake.DenyMessages(false) {
		t.Run("missing direct-message access is Unavailable, not an error", func(t *testing.T) {
			cred := connect(t)
			cursors := synced(t, cred)
			o.Fake.DenyMessages(true)
			m := o.Fake.Mention(t, "Still read "+key(t))
			items, _, _, unavailable := drain(t, cred, cursors)
			if !idSet(items)[m] {
				t.Error("the mention was not read while messages are unavailable")
			}
			found := false
			for _, u := range unavailable {
				if u.Capability == network.CapDirectMessages && u.Text != "" {
					found = true
				}
			}
			if !found {
				t.Errorf("Unavailable = %+v, want direct messages with the reason", unavailable)
			}
		})
	}
}

// checkItems checks what every item must carry.
func checkItems(t *testing.T, items []network.InboxItem) {
	t.Helper()
	seen := map[string]bool{}
	for _, it := range items {
		if it.RemoteID == "" || it.Kind == "" || it.Author.RemoteID == "" || it.CreatedAt.IsZero() {
			t.Errorf("item lacks an id, kind, author or time: %+v", it)
		}
		if seen[it.RemoteID] {
			t.Errorf("one read returned %s twice", it.RemoteID)
		}
		seen[it.RemoteID] = true
		if strings.Contains(it.Text, "<p>") || strings.Contains(it.Text, "</") {
			t.Errorf("item text carries markup: %q", it.Text)
		}
	}
}

func merge(a, b network.InboxCursors) network.InboxCursors {
	out := network.InboxCursors{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func byID(items []network.InboxItem) map[string]network.InboxItem {
	out := map[string]network.InboxItem{}
	for _, it := range items {
		out[it.RemoteID] = it
	}
	return out
}

func idSet(items []network.InboxItem) map[string]bool {
	out := map[string]bool{}
	for _, it := range items {
		out[it.RemoteID] = true
	}
	return out
}

func idList(items []network.InboxItem) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it.RemoteID)
	}
	return out
}

// assertSame checks that items hold exactly want, each once.
func assertSame(t *testing.T, items []network.InboxItem, want map[string]bool) {
	t.Helper()
	count := map[string]int{}
	for _, it := range items {
		count[it.RemoteID]++
	}
	for id := range want {
		if count[id] != 1 {
			t.Errorf("%s returned %d times, want once", id, count[id])
		}
	}
	for id := range count {
		if !want[id] {
			t.Errorf("unexpected item %s", id)
		}
	}
}
