package service

import (
	"context"
	"errors"

	"herald/backend/apperr"
	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
)

// ItemAction is one thing the user can do to an inbox item on its
// network. Reason says why it is disabled, in the user's words.
type ItemAction struct {
	ID      string `json:"id"` // "reply"
	Enabled bool   `json:"enabled"`
	Reason  string `json:"reason"`
}

// actionsFor is the limitations matrix for one item: what its network,
// the channel's state and the item's own state allow.
func (s *Inbox) actionsFor(ch model.Channel, it model.InboxItem) []ItemAction {
	reply := ItemAction{ID: "reply", Enabled: true}
	n, known := s.networks.Get(ch.Network)
	_, publishes := n.(network.Publisher)
	switch {
	case !known || !publishes:
		reply = ItemAction{ID: "reply", Reason: "Herald cannot publish to " + networkTitle(ch.Network) + " yet."}
	case ch.RemovedAt != nil:
		reply.Enabled, reply.Reason = false, "This channel was removed from Herald."
	case it.DeletedAt != nil:
		reply.Enabled, reply.Reason = false, "This was deleted on "+networkTitle(ch.Network)+"; there is nothing to reply to."
	case it.Kind == model.InboxMessage && ch.Network == "bluesky" && it.ConversationID == "":
		reply.Enabled, reply.Reason = false, "Herald does not know this message's conversation."
	}
	return []ItemAction{reply}
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
	for _, a := range s.actionsFor(ch, it) {
		if a.ID == "reply" && !a.Enabled {
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
	return s.replies.checkReply(ctx, ch, it, in.Text, replyOptions(ch, it, in.Options)), nil
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
