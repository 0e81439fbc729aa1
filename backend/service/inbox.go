package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/events"
	"herald/backend/inbox"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/ratebudget"
	"herald/backend/store"
)

// InboxSyncer is the inbox sync as the service uses it.
type InboxSyncer interface {
	SyncNow(ctx context.Context, channelID int64) error
	Readable(ch model.Channel) bool
}

// ThreadReader reads an item's whole thread from the network
// (network.ThreadReader).
type ThreadReader interface {
	ReadThread(ctx context.Context, instance string, cred network.Credential, remoteID string) (network.Thread, error)
}

// FreshCredentials hands out a valid credential for a channel.
type FreshCredentials interface {
	Fresh(ctx context.Context, ch model.Channel) (network.Credential, error)
}

// Inbox serves the inbox: the list across channels, an item with its
// thread, the user's work on items and the sync's status. Every change and
// its audit line commit together.
type Inbox struct {
	db       *gorm.DB
	inbox    *store.Inbox
	channels *store.Channels
	audit    *store.Audit
	sync     InboxSyncer
	creds    FreshCredentials
	networks *network.Registry
	emitter  events.Emitter
	replies  *Posts
}

// InboxDeps are the service's collaborators.
type InboxDeps struct {
	DB          *gorm.DB
	Inbox       *store.Inbox
	Channels    *store.Channels
	Audit       *store.Audit
	Sync        InboxSyncer
	Credentials FreshCredentials
	Networks    *network.Registry
	Emitter     events.Emitter
	// Replies saves and schedules replies (the post service: a reply is
	// a post).
	Replies *Posts
}

// NewInbox builds the service.
func NewInbox(d InboxDeps) *Inbox {
	return &Inbox{db: d.DB, inbox: d.Inbox, channels: d.Channels, audit: d.Audit, sync: d.Sync, creds: d.Credentials,
		networks: d.Networks, emitter: d.Emitter, replies: d.Replies}
}

// InboxFilter narrows the list. Empty fields mean "any".
type InboxFilter struct {
	ChannelIDs []int64  `json:"channelIds"`
	TeamID     int64    `json:"teamId"`
	Kinds      []string `json:"kinds"`    // mention, reply, quote, message
	Statuses   []string `json:"statuses"` // open, done, archived
	Label      string   `json:"label"`
	UnreadOnly bool     `json:"unreadOnly"`
	HasReply   string   `json:"hasReply"` // "", "yes", "no"
	Text       string   `json:"text"`
	Limit      int      `json:"limit"` // at most 200
}

// InboxItemView is one item as the list and the conversation show it.
type InboxItemView struct {
	ID               int64    `json:"id"` // 0 for a thread item Herald does not hold
	ChannelID        int64    `json:"channelId"`
	ChannelName      string   `json:"channelName"`
	Network          string   `json:"network"`
	RemoteID         string   `json:"remoteId"`
	Kind             string   `json:"kind"`
	AuthorHandle     string   `json:"authorHandle"`
	AuthorName       string   `json:"authorName"`
	AuthorAvatarURL  string   `json:"authorAvatarUrl"`
	AuthorProfileURL string   `json:"authorProfileUrl"`
	Text             string   `json:"text"`
	Links            []string `json:"links"`
	URL              string   `json:"url"`
	ParentRemoteID   string   `json:"parentRemoteId"`
	RootRemoteID     string   `json:"rootRemoteId"`
	ConversationID   string   `json:"conversationId"`
	Language         string   `json:"language"`
	CreatedAt        string   `json:"createdAt"`
	ReceivedAt       string   `json:"receivedAt"`
	EditedAt         string   `json:"editedAt"`
	DeletedAt        string   `json:"deletedAt"`
	Status           string   `json:"status"`
	Read             bool     `json:"read"`
	TeamID           int64    `json:"teamId"`
	Note             string   `json:"note"`
	Labels           []string `json:"labels"`
	FirstReplyAt     string   `json:"firstReplyAt"`
	Backlog          bool     `json:"backlog"`
	Version          int      `json:"version"`
}

// InboxPage is one page of the list; Next is "" on the last page.
type InboxPage struct {
	Items []InboxItemView `json:"items"`
	Next  string          `json:"next"`
}

