// Package measure keeps each channel's metrics: its counts (followers,
// following, posts) every few hours, its own posts — Herald's as they are
// published, the last 90 days' on connect (the backfill), those written
// elsewhere as later listings find them — and each post's counts at a pace
// set by its age (store.NextPoll). Every request spends the channel's
// budget at the Measure priority, below publishing and the inbox; each
// stage fails on its own, so a failed read of the channel's counts loses
// no post's counts and the other way round.
package measure

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/ratebudget"
	"herald/backend/store"
)

// Reader is the network capability the sync reads with
// (network.MetricsReader).
type Reader interface {
	MetricsBatch() int
	ReadChannelMetrics(ctx context.Context, instance string, cred network.Credential) (network.MetricValues, error)
	ListOwnPosts(ctx context.Context, instance string, cred network.Credential, since time.Time, cursor string) (network.OwnPostsPage, error)
	ReadPostMetrics(ctx context.Context, instance string, cred network.Credential, remoteIDs []string) ([]network.PostMetrics, error)
}

// PublicReader reads the watched accounts (network.PublicReader).
type PublicReader interface {
	ReadPublicProfile(ctx context.Context, instance string, cred network.Credential, remoteID string) (network.Profile, error)
	ListAccountPosts(ctx context.Context, instance string, cred network.Credential, remoteID string, since time.Time, cursor string) (network.OwnPostsPage, error)
}

// Channels lists the channels to measure.
type Channels interface {
	List(ctx context.Context) ([]model.Channel, error)
	Get(ctx context.Context, id int64) (model.Channel, error)
}

// Credentials hands out valid credentials.
type Credentials interface {
	Fresh(ctx context.Context, ch model.Channel) (network.Credential, error)
}

// Health decides what an auth error means for a channel; only it
// disconnects one.
type Health interface {
	ReportErrorAt(ctx context.Context, channelID, gen int64, err error) bool
}

// RateLimits is the channel's shared "wait until" mark: a 429 to a metrics
// read makes publishing and the inbox wait too.
type RateLimits interface {
	Park(ctx context.Context, id int64, until time.Time) error
}

// Pace.
const (
	// ChannelEvery: the channel's counts (followers over time needs a few
	// points a day, not more).
	ChannelEvery = 3 * time.Hour
	// ListEvery: a listing of the channel's recent posts, to find those
	// written outside Herald.
	ListEvery = 3 * time.Hour
	// Per run and channel: backfill pages, listing pages, post batches.
	BackfillPagesPerRun = 5
	ListPagesPerRun     = 3
	BatchesPerRun       = 10
	// RetryAfter: a stage that failed is tried again after this (a rate
	// limit: at its reset).
	RetryAfter      = 15 * time.Minute
	rateLimitedWait = 15 * time.Minute
	// listOverlap: a listing starts this far before the newest post seen,
	// so a post the network indexed late is not missed.
	listOverlap = time.Hour
	// SyncNowAhead: "Sync now" also reads the posts due within this.
	SyncNowAhead = 24 * time.Hour
	// WatchEvery: a watched account's counts and a listing of its posts.
	WatchEvery = 6 * time.Hour
	// watchGoneWait: an account that no longer exists (or is suspended) is
	// checked again a day later.
	watchGoneWait = 24 * time.Hour
)

// Deps are the sync's collaborators.
type Deps struct {
	Store       *store.Metrics
	Channels    Channels
	Credentials Credentials
	Health      Health
	RateLimits  RateLimits
	Networks    *network.Registry
	Emitter     events.Emitter
	// Paused says whether the user paused Herald's work with the networks;
	// nil: never.
	Paused func() bool
	Now    func() time.Time
	Log    *slog.Logger
}

// Syncer measures the channels. Runs never overlap: the scheduler's tick
// and a "sync now" take turns.
type Syncer struct {
	d  Deps
	mu sync.Mutex
	// adoptedTo: Herald's posts published before this were taken into
	// content_items by an earlier run (in memory: after a restart the
	// first run looks back the whole PollFor once).
	adoptedTo time.Time
}

// New returns a Syncer.
func New(d Deps) *Syncer {
	if d.Emitter == nil {
		d.Emitter = events.Discard{}
	}
	return &Syncer{d: d}
}

