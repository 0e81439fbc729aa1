package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/events"
	"herald/backend/measure"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
)

// MetricsSyncer is the metrics sync as the service uses it.
type MetricsSyncer interface {
	SyncNow(ctx context.Context, channelID int64) error
	Measurable(ch model.Channel) bool
}

// Measure serves the dashboards: the metric catalogue, each channel's
// sync state, the channel overview, content performance, a post's curve
// and the best times to post. Every figure is read from what Herald
// stored; nothing here calls a network except SyncNow (and Watch, which
// starts one for the channel it reads through).
type Measure struct {
	db       *gorm.DB
	metrics  *store.Metrics
	channels *store.Channels
	audit    *store.Audit
	sync     MetricsSyncer
	networks *network.Registry
	emitter  events.Emitter
	chooser  FileChooser
	now      func() time.Time
}

// MeasureDeps are the service's collaborators.
type MeasureDeps struct {
	DB       *gorm.DB
	Metrics  *store.Metrics
	Channels *store.Channels
	Audit    *store.Audit
	Sync     MetricsSyncer
	Networks *network.Registry
	Emitter  events.Emitter
	// Chooser is the window's save dialog; nil: exports go to Downloads.
	Chooser FileChooser
	Now     func() time.Time
}

// NewMeasure builds the service.
func NewMeasure(d MeasureDeps) *Measure {
	if d.Emitter == nil {
		d.Emitter = events.Discard{}
	}
	return &Measure{db: d.DB, metrics: d.Metrics, channels: d.Channels, audit: d.Audit, sync: d.Sync, networks: d.Networks, emitter: d.Emitter, chooser: d.Chooser, now: d.Now}
}

// MetricInfo is one metric as the dashboards show it: the shared key, the
// label (each network's word when they differ: "Favourites / Likes"), and
// which networks give it.
type MetricInfo struct {
	Key        string   `json:"key"`
	Label      string   `json:"label"`
	Unit       string   `json:"unit"`
	Scope      string   `json:"scope"` // "channel" (activity in a range) or "post" (lifetime of a post)
	Lifetime   bool     `json:"lifetime"`
	Engagement bool     `json:"engagement"`
	Networks   []string `json:"networks"` // the ids of the networks that give it ("mastodon")
}

// Catalogue lists every metric of every network Herald can measure.
func (s *Measure) Catalogue() []MetricInfo {
	byKey := map[string]*MetricInfo{}
	var order []string
	for _, n := range s.networks.All() {
		r, ok := n.(network.MetricsReader)
		if !ok {
			continue
		}
		id := n.Descriptor().ID
		for _, m := range r.MetricCatalogue().Metrics {
			key := string(m.Scope) + "/" + m.Key
			mi, ok := byKey[key]
			if !ok {
				mi = &MetricInfo{Key: m.Key, Label: m.Label, Unit: m.Unit, Scope: string(m.Scope), Lifetime: m.Lifetime, Engagement: m.Engagement}
				byKey[key] = mi
				order = append(order, key)
			} else if !containsLabel(mi.Label, m.Label) {
				mi.Label += " / " + m.Label
			}
			mi.Networks = append(mi.Networks, id)
		}
	}
	out := make([]MetricInfo, 0, len(order))
	for _, id := range order {
		out = append(out, *byKey[id])
	}
	return out
}

func containsLabel(labels, l string) bool { return slices.Contains(strings.Split(labels, " / "), l) }

// engagementKeys are the post metrics that count as engagement (the
// store adds them up per post as it stores readings).
func (s *Measure) engagementKeys() []string { return s.metrics.Engaging() }

// MeasureChannel is where one channel's metrics stand.
type MeasureChannel struct {
	ChannelID   int64    `json:"channelId"`
	Name        string   `json:"name"`
	Network     string   `json:"network"`
	Measurable  bool     `json:"measurable"`
	Reason      string   `json:"reason,omitempty"` // why not, in the user's words
	Disconnect  bool     `json:"disconnected"`
	ChannelRead string   `json:"channelReadAt,omitempty"` // RFC 3339
	PostsRead   string   `json:"postsReadAt,omitempty"`
	Backfilled  bool     `json:"backfilled"`
	Posts       int64    `json:"posts"` // posts Herald measures
	LastError   string   `json:"lastError,omitempty"`
	Holes       []string `json:"holes"` // what the network does not give
}

