package publish

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"gorm.io/gorm"

	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/ratebudget"
	"herald/backend/store"
)

// Result is the payload of events.PublishResult.
type Result struct {
	PostID    int64  `json:"postId"`
	TargetID  int64  `json:"targetId"`
	ChannelID int64  `json:"channelId"`
	Status    string `json:"status"`
	Class     string `json:"class"`
	Message   string `json:"message"`
	RemoteURL string `json:"remoteUrl"`
}

// attempt runs one claimed target to the end of its attempt. ch is the
// target's channel as the dispatcher read it (chErr if it could not).
func (e *Engine) attempt(ctx context.Context, c store.Claimed, ch model.Channel, chErr error) store.Outcome {
	ctx, cancel := context.WithTimeout(ctx, e.d.Policy.AttemptTimeout)
	defer cancel()
	o, checked := e.try(ctx, c, ch, chErr)
	if post, err := e.buildPost(c); err == nil {
		o.Fingerprint = fingerprint(post, c.Target)
	}
	if c.Target.Reconcile && !checked && o.Status != model.TargetPublished {
		// The attempt ended before it could look at the channel (a dead
		// channel, a keyring error): the earlier unknown outcome stays
		// unknown, so the next attempt must still look first.
		o.Reconcile = true
	}
	// Recording the outcome must survive the attempt's own deadline. The
	// target, its attempt, the post's status and the audit line commit
	// together.
	rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer rcancel()
	entry := e.auditEntry(c, ch, o)
	if o.Status != model.TargetPublished {
		// Marked before the write: a success recorded meanwhile must not
		// count this target as brought forward.
		e.backoffs.mark(c.Target.ChannelID)
	}
	if err := e.record(rctx, c, o, entry); err != nil {
		return o
	}
	if pending, n := e.backoffs.pending(c.Target.ChannelID); o.Status == model.TargetPublished && pending {
		// The channel works: nothing of it should sit in a long backoff.
		if moved, err := e.targets.BringForward(rctx, c.Target.ChannelID, e.d.Clock.Now()); err != nil {
			e.d.Log.Warn("bring retries forward", "channel_id", c.Target.ChannelID, "err", err)
		} else {
			e.backoffs.cleared(c.Target.ChannelID, n)
			if moved > 0 {
				e.Wake()
			}
		}
	}
	e.announce(rctx, c, ch, o)
	return o
}