// Tick measures every channel with something due: the scheduler's job.
func (s *Syncer) Tick(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.d.Paused != nil && s.d.Paused() {
		return
	}
	s.adopt(ctx)
	chs, err := s.d.Channels.List(ctx)
	if err != nil {
		s.d.Log.Error("measure: list channels", "err", err)
		return
	}
	for _, ch := range chs {
		if ctx.Err() != nil {
			return
		}
		s.run(ctx, ch, false)
	}
}

// adopt takes Herald's newly published posts into content_items, looking
// back an hour before the last run's start (a publication is recorded with
// the time it went out, which can be a little before it is committed).
func (s *Syncer) adopt(ctx context.Context) {
	now := s.d.Now()
	since := now.Add(-store.PollFor)
	if w := s.adoptedTo.Add(-time.Hour); w.After(since) {
		since = w
	}
	if _, err := s.d.Store.AdoptPublished(ctx, since); err != nil {
		s.d.Log.Error("measure: take Herald's published posts", "err", err)
		return
	}
	s.adoptedTo = now
}

// ErrNotMeasured: the channel's network gives no metrics Herald can read.
var ErrNotMeasured = errors.New("this network's metrics cannot be read yet")

// SyncNow measures one channel at once: its counts, the next part of its
// backfill, a listing of its recent posts and every post that is due.
func (s *Syncer) SyncNow(ctx context.Context, channelID int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.adopt(ctx)
	ch, err := s.d.Channels.Get(ctx, channelID)
	if err != nil {
		return err
	}
	if s.reader(ch) == nil {
		return ErrNotMeasured
	}
	s.run(ctx, ch, true)
	return nil
}

// Measurable says whether Herald can read the channel's metrics.
func (s *Syncer) Measurable(ch model.Channel) bool { return s.reader(ch) != nil }

func (s *Syncer) reader(ch model.Channel) Reader {
	n, ok := s.d.Networks.Get(ch.Network)
	if !ok {
		return nil
	}
	r, _ := n.(Reader)
	return r
}

// run measures one channel: each stage that is due (all of them when now
// is set), in order of what the dashboards miss most.
func (s *Syncer) run(ctx context.Context, ch model.Channel, now bool) {
	r := s.reader(ch)
	if r == nil || ch.RemovedAt != nil || ch.Status == model.ChannelDisconnected {
		return
	}
	at := s.d.Now()
	if ch.RateLimitedUntil != nil && ch.RateLimitedUntil.After(at) {
		return
	}
	ctx = ratebudget.WithChannel(ctx, ch.ID, ratebudget.Measure)
	st, err := s.d.Store.Sync(ctx, ch.ID)
	if err != nil {
		s.d.Log.Error("measure: read state", "channel_id", ch.ID, "err", err)
		return
	}
	due := func(t *time.Time) bool { return now || t == nil || !t.After(at) }
	work := due(st.ChannelNextAt) || st.BackfilledAt == nil || (st.BackfilledAt != nil && due(st.ListNextAt))
	watched, err := s.d.Store.Watched(ctx, ch.ID)
	if err != nil {
		s.d.Log.Error("measure: list the watchlist", "channel_id", ch.ID, "err", err)
	}
	for _, w := range watched {
		work = work || due(w.NextAt) || due(w.ListNextAt)
	}
	posts, err := s.d.Store.DuePosts(ctx, ch.ID, at, r.MetricsBatch()*BatchesPerRun)
	if err != nil {
		s.d.Log.Error("measure: list due posts", "channel_id", ch.ID, "err", err)
		return
	}
	if !work && len(posts) == 0 {
		return
	}
	cred, err := s.d.Credentials.Fresh(ctx, ch)
	if err != nil {
		s.fail(ctx, ch, cred, "", err)
		return
	}
	var problems []string
	stop := false
	step := func(stage string, err error) {
		if err == nil {
			return
		}
		problems = append(problems, s.fail(ctx, ch, cred, stage, err))
		// A rate limit or a dead sign-in ends the run; another failure
		// ends only its stage.
		switch network.ClassOf(err) {
		case network.ClassRateLimited, network.ClassAuthDead, network.ClassScopeMissing, network.ClassAPIRetired:
			stop = true
		}
	}
	if due(st.ChannelNextAt) {
		step("the channel's counts", s.channel(ctx, ch, r, cred))
	}
	if !stop && st.BackfilledAt == nil {
		step("the channel's earlier posts", s.backfill(ctx, ch, r, cred, st))
	} else if !stop && due(st.ListNextAt) {
		step("the channel's recent posts", s.list(ctx, ch, r, cred, st))
	}
	if !stop && len(watched) > 0 {
		step("the watched accounts", s.watch(ctx, ch, cred, watched, due))
	}
	if !stop {
		// The backfill or the listings may have added posts due now. Asked
		// to sync now, the user wants fresh numbers: posts due within the
		// next day are read too (those of the last week or so).
		until := s.d.Now()
		if now {
			until = until.Add(SyncNowAhead)
		}
		if posts, err = s.d.Store.DuePosts(ctx, ch.ID, until, r.MetricsBatch()*BatchesPerRun); err != nil {
			s.d.Log.Error("measure: list due posts", "channel_id", ch.ID, "err", err)
		} else {
			step("its posts' counts", s.posts(ctx, ch, r, cred, posts))
		}
	}
	msg := ""
	if len(problems) > 0 {
		msg = problems[0]
	}
	if err := s.d.Store.SetError(ctx, ch.ID, msg); err != nil {
		s.d.Log.Error("measure: record state", "channel_id", ch.ID, "err", err)
	}
	s.d.Emitter.Emit(events.MetricsChanged, ch.ID)
}

