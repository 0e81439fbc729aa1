package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"herald/backend/model"
)

// Posts is the post repository (the composer's and calendar's view).
type Posts struct {
	db  *gorm.DB
	now func() time.Time
}

// NewPosts returns the post repository.
func NewPosts(db *gorm.DB, now func() time.Time) *Posts { return &Posts{db: db, now: now} }

// WithTx returns the repository bound to a transaction.
func (p *Posts) WithTx(tx *gorm.DB) *Posts { return &Posts{db: tx, now: p.now} }

// Get returns a post with its targets (ordered) and their media.
func (p *Posts) Get(ctx context.Context, id int64) (model.Post, error) {
	var post model.Post
	err := p.db.WithContext(ctx).
		Preload("Targets", func(db *gorm.DB) *gorm.DB { return db.Order("position, id") }).
		Preload("Targets.Media", func(db *gorm.DB) *gorm.DB { return db.Order("position") }).
		Where("id = ?", id).Take(&post).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return post, fmt.Errorf("post %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return post, fmt.Errorf("get post %d: %w", id, err)
	}
	return post, nil
}

// Save inserts or updates a post and replaces its targets' content. A
// target keeps its id, idempotency key and ledger when its channel stays;
// targets of channels no longer selected are deleted (only drafts and
// not-yet-attempted targets may be, the caller checks).
func (p *Posts) Save(ctx context.Context, post *model.Post, targets []model.PostTarget) error {
	now := p.now().UTC()
	post.UpdatedAt = now
	db := p.db.WithContext(ctx)
	if post.ID == 0 {
		post.CreatedAt = now
		if post.Kind == "" {
			post.Kind = model.PostKindPost
		}
		if err := db.Omit("Targets").Create(post).Error; err != nil {
			return fmt.Errorf("create post: %w", err)
		}
	} else if err := db.Model(post).Select("title", "time_zone", "missed_policy", "grace_minutes", "handoff", "updated_at").Updates(post).Error; err != nil {
		return fmt.Errorf("update post %d: %w", post.ID, err)
	}
	var existing []model.PostTarget
	if err := db.Where("post_id = ?", post.ID).Find(&existing).Error; err != nil {
		return err
	}
	byChannel := map[int64]model.PostTarget{}
	for _, t := range existing {
		byChannel[t.ChannelID] = t
	}
	guard, guardArgs := userGuard(ActionEdit)
	keep := map[int64]bool{}
	for i := range targets {
		t := &targets[i]
		t.PostID, t.Position, t.UpdatedAt = post.ID, i, now
		if old, ok := byChannel[t.ChannelID]; ok {
			t.ID, t.IdempotencyKey, t.CreatedAt = old.ID, old.IdempotencyKey, old.CreatedAt
			res := db.Model(&model.PostTarget{}).Where("id = ? AND version = ? AND "+guard, append([]any{old.ID, old.Version}, guardArgs...)...).
				Updates(map[string]any{"body": t.Body, "link": t.Link, "thread": t.Thread, "first_comment": t.FirstComment, "options": t.Options,
					"position": t.Position, "version": gorm.Expr("version + 1"), "updated_at": now})
			if res.Error != nil {
				return fmt.Errorf("update variant: %w", res.Error)
			}
			if res.RowsAffected == 0 {
				return refusal(ctx, db, old.ID, ActionEdit)
			}
		} else {
			t.CreatedAt = now
			if t.Status == "" {
				t.Status = model.TargetDraft
			}
			if t.ItemIDs == "" {
				t.ItemIDs = "[]"
			}
			media := t.Media
			t.Media = nil
			if err := db.Omit("Media").Create(t).Error; err != nil {
				return fmt.Errorf("create variant: %w", err)
			}
			t.Media = media
		}
		keep[t.ChannelID] = true
		if err := db.Where("target_id = ?", t.ID).Delete(&model.TargetMedia{}).Error; err != nil {
			return err
		}
		for j := range t.Media {
			m := t.Media[j]
			m.ID, m.TargetID, m.Position = 0, t.ID, j
			if err := db.Create(&m).Error; err != nil {
				return fmt.Errorf("attach media: %w", err)
			}
		}
	}
	for _, old := range existing {
		if keep[old.ChannelID] {
			continue
		}
		res := db.Where("id = ? AND version = ? AND "+guard, append([]any{old.ID, old.Version}, guardArgs...)...).Delete(&model.PostTarget{})
		if res.Error != nil {
			return fmt.Errorf("remove variant: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return refusal(ctx, db, old.ID, ActionEdit)
		}
	}
	return RefreshPostStatus(ctx, db, post.ID, now)
}

// Delete deletes a post with its targets, media rows and ledger — only if
// none of its targets is publishing, of unknown outcome or held by a
// network's scheduler (take it back first).
func (p *Posts) Delete(ctx context.Context, id int64) error {
	db := p.db.WithContext(ctx)
	guard, args := userGuard(ActionDelete)
	res := db.Exec(`DELETE FROM posts WHERE id = ? AND NOT EXISTS (SELECT 1 FROM post_targets WHERE post_id = ? AND NOT (`+guard+`))`,
		append([]any{id, id}, args...)...)
	if res.Error != nil {
		return fmt.Errorf("delete post %d: %w", id, res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	var targets []model.PostTarget
	if err := db.Where("post_id = ?", id).Find(&targets).Error; err != nil {
		return fmt.Errorf("read post %d: %w", id, err)
	}
	if len(targets) == 0 {
		var n int64
		if err := db.Model(&model.Post{}).Where("id = ?", id).Count(&n).Error; err != nil || n == 0 {
			return fmt.Errorf("post %d: %w", id, ErrNotFound)
		}
	}
	for _, t := range targets {
		if err := refusalOf(t, ActionDelete); err != nil {
			return err
		}
	}
	return fmt.Errorf("post %d changed meanwhile: %w", id, ErrNotClaimed)
}

// ScheduleTargets sets when each target is due (action is ActionSchedule
// or ActionPublishNow). A target of unknown outcome keeps its mark: the
// engine looks at the channel before it publishes anything.
func (p *Posts) ScheduleTargets(ctx context.Context, postID int64, due map[int64]time.Time, slotQueued bool, at *time.Time, action TargetAction) error {
	now := p.now().UTC()
	db := p.db.WithContext(ctx)
	guard, args := userGuard(action)
	ids := make([]int64, 0, len(due))
	for id := range due {
		ids = append(ids, id)
	}
	slices.Sort(ids) // a refusal names the same target every time
	for _, targetID := range ids {
		w := due[targetID].UTC()
		res := db.Model(&model.PostTarget{}).Where("id = ? AND post_id = ? AND "+guard, append([]any{targetID, postID}, args...)...).
			Updates(map[string]any{"status": model.TargetScheduled, "due_at": w, "next_attempt_at": w, "error_class": "", "error_message": "",
				"slot_queued": slotQueued, "tries": 0, "version": gorm.Expr("version + 1"), "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("schedule target %d: %w", targetID, res.Error)
		}
		if res.RowsAffected == 0 {
			return refusal(ctx, db, targetID, action)
		}
	}
	if err := db.Model(&model.Post{}).Where("id = ?", postID).Updates(map[string]any{"scheduled_at": at, "updated_at": now}).Error; err != nil {
		return err
	}
	return RefreshPostStatus(ctx, db, postID, now)
}

// DueAgain makes a scheduled target due at `at`, only while it is still at
// version (untouched since it was read) and still the same target (key:
// its idempotency key, as a deleted target's id is given to the next new
// one; "" for a record from before keys were kept); it reports whether it
// moved. It serves "publish when I resume": on resume the variants the
// user asked to publish while paused become due at once. A target handed
// to the network's scheduler, or waiting for a channel check, is never
// moved: its time is the network's, or its outcome is not known yet.
func (p *Posts) DueAgain(ctx context.Context, targetID int64, key string, version int, at time.Time) (bool, error) {
	at = at.UTC()
	q := p.db.WithContext(ctx).Model(&model.PostTarget{}).
		Where("id = ? AND version = ? AND status = ? AND handoff_id = '' AND reconcile = 0", targetID, version, model.TargetScheduled)
	if key != "" {
		q = q.Where("idempotency_key = ?", key)
	}
	res := q.
		Updates(map[string]any{"due_at": at, "next_attempt_at": at, "version": gorm.Expr("version + 1"), "updated_at": p.now().UTC()})
	if res.Error != nil {
		return false, fmt.Errorf("make target %d due: %w", targetID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// Unschedule turns a post's waiting targets back into drafts. It refuses
// as a whole when one of them is publishing, of unknown outcome, handed
// off or part-published; published targets stay as they are.
func (p *Posts) Unschedule(ctx context.Context, postID int64) error {
	now := p.now().UTC()
	db := p.db.WithContext(ctx)
	var targets []model.PostTarget
	if err := db.Where("post_id = ? AND status NOT IN ('draft','published')", postID).Order("id").Find(&targets).Error; err != nil {
		return fmt.Errorf("read post %d: %w", postID, err)
	}
	for _, t := range targets {
		if err := refusalOf(t, ActionUnschedule); err != nil {
			return err
		}
	}
	guard, args := userGuard(ActionUnschedule)
	for _, t := range targets {
		res := db.Model(&model.PostTarget{}).Where("id = ? AND version = ? AND "+guard, append([]any{t.ID, t.Version}, args...)...).
			Updates(map[string]any{"status": model.TargetDraft, "due_at": nil, "next_attempt_at": nil, "error_class": "", "error_message": "",
				"tries": 0, "version": gorm.Expr("version + 1"), "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("unschedule post %d: %w", postID, res.Error)
		}
		if res.RowsAffected == 0 {
			return refusal(ctx, db, t.ID, ActionUnschedule)
		}
	}
	if err := db.Model(&model.Post{}).Where("id = ?", postID).Updates(map[string]any{"scheduled_at": nil, "updated_at": now}).Error; err != nil {
		return err
	}
	return RefreshPostStatus(ctx, db, postID, now)
}

// PostFilter narrows a post search.
type PostFilter struct {
	Statuses   []model.PostStatus
	ChannelIDs []int64
	TeamID     int64
	Text       string
	From, To   time.Time // on the post's scheduled time
	Limit      int
}

// Search lists posts, soonest scheduled first, drafts last.
func (p *Posts) Search(ctx context.Context, f PostFilter) ([]model.Post, error) {
	q := p.db.WithContext(ctx).Model(&model.Post{})
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if len(f.ChannelIDs) > 0 {
		q = q.Where("id IN (SELECT post_id FROM post_targets WHERE channel_id IN ?)", f.ChannelIDs)
	}
	if f.TeamID != 0 {
		q = q.Where("id IN (SELECT t.post_id FROM post_targets t JOIN channel_teams ct ON ct.channel_id = t.channel_id WHERE ct.team_id = ?)", f.TeamID)
	}
	if s := strings.TrimSpace(f.Text); s != "" {
		like := "%" + escapeLike(s) + "%"
		q = q.Where("(title LIKE ? ESCAPE '\\' OR id IN (SELECT post_id FROM post_targets WHERE body LIKE ? ESCAPE '\\'))", like, like)
	}
	if !f.From.IsZero() {
		q = q.Where("scheduled_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("scheduled_at < ?", f.To.UTC())
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	var out []model.Post
	err := q.Preload("Targets", func(db *gorm.DB) *gorm.DB { return db.Order("position, id") }).
		Order("scheduled_at IS NULL, scheduled_at, id DESC").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("search posts: %w", err)
	}
	return out, nil
}

// CalendarRow is one target placed on the calendar.
type CalendarRow struct {
	TargetID     int64
	PostID       int64
	ChannelID    int64
	Title        string
	Body         string
	Status       string
	PostStatus   string
	At           time.Time
	HandoffID    string
	ErrorMessage string
	RemoteURL    string
}

// Calendar returns targets whose time (published time, else due time)
// falls in [from, to), optionally for some channels only. Replies written
// in the inbox are not planned posts and are left out. It is the
// calendar's hot path, so it scans rows by hand instead of by reflection.
func (p *Posts) Calendar(ctx context.Context, from, to time.Time, channelIDs []int64) ([]CalendarRow, error) {
	q := `SELECT t.id, t.post_id, t.channel_id, p.title, substr(t.body, 1, 200), t.status, p.status,
		coalesce(t.published_at, t.due_at), t.handoff_id, t.error_message, t.remote_url
		FROM post_targets t JOIN posts p ON p.id = t.post_id
		WHERE coalesce(t.published_at, t.due_at) >= ? AND coalesce(t.published_at, t.due_at) < ? AND t.reply_to = ''`
	args := []any{from.UTC(), to.UTC()}
	if len(channelIDs) > 0 {
		q += " AND t.channel_id IN ?"
		args = append(args, channelIDs)
	}
	q += " ORDER BY coalesce(t.published_at, t.due_at), t.id"
	rows, err := p.db.WithContext(ctx).Raw(q, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	defer rows.Close()
	var out []CalendarRow
	var at string
	for rows.Next() {
		var r CalendarRow
		if err := rows.Scan(&r.TargetID, &r.PostID, &r.ChannelID, &r.Title, &r.Body, &r.Status, &r.PostStatus, &at, &r.HandoffID, &r.ErrorMessage, &r.RemoteURL); err != nil {
			return nil, fmt.Errorf("calendar: %w", err)
		}
		if r.At, err = parseDBTime(at); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	return out, nil
}

// Attempts returns a target's ledger, oldest first.
func (p *Posts) Attempts(ctx context.Context, targetIDs []int64) ([]model.Attempt, error) {
	var out []model.Attempt
	if len(targetIDs) == 0 {
		return out, nil
	}
	err := p.db.WithContext(ctx).Where("target_id IN ?", targetIDs).Order("target_id, number").Find(&out).Error
	return out, err
}

// QueueTab is one list of the Queue view.
type QueueTab string

// The Queue view's tabs.
const (
	TabScheduled QueueTab = "scheduled"
	TabDrafts    QueueTab = "drafts"
	TabAttention QueueTab = "attention"
	TabPublished QueueTab = "published"
)

// needsAttentionSQL holds when a post has a variant that needs the user:
// failed, waiting for a channel, or skipped without the user asking.
const needsAttentionSQL = `posts.status IN ('scheduled','publishing','partial','failed') AND EXISTS (SELECT 1 FROM post_targets a
	WHERE a.post_id = posts.id AND (a.status IN ('failed','blocked') OR (a.status = 'skipped' AND a.error_class <> 'skipped_by_user')))`

// queueOrder is how a tab is sorted: its sort key (a text the database
// compares; never NULL) and whether the newest comes first.
type queueOrder struct {
	where string
	key   string
	desc  bool
}

var queueOrders = map[QueueTab]queueOrder{
	// Soonest first; a post somehow without a time sorts last.
	TabScheduled: {where: "posts.status IN ('scheduled','publishing')", key: "coalesce(posts.scheduled_at, '9999')"},
	// Most recently edited first.
	TabDrafts: {where: "posts.status = 'draft'", key: "posts.updated_at", desc: true},
	// Most recently changed first.
	TabAttention: {where: needsAttentionSQL, key: "posts.updated_at", desc: true},
	// Most recently published first (the latest of its variants).
	TabPublished: {where: "posts.status IN ('published','partial')",
		key: "coalesce((SELECT max(t.published_at) FROM post_targets t WHERE t.post_id = posts.id), posts.updated_at)", desc: true},
}

// QueueCursor is where a page of a tab ends: the last post's sort key and id.
type QueueCursor struct {
	Key string `json:"k"`
	ID  int64  `json:"id"`
}

// filtered applies a filter's channels, team and text (not its statuses).
func (p *Posts) filtered(ctx context.Context, f PostFilter) *gorm.DB {
	q := p.db.WithContext(ctx).Model(&model.Post{})
	if len(f.ChannelIDs) > 0 {
		q = q.Where("posts.id IN (SELECT post_id FROM post_targets WHERE channel_id IN ?)", f.ChannelIDs)
	}
	if f.TeamID != 0 {
		q = q.Where("posts.id IN (SELECT t.post_id FROM post_targets t JOIN channel_teams ct ON ct.channel_id = t.channel_id WHERE ct.team_id = ?)", f.TeamID)
	}
	if s := strings.TrimSpace(f.Text); s != "" {
		like := "%" + escapeLike(s) + "%"
		q = q.Where("(posts.title LIKE ? ESCAPE '\\' OR posts.id IN (SELECT post_id FROM post_targets WHERE body LIKE ? ESCAPE '\\'))", like, like)
	}
	return q
}

// QueuePage returns up to limit posts of a tab after the cursor (nil: from
// the start), in the tab's order, and the cursor of the next page (nil when
// there is none). Keyset paging: a page costs the same wherever it starts,
// and a post changing meanwhile is neither listed twice nor skipped.
func (p *Posts) QueuePage(ctx context.Context, tab QueueTab, f PostFilter, after *QueueCursor, limit int) ([]model.Post, *QueueCursor, error) {
	o, ok := queueOrders[tab]
	if !ok {
		return nil, nil, fmt.Errorf("queue tab %q: %w", tab, ErrNotFound)
	}
	if limit <= 0 || limit > 1000 {
		limit = 50
	}
	cmp, dir := ">", "ASC"
	if o.desc {
		cmp, dir = "<", "DESC"
	}
	q := p.filtered(ctx, f).Where(o.where)
	if after != nil {
		q = q.Where("("+o.key+" "+cmp+" ? OR ("+o.key+" = ? AND posts.id "+cmp+" ?))", after.Key, after.Key, after.ID)
	}
	type keyed struct {
		ID      int64
		SortKey string
	}
	var rows []keyed
	err := q.Select("posts.id AS id, CAST(" + o.key + " AS TEXT) AS sort_key").Order(o.key + " " + dir + ", posts.id " + dir).Limit(limit + 1).Scan(&rows).Error
	if err != nil {
		return nil, nil, fmt.Errorf("queue page: %w", err)
	}
	var next *QueueCursor
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1]
		next = &QueueCursor{Key: last.SortKey, ID: last.ID}
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var posts []model.Post
	if len(ids) > 0 {
		err = p.db.WithContext(ctx).Preload("Targets", func(db *gorm.DB) *gorm.DB { return db.Order("position, id") }).
			Where("id IN ?", ids).Find(&posts).Error
		if err != nil {
			return nil, nil, fmt.Errorf("queue page: %w", err)
		}
	}
	byID := make(map[int64]model.Post, len(posts))
	for _, post := range posts {
		byID[post.ID] = post
	}
	out := make([]model.Post, 0, len(ids))
	for _, id := range ids {
		if post, ok := byID[id]; ok {
			out = append(out, post)
		}
	}
	return out, next, nil
}

// QueueCounts is how many posts each tab lists.
type QueueCounts struct {
	Scheduled int64
	Drafts    int64
	Attention int64
	Published int64
}

// QueueCounts counts every tab's posts under a filter in one pass.
func (p *Posts) QueueCounts(ctx context.Context, f PostFilter) (QueueCounts, error) {
	var c QueueCounts
	sel := "coalesce(sum(" + queueOrders[TabScheduled].where + "), 0) AS scheduled, coalesce(sum(" + queueOrders[TabDrafts].where +
		"), 0) AS drafts, coalesce(sum(" + needsAttentionSQL + "), 0) AS attention, coalesce(sum(" + queueOrders[TabPublished].where + "), 0) AS published"
	if err := p.filtered(ctx, f).Select(sel).Scan(&c).Error; err != nil {
		return c, fmt.Errorf("queue counts: %w", err)
	}
	return c, nil
}
