package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"herald/backend/model"
)

// MaxInboxPage bounds one page of the inbox list.
const MaxInboxPage = 200

// InboxFilter narrows the inbox list. Zero values mean "any".
type InboxFilter struct {
	ChannelIDs []int64
	// TeamID: items assigned to the team, and unassigned items of the
	// team's channels.
	TeamID   int64
	Kinds    []model.InboxKind
	Statuses []model.InboxStatus
	Label    string
	// UnreadOnly: unread and not deleted on the network (what the counts
	// count).
	UnreadOnly bool
	// HasReply: true for items the channel answered, false for those it
	// did not; nil for both.
	HasReply *bool
	// Text is searched in the text and the author's handle and name
	// (full-text, every word must match, the last one as a prefix).
	Text  string
	Limit int
	// After is the last item of the previous page.
	After *InboxCursor
}

// InboxCursor is a position in the list: newest first by (created_at, id).
type InboxCursor struct {
	CreatedAt time.Time
	ID        int64
}

// The list skips the items of removed channels; the subquery reads the
// few removed channels once.
const activeChannels = "i.channel_id NOT IN (SELECT id FROM channels WHERE removed_at IS NOT NULL)"

// List returns a page of items newest first (a text search: newest stored
// first), their labels loaded, and the cursor of the next page (nil on the
// last page).
func (s *Inbox) List(ctx context.Context, f InboxFilter) ([]model.InboxItem, *InboxCursor, error) {
	where := []string{activeChannels}
	var args []any
	if len(f.ChannelIDs) > 0 {
		where = append(where, "i.channel_id IN ?")
		args = append(args, f.ChannelIDs)
	}
	if f.TeamID != 0 {
		where = append(where, "(i.team_id = ? OR (i.team_id IS NULL AND i.channel_id IN (SELECT channel_id FROM channel_teams WHERE team_id = ?)))")
		args = append(args, f.TeamID, f.TeamID)
	}
	if len(f.Kinds) > 0 {
		where = append(where, "i.kind IN ?")
		args = append(args, f.Kinds)
	}
	if len(f.Statuses) > 0 {
		where = append(where, "i.status IN ?")
		args = append(args, f.Statuses)
	}
	if f.Label != "" {
		where = append(where, "i.id IN (SELECT item_id FROM inbox_labels WHERE label = ?)")
		args = append(args, strings.Join(strings.Fields(f.Label), " "))
	}
	if f.UnreadOnly {
		// Exactly the partial index's predicate, so SQLite can use it.
		where = append(where, "i.read_at IS NULL AND i.deleted_at IS NULL")
	}
	if f.HasReply != nil {
		if *f.HasReply {
			where = append(where, "i.first_reply_at IS NOT NULL")
		} else {
			where = append(where, "i.first_reply_at IS NULL")
		}
	}
	limit := f.Limit
	if limit <= 0 || limit > MaxInboxPage {
		limit = MaxInboxPage
	}
	var items []model.InboxItem
	if q := MatchQuery(f.Text); q != "" {
		found, err := s.search(ctx, q, where, args, f.After, limit+1)
		if err != nil {
			return nil, nil, err
		}
		items = found
	} else {
		if f.After != nil {
			where = append(where, "(i.created_at, i.id) < (?, ?)")
			args = append(args, f.After.CreatedAt.UTC(), f.After.ID)
		}
		sql := "SELECT i.* FROM inbox_items i WHERE " + strings.Join(where, " AND ") + " ORDER BY i.created_at DESC, i.id DESC LIMIT ?"
		if err := s.db.WithContext(ctx).Raw(sql, append(args, limit+1)...).Scan(&items).Error; err != nil {
			return nil, nil, fmt.Errorf("list inbox: %w", err)
		}
	}
	var next *InboxCursor
	if len(items) > limit {
		items = items[:limit]
		last := items[limit-1]
		next = &InboxCursor{CreatedAt: last.CreatedAt, ID: last.ID}
	}
	if err := s.loadLabels(ctx, items); err != nil {
		return nil, nil, err
	}
	return items, next, nil
}

// searchWindow is how many item ids the first step of a search covers;
// each further step covers four times more.
const searchWindow = 16384

