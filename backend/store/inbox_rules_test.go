package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"herald/backend/db"
	"herald/backend/model"
)

func TestCheckRuleSaysWhichFieldIsWrong(t *testing.T) {
	ok := RuleInput{Name: "Refunds", TextContains: "refund", AddLabel: "billing"}
	cases := []struct {
		name  string
		edit  func(*RuleInput)
		field string
	}{
		{"no name", func(r *RuleInput) { r.Name = "   " }, "name"},
		{"long name", func(r *RuleInput) { r.Name = strings.Repeat("n", MaxRuleName+1) }, "name"},
		{"no condition", func(r *RuleInput) { r.TextContains = "  " }, "conditions"},
		{"no action", func(r *RuleInput) { r.AddLabel = "" }, "actions"},
		{"author with a space", func(r *RuleInput) { r.AuthorIs = "ana smith" }, "authorIs"},
		{"unknown kind", func(r *RuleInput) { r.Kind = "like" }, "kind"},
		{"long label", func(r *RuleInput) { r.AddLabel = strings.Repeat("l", MaxLabelLength+1) }, "addLabel"},
		{"long phrase", func(r *RuleInput) { r.TextContains = strings.Repeat("p", MaxRulePhrase+1) }, "textContains"},
	}
	for _, tc := range cases {
		in := ok
		tc.edit(&in)
		_, err := CheckRule(in)
		var re *RuleError
		if !errors.As(err, &re) || re.Field != tc.field || !errors.Is(err, ErrInvalidInput) || re.Message == "" {
			t.Errorf("%s: error %v, want a RuleError on %s", tc.name, err, tc.field)
		}
	}
	r, err := CheckRule(RuleInput{Name: "  Ana  on  Shop ", AuthorIs: " @Ana@Social.example ", TextContains: " free \n shipping ", Notify: true})
	if err != nil || r.Name != "Ana on Shop" || r.AuthorIs != "Ana@Social.example" || r.TextContains != "free shipping" {
		t.Errorf("CheckRule cleaned to %+v, %v", r, err)
	}
}

func TestMatchRuleComparesWithoutCaseAndIgnoresLineBreaks(t *testing.T) {
	ch := int64(4)
	it := model.InboxItem{ChannelID: 4, Kind: model.InboxReply, AuthorHandle: "@Ana@social.example", Text: "Where is my\nREFUND,  please?"}
	cases := []struct {
		rule model.InboxRule
		want bool
	}{
		{model.InboxRule{TextContains: "my refund"}, true},
		{model.InboxRule{TextContains: "refund please"}, false}, // the comma is text
		{model.InboxRule{AuthorIs: "ana@SOCIAL.example"}, true},
		{model.InboxRule{AuthorIs: "ana"}, false}, // a handle, not a part of one
		{model.InboxRule{Kind: model.InboxReply, ChannelID: &ch}, true},
		{model.InboxRule{Kind: model.InboxMention}, false},
		{model.InboxRule{TextContains: "refund", ChannelID: new(int64)}, false},
	}
	for i, tc := range cases {
		if got := MatchRule(tc.rule, it); got != tc.want {
			t.Errorf("case %d: MatchRule(%+v) = %v, want %v", i, tc.rule, got, tc.want)
		}
	}
}

// rulesRig is an inbox on a real file with two channels and two teams.
type rulesRig struct {
	g     *gorm.DB
	inbox *Inbox
	chans []int64
	teams []int64
}

func newRulesRig(t *testing.T) *rulesRig {
	t.Helper()
	ctx := context.Background()
	g := openDB(t)
	now := func() time.Time { return t0 }
	r := &rulesRig{g: g, inbox: NewInbox(g, now)}
	for i := 0; i < 2; i++ {
		ch := model.Channel{Network: "mastodon", Instance: "https://m.example", RemoteID: strconv.Itoa(i), Handle: fmt.Sprintf("c%d", i)}
		if err := NewChannels(g, now).Create(ctx, &ch); err != nil {
			t.Fatal(err)
		}
		r.chans = append(r.chans, ch.ID)
		team, err := NewTeams(g, now).Create(ctx, fmt.Sprintf("Team %d", i))
		if err != nil {
			t.Fatal(err)
		}
		r.teams = append(r.teams, team.ID)
	}
	return r
}

