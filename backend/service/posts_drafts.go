package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/compose"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
)

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
	if !isNew {
		// An edit may not race an attempt or an unknown outcome, and a copy
		// held by a network's scheduler is taken back before the text
		// changes (or the edit is refused, saying so).
		old, err := s.posts.Get(ctx, post.ID)
		if err != nil {
			return PostView{}, s.notFound(err)
		}
		if old.Kind == model.PostKindReply {
			return PostView{}, &apperr.Error{Code: apperr.CodeConflict, Message: "This is a reply written in the Inbox; it cannot be edited in the composer.",
				Hint: "Open its conversation in the Inbox to retry it, or delete it and write a new reply."}
		}
		if err := s.precheck(ctx, old, store.ActionEdit, nil); err != nil {
			return PostView{}, err
		}
		if err := s.takeBackHandoffs(ctx, old); err != nil {
			return PostView{}, err
		}
	}
	err = store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		if err := s.posts.WithTx(tx).Save(ctx, post, targets); err != nil {
			return s.explain(ctx, err)
		}
		event, summary := "post.updated", fmt.Sprintf("Edited %s", titleOf(post.Title, targets))
		if isNew {
			event, summary = "post.created", fmt.Sprintf("Drafted %s for %s", titleOf(post.Title, targets), countOf(len(targets), "channel", "channels"))
		}
		return s.auditPost(ctx, tx, post.ID, event, summary, nil)
	})
	if err != nil {
		return PostView{}, err
	}
	s.changed(post.ID)
	return s.Get(post.ID)
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

// countOf is "1 channel", "2 channels", "0 channels".
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
