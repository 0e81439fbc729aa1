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

// The user's transitions of an inbox item. Each is one conditional UPDATE
// that bumps the item's version when it changes something; none touches the
// network's fields, and the sync touches none of these.
//
// Status rules:
//
//	open ──done──▶ done ──reopen──▶ open
//	open ──archive──▶ archived ──reopen──▶ open
//	done ◀──────────▶ archived
//
// Every status may move to every other (archived items can be reopened).
// Moving an item to done or archived also marks it read: the user has
// dealt with it, so it must not stay in the unread counts. Reopening keeps
// it read; MarkUnread brings it back to the counts.

// Bounds of what the user types.
const (
	MaxLabelLength = 40
	MaxLabels      = 20
	MaxNoteLength  = 5000
)

// ErrInvalidInput: a label, note or status the inbox does not accept.
var ErrInvalidInput = errors.New("invalid input")

// changeItem applies set to item id when cond holds, bumping its version.
// It reports whether the row changed; a missing item is ErrNotFound.
func (s *Inbox) changeItem(ctx context.Context, id int64, set map[string]any, cond string, args ...any) (bool, error) {
	set["version"] = gorm.Expr("version + 1")
	q := s.db.WithContext(ctx).Model(&model.InboxItem{}).Where("id = ?", id)
	if cond != "" {
		q = q.Where(cond, args...)
	}
	res := q.Updates(set)
	if res.Error != nil {
		return false, fmt.Errorf("change inbox item %d: %w", id, res.Error)
	}
	if res.RowsAffected > 0 {
		return true, nil
	}
	return false, s.exists(ctx, id)
}

func (s *Inbox) exists(ctx context.Context, id int64) error {
	var n int64
	if err := s.db.WithContext(ctx).Model(&model.InboxItem{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return fmt.Errorf("read inbox item %d: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("inbox item %d: %w", id, ErrNotFound)
	}
	return nil
}

// MarkRead marks an item read (a read item keeps its first read time).
func (s *Inbox) MarkRead(ctx context.Context, id int64) (bool, error) {
	return s.changeItem(ctx, id, map[string]any{"read_at": s.now().UTC()}, "read_at IS NULL")
}

// MarkUnread brings an item back to the unread counts.
func (s *Inbox) MarkUnread(ctx context.Context, id int64) (bool, error) {
	return s.changeItem(ctx, id, map[string]any{"read_at": nil}, "read_at IS NOT NULL")
}

// ParseStatus checks a status the user chose.
func ParseStatus(v string) (model.InboxStatus, error) {
	switch st := model.InboxStatus(v); st {
	case model.InboxOpen, model.InboxDone, model.InboxArchived:
		return st, nil
	}
	return "", fmt.Errorf("%w: unknown status %q", ErrInvalidInput, v)
}

// SetStatus moves an item to status to (see the rules above).
func (s *Inbox) SetStatus(ctx context.Context, id int64, to model.InboxStatus) (bool, error) {
	if _, err := ParseStatus(string(to)); err != nil {
		return false, err
	}
	set := map[string]any{"status": to}
	if to != model.InboxOpen {
		set["read_at"] = gorm.Expr("coalesce(read_at, ?)", s.now().UTC())
	}
	return s.changeItem(ctx, id, set, "status <> ?", to)
}

// NormalizeLabel trims a label and checks its length; labels compare
// without case.
func NormalizeLabel(label string) (string, error) {
	label = strings.Join(strings.Fields(label), " ")
	switch {
	case label == "":
		return "", fmt.Errorf("%w: a label needs a name", ErrInvalidInput)
	case utf8.RuneCountInString(label) > MaxLabelLength:
		return "", fmt.Errorf("%w: labels are at most %d characters", ErrInvalidInput, MaxLabelLength)
	}
	return label, nil
}

// AddLabel puts a label on an item (once; the same label in other case is
// the same label).
func (s *Inbox) AddLabel(ctx context.Context, id int64, label string) (bool, error) {
	label, err := NormalizeLabel(label)
	if err != nil {
		return false, err
	}
	changed := false
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		in := s.WithTx(tx)
		if err := in.exists(ctx, id); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&model.InboxLabel{}).Where("item_id = ?", id).Count(&n).Error; err != nil {
			return fmt.Errorf("count labels of inbox item %d: %w", id, err)
		}
		res := tx.Exec(`INSERT INTO inbox_labels (item_id, label) SELECT ?, ? WHERE ? < ? ON CONFLICT DO NOTHING`, id, label, n, MaxLabels)
		if res.Error != nil {
			return fmt.Errorf("label inbox item %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			var has int64
			if err := tx.Model(&model.InboxLabel{}).Where("item_id = ? AND label = ?", id, label).Count(&has).Error; err != nil {
				return err
			}
			if has == 0 {
				return fmt.Errorf("%w: an item has at most %d labels", ErrInvalidInput, MaxLabels)
			}
			return nil
		}
		changed = true
		_, err := in.changeItem(ctx, id, map[string]any{}, "")
		return err
	})
	return changed, err
}

