package service

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"herald/backend/ratebudget"

	"herald/backend/apperr"
	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
)

// ItemAction is one thing the user can do to an inbox item on its
// network. Reason says why it is disabled, in the user's words; Active
// that it is done (liked, hidden, muted, blocked), so doing it again takes
// it back.
type ItemAction struct {
	ID      string `json:"id"` // "reply", "message" (privately to the author), "like", "hide", "mute", "block"
	Enabled bool   `json:"enabled"`
	Reason  string `json:"reason"`
	Active  bool   `json:"active"`
}

// actionsFor is the limitations matrix for one item: what its network,
// the channel's state and the item's own state allow.
func (s *Inbox) actionsFor(ctx context.Context, ch model.Channel, it model.InboxItem) ([]ItemAction, error) {
	reply := ItemAction{ID: "reply", Enabled: true}
	n, known := s.networks.Get(ch.Network)
	_, publishes := n.(network.Publisher)
	gone := ""
	switch {
	case ch.RemovedAt != nil:
		gone = "This channel was removed from Herald."
	case ch.Status == model.ChannelDisconnected:
		gone = "This channel is disconnected; reconnect it in Channels."
	case it.DeletedAt != nil:
		gone = "This was deleted on " + networkTitle(s.networks, ch.Network) + "."
	}
	switch {
	case !known || !publishes:
		reply = ItemAction{ID: "reply", Reason: "Herald cannot publish to " + networkTitle(s.networks, ch.Network) + " yet."}
	case ch.RemovedAt != nil || it.DeletedAt != nil:
		// A disconnected channel's reply waits for the reconnection (the
		// engine holds it); a removed channel or a deleted item cannot
		// take one.
		reply.Enabled, reply.Reason = false, gone
	case it.Kind == model.InboxMessage && ch.Network == "bluesky" && it.ConversationID == "":
		reply.Enabled, reply.Reason = false, "Herald does not know this message's conversation."
	}
	message := ItemAction{ID: "message", Enabled: reply.Enabled, Reason: reply.Reason}
	switch {
	case !message.Enabled:
	case it.Kind == model.InboxMessage:
		message.Enabled, message.Reason = false, "This is already a direct message: the reply stays private."
	case it.AuthorRemoteID == "":
		message.Enabled, message.Reason = false, "Herald does not know this author's account."
	case ch.RemoteID != "" && it.AuthorRemoteID == ch.RemoteID:
		message.Enabled, message.Reason = false, "This is the channel's own account."
	}
	out := []ItemAction{reply, message}
	mod, canModerate := n.(network.Moderator)
	author, err := s.inbox.Author(ctx, ch.ID, it.AuthorRemoteID)
	if err != nil {
		return nil, err
	}
	active := map[network.InboxAction]bool{
		network.ActionLike: it.LikedAt != nil, network.ActionHide: it.HiddenAt != nil,
		network.ActionMute: author.MutedAt != nil, network.ActionBlock: author.BlockedAt != nil,
	}
	for _, a := range network.InboxActions {
		act := ItemAction{ID: string(a), Active: active[a]}
		switch {
		case !known || !canModerate:
			act.Reason = "Herald cannot do this on " + networkTitle(s.networks, ch.Network) + " yet."
		case gone != "" && (a == network.ActionLike || a == network.ActionHide || ch.RemovedAt != nil || ch.Status == model.ChannelDisconnected):
			act.Reason = gone
		default:
			act.Enabled, act.Reason = mod.Supports(a, itemRef(it), ch.RemoteID)
		}
		out = append(out, act)
	}
	return out, nil
}

func itemRef(it model.InboxItem) network.ItemRef {
	return network.ItemRef{RemoteID: it.RemoteID, Kind: network.InboxKind(it.Kind), AuthorRemoteID: it.AuthorRemoteID, RootID: it.RootRemoteID}
}

// actionWords names an action in audit lines: done, undone.
var actionWords = map[network.InboxAction][2]string{
	network.ActionLike:  {"Liked", "Took back the like of"},
	network.ActionHide:  {"Hid", "Showed again"},
	network.ActionMute:  {"Muted the author of", "Unmuted the author of"},
	network.ActionBlock: {"Blocked the author of", "Unblocked the author of"},
}