// Status lists every channel's metrics state.
func (s *Measure) Status() ([]MeasureChannel, error) {
	ctx := context.Background()
	chs, err := s.channels.List(ctx)
	if err != nil {
		return nil, err
	}
	states, err := s.metrics.SyncStates(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int64]model.MetricSync{}
	for _, st := range states {
		byID[st.ChannelID] = st
	}
	counts, err := s.metrics.PostCounts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]MeasureChannel, 0, len(chs))
	for _, ch := range chs {
		mc := MeasureChannel{ChannelID: ch.ID, Name: channelName(ch), Network: ch.Network, Measurable: s.sync.Measurable(ch),
			Disconnect: ch.Status == model.ChannelDisconnected, Posts: counts[ch.ID], Holes: []string{}}
		if n, ok := s.networks.Get(ch.Network); ok {
			if r, ok := n.(network.MetricsReader); ok {
				for _, h := range r.MetricCatalogue().Holes {
					mc.Holes = append(mc.Holes, h.Text)
				}
			}
		}
		if !mc.Measurable {
			mc.Reason = "Herald cannot read this network's metrics yet."
		}
		if st, ok := byID[ch.ID]; ok {
			mc.ChannelRead, mc.PostsRead = rfc3339(st.ChannelReadAt), rfc3339(st.PostsReadAt)
			mc.Backfilled, mc.LastError = st.BackfilledAt != nil, st.LastError
		}
		out = append(out, mc)
	}
	return out, nil
}

func rfc3339(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// SyncNow reads a channel's metrics at once.
func (s *Measure) SyncNow(channelID int64) ([]MeasureChannel, error) {
	ctx := context.Background()
	err := s.sync.SyncNow(ctx, channelID)
	switch {
	case errors.Is(err, measure.ErrNotMeasured):
		return nil, &apperr.Error{Code: apperr.CodeUnavailable, Message: "Herald cannot read this network's metrics yet."}
	case err != nil:
		return nil, notFound(err, "This channel no longer exists.")
	}
	return s.Status()
}

// MeasureRange is what a dashboard shows: channels (or a team's; none:
// every channel) and the user's days From..To, inclusive, in TimeZone.
type MeasureRange struct {
	ChannelIDs []int64 `json:"channelIds"`
	TeamID     int64   `json:"teamId"`
	From       string  `json:"from"` // YYYY-MM-DD
	To         string  `json:"to"`
	TimeZone   string  `json:"timeZone"` // IANA; "": the computer's
}

// span is a validated range: the UTC instants of the first day's start
// and the day after the last one, the days, and the channels.
type span struct {
	loc      *time.Location
	from, to time.Time
	days     []string
	channels []int64
}

// maxDays bounds a range (three years of days).
const maxDays = 3 * 366

func (s *Measure) span(ctx context.Context, r MeasureRange) (span, error) {
	loc := time.Local
	if r.TimeZone != "" {
		l, err := time.LoadLocation(r.TimeZone)
		if err != nil {
			return span{}, apperr.Invalid("timeZone", "%q is not a time zone Herald knows.", r.TimeZone)
		}
		loc = l
	}
	from, err := time.ParseInLocation("2006-01-02", r.From, loc)
	if err != nil {
		return span{}, apperr.Invalid("from", "The start date %q is not a date (YYYY-MM-DD).", r.From)
	}
	to, err := time.ParseInLocation("2006-01-02", r.To, loc)
	if err != nil {
		return span{}, apperr.Invalid("to", "The end date %q is not a date (YYYY-MM-DD).", r.To)
	}
	if to.Before(from) {
		return span{}, apperr.Invalid("to", "The end date %s is before the start date %s.", r.To, r.From)
	}
	sp := span{loc: loc, from: from}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if len(sp.days) == maxDays {
			return span{}, apperr.Invalid("to", "A range can cover at most %d days.", maxDays)
		}
		sp.days = append(sp.days, d.Format("2006-01-02"))
	}
	sp.to = to.AddDate(0, 0, 1)
	sp.channels, err = s.pick(ctx, r.ChannelIDs, r.TeamID)
	return sp, err
}

