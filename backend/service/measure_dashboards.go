package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
)

// DashboardView is one of the user's dashboards.
type DashboardView struct {
	ID        int64               `json:"id"`
	Name      string              `json:"name"`
	Position  int                 `json:"position"`
	Spec      store.DashboardSpec `json:"spec"`
	UpdatedAt string              `json:"updatedAt"`
	// The PDF written without the window: "" (never), "week" or "month",
	// the folder, and when next (RFC 3339; "" when never).
	ReportEvery  string `json:"reportEvery"`
	ReportDir    string `json:"reportDir"`
	ReportNextAt string `json:"reportNextAt"`
}

func dashboardView(d model.Dashboard) (DashboardView, error) {
	sp, err := store.Spec(d)
	if err != nil {
		return DashboardView{}, err
	}
	return DashboardView{ID: d.ID, Name: d.Name, Position: d.Position, Spec: sp, UpdatedAt: d.UpdatedAt.UTC().Format(time.RFC3339),
		ReportEvery: d.ReportEvery, ReportDir: d.ReportDir, ReportNextAt: rfc3339(d.ReportNextAt)}, nil
}

// Dashboards lists the user's own dashboards in their order.
func (s *Measure) Dashboards() ([]DashboardView, error) {
	list, err := store.NewDashboards(s.db, s.now).List(context.Background())
	if err != nil {
		return nil, err
	}
	out := make([]DashboardView, 0, len(list))
	for _, d := range list {
		v, err := dashboardView(d)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// postMetric says whether some network gives a post metric of that key.
func (s *Measure) postMetric(key string) bool {
	for _, m := range s.Catalogue() {
		if m.Scope == string(network.ScopePost) && m.Key == key {
			return true
		}
	}
	return false
}

// CreateDashboard saves a new dashboard, last in the order.
func (s *Measure) CreateDashboard(name string, spec store.DashboardSpec) (DashboardView, error) {
	return s.changeDashboard("dashboard.created", func(ctx context.Context, d *store.Dashboards) (model.Dashboard, string, error) {
		x, err := d.Create(ctx, name, spec, s.postMetric)
		return x, fmt.Sprintf("Created the dashboard %q", x.Name), err
	})
}

// UpdateDashboard renames a dashboard and saves its widgets, channels and
// range.
func (s *Measure) UpdateDashboard(id int64, name string, spec store.DashboardSpec) (DashboardView, error) {
	return s.changeDashboard("dashboard.updated", func(ctx context.Context, d *store.Dashboards) (model.Dashboard, string, error) {
		x, err := d.Update(ctx, id, name, spec, s.postMetric)
		return x, fmt.Sprintf("Changed the dashboard %q", x.Name), err
	})
}

// DeleteDashboard removes a dashboard (never the ready-made ones, which
// are not stored).
func (s *Measure) DeleteDashboard(id int64) error {
	_, err := s.changeDashboard("dashboard.deleted", func(ctx context.Context, d *store.Dashboards) (model.Dashboard, string, error) {
		x, err := d.Delete(ctx, id)
		return x, fmt.Sprintf("Deleted the dashboard %q", x.Name), err
	})
	return err
}

// MoveDashboard puts a dashboard at a position (1-based) in the list: a
// drag and drop. It returns the new order.
func (s *Measure) MoveDashboard(id int64, position int) ([]DashboardView, error) {
	ctx := context.Background()
	if _, err := store.NewDashboards(s.db, s.now).Move(ctx, id, position); err != nil {
		return nil, notFound(err, "This dashboard no longer exists.")
	}
	return s.Dashboards()
}

// changeDashboard runs one change and its audit line in one transaction.
func (s *Measure) changeDashboard(event string, change func(context.Context, *store.Dashboards) (model.Dashboard, string, error)) (DashboardView, error) {
	ctx := context.Background()
	var out model.Dashboard
	err := store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		d, summary, err := change(ctx, store.NewDashboards(tx, s.now))
		if err != nil {
			return err
		}
		out = d
		details, _ := json.Marshal(map[string]any{"dashboardId": d.ID})
		return store.NewAudit(tx, s.now).AppendTx(ctx, tx, &model.AuditEntry{Actor: model.ActorUser, Event: event, Summary: summary, Details: string(details)})
	})
	if err != nil {
		if errors.Is(err, store.ErrInvalidInput) {
			return DashboardView{}, apperr.Invalid("spec", "%s", userWords(err))
		}
		return DashboardView{}, notFound(err, "This dashboard no longer exists.")
	}
	s.emitter.Emit(events.AuditAppended, nil)
	if event == "dashboard.deleted" {
		return DashboardView{}, nil
	}
	return dashboardView(out)
}