// record writes an attempt's outcome, retrying a database that refused the
// write. If it never takes, the target is abandoned to reconciliation (as
// after a stop) rather than left "publishing" until Herald restarts.
func (e *Engine) record(ctx context.Context, c store.Claimed, o store.Outcome, entry *model.AuditEntry) error {
	var err error
	for i, wait := 0, 100*time.Millisecond; i < 5; i, wait = i+1, wait*2 {
		if err = e.writes.do(ctx, func(tx *gorm.DB) error { return e.targets.FinishIn(ctx, tx, c, e.token, o, entry) }); err == nil || errors.Is(err, store.ErrNotClaimed) {
			return err
		}
		e.d.Log.Warn("record attempt outcome; trying again", "target_id", c.Target.ID, "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
	e.d.Log.Error("record attempt outcome", "target_id", c.Target.ID, "err", err)
	e.backoffs.mark(c.Target.ChannelID)
	if aerr := e.targets.Abandon(ctx, c, e.token, e.d.Clock.Now().Add(e.d.Policy.RetryBase)); aerr != nil {
		e.d.Log.Error("hand an unrecorded attempt to reconciliation", "target_id", c.Target.ID, "err", aerr)
	}
	return err
}

// try makes the network calls of one attempt and says how it ended, and
// whether it looked at the channel for an earlier attempt's post.
func (e *Engine) try(ctx context.Context, c store.Claimed, ch model.Channel, chErr error) (store.Outcome, bool) {
	var checked bool
	o := e.tryInner(ctx, c, ch, chErr, &checked)
	return o, checked
}

func (e *Engine) tryInner(ctx context.Context, c store.Claimed, ch model.Channel, chErr error, checked *bool) store.Outcome {
	if chErr != nil {
		return e.failNow("missing_channel", "The channel no longer exists.")
	}
	if ch.RemovedAt != nil {
		return e.failNow("missing_channel", "The channel was removed from Herald.")
	}
	if ch.Status == model.ChannelDisconnected {
		return blocked(network.ClassAuthDead, fmt.Sprintf("Waiting for you to reconnect %s; it will be published then.", label(ch)))
	}
	n, ok := e.d.Networks.Get(ch.Network)
	pub, canPublish := n.(network.Publisher)
	if !ok || !canPublish {
		return e.failNow("unsupported", fmt.Sprintf("Herald cannot publish to %s yet.", ch.Network))
	}
	post, err := e.buildPost(c)
	if err != nil {
		return e.failNow("invalid_post", err.Error())
	}
	ctx = ratebudget.WithChannel(ctx, ch.ID, ratebudget.Publish)
	cred, err := e.d.Credentials.Fresh(ctx, ch)
	if err != nil {
		return e.classify(ctx, c, ch, cred.Generation, err, nil)
	}

	items := append([]string(nil), post.Done...)
	var itemsMu sync.Mutex
	var lastURL string
	total := post.Items()
	post.Progress = func(index int, id, url string) {
		itemsMu.Lock()
		items = append(items, id)
		if len(items) == 1 {
			lastURL = url
		}
		snapshot := append([]string(nil), items...)
		itemsMu.Unlock()
		if index == total-1 {
			// The last item: the attempt's outcome, committed next, records
			// it with the same promptness.
			return
		}
		// Stored at once: a crash after this line still knows the item exists
		// and the retry continues after it.
		wctx := context.WithoutCancel(ctx)
		err := e.writes.do(wctx, func(tx *gorm.DB) error {
			return e.targets.WithTx(tx).RecordItems(wctx, c.Target.ID, e.token, snapshot, lastURL)
		})
		if err != nil {
			e.d.Log.Error("record remote id", "target_id", c.Target.ID, "err", err)
		}
	}

	if c.Target.Reconcile {
		if rec, ok := n.(network.Reconciler); ok {
			since := c.Target.CreatedAt
			if c.Target.FirstAttemptAt != nil {
				since = c.Target.FirstAttemptAt.Add(-2 * time.Minute)
			}
			found, ok, err := rec.FindPublished(ctx, ch.Instance, cred, post, since)
			if err != nil {
				// The check failed, not the post: whatever the server said
				// about reading the channel says nothing about the post, so
				// it is tried again (unless the channel itself is at fault).
				switch network.ClassOf(err) {
				case network.ClassAuthDead, network.ClassScopeMissing, network.ClassAPIRetired, network.ClassRateLimited, network.ClassTransient:
				default:
					err = &network.Error{Class: network.ClassTransient, Message: "Herald could not check the channel: " + network.SafeMessage(err), Err: err}
				}
				o := e.classify(ctx, c, ch, cred.Generation, err, post.Done)
				o.Reconcile = true
				return o
			}
			*checked = true
			// What is on the channel adds to what Herald recorded, never
			// replaces it: the user may have deleted a recorded part on the
			// network, and the parts found after it are still published.
			known := mergeItems(post.Done, found.ItemIDs)
			if ok && len(known) >= post.Items() {
				e.d.Log.Info("an interrupted attempt had published; not publishing again", "target_id", c.Target.ID)
				if known[0] != found.RemoteID {
					found.RemoteID, found.URL = known[0], orDefault(c.Target.RemoteURL, found.URL)
				}
				found.ItemIDs = known
				return e.published(ctx, n, ch, cred, c, found, "Found on the channel after an interrupted attempt; not published again.")
			}
			if ok && len(known) > len(post.Done) {
				// More of a thread made it than was recorded: continue after it.
				post.Done = append([]string(nil), known...)
				items = append([]string(nil), known...)
			}
		}
	}
	if end, closed := e.windowClosed(c); closed && retrying(c.Target) {
		// Known not to be on the channel (checked above, or never sent):
		// past its window, it is not published late.
		msg := fmt.Sprintf("Not published: it could not go out before its window closed at %s (last problem: %s). Herald checked that it is not on the channel.",
			end.UTC().Format(time.RFC3339), orDefault(c.Target.ErrorMessage, "a network error"))
		if len(items) > 0 {
			msg = fmt.Sprintf("Only %d of %d parts were published before its window closed at %s; retry to publish the rest.", len(items), post.Items(), end.UTC().Format(time.RFC3339))
		}
		o := e.failNow("transient", msg)
		o.Items = items
		return o
	}

	res, err := pub.Publish(ctx, ch.Instance, cred, post)
	if network.ClassOf(err) == network.ClassTokenExpired {
		if cred, err = e.d.Credentials.Renew(ctx, ch, cred); err == nil {
			itemsMu.Lock()
			post.Done = append([]string(nil), items...)
			itemsMu.Unlock()
			res, err = pub.Publish(ctx, ch.Instance, cred, post)
		}
	}
	if err != nil {
		itemsMu.Lock()
		done := append([]string(nil), items...)
		itemsMu.Unlock()
		return e.classify(ctx, c, ch, cred.Generation, err, done)
	}
	return e.published(ctx, n, ch, cred, c, res, "")
}

// mergeItems is the parts of a thread known to exist: those recorded, in
// their order, then those found on the channel that were not recorded.
// Parts go out in order and each is recorded as it goes, so a found part
// that was not recorded comes after every recorded one.
func mergeItems(done, found []string) []string {
	out := append([]string(nil), done...)
	seen := make(map[string]bool, len(done))
	for _, id := range done {
		seen[id] = true
	}
	for _, id := range found {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// published builds the outcome of a success, after reading the post back.
func (e *Engine) published(_ context.Context, _ network.Network, _ model.Channel, _ network.Credential, c store.Claimed, res network.Published, note string) store.Outcome {
	// Reading the post back happens in Verify, off the publishing path, so
	// a burst of due posts is not slowed by a second request per post.
	return store.Outcome{Attempt: model.OutcomeSucceeded, Status: model.TargetPublished, RemoteID: res.RemoteID, RemoteURL: res.URL,
		Items: res.ItemIDs, PublishedAt: e.d.Clock.Now(), Message: note}
}

// classify turns a failed attempt into what happens next.
func (e *Engine) classify(ctx context.Context, c store.Claimed, ch model.Channel, gen int64, err error, done []string) store.Outcome {
	msg := network.SafeMessage(err)
	class := network.ClassOf(err)
	var ne *network.Error
	sent := errors.As(err, &ne) && ne.Sent
	o := store.Outcome{Attempt: model.OutcomeFailed, Class: string(class), Message: msg, Items: done}
	switch class {
	case network.ClassAuthDead, network.ClassScopeMissing, network.ClassAPIRetired:
		if !e.d.Health.ReportErrorAt(context.WithoutCancel(ctx), ch.ID, gen, err) {
			// The credential was replaced while this request was out (the
			// user reconnected): try again at once with the new one.
			o.Status = model.TargetScheduled
			// A second, not now: never a hot loop within one tick.
			o.NextAttemptAt = e.d.Clock.Now().Add(time.Second)
			o.Message = fmt.Sprintf("%s refused an older sign-in; trying again with the new one.", ch.Network)
			return o
		}
		b := blocked(class, fmt.Sprintf("%s Reconnect %s and Herald will publish it.", msg, label(ch)))
		b.Items = done
		return b
	case network.ClassContentRejected, network.ClassMediaRejected, network.ClassInvalidInput:
		o.Status = model.TargetFailed
		return o
	case network.ClassRateLimited:
		// The whole channel waits until the reset (every target, every kind
		// of request), and the wait survives a restart. It costs no try.
		until := e.d.Clock.Now().Add(15 * time.Minute)
		if at, ok := network.RetryAfter(err); ok {
			until = at
		}
		if perr := e.limits.Park(context.WithoutCancel(ctx), ch.ID, until); perr != nil {
			e.d.Log.Error("park a rate-limited channel", "channel_id", ch.ID, "err", perr)
		}
		o.Status = model.TargetScheduled
		o.NextAttemptAt = until
		o.Message = fmt.Sprintf("%s is limiting requests; Herald will try again at %s.", ch.Network, until.UTC().Format(time.RFC3339))
		return o
	}
	// Transient, or unclassified (a keyring blip): retry with backoff. An
	// attempt that may have reached the network is reconciled first, and
	// costs no try: only a failure known not to have been sent does.
	if sent {
		o.Attempt = model.OutcomeUnknown
		o.Reconcile = true
	} else {
		o.CountsTry = true
	}
	if end, closed := e.windowClosed(c); closed && !o.Reconcile && !c.Target.Reconcile {
		// Failing for transient reasons only ends the post when its window
		// closes, never after a count of attempts.
		o.Status = model.TargetFailed
		o.Message = fmt.Sprintf("Not published: it could not go out before its window closed at %s (last problem: %s). Herald checked that it is not on the channel.",
			end.UTC().Format(time.RFC3339), msg)
		return o
	}
	// Past its window with an unknown outcome, the next attempt only looks
	// at the channel (see try): Herald never gives up on a post that may
	// exist without finding out.
	o.Status = model.TargetScheduled
	o.NextAttemptAt = e.d.Clock.Now().Add(e.backoff(c.Target.Tries + 1))
	if ne != nil && !ne.ResetAt.IsZero() && ne.ResetAt.After(o.NextAttemptAt) {
		o.NextAttemptAt = ne.ResetAt
	}
	return o
}

// windowClosed says when a target's window to be published ends — its
// due time plus the post's grace window — and whether that has passed.
func (e *Engine) windowClosed(c store.Claimed) (time.Time, bool) {
	if c.Target.DueAt == nil {
		return time.Time{}, false
	}
	grace := time.Duration(c.Post.GraceMinutes) * time.Minute
	if grace <= 0 {
		grace = time.Hour
	}
	end := c.Target.DueAt.Add(grace)
	return end, e.d.Clock.Now().After(end)
}

// retrying: the target failed before (it is not a first attempt the user
// or a reconnect asked for).
func retrying(t model.PostTarget) bool {
	return t.ErrorClass == string(network.ClassTransient) || t.ErrorClass == string(network.ClassRateLimited)
}

// backoff is exponential from RetryBase, capped at RetryCap.
func (e *Engine) backoff(attempt int) time.Duration {
	d := e.d.Policy.RetryBase
	for i := 1; i < attempt && d < e.d.Policy.RetryCap; i++ {
		d *= 2
	}
	return min(d, e.d.Policy.RetryCap)
}

func blocked(class network.Class, msg string) store.Outcome {
	return store.Outcome{Attempt: model.OutcomeFailed, Status: model.TargetBlocked, Class: string(class), Message: msg}
}

func (e *Engine) failNow(class, msg string) store.Outcome {
	return store.Outcome{Attempt: model.OutcomeFailed, Status: model.TargetFailed, Class: class, Message: msg}
}

// buildPost turns a stored variant into what the network publishes.
func (e *Engine) buildPost(c store.Claimed) (network.Post, error) {
	t := c.Target
	p := network.Post{Text: t.Body, FirstComment: t.FirstComment, IdempotencyKey: t.IdempotencyKey, ReplyTo: t.ReplyTo, DirectTo: t.DirectTo, Options: map[string]string{}}
	if t.FirstAttemptAt != nil {
		p.CreatedAt = *t.FirstAttemptAt
	}
	if err := json.Unmarshal([]byte(orDefault(t.Thread, "[]")), &p.Thread); err != nil {
		return p, fmt.Errorf("the thread of this variant is unreadable: %w", err)
	}
	if err := json.Unmarshal([]byte(orDefault(t.Options, "{}")), &p.Options); err != nil {
		return p, fmt.Errorf("the options of this variant are unreadable: %w", err)
	}
	if err := json.Unmarshal([]byte(orDefault(t.ItemIDs, "[]")), &p.Done); err != nil {
		return p, fmt.Errorf("the published items of this variant are unreadable: %w", err)
	}
	for _, m := range t.Media {
		p.Media = append(p.Media, network.Media{Path: filepath.Join(e.d.MediaDir, filepath.FromSlash(m.Path)), MIME: m.MIME,
			Size: m.SizeBytes, AltText: m.AltText, Width: m.Width, Height: m.Height})
	}
	return p, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// auditEntry is the audit line of an attempt's end.
func (e *Engine) auditEntry(c store.Claimed, ch model.Channel, o store.Outcome) *model.AuditEntry {
	title := postTitle(c.Post, c.Target)
	var event, summary string
	switch o.Status {
	case model.TargetPublished:
		event, summary = "post.published", fmt.Sprintf("Published %s to %s", title, label(ch))
	case model.TargetFailed:
		event, summary = "post.failed", fmt.Sprintf("Could not publish %s to %s: %s", title, label(ch), o.Message)
	case model.TargetBlocked:
		event, summary = "post.blocked", fmt.Sprintf("%s to %s is waiting: %s", title, label(ch), o.Message)
	default:
		event, summary = "post.retry", fmt.Sprintf("Attempt %d of %s to %s did not finish (%s); next try at %s",
			c.Target.AttemptCount, title, label(ch), o.Message, o.NextAttemptAt.UTC().Format(time.RFC3339))
	}
	details, _ := json.Marshal(map[string]any{"targetId": c.Target.ID, "attempt": c.Target.AttemptCount, "outcome": o.Attempt,
		"class": o.Class, "remoteId": o.RemoteID, "remoteUrl": o.RemoteURL})
	chID, postID := c.Target.ChannelID, c.Post.ID
	return &model.AuditEntry{Actor: model.ActorScheduler, Event: event, ChannelID: &chID, ChannelName: label(ch),
		Teams: store.TeamNames(ch.Teams), PostID: &postID, Summary: summary, Details: string(details)}
}

// announce tells the window and notifies when the post reached its end.
func (e *Engine) announce(ctx context.Context, c store.Claimed, ch model.Channel, o store.Outcome) {
	e.d.Emitter.Emit(events.PublishResult, Result{PostID: c.Post.ID, TargetID: c.Target.ID, ChannelID: c.Target.ChannelID, Status: string(o.Status),
		Class: o.Class, Message: o.Message, RemoteURL: o.RemoteURL})
	e.d.Emitter.Emit(events.PostsChanged, c.Post.ID)
	if c.Post.Kind == model.PostKindReply {
		// The conversation shows the reply's state, and a published reply
		// sets the item's first-reply time.
		e.d.Emitter.Emit(events.InboxChanged, c.Target.ChannelID)
		e.notifyReply(ctx, c.Target, ch, o)
		return
	}
	e.notifyIfDone(ctx, c.Post, c.Target, ch, o)
}

func postTitle(p model.Post, t model.PostTarget) string {
	if p.Title != "" {
		return "“" + p.Title + "”"
	}
	r := []rune(t.Body)
	if len(r) > 40 {
		return "“" + string(r[:40]) + "…”"
	}
	return "“" + string(r) + "”"
}

func label(ch model.Channel) string {
	if l := ch.Label(); l != "" {
		return l
	}
	return "a removed channel"
}
