package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/compose"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
)

// Replies written in the inbox are posts of kind "reply" with one target,
// on the channel the item came to, that names the item it answers
// (post_targets.reply_to). They are saved, scheduled for now and published
// by the same engine as every post, so a reply is exactly-once in the same
// way: claimed once, reconciled after an unknown outcome, never sent twice.

// ReplyInput is an answer written in the inbox.
type ReplyInput struct {
	ItemID int64  `json:"itemId"`
	Text   string `json:"text"`
	// Options where the network has them: "visibility" (Mastodon; a
	// direct message's reply is always "direct"), "content_warning",
	// "language".
	Options map[string]string `json:"options"`
	// Key is chosen by the window once per reply being written: sending
	// the same reply again (a second click, a retry after a lost answer)
	// returns the first instead of making another.
	Key string `json:"key"`
	// Private sends the answer as a direct message to the item's author
	// (a new private conversation, or theirs with the channel) instead of
	// a public reply. A message's answer is always private.
	Private bool `json:"private"`
}

// ReplyView is a reply and where it stands.
type ReplyView struct {
	PostID        int64  `json:"postId"`
	TargetID      int64  `json:"targetId"`
	ItemID        int64  `json:"itemId"`
	ChannelID     int64  `json:"channelId"`
	Text          string `json:"text"`
	Status        string `json:"status"` // a target status: scheduled, claimed, published, failed, blocked, ...
	Class         string `json:"class"`
	Message       string `json:"message"`
	RemoteURL     string `json:"remoteUrl"`
	CreatedAt     string `json:"createdAt"`
	PublishedAt   string `json:"publishedAt"`
	NextAttemptAt string `json:"nextAttemptAt"`
	// Held is set when publishing is paused: the reply goes out when it
	// resumes.
	Held bool `json:"held"`
}

// ReplyCheck is the live validation of a reply being written.
type ReplyCheck struct {
	NetworkName string         `json:"networkName"`
	Result      compose.Result `json:"result"`
	// Problems are about the reply as a whole (a deleted item, a
	// direct message that names nobody).
	Problems []string `json:"problems"`
	OK       bool     `json:"ok"`
}

// replyKey is what a window's key may look like: it ends up in the
// idempotency key, which the network sees.
var replyKey = regexp.MustCompile(`^[A-Za-z0-9-]{8,64}$`)

// bskyChatRules: a Bluesky direct message is up to 1,000 graphemes
// (chat.bsky.convo.defs#messageInput), text only.
var bskyChatRules = network.Rules{MaxChars: 1000, MaxBytes: 10000}

// asPrivate is the item as a private answer sees it: a direct message.
func asPrivate(it model.InboxItem, private bool) model.InboxItem {
	if private {
		it.Kind = model.InboxMessage
	}
	return it
}

// replyRules are the limits a reply to it is checked against: the
// channel's post rules, a chat's for a Bluesky direct message.
func (s *Posts) replyRules(ctx context.Context, ch model.Channel, it model.InboxItem) (network.Rules, string) {
	rules, name := s.rulesFor(ctx, ch)
	if it.Kind == model.InboxMessage && ch.Network == "bluesky" {
		return bskyChatRules, name + " direct messages"
	}
	rules.MaxMedia, rules.MaxThread = 0, 0
	return rules, name
}

// replyOptions fixes what the conversation decides: a reply to a Mastodon
// direct message stays direct; Bluesky chat messages have no options.
func replyOptions(ch model.Channel, it model.InboxItem, in map[string]string) map[string]string {
	out := map[string]string{}
	if it.Kind == model.InboxMessage && ch.Network == "bluesky" {
		return out
	}
	for _, k := range []string{"visibility", "content_warning", "language"} {
		if v := strings.TrimSpace(in[k]); v != "" {
			out[k] = v
		}
	}
	if it.Kind == model.InboxMessage {
		out["visibility"] = "direct"
	}
	return out
}

// checkReply validates a reply to it on ch; the problems are the ones
// that concern the reply as a whole.
func (s *Posts) checkReply(ctx context.Context, ch model.Channel, it model.InboxItem, text string, opts map[string]string) ReplyCheck {
	rules, name := s.replyRules(ctx, ch, it)
	res := compose.Validate(rules, name, compose.Variant{Text: text, Options: opts})
	out := ReplyCheck{NetworkName: name, Result: res, Problems: []string{}}
	if it.DeletedAt != nil {
		out.Problems = append(out.Problems, "This item was deleted on "+networkTitle(s.networks, ch.Network)+", so a reply cannot attach to it.")
	}
	if ch.RemovedAt != nil {
		out.Problems = append(out.Problems, "This channel was removed from Herald; reconnect it to reply.")
	}
	if it.Kind == model.InboxMessage && ch.Network == "mastodon" && it.AuthorHandle != "" && strings.TrimSpace(text) != "" &&
		!mentions(text, it.AuthorHandle) {
		out.Problems = append(out.Problems, fmt.Sprintf("A Mastodon direct message reaches only the accounts it mentions: keep %s in the text.", it.AuthorHandle))
	}
	out.OK = res.OK && len(out.Problems) == 0
	return out
}