// RemoveLabel takes a label off an item.
func (s *Inbox) RemoveLabel(ctx context.Context, id int64, label string) (bool, error) {
	label = strings.Join(strings.Fields(label), " ")
	changed := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		in := s.WithTx(tx)
		if err := in.exists(ctx, id); err != nil {
			return err
		}
		res := tx.Exec(`DELETE FROM inbox_labels WHERE item_id = ? AND label = ?`, id, label)
		if res.Error != nil {
			return fmt.Errorf("unlabel inbox item %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		changed = true
		_, err := in.changeItem(ctx, id, map[string]any{}, "")
		return err
	})
	return changed, err
}

// SetNote replaces an item's internal note ("" removes it).
func (s *Inbox) SetNote(ctx context.Context, id int64, note string) (bool, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxNoteLength {
		return false, fmt.Errorf("%w: a note is at most %d characters", ErrInvalidInput, MaxNoteLength)
	}
	return s.changeItem(ctx, id, map[string]any{"note": note}, "note <> ?", note)
}

// Assign gives an item to a team (0: to none).
func (s *Inbox) Assign(ctx context.Context, id, teamID int64) (bool, error) {
	if teamID == 0 {
		return s.changeItem(ctx, id, map[string]any{"team_id": nil}, "team_id IS NOT NULL")
	}
	var n int64
	if err := s.db.WithContext(ctx).Model(&model.Team{}).Where("id = ?", teamID).Count(&n).Error; err != nil {
		return false, fmt.Errorf("read team %d: %w", teamID, err)
	}
	if n == 0 {
		return false, fmt.Errorf("team %d: %w", teamID, ErrNotFound)
	}
	return s.changeItem(ctx, id, map[string]any{"team_id": teamID}, "team_id IS NULL OR team_id <> ?", teamID)
}

// RecordFirstReply records when the channel first answered an item; only
// an earlier time replaces it, so the first-reply time never grows.
func (s *Inbox) RecordFirstReply(ctx context.Context, id int64, at time.Time) (bool, error) {
	at = at.UTC()
	return s.changeItem(ctx, id, map[string]any{"first_reply_at": at}, "first_reply_at IS NULL OR first_reply_at > ?", at)
}

// SetLiked records that the user liked (or unliked) an item on the
// network; false when it already was so.
func (s *Inbox) SetLiked(ctx context.Context, id int64, on bool) (bool, error) {
	return s.setMark(ctx, id, "liked_at", on)
}

// SetHidden records that the user hid (or showed again) a reply under the
// channel's post; false when it already was so.
func (s *Inbox) SetHidden(ctx context.Context, id int64, on bool) (bool, error) {
	return s.setMark(ctx, id, "hidden_at", on)
}

func (s *Inbox) setMark(ctx context.Context, id int64, column string, on bool) (bool, error) {
	if on {
		return s.changeItem(ctx, id, map[string]any{column: s.now().UTC()}, column+" IS NULL")
	}
	return s.changeItem(ctx, id, map[string]any{column: nil}, column+" IS NOT NULL")
}

// AuthorMark is a mark on an author: muted or blocked.
type AuthorMark string

const (
	AuthorMuted   AuthorMark = "muted_at"
	AuthorBlocked AuthorMark = "blocked_at"
)

// SetAuthor records that the user muted or blocked (or took it back) an
// author from a channel; false when it already was so.
func (s *Inbox) SetAuthor(ctx context.Context, channelID int64, author string, mark AuthorMark, on bool) (bool, error) {
	if author == "" {
		return false, fmt.Errorf("mark an author of channel %d: no author id", channelID)
	}
	if mark != AuthorMuted && mark != AuthorBlocked {
		return false, fmt.Errorf("mark an author: unknown mark %q", mark)
	}
	now := s.now().UTC()
	var at any
	cond := string(mark) + " IS NOT NULL"
	if on {
		at, cond = now, string(mark)+" IS NULL"
	}
	db := s.db.WithContext(ctx)
	if err := db.Exec(`INSERT INTO inbox_authors (channel_id, author_remote_id, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (channel_id, author_remote_id) DO NOTHING`, channelID, author, now).Error; err != nil {
		return false, fmt.Errorf("mark an author of channel %d: %w", channelID, err)
	}
	res := db.Exec("UPDATE inbox_authors SET "+string(mark)+" = ?, updated_at = ? WHERE channel_id = ? AND author_remote_id = ? AND "+cond,
		at, now, channelID, author)
	if res.Error != nil {
		return false, fmt.Errorf("mark an author of channel %d: %w", channelID, res.Error)
	}
	return res.RowsAffected > 0, nil
}

// Author reads what the user did to an author from a channel (the zero
// value when nothing).
func (s *Inbox) Author(ctx context.Context, channelID int64, author string) (model.InboxAuthor, error) {
	var out model.InboxAuthor
	err := s.db.WithContext(ctx).Where("channel_id = ? AND author_remote_id = ?", channelID, author).Limit(1).Find(&out).Error
	if err != nil {
		return out, fmt.Errorf("read author %q of channel %d: %w", author, channelID, err)
	}
	return out, nil
}
