package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"herald/backend/model"
)

// Inbox owns the inbox: inbox_items, inbox_labels and inbox_sync are
// written only here (this file: what the sync stores; inbox_actions.go: the
// user's transitions; inbox_list.go: the reads).
//
// Two writers share a row and never touch each other's fields:
//
//   - the sync (StorePage, StoreRefresh) writes what the network says:
//     a new item, a newer edit (text, links, edited_at), a deletion
//     (deleted_at, final);
//   - the user (MarkRead, SetStatus, AddLabel, SetNote, Assign, ...) writes
//     status, read_at, labels, note, team_id and first_reply_at.
//
// So an item read again, edited or deleted on the network keeps everything
// the user did with it. The user's rules (inbox_rules.go) act for the user
// once, on a new row, in the transaction that creates it.
type Inbox struct {
	db  *gorm.DB
	now func() time.Time
	// window overrides searchWindow (tests use a small one).
	window int64
}

// NewInbox returns the inbox repository.
func NewInbox(db *gorm.DB, now func() time.Time) *Inbox { return &Inbox{db: db, now: now} }

// WithTx returns the repository bound to a transaction.
func (s *Inbox) WithTx(tx *gorm.DB) *Inbox { return &Inbox{db: tx, now: s.now, window: s.window} }

// Incoming is one item as the network reported it.
type Incoming struct {
	RemoteID         string
	Kind             model.InboxKind
	AuthorRemoteID   string
	AuthorHandle     string
	AuthorName       string
	AuthorAvatarURL  string
	AuthorProfileURL string
	Text             string
	Links            []string
	URL              string
	ParentRemoteID   string
	RootRemoteID     string
	ConversationID   string
	Language         string
	CreatedAt        time.Time
	EditedAt         time.Time
	Deleted          bool
}

// IngestPage is one page of a channel's inbox and the cursors to go on
// from once it is stored.
type IngestPage struct {
	Items []Incoming
	// Cursors are merged over the stored ones: a stream the page does not
	// name keeps its cursor.
	Cursors map[string]string
	// Last: the network has nothing more to read right now. The first time
	// a page is the last, the channel's backlog is done.
	Last bool
}

// Ingested is what storing a page did.
type Ingested struct {
	// New are the rows created, in page order, as the rules left them.
	// Backlog rows are stored read and must not be notified.
	New []model.InboxItem
	// Rules is what the rules did to each new row some rule matched, by
	// item id.
	Rules map[int64]RuleEffect
	// Changed counts existing rows that took an edit or a deletion.
	Changed int
	Seen    int
}

// ErrInvalidItem: an item the inbox cannot hold (no id, an unknown kind,
// no time). The sync reports such items as problems before storing.
var ErrInvalidItem = errors.New("invalid inbox item")

// CheckIncoming says why the inbox cannot hold it, or nil.
func CheckIncoming(in Incoming) error {
	switch {
	case in.RemoteID == "":
		return fmt.Errorf("%w: no id", ErrInvalidItem)
	case in.CreatedAt.IsZero():
		return fmt.Errorf("%w: %s has no time", ErrInvalidItem, in.RemoteID)
	}
	switch in.Kind {
	case model.InboxMention, model.InboxReply, model.InboxQuote, model.InboxMessage:
		return nil
	}
	return fmt.Errorf("%w: %s has unknown kind %q", ErrInvalidItem, in.RemoteID, in.Kind)
}