// List returns a page of the inbox, newest first. cursor is the Next of
// the previous page ("" for the first).
func (s *Inbox) List(filter InboxFilter, cursor string) (InboxPage, error) {
	ctx := context.Background()
	f := store.InboxFilter{ChannelIDs: filter.ChannelIDs, TeamID: filter.TeamID, Label: filter.Label,
		UnreadOnly: filter.UnreadOnly, Text: filter.Text, Limit: filter.Limit}
	for _, k := range filter.Kinds {
		switch kind := model.InboxKind(k); kind {
		case model.InboxMention, model.InboxReply, model.InboxQuote, model.InboxMessage:
			f.Kinds = append(f.Kinds, kind)
		default:
			return InboxPage{}, apperr.Invalid("kinds", "Unknown kind %q.", k)
		}
	}
	for _, st := range filter.Statuses {
		status, err := store.ParseStatus(st)
		if err != nil {
			return InboxPage{}, apperr.Invalid("statuses", "Unknown status %q.", st)
		}
		f.Statuses = append(f.Statuses, status)
	}
	switch filter.HasReply {
	case "":
	case "yes", "no":
		v := filter.HasReply == "yes"
		f.HasReply = &v
	default:
		return InboxPage{}, apperr.Invalid("hasReply", "hasReply is yes, no or empty.")
	}
	if cursor != "" {
		c, err := parseInboxCursor(cursor)
		if err != nil {
			return InboxPage{}, apperr.Invalid("cursor", "This page of the inbox is out of date; reload the list.")
		}
		f.After = &c
	}
	items, next, err := s.inbox.List(ctx, f)
	if err != nil {
		return InboxPage{}, err
	}
	names, err := s.channelNames(ctx)
	if err != nil {
		return InboxPage{}, err
	}
	out := InboxPage{Items: make([]InboxItemView, 0, len(items))}
	for _, it := range items {
		out.Items = append(out.Items, itemView(it, names[it.ChannelID]))
	}
	if next != nil {
		out.Next = next.CreatedAt.UTC().Format(time.RFC3339Nano) + "|" + strconv.FormatInt(next.ID, 10)
	}
	return out, nil
}

func parseInboxCursor(c string) (store.InboxCursor, error) {
	at, id, ok := strings.Cut(c, "|")
	if !ok {
		return store.InboxCursor{}, errors.New("no separator")
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return store.InboxCursor{}, err
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return store.InboxCursor{}, err
	}
	return store.InboxCursor{CreatedAt: t, ID: n}, nil
}

func (s *Inbox) channelNames(ctx context.Context) (map[int64]model.Channel, error) {
	chs, err := s.channels.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]model.Channel, len(chs))
	for _, ch := range chs {
		out[ch.ID] = ch
	}
	return out, nil
}

func itemView(it model.InboxItem, ch model.Channel) InboxItemView {
	v := InboxItemView{ID: it.ID, ChannelID: it.ChannelID, ChannelName: channelName(ch), Network: ch.Network, RemoteID: it.RemoteID,
		Kind: string(it.Kind), AuthorHandle: it.AuthorHandle, AuthorName: it.AuthorName, AuthorAvatarURL: it.AuthorAvatarURL,
		AuthorProfileURL: it.AuthorProfileURL, Text: it.Text, Links: []string{}, URL: it.URL, ParentRemoteID: it.ParentRemoteID,
		RootRemoteID: it.RootRemoteID, ConversationID: it.ConversationID, Language: it.Language, CreatedAt: stamp(it.CreatedAt),
		ReceivedAt: stamp(it.ReceivedAt), EditedAt: stampPtr(it.EditedAt), DeletedAt: stampPtr(it.DeletedAt), Status: string(it.Status),
		Read: it.ReadAt != nil, Note: it.Note, Labels: it.Labels, FirstReplyAt: stampPtr(it.FirstReplyAt), Backlog: it.Backlog, Version: it.Version}
	if it.Links != "" {
		_ = json.Unmarshal([]byte(it.Links), &v.Links)
	}
	if it.TeamID != nil {
		v.TeamID = *it.TeamID
	}
	if v.Labels == nil {
		v.Labels = []string{}
	}
	return v
}

func channelName(ch model.Channel) string {
	if ch.DisplayName != "" {
		return ch.DisplayName
	}
	return ch.Handle
}

// InboxCounts are the unread items per channel and in all, for the sidebar
// and the tray.
type InboxCounts struct {
	Total    int64           `json:"total"`
	Channels []ChannelUnread `json:"channels"`
}

// ChannelUnread is one channel's unread count.
type ChannelUnread struct {
	ChannelID int64 `json:"channelId"`
	Unread    int64 `json:"unread"`
}