// previous is the range of the same length just before.
func (sp span) previous() span {
	n := len(sp.days)
	p := span{loc: sp.loc, from: sp.from.AddDate(0, 0, -n), to: sp.from, channels: sp.channels}
	for d := p.from; d.Before(p.to); d = d.AddDate(0, 0, 1) {
		p.days = append(p.days, d.Format("2006-01-02"))
	}
	return p
}

// pick resolves the channels of a range: the ones named, a team's, or all
// (removed channels included when named: their history stays).
func (s *Measure) pick(ctx context.Context, ids []int64, teamID int64) ([]int64, error) {
	if len(ids) > 0 {
		return ids, nil
	}
	chs, err := s.channels.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, ch := range chs {
		if teamID == 0 {
			out = append(out, ch.ID)
			continue
		}
		for _, tm := range ch.Teams {
			if tm.ID == teamID {
				out = append(out, ch.ID)
			}
		}
	}
	return out, nil
}

// Point is one day's value; nil: no data that day.
type Point struct {
	Date  string   `json:"date"`
	Value *float64 `json:"value"`
}

// Series is a metric over the range's days.
type Series struct {
	Key    string  `json:"key"`
	Label  string  `json:"label"`
	Points []Point `json:"points"`
}

// KPI is one figure of the range beside the same figure for the period
// before it.
type KPI struct {
	Key      string   `json:"key"`
	Label    string   `json:"label"`
	Unit     string   `json:"unit"` // "accounts", "posts", "interactions", "percent"
	Value    *float64 `json:"value"`
	Previous *float64 `json:"previous"`
	Help     string   `json:"help"`
}

// Overview is the Channel overview dashboard.
type Overview struct {
	From       string   `json:"from"`
	To         string   `json:"to"`
	PrevFrom   string   `json:"prevFrom"`
	PrevTo     string   `json:"prevTo"`
	KPIs       []KPI    `json:"kpis"`
	Followers  Series   `json:"followers"`
	Posts      Series   `json:"posts"`
	Engagement Series   `json:"engagement"`
	LastSync   string   `json:"lastSync,omitempty"` // the oldest last reading among the channels (RFC 3339)
	Holes      []string `json:"holes"`
}

