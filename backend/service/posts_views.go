package service

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"time"

	"herald/backend/apperr"
	"herald/backend/model"
	"herald/backend/schedule"
	"herald/backend/store"
)

// AttemptView is one entry of a variant's ledger.
type AttemptView struct {
	Number     int    `json:"number"`
	StartedAt  string `json:"startedAt"`
	FinishedAt string `json:"finishedAt"`
	Outcome    string `json:"outcome"`
	ErrorClass string `json:"errorClass"`
	Message    string `json:"message"`
	RemoteID   string `json:"remoteId"`
}

// TargetView is one variant with its status and ledger.
type TargetView struct {
	ID            int64        `json:"id"`
	ChannelID     int64        `json:"channelId"`
	Variant       VariantInput `json:"variant"`
	Status        string       `json:"status"`
	DueAt         string       `json:"dueAt"`
	NextAttemptAt string       `json:"nextAttemptAt"`
	AttemptCount  int          `json:"attemptCount"`
	ErrorClass    string       `json:"errorClass"`
	ErrorMessage  string       `json:"errorMessage"`
	RemoteID      string       `json:"remoteId"`
	RemoteURL     string       `json:"remoteUrl"`
	PublishedAt   string       `json:"publishedAt"`
	VerifiedAt    string       `json:"verifiedAt"`
	HandedOff     bool         `json:"handedOff"`
	// Checking: the last attempt may have reached the network; Herald looks
	// at the channel before anything else, and the post cannot change
	// until it knows.
	Checking bool          `json:"checking"`
	Queued   bool          `json:"queued"`
	Attempts []AttemptView `json:"attempts"`
}

// PostView is a post with every variant.
type PostView struct {
	ID           int64        `json:"id"`
	Kind         string       `json:"kind"` // "post", or "reply" for an answer written in the inbox
	Title        string       `json:"title"`
	Status       string       `json:"status"`
	ScheduledAt  string       `json:"scheduledAt"`
	LocalTime    string       `json:"localTime"` // scheduled time as wall-clock in TimeZone
	TimeZone     string       `json:"timeZone"`
	MissedPolicy string       `json:"missedPolicy"`
	GraceMinutes int          `json:"graceMinutes"`
	Handoff      bool         `json:"handoff"`
	CreatedAt    string       `json:"createdAt"`
	UpdatedAt    string       `json:"updatedAt"`
	Targets      []TargetView `json:"targets"`
}

func variantInput(t model.PostTarget) VariantInput {
	v := VariantInput{ChannelID: t.ChannelID, Text: t.Body, FirstComment: t.FirstComment, Thread: []string{}, Options: map[string]string{}, Media: []MediaView{}}
	_ = json.Unmarshal([]byte(orEmpty(t.Thread, "[]")), &v.Thread)
	_ = json.Unmarshal([]byte(orEmpty(t.Options, "{}")), &v.Options)
	for _, m := range t.Media {
		v.Media = append(v.Media, MediaView{Path: m.Path, Name: m.OriginalName, MIME: m.MIME, Size: m.SizeBytes, Width: m.Width, Height: m.Height, AltText: m.AltText})
	}
	return v
}