// StorePage stores a page's items and its cursors in one transaction, so
// a stop at any point either keeps both or neither: a cursor is never
// ahead of the items it stands for. An item already stored (same channel
// and remote id) is never inserted twice; it only takes a newer edit or a
// deletion. Each new row gets what the enabled rules do to it in the
// same transaction: a crash cannot keep an item without its rules.
func (s *Inbox) StorePage(ctx context.Context, channelID int64, p IngestPage) (Ingested, error) {
	var out Ingested
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		out = Ingested{}
		st, err := s.syncRow(ctx, tx, channelID)
		if err != nil {
			return err
		}
		rules, err := enabledRules(ctx, tx)
		if err != nil {
			return err
		}
		backlog := !st.BacklogDone
		var newest time.Time
		for _, in := range p.Items {
			created, changed, err := s.upsert(ctx, tx, channelID, in, backlog, false, rules)
			if err != nil {
				return err
			}
			out.Seen++
			if changed {
				out.Changed++
			}
			if created != nil {
				out.New = append(out.New, created.item)
				if created.effect.Matched() {
					if out.Rules == nil {
						out.Rules = map[int64]RuleEffect{}
					}
					out.Rules[created.item.ID] = created.effect
				}
				if !backlog && created.item.CreatedAt.After(newest) {
					newest = created.item.CreatedAt
				}
			}
		}
		cursors := map[string]string{}
		if st.Cursors != "" {
			if err := json.Unmarshal([]byte(st.Cursors), &cursors); err != nil {
				return fmt.Errorf("read channel %d's inbox cursors: %w", channelID, err)
			}
		}
		for k, v := range p.Cursors {
			cursors[k] = v
		}
		enc, err := json.Marshal(cursors)
		if err != nil {
			return fmt.Errorf("encode cursors: %w", err)
		}
		updates := map[string]any{
			"cursors":    string(enc),
			"items_seen": gorm.Expr("items_seen + ?", out.Seen),
			"items_new":  gorm.Expr("items_new + ?", len(out.New)),
			"updated_at": s.now().UTC(),
		}
		if p.Last {
			updates["backlog_done"] = true
		}
		if !newest.IsZero() && (st.LastActivityAt == nil || newest.After(*st.LastActivityAt)) {
			updates["last_activity_at"] = newest.UTC()
		}
		if err := tx.WithContext(ctx).Model(&model.InboxSync{}).Where("channel_id = ?", channelID).Updates(updates).Error; err != nil {
			return fmt.Errorf("store channel %d's inbox cursors: %w", channelID, err)
		}
		return nil
	})
	if err != nil {
		return Ingested{}, fmt.Errorf("store inbox page of channel %d: %w", channelID, err)
	}
	return out, nil
}

// StoreRefresh applies what a refresh of stored items found (edits,
// deletions) and records when it ran. It never creates a row: an item the
// inbox does not hold is ignored.
func (s *Inbox) StoreRefresh(ctx context.Context, channelID int64, items []Incoming) (changed int, err error) {
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		changed = 0
		if _, err := s.syncRow(ctx, tx, channelID); err != nil {
			return err
		}
		for _, in := range items {
			_, ch, err := s.upsert(ctx, tx, channelID, in, false, true, nil)
			if err != nil {
				return err
			}
			if ch {
				changed++
			}
		}
		now := s.now().UTC()
		return tx.WithContext(ctx).Model(&model.InboxSync{}).Where("channel_id = ?", channelID).
			Updates(map[string]any{"last_refresh_at": now, "updated_at": now}).Error
	})
	if err != nil {
		return 0, fmt.Errorf("store inbox refresh of channel %d: %w", channelID, err)
	}
	return changed, nil
}

// newRow is a row upsert created and what the rules did to it.
type newRow struct {
	item   model.InboxItem
	effect RuleEffect
}