func (s *Syncer) channel(ctx context.Context, ch model.Channel, r Reader, cred network.Credential) error {
	v, err := r.ReadChannelMetrics(ctx, ch.Instance, cred)
	if err != nil {
		if derr := s.d.Store.DelayChannel(ctx, ch.ID, s.retryAt(err)); derr != nil {
			s.d.Log.Error("measure: delay channel reading", "channel_id", ch.ID, "err", derr)
		}
		return err
	}
	at := s.d.Now()
	return s.d.Store.RecordChannel(ctx, ch.ID, at, store.Values(v), at.Add(ChannelEvery))
}

// backfill reads the next pages of the channel's posts back to its
// backfill bound, keeping where it stopped.
func (s *Syncer) backfill(ctx context.Context, ch model.Channel, r Reader, cred network.Credential, st model.MetricSync) error {
	since := s.d.Now().Add(-store.BackfillFor)
	if st.BackfillSince != nil {
		since = *st.BackfillSince
	}
	cursor := st.BackfillCursor
	for range BackfillPagesPerRun {
		page, err := r.ListOwnPosts(ctx, ch.Instance, cred, since, cursor)
		if err != nil {
			return err
		}
		newest, err := s.store(ctx, ch, page.Posts)
		if err != nil {
			return err
		}
		cursor = page.Cursor
		if err := s.d.Store.SaveBackfill(ctx, ch.ID, cursor, !page.More, newest); err != nil {
			return err
		}
		if !page.More {
			return s.d.Store.SaveListing(ctx, ch.ID, time.Time{}, s.d.Now().Add(ListEvery))
		}
	}
	return nil
}

// list reads the channel's posts since the newest one seen (less an
// overlap), for those written outside Herald.
func (s *Syncer) list(ctx context.Context, ch model.Channel, r Reader, cred network.Credential, st model.MetricSync) error {
	since := s.d.Now().Add(-ListEvery - listOverlap)
	if st.ListedTo != nil && st.ListedTo.Add(-listOverlap).Before(since) {
		since = st.ListedTo.Add(-listOverlap)
	}
	if floor := s.d.Now().Add(-store.BackfillFor); since.Before(floor) {
		since = floor
	}
	var newest time.Time
	cursor := ""
	for range ListPagesPerRun {
		page, err := r.ListOwnPosts(ctx, ch.Instance, cred, since, cursor)
		if err != nil {
			if serr := s.d.Store.SaveListing(ctx, ch.ID, newest, s.retryAt(err)); serr != nil {
				s.d.Log.Error("measure: save listing", "channel_id", ch.ID, "err", serr)
			}
			return err
		}
		n, err := s.store(ctx, ch, page.Posts)
		if err != nil {
			return err
		}
		if n.After(newest) {
			newest = n
		}
		if !page.More {
			break
		}
		cursor = page.Cursor
	}
	return s.d.Store.SaveListing(ctx, ch.ID, newest, s.d.Now().Add(ListEvery))
}

