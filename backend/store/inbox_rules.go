package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"herald/backend/model"
)

// The user's inbox rules. inbox_rules is written only here; the rules run
// in StorePage (inbox.go), inside the transaction that stores a page of
// new items, so an item is never stored without them.
//
// What the rules do to a new item (Evaluate):
//
//   - every enabled rule whose conditions all hold matches, in position
//     order;
//   - labels: the union of the matching rules' labels;
//   - done: when any matching rule marks done (a done item is also read,
//     as when the user marks it);
//   - team: the first matching rule that names a team wins, so a rule
//     higher in the list takes precedence over one below it;
//   - notify: when any matching rule notifies.
//
// Rules run on the first sync's backlog too: labels, done and the team
// organise an item whenever it was found. Notify never reaches a backlog
// item (the sync notifies no backlog item at all).

// Bounds of what a rule holds.
const (
	MaxRules          = 200
	MaxRuleName       = 80
	MaxRulePhrase     = 200
	MaxRuleAuthor     = 200
	RulePreviewWindow = 500
)

// RuleInput is a rule as the user wrote it; 0 and "" leave a condition or
// an action out.
type RuleInput struct {
	Name         string
	Enabled      bool
	TextContains string
	AuthorIs     string
	Kind         model.InboxKind
	ChannelID    int64
	AddLabel     string
	MarkDone     bool
	TeamID       int64
	Notify       bool
}

// RuleError says which part of a rule is wrong, in the user's words.
type RuleError struct {
	Field   string
	Message string
}

func (e *RuleError) Error() string { return e.Message }

// Unwrap makes a RuleError an ErrInvalidInput.
func (e *RuleError) Unwrap() error { return ErrInvalidInput }