func orEmpty(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func (s *Posts) view(ctx context.Context, p model.Post) (PostView, error) {
	v := PostView{ID: p.ID, Kind: string(p.Kind), Title: p.Title, Status: string(p.Status), ScheduledAt: stampPtr(p.ScheduledAt), TimeZone: p.TimeZone,
		MissedPolicy: string(p.MissedPolicy), GraceMinutes: p.GraceMinutes, Handoff: p.Handoff, CreatedAt: stamp(p.CreatedAt),
		UpdatedAt: stamp(p.UpdatedAt), Targets: []TargetView{}}
	if p.ScheduledAt != nil {
		v.LocalTime = schedule.Local(*p.ScheduledAt, p.TimeZone)
	}
	ids := make([]int64, 0, len(p.Targets))
	for _, t := range p.Targets {
		ids = append(ids, t.ID)
	}
	attempts, err := s.posts.Attempts(ctx, ids)
	if err != nil {
		return v, err
	}
	byTarget := map[int64][]AttemptView{}
	for _, a := range attempts {
		byTarget[a.TargetID] = append(byTarget[a.TargetID], AttemptView{Number: a.Number, StartedAt: stamp(a.StartedAt), FinishedAt: stampPtr(a.FinishedAt),
			Outcome: string(a.Outcome), ErrorClass: a.ErrorClass, Message: a.ErrorMessage, RemoteID: a.RemoteID})
	}
	for _, t := range p.Targets {
		tv := TargetView{ID: t.ID, ChannelID: t.ChannelID, Variant: variantInput(t), Status: string(t.Status), DueAt: stampPtr(t.DueAt),
			NextAttemptAt: stampPtr(t.NextAttemptAt), AttemptCount: t.AttemptCount, ErrorClass: t.ErrorClass, ErrorMessage: t.ErrorMessage,
			RemoteID: t.RemoteID, RemoteURL: t.RemoteURL, PublishedAt: stampPtr(t.PublishedAt), VerifiedAt: stampPtr(t.VerifiedAt),
			HandedOff: t.HandoffID != "" && t.HandoffID != "?", Checking: t.Reconcile || t.HandoffID == "?", Queued: t.SlotQueued, Attempts: byTarget[t.ID]}
		if tv.Attempts == nil {
			tv.Attempts = []AttemptView{}
		}
		v.Targets = append(v.Targets, tv)
	}
	return v, nil
}

// Get returns one post with its variants and their ledgers.
func (s *Posts) Get(postID int64) (PostView, error) {
	ctx := context.Background()
	p, err := s.posts.Get(ctx, postID)
	if err != nil {
		return PostView{}, s.notFound(err)
	}
	return s.view(ctx, p)
}

// PostSummary is a post in the queue list.
type PostSummary struct {
	ID          int64         `json:"id"`
	Title       string        `json:"title"`
	Snippet     string        `json:"snippet"`
	Status      string        `json:"status"`
	ScheduledAt string        `json:"scheduledAt"`
	TimeZone    string        `json:"timeZone"`
	Targets     []TargetBrief `json:"targets"`
}

// TargetBrief is a variant's status in a list.
type TargetBrief struct {
	ID         int64  `json:"id"`
	ChannelID  int64  `json:"channelId"`
	Status     string `json:"status"`
	DueAt      string `json:"dueAt"`
	ErrorClass string `json:"errorClass"`
	Message    string `json:"message"`
	HandedOff  bool   `json:"handedOff"`
	RemoteURL  string `json:"remoteUrl"`
}

// PostQuery filters the queue list.
type PostQuery struct {
	Statuses   []string `json:"statuses"`
	ChannelIDs []int64  `json:"channelIds"`
	TeamID     int64    `json:"teamId"`
	Text       string   `json:"text"`
	Limit      int      `json:"limit"`
}

// List searches posts: scheduled soonest first, then drafts.
func (s *Posts) List(q PostQuery) ([]PostSummary, error) {
	f := store.PostFilter{ChannelIDs: q.ChannelIDs, TeamID: q.TeamID, Text: q.Text, Limit: q.Limit}
	for _, st := range q.Statuses {
		f.Statuses = append(f.Statuses, model.PostStatus(st))
	}
	posts, err := s.posts.Search(context.Background(), f)
	if err != nil {
		return nil, err
	}
	return summaries(posts), nil
}

func summaries(posts []model.Post) []PostSummary {
	out := make([]PostSummary, 0, len(posts))
	for _, p := range posts {
		ps := PostSummary{ID: p.ID, Title: p.Title, Status: string(p.Status), ScheduledAt: stampPtr(p.ScheduledAt), TimeZone: p.TimeZone, Targets: []TargetBrief{}}
		if len(p.Targets) > 0 {
			ps.Snippet = clip(p.Targets[0].Body, 140)
		}
		for _, t := range p.Targets {
			ps.Targets = append(ps.Targets, TargetBrief{ID: t.ID, ChannelID: t.ChannelID, Status: string(t.Status), DueAt: stampPtr(t.DueAt),
				ErrorClass: t.ErrorClass, Message: t.ErrorMessage, HandedOff: t.HandoffID != "" && t.HandoffID != "?", RemoteURL: t.RemoteURL})
		}
		out = append(out, ps)
	}
	return out
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// CalendarItem is one variant on the calendar.
type CalendarItem struct {
	TargetID  int64  `json:"targetId"`
	PostID    int64  `json:"postId"`
	ChannelID int64  `json:"channelId"`
	Title     string `json:"title"`
	Status    string `json:"status"`
	At        string `json:"at"`
	HandedOff bool   `json:"handedOff"`
	Message   string `json:"message"`
	RemoteURL string `json:"remoteUrl"`
	Editable  bool   `json:"editable"` // may be dragged to a new time
}

// ExpiryMarker is a channel sign-in ending inside the calendar's range.
type ExpiryMarker struct {
	ChannelID int64  `json:"channelId"`
	At        string `json:"at"`
	Label     string `json:"label"`
}

// CalendarRange is what the calendar shows for a range.
type CalendarRange struct {
	Items  []CalendarItem `json:"items"`
	Expiry []ExpiryMarker `json:"expiry"`
}

// Calendar returns the variants placed in [from, to) (RFC 3339), for the
// given channels (none = all), with sign-in expiries in the range.
func (s *Posts) Calendar(from, to string, channelIDs []int64) (CalendarRange, error) {
	ctx := context.Background()
	f, err1 := time.Parse(time.RFC3339, from)
	t, err2 := time.Parse(time.RFC3339, to)
	if err1 != nil || err2 != nil || !t.After(f) {
		return CalendarRange{}, apperr.Invalid("range", "The calendar range is not valid.")
	}
	rows, err := s.posts.Calendar(ctx, f, t, channelIDs)
	if err != nil {
		return CalendarRange{}, err
	}
	out := CalendarRange{Items: make([]CalendarItem, 0, len(rows)), Expiry: []ExpiryMarker{}}
	for _, r := range rows {
		title := r.Title
		if title == "" {
			title = clip(r.Body, 60)
		}
		editable := r.Status == string(model.TargetScheduled) || r.Status == string(model.TargetDraft) || r.Status == string(model.TargetBlocked)
		out.Items = append(out.Items, CalendarItem{TargetID: r.TargetID, PostID: r.PostID, ChannelID: r.ChannelID, Title: title, Status: r.Status,
			At: stamp(r.At), HandedOff: r.HandoffID != "" && r.HandoffID != "?", Message: r.ErrorMessage, RemoteURL: r.RemoteURL, Editable: editable})
	}
	chs, err := s.channels.List(ctx)
	if err != nil {
		return out, err
	}
	for _, ch := range chs {
		if ch.TokenExpiresAt != nil && !ch.TokenExpiresAt.Before(f) && ch.TokenExpiresAt.Before(t) {
			out.Expiry = append(out.Expiry, ExpiryMarker{ChannelID: ch.ID, At: stamp(*ch.TokenExpiresAt),
				Label: "Sign-in of " + displayName(ch) + " ends; refresh it before then"})
		}
	}
	return out, nil
}

// QueuePageQuery asks for one page of a Queue tab.
type QueuePageQuery struct {
	Tab        string  `json:"tab"` // scheduled, drafts, attention, published
	ChannelIDs []int64 `json:"channelIds"`
	TeamID     int64   `json:"teamId"`
	Text       string  `json:"text"`
	// After is the cursor a previous page returned; empty for the first page.
	After string `json:"after"`
	Limit int    `json:"limit"`
}

// QueuePage is one page of a Queue tab: scheduled soonest first, drafts
// most recently edited first, needs attention and published newest first.
type QueuePage struct {
	Posts []PostSummary `json:"posts"`
	// Next is the cursor of the following page; empty at the end.
	Next string `json:"next"`
}

// QueueCounts is how many posts each Queue tab lists under the filters.
type QueueCounts struct {
	Scheduled int64 `json:"scheduled"`
	Drafts    int64 `json:"drafts"`
	Attention int64 `json:"attention"`
	Published int64 `json:"published"`
}

// QueuePage returns one page of a Queue tab with the filters applied.
func (s *Posts) QueuePage(q QueuePageQuery) (QueuePage, error) {
	var after *store.QueueCursor
	if q.After != "" {
		b, err := base64.RawURLEncoding.DecodeString(q.After)
		after = &store.QueueCursor{}
		if err != nil || json.Unmarshal(b, after) != nil {
			return QueuePage{}, apperr.Invalid("after", "The list position is not valid; reload the list.")
		}
	}
	switch store.QueueTab(q.Tab) {
	case store.TabScheduled, store.TabDrafts, store.TabAttention, store.TabPublished:
	default:
		return QueuePage{}, apperr.Invalid("tab", "There is no such list in the queue.")
	}
	f := store.PostFilter{ChannelIDs: q.ChannelIDs, TeamID: q.TeamID, Text: q.Text}
	posts, next, err := s.posts.QueuePage(context.Background(), store.QueueTab(q.Tab), f, after, q.Limit)
	if err != nil {
		return QueuePage{}, err
	}
	out := QueuePage{Posts: summaries(posts)}
	if next != nil {
		b, _ := json.Marshal(next)
		out.Next = base64.RawURLEncoding.EncodeToString(b)
	}
	return out, nil
}

// QueueCounts counts the posts of every Queue tab with the filters applied.
func (s *Posts) QueueCounts(q PostQuery) (QueueCounts, error) {
	c, err := s.posts.QueueCounts(context.Background(), store.PostFilter{ChannelIDs: q.ChannelIDs, TeamID: q.TeamID, Text: q.Text})
	if err != nil {
		return QueueCounts{}, err
	}
	return QueueCounts{Scheduled: c.Scheduled, Drafts: c.Drafts, Attention: c.Attention, Published: c.Published}, nil
}