// watch reads the watched accounts read through ch that are due: their
// counts, then their posts since the last listing (WatchBackfill back the
// first time). A watched account that fails is marked with the reason and
// tried again later; only a failure of the channel itself (a rate limit, a
// dead sign-in) is returned.
func (s *Syncer) watch(ctx context.Context, ch model.Channel, cred network.Credential, watched []model.WatchedAccount, due func(*time.Time) bool) error {
	n, _ := s.d.Networks.Get(ch.Network)
	pr, ok := n.(PublicReader)
	if !ok {
		return nil
	}
	channelWide := func(err error) bool {
		switch network.ClassOf(err) {
		case network.ClassRateLimited, network.ClassAuthDead, network.ClassScopeMissing, network.ClassAPIRetired:
			return true
		}
		return false
	}
	for _, w := range watched {
		if due(w.NextAt) {
			p, err := pr.ReadPublicProfile(ctx, ch.Instance, cred, w.RemoteID)
			if err != nil {
				if channelWide(err) {
					return err
				}
				wait := RetryAfter
				if network.ClassOf(err) == network.ClassInvalidInput {
					wait = watchGoneWait // gone, suspended or never there: not a blip
				}
				if derr := s.d.Store.DelayWatched(ctx, w.ID, network.SafeMessage(err), s.d.Now().Add(wait)); derr != nil {
					return derr
				}
				continue
			}
			v := store.Values{}
			for k, x := range map[string]*int64{network.MetricFollowers: p.Followers, network.MetricFollowing: p.Following, network.MetricPosts: p.Posts} {
				if x != nil {
					v[k] = *x
				}
			}
			if p.Handle != "" {
				w.Handle = p.Handle
			}
			w.DisplayName, w.AvatarURL, w.ProfileURL = p.DisplayName, p.AvatarURL, p.ProfileURL
			at := s.d.Now()
			if err := s.d.Store.RecordWatched(ctx, w, at, v, at.Add(WatchEvery)); err != nil {
				return err
			}
		}
		if due(w.ListNextAt) {
			since := s.d.Now().Add(-store.WatchBackfill)
			if w.ListedTo != nil && w.ListedTo.Add(-listOverlap).After(since) {
				since = w.ListedTo.Add(-listOverlap)
			}
			var newest time.Time
			cursor := ""
			for range ListPagesPerRun {
				page, err := pr.ListAccountPosts(ctx, ch.Instance, cred, w.RemoteID, since, cursor)
				if err != nil {
					if channelWide(err) {
						return err
					}
					if derr := s.d.Store.DelayWatched(ctx, w.ID, network.SafeMessage(err), s.d.Now().Add(RetryAfter)); derr != nil {
						return derr
					}
					break
				}
				found, n := foundOf(page.Posts)
				if n.After(newest) {
					newest = n
				}
				if _, err := s.d.Store.AddWatchedContent(ctx, w, found, s.d.Now()); err != nil {
					return err
				}
				if !page.More {
					break
				}
				cursor = page.Cursor
			}
			if err := s.d.Store.SaveWatchedListing(ctx, w.ID, newest, s.d.Now().Add(WatchEvery)); err != nil {
				return err
			}
		}
	}
	return nil
}

// store keeps a page of the channel's posts and returns the newest one's
// time.
func (s *Syncer) store(ctx context.Context, ch model.Channel, posts []network.OwnPost) (time.Time, error) {
	found, newest := foundOf(posts)
	_, err := s.d.Store.AddContent(ctx, ch.ID, found, s.d.Now())
	return newest, err
}

// foundOf is a listing's posts as the store takes them, and the newest
// one's time.
func foundOf(posts []network.OwnPost) ([]store.Found, time.Time) {
	var newest time.Time
	found := make([]store.Found, 0, len(posts))
	for _, p := range posts {
		if p.RemoteID == "" {
			continue
		}
		f := store.Found{RemoteID: p.RemoteID, URL: p.URL, Text: p.Text, Reply: p.Reply, PublishedAt: p.CreatedAt}
		if p.Metrics != nil {
			f.Values = store.Values(p.Metrics)
		}
		found = append(found, f)
		if p.CreatedAt.After(newest) {
			newest = p.CreatedAt
		}
	}
	return found, newest
}

