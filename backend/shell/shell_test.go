package shell

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"herald/backend/events"
	"herald/backend/instance"
	"herald/backend/service"
)

// fakeUI records what the shell asked of the window.
type fakeUI struct {
	mu      sync.Mutex
	calls   []string
	asked   []Question
	answer  string
	askErr  error
	quitted chan struct{}
}

func newFakeUI(answer string) *fakeUI {
	return &fakeUI{answer: answer, quitted: make(chan struct{}, 8)}
}

func (u *fakeUI) record(c string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.calls = append(u.calls, c)
}

func (u *fakeUI) Show() { u.record("show") }
func (u *fakeUI) Hide() { u.record("hide") }
func (u *fakeUI) Quit() {
	u.record("quit")
	u.quitted <- struct{}{}
}

func (u *fakeUI) Ask(q Question) (string, error) {
	u.record("ask")
	u.mu.Lock()
	defer u.mu.Unlock()
	u.asked = append(u.asked, q)
	return u.answer, u.askErr
}

func (u *fakeUI) SaveFile(title, defaultName string, filter FileFilter) (string, error) {
	u.record("save:" + defaultName + ":" + filter.Pattern)
	return "/tmp/" + defaultName, nil
}

func (u *fakeUI) ChooseFolder(title string) (string, error) {
	u.record("folder")
	return "/tmp/reports", nil
}

func (u *fakeUI) Calls() string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return strings.Join(u.calls, ",")
}

type fakePublishing struct {
	st     service.PublishingStatus
	err    error
	paused []bool
}

func (p *fakePublishing) Status() (service.PublishingStatus, error) { return p.st, p.err }
func (p *fakePublishing) SetPaused(v bool) (service.PublishingStatus, error) {
	p.paused = append(p.paused, v)
	return p.st, nil
}

func attached(answer string) (*Window, *fakeUI) {
	w := &Window{}
	ui := newFakeUI(answer)
	w.Attach(ui)
	return w, ui
}

func TestNotificationClicksShowTheWindowAndOpenTheirPage(t *testing.T) {
	w, ui := attached("")
	var caught events.Catcher
	r := NewRoutes(w, &caught, nil)
	r.OpenPost(42)
	r.OpenReconnect(7)
	r.OpenInbox(9)
	r.OpenInbox(0)
	if got := ui.Calls(); got != "show,show,show,show" {
		t.Errorf("window calls = %q, want the window shown for each click", got)
	}
	nav := caught.Named(events.Navigate)
	if len(nav) != 4 {
		t.Fatalf("navigate events = %+v", nav)
	}
	if p := nav[2].Payload.(Navigate).Path; p != "/inbox?item=9" {
		t.Errorf("inbox notification opens %q, want /inbox?item=9", p)
	}
	if p := nav[3].Payload.(Navigate).Path; p != "/inbox" {
		t.Errorf("inbox summary opens %q, want /inbox", p)
	}
	if p := nav[0].Payload.(Navigate).Path; p != "/posts/42" {
		t.Errorf("post notification opens %q, want /posts/42", p)
	}
	if p := nav[1].Payload.(Navigate).Path; p != "/channels?reconnect=7" {
		t.Errorf("reconnect notification opens %q, want /channels?reconnect=7", p)
	}
}

func TestAClickBeforeTheWindowExistsStillNavigates(t *testing.T) {
	var caught events.Catcher
	r := NewRoutes(&Window{}, &caught, nil)
	r.OpenPost(3) // must not panic without a UI
	if nav := caught.Named(events.Navigate); len(nav) != 1 || nav[0].Payload.(Navigate).Path != "/posts/3" {
		t.Errorf("navigate events = %+v", nav)
	}
}

func TestMessagesFromOtherProcesses(t *testing.T) {
	w, ui := attached("")
	var caught events.Catcher
	woken := 0
	r := NewRoutes(w, &caught, func() { woken++ })

	r.OnMessage(instance.MsgShow)
	if ui.Calls() != "show" || woken != 0 || len(caught.Named(events.PostsChanged)) != 0 {
		t.Fatalf("show: calls %q, woken %d, posts changed %d", ui.Calls(), woken, len(caught.Named(events.PostsChanged)))
	}
	r.OnMessage(instance.MsgWake)
	if ui.Calls() != "show" || woken != 1 || len(caught.Named(events.PostsChanged)) != 1 {
		t.Fatalf("wake: calls %q, woken %d, posts changed %d", ui.Calls(), woken, len(caught.Named(events.PostsChanged)))
	}
	r.OnMessage("something else")
	if ui.Calls() != "show" || woken != 1 || len(caught.Named(events.PostsChanged)) != 1 {
		t.Fatalf("unknown message acted: calls %q, woken %d", ui.Calls(), woken)
	}
	// Recovery mode has no publisher to wake; the UI still refreshes.
	NewRoutes(w, &caught, nil).OnMessage(instance.MsgWake)
	if len(caught.Named(events.PostsChanged)) != 2 {
		t.Error("wake without a publisher did not refresh the UI")
	}
}