// search lists the items matching the full-text query q (and the other
// conditions), newest stored first, up to n. The index walks its matches
// by rowid (= item id, growing as items arrive); asked for them newest
// first over the whole inbox it would load every match of a common word,
// so it is asked for the newest window of ids first, then for wider
// windows below it until the page is full or the inbox is covered.
func (s *Inbox) search(ctx context.Context, q string, where []string, args []any, after *InboxCursor, n int) ([]model.InboxItem, error) {
	var top int64
	if err := s.db.WithContext(ctx).Raw("SELECT COALESCE(MAX(id), 0) FROM inbox_items").Scan(&top).Error; err != nil {
		return nil, fmt.Errorf("search inbox: %w", err)
	}
	upper := top + 1
	if after != nil && after.ID < upper {
		upper = after.ID
	}
	sql := "SELECT i.* FROM inbox_fts f JOIN inbox_items i ON i.id = f.rowid WHERE inbox_fts MATCH ? AND f.rowid < ? AND f.rowid >= ? AND " +
		strings.Join(where, " AND ") + " ORDER BY f.rowid DESC LIMIT ?"
	var out []model.InboxItem
	first := int64(searchWindow)
	if s.window > 0 {
		first = s.window
	}
	for window := first; upper > 0 && len(out) < n; window *= 4 {
		lower := upper - window
		var page []model.InboxItem
		params := append(append([]any{q, upper, lower}, args...), n-len(out))
		if err := s.db.WithContext(ctx).Raw(sql, params...).Scan(&page).Error; err != nil {
			return nil, fmt.Errorf("search inbox: %w", err)
		}
		out = append(out, page...)
		upper = lower
	}
	return out, nil
}

// MatchQuery turns what the user typed into an FTS5 query: every word
// quoted (so FTS5 operators and punctuation are literal text), all of them
// required, the last one a prefix so results follow the typing. "" for
// nothing to search.
func MatchQuery(text string) string {
	words := strings.Fields(text)
	if len(words) == 0 {
		return ""
	}
	quoted := make([]string, 0, len(words))
	for _, w := range words {
		quoted = append(quoted, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
	}
	quoted[len(quoted)-1] += "*"
	return strings.Join(quoted, " ")
}

func (s *Inbox) loadLabels(ctx context.Context, items []model.InboxItem) error {
	if len(items) == 0 {
		return nil
	}
	ids := make([]int64, len(items))
	at := make(map[int64]int, len(items))
	for i, it := range items {
		ids[i] = it.ID
		at[it.ID] = i
	}
	var labels []model.InboxLabel
	if err := s.db.WithContext(ctx).Where("item_id IN ?", ids).Order("label").Find(&labels).Error; err != nil {
		return fmt.Errorf("read inbox labels: %w", err)
	}
	for _, l := range labels {
		items[at[l.ItemID]].Labels = append(items[at[l.ItemID]].Labels, l.Label)
	}
	return nil
}

// Get returns one item with its labels.
func (s *Inbox) Get(ctx context.Context, id int64) (model.InboxItem, error) {
	var it model.InboxItem
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&it).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return it, fmt.Errorf("inbox item %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return it, fmt.Errorf("read inbox item %d: %w", id, err)
	}
	items := []model.InboxItem{it}
	if err := s.loadLabels(ctx, items); err != nil {
		return it, err
	}
	return items[0], nil
}

// MaxThread bounds the stored thread of an item.
const MaxThread = 1000

// StoredThread returns the stored items of it's conversation, oldest
// first: the items under the same root (or the same direct-message
// conversation), and the root and parent themselves when stored. It is
// the fallback when the network cannot read the thread.
func (s *Inbox) StoredThread(ctx context.Context, it model.InboxItem) ([]model.InboxItem, error) {
	q := s.db.WithContext(ctx).Where("channel_id = ?", it.ChannelID)
	switch {
	case it.ConversationID != "":
		q = q.Where("conversation_id = ?", it.ConversationID)
	case it.RootRemoteID != "":
		q = q.Where("root_remote_id = ? OR remote_id IN ?", it.RootRemoteID, []string{it.RootRemoteID, it.ParentRemoteID})
	default:
		q = q.Where("id = ?", it.ID)
	}
	var out []model.InboxItem
	if err := q.Order("created_at, id").Limit(MaxThread).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("read thread of inbox item %d: %w", it.ID, err)
	}
	return out, s.loadLabels(ctx, out)
}

// InboxCounts are the unread items per channel and in all (unread: not
// read and not deleted on the network; removed channels left out).
type InboxCounts struct {
	Unread map[int64]int64
	Total  int64
}

// Counts counts the unread items, through the unread index only.
func (s *Inbox) Counts(ctx context.Context) (InboxCounts, error) {
	var rows []struct {
		ChannelID int64
		N         int64
	}
	err := s.db.WithContext(ctx).Raw(`SELECT i.channel_id, count(*) AS n FROM inbox_items i
		WHERE i.read_at IS NULL AND i.deleted_at IS NULL AND ` + activeChannels + ` GROUP BY i.channel_id`).Scan(&rows).Error
	if err != nil {
		return InboxCounts{}, fmt.Errorf("count unread inbox items: %w", err)
	}
	out := InboxCounts{Unread: make(map[int64]int64, len(rows))}
	for _, r := range rows {
		out.Unread[r.ChannelID] = r.N
		out.Total += r.N
	}
	return out, nil
}
