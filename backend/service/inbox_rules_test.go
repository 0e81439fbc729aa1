package service

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"herald/backend/apperr"
	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
)

// inboxRig is the Inbox service over real stores on a real file, with one
// channel (in team "Shop") whose first sync is done.
type inboxRig struct {
	s     *Inbox
	items *store.Inbox
	audit *store.Audit
	chans *store.Channels
	ch    model.Channel
	team  model.Team
}

func newInboxRig(t *testing.T) *inboxRig {
	t.Helper()
	ctx := context.Background()
	g := openDB(t, testConfig(t))
	r := &inboxRig{items: store.NewInbox(g, now), audit: store.NewAudit(g, now), chans: store.NewChannels(g, now)}
	r.ch = model.Channel{Network: "mastodon", Instance: "https://m.example", RemoteID: "1", Handle: "shop", DisplayName: "Shop"}
	if err := r.chans.Create(ctx, &r.ch); err != nil {
		t.Fatal(err)
	}
	team, err := store.NewTeams(g, now).Create(ctx, "Support")
	if err != nil {
		t.Fatal(err)
	}
	r.team = team
	if _, err := r.items.StorePage(ctx, r.ch.ID, store.IngestPage{Last: true}); err != nil {
		t.Fatal(err)
	}
	r.s = NewInbox(InboxDeps{DB: g, Inbox: r.items, Channels: r.chans, Audit: r.audit, Sync: &fakeSyncer{}, Credentials: okCreds{},
		Networks: network.NewRegistry(), Emitter: events.Discard{}})
	return r
}

func (r *inboxRig) auditLines(t *testing.T, prefix string) []model.AuditEntry {
	t.Helper()
	entries, _, err := r.audit.List(context.Background(), store.AuditFilter{EventLike: prefix})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func fieldOf(err error) string {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return ae.Code + ":" + ae.Field
	}
	return ""
}