// Overview computes the Channel overview for a range.
func (s *Measure) Overview(r MeasureRange) (Overview, error) {
	ctx := context.Background()
	sp, err := s.span(ctx, r)
	if err != nil {
		return Overview{}, err
	}
	prev := sp.previous()
	eng := s.engagementKeys()
	o := Overview{From: sp.days[0], To: sp.days[len(sp.days)-1], PrevFrom: prev.days[0], PrevTo: prev.days[len(prev.days)-1], Holes: []string{}}

	followers, err := s.dailyLevel(ctx, sp, network.MetricFollowers)
	if err != nil {
		return Overview{}, err
	}
	// The KPIs of both periods are read with a few seeks per channel, not
	// from series: the period before needs only its ends.
	level := func(at time.Time) (*float64, error) {
		v, n, err := s.metrics.LevelAt(ctx, sp.channels, network.MetricFollowers, at)
		if err != nil || n == 0 {
			return nil, err
		}
		return num(float64(v)), nil
	}
	growth := func(p span) (*float64, error) {
		v, n, err := s.metrics.Growth(ctx, sp.channels, network.MetricFollowers, p.from, p.to)
		if err != nil || n == 0 {
			return nil, err
		}
		return num(float64(v)), nil
	}
	var fEnd, fPrevEnd, grown, prevGrown *float64
	for _, step := range []func() error{
		func() (err error) { fEnd, err = level(sp.to); return err },
		func() (err error) { fPrevEnd, err = level(prev.to); return err },
		func() (err error) { grown, err = growth(sp); return err },
		func() (err error) { prevGrown, err = growth(prev); return err },
	} {
		if err := step(); err != nil {
			return Overview{}, err
		}
	}
	posts, err := s.dailySum(ctx, sp, func(c context.Context, from, to time.Time) ([]store.Bucket, error) {
		return s.metrics.Published(c, sp.channels, from, to, false)
	})
	if err != nil {
		return Overview{}, err
	}
	prevPosts, err := s.dailySum(ctx, prev, func(c context.Context, from, to time.Time) ([]store.Bucket, error) {
		return s.metrics.Published(c, sp.channels, from, to, false)
	})
	if err != nil {
		return Overview{}, err
	}
	activity := func(c context.Context, from, to time.Time) ([]store.Bucket, error) {
		return s.metrics.Activity(c, sp.channels, eng, from, to)
	}
	engagement, err := s.dailySum(ctx, sp, activity)
	if err != nil {
		return Overview{}, err
	}
	prevEngagement, err := s.dailySum(ctx, prev, activity)
	if err != nil {
		return Overview{}, err
	}
	o.Followers = Series{Key: "followers", Label: "Followers", Points: followers}
	o.Posts = Series{Key: "posts", Label: "Posts published", Points: posts}
	o.Engagement = Series{Key: "engagement", Label: "Engagement", Points: engagement}

	nPosts, nPrevPosts := total(posts), total(prevPosts)
	nEng, nPrevEng := total(engagement), total(prevEngagement)
	o.KPIs = []KPI{
		{Key: "followers", Label: "Followers", Unit: "accounts", Value: fEnd, Previous: fPrevEnd, Help: "Followers at the end of the range, all selected channels together."},
		{Key: "growth", Label: "Follower growth", Unit: "accounts", Value: grown, Previous: prevGrown,
			Help: "Followers at the end of the range less those at its start (a channel first read during the range counts from its first reading)."},
		{Key: "posts", Label: "Posts published", Unit: "posts", Value: nPosts, Previous: nPrevPosts, Help: "Posts (not replies) published in the range, in Herald or elsewhere."},
		{Key: "engagement", Label: "Engagement", Unit: "interactions", Value: nEng, Previous: nPrevEng, Help: "Likes, shares, replies and quotes received in the range, on any post."},
		{Key: "engagement_rate", Label: "Engagement rate", Unit: "percent", Value: rate(nEng, nPosts, fEnd), Previous: rate(nPrevEng, nPrevPosts, fPrevEnd),
			Help: "Engagement per post published in the range, as a share of followers."},
	}
	states, err := s.metrics.SyncStates(ctx)
	if err != nil {
		return Overview{}, err
	}
	selected := map[int64]bool{}
	for _, id := range sp.channels {
		selected[id] = true
	}
	var oldest *time.Time
	for _, st := range states {
		if selected[st.ChannelID] && st.ChannelReadAt != nil && (oldest == nil || st.ChannelReadAt.Before(*oldest)) {
			t := *st.ChannelReadAt
			oldest = &t
		}
	}
	o.LastSync = rfc3339(oldest)
	o.Holes = s.holes(ctx, sp.channels)
	return o, nil
}

// holes lists what the selected channels' networks do not give, once each
// (one read of the channels, not one per channel).
func (s *Measure) holes(ctx context.Context, ids []int64) []string {
	out := []string{}
	seen := map[string]bool{}
	names := s.channelNames(ctx)
	for _, id := range ids {
		n, ok := s.networks.Get(names[id].network)
		if !ok {
			continue
		}
		r, ok := n.(network.MetricsReader)
		if !ok {
			continue
		}
		for _, h := range r.MetricCatalogue().Holes {
			if !seen[h.Text] {
				seen[h.Text] = true
				out = append(out, h.Text)
			}
		}
	}
	return out
}

// dailyLevel is a channel metric's level at the end of each day, summed
// over the channels (a channel counts from its first reading on); nil for
// days before any channel was read.
func (s *Measure) dailyLevel(ctx context.Context, sp span, metric string) ([]Point, error) {
	pts, err := s.metrics.ChannelValues(ctx, sp.channels, metric, sp.from, sp.to)
	if err != nil {
		return nil, err
	}
	out := make([]Point, len(sp.days))
	level := map[int64]int64{}
	i := 0
	for d := range sp.days {
		end := sp.from.AddDate(0, 0, d+1)
		for i < len(pts) && pts[i].At.Before(end) {
			level[pts[i].ChannelID] = pts[i].Value
			i++
		}
		out[d].Date = sp.days[d]
		if len(level) > 0 {
			var sum int64
			for _, v := range level {
				sum += v
			}
			out[d].Value = num(float64(sum))
		}
	}
	return out, nil
}