func TestClosingAsksOnlyWhenItWouldStopScheduledPosts(t *testing.T) {
	scheduled := service.PublishingStatus{Scheduled: 2}
	cases := []struct {
		name      string
		inTray    bool
		pub       *fakePublishing
		answer    string
		askErr    error
		wantAsk   bool
		keepsOpen bool
	}{
		{name: "tray keeps Herald running", inTray: true, pub: &fakePublishing{st: scheduled}},
		{name: "recovery mode", pub: nil},
		{name: "status unreadable", pub: &fakePublishing{st: scheduled, err: errors.New("db")}},
		{name: "nothing scheduled", pub: &fakePublishing{}},
		{name: "publishing paused", pub: &fakePublishing{st: service.PublishingStatus{Scheduled: 2, Paused: true}}},
		{name: "user keeps it running", pub: &fakePublishing{st: scheduled}, answer: "Keep running", wantAsk: true, keepsOpen: true},
		{name: "user quits", pub: &fakePublishing{st: scheduled}, answer: "Quit", wantAsk: true},
		{name: "dialog answers yes", pub: &fakePublishing{st: scheduled}, answer: "Yes", wantAsk: true},
		{name: "dialog fails", pub: &fakePublishing{st: scheduled}, askErr: errors.New("no dialog"), wantAsk: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, ui := attached(c.answer)
			ui.askErr = c.askErr
			var pub Publishing
			if c.pub != nil {
				pub = c.pub
			}
			l := NewLifecycle(w, pub, c.inTray)
			if got := l.BeforeClose(); got != c.keepsOpen {
				t.Errorf("BeforeClose = %v, want %v", got, c.keepsOpen)
			}
			if asked := len(ui.asked) > 0; asked != c.wantAsk {
				t.Fatalf("asked = %v, want %v", asked, c.wantAsk)
			}
			if c.wantAsk {
				q := ui.asked[0]
				if !strings.Contains(q.Message, "2 scheduled post(s)") || q.Default != "Keep running" || strings.Join(q.Buttons, ",") != "Quit,Keep running" {
					t.Errorf("question = %+v", q)
				}
			}
		})
	}
}

func TestQuitFromTheTrayClosesWithoutAsking(t *testing.T) {
	w, ui := attached("Keep running")
	l := NewLifecycle(w, &fakePublishing{st: service.PublishingStatus{Scheduled: 3}}, false)
	l.Quit()
	if ui.Calls() != "quit" {
		t.Fatalf("calls = %q, want one quit", ui.Calls())
	}
	// Wails then runs OnBeforeClose: the explicit quit must not be undone.
	if l.BeforeClose() {
		t.Error("BeforeClose kept the window open after Quit")
	}
	if len(ui.asked) != 0 {
		t.Error("BeforeClose asked after an explicit Quit")
	}
	NewLifecycle(&Window{}, nil, true).Quit() // before the window exists: no panic
}