func TestInboxRulesServiceEditsAuditsAndRefuses(t *testing.T) {
	r := newInboxRig(t)
	refunds, err := r.s.CreateRule(InboxRuleForm{Name: "Refunds", Enabled: true, TextContains: "refund", ChannelID: r.ch.ID,
		AddLabel: "billing", TeamID: r.team.ID})
	if err != nil {
		t.Fatal(err)
	}
	if refunds.ChannelName != "Shop" || refunds.TeamName != "Support" || refunds.Position != 1 ||
		strings.Join(refunds.Conditions, "; ") != "the text contains “refund”; it came to Shop" ||
		strings.Join(refunds.Actions, "; ") != "add the label “billing”; assign it to Support" {
		t.Fatalf("created = %+v", refunds)
	}
	bots, err := r.s.CreateRule(InboxRuleForm{Name: "Bots", Enabled: true, AuthorIs: "@bot@x.example", Kind: "mention", MarkDone: true})
	if err != nil {
		t.Fatal(err)
	}
	list, err := r.s.MoveRule(bots.ID, true)
	if err != nil || len(list) != 2 || list[0].Name != "Bots" || list[1].Name != "Refunds" {
		t.Fatalf("after moving Bots up: %+v, %v", list, err)
	}
	if _, err := r.s.MoveRule(bots.ID, true); err != nil { // already first: no line
		t.Fatal(err)
	}
	if _, err := r.s.SetRuleEnabled(refunds.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := r.s.SetRuleEnabled(refunds.ID, false); err != nil { // already off: no line
		t.Fatal(err)
	}
	changed, err := r.s.UpdateRule(bots.ID, InboxRuleForm{Name: "Bot mentions", Enabled: true, AuthorIs: "bot@x.example", Kind: "mention", Notify: true})
	if err != nil || changed.Position != 1 || changed.MarkDone || !changed.Notify {
		t.Fatalf("updated = %+v, %v", changed, err)
	}
	if err := r.s.DeleteRule(refunds.ID); err != nil {
		t.Fatal(err)
	}

	lines := r.auditLines(t, "inbox.rule")
	var got []string
	for i := len(lines) - 1; i >= 0; i-- {
		got = append(got, lines[i].Event+" "+lines[i].Summary)
	}
	want := []string{
		"inbox.rule_created Created the inbox rule “Refunds”: when the text contains “refund” and it came to Shop, add the label “billing”, assign it to Support",
		"inbox.rule_created Created the inbox rule “Bots”: when the author is @bot@x.example and it is a mention, mark it done",
		"inbox.rule_changed Moved the inbox rule “Bots” up, to place 1",
		"inbox.rule_changed Turned the inbox rule “Refunds” off",
		"inbox.rule_changed Changed the inbox rule “Bots” to “Bot mentions”: when the author is @bot@x.example and it is a mention, notify me, even when the channel's notifications are off",
		"inbox.rule_deleted Deleted the inbox rule “Refunds”: when the text contains “refund” and it came to Shop, add the label “billing”, assign it to Support",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if lines[0].ChannelID == nil || *lines[0].ChannelID != r.ch.ID || lines[0].Actor != model.ActorUser {
		t.Errorf("the deletion's line = %+v, want the rule's channel and the user", lines[0])
	}

	// Bad input: a specific field, a hint, and nothing stored.
	for _, tc := range []struct {
		form InboxRuleForm
		want string
	}{
		{InboxRuleForm{Name: "", TextContains: "x", Notify: true}, "invalid_input:name"},
		{InboxRuleForm{Name: "All", Notify: true}, "invalid_input:conditions"},
		{InboxRuleForm{Name: "Nothing", TextContains: "x"}, "invalid_input:actions"},
		{InboxRuleForm{Name: "Kind", Kind: "like", Notify: true}, "invalid_input:kind"},
		{InboxRuleForm{Name: "Gone", ChannelID: 999, Notify: true}, "invalid_input:channelId"},
	} {
		_, err := r.s.CreateRule(tc.form)
		var ae *apperr.Error
		if fieldOf(err) != tc.want || !errors.As(err, &ae) || !strings.HasSuffix(ae.Message, ".") {
			t.Errorf("create %+v: %v (%s), want %s", tc.form, err, fieldOf(err), tc.want)
		}
	}
	if _, err := r.s.UpdateRule(refunds.ID, InboxRuleForm{Name: "x", TextContains: "x", Notify: true}); fieldOf(err) != "not_found:" {
		t.Errorf("update of a deleted rule: %v", err)
	}
	if rules, _ := r.s.Rules(); len(rules) != 1 {
		t.Errorf("%d rules after refused input, want 1", len(rules))
	}
}

func TestPreviewRuleSaysWhatItWouldDoAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	r := newInboxRig(t)
	var page []store.Incoming
	for i := 0; i < 520; i++ {
		text := "hello"
		if i%4 == 0 {
			text = "Where is my REFUND?"
		}
		page = append(page, store.Incoming{RemoteID: strconv.Itoa(i), Kind: model.InboxReply, AuthorHandle: "@ana", Text: text,
			CreatedAt: t0.Add(time.Duration(i) * time.Minute)})
	}
	if _, err := r.items.StorePage(ctx, r.ch.ID, store.IngestPage{Items: page}); err != nil {
		t.Fatal(err)
	}
	form := InboxRuleForm{TextContains: "refund", AddLabel: "billing", MarkDone: true}
	p, err := r.s.PreviewRule(form, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	// The newest 500 are items 20..519: 125 of them are every fourth.
	if p.Scanned != 500 || p.Matched != 125 || len(p.Items) != 10 || p.Items[0].RemoteID != "516" ||
		strings.Join(p.Actions, "; ") != "add the label “billing”; mark it done" {
		t.Fatalf("preview = scanned %d matched %d items %d first %s actions %v", p.Scanned, p.Matched, len(p.Items), p.Items[0].RemoteID, p.Actions)
	}
	next, err := r.s.PreviewRule(form, 120, 10)
	if err != nil || len(next.Items) != 5 || next.Items[4].RemoteID != "20" {
		t.Fatalf("last page = %+v, %v", next, err)
	}
	// Without an action yet, the conditions can still be tried; without a condition, not.
	if _, err := r.s.PreviewRule(InboxRuleForm{TextContains: "refund"}, 0, 10); err != nil {
		t.Errorf("a preview without actions: %v", err)
	}
	if _, err := r.s.PreviewRule(InboxRuleForm{Notify: true}, 0, 10); fieldOf(err) != "invalid_input:conditions" {
		t.Errorf("a preview without conditions: %v", err)
	}
	done, _, err := r.items.List(ctx, store.InboxFilter{Statuses: []model.InboxStatus{model.InboxDone}})
	if err != nil || len(done) != 0 || len(r.auditLines(t, "inbox.")) != 0 {
		t.Errorf("the preview changed something: %d done, %v", len(done), err)
	}
}

func TestResponseTimesReportAndChannelNotifications(t *testing.T) {
	ctx := context.Background()
	r := newInboxRig(t)
	if err := r.chans.SetTeams(ctx, r.ch.ID, []int64{r.team.ID}); err != nil {
		t.Fatal(err)
	}
	var page []store.Incoming
	for i := 0; i < 4; i++ {
		page = append(page, store.Incoming{RemoteID: strconv.Itoa(i), Kind: model.InboxMention, Text: "hi", CreatedAt: t0.Add(time.Duration(i) * time.Hour)})
	}
	res, err := r.items.StorePage(ctx, r.ch.ID, store.IngestPage{Items: page})
	if err != nil {
		t.Fatal(err)
	}
	// Waits of 10 min, 1 h and 3 h; the fourth item is unanswered.
	for i, wait := range []time.Duration{10 * time.Minute, time.Hour, 3 * time.Hour} {
		if _, err := r.items.RecordFirstReply(ctx, res.New[i].ID, res.New[i].CreatedAt.Add(wait)); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := r.s.ResponseTimes(t0.Format(time.RFC3339), t0.Add(24*time.Hour).Format(time.RFC3339))
	if err != nil {
		t.Fatal(err)
	}
	wantRow := ResponseTimes{Replied: 3, Unanswered: 1, MedianSeconds: 3600, P90Seconds: 3 * 3600}
	all := rep.All
	all.ID, all.Name = 0, ""
	if all != wantRow || len(rep.Channels) != 1 || rep.Channels[0].Name != "Shop" || rep.Channels[0].MedianSeconds != 3600 ||
		len(rep.Teams) != 1 || rep.Teams[0].Name != "Support" || rep.Teams[0].P90Seconds != 3*3600 {
		t.Fatalf("report = %+v", rep)
	}
	for _, tc := range []struct{ from, to, want string }{
		{"yesterday", t0.Format(time.RFC3339), "invalid_input:from"},
		{t0.Format(time.RFC3339), t0.Format(time.RFC3339), "invalid_input:to"},
		{t0.Format(time.RFC3339), t0.Add(500 * 24 * time.Hour).Format(time.RFC3339), "invalid_input:to"},
	} {
		if _, err := r.s.ResponseTimes(tc.from, tc.to); fieldOf(err) != tc.want {
			t.Errorf("ResponseTimes(%s, %s): %v, want %s", tc.from, tc.to, err, tc.want)
		}
	}

	if err := r.s.SetChannelNotifications(r.ch.ID, false); err != nil {
		t.Fatal(err)
	}
	if err := r.s.SetChannelNotifications(r.ch.ID, false); err != nil { // no change: no line
		t.Fatal(err)
	}
	st, err := r.s.SyncStatus()
	if err != nil || len(st) != 1 || st[0].Notify {
		t.Fatalf("sync status after turning notifications off = %+v, %v", st, err)
	}
	lines := r.auditLines(t, "inbox.notifications")
	if len(lines) != 1 || lines[0].Summary != "Turned off the inbox notifications of Shop" {
		t.Errorf("audit = %+v", lines)
	}
	if err := r.s.SetChannelNotifications(999, true); fieldOf(err) != "not_found:" {
		t.Errorf("a missing channel: %v", err)
	}
}