// Counts returns the unread counts.
func (s *Inbox) Counts() (InboxCounts, error) {
	c, err := s.inbox.Counts(context.Background())
	if err != nil {
		return InboxCounts{}, err
	}
	out := InboxCounts{Total: c.Total, Channels: []ChannelUnread{}}
	for id, n := range c.Unread {
		out.Channels = append(out.Channels, ChannelUnread{ChannelID: id, Unread: n})
	}
	sort.Slice(out.Channels, func(i, j int) bool { return out.Channels[i].ChannelID < out.Channels[j].ChannelID })
	return out, nil
}

// InboxConversation is an item with its thread, oldest first.
type InboxConversation struct {
	Item   InboxItemView   `json:"item"`
	Thread []InboxItemView `json:"thread"`
	// Source is "network" when the thread was read from the network just
	// now, "stored" when it is what Herald holds.
	Source    string `json:"source"`
	Truncated bool   `json:"truncated"`
	// Notice says why the stored thread is shown, when the network could
	// not be asked.
	Notice string `json:"notice"`
	// Replies are the answers written in Herald to this item, oldest
	// first, with where each stands.
	Replies []ReplyView `json:"replies"`
	// Actions says what can be done to the item on its network, and why
	// not when it cannot.
	Actions []ItemAction `json:"actions"`
}

// Get returns an item with its thread: from the network when it can read
// threads, else (or when that fails) from the items Herald holds.
func (s *Inbox) Get(itemID int64) (InboxConversation, error) {
	ctx := context.Background()
	it, err := s.inbox.Get(ctx, itemID)
	if err != nil {
		return InboxConversation{}, notFound(err, "This inbox item no longer exists.")
	}
	ch, err := s.channels.Get(ctx, it.ChannelID)
	if err != nil {
		return InboxConversation{}, err
	}
	conv := InboxConversation{Item: itemView(it, ch), Thread: []InboxItemView{}}
	if conv.Replies, err = s.repliesTo(ctx, it.ID); err != nil {
		return InboxConversation{}, err
	}
	if conv.Actions, err = s.actionsFor(ctx, ch, it); err != nil {
		return InboxConversation{}, err
	}
	thread, ok, notice := s.networkThread(ctx, ch, it)
	if ok {
		conv.Source, conv.Thread, conv.Truncated = "network", thread.views, thread.truncated
		return conv, nil
	}
	conv.Notice = notice
	stored, err := s.inbox.StoredThread(ctx, it)
	if err != nil {
		return InboxConversation{}, err
	}
	conv.Source = "stored"
	for _, st := range stored {
		conv.Thread = append(conv.Thread, itemView(st, ch))
	}
	conv.Truncated = len(stored) >= store.MaxThread
	return conv, nil
}

type readThread struct {
	views     []InboxItemView
	truncated bool
}

func (s *Inbox) networkThread(ctx context.Context, ch model.Channel, it model.InboxItem) (readThread, bool, string) {
	n, ok := s.networks.Get(ch.Network)
	tr, can := n.(ThreadReader)
	if !ok || !can || s.creds == nil || ch.Status == model.ChannelDisconnected || it.DeletedAt != nil {
		return readThread{}, false, ""
	}
	// The user is waiting for the thread: it goes before the background
	// sync, after publishing.
	ctx = ratebudget.WithChannel(ctx, ch.ID, ratebudget.Health)
	cred, err := s.creds.Fresh(ctx, ch)
	if err == nil {
		var th network.Thread
		if th, err = tr.ReadThread(ctx, ch.Instance, cred, it.RemoteID); err == nil {
			out := readThread{truncated: th.Truncated}
			for i, x := range th.Items {
				if i >= store.MaxThread {
					out.truncated = true
					break
				}
				v := InboxItemView{ChannelID: ch.ID, ChannelName: channelName(ch), Network: ch.Network, RemoteID: x.RemoteID,
					Kind: string(x.Kind), AuthorHandle: x.Author.Handle, AuthorName: x.Author.DisplayName, AuthorAvatarURL: x.Author.AvatarURL,
					AuthorProfileURL: x.Author.ProfileURL, Text: x.Text, Links: append([]string{}, x.Links...), URL: x.URL,
					ParentRemoteID: x.ParentID, RootRemoteID: x.RootID, ConversationID: x.ConversationID, Language: x.Language,
					CreatedAt: stamp(x.CreatedAt), EditedAt: stamp(x.EditedAt), Labels: []string{}}
				if x.RemoteID == it.RemoteID {
					v = itemView(it, ch)
				}
				out.views = append(out.views, v)
			}
			return out, true, ""
		}
	}
	return readThread{}, false, "Herald could not read the whole thread from the network just now; this is what it holds."
}

