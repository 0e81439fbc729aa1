package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/store"
)

// InboxRuleForm is a rule as the rule dialog edits it. "" and 0 leave a
// condition or an action out.
type InboxRuleForm struct {
	Name         string `json:"name"`
	Enabled      bool   `json:"enabled"`
	TextContains string `json:"textContains"`
	AuthorIs     string `json:"authorIs"`
	Kind         string `json:"kind"`      // mention, reply, quote, message; "" any
	ChannelID    int64  `json:"channelId"` // 0: any channel
	AddLabel     string `json:"addLabel"`
	MarkDone     bool   `json:"markDone"`
	TeamID       int64  `json:"teamId"` // 0: no team
	Notify       bool   `json:"notify"`
}

// InboxRuleView is one rule of the list, with its conditions and actions
// in words.
type InboxRuleView struct {
	ID           int64    `json:"id"`
	Position     int      `json:"position"`
	Name         string   `json:"name"`
	Enabled      bool     `json:"enabled"`
	TextContains string   `json:"textContains"`
	AuthorIs     string   `json:"authorIs"`
	Kind         string   `json:"kind"`
	ChannelID    int64    `json:"channelId"`
	ChannelName  string   `json:"channelName"`
	AddLabel     string   `json:"addLabel"`
	MarkDone     bool     `json:"markDone"`
	TeamID       int64    `json:"teamId"`
	TeamName     string   `json:"teamName"`
	Notify       bool     `json:"notify"`
	Conditions   []string `json:"conditions"` // "the text contains “refund”"
	Actions      []string `json:"actions"`    // "add the label “billing”"
	UpdatedAt    string   `json:"updatedAt"`
}

func (f InboxRuleForm) input() store.RuleInput {
	return store.RuleInput{Name: f.Name, Enabled: f.Enabled, TextContains: f.TextContains, AuthorIs: f.AuthorIs,
		Kind: model.InboxKind(strings.TrimSpace(f.Kind)), ChannelID: f.ChannelID, AddLabel: f.AddLabel, MarkDone: f.MarkDone,
		TeamID: f.TeamID, Notify: f.Notify}
}

// ruleHints say how to get a rule accepted, by the field at fault.
var ruleHints = map[string]string{
	"conditions": "Fill in the text, an author, a kind or a channel.",
	"actions":    "Choose a label, Mark done, a team or Notify me.",
	"channelId":  "Reload Settings → Inbox to see the channels Herald has now.",
	"teamId":     "Reload Settings → Inbox to see the teams Herald has now.",
}

// ruleError turns what the store refused into the user's words.
func ruleError(err error) error {
	var re *store.RuleError
	switch {
	case errors.As(err, &re):
		msg := re.Message
		if !strings.HasSuffix(msg, ".") {
			msg += "."
		}
		return &apperr.Error{Code: apperr.CodeInvalid, Field: re.Field, Message: msg, Hint: ruleHints[re.Field]}
	case errors.Is(err, store.ErrNotFound):
		return &apperr.Error{Code: apperr.CodeNotFound, Message: "This rule no longer exists.", Hint: "Reload Settings → Inbox to see the rules as they are now."}
	}
	return err
}

type ruleNames struct {
	channels map[int64]model.Channel
	teams    map[int64]string
}

func (s *Inbox) ruleNames(ctx context.Context) (ruleNames, error) {
	chs, err := s.channelNames(ctx)
	if err != nil {
		return ruleNames{}, err
	}
	var teams []model.Team
	if err := s.db.WithContext(ctx).Find(&teams).Error; err != nil {
		return ruleNames{}, fmt.Errorf("list teams: %w", err)
	}
	out := ruleNames{channels: chs, teams: make(map[int64]string, len(teams))}
	for _, t := range teams {
		out.teams[t.ID] = t.Name
	}
	return out, nil
}

var kindNames = map[model.InboxKind]string{
	model.InboxMention: "a mention", model.InboxReply: "a reply", model.InboxQuote: "a quote", model.InboxMessage: "a direct message",
}