// mentions reports whether text names handle ("@alice@example.social";
// "@alice" is enough for a local account).
func mentions(text, handle string) bool {
	lower := strings.ToLower(text)
	h := strings.ToLower(strings.TrimPrefix(handle, "@"))
	user, _, _ := strings.Cut(h, "@")
	return strings.Contains(lower, "@"+h) || user != "" && regexp.MustCompile(`(^|[^\w@])@`+regexp.QuoteMeta(user)+`\b`).MatchString(lower)
}

// networkTitle is a network's name as its package gives it ("Mastodon"),
// or its id when Herald does not know it.
func networkTitle(reg *network.Registry, id string) string {
	if n, ok := reg.Get(id); ok {
		return n.Descriptor().Name
	}
	return id
}

// reply saves a reply to it and schedules it for now, with its audit line,
// in one transaction. A key already used returns that reply unchanged.
func (s *Posts) reply(ctx context.Context, ch model.Channel, it model.InboxItem, in ReplyInput) (model.PostTarget, bool, error) {
	if !replyKey.MatchString(in.Key) {
		return model.PostTarget{}, false, apperr.Invalid("key", "This reply has no valid key; close and reopen the reply box.")
	}
	idem := "reply-" + in.Key
	if t, err := s.targets.ByIdempotencyKey(ctx, idem); err == nil {
		if t.InboxItemID == nil || *t.InboxItemID != it.ID {
			return model.PostTarget{}, false, apperr.Invalid("key", "This reply's key belongs to another conversation; write the reply again.")
		}
		return t, false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return model.PostTarget{}, false, err
	}
	private := in.Private || it.Kind == model.InboxMessage
	if in.Private && it.Kind != model.InboxMessage && it.AuthorRemoteID == "" {
		return model.PostTarget{}, false, apperr.Invalid("private", "Herald does not know this author's account, so it cannot message them.")
	}
	opts := replyOptions(ch, asPrivate(it, in.Private), in.Options)
	check := s.checkReply(ctx, ch, asPrivate(it, in.Private), in.Text, opts)
	if !check.OK {
		msg := "This reply cannot be sent yet."
		if len(check.Problems) > 0 {
			msg = check.Problems[0]
		} else {
			for _, is := range check.Result.Issues {
				if is.Severity == compose.SeverityError {
					msg = is.Message
					break
				}
			}
		}
		return model.PostTarget{}, false, apperr.Invalid("text", "%s", msg)
	}
	optsJSON, _ := json.Marshal(opts)
	now := s.now().UTC()
	who := it.AuthorHandle
	if who == "" {
		who = it.AuthorName
	}
	title := "Reply to " + who
	if private {
		title = "Message to " + who
	}
	post := &model.Post{Kind: model.PostKindReply, Title: title, Status: model.PostDraft, TimeZone: "UTC",
		MissedPolicy: model.MissedPublishLate, GraceMinutes: 60, Origin: "app"}
	itemID := it.ID
	target := model.PostTarget{ChannelID: ch.ID, Body: in.Text, Thread: "[]", Options: string(optsJSON), IdempotencyKey: idem,
		ItemIDs: "[]", ReplyTo: it.RemoteID, InboxItemID: &itemID}
	if in.Private && it.Kind != model.InboxMessage {
		// A new private conversation with the author, not an answer in the
		// public thread.
		target.ReplyTo, target.DirectTo = "", it.AuthorRemoteID
	}
	held := false
	err := store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		targets := []model.PostTarget{target}
		if err := s.posts.WithTx(tx).Save(ctx, post, targets); err != nil {
			return s.explain(ctx, err)
		}
		target = targets[0]
		if err := s.posts.WithTx(tx).ScheduleTargets(ctx, post.ID, map[int64]time.Time{target.ID: now}, false, &now, store.ActionPublishNow); err != nil {
			return s.explain(ctx, err)
		}
		var err error
		if held, err = holdForResume(ctx, tx, s.now, []int64{target.ID}); err != nil {
			return err
		}
		if _, err := store.NewInbox(tx, s.now).MarkRead(ctx, it.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		kind := kindNoun(it.Kind)
		summary := fmt.Sprintf("Replied to %s's %s on %s", who, kind, channelName(ch))
		if in.Private && it.Kind != model.InboxMessage {
			summary = fmt.Sprintf("Sent %s a direct message about their %s on %s", who, kind, channelName(ch))
		}
		if held {
			summary += " (publishing is paused: it goes out when publishing resumes)"
		}
		return s.auditPost(ctx, tx, post.ID, "inbox.reply", summary, map[string]any{"inboxItemId": it.ID, "replyTo": it.RemoteID})
	})
	if err != nil {
		return model.PostTarget{}, false, err
	}
	s.engine.Wake()
	s.changed(post.ID)
	t, err := s.targets.ByIdempotencyKey(ctx, idem)
	return t, held, err
}