// MarkRead marks items read.
func (s *Inbox) MarkRead(itemIDs []int64) error {
	return s.each(itemIDs, "inbox.read", "Marked %s read", func(ctx context.Context, in *store.Inbox, id int64) (bool, error) {
		return in.MarkRead(ctx, id)
	})
}

// MarkUnread marks items unread.
func (s *Inbox) MarkUnread(itemIDs []int64) error {
	return s.each(itemIDs, "inbox.unread", "Marked %s unread", func(ctx context.Context, in *store.Inbox, id int64) (bool, error) {
		return in.MarkUnread(ctx, id)
	})
}

// SetStatus moves items to open, done or archived.
func (s *Inbox) SetStatus(itemIDs []int64, status string) error {
	st, err := store.ParseStatus(status)
	if err != nil {
		return apperr.Invalid("status", "Unknown status %q.", status)
	}
	return s.each(itemIDs, "inbox.status", "Marked %s "+string(st), func(ctx context.Context, in *store.Inbox, id int64) (bool, error) {
		return in.SetStatus(ctx, id, st)
	})
}

// AddLabel puts a label on items.
func (s *Inbox) AddLabel(itemIDs []int64, label string) error {
	label, err := store.NormalizeLabel(label)
	if err != nil {
		return apperr.Invalid("label", "%s", userWords(err))
	}
	return s.each(itemIDs, "inbox.labeled", "Labelled %s “"+label+"”", func(ctx context.Context, in *store.Inbox, id int64) (bool, error) {
		return in.AddLabel(ctx, id, label)
	})
}

// RemoveLabel takes a label off items.
func (s *Inbox) RemoveLabel(itemIDs []int64, label string) error {
	return s.each(itemIDs, "inbox.unlabeled", "Removed the label “"+label+"” from %s", func(ctx context.Context, in *store.Inbox, id int64) (bool, error) {
		return in.RemoveLabel(ctx, id, label)
	})
}

// SetNote replaces an item's internal note.
func (s *Inbox) SetNote(itemID int64, note string) error {
	return s.each([]int64{itemID}, "inbox.note", "Changed the note on %s", func(ctx context.Context, in *store.Inbox, id int64) (bool, error) {
		return in.SetNote(ctx, id, note)
	})
}

// Assign gives items to a team (0: to none).
func (s *Inbox) Assign(itemIDs []int64, teamID int64) error {
	summary := "Unassigned %s"
	if teamID != 0 {
		summary = fmt.Sprintf("Assigned %%s to team %d", teamID)
		var name string
		if err := s.db.Model(&model.Team{}).Where("id = ?", teamID).Pluck("name", &name).Error; err == nil && name != "" {
			summary = "Assigned %s to " + strings.ReplaceAll(name, "%", "%%")
		}
	}
	return s.each(itemIDs, "inbox.assigned", summary, func(ctx context.Context, in *store.Inbox, id int64) (bool, error) {
		return in.Assign(ctx, id, teamID)
	})
}

// each applies change to every item, each with its audit line in one
// transaction; an item the change leaves as it was gets no line.
func (s *Inbox) each(ids []int64, event, summary string, change func(ctx context.Context, in *store.Inbox, id int64) (bool, error)) error {
	ctx := context.Background()
	if len(ids) == 0 {
		return nil
	}
	if len(ids) > store.MaxInboxPage {
		return apperr.Invalid("items", "Change at most %d items at once.", store.MaxInboxPage)
	}
	err := store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		in := s.inbox.WithTx(tx)
		for _, id := range ids {
			it, err := in.Get(ctx, id)
			if err != nil {
				return err
			}
			changed, err := change(ctx, in, id)
			if err != nil || !changed {
				return err
			}
			ch, err := s.channels.WithTx(tx).Get(ctx, it.ChannelID)
			if err != nil {
				return err
			}
			chID, iid := ch.ID, it.ID
			details, _ := json.Marshal(map[string]any{"itemId": iid, "remoteId": it.RemoteID})
			if err := s.audit.AppendTx(ctx, tx, &model.AuditEntry{Actor: model.ActorUser, Event: event, ChannelID: &chID,
				ChannelName: ch.Label(), Teams: store.TeamNames(ch.Teams), Summary: fmt.Sprintf(summary, describe(it)), Details: string(details)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, store.ErrInvalidInput) {
			return apperr.Invalid("", "%s", userWords(err))
		}
		return notFound(err, "This inbox item no longer exists.")
	}
	s.emitter.Emit(events.InboxChanged, nil)
	s.emitter.Emit(events.AuditAppended, nil)
	return nil
}

// describe names an item in an audit line: its kind and author, never
// its text (a message may be private).
func describe(it model.InboxItem) string {
	who := it.AuthorHandle
	if who == "" {
		who = it.AuthorName
	}
	if who == "" {
		return "a " + string(it.Kind)
	}
	return fmt.Sprintf("the %s from %s", it.Kind, who)
}

func userWords(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, store.ErrInvalidInput.Error()+": "); i >= 0 {
		msg = msg[i+len(store.ErrInvalidInput.Error())+2:]
	}
	if msg != "" {
		msg = strings.ToUpper(msg[:1]) + msg[1:] + "."
	}
	return msg
}