// posts reads the counts of the posts that are due, a batch per request;
// a batch that fails is tried again later and the others are kept.
func (s *Syncer) posts(ctx context.Context, ch model.Channel, r Reader, cred network.Credential, posts []model.ContentItem) error {
	size := max(r.MetricsBatch(), 1)
	var firstErr error
	for i := 0; i < len(posts); i += size {
		batch := posts[i:min(i+size, len(posts))]
		ids := make([]string, len(batch))
		byRemote := make(map[string]int64, len(batch))
		local := make([]int64, len(batch))
		for j, p := range batch {
			ids[j], byRemote[p.RemoteID], local[j] = p.RemoteID, p.ID, p.ID
		}
		got, err := r.ReadPostMetrics(ctx, ch.Instance, cred, ids)
		if err != nil {
			if derr := s.d.Store.DelayPosts(ctx, local, s.retryAt(err)); derr != nil {
				s.d.Log.Error("measure: delay post readings", "channel_id", ch.ID, "err", derr)
			}
			if firstErr == nil {
				firstErr = err
			}
			switch network.ClassOf(err) {
			case network.ClassRateLimited, network.ClassAuthDead, network.ClassScopeMissing, network.ClassAPIRetired:
				return firstErr
			}
			continue
		}
		readings := make([]store.Reading, 0, len(got))
		for _, g := range got {
			id, ok := byRemote[g.RemoteID]
			if !ok {
				continue // not asked for
			}
			delete(byRemote, g.RemoteID)
			readings = append(readings, store.Reading{ContentID: id, Values: store.Values(g.Metrics), Deleted: g.Deleted})
		}
		if err := s.d.Store.RecordPosts(ctx, readings, s.d.Now()); err != nil {
			return err
		}
		if len(byRemote) > 0 {
			// The network left some out of its answer without saying they
			// are gone: read them again later.
			var left []int64
			for _, id := range byRemote {
				left = append(left, id)
			}
			if err := s.d.Store.DelayPosts(ctx, left, s.d.Now().Add(RetryAfter)); err != nil {
				return err
			}
		}
	}
	return firstErr
}

// retryAt is when a failed stage is tried again.
func (s *Syncer) retryAt(err error) time.Time {
	if until, ok := network.RetryAfter(err); ok && until.After(s.d.Now()) {
		return until
	}
	return s.d.Now().Add(RetryAfter)
}

// fail handles a failed stage and returns its message in the user's
// words.
func (s *Syncer) fail(ctx context.Context, ch model.Channel, cred network.Credential, stage string, err error) string {
	class := network.ClassOf(err)
	msg := network.SafeMessage(err)
	s.d.Log.Warn("measure failed", "channel_id", ch.ID, "network", ch.Network, "stage", stage, "class", class, "err", err)
	switch class {
	case network.ClassRateLimited:
		until, ok := network.RetryAfter(err)
		if !ok || !until.After(s.d.Now()) {
			until = s.d.Now().Add(rateLimitedWait)
		}
		if errors.Is(err, network.ErrNotSent) {
			// Herald's own budget kept the request for publishing and the
			// inbox; the network said nothing, so nothing is parked.
			return fmt.Sprintf("Herald is keeping this channel's remaining requests for publishing and the inbox; metrics are read again after %s.", until.UTC().Format(time.RFC3339))
		}
		if perr := s.d.RateLimits.Park(ctx, ch.ID, until); perr != nil {
			s.d.Log.Error("measure: park channel", "channel_id", ch.ID, "err", perr)
		}
		return fmt.Sprintf("Rate limited: the network asked Herald to wait until %s.", until.UTC().Format(time.RFC3339))
	case network.ClassAuthDead, network.ClassScopeMissing, network.ClassAPIRetired:
		s.d.Health.ReportErrorAt(ctx, ch.ID, cred.Generation, err)
	}
	if stage == "" {
		return msg
	}
	return fmt.Sprintf("Could not read %s: %s", stage, msg)
}

// EngagementKeys are the post metrics that count as engagement on any of
// the networks Herald measures (what store.NewMetrics adds up per post).
func EngagementKeys(reg *network.Registry) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range reg.All() {
		r, ok := n.(network.MetricsReader)
		if !ok {
			continue
		}
		for _, m := range r.MetricCatalogue().Metrics {
			if m.Scope == network.ScopePost && m.Engagement && !seen[m.Key] {
				seen[m.Key] = true
				out = append(out, m.Key)
			}
		}
	}
	return out
}