func ruleErr(field, format string, args ...any) error {
	return &RuleError{Field: field, Message: fmt.Sprintf(format, args...)}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// normalizeAuthor drops the leading @ a handle may be written with, so
// "@ana@social.example" and "ana@social.example" are the same author.
func normalizeAuthor(s string) string { return strings.TrimPrefix(strings.TrimSpace(s), "@") }

// CheckRule checks a rule as the user wrote it and returns it cleaned up
// (spaces collapsed, the label normalised). It does not look at the
// database: CreateRule and UpdateRule also check that the channel and the
// team exist.
func CheckRule(in RuleInput) (model.InboxRule, error) {
	r := model.InboxRule{
		Name: oneLine(in.Name), Enabled: in.Enabled, TextContains: oneLine(in.TextContains),
		AuthorIs: normalizeAuthor(in.AuthorIs), Kind: in.Kind, MarkDone: in.MarkDone, Notify: in.Notify,
	}
	switch {
	case r.Name == "":
		return r, ruleErr("name", "A rule needs a name")
	case utf8.RuneCountInString(r.Name) > MaxRuleName:
		return r, ruleErr("name", "A rule's name is at most %d characters", MaxRuleName)
	case utf8.RuneCountInString(r.TextContains) > MaxRulePhrase:
		return r, ruleErr("textContains", "The text to look for is at most %d characters", MaxRulePhrase)
	case utf8.RuneCountInString(r.AuthorIs) > MaxRuleAuthor:
		return r, ruleErr("authorIs", "An author's handle is at most %d characters", MaxRuleAuthor)
	case strings.ContainsAny(r.AuthorIs, " \t\n"):
		return r, ruleErr("authorIs", "An author is one handle, like ana@social.example, without spaces")
	}
	switch r.Kind {
	case "", model.InboxMention, model.InboxReply, model.InboxQuote, model.InboxMessage:
	default:
		return r, ruleErr("kind", "Unknown kind %q: a mention, reply, quote or message", r.Kind)
	}
	if in.ChannelID < 0 || in.TeamID < 0 {
		return r, ruleErr("channelId", "Choose a channel and a team from the lists")
	}
	if in.ChannelID > 0 {
		id := in.ChannelID
		r.ChannelID = &id
	}
	if in.TeamID > 0 {
		id := in.TeamID
		r.TeamID = &id
	}
	if r.TextContains == "" && r.AuthorIs == "" && r.Kind == "" && r.ChannelID == nil {
		return r, ruleErr("conditions", "Give the rule at least one condition; a rule for every item is easy to make by mistake")
	}
	if strings.TrimSpace(in.AddLabel) != "" {
		label, err := NormalizeLabel(in.AddLabel)
		if err != nil {
			return r, ruleErr("addLabel", "%s", strings.TrimPrefix(err.Error(), ErrInvalidInput.Error()+": "))
		}
		r.AddLabel = label
	}
	if r.AddLabel == "" && !r.MarkDone && r.TeamID == nil && !r.Notify {
		return r, ruleErr("actions", "Give the rule at least one action: a label, done, a team or a notification")
	}
	return r, nil
}

// ruleMatcher is a rule ready to test many items: its phrase and author
// folded once.
type ruleMatcher struct {
	rule   model.InboxRule
	phrase string
	author string
}

func newMatcher(r model.InboxRule) ruleMatcher {
	return ruleMatcher{rule: r, phrase: strings.ToLower(r.TextContains), author: strings.ToLower(r.AuthorIs)}
}

// matches: every condition that is set holds. Text is compared without
// case and with runs of spaces and line breaks read as one space, as the
// phrase was saved.
func (m ruleMatcher) matches(it model.InboxItem) bool {
	r := m.rule
	if r.ChannelID != nil && *r.ChannelID != it.ChannelID {
		return false
	}
	if r.Kind != "" && r.Kind != it.Kind {
		return false
	}
	if m.author != "" && m.author != strings.ToLower(normalizeAuthor(it.AuthorHandle)) {
		return false
	}
	if m.phrase != "" && !strings.Contains(strings.ToLower(oneLine(it.Text)), m.phrase) {
		return false
	}
	return true
}

// MatchRule says whether a rule's conditions all hold for an item
// (whether or not the rule is enabled).
func MatchRule(r model.InboxRule, it model.InboxItem) bool { return newMatcher(r).matches(it) }

// RuleEffect is what the rules do to one item.
type RuleEffect struct {
	// Rules are the ids of the matching rules, in order.
	Rules  []int64
	Labels []string
	Done   bool
	TeamID int64
	Notify bool
}

// Matched says whether any rule matched.
func (e RuleEffect) Matched() bool { return len(e.Rules) > 0 }

// ruleSet is the enabled rules of one StorePage, in order.
type ruleSet []ruleMatcher

func newRuleSet(rules []model.InboxRule) ruleSet {
	out := make(ruleSet, 0, len(rules))
	for _, r := range rules {
		if r.Enabled {
			out = append(out, newMatcher(r))
		}
	}
	return out
}

func (rs ruleSet) evaluate(it model.InboxItem) RuleEffect {
	var e RuleEffect
	seen := map[string]bool{}
	for _, m := range rs {
		if !m.matches(it) {
			continue
		}
		r := m.rule
		e.Rules = append(e.Rules, r.ID)
		if r.AddLabel != "" && !seen[strings.ToLower(r.AddLabel)] && len(e.Labels) < MaxLabels {
			seen[strings.ToLower(r.AddLabel)] = true
			e.Labels = append(e.Labels, r.AddLabel)
		}
		e.Done = e.Done || r.MarkDone
		if e.TeamID == 0 && r.TeamID != nil {
			e.TeamID = *r.TeamID
		}
		e.Notify = e.Notify || r.Notify
	}
	return e
}

// Evaluate is what the enabled rules, in order, do to an item (see the
// rules at the top of this file).
func Evaluate(rules []model.InboxRule, it model.InboxItem) RuleEffect {
	return newRuleSet(rules).evaluate(it)
}

// applyToNew puts a rule effect on a row about to be inserted: the
// status, read time and team are part of the INSERT; the labels follow it
// (applyLabels), in the same transaction.
func (e RuleEffect) applyToNew(row *model.InboxItem, now time.Time) {
	if e.Done {
		row.Status = model.InboxDone
		if row.ReadAt == nil {
			row.ReadAt = &now
		}
	}
	if e.TeamID != 0 {
		team := e.TeamID
		row.TeamID = &team
	}
}

func applyLabels(ctx context.Context, tx *gorm.DB, row *model.InboxItem, labels []string) error {
	for _, l := range labels {
		if err := tx.WithContext(ctx).Exec(`INSERT INTO inbox_labels (item_id, label) VALUES (?, ?) ON CONFLICT DO NOTHING`, row.ID, l).Error; err != nil {
			return fmt.Errorf("label inbox item %s by a rule: %w", row.RemoteID, err)
		}
		row.Labels = append(row.Labels, l)
	}
	return nil
}

// enabledRules reads the enabled rules in order, inside tx.
func enabledRules(ctx context.Context, tx *gorm.DB) (ruleSet, error) {
	var rules []model.InboxRule
	if err := tx.WithContext(ctx).Where("enabled = 1").Order("position, id").Find(&rules).Error; err != nil {
		return nil, fmt.Errorf("read inbox rules: %w", err)
	}
	return newRuleSet(rules), nil
}

// Rules lists every rule in run order.
func (s *Inbox) Rules(ctx context.Context) ([]model.InboxRule, error) {
	var rules []model.InboxRule
	if err := s.db.WithContext(ctx).Order("position, id").Find(&rules).Error; err != nil {
		return nil, fmt.Errorf("list inbox rules: %w", err)
	}
	return rules, nil
}

// Rule returns one rule.
func (s *Inbox) Rule(ctx context.Context, id int64) (model.InboxRule, error) {
	var r model.InboxRule
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, fmt.Errorf("inbox rule %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("read inbox rule %d: %w", id, err)
	}
	return r, nil
}

// checkRefs checks that the rule's channel and team exist (a removed
// channel is not offered: its rules would never match).
func (s *Inbox) checkRefs(ctx context.Context, r model.InboxRule) error {
	if r.ChannelID != nil {
		var n int64
		if err := s.db.WithContext(ctx).Model(&model.Channel{}).Where("id = ? AND removed_at IS NULL", *r.ChannelID).Count(&n).Error; err != nil {
			return fmt.Errorf("read channel %d: %w", *r.ChannelID, err)
		}
		if n == 0 {
			return ruleErr("channelId", "That channel is no longer in Herald; choose another")
		}
	}
	if r.TeamID != nil {
		var n int64
		if err := s.db.WithContext(ctx).Model(&model.Team{}).Where("id = ?", *r.TeamID).Count(&n).Error; err != nil {
			return fmt.Errorf("read team %d: %w", *r.TeamID, err)
		}
		if n == 0 {
			return ruleErr("teamId", "That team no longer exists; choose another")
		}
	}
	return nil
}

// CreateRule adds a rule at the end of the list.
func (s *Inbox) CreateRule(ctx context.Context, in RuleInput) (model.InboxRule, error) {
	r, err := CheckRule(in)
	if err != nil {
		return r, err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		in := s.WithTx(tx)
		if err := in.checkRefs(ctx, r); err != nil {
			return err
		}
		var count int64
		var last int
		if err := tx.Model(&model.InboxRule{}).Count(&count).Error; err != nil {
			return fmt.Errorf("count inbox rules: %w", err)
		}
		if count >= MaxRules {
			return ruleErr("", "Herald keeps at most %d rules; delete one you no longer need first", MaxRules)
		}
		if err := tx.Raw(`SELECT coalesce(max(position), 0) FROM inbox_rules`).Scan(&last).Error; err != nil {
			return fmt.Errorf("read the last rule's position: %w", err)
		}
		now := s.now().UTC()
		r.Position, r.CreatedAt, r.UpdatedAt = last+1, now, now
		if err := tx.Create(&r).Error; err != nil {
			return fmt.Errorf("create inbox rule %q: %w", r.Name, err)
		}
		return nil
	})
	if err != nil {
		return model.InboxRule{}, err
	}
	return r, nil
}