// upsert stores one item: a new row (with what rules do to it), or the
// network's changes to an existing one. existingOnly skips items the
// inbox does not hold.
func (s *Inbox) upsert(ctx context.Context, tx *gorm.DB, channelID int64, in Incoming, backlog, existingOnly bool, rules ruleSet) (created *newRow, changed bool, err error) {
	// A refresh names items already held; only its id must be usable.
	if err := CheckIncoming(in); err != nil && (!existingOnly || in.RemoteID == "") {
		return nil, false, err
	}
	var cur model.InboxItem
	err = tx.WithContext(ctx).Select("id", "edited_at", "deleted_at").
		Where("channel_id = ? AND remote_id = ?", channelID, in.RemoteID).Take(&cur).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		// An item first seen as already deleted has nothing to show.
		if existingOnly || in.Deleted {
			return nil, false, nil
		}
		now := s.now().UTC()
		row := newItem(channelID, in, backlog, now)
		effect := rules.evaluate(row)
		effect.applyToNew(&row, now)
		if err := tx.WithContext(ctx).Create(&row).Error; err != nil {
			return nil, false, fmt.Errorf("insert inbox item %s: %w", in.RemoteID, err)
		}
		if err := applyLabels(ctx, tx, &row, effect.Labels); err != nil {
			return nil, false, err
		}
		return &newRow{item: row, effect: effect}, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("read inbox item %s: %w", in.RemoteID, err)
	}
	updates := map[string]any{}
	switch {
	case cur.DeletedAt != nil:
		// A deletion is final: a stale copy read later does not bring the
		// item back.
	case in.Deleted:
		updates["deleted_at"] = s.now().UTC()
	case !in.EditedAt.IsZero() && (cur.EditedAt == nil || in.EditedAt.After(*cur.EditedAt)):
		updates["text"] = in.Text
		updates["links"] = linksJSON(in.Links)
		updates["edited_at"] = in.EditedAt.UTC()
	}
	if len(updates) == 0 {
		return nil, false, nil
	}
	updates["version"] = gorm.Expr("version + 1")
	if err := tx.WithContext(ctx).Model(&model.InboxItem{}).Where("id = ?", cur.ID).Updates(updates).Error; err != nil {
		return nil, false, fmt.Errorf("update inbox item %s: %w", in.RemoteID, err)
	}
	return nil, true, nil
}

func newItem(channelID int64, in Incoming, backlog bool, now time.Time) model.InboxItem {
	row := model.InboxItem{
		ChannelID: channelID, RemoteID: in.RemoteID, Kind: in.Kind,
		AuthorRemoteID: in.AuthorRemoteID, AuthorHandle: in.AuthorHandle, AuthorName: in.AuthorName,
		AuthorAvatarURL: in.AuthorAvatarURL, AuthorProfileURL: in.AuthorProfileURL,
		Text: in.Text, Links: linksJSON(in.Links), URL: in.URL,
		ParentRemoteID: in.ParentRemoteID, RootRemoteID: in.RootRemoteID, ConversationID: in.ConversationID,
		Language: in.Language, CreatedAt: in.CreatedAt.UTC(), ReceivedAt: now,
		Status: model.InboxOpen, Backlog: backlog,
	}
	if !in.EditedAt.IsZero() {
		e := in.EditedAt.UTC()
		row.EditedAt = &e
	}
	if backlog {
		// The backlog was there before Herald looked: it is not news.
		row.ReadAt = &now
	}
	return row
}

func linksJSON(links []string) string {
	if len(links) == 0 {
		return "[]"
	}
	b, err := json.Marshal(links)
	if err != nil {
		return "[]"
	}
	return string(b)
}

// syncRow reads a channel's sync state, creating it on first use.
func (s *Inbox) syncRow(ctx context.Context, tx *gorm.DB, channelID int64) (model.InboxSync, error) {
	err := tx.WithContext(ctx).Exec(`INSERT INTO inbox_sync (channel_id, updated_at) VALUES (?, ?) ON CONFLICT (channel_id) DO NOTHING`,
		channelID, s.now().UTC()).Error
	if err != nil {
		return model.InboxSync{}, fmt.Errorf("create channel %d's inbox sync state: %w", channelID, err)
	}
	var st model.InboxSync
	if err := tx.WithContext(ctx).Where("channel_id = ?", channelID).Take(&st).Error; err != nil {
		return st, fmt.Errorf("read channel %d's inbox sync state: %w", channelID, err)
	}
	return st, nil
}