// dailySum adds quarter-hour buckets into the user's days; a day with
// nothing is 0 (these are counts of what happened, not levels).
func (s *Measure) dailySum(ctx context.Context, sp span, read func(context.Context, time.Time, time.Time) ([]store.Bucket, error)) ([]Point, error) {
	buckets, err := read(ctx, sp.from, sp.to)
	if err != nil {
		return nil, err
	}
	index := make(map[string]int, len(sp.days))
	out := make([]Point, len(sp.days))
	for i, d := range sp.days {
		index[d] = i
		out[i] = Point{Date: d, Value: num(0)}
	}
	for _, b := range buckets {
		day := time.Unix(b.Start*store.BucketSeconds, 0).In(sp.loc).Format("2006-01-02")
		if i, ok := index[day]; ok {
			*out[i].Value += float64(b.Value)
		}
	}
	return out, nil
}

func num(v float64) *float64 { return &v }

func total(ps []Point) *float64 {
	var sum float64
	for _, p := range ps {
		if p.Value != nil {
			sum += *p.Value
		}
	}
	return &sum
}

// rate is engagement per post as a percentage of followers.
func rate(eng, posts, followers *float64) *float64 {
	if eng == nil || posts == nil || followers == nil || *posts == 0 || *followers == 0 {
		return nil
	}
	return num(*eng / *posts / *followers * 100)
}

// ContentQuery selects the rows of Content performance.
type ContentQuery struct {
	MeasureRange
	Search  string `json:"search"`
	Replies bool   `json:"replies"`
	Sort    string `json:"sort"` // "published", "engagement" or a metric key
	Desc    bool   `json:"desc"`
	Offset  int    `json:"offset"`
	Limit   int    `json:"limit"` // at most 500
}

// ContentItemView is one post with its latest counts.
type ContentItemView struct {
	ID          int64            `json:"id"`
	ChannelID   int64            `json:"channelId"`
	ChannelName string           `json:"channelName"`
	Network     string           `json:"network"`
	URL         string           `json:"url"`
	Excerpt     string           `json:"excerpt"`
	PublishedAt string           `json:"publishedAt"`
	Reply       bool             `json:"reply"`
	Deleted     bool             `json:"deleted"`
	PostID      int64            `json:"postId,omitempty"` // the Herald post, when Herald published it
	Metrics     map[string]int64 `json:"metrics"`
	Engagement  *int64           `json:"engagement"`
	ReadAt      string           `json:"readAt,omitempty"`
}

// ContentPage is one page of Content performance.
type ContentPage struct {
	Rows    []ContentItemView `json:"rows"`
	Total   int64             `json:"total"`
	Columns []MetricInfo      `json:"columns"` // the post metrics, in catalogue order
}

// Content lists the posts of a range with their counts.
func (s *Measure) Content(q ContentQuery) (ContentPage, error) {
	ctx := context.Background()
	sp, err := s.span(ctx, q.MeasureRange)
	if err != nil {
		return ContentPage{}, err
	}
	cols := []MetricInfo{}
	known := map[string]bool{"": true, "published": true, "engagement": true}
	for _, m := range s.Catalogue() {
		if m.Scope == string(network.ScopePost) {
			cols = append(cols, m)
			known[m.Key] = true
		}
	}
	if !known[q.Sort] {
		return ContentPage{}, apperr.Invalid("sort", "Herald cannot sort posts by %q.", q.Sort)
	}
	if q.Limit > 500 {
		return ContentPage{}, apperr.Invalid("limit", "At most 500 posts a page.")
	}
	rows, n, err := s.metrics.Content(ctx, store.ContentFilter{ChannelIDs: sp.channels, From: sp.from, To: sp.to, Search: q.Search, Replies: q.Replies,
		Sort: q.Sort, Desc: q.Desc, Offset: q.Offset, Limit: q.Limit})
	if err != nil {
		return ContentPage{}, err
	}
	names := s.channelNames(ctx)
	page := ContentPage{Rows: make([]ContentItemView, 0, len(rows)), Total: n, Columns: cols}
	for _, r := range rows {
		v := ContentItemView{ID: r.ID, ChannelID: r.ChannelID, ChannelName: names[r.ChannelID].name, Network: names[r.ChannelID].network,
			URL: r.URL, Excerpt: r.Excerpt, PublishedAt: r.PublishedAt.UTC().Format(time.RFC3339), Reply: r.IsReply, Deleted: r.DeletedAt != nil,
			Metrics: r.Latest, Engagement: r.Engagement, ReadAt: rfc3339(r.PolledAt)}
		if r.PostID != nil {
			v.PostID = *r.PostID
		}
		page.Rows = append(page.Rows, v)
	}
	return page, nil
}