// ruleWords are a rule's conditions and actions in words.
func ruleWords(r model.InboxRule, n ruleNames) (conditions, actions []string) {
	conditions, actions = []string{}, []string{}
	if r.TextContains != "" {
		conditions = append(conditions, "the text contains “"+r.TextContains+"”")
	}
	if r.AuthorIs != "" {
		conditions = append(conditions, "the author is @"+r.AuthorIs)
	}
	if r.Kind != "" {
		conditions = append(conditions, "it is "+kindNames[r.Kind])
	}
	if r.ChannelID != nil {
		name := fmt.Sprintf("channel %d", *r.ChannelID)
		if ch, ok := n.channels[*r.ChannelID]; ok {
			name = channelName(ch)
		}
		conditions = append(conditions, "it came to "+name)
	}
	if r.AddLabel != "" {
		actions = append(actions, "add the label “"+r.AddLabel+"”")
	}
	if r.MarkDone {
		actions = append(actions, "mark it done")
	}
	if r.TeamID != nil {
		name := n.teams[*r.TeamID]
		if name == "" {
			name = fmt.Sprintf("team %d", *r.TeamID)
		}
		actions = append(actions, "assign it to "+name)
	}
	if r.Notify {
		actions = append(actions, "notify me, even when the channel's notifications are off")
	}
	return conditions, actions
}

func ruleView(r model.InboxRule, n ruleNames) InboxRuleView {
	v := InboxRuleView{ID: r.ID, Position: r.Position, Name: r.Name, Enabled: r.Enabled, TextContains: r.TextContains,
		AuthorIs: r.AuthorIs, Kind: string(r.Kind), AddLabel: r.AddLabel, MarkDone: r.MarkDone, Notify: r.Notify,
		UpdatedAt: stamp(r.UpdatedAt)}
	if r.ChannelID != nil {
		v.ChannelID = *r.ChannelID
		if ch, ok := n.channels[v.ChannelID]; ok {
			v.ChannelName = channelName(ch)
		}
	}
	if r.TeamID != nil {
		v.TeamID = *r.TeamID
		v.TeamName = n.teams[v.TeamID]
	}
	v.Conditions, v.Actions = ruleWords(r, n)
	return v
}

// sentence is a rule in one line, for the audit log: its name, conditions
// and actions (never an item's text).
func sentence(r model.InboxRule, n ruleNames) string {
	c, a := ruleWords(r, n)
	return fmt.Sprintf("“%s”: when %s, %s", r.Name, strings.Join(c, " and "), strings.Join(a, ", "))
}

// Rules lists the inbox rules in the order they run.
func (s *Inbox) Rules() ([]InboxRuleView, error) {
	ctx := context.Background()
	rules, err := s.inbox.Rules(ctx)
	if err != nil {
		return nil, err
	}
	names, err := s.ruleNames(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]InboxRuleView, 0, len(rules))
	for _, r := range rules {
		out = append(out, ruleView(r, names))
	}
	return out, nil
}

// ruleChange runs a change of the rules and its audit line in one
// transaction. change returns the rule to show and the audit line's event
// and summary; an empty event writes no line (nothing changed).
func (s *Inbox) ruleChange(ctx context.Context, change func(in *store.Inbox, names ruleNames) (model.InboxRule, string, string, error)) (InboxRuleView, error) {
	names, err := s.ruleNames(ctx)
	if err != nil {
		return InboxRuleView{}, err
	}
	var rule model.InboxRule
	wrote := false
	err = store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		r, event, summary, err := change(s.inbox.WithTx(tx), names)
		if err != nil {
			return err
		}
		rule = r
		if event == "" {
			return nil
		}
		details, _ := json.Marshal(map[string]any{"ruleId": r.ID})
		entry := &model.AuditEntry{Actor: model.ActorUser, Event: event, Summary: summary, Details: string(details)}
		if r.ChannelID != nil {
			if ch, ok := names.channels[*r.ChannelID]; ok {
				id := ch.ID
				entry.ChannelID, entry.ChannelName, entry.Teams = &id, ch.Label(), store.TeamNames(ch.Teams)
			}
		}
		wrote = true
		return s.audit.AppendTx(ctx, tx, entry)
	})
	if err != nil {
		return InboxRuleView{}, ruleError(err)
	}
	if wrote {
		s.emitter.Emit(events.AuditAppended, nil)
	}
	return ruleView(rule, names), nil
}

// CreateRule adds a rule at the end of the list. It runs on the items
// that arrive from now on; the items Herald holds are not changed.
func (s *Inbox) CreateRule(form InboxRuleForm) (InboxRuleView, error) {
	ctx := context.Background()
	return s.ruleChange(ctx, func(in *store.Inbox, names ruleNames) (model.InboxRule, string, string, error) {
		r, err := in.CreateRule(ctx, form.input())
		return r, "inbox.rule_created", "Created the inbox rule " + sentence(r, names), err
	})
}