func TestRelaunchIsRecordedAtOnceAndQuitsAfterADelay(t *testing.T) {
	w, ui := attached("")
	l := NewLifecycle(w, nil, false)
	l.quitDelay = 50 * time.Millisecond
	if l.RelaunchRequested() {
		t.Fatal("relaunch requested before asking")
	}
	start := time.Now()
	l.RequestRelaunch()
	if !l.RelaunchRequested() {
		t.Fatal("relaunch not recorded")
	}
	if strings.Contains(ui.Calls(), "quit") {
		t.Fatal("quit at once; the UI had no time to show the result")
	}
	select {
	case <-ui.quitted:
		if d := time.Since(start); d < l.quitDelay {
			t.Errorf("quit after %v, want at least %v", d, l.quitDelay)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("never quit")
	}
	if NewLifecycle(nil, nil, false).quitDelay != 500*time.Millisecond {
		t.Error("the relaunch delay is not 500ms")
	}

	headless := NewLifecycle(&Window{}, nil, false)
	headless.RequestRelaunch() // no window: only the flag
	if !headless.RelaunchRequested() {
		t.Error("relaunch not recorded without a window")
	}
}

func TestStartingHiddenNeedsATray(t *testing.T) {
	for _, c := range []struct {
		asked, inTray, hidden bool
	}{{true, true, true}, {true, false, false}, {false, true, false}, {false, false, false}} {
		w, ui := attached("")
		l := NewLifecycle(w, nil, c.inTray)
		if got := l.StartsHidden(c.asked); got != c.hidden {
			t.Errorf("StartsHidden(%v) in tray %v = %v", c.asked, c.inTray, got)
		}
		if l.CloseToTray() != c.inTray {
			t.Errorf("CloseToTray = %v, want %v", l.CloseToTray(), c.inTray)
		}
		l.WindowReady(c.asked)
		if hid := ui.Calls() == "hide"; hid != c.hidden {
			t.Errorf("asked %v, tray %v: window calls %q", c.asked, c.inTray, ui.Calls())
		}
	}
}

func TestDialogsNeedAWindow(t *testing.T) {
	var w Window
	if _, err := w.SaveFile("Export", "audit.csv"); err == nil {
		t.Error("save dialog without a window did not fail")
	}
	if _, err := w.Ask(Question{}); err == nil {
		t.Error("question without a window did not fail")
	}
	w.Show() // no-ops
	w.Hide()
	w.Quit()
	w.QuitAfter(0)
	ui := newFakeUI("")
	w.Attach(ui)
	if p, err := w.SaveFile("Export", "audit.csv"); err != nil || p != "/tmp/audit.csv" {
		t.Errorf("SaveFile = %q, %v", p, err)
	}
}

func TestFolderDialogNeedsAWindow(t *testing.T) {
	var w Window
	if _, err := w.ChooseFolder("Reports"); err == nil {
		t.Error("folder dialog without a window did not fail")
	}
	ui := newFakeUI("")
	w.Attach(ui)
	if p, err := w.ChooseFolder("Reports"); err != nil || p != "/tmp/reports" || ui.Calls() != "folder" {
		t.Errorf("ChooseFolder = %q, %v; calls %q", p, err, ui.Calls())
	}
}

func TestSaveDialogFilterFollowsTheExtension(t *testing.T) {
	w, ui := attached("")
	for _, name := range []string{"audit.csv", "Weekly.PDF", "chart.png", "notes.txt"} {
		if _, err := w.SaveFile("Export", name); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := ui.Calls(), "save:audit.csv:*.csv,save:Weekly.PDF:*.pdf,save:chart.png:*.png,save:notes.txt:*"; got != want {
		t.Errorf("dialogs %q, want %q", got, want)
	}
	if f := FilterFor("report.pdf"); f.Name != "PDF documents (*.pdf)" {
		t.Errorf("FilterFor = %+v", f)
	}
}

func TestTrayStatusLine(t *testing.T) {
	due := time.Date(2026, 3, 23, 8, 0, 0, 0, time.UTC)
	at := due.Local().Format("Mon 15:04")
	long := strings.Repeat("é", 31)
	cases := []struct {
		name   string
		st     service.PublishingStatus
		err    error
		paused bool
		line   string
	}{
		{"nothing due", service.PublishingStatus{Paused: true}, nil, true, ""},
		{"status failed", service.PublishingStatus{NextDueAt: due.Format(time.RFC3339)}, errors.New("db"), false, ""},
		{"bad time", service.PublishingStatus{NextDueAt: "soon", NextTitle: "x"}, nil, false, ""},
		{"next post", service.PublishingStatus{NextDueAt: due.Format(time.RFC3339), NextTitle: "Sale"}, nil, false, "Next: “Sale” at " + at},
		{"long title", service.PublishingStatus{Paused: true, NextDueAt: due.Format(time.RFC3339), NextTitle: long}, nil, true,
			"Next: “" + strings.Repeat("é", 30) + "…” at " + at},
	}
	for _, c := range cases {
		paused, line := statusLine(c.st, c.err)
		if paused != c.paused || line != c.line {
			t.Errorf("%s: statusLine = %v, %q; want %v, %q", c.name, paused, line, c.paused, c.line)
		}
	}
	// The tray reads the publishing service's live status.
	tr := &Tray{publishing: &fakePublishing{st: service.PublishingStatus{Paused: true, NextDueAt: due.Format(time.RFC3339), NextTitle: "Sale"}}}
	if paused, line := tr.status(); !paused || line != "Next: “Sale” at "+at {
		t.Errorf("tray status = %v, %q", paused, line)
	}
}

func TestNoTrayIsANoOp(t *testing.T) {
	var tr *Tray
	tr.Start(nil)
	tr.Stop()
}

func TestWailsLoggerKeepsErrorsButNotTheDevServersReadyMessage(t *testing.T) {
	var out bytes.Buffer
	l := WailsLogger(slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelInfo})))
	l.Error("Unknown message from front end: runtime:ready")
	if out.Len() != 0 {
		t.Fatalf("the development server's ready message was logged: %s", out.String())
	}
	l.Error("Unknown message from front end: X")
	if !strings.Contains(out.String(), "level=ERROR") || !strings.Contains(out.String(), "message from front end: X") {
		t.Fatalf("a real error was not logged as one: %q", out.String())
	}
}