type chName struct{ name, network string }

func (s *Measure) channelNames(ctx context.Context) map[int64]chName {
	out := map[int64]chName{}
	var chs []model.Channel
	if err := s.db.WithContext(ctx).Find(&chs).Error; err != nil {
		return out
	}
	for _, ch := range chs {
		out[ch.ID] = chName{channelName(ch), ch.Network}
	}
	return out
}

// CurvePoint is a post's value of a metric from At on.
type CurvePoint struct {
	At    string `json:"at"` // RFC 3339
	Value int64  `json:"value"`
}

// PostCurve is a post's growth: each metric's changes, oldest first.
type PostCurve struct {
	Item   ContentItemView         `json:"item"`
	Series map[string][]CurvePoint `json:"series"`
}

// Curve reads one post's growth curve.
func (s *Measure) Curve(contentID int64) (PostCurve, error) {
	ctx := context.Background()
	it, rows, err := s.metrics.Curve(ctx, contentID)
	if err != nil {
		return PostCurve{}, notFound(err, "This post is no longer measured.")
	}
	names := s.channelNames(ctx)
	out := PostCurve{Item: ContentItemView{ID: it.ID, ChannelID: it.ChannelID, ChannelName: names[it.ChannelID].name, Network: names[it.ChannelID].network,
		URL: it.URL, Excerpt: it.Excerpt, PublishedAt: it.PublishedAt.UTC().Format(time.RFC3339), Reply: it.IsReply, Deleted: it.DeletedAt != nil,
		Metrics: map[string]int64{}, ReadAt: rfc3339(it.PolledAt)}, Series: map[string][]CurvePoint{}}
	for _, r := range rows {
		out.Series[r.Metric] = append(out.Series[r.Metric], CurvePoint{At: r.TakenAt.UTC().Format(time.RFC3339), Value: r.Value})
		out.Item.Metrics[r.Metric] = r.Value
	}
	return out, nil
}

// BestTimeCell is one hour of the week.
type BestTimeCell struct {
	Weekday int     `json:"weekday"` // 0 = Sunday
	Hour    int     `json:"hour"`
	Posts   int     `json:"posts"`
	Average float64 `json:"average"` // engagement per post published in that hour
}

// BestTimes is the day-of-week × hour heatmap of a range.
type BestTimes struct {
	Cells []BestTimeCell `json:"cells"` // 7 × 24, Sunday 0:00 first
	Posts int            `json:"posts"` // the posts it rests on
	// Suggested: the best hours with at least MinPosts posts each, best
	// first (at most 5).
	Suggested []BestTimeCell `json:"suggested"`
	MinPosts  int            `json:"minPosts"`
	Note      string         `json:"note"` // how much to trust it, in words
}

// bestMinPosts is how many posts an hour needs before it is suggested.
const bestMinPosts = 3

// BestTimes computes when the range's posts got the most engagement, by
// the hour of the week they were published at (the user's time).
func (s *Measure) BestTimes(r MeasureRange) (BestTimes, error) {
	ctx := context.Background()
	sp, err := s.span(ctx, r)
	if err != nil {
		return BestTimes{}, err
	}
	hours, err := s.metrics.WeekHours(ctx, sp.channels, sp.from, sp.to, store.Offsets(sp.loc, sp.from, sp.to))
	if err != nil {
		return BestTimes{}, err
	}
	return bestTimes(hours), nil
}