// Act likes or hides an item, or mutes or blocks its author, on the
// network, because the user asked (undo takes it back); then records it
// with its audit line. Nothing is recorded when the network refused.
func (s *Inbox) Act(itemID int64, action string, undo bool) (InboxConversation, error) {
	ctx := context.Background()
	a := network.InboxAction(action)
	if _, ok := actionWords[a]; !ok {
		return InboxConversation{}, apperr.Invalid("action", "Unknown action %q.", action)
	}
	it, ch, err := s.itemAndChannel(ctx, itemID)
	if err != nil {
		return InboxConversation{}, err
	}
	actions, err := s.actionsFor(ctx, ch, it)
	if err != nil {
		return InboxConversation{}, err
	}
	for _, x := range actions {
		if x.ID == action && !x.Enabled {
			return InboxConversation{}, &apperr.Error{Code: apperr.CodeConflict, Message: x.Reason}
		}
	}
	n, _ := s.networks.Get(ch.Network)
	mod := n.(network.Moderator)
	// The user is waiting: the request goes with publishing's priority.
	nctx := ratebudget.WithChannel(ctx, ch.ID, ratebudget.Publish)
	cred, err := s.creds.Fresh(nctx, ch)
	if err != nil {
		return InboxConversation{}, fmt.Errorf("sign in to %s: %w", channelName(ch), err)
	}
	if err := mod.Act(nctx, ch.Instance, cred, a, itemRef(it), undo); err != nil {
		words := actionWords[a][0]
		if undo {
			words = actionWords[a][1]
		}
		return InboxConversation{}, &apperr.Error{Code: apperr.CodeUnavailable, Err: err,
			Message: fmt.Sprintf("%s could not do it (%s this item): %s", networkTitle(s.networks, ch.Network), strings.ToLower(words), network.SafeMessage(err)),
			Hint:    "Nothing was changed in Herald. Try again in a moment; if it keeps failing, check the channel in Channels."}
	}
	err = store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		st := s.inbox.WithTx(tx)
		var changed bool
		var err error
		switch a {
		case network.ActionLike:
			changed, err = st.SetLiked(ctx, it.ID, !undo)
		case network.ActionHide:
			changed, err = st.SetHidden(ctx, it.ID, !undo)
		case network.ActionMute:
			changed, err = st.SetAuthor(ctx, ch.ID, it.AuthorRemoteID, store.AuthorMuted, !undo)
		default:
			changed, err = st.SetAuthor(ctx, ch.ID, it.AuthorRemoteID, store.AuthorBlocked, !undo)
		}
		if err != nil || !changed {
			return err
		}
		words := actionWords[a][0]
		event := "inbox." + string(a)
		if undo {
			words, event = actionWords[a][1], "inbox.un"+string(a)
		}
		who := it.AuthorHandle
		if who == "" {
			who = it.AuthorName
		}
		return s.audit.AppendTx(ctx, tx, &model.AuditEntry{Actor: model.ActorUser, Event: event, ChannelID: &ch.ID, ChannelName: channelName(ch),
			Summary: fmt.Sprintf("%s %s's %s on %s", words, who, kindNoun(it.Kind), channelName(ch)),
			Details: fmt.Sprintf(`{"inboxItemId":%d}`, it.ID)})
	})
	if err != nil {
		return InboxConversation{}, err
	}
	s.emitter.Emit(events.InboxChanged, ch.ID)
	s.emitter.Emit(events.AuditAppended, nil)
	return s.Get(itemID)
}

func kindNoun(k model.InboxKind) string {
	switch k {
	case model.InboxMessage:
		return "message"
	case model.InboxMention:
		return "mention"
	case model.InboxQuote:
		return "quote"
	}
	return "comment"
}

// Reply sends a reply to an item: it is saved and published at once by the
// publishing engine, exactly once. The same Key twice returns the first
// reply.
func (s *Inbox) Reply(in ReplyInput) (ReplyView, error) {
	ctx := context.Background()
	if s.replies == nil {
		return ReplyView{}, errors.New("replies are not available in this mode")
	}
	it, ch, err := s.itemAndChannel(ctx, in.ItemID)
	if err != nil {
		return ReplyView{}, err
	}
	actions, err := s.actionsFor(ctx, ch, it)
	if err != nil {
		return ReplyView{}, err
	}
	want := "reply"
	if in.Private && it.Kind != model.InboxMessage {
		want = "message"
	}
	for _, a := range actions {
		if a.ID == want && !a.Enabled {
			return ReplyView{}, &apperr.Error{Code: apperr.CodeConflict, Message: a.Reason}
		}
	}
	t, held, err := s.replies.reply(ctx, ch, it, in)
	if err != nil {
		return ReplyView{}, err
	}
	s.emitter.Emit(events.InboxChanged, ch.ID)
	v := replyView(t)
	v.Held = held
	return v, nil
}

// CheckReply is the live validation of a reply being written: the same
// counting and limits as the composer, for the network the item came from.
func (s *Inbox) CheckReply(in ReplyInput) (ReplyCheck, error) {
	ctx := context.Background()
	if s.replies == nil {
		return ReplyCheck{}, errors.New("replies are not available in this mode")
	}
	it, ch, err := s.itemAndChannel(ctx, in.ItemID)
	if err != nil {
		return ReplyCheck{}, err
	}
	view := asPrivate(it, in.Private)
	return s.replies.checkReply(ctx, ch, view, in.Text, replyOptions(ch, view, in.Options)), nil
}

func (s *Inbox) itemAndChannel(ctx context.Context, id int64) (model.InboxItem, model.Channel, error) {
	it, err := s.inbox.Get(ctx, id)
	if err != nil {
		return it, model.Channel{}, notFound(err, "This inbox item no longer exists.")
	}
	ch, err := s.channels.Get(ctx, it.ChannelID)
	if errors.Is(err, store.ErrNotFound) {
		return it, ch, apperr.NotFound("This item's channel no longer exists.")
	}
	return it, ch, err
}

func (s *Inbox) repliesTo(ctx context.Context, itemID int64) ([]ReplyView, error) {
	if s.replies == nil {
		return []ReplyView{}, nil
	}
	ts, err := s.replies.targets.RepliesTo(ctx, itemID)
	if err != nil {
		return nil, err
	}
	out := make([]ReplyView, 0, len(ts))
	for _, t := range ts {
		out = append(out, replyView(t))
	}
	return out, nil
}

func replyView(t model.PostTarget) ReplyView {
	v := ReplyView{PostID: t.PostID, TargetID: t.ID, ChannelID: t.ChannelID, Text: t.Body, Status: string(t.Status), Class: t.ErrorClass,
		Message: t.ErrorMessage, RemoteURL: t.RemoteURL, CreatedAt: stamp(t.CreatedAt), PublishedAt: stampPtr(t.PublishedAt),
		NextAttemptAt: stampPtr(t.NextAttemptAt)}
	if t.InboxItemID != nil {
		v.ItemID = *t.InboxItemID
	}
	return v
}