type fakeInbox struct {
	mu     sync.Mutex
	counts service.InboxCounts
	err    error
}

func (f *fakeInbox) Counts() (service.InboxCounts, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts, f.err
}

func (f *fakeInbox) set(total int64, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts, f.err = service.InboxCounts{Total: total}, err
}

func TestTrayUnreadLine(t *testing.T) {
	cases := []struct {
		name  string
		total int64
		err   error
		line  string
	}{
		{"nothing unread", 0, nil, ""},
		{"count failed", 3, errors.New("db"), ""},
		{"one", 1, nil, "Inbox: 1 unread"},
		{"many", 12345, nil, "Inbox: 12345 unread"},
	}
	for _, c := range cases {
		if got := unreadLine(service.InboxCounts{Total: c.total}, c.err); got != c.line {
			t.Errorf("%s: unreadLine = %q, want %q", c.name, got, c.line)
		}
	}
}

// TestTrayInboxLineFollowsTheInboxAndOpensIt: the tray's inbox line reads
// the inbox's live count, is refreshed on inbox:changed, and a click on it
// shows the window on the inbox.
func TestTrayInboxLineFollowsTheInboxAndOpensIt(t *testing.T) {
	w, ui := attached("")
	var caught events.Catcher
	inbox := &fakeInbox{}
	tr := &Tray{publishing: &fakePublishing{}, inbox: inbox, routes: NewRoutes(w, &caught, nil)}
	a := tr.actions(w, NewLifecycle(w, nil, true))
	if a.Inbox == nil || a.OpenInbox == nil {
		t.Fatal("the tray has no inbox line although there is an inbox")
	}

	var emitted events.Wails
	refreshed := make(chan struct{}, 8)
	tr.subscribe(&emitted, func() { refreshed <- struct{}{} })
	var got []string
	for _, total := range []int64{0, 3, 2} {
		inbox.set(total, nil)
		emitted.Emit(events.InboxChanged, int64(1))
		select {
		case <-refreshed:
			got = append(got, a.Inbox())
		case <-time.After(5 * time.Second):
			t.Fatal("inbox:changed did not refresh the tray")
		}
	}
	if strings.Join(got, "|") != "|Inbox: 3 unread|Inbox: 2 unread" {
		t.Errorf("inbox lines after each change = %q", got)
	}

	a.OpenInbox()
	if ui.Calls() != "show" {
		t.Errorf("window calls = %q, want the window shown", ui.Calls())
	}
	if nav := caught.Named(events.Navigate); len(nav) != 1 || nav[0].Payload.(Navigate).Path != "/inbox" {
		t.Errorf("navigate events = %+v, want /inbox", nav)
	}

	// Removing a channel takes its items out of the count.
	emitted.Emit(events.ChannelsChanged, nil)
	select {
	case <-refreshed:
	case <-time.After(5 * time.Second):
		t.Fatal("channels:changed did not refresh the tray")
	}

	// Without an inbox to count, the menu has no inbox line.
	if b := (&Tray{publishing: &fakePublishing{}}).actions(w, NewLifecycle(w, nil, true)); b.Inbox != nil || b.OpenInbox != nil {
		t.Error("an inbox line without an inbox")
	}
}
