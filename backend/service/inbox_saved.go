package service

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/store"
)

// SavedReplyView is a saved reply as the window shows it.
type SavedReplyView struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Body      string `json:"body"`
	UpdatedAt string `json:"updatedAt"`
}

// SavedReplyInput is a saved reply as the user wrote it (ID 0: a new one).
type SavedReplyInput struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Body string `json:"body"`
}

// FilledReply is a saved reply with the item's values put in. Missing
// names the variables the item has no value for (left out of Text).
type FilledReply struct {
	Text    string   `json:"text"`
	Missing []string `json:"missing"`
}

func savedView(r model.SavedReply) SavedReplyView {
	return SavedReplyView{ID: r.ID, Name: r.Name, Body: r.Body, UpdatedAt: stamp(r.UpdatedAt)}
}

func savedReplyError(err error) error {
	var se *store.SavedReplyError
	switch {
	case errors.As(err, &se):
		return &apperr.Error{Code: apperr.CodeInvalid, Field: se.Field, Message: se.Message}
	case errors.Is(err, store.ErrNotFound):
		return &apperr.Error{Code: apperr.CodeNotFound, Message: "This saved reply no longer exists.", Hint: "Reload the list of saved replies."}
	}
	return err
}

// SavedReplies lists the saved replies by name.
func (s *Inbox) SavedReplies() ([]SavedReplyView, error) {
	rs, err := s.inbox.SavedReplies(context.Background())
	if err != nil {
		return nil, err
	}
	out := make([]SavedReplyView, 0, len(rs))
	for _, r := range rs {
		out = append(out, savedView(r))
	}
	return out, nil
}

// SaveSavedReply creates or changes a saved reply, with its audit line.
func (s *Inbox) SaveSavedReply(in SavedReplyInput) (SavedReplyView, error) {
	ctx := context.Background()
	var saved model.SavedReply
	err := store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		var err error
		if saved, err = s.inbox.WithTx(tx).SaveReplyText(ctx, in.ID, in.Name, in.Body); err != nil {
			return savedReplyError(err)
		}
		event, verb := "inbox.saved_reply_created", "Saved the reply"
		if in.ID != 0 {
			event, verb = "inbox.saved_reply_changed", "Changed the saved reply"
		}
		return s.audit.AppendTx(ctx, tx, &model.AuditEntry{Actor: model.ActorUser, Event: event,
			Summary: fmt.Sprintf("%s “%s”", verb, saved.Name), Details: fmt.Sprintf(`{"savedReplyId":%d}`, saved.ID)})
	})
	if err != nil {
		return SavedReplyView{}, err
	}
	s.emitter.Emit(events.AuditAppended, nil)
	return savedView(saved), nil
}

// DeleteSavedReply deletes a saved reply, with its audit line.
func (s *Inbox) DeleteSavedReply(id int64) error {
	ctx := context.Background()
	err := store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		r, err := s.inbox.WithTx(tx).DeleteSavedReply(ctx, id)
		if err != nil {
			return savedReplyError(err)
		}
		return s.audit.AppendTx(ctx, tx, &model.AuditEntry{Actor: model.ActorUser, Event: "inbox.saved_reply_deleted",
			Summary: fmt.Sprintf("Deleted the saved reply “%s”", r.Name), Details: fmt.Sprintf(`{"savedReplyId":%d}`, id)})
	})
	if err != nil {
		return err
	}
	s.emitter.Emit(events.AuditAppended, nil)
	return nil
}

// FillSavedReply puts an item's values in a saved reply: {name} the
// author's display name (else handle), {handle} their handle, {post_url}
// the address of the channel's post the item is about (its thread's first
// post, when Herald published it), else the item's own address.
func (s *Inbox) FillSavedReply(savedID, itemID int64) (FilledReply, error) {
	ctx := context.Background()
	r, err := s.inbox.SavedReply(ctx, savedID)
	if err != nil {
		return FilledReply{}, savedReplyError(err)
	}
	it, err := s.inbox.Get(ctx, itemID)
	if err != nil {
		return FilledReply{}, notFound(err, "This inbox item no longer exists.")
	}
	postURL := it.URL
	if s.replies != nil {
		for _, id := range []string{it.RootRemoteID, it.ParentRemoteID} {
			u, err := s.replies.targets.PublishedURL(ctx, it.ChannelID, id)
			if err != nil {
				return FilledReply{}, err
			}
			if u != "" {
				postURL = u
				break
			}
		}
	}
	name := it.AuthorName
	if name == "" {
		name = it.AuthorHandle
	}
	text, missing := store.FillReply(r.Body, map[string]string{"name": name, "handle": it.AuthorHandle, "post_url": postURL})
	if missing == nil {
		missing = []string{}
	}
	return FilledReply{Text: text, Missing: missing}, nil
}