// UpdateRule replaces a rule's name, conditions, actions and switch; its
// place in the list stays. It returns the rule before and after.
func (s *Inbox) UpdateRule(ctx context.Context, id int64, in RuleInput) (before, after model.InboxRule, err error) {
	after, err = CheckRule(in)
	if err != nil {
		return before, after, err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		in := s.WithTx(tx)
		var err error
		if before, err = in.Rule(ctx, id); err != nil {
			return err
		}
		if err := in.checkRefs(ctx, after); err != nil {
			return err
		}
		after.ID, after.Position, after.CreatedAt, after.UpdatedAt = before.ID, before.Position, before.CreatedAt, s.now().UTC()
		// Select every column: Save would skip nothing, but Updates with a
		// struct skips false and nil, which are real values here.
		res := tx.Model(&model.InboxRule{}).Where("id = ?", id).Select("name", "enabled", "text_contains", "author_is", "kind",
			"channel_id", "add_label", "mark_done", "team_id", "notify", "updated_at").Updates(&after)
		if res.Error != nil {
			return fmt.Errorf("update inbox rule %d: %w", id, res.Error)
		}
		return nil
	})
	if err != nil {
		return model.InboxRule{}, model.InboxRule{}, err
	}
	return before, after, nil
}

// SetRuleEnabled turns a rule on or off; changed is false when it already
// was.
func (s *Inbox) SetRuleEnabled(ctx context.Context, id int64, enabled bool) (model.InboxRule, bool, error) {
	var r model.InboxRule
	changed := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		in := s.WithTx(tx)
		var err error
		if r, err = in.Rule(ctx, id); err != nil {
			return err
		}
		res := tx.Model(&model.InboxRule{}).Where("id = ? AND enabled <> ?", id, enabled).
			Updates(map[string]any{"enabled": enabled, "updated_at": s.now().UTC()})
		if res.Error != nil {
			return fmt.Errorf("switch inbox rule %d: %w", id, res.Error)
		}
		changed = res.RowsAffected > 0
		r.Enabled = enabled
		return nil
	})
	return r, changed, err
}