// UpdateRule replaces a rule's name, conditions, actions and switch; it
// keeps its place.
func (s *Inbox) UpdateRule(id int64, form InboxRuleForm) (InboxRuleView, error) {
	ctx := context.Background()
	return s.ruleChange(ctx, func(in *store.Inbox, names ruleNames) (model.InboxRule, string, string, error) {
		before, after, err := in.UpdateRule(ctx, id, form.input())
		summary := "Changed the inbox rule " + sentence(after, names)
		if before.Name != after.Name {
			summary = fmt.Sprintf("Changed the inbox rule “%s” to %s", before.Name, sentence(after, names))
		}
		if !after.Enabled {
			summary += " (off)"
		}
		return after, "inbox.rule_changed", summary, err
	})
}

// SetRuleEnabled turns a rule on or off.
func (s *Inbox) SetRuleEnabled(id int64, enabled bool) (InboxRuleView, error) {
	ctx := context.Background()
	return s.ruleChange(ctx, func(in *store.Inbox, _ ruleNames) (model.InboxRule, string, string, error) {
		r, changed, err := in.SetRuleEnabled(ctx, id, enabled)
		if err != nil || !changed {
			return r, "", "", err
		}
		word := "off"
		if enabled {
			word = "on"
		}
		return r, "inbox.rule_changed", fmt.Sprintf("Turned the inbox rule “%s” %s", r.Name, word), nil
	})
}

// MoveRule moves a rule one place up or down the list (a rule higher up
// decides the team when several match) and returns the list after.
func (s *Inbox) MoveRule(id int64, up bool) ([]InboxRuleView, error) {
	ctx := context.Background()
	by, word := 1, "down"
	if up {
		by, word = -1, "up"
	}
	_, err := s.ruleChange(ctx, func(in *store.Inbox, _ ruleNames) (model.InboxRule, string, string, error) {
		r, moved, err := in.MoveRule(ctx, id, by)
		if err != nil || !moved {
			return r, "", "", err
		}
		return r, "inbox.rule_changed", fmt.Sprintf("Moved the inbox rule “%s” %s, to place %d", r.Name, word, r.Position+by), nil
	})
	if err != nil {
		return nil, err
	}
	return s.Rules()
}

// DeleteRule deletes a rule. What it did to items stays.
func (s *Inbox) DeleteRule(id int64) error {
	ctx := context.Background()
	_, err := s.ruleChange(ctx, func(in *store.Inbox, names ruleNames) (model.InboxRule, string, string, error) {
		r, err := in.DeleteRule(ctx, id)
		return r, "inbox.rule_deleted", "Deleted the inbox rule " + sentence(r, names), err
	})
	return err
}

// InboxRulePreview is what a rule would have done to the newest items.
type InboxRulePreview struct {
	// Scanned: how many of the newest items were tested (at most 500).
	Scanned int `json:"scanned"`
	// Matched: how many of them the rule's conditions hold for.
	Matched int `json:"matched"`
	// Items: a page of the matches, newest first, from Offset.
	Items  []InboxItemView `json:"items"`
	Offset int             `json:"offset"`
	// Actions: what the rule does to each match, in words.
	Actions []string `json:"actions"`
}

// MaxPreviewPage bounds one page of a preview.
const MaxPreviewPage = 50

// PreviewRule tests a rule that may not be saved yet against the 500
// newest items and returns how many it matches, a page of them (offset,
// at most 50) and what it would do. Nothing is changed: a rule only ever
// acts on items that arrive after it is saved.
func (s *Inbox) PreviewRule(form InboxRuleForm, offset, limit int) (InboxRulePreview, error) {
	ctx := context.Background()
	in := form.input()
	if strings.TrimSpace(in.Name) == "" {
		in.Name = "preview" // a rule being written may have no name yet
	}
	r, err := store.CheckRule(in)
	// A rule without actions yet can still show what its conditions match.
	var re *store.RuleError
	if noActions := errors.As(err, &re) && re.Field == "actions"; err != nil && !noActions {
		return InboxRulePreview{}, ruleError(err)
	}
	if offset < 0 {
		return InboxRulePreview{}, apperr.Invalid("offset", "The preview starts at its first match or later.")
	}
	if limit <= 0 || limit > MaxPreviewPage {
		limit = MaxPreviewPage
	}
	p, err := s.inbox.PreviewRule(ctx, r, store.RulePreviewWindow)
	if err != nil {
		return InboxRulePreview{}, err
	}
	names, err := s.ruleNames(ctx)
	if err != nil {
		return InboxRulePreview{}, err
	}
	out := InboxRulePreview{Scanned: p.Scanned, Matched: len(p.Matched), Offset: offset, Items: []InboxItemView{}}
	_, out.Actions = ruleWords(r, names)
	for i := offset; i < len(p.Matched) && i < offset+limit; i++ {
		it := p.Matched[i]
		out.Items = append(out.Items, itemView(it, names.channels[it.ChannelID]))
	}
	return out, nil
}
