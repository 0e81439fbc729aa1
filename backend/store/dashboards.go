package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"herald/backend/model"
)

// Dashboards owns the user's dashboards: dashboards rows are written only
// here, and a spec is checked here before it is stored, so no dashboard
// the window cannot draw is ever saved.
type Dashboards struct {
	db  *gorm.DB
	now func() time.Time
}

// NewDashboards returns the dashboards repository.
func NewDashboards(db *gorm.DB, now func() time.Time) *Dashboards {
	return &Dashboards{db: db, now: now}
}

// DashboardSpec is what a dashboard shows.
type DashboardSpec struct {
	// ChannelIDs (none: every channel) or TeamID (0: none).
	ChannelIDs []int64 `json:"channelIds"`
	TeamID     int64   `json:"teamId"`
	// Range: "7d", "28d", "90d", "365d" ending today, or "custom" with
	// From and To (YYYY-MM-DD, inclusive).
	Range   string   `json:"range"`
	From    string   `json:"from,omitempty"`
	To      string   `json:"to,omitempty"`
	Widgets []Widget `json:"widgets"`
}

// Widget is one tile of a dashboard's grid, in order.
type Widget struct {
	ID     string `json:"id"`
	Type   string `json:"type"`   // WidgetTypes
	Title  string `json:"title"`  // "" : the metric's label
	Metric string `json:"metric"` // what it shows; see widgetMetrics
	Size   string `json:"size"`   // "s", "m", "l": a third, half or all of a row
}

// WidgetTypes lists the kinds of widget.
var WidgetTypes = []string{"kpi", "timeseries", "bar", "table", "top_posts", "heatmap"}

// widgetMetrics is what each kind of widget can show: KPI keys, daily
// series, a sort for post tables ("" : any post metric key is also
// accepted), nothing for the heatmap.
var widgetMetrics = map[string][]string{
	"kpi":        {"followers", "growth", "posts", "engagement", "engagement_rate"},
	"timeseries": {"followers", "posts", "engagement"},
	"bar":        {"followers", "posts", "engagement"},
	"table":      {"published", "engagement", ""},
	"top_posts":  {"engagement", ""},
	"heatmap":    {""},
}

// Limits of a dashboard.
const (
	MaxDashboardName = 80
	MaxWidgets       = 24
)

// invalidSpec is a refusal (ErrInvalidInput) that says what is wrong.
func invalidSpec(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidInput, fmt.Sprintf(format, args...))
}

// CheckSpec says what is wrong with a spec, if anything; postMetric says
// whether a key is a post metric some network gives.
func CheckSpec(sp DashboardSpec, postMetric func(string) bool) error {
	switch sp.Range {
	case "7d", "28d", "90d", "365d":
	case "custom":
		from, err1 := time.Parse("2006-01-02", sp.From)
		to, err2 := time.Parse("2006-01-02", sp.To)
		if err1 != nil || err2 != nil {
			return invalidSpec("a custom range needs a start and an end date (YYYY-MM-DD)")
		}
		if to.Before(from) {
			return invalidSpec("the end date %s is before the start date %s", sp.To, sp.From)
		}
	default:
		return invalidSpec("the range %q is not one of 7d, 28d, 90d, 365d or custom", sp.Range)
	}
	if len(sp.ChannelIDs) > 0 && sp.TeamID != 0 {
		return invalidSpec("a dashboard shows chosen channels or a team, not both")
	}
	if len(sp.Widgets) > MaxWidgets {
		return invalidSpec("a dashboard holds at most %d widgets", MaxWidgets)
	}
	seen := map[string]bool{}
	for i, w := range sp.Widgets {
		if w.ID == "" || seen[w.ID] {
			return invalidSpec("widget %d has no id of its own", i+1)
		}
		seen[w.ID] = true
		allowed, ok := widgetMetrics[w.Type]
		if !ok {
			return invalidSpec("widget %d is a %q, which Herald cannot draw", i+1, w.Type)
		}
		if !metricAllowed(w.Metric, allowed, postMetric) {
			return invalidSpec("a %s widget cannot show %q", w.Type, w.Metric)
		}
		switch w.Size {
		case "s", "m", "l":
		default:
			return invalidSpec("widget %d has the size %q; use s, m or l", i+1, w.Size)
		}
		if utf8.RuneCountInString(w.Title) > MaxDashboardName {
			return invalidSpec("widget %d's title is longer than %d characters", i+1, MaxDashboardName)
		}
	}
	return nil
}

func metricAllowed(m string, allowed []string, postMetric func(string) bool) bool {
	for _, a := range allowed {
		if a == m {
			return true
		}
		if a == "" && m != "" && postMetric != nil && postMetric(m) {
			return true
		}
	}
	return false
}

func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", invalidSpec("a dashboard needs a name")
	}
	if utf8.RuneCountInString(name) > MaxDashboardName {
		return "", invalidSpec("a dashboard's name is at most %d characters", MaxDashboardName)
	}
	return name, nil
}

// List reads the dashboards in the user's order.
func (s *Dashboards) List(ctx context.Context) ([]model.Dashboard, error) {
	var out []model.Dashboard
	if err := s.db.WithContext(ctx).Order("position, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list dashboards: %w", err)
	}
	return out, nil
}

// Get reads one dashboard.
func (s *Dashboards) Get(ctx context.Context, id int64) (model.Dashboard, error) {
	var d model.Dashboard
	if err := s.db.WithContext(ctx).First(&d, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			err = ErrNotFound
		}
		return d, fmt.Errorf("dashboard %d: %w", id, err)
	}
	return d, nil
}