func notFound(err error, message string) error {
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFound("%s", message)
	}
	return err
}

// InboxSyncStatus is where one channel's inbox sync stands.
type InboxSyncStatus struct {
	ChannelID       int64                `json:"channelId"`
	ChannelName     string               `json:"channelName"`
	Network         string               `json:"network"`
	Readable        bool                 `json:"readable"` // Herald can read this network's inbox
	LastRunAt       string               `json:"lastRunAt"`
	NextRunAt       string               `json:"nextRunAt"`
	IntervalSeconds int                  `json:"intervalSeconds"`
	SkippedReason   string               `json:"skippedReason"`
	LastError       string               `json:"lastError"`
	Unavailable     []network.Limitation `json:"unavailable"`
	BacklogDone     bool                 `json:"backlogDone"`
	ItemsSeen       int64                `json:"itemsSeen"`
	ItemsNew        int64                `json:"itemsNew"`
	// Notify: new items of this channel raise a desktop notification
	// (Settings → Inbox switches it per channel).
	Notify bool `json:"notify"`
}

// SyncStatus returns every channel's sync status, for Settings.
func (s *Inbox) SyncStatus() ([]InboxSyncStatus, error) {
	ctx := context.Background()
	chs, err := s.channels.List(ctx)
	if err != nil {
		return nil, err
	}
	states, err := s.inbox.SyncStates(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]InboxSyncStatus, 0, len(chs))
	for _, ch := range chs {
		st, ok := states[ch.ID]
		if !ok {
			if st, err = s.inbox.SyncState(ctx, ch.ID); err != nil {
				return nil, err
			}
		}
		v := InboxSyncStatus{ChannelID: ch.ID, ChannelName: channelName(ch), Network: ch.Network, Readable: s.sync.Readable(ch),
			LastRunAt: stampPtr(st.LastRunAt), NextRunAt: stampPtr(st.NextRunAt), IntervalSeconds: st.IntervalSeconds,
			SkippedReason: st.SkippedReason, LastError: st.LastError, Unavailable: []network.Limitation{},
			BacklogDone: st.BacklogDone, ItemsSeen: st.ItemsSeen, ItemsNew: st.ItemsNew, Notify: !ch.InboxMuted}
		if st.Unavailable != "" {
			_ = json.Unmarshal([]byte(st.Unavailable), &v.Unavailable)
		}
		out = append(out, v)
	}
	return out, nil
}

// SyncNow reads one channel's inbox (or every channel's, for 0) at once
// and returns the sync status after it.
func (s *Inbox) SyncNow(channelID int64) ([]InboxSyncStatus, error) {
	ctx := context.Background()
	err := s.sync.SyncNow(ctx, channelID)
	switch {
	case errors.Is(err, inbox.ErrNoInbox):
		return nil, &apperr.Error{Code: apperr.CodeUnavailable, Message: "Herald cannot read this network's inbox yet."}
	case err != nil:
		return nil, notFound(err, "This channel no longer exists.")
	}
	event, summary := "inbox.sync_now", "Synced every inbox now"
	entry := &model.AuditEntry{Actor: model.ActorUser, Event: event, Summary: summary}
	if channelID != 0 {
		if ch, err := s.channels.Get(ctx, channelID); err == nil {
			id := ch.ID
			entry.ChannelID, entry.ChannelName, entry.Teams = &id, ch.Label(), store.TeamNames(ch.Teams)
			entry.Summary = "Synced the inbox of " + channelName(ch) + " now"
		}
	}
	if err := s.audit.Append(ctx, entry); err != nil {
		return nil, err
	}
	s.emitter.Emit(events.AuditAppended, entry.ID)
	return s.SyncStatus()
}