// DefaultInterval is a new channel's polling interval.
const DefaultInterval = 2 * time.Minute

// SyncState returns a channel's sync state; a channel never synced gets
// the defaults (nothing is written).
func (s *Inbox) SyncState(ctx context.Context, channelID int64) (model.InboxSync, error) {
	var st model.InboxSync
	err := s.db.WithContext(ctx).Where("channel_id = ?", channelID).Take(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return model.InboxSync{ChannelID: channelID, Cursors: "{}", Unavailable: "[]", IntervalSeconds: int(DefaultInterval / time.Second)}, nil
	}
	if err != nil {
		return st, fmt.Errorf("read channel %d's inbox sync state: %w", channelID, err)
	}
	return st, nil
}

// SyncStates returns every stored sync state by channel id.
func (s *Inbox) SyncStates(ctx context.Context) (map[int64]model.InboxSync, error) {
	var rows []model.InboxSync
	if err := s.db.WithContext(ctx).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read inbox sync states: %w", err)
	}
	out := make(map[int64]model.InboxSync, len(rows))
	for _, r := range rows {
		out[r.ChannelID] = r
	}
	return out, nil
}

// Cursors returns the stored cursors of a channel (empty before its first
// stored page).
func (s *Inbox) Cursors(ctx context.Context, channelID int64) (map[string]string, error) {
	st, err := s.SyncState(ctx, channelID)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	if st.Cursors != "" {
		if err := json.Unmarshal([]byte(st.Cursors), &out); err != nil {
			return nil, fmt.Errorf("read channel %d's inbox cursors: %w", channelID, err)
		}
	}
	return out, nil
}

// Run is the outcome of one sync run (or of a skip) of a channel.
type Run struct {
	At       time.Time
	Next     time.Time
	Interval time.Duration
	// Error is the user's words for why the run failed ("" when it did not).
	Error string
	// Skipped says why the run did not read ("" when it did).
	Skipped string
	// Unavailable is the JSON of the streams the credential may not read;
	// "" keeps what was recorded before (a skipped run learns nothing).
	Unavailable string
}

// RecordRun writes when a channel's sync ran, what it found wrong and
// when it runs next. A skip does not count as a run and keeps the last
// run's time.
func (s *Inbox) RecordRun(ctx context.Context, channelID int64, r Run) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := s.syncRow(ctx, tx, channelID); err != nil {
			return err
		}
		secs := int(r.Interval / time.Second)
		if secs < 1 {
			secs = int(DefaultInterval / time.Second)
		}
		updates := map[string]any{
			"next_run_at":      r.Next.UTC(),
			"interval_seconds": secs,
			"skipped_reason":   r.Skipped,
			"updated_at":       s.now().UTC(),
		}
		if r.Skipped == "" {
			updates["last_run_at"] = r.At.UTC()
			updates["last_error"] = r.Error
			updates["runs"] = gorm.Expr("runs + 1")
		}
		if r.Unavailable != "" {
			updates["unavailable"] = r.Unavailable
		}
		if err := tx.WithContext(ctx).Model(&model.InboxSync{}).Where("channel_id = ?", channelID).Updates(updates).Error; err != nil {
			return fmt.Errorf("record inbox run of channel %d: %w", channelID, err)
		}
		return nil
	})
}

// RecentRemoteIDs lists up to limit of a channel's items created since,
// newest first and not deleted: what a refresh checks for edits and
// deletions.
func (s *Inbox) RecentRemoteIDs(ctx context.Context, channelID int64, since time.Time, limit int) ([]string, error) {
	var ids []string
	err := s.db.WithContext(ctx).Model(&model.InboxItem{}).
		Where("channel_id = ? AND created_at >= ? AND deleted_at IS NULL", channelID, since.UTC()).
		Order("created_at DESC, id DESC").Limit(limit).Pluck("remote_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("list channel %d's recent inbox items: %w", channelID, err)
	}
	return ids, nil
}