func bestTimes(hours []store.WeekHour) BestTimes {
	out := BestTimes{Cells: make([]BestTimeCell, 7*24), MinPosts: bestMinPosts, Suggested: []BestTimeCell{}}
	sums := make([]float64, 7*24)
	for i := range out.Cells {
		out.Cells[i] = BestTimeCell{Weekday: i / 24, Hour: i % 24}
	}
	for _, h := range hours {
		i := h.Weekday*24 + h.Hour
		if i < 0 || i >= len(out.Cells) {
			continue
		}
		out.Cells[i].Posts += h.Posts
		sums[i] += float64(h.Engagement)
		out.Posts += h.Posts
	}
	var eligible []BestTimeCell
	for i := range out.Cells {
		if out.Cells[i].Posts > 0 {
			out.Cells[i].Average = sums[i] / float64(out.Cells[i].Posts)
		}
		if out.Cells[i].Posts >= bestMinPosts {
			eligible = append(eligible, out.Cells[i])
		}
	}
	sort.SliceStable(eligible, func(a, b int) bool { return eligible[a].Average > eligible[b].Average })
	out.Suggested = append(out.Suggested, eligible[:min(5, len(eligible))]...)
	switch {
	case out.Posts == 0:
		out.Note = "No posts with engagement in this range yet: publish for a few weeks and the best times appear here."
	case len(eligible) == 0:
		out.Note = fmt.Sprintf("Based on %d posts; no hour has %d posts yet, so nothing is suggested.", out.Posts, bestMinPosts)
	default:
		out.Note = fmt.Sprintf("Based on %d posts; an hour is suggested once it has at least %d.", out.Posts, bestMinPosts)
	}
	return out
}

// DenseChannel is one channel's readings of a metric, as x (Unix seconds)
// and y arrays for a canvas chart.
type DenseChannel struct {
	ChannelID int64     `json:"channelId"`
	Name      string    `json:"name"`
	X         []int64   `json:"x"`
	Y         []float64 `json:"y"`
	Read      int       `json:"read"` // readings before downsampling
}

// DenseSeries is a channel metric over a range, per channel.
type DenseSeries struct {
	Metric   string         `json:"metric"`
	Channels []DenseChannel `json:"channels"`
}

// Dense reads every stored change of a channel metric (followers,
// following, posts) in a range, per channel, downsampled in Go to twice
// the chart's width in pixels (LTTB), so a year of readings for fifty
// channels crosses the bridge as a few thousand points.
func (s *Measure) Dense(r MeasureRange, metric string, width int) (DenseSeries, error) {
	ctx := context.Background()
	known := false
	for _, m := range s.Catalogue() {
		if m.Scope == string(network.ScopeChannel) && m.Key == metric {
			known = true
		}
	}
	if !known {
		return DenseSeries{}, apperr.Invalid("metric", "%q is not a channel metric Herald reads.", metric)
	}
	if width < 50 || width > 8000 {
		return DenseSeries{}, apperr.Invalid("width", "A chart is between 50 and 8,000 pixels wide, not %d.", width)
	}
	sp, err := s.span(ctx, r)
	if err != nil {
		return DenseSeries{}, err
	}
	pts, err := s.metrics.ChannelValues(ctx, sp.channels, metric, sp.from, sp.to)
	if err != nil {
		return DenseSeries{}, err
	}
	per := map[int64][]measure.XY{}
	for _, p := range pts {
		x := p.At
		if x.Before(sp.from) {
			x = sp.from // the value standing when the range starts
		}
		per[p.ChannelID] = append(per[p.ChannelID], measure.XY{X: float64(x.Unix()), Y: float64(p.Value)})
	}
	names := s.channelNames(ctx)
	out := DenseSeries{Metric: metric, Channels: []DenseChannel{}}
	for _, id := range sp.channels {
		xy := per[id]
		if len(xy) == 0 {
			continue
		}
		// The level holds to the end of the range (or now).
		end := sp.to
		if now := s.now(); now.Before(end) {
			end = now
		}
		if last := xy[len(xy)-1]; float64(end.Unix()) > last.X {
			xy = append(xy, measure.XY{X: float64(end.Unix()), Y: last.Y})
		}
		kept := measure.Downsample(xy, 2*width)
		dc := DenseChannel{ChannelID: id, Name: names[id].name, Read: len(xy), X: make([]int64, len(kept)), Y: make([]float64, len(kept))}
		for i, p := range kept {
			dc.X[i], dc.Y[i] = int64(p.X), p.Y
		}
		out.Channels = append(out.Channels, dc)
	}
	return out, nil
}