func (r *rulesRig) create(t *testing.T, in RuleInput) model.InboxRule {
	t.Helper()
	rule, err := r.inbox.CreateRule(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return rule
}

func (r *rulesRig) names(t *testing.T) string {
	t.Helper()
	rules, err := r.inbox.Rules(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i, x := range rules {
		if x.Position != i+1 {
			t.Fatalf("rule %s is at position %d, want %d", x.Name, x.Position, i+1)
		}
		out = append(out, x.Name)
	}
	return strings.Join(out, ",")
}

func TestRulesAreOrderedEditedAndDeleted(t *testing.T) {
	ctx := context.Background()
	r := newRulesRig(t)
	a := r.create(t, RuleInput{Name: "A", Enabled: true, TextContains: "a", AddLabel: "x"})
	b := r.create(t, RuleInput{Name: "B", Enabled: true, Kind: model.InboxReply, MarkDone: true})
	c := r.create(t, RuleInput{Name: "C", Enabled: true, ChannelID: r.chans[1], TeamID: r.teams[0]})
	if got := r.names(t); got != "A,B,C" {
		t.Fatalf("order = %s", got)
	}
	if _, moved, err := r.inbox.MoveRule(ctx, c.ID, -1); err != nil || !moved {
		t.Fatalf("move up: %v %v", moved, err)
	}
	if _, moved, _ := r.inbox.MoveRule(ctx, a.ID, -1); moved {
		t.Error("the first rule moved up")
	}
	if got := r.names(t); got != "A,C,B" {
		t.Fatalf("order after moving C up = %s", got)
	}
	before, after, err := r.inbox.UpdateRule(ctx, b.ID, RuleInput{Name: "B2", Enabled: false, AuthorIs: "@bo", Notify: true})
	if err != nil || before.Name != "B" || after.Name != "B2" || after.Position != 3 || after.MarkDone || after.Kind != "" {
		t.Fatalf("update = %+v → %+v, %v", before, after, err)
	}
	stored, _ := r.inbox.Rule(ctx, b.ID)
	if stored.Enabled || stored.MarkDone || stored.AuthorIs != "bo" || !stored.Notify || stored.Kind != "" {
		t.Errorf("stored after update = %+v", stored)
	}
	if _, changed, err := r.inbox.SetRuleEnabled(ctx, b.ID, false); err != nil || changed {
		t.Errorf("switching off an off rule changed it: %v %v", changed, err)
	}
	if _, err := r.inbox.DeleteRule(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if got := r.names(t); got != "C,B2" {
		t.Fatalf("order after deleting A = %s", got)
	}
	if _, err := r.inbox.DeleteRule(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting a deleted rule: %v", err)
	}
	// A team deleted drops the rule's action, never the rule.
	if err := NewTeams(r.g, time.Now).Delete(ctx, r.teams[0]); err != nil {
		t.Fatal(err)
	}
	if stored, err := r.inbox.Rule(ctx, c.ID); err != nil || stored.TeamID != nil {
		t.Errorf("rule after its team was deleted = %+v, %v", stored, err)
	}
	// References are checked.
	var re *RuleError
	if _, err := r.inbox.CreateRule(ctx, RuleInput{Name: "X", ChannelID: 999, Notify: true}); !errors.As(err, &re) || re.Field != "channelId" {
		t.Errorf("a missing channel: %v", err)
	}
	if _, err := r.inbox.CreateRule(ctx, RuleInput{Name: "X", Kind: model.InboxQuote, TeamID: r.teams[0]}); !errors.As(err, &re) || re.Field != "teamId" {
		t.Errorf("a deleted team: %v", err)
	}
}

func TestRulesRunOnNewItemsInTheStoringTransaction(t *testing.T) {
	ctx := context.Background()
	r := newRulesRig(t)
	r.create(t, RuleInput{Name: "Refunds", Enabled: true, TextContains: "refund", AddLabel: "Billing", TeamID: r.teams[1]})
	r.create(t, RuleInput{Name: "Spam", Enabled: true, AuthorIs: "spam@x.example", MarkDone: true, AddLabel: "billing"})
	r.create(t, RuleInput{Name: "Off", Enabled: false, TextContains: "refund", AddLabel: "never"})
	r.create(t, RuleInput{Name: "Loud", Enabled: true, Kind: model.InboxMessage, Notify: true, TeamID: r.teams[0]})
	ch := r.chans[0]

	// The backlog gets labels, status and team too.
	res, err := r.inbox.StorePage(ctx, ch, IngestPage{Items: []Incoming{
		{RemoteID: "b1", Kind: model.InboxMention, AuthorHandle: "@ana@x.example", Text: "A refund?", CreatedAt: t0},
	}, Last: true})
	if err != nil {
		t.Fatal(err)
	}
	b1 := res.New[0]
	if !b1.Backlog || strings.Join(b1.Labels, ",") != "Billing" || b1.TeamID == nil || *b1.TeamID != r.teams[1] || res.Rules[b1.ID].Notify {
		t.Fatalf("backlog item = %+v, effect %+v", b1, res.Rules[b1.ID])
	}

	res, err = r.inbox.StorePage(ctx, ch, IngestPage{Items: []Incoming{
		{RemoteID: "n1", Kind: model.InboxMessage, AuthorHandle: "@spam@x.example", Text: "REFUND now", CreatedAt: t0.Add(time.Minute)},
		{RemoteID: "n2", Kind: model.InboxReply, AuthorHandle: "@bo@x.example", Text: "hello", CreatedAt: t0.Add(2 * time.Minute)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	n1, n2 := res.New[0], res.New[1]
	eff := res.Rules[n1.ID]
	// Refunds is above Loud: its team wins; Billing from two rules is one label.
	if n1.Status != model.InboxDone || n1.ReadAt == nil || *n1.TeamID != r.teams[1] || strings.Join(n1.Labels, ",") != "Billing" ||
		!eff.Notify || len(eff.Rules) != 3 {
		t.Fatalf("n1 = %+v, effect %+v", n1, eff)
	}
	if _, ok := res.Rules[n2.ID]; ok || n2.Status != model.InboxOpen || n2.TeamID != nil || n2.ReadAt != nil {
		t.Fatalf("n2 matched no rule but is %+v", n2)
	}
	got, err := r.inbox.Get(ctx, n1.ID)
	if err != nil || strings.Join(got.Labels, ",") != "Billing" || got.Status != model.InboxDone {
		t.Fatalf("stored n1 = %+v, %v", got, err)
	}

	// A repeat or an edit is not new: the rules do not run again, and what
	// the user changed stays.
	if _, err := r.inbox.RemoveLabel(ctx, n1.ID, "billing"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.inbox.StorePage(ctx, ch, IngestPage{Items: []Incoming{
		{RemoteID: "n1", Kind: model.InboxMessage, AuthorHandle: "@spam@x.example", Text: "REFUND now!", CreatedAt: t0.Add(time.Minute), EditedAt: t0.Add(time.Hour)},
	}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := r.inbox.Get(ctx, n1.ID); len(got.Labels) != 0 || got.Text != "REFUND now!" {
		t.Errorf("after an edit: %+v", got)
	}

	// A page that fails halfway keeps neither its items nor their labels.
	if err := r.g.Exec(`CREATE TRIGGER refuse_bad BEFORE INSERT ON inbox_items WHEN new.remote_id = 'bad' BEGIN SELECT RAISE(ABORT, 'refused'); END`).Error; err != nil {
		t.Fatal(err)
	}
	var labelsBefore int64
	r.g.Model(&model.InboxLabel{}).Count(&labelsBefore)
	_, err = r.inbox.StorePage(ctx, ch, IngestPage{Items: []Incoming{
		{RemoteID: "n3", Kind: model.InboxMention, Text: "refund", CreatedAt: t0.Add(3 * time.Minute)},
		{RemoteID: "bad", Kind: model.InboxMention, Text: "refund", CreatedAt: t0.Add(4 * time.Minute)},
	}})
	var labelsAfter, n3 int64
	r.g.Model(&model.InboxLabel{}).Count(&labelsAfter)
	r.g.Model(&model.InboxItem{}).Where("remote_id = 'n3'").Count(&n3)
	if err == nil || n3 != 0 || labelsAfter != labelsBefore {
		t.Fatalf("a failed page: err %v, n3 rows %d, labels %d → %d", err, n3, labelsBefore, labelsAfter)
	}
}

func TestPreviewRuleTestsTheNewestItemsAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	r := newRulesRig(t)
	var page []Incoming
	for i := 0; i < RulePreviewWindow+100; i++ {
		text := "hello"
		if i%10 == 0 {
			text = "Refund please"
		}
		page = append(page, Incoming{RemoteID: strconv.Itoa(i), Kind: model.InboxMention, Text: text, CreatedAt: t0.Add(time.Duration(i) * time.Minute)})
	}
	if _, err := r.inbox.StorePage(ctx, r.chans[0], IngestPage{Items: page, Last: true}); err != nil {
		t.Fatal(err)
	}
	snapshot := func() string {
		var s string
		r.g.Raw(`SELECT group_concat(id || ':' || status || ':' || coalesce(team_id, '') || ':' || version) FROM inbox_items`).Scan(&s)
		var labels int64
		r.g.Model(&model.InboxLabel{}).Count(&labels)
		return fmt.Sprintf("%s|%d", s, labels)
	}
	before := snapshot()
	rule, err := CheckRule(RuleInput{Name: "Refunds", TextContains: "refund", MarkDone: true, AddLabel: "billing"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := r.inbox.PreviewRule(ctx, rule, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Items 100..599 are the newest 500; every tenth of them matches.
	if p.Scanned != RulePreviewWindow || len(p.Matched) != 50 || p.Matched[0].RemoteID != "590" || p.Matched[49].RemoteID != "100" {
		t.Fatalf("preview scanned %d, matched %d (%s … %s)", p.Scanned, len(p.Matched), p.Matched[0].RemoteID, p.Matched[len(p.Matched)-1].RemoteID)
	}
	if after := snapshot(); after != before {
		t.Error("the preview changed the inbox")
	}
}

// refRule is a rule as the rules model holds it.
type refRule struct {
	id                          int64
	enabled                     bool
	phrase, author, kind, label string
	channel, team               int64
	done, notify                bool
}

// refEffect is the rules' semantics written out again, independently of
// Evaluate: labels are the union (without case), done and notify any, the
// team the first one named, in list order.
func refEffect(rules []*refRule, ch int64, kind, author, text string) (labels map[string]bool, done, notify bool, team int64) {
	labels = map[string]bool{}
	flat := strings.ToLower(strings.Join(strings.Fields(text), " "))
	for _, r := range rules {
		if !r.enabled || (r.channel != 0 && r.channel != ch) || (r.kind != "" && r.kind != kind) ||
			(r.author != "" && !strings.EqualFold(r.author, strings.TrimPrefix(author, "@"))) ||
			(r.phrase != "" && !strings.Contains(flat, strings.ToLower(r.phrase))) {
			continue
		}
		if r.label != "" {
			labels[strings.ToLower(r.label)] = true
		}
		done = done || r.done
		notify = notify || r.notify
		if team == 0 {
			team = r.team
		}
	}
	return labels, done, notify, team
}

// TestInboxRulesModel drives rules and ingestion together with random
// sequences: rules created, edited, switched, moved and deleted, teams
// deleted, pages of new and repeated items (some failing halfway), user
// changes and restarts. After each step the database must equal a plain
// model that applies the rules, in the order they had when each item
// arrived, to new items only.
func TestInboxRulesModel(t *testing.T) {
	steps := 200
	if raceEnabled {
		steps = 60
	}
	for seed := int64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprintf("seed_%d", seed), func(t *testing.T) { runRulesModel(t, seed, steps) })
	}
}

func runRulesModel(t *testing.T, seed int64, steps int) {
	ctx := context.Background()
	rng := rand.New(rand.NewSource(seed))
	dir := t.TempDir()
	clock := t0
	now := func() time.Time { return clock }
	open := func() *gorm.DB {
		g, _, err := db.Open(ctx, db.Options{Path: filepath.Join(dir, "herald.db"), BackupDir: filepath.Join(dir, "backups"), Now: now})
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	g := open()
	t.Cleanup(func() { _ = db.Close(g) })
	var chans, teams []int64
	for i := 0; i < 2; i++ {
		ch := model.Channel{Network: "mastodon", Instance: "https://m.example", RemoteID: strconv.Itoa(i), Handle: fmt.Sprintf("c%d", i)}
		if err := NewChannels(g, now).Create(ctx, &ch); err != nil {
			t.Fatal(err)
		}
		chans = append(chans, ch.ID)
	}
	for i := 0; i < 3; i++ {
		team, err := NewTeams(g, now).Create(ctx, fmt.Sprintf("T%d", i))
		if err != nil {
			t.Fatal(err)
		}
		teams = append(teams, team.ID)
	}
	liveTeams := map[int64]bool{teams[0]: true, teams[1]: true, teams[2]: true}
	inbox := NewInbox(g, now)

	// Small pools, so that several rules often match one item and their
	// order decides its team.
	phrases := []string{"", "", "", "refund", "Ship  it", "hello"}
	authors := []string{"", "", "", "ana@x.example", "@Bo@x.example"}
	kinds := []string{"", "", "mention", "reply", "message"}
	labels := []string{"", "vip", "VIP", "billing"}
	texts := []string{"hello there", "REFUND me", "please ship\nit", "nothing", "Refund: hello"}
	itemAuthors := []string{"@ana@x.example", "@bo@x.example", "@cy@x.example"}

	type refItem struct {
		labels map[string]bool
		status model.InboxStatus
		read   bool
		team   int64
	}
	var rules []*refRule
	items := map[string]*refItem{} // channel/remote id
	backlogDone := map[int64]bool{}
	n := 0

	randomInput := func() RuleInput {
		for {
			in := RuleInput{Name: fmt.Sprintf("rule %d", rng.Intn(1000)), Enabled: rng.Intn(4) > 0,
				TextContains: phrases[rng.Intn(len(phrases))], AuthorIs: authors[rng.Intn(len(authors))],
				Kind: model.InboxKind(kinds[rng.Intn(len(kinds))]), AddLabel: labels[rng.Intn(len(labels))],
				MarkDone: rng.Intn(4) == 0, Notify: rng.Intn(3) == 0}
			if rng.Intn(3) == 0 {
				in.ChannelID = chans[rng.Intn(2)]
			}
			if rng.Intn(2) == 0 {
				if id := teams[rng.Intn(3)]; liveTeams[id] {
					in.TeamID = id
				}
			}
			if _, err := CheckRule(in); err == nil {
				return in
			}
		}
	}
	toRef := func(id int64, in RuleInput) *refRule {
		return &refRule{id: id, enabled: in.Enabled, phrase: strings.Join(strings.Fields(in.TextContains), " "),
			author: strings.TrimPrefix(in.AuthorIs, "@"), kind: string(in.Kind), label: in.AddLabel,
			channel: in.ChannelID, team: in.TeamID, done: in.MarkDone, notify: in.Notify}
	}
	pick := func() int {
		if len(rules) == 0 {
			return -1
		}
		return rng.Intn(len(rules))
	}

	for step := 0; step < steps; step++ {
		clock = clock.Add(time.Second)
		var what string
		switch op := rng.Intn(20); {
		case op < 3 || len(rules) < 3:
			in := randomInput()
			r, err := inbox.CreateRule(ctx, in)
			if err != nil {
				t.Fatalf("step %d: create: %v", step, err)
			}
			rules = append(rules, toRef(r.ID, in))
			what = "create"
		case op < 5:
			if i := pick(); i >= 0 {
				in := randomInput()
				if _, _, err := inbox.UpdateRule(ctx, rules[i].id, in); err != nil {
					t.Fatalf("step %d: update: %v", step, err)
				}
				rules[i] = toRef(rules[i].id, in)
				what = "update"
			}
		case op < 6:
			if i := pick(); i >= 0 {
				on := rng.Intn(2) == 0
				if _, _, err := inbox.SetRuleEnabled(ctx, rules[i].id, on); err != nil {
					t.Fatal(err)
				}
				rules[i].enabled = on
				what = "switch"
			}
		case op < 8:
			if i := pick(); i >= 0 {
				by := []int{-1, 1}[rng.Intn(2)]
				_, moved, err := inbox.MoveRule(ctx, rules[i].id, by)
				if err != nil {
					t.Fatal(err)
				}
				if j := i + by; j >= 0 && j < len(rules) {
					rules[i], rules[j] = rules[j], rules[i]
					if !moved {
						t.Fatalf("step %d: a rule that could move did not", step)
					}
				} else if moved {
					t.Fatalf("step %d: a rule moved past the end", step)
				}
				what = "move"
			}
		case op < 9:
			if i := pick(); i >= 0 {
				if _, err := inbox.DeleteRule(ctx, rules[i].id); err != nil {
					t.Fatal(err)
				}
				rules = append(rules[:i], rules[i+1:]...)
				what = "delete"
			}
		case op < 10:
			id := teams[rng.Intn(3)]
			if liveTeams[id] {
				if err := NewTeams(g, now).Delete(ctx, id); err != nil {
					t.Fatal(err)
				}
				delete(liveTeams, id)
				for _, r := range rules {
					if r.team == id {
						r.team = 0
					}
				}
				for _, it := range items {
					if it.team == id {
						it.team = 0
					}
				}
				what = "delete team"
			}
		case op < 17:
			ch := chans[rng.Intn(2)]
			page := IngestPage{Last: rng.Intn(3) == 0}
			fail := rng.Intn(8) == 0
			type arrival struct {
				key, kind, author, text string
			}
			var arrivals []arrival
			for j := rng.Intn(5); j >= 0; j-- {
				var rid string
				if n > 0 && rng.Intn(4) == 0 {
					rid = strconv.Itoa(rng.Intn(n)) // a repeat
				} else {
					rid = strconv.Itoa(n)
					n++
				}
				in := Incoming{RemoteID: rid, Kind: model.InboxKind(kinds[2+rng.Intn(3)]), AuthorHandle: itemAuthors[rng.Intn(3)],
					Text: texts[rng.Intn(len(texts))], CreatedAt: t0.Add(time.Duration(len(rid)) * time.Hour)}
				page.Items = append(page.Items, in)
				arrivals = append(arrivals, arrival{fmt.Sprintf("%d/%s", ch, rid), string(in.Kind), in.AuthorHandle, in.Text})
			}
			if fail {
				page.Items = append(page.Items, Incoming{RemoteID: "bad", Kind: model.InboxMention, CreatedAt: t0})
				if err := g.Exec(`CREATE TRIGGER IF NOT EXISTS refuse_bad BEFORE INSERT ON inbox_items WHEN new.remote_id = 'bad' BEGIN SELECT RAISE(ABORT, 'refused'); END`).Error; err != nil {
					t.Fatal(err)
				}
				if _, err := inbox.StorePage(ctx, ch, page); err == nil {
					t.Fatalf("step %d: a page with a refused item was stored", step)
				}
				what = "failed page"
				break
			}
			res, err := inbox.StorePage(ctx, ch, page)
			if err != nil {
				t.Fatalf("step %d: store: %v", step, err)
			}
			backlog := !backlogDone[ch]
			notified := map[string]bool{}
			for _, a := range arrivals {
				if items[a.key] != nil {
					continue
				}
				l, done, notify, team := refEffect(rules, ch, a.kind, a.author, a.text)
				it := &refItem{labels: l, status: model.InboxOpen, read: backlog || done, team: team}
				if done {
					it.status = model.InboxDone
				}
				items[a.key] = it
				notified[a.key] = notify
			}
			for _, row := range res.New {
				key := fmt.Sprintf("%d/%s", ch, row.RemoteID)
				if res.Rules[row.ID].Notify != notified[key] {
					t.Fatalf("step %d: %s notify by rule = %v, model %v", step, key, res.Rules[row.ID].Notify, notified[key])
				}
			}
			if page.Last {
				backlogDone[ch] = true
			}
			what = fmt.Sprintf("page of %d on %d", len(arrivals), ch)
		case op < 19:
			if len(items) == 0 {
				continue
			}
			keys := make([]string, 0, len(items))
			for k := range items {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			key := keys[rng.Intn(len(keys))]
			ch, rid, _ := strings.Cut(key, "/")
			var id int64
			g.Model(&model.InboxItem{}).Where("channel_id = ? AND remote_id = ?", ch, rid).Pluck("id", &id)
			if _, err := inbox.SetStatus(ctx, id, model.InboxOpen); err != nil {
				t.Fatal(err)
			}
			items[key].status = model.InboxOpen
			if _, err := inbox.RemoveLabel(ctx, id, "vip"); err != nil {
				t.Fatal(err)
			}
			delete(items[key].labels, "vip")
			what = "user reopens and unlabels " + key
		default:
			if err := db.Close(g); err != nil {
				t.Fatal(err)
			}
			g = open()
			inbox = NewInbox(g, now)
			what = "restart"
		}

		at := fmt.Sprintf("seed %d step %d (%s)", seed, step, what)
		stored, err := inbox.Rules(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(stored) != len(rules) {
			t.Fatalf("%s: %d rules stored, model %d", at, len(stored), len(rules))
		}
		for i, r := range stored {
			team := int64(0)
			if r.TeamID != nil {
				team = *r.TeamID
			}
			if r.ID != rules[i].id || r.Position != i+1 || r.Enabled != rules[i].enabled || team != rules[i].team {
				t.Fatalf("%s: rule %d = %+v, model %+v", at, i, r, *rules[i])
			}
		}
		var rows []model.InboxItem
		if err := g.Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(items) {
			t.Fatalf("%s: %d rows, model %d", at, len(rows), len(items))
		}
		for _, row := range rows {
			key := fmt.Sprintf("%d/%s", row.ChannelID, row.RemoteID)
			ref := items[key]
			var ls []string
			g.Model(&model.InboxLabel{}).Where("item_id = ?", row.ID).Pluck("lower(label)", &ls)
			sort.Strings(ls)
			var want []string
			for l := range ref.labels {
				want = append(want, l)
			}
			sort.Strings(want)
			team := int64(0)
			if row.TeamID != nil {
				team = *row.TeamID
			}
			if row.Status != ref.status || (row.ReadAt != nil) != ref.read || team != ref.team || strings.Join(ls, ",") != strings.Join(want, ",") {
				t.Fatalf("%s: %s = status %s read %v team %d labels %v; model status %s read %v team %d labels %v",
					at, key, row.Status, row.ReadAt != nil, team, ls, ref.status, ref.read, ref.team, want)
			}
		}
	}
}
