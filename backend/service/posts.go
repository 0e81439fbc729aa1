package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/compose"
	"herald/backend/events"
	"herald/backend/media"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/queue"
	"herald/backend/schedule"
	"herald/backend/store"
)

// Publisher is the engine as the post service drives it.
type Publisher interface {
	Wake()
	CancelHandoff(ctx context.Context, tg model.PostTarget) error
}

// Posts serves the composer, the queue and the calendar.
type Posts struct {
	db       *gorm.DB
	posts    *store.Posts
	targets  *store.Targets
	channels *store.Channels
	audit    *store.Audit
	networks *network.Registry
	engine   Publisher
	media    *media.Library
	emitter  events.Emitter
	now      func() time.Time
	rules    *rulesCache
}

// PostsDeps are the Posts service's collaborators.
type PostsDeps struct {
	DB       *gorm.DB
	Networks *network.Registry
	Engine   Publisher
	Media    *media.Library
	Emitter  events.Emitter
	Now      func() time.Time
}

// NewPosts builds the service.
func NewPosts(d PostsDeps) *Posts {
	return &Posts{db: d.DB, posts: store.NewPosts(d.DB, d.Now), targets: store.NewTargets(d.DB, d.Now), channels: store.NewChannels(d.DB, d.Now),
		audit: store.NewAudit(d.DB, d.Now), networks: d.Networks, engine: d.Engine, media: d.Media, emitter: d.Emitter, now: d.Now,
		rules: &rulesCache{entries: map[string]rulesEntry{}}}
}