// MoveRule moves a rule one place up (by -1) or down (by 1); moved is
// false at either end of the list.
func (s *Inbox) MoveRule(ctx context.Context, id int64, by int) (r model.InboxRule, moved bool, err error) {
	if by != -1 && by != 1 {
		return r, false, fmt.Errorf("%w: a rule moves one place up or down", ErrInvalidInput)
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		rules, err := s.WithTx(tx).Rules(ctx)
		if err != nil {
			return err
		}
		at := -1
		for i, x := range rules {
			if x.ID == id {
				at = i
			}
		}
		if at < 0 {
			return fmt.Errorf("inbox rule %d: %w", id, ErrNotFound)
		}
		r = rules[at]
		to := at + by
		if to < 0 || to >= len(rules) {
			return nil
		}
		rules[at], rules[to] = rules[to], rules[at]
		moved = true
		return renumber(ctx, tx, rules, s.now().UTC(), id)
	})
	return r, moved, err
}

// DeleteRule deletes a rule and closes the gap it leaves.
func (s *Inbox) DeleteRule(ctx context.Context, id int64) (model.InboxRule, error) {
	var r model.InboxRule
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		in := s.WithTx(tx)
		var err error
		if r, err = in.Rule(ctx, id); err != nil {
			return err
		}
		if err := tx.Delete(&model.InboxRule{}, id).Error; err != nil {
			return fmt.Errorf("delete inbox rule %d: %w", id, err)
		}
		rest, err := in.Rules(ctx)
		if err != nil {
			return err
		}
		return renumber(ctx, tx, rest, s.now().UTC(), 0)
	})
	return r, err
}

// renumber writes positions 1..n in the given order; only rows whose
// position changes are written (moved, the rule the user moved, also gets
// its updated_at).
func renumber(ctx context.Context, tx *gorm.DB, rules []model.InboxRule, now time.Time, moved int64) error {
	for i, r := range rules {
		if r.Position == i+1 {
			continue
		}
		set := map[string]any{"position": i + 1}
		if r.ID == moved {
			set["updated_at"] = now
		}
		if err := tx.WithContext(ctx).Model(&model.InboxRule{}).Where("id = ?", r.ID).Updates(set).Error; err != nil {
			return fmt.Errorf("reorder inbox rule %d: %w", r.ID, err)
		}
	}
	return nil
}

// RulePreview is what a rule would have done to the newest items.
type RulePreview struct {
	// Scanned: how many of the newest items were tested (at most
	// RulePreviewWindow).
	Scanned int
	// Matched: the items the rule's conditions hold for, newest first.
	Matched []model.InboxItem
}

// PreviewRule tests a rule (saved or not) against the newest n items of
// the channels in Herald, newest first, and changes nothing. The rule's
// switch is ignored: a rule being written is tested as if it were on.
func (s *Inbox) PreviewRule(ctx context.Context, r model.InboxRule, n int) (RulePreview, error) {
	if n <= 0 || n > RulePreviewWindow {
		n = RulePreviewWindow
	}
	var items []model.InboxItem
	err := s.db.WithContext(ctx).Raw(`SELECT i.* FROM inbox_items i WHERE `+activeChannels+` ORDER BY i.created_at DESC, i.id DESC LIMIT ?`, n).
		Scan(&items).Error
	if err != nil {
		return RulePreview{}, fmt.Errorf("read the newest inbox items: %w", err)
	}
	m := newMatcher(r)
	out := RulePreview{Scanned: len(items)}
	for _, it := range items {
		if m.matches(it) {
			out.Matched = append(out.Matched, it)
		}
	}
	if err := s.loadLabels(ctx, out.Matched); err != nil {
		return RulePreview{}, err
	}
	return out, nil
}