// Spec decodes a stored dashboard's spec.
func Spec(d model.Dashboard) (DashboardSpec, error) {
	var sp DashboardSpec
	if err := json.Unmarshal([]byte(d.Spec), &sp); err != nil {
		return sp, fmt.Errorf("dashboard %d's spec: %w", d.ID, err)
	}
	if sp.Widgets == nil {
		sp.Widgets = []Widget{}
	}
	return sp, nil
}

// Create stores a new dashboard last in the order.
func (s *Dashboards) Create(ctx context.Context, name string, sp DashboardSpec, postMetric func(string) bool) (model.Dashboard, error) {
	name, err := checkName(name)
	if err != nil {
		return model.Dashboard{}, err
	}
	if err := CheckSpec(sp, postMetric); err != nil {
		return model.Dashboard{}, err
	}
	raw, err := json.Marshal(sp)
	if err != nil {
		return model.Dashboard{}, err
	}
	now := s.now().UTC()
	d := model.Dashboard{Name: name, Spec: string(raw), CreatedAt: now, UpdatedAt: now}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var last int
		if err := tx.Raw(`SELECT coalesce(max(position), 0) FROM dashboards`).Scan(&last).Error; err != nil {
			return err
		}
		d.Position = last + 1
		return tx.Create(&d).Error
	})
	if err != nil {
		return model.Dashboard{}, fmt.Errorf("create dashboard: %w", err)
	}
	return d, nil
}

// Update renames a dashboard and replaces its spec.
func (s *Dashboards) Update(ctx context.Context, id int64, name string, sp DashboardSpec, postMetric func(string) bool) (model.Dashboard, error) {
	name, err := checkName(name)
	if err != nil {
		return model.Dashboard{}, err
	}
	if err := CheckSpec(sp, postMetric); err != nil {
		return model.Dashboard{}, err
	}
	raw, err := json.Marshal(sp)
	if err != nil {
		return model.Dashboard{}, err
	}
	res := s.db.WithContext(ctx).Model(&model.Dashboard{}).Where("id = ?", id).
		Updates(map[string]any{"name": name, "spec": string(raw), "updated_at": s.now().UTC()})
	if res.Error != nil {
		return model.Dashboard{}, fmt.Errorf("save dashboard %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return model.Dashboard{}, fmt.Errorf("dashboard %d: %w", id, ErrNotFound)
	}
	return s.Get(ctx, id)
}

// Delete removes a dashboard and closes the gap in the order.
func (s *Dashboards) Delete(ctx context.Context, id int64) (model.Dashboard, error) {
	var d model.Dashboard
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		in := &Dashboards{db: tx, now: s.now}
		var err error
		if d, err = in.Get(ctx, id); err != nil {
			return err
		}
		if err := tx.Delete(&model.Dashboard{}, id).Error; err != nil {
			return err
		}
		rest, err := in.List(ctx)
		if err != nil {
			return err
		}
		return in.renumber(ctx, rest)
	})
	return d, err
}

// Move puts a dashboard at position to (1-based; clamped to the list), the
// others keeping their order: a drag and drop.
func (s *Dashboards) Move(ctx context.Context, id int64, to int) ([]model.Dashboard, error) {
	var out []model.Dashboard
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		in := &Dashboards{db: tx, now: s.now}
		list, err := in.List(ctx)
		if err != nil {
			return err
		}
		at := -1
		for i, d := range list {
			if d.ID == id {
				at = i
			}
		}
		if at < 0 {
			return fmt.Errorf("dashboard %d: %w", id, ErrNotFound)
		}
		moved := list[at]
		list = append(list[:at], list[at+1:]...)
		to = min(max(to, 1), len(list)+1)
		list = append(list[:to-1], append([]model.Dashboard{moved}, list[to-1:]...)...)
		if err := in.renumber(ctx, list); err != nil {
			return err
		}
		out, err = in.List(ctx)
		return err
	})
	return out, err
}

func (s *Dashboards) renumber(ctx context.Context, list []model.Dashboard) error {
	for i, d := range list {
		if d.Position == i+1 {
			continue
		}
		if err := s.db.WithContext(ctx).Model(&model.Dashboard{}).Where("id = ?", d.ID).Update("position", i+1).Error; err != nil {
			return fmt.Errorf("reorder dashboard %d: %w", d.ID, err)
		}
	}
	return nil
}

// SetReport makes a dashboard be written as a PDF to dir every week or
// month from next ("" every: never).
func (s *Dashboards) SetReport(ctx context.Context, id int64, every, dir string, next *time.Time) (model.Dashboard, error) {
	switch every {
	case "":
		dir, next = "", nil
	case "week", "month":
		if strings.TrimSpace(dir) == "" {
			return model.Dashboard{}, invalidSpec("choose the folder the report is written to")
		}
	default:
		return model.Dashboard{}, invalidSpec("a report is written every week or every month, not %q", every)
	}
	var at any
	if next != nil {
		at = next.UTC()
	}
	res := s.db.WithContext(ctx).Model(&model.Dashboard{}).Where("id = ?", id).
		Updates(map[string]any{"report_every": every, "report_dir": dir, "report_next_at": at, "updated_at": s.now().UTC()})
	if res.Error != nil {
		return model.Dashboard{}, fmt.Errorf("save dashboard %d's report: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return model.Dashboard{}, fmt.Errorf("dashboard %d: %w", id, ErrNotFound)
	}
	return s.Get(ctx, id)
}

// AdvanceReport sets when a dashboard's report is next written, and only
// that: writing a report does not change the dashboard.
func (s *Dashboards) AdvanceReport(ctx context.Context, id int64, next time.Time) error {
	res := s.db.WithContext(ctx).Model(&model.Dashboard{}).Where("id = ?", id).UpdateColumn("report_next_at", next.UTC())
	if res.Error != nil {
		return fmt.Errorf("save dashboard %d's next report: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("dashboard %d: %w", id, ErrNotFound)
	}
	return nil
}