// MediaView is an attachment in the composer.
type MediaView struct {
	Path    string `json:"path"` // Herald's copy, relative to its media folder
	Name    string `json:"name"`
	MIME    string `json:"mime"`
	Size    int64  `json:"size"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
	AltText string `json:"altText"`
}

// VariantInput is one channel's version of a post.
type VariantInput struct {
	ChannelID    int64             `json:"channelId"`
	Text         string            `json:"text"`
	Thread       []string          `json:"thread"`
	FirstComment string            `json:"firstComment"`
	Media        []MediaView       `json:"media"`
	Options      map[string]string `json:"options"`
}

// DraftInput is the composer's whole post.
type DraftInput struct {
	ID           int64          `json:"id"`
	Title        string         `json:"title"`
	Variants     []VariantInput `json:"variants"`
	TimeZone     string         `json:"timeZone"`
	MissedPolicy string         `json:"missedPolicy"`
	GraceMinutes int            `json:"graceMinutes"`
	Handoff      bool           `json:"handoff"`
}

// ImportMediaFiles copies files (from the file dialog or a drop) into
// Herald's media folder.
func (s *Posts) ImportMediaFiles(paths []string) ([]MediaView, error) {
	out := make([]MediaView, 0, len(paths))
	for _, p := range paths {
		f, err := s.media.ImportFile(p)
		if err != nil {
			return out, apperr.Invalid("media", "%v", err)
		}
		out = append(out, mediaView(f))
	}
	return out, nil
}

// ImportMediaData stores a file the window read itself (an <input
// type=file> or a paste), sent as base64.
func (s *Posts) ImportMediaData(name, dataBase64 string) (MediaView, error) {
	raw, err := base64.StdEncoding.DecodeString(dataBase64)
	if err != nil {
		return MediaView{}, apperr.Invalid("media", "%s could not be read (bad encoding).", name)
	}
	f, err := s.media.Import(name, strings.NewReader(string(raw)))
	if err != nil {
		return MediaView{}, apperr.Invalid("media", "%v", err)
	}
	return mediaView(f), nil
}

// MediaPreview returns a stored attachment as a data: URL for the
// composer's previews.
func (s *Posts) MediaPreview(path string) (string, error) {
	b, err := s.media.ReadAll(path)
	if err != nil {
		return "", apperr.NotFound("That attachment is no longer in Herald's media folder.")
	}
	f := MediaView{}
	for _, m := range []string{"image/png", "image/jpeg", "image/gif", "image/webp"} {
		if strings.HasSuffix(path, "."+strings.TrimPrefix(m, "image/")) || (m == "image/jpeg" && strings.HasSuffix(path, ".jpg")) {
			f.MIME = m
		}
	}
	if f.MIME == "" {
		return "", apperr.Invalid("media", "Only images have a preview.")
	}
	return "data:" + f.MIME + ";base64," + base64.StdEncoding.EncodeToString(b), nil
}

func mediaView(f media.File) MediaView {
	return MediaView{Path: f.Path, Name: f.OriginalName, MIME: f.MIME, Size: f.Size, Width: f.Width, Height: f.Height}
}

// VariantCheck is one variant's live validation.
type VariantCheck struct {
	ChannelID   int64          `json:"channelId"`
	NetworkName string         `json:"networkName"`
	Result      compose.Result `json:"result"`
}

// Validation is the composer's live check of every variant.
type Validation struct {
	OK       bool           `json:"ok"`
	Variants []VariantCheck `json:"variants"`
	Problems []string       `json:"problems"` // post-level problems (no channel chosen)
}

// Validate checks every variant against its channel's real rules; it
// works offline (cached or default limits).
func (s *Posts) Validate(in DraftInput) (Validation, error) {
	ctx := context.Background()
	v := Validation{OK: true, Variants: []VariantCheck{}, Problems: []string{}}
	if len(in.Variants) == 0 {
		v.OK = false
		v.Problems = append(v.Problems, "Choose at least one channel to post to.")
	}
	for _, vi := range in.Variants {
		ch, err := s.channels.Get(ctx, vi.ChannelID)
		if err != nil {
			return v, apperr.NotFound("A selected channel no longer exists.")
		}
		rules, name := s.rulesFor(ctx, ch)
		res := compose.Validate(rules, name, toComposeVariant(vi))
		v.OK = v.OK && res.OK
		v.Variants = append(v.Variants, VariantCheck{ChannelID: ch.ID, NetworkName: name, Result: res})
	}
	return v, nil
}

func toComposeVariant(vi VariantInput) compose.Variant {
	cv := compose.Variant{Text: vi.Text, Thread: vi.Thread, FirstComment: vi.FirstComment, Options: vi.Options}
	for _, m := range vi.Media {
		cv.Media = append(cv.Media, compose.MediaInfo{Name: m.Name, MIME: m.MIME, Size: m.Size, AltText: m.AltText, Width: m.Width, Height: m.Height})
	}
	return cv
}

// rulesCache keeps each server's live limits for an hour, so typing never
// waits on the network and works offline.
type rulesCache struct {
	mu      sync.Mutex
	entries map[string]rulesEntry
}

type rulesEntry struct {
	rules  network.Rules
	at     time.Time
	failed bool // the server did not answer: defaults, retried after a minute
}

func (s *Posts) rulesFor(ctx context.Context, ch model.Channel) (network.Rules, string) {
	n, ok := s.networks.Get(ch.Network)
	if !ok {
		return network.Rules{}, ch.Network
	}
	d := n.Descriptor()
	name := d.Name
	if d.NeedsInstance {
		name = d.Name + " on " + strings.TrimPrefix(strings.TrimPrefix(ch.Instance, "https://"), "http://")
	}
	rp, ok := n.(network.RulesProvider)
	if !ok {
		return d.Rules, name
	}
	key := ch.Network + " " + ch.Instance
	s.rules.mu.Lock()
	e, hit := s.rules.entries[key]
	s.rules.mu.Unlock()
	if hit && (s.now().Sub(e.at) < time.Hour && !e.failed || e.failed && s.now().Sub(e.at) < time.Minute) {
		return e.rules, name
	}
	rctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	r, err := rp.Rules(rctx, ch.Instance)
	if err != nil {
		// Offline: keep what we had (or the defaults) and do not ask again
		// for a minute, so typing never waits on an unreachable server.
		keep := d.Rules
		if hit {
			keep = e.rules
		}
		s.rules.mu.Lock()
		s.rules.entries[key] = rulesEntry{rules: keep, at: s.now(), failed: true}
		s.rules.mu.Unlock()
		return keep, name
	}
	s.rules.mu.Lock()
	s.rules.entries[key] = rulesEntry{rules: r, at: s.now()}
	s.rules.mu.Unlock()
	return r, name
}

// SaveDraft creates or updates a post. Variants of targets that are
// publishing or published cannot change.
func (s *Posts) SaveDraft(in DraftInput) (PostView, error) {
	ctx := context.Background()
	post, targets, err := s.fromInput(ctx, in)
	if err != nil {
		return PostView{}, err
	}
	isNew := post.ID == 0
	err = store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		if !isNew {
			if err := s.editable(ctx, tx, post.ID); err != nil {
				return err
			}
		}
		if err := s.posts.WithTx(tx).Save(ctx, post, targets); err != nil {
			return err
		}
		event, summary := "post.updated", fmt.Sprintf("Edited %s", titleOf(post.Title, targets))
		if isNew {
			event, summary = "post.created", fmt.Sprintf("Drafted %s for %d channel(s)", titleOf(post.Title, targets), len(targets))
		}
		return s.auditPost(ctx, tx, post.ID, event, summary, nil)
	})
	if err != nil {
		return PostView{}, err
	}
	s.changed(post.ID)
	return s.Get(post.ID)
}

// editable refuses changes to a post with targets in flight or done.
func (s *Posts) editable(ctx context.Context, tx *gorm.DB, postID int64) error {
	var n int64
	if err := tx.WithContext(ctx).Model(&model.PostTarget{}).Where("post_id = ? AND status IN ('claimed','published')", postID).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return &apperr.Error{Code: apperr.CodeConflict, Message: "This post is being published or was published, so it can no longer be edited.",
			Hint: "Duplicate it to make a new post from it."}
	}
	return nil
}

func (s *Posts) fromInput(ctx context.Context, in DraftInput) (*model.Post, []model.PostTarget, error) {
	zone := strings.TrimSpace(in.TimeZone)
	if zone == "" {
		zone = "UTC"
	}
	if _, err := time.LoadLocation(zone); err != nil {
		return nil, nil, apperr.Invalid("timeZone", "%q is not a time zone Herald knows.", zone)
	}
	policy := model.MissedPolicy(in.MissedPolicy)
	switch policy {
	case "":
		policy = model.MissedPublishLate
	case model.MissedPublishLate, model.MissedSkip, model.MissedAsk:
	default:
		return nil, nil, apperr.Invalid("missedPolicy", "Choose what happens when Herald misses the time: publish late, skip or ask.")
	}
	grace := in.GraceMinutes
	if grace == 0 {
		grace = 60
	}
	if grace < 0 || grace > 7*24*60 {
		return nil, nil, apperr.Invalid("graceMinutes", "The grace window is between 1 minute and 7 days.")
	}
	if len(in.Variants) == 0 {
		return nil, nil, apperr.Invalid("variants", "Choose at least one channel to post to.")
	}
	post := &model.Post{ID: in.ID, Title: strings.TrimSpace(in.Title), Status: model.PostDraft, TimeZone: zone, MissedPolicy: policy,
		GraceMinutes: grace, Handoff: in.Handoff, Origin: "app"}
	seen := map[int64]bool{}
	targets := make([]model.PostTarget, 0, len(in.Variants))
	for _, v := range in.Variants {
		if seen[v.ChannelID] {
			return nil, nil, apperr.Invalid("variants", "A channel is selected twice.")
		}
		seen[v.ChannelID] = true
		ch, err := s.channels.Get(ctx, v.ChannelID)
		if err != nil || ch.RemovedAt != nil {
			return nil, nil, apperr.Invalid("variants", "A selected channel no longer exists.")
		}
		thread, _ := json.Marshal(nonNil(v.Thread))
		opts, _ := json.Marshal(nonNilMap(v.Options))
		t := model.PostTarget{ChannelID: v.ChannelID, Body: v.Text, Thread: string(thread), FirstComment: v.FirstComment,
			Options: string(opts), IdempotencyKey: newKey(), ItemIDs: "[]"}
		for _, m := range v.Media {
			if _, err := s.media.ReadAll(m.Path); err != nil {
				return nil, nil, apperr.Invalid("media", "The attachment %s is missing from Herald's media folder; attach it again.", m.Name)
			}
			t.Media = append(t.Media, model.TargetMedia{Path: m.Path, OriginalName: m.Name, MIME: m.MIME, SizeBytes: m.Size,
				SHA256: strings.TrimSuffix(m.Path[strings.LastIndex(m.Path, "/")+1:], extOf(m.Path)), Width: m.Width, Height: m.Height, AltText: m.AltText})
		}
		targets = append(targets, t)
	}
	return post, targets, nil
}

func extOf(p string) string {
	if i := strings.LastIndex(p, "."); i > strings.LastIndex(p, "/") {
		return p[i:]
	}
	return ""
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ScheduleResult says when a post will go out.
type ScheduleResult struct {
	Post PostView `json:"post"`
	// Note explains a daylight-saving adjustment of the chosen time.
	Note string `json:"note"`
}

// Schedule sets a post to go out at a wall-clock time in a time zone
// (stored in UTC with the zone beside it). Every variant must validate.
func (s *Posts) Schedule(postID int64, local, zone string) (ScheduleResult, error) {
	r, err := schedule.Resolve(local, zone)
	if err != nil {
		return ScheduleResult{}, apperr.Invalid("when", "%v", err)
	}
	if r.At.Before(s.now().Add(-time.Minute)) {
		return ScheduleResult{}, apperr.Invalid("when", "That time has passed. Choose a time in the future, or publish now.")
	}
	pv, err := s.scheduleAt(postID, r.At, r.Zone, "post.scheduled", fmt.Sprintf("for %s (%s)", schedule.Local(r.At, r.Zone), r.Zone))
	return ScheduleResult{Post: pv, Note: r.Note}, err
}

// Reschedule moves a post to a new instant (the calendar's drag), keeping
// its time zone.
func (s *Posts) Reschedule(postID int64, atRFC3339 string) (PostView, error) {
	at, err := time.Parse(time.RFC3339, atRFC3339)
	if err != nil {
		return PostView{}, apperr.Invalid("when", "%q is not a time.", atRFC3339)
	}
	if at.Before(s.now().Add(-time.Minute)) {
		return PostView{}, apperr.Invalid("when", "That time has passed. Drop the post on a future time.")
	}
	p, err := s.posts.Get(context.Background(), postID)
	if err != nil {
		return PostView{}, s.notFound(err)
	}
	return s.scheduleAt(postID, at.UTC(), p.TimeZone, "post.rescheduled", fmt.Sprintf("to %s (%s)", schedule.Local(at, p.TimeZone), p.TimeZone))
}

// PublishNow publishes a post at once.
func (s *Posts) PublishNow(postID int64) (PostView, error) {
	p, err := s.posts.Get(context.Background(), postID)
	if err != nil {
		return PostView{}, s.notFound(err)
	}
	return s.scheduleAt(postID, s.now().UTC(), p.TimeZone, "post.publish_now", "now")
}

// readyToSchedule loads a post about to get a new time: every variant must
// validate, and variants handed to a network's scheduler are taken back.
func (s *Posts) readyToSchedule(ctx context.Context, postID int64) (model.Post, error) {
	p, err := s.posts.Get(ctx, postID)
	if err != nil {
		return p, s.notFound(err)
	}
	if err := s.checkPublishable(ctx, p); err != nil {
		return p, err
	}
	return p, s.takeBackHandoffs(ctx, p)
}

func (s *Posts) scheduleAt(postID int64, at time.Time, zone, event, when string) (PostView, error) {
	ctx := context.Background()
	p, err := s.readyToSchedule(ctx, postID)
	if err != nil {
		return PostView{}, err
	}
	due := map[int64]time.Time{}
	for _, t := range p.Targets {
		if t.Status != model.TargetPublished && t.Status != model.TargetClaimed {
			due[t.ID] = at
		}
	}
	if len(due) == 0 {
		return PostView{}, &apperr.Error{Code: apperr.CodeConflict, Message: "Every variant of this post is already published or publishing."}
	}
	err = store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		if err := tx.Model(&model.Post{}).Where("id = ?", postID).Update("time_zone", zone).Error; err != nil {
			return err
		}
		action := store.ActionSchedule
		if event == "post.publish_now" {
			action = store.ActionPublishNow
		}
		if err := s.posts.WithTx(tx).ScheduleTargets(ctx, postID, due, false, &at, action); err != nil {
			return s.explain(ctx, err)
		}
		return s.auditPost(ctx, tx, postID, event, fmt.Sprintf("Scheduled %s %s", titleOfPost(p), when), map[string]any{"at": at, "zone": zone})
	})
	if err != nil {
		return PostView{}, err
	}
	s.engine.Wake()
	s.changed(postID)
	return s.Get(postID)
}

// checkPublishable validates every variant before it may be scheduled.
func (s *Posts) checkPublishable(ctx context.Context, p model.Post) error {
	in := DraftInput{ID: p.ID}
	for _, t := range p.Targets {
		if t.Status == model.TargetPublished {
			continue
		}
		in.Variants = append(in.Variants, variantInput(t))
	}
	v, err := s.Validate(in)
	if err != nil {
		return err
	}
	if !v.OK {
		for _, vc := range v.Variants {
			for _, is := range vc.Result.Issues {
				if is.Severity == compose.SeverityError {
					return &apperr.Error{Code: apperr.CodeInvalid, Message: is.Message, Hint: "Fix the variant for " + vc.NetworkName + " in the composer, then schedule again."}
				}
			}
		}
		return apperr.Invalid("variants", "%s", strings.Join(v.Problems, " "))
	}
	return nil
}

func (s *Posts) takeBackHandoffs(ctx context.Context, p model.Post) error {
	for _, t := range p.Targets {
		if t.HandoffID == "" {
			continue
		}
		if err := s.engine.CancelHandoff(ctx, t); err != nil {
			return &apperr.Error{Code: apperr.CodeUnavailable, Message: fmt.Sprintf("This post was handed to the network's scheduler, and Herald could not take it back: %v", err),
				Hint: "Herald needs to reach the network to change a handed-off post. Try again when you are online.", Err: err}
		}
	}
	return nil
}

// AddToQueue puts each variant in its channel's next free queue slot.
func (s *Posts) AddToQueue(postID int64) (PostView, error) {
	ctx := context.Background()
	p, err := s.readyToSchedule(ctx, postID)
	if err != nil {
		return PostView{}, err
	}
	due := map[int64]time.Time{}
	var first *time.Time
	now := s.now()
	for _, t := range p.Targets {
		if t.Status == model.TargetPublished || t.Status == model.TargetClaimed {
			continue
		}
		var slots []model.QueueSlot
		if err := s.db.WithContext(ctx).Where("channel_id = ?", t.ChannelID).Find(&slots).Error; err != nil {
			return PostView{}, err
		}
		var taken []time.Time
		if err := s.db.WithContext(ctx).Model(&model.PostTarget{}).Where("channel_id = ? AND id != ? AND due_at > ? AND status IN ('scheduled','claimed')", t.ChannelID, t.ID, now.UTC()).
			Pluck("due_at", &taken).Error; err != nil {
			return PostView{}, err
		}
		at, ok := queue.NextFree(slots, taken, now)
		if !ok {
			ch, _ := s.channels.Get(ctx, t.ChannelID)
			return PostView{}, &apperr.Error{Code: apperr.CodeInvalid, Field: "queue",
				Message: fmt.Sprintf("%s has no queue times.", displayName(ch)), Hint: "Add posting times for it under Settings → Queue, or pick a time."}
		}
		due[t.ID] = at
		if first == nil || at.Before(*first) {
			a := at
			first = &a
		}
	}
	err = store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		if err := s.posts.WithTx(tx).ScheduleTargets(ctx, postID, due, true, first, store.ActionSchedule); err != nil {
			return s.explain(ctx, err)
		}
		return s.auditPost(ctx, tx, postID, "post.queued", fmt.Sprintf("Queued %s for the next free slots", titleOfPost(p)), nil)
	})
	if err != nil {
		return PostView{}, err
	}
	s.engine.Wake()
	s.changed(postID)
	return s.Get(postID)
}

// Unschedule turns a scheduled post back into a draft.
func (s *Posts) Unschedule(postID int64) (PostView, error) {
	ctx := context.Background()
	p, err := s.posts.Get(ctx, postID)
	if err != nil {
		return PostView{}, s.notFound(err)
	}
	if err := s.takeBackHandoffs(ctx, p); err != nil {
		return PostView{}, err
	}
	err = store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		if err := s.posts.WithTx(tx).Unschedule(ctx, postID); err != nil {
			return err
		}
		return s.auditPost(ctx, tx, postID, "post.unscheduled", fmt.Sprintf("Unscheduled %s (back to drafts)", titleOfPost(p)), nil)
	})
	if err != nil {
		return PostView{}, err
	}
	s.changed(postID)
	return s.Get(postID)
}

// Delete deletes a post from Herald. It never deletes anything on a
// network: published posts stay there.
func (s *Posts) Delete(postID int64) error {
	ctx := context.Background()
	p, err := s.posts.Get(ctx, postID)
	if err != nil {
		return s.notFound(err)
	}
	for _, t := range p.Targets {
		if t.Status == model.TargetClaimed {
			return &apperr.Error{Code: apperr.CodeConflict, Message: "This post is being published right now; delete it when that finishes."}
		}
	}
	if err := s.takeBackHandoffs(ctx, p); err != nil {
		return err
	}
	err = store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		if err := s.auditPost(ctx, tx, postID, "post.deleted", fmt.Sprintf("Deleted %s from Herald (nothing was deleted on the networks)", titleOfPost(p)), nil); err != nil {
			return err
		}
		return s.posts.WithTx(tx).Delete(ctx, postID)
	})
	if err != nil {
		return err
	}
	s.changed(postID)
	return nil
}

// RetryTarget schedules a failed, skipped or waiting variant to go out now.
func (s *Posts) RetryTarget(targetID int64) (PostView, error) {
	return s.targetAction(targetID, "retry")
}

// SkipTarget gives up on a variant that is waiting (a missed time the user
// was asked about, or a blocked one): it is listed as not published.
func (s *Posts) SkipTarget(targetID int64) (PostView, error) {
	return s.targetAction(targetID, "skip")
}

func (s *Posts) targetAction(targetID int64, action string) (PostView, error) {
	ctx := context.Background()
	var tg model.PostTarget
	if err := s.db.WithContext(ctx).First(&tg, targetID).Error; err != nil {
		return PostView{}, apperr.NotFound("That variant no longer exists.")
	}
	p, err := s.posts.Get(ctx, tg.PostID)
	if err != nil {
		return PostView{}, s.notFound(err)
	}
	now := s.now().UTC()
	err = store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		var res *gorm.DB
		var summary string
		ch, _ := s.channels.Get(ctx, tg.ChannelID)
		switch action {
		case "retry":
			res = tx.Model(&model.PostTarget{}).Where("id = ? AND status IN ('failed','skipped','blocked')", targetID).
				Updates(map[string]any{"status": model.TargetScheduled, "next_attempt_at": now, "due_at": now, "error_class": "", "error_message": "", "updated_at": now})
			summary = fmt.Sprintf("Asked to publish %s to %s again now", titleOfPost(p), displayName(ch))
		default:
			// A skipped target can be skipped again: that dismisses it from
			// "needs attention".
			res = tx.Model(&model.PostTarget{}).Where("id = ? AND status IN ('blocked','scheduled','skipped','failed') AND handoff_id = ''", targetID).
				Updates(map[string]any{"status": model.TargetSkipped, "next_attempt_at": nil, "error_class": "skipped_by_user",
					"error_message": "Skipped by you; not published.", "updated_at": now})
			summary = fmt.Sprintf("Skipped %s on %s", titleOfPost(p), displayName(ch))
		}
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &apperr.Error{Code: apperr.CodeConflict, Message: "That variant changed meanwhile; refresh and try again."}
		}
		if err := store.RefreshPostStatus(ctx, tx, tg.PostID, now); err != nil {
			return err
		}
		return s.auditPost(ctx, tx, tg.PostID, "post."+action, summary, map[string]any{"targetId": targetID})
	})
	if err != nil {
		return PostView{}, err
	}
	s.engine.Wake()
	s.changed(tg.PostID)
	return s.Get(tg.PostID)
}

func (s *Posts) auditPost(ctx context.Context, tx *gorm.DB, postID int64, event, summary string, details map[string]any) error {
	d := "{}"
	if details != nil {
		b, _ := json.Marshal(details)
		d = string(b)
	}
	var names []string
	var teams []string
	var chID *int64
	var rows []struct {
		ID          int64
		DisplayName string
		Handle      string
	}
	_ = tx.WithContext(ctx).Raw(`SELECT c.id, c.display_name, c.handle FROM channels c JOIN post_targets t ON t.channel_id = c.id WHERE t.post_id = ? ORDER BY t.position`, postID).Scan(&rows).Error
	for _, r := range rows {
		n := r.DisplayName
		if n == "" {
			n = r.Handle
		}
		names = append(names, n)
	}
	if len(rows) == 1 {
		id := rows[0].ID
		chID = &id
	}
	_ = tx.WithContext(ctx).Raw(`SELECT DISTINCT tm.name FROM teams tm JOIN channel_teams ct ON ct.team_id = tm.id JOIN post_targets t ON t.channel_id = ct.channel_id WHERE t.post_id = ? ORDER BY tm.name`, postID).Scan(&teams).Error
	pid := postID
	return s.audit.AppendTx(ctx, tx, &model.AuditEntry{Actor: model.ActorUser, Event: event, ChannelID: chID, ChannelName: strings.Join(names, ", "),
		Teams: strings.Join(teams, ","), PostID: &pid, Summary: summary, Details: d})
}

func (s *Posts) changed(postID int64) {
	s.emitter.Emit(events.PostsChanged, postID)
	s.emitter.Emit(events.AuditAppended, nil)
}

func (s *Posts) notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFound("That post no longer exists.")
	}
	return err
}

func titleOf(title string, targets []model.PostTarget) string {
	if title != "" {
		return "“" + title + "”"
	}
	if len(targets) > 0 {
		return snippet(targets[0].Body)
	}
	return "a post"
}

func titleOfPost(p model.Post) string { return titleOf(p.Title, p.Targets) }

func snippet(body string) string {
	r := []rune(strings.TrimSpace(body))
	if len(r) == 0 {
		return "a post"
	}
	if len(r) > 40 {
		return "“" + string(r[:40]) + "…”"
	}
	return "“" + string(r) + "”"
}
