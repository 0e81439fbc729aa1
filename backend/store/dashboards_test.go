package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestDashboardsAreCheckedOrderedAndRemoved(t *testing.T) {
	ctx := context.Background()
	d := NewDashboards(openDB(t), func() time.Time { return t0 })
	postMetric := func(k string) bool { return k == "likes" }
	ok := DashboardSpec{Range: "28d", Widgets: []Widget{
		{ID: "a", Type: "kpi", Metric: "followers", Size: "s"},
		{ID: "b", Type: "top_posts", Metric: "likes", Size: "m"},
		{ID: "c", Type: "heatmap", Size: "l"},
	}}
	for _, c := range []struct {
		name string
		edit func(*DashboardSpec)
		want string
	}{
		{"range", func(s *DashboardSpec) { s.Range = "2w" }, "range"},
		{"custom", func(s *DashboardSpec) { s.Range, s.From, s.To = "custom", "2026-03-02", "2026-03-01" }, "before the start"},
		{"both", func(s *DashboardSpec) { s.ChannelIDs, s.TeamID = []int64{1}, 2 }, "not both"},
		{"type", func(s *DashboardSpec) { s.Widgets[0].Type = "pie" }, "cannot draw"},
		{"metric", func(s *DashboardSpec) { s.Widgets[1].Metric = "views" }, "cannot show"},
		{"kpi metric", func(s *DashboardSpec) { s.Widgets[0].Metric = "likes" }, "cannot show"},
		{"id", func(s *DashboardSpec) { s.Widgets[2].ID = "a" }, "no id of its own"},
		{"size", func(s *DashboardSpec) { s.Widgets[2].Size = "xl" }, "size"},
	} {
		sp := ok
		sp.Widgets = append([]Widget(nil), ok.Widgets...)
		c.edit(&sp)
		_, err := d.Create(ctx, "Bad "+c.name, sp, postMetric)
		if !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want a refusal saying %q", c.name, err, c.want)
		}
	}
	if _, err := d.Create(ctx, "  ", ok, postMetric); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("an empty name: %v", err)
	}
	var ids []int64
	for _, n := range []string{"One", "Two", "Three"} {
		x, err := d.Create(ctx, n, ok, postMetric)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, x.ID)
	}
	order := func() string {
		list, err := d.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, x := range list {
			out = append(out, fmt.Sprintf("%d:%s", x.Position, x.Name))
		}
		return strings.Join(out, " ")
	}
	if _, err := d.Move(ctx, ids[2], 1); err != nil {
		t.Fatal(err)
	}
	if got := order(); got != "1:Three 2:One 3:Two" {
		t.Errorf("after moving Three first: %s", got)
	}
	if _, err := d.Move(ctx, ids[2], 99); err != nil {
		t.Fatal(err)
	}
	if got := order(); got != "1:One 2:Two 3:Three" {
		t.Errorf("after moving Three past the end: %s", got)
	}
	if _, err := d.Delete(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	if got := order(); got != "1:Two 2:Three" {
		t.Errorf("after deleting One: %s", got)
	}
	x, err := d.Update(ctx, ids[1], "Weekly", DashboardSpec{Range: "7d"}, postMetric)
	if err != nil || x.Name != "Weekly" {
		t.Fatalf("Update = %+v, %v", x, err)
	}
	sp, err := Spec(x)
	if err != nil || sp.Range != "7d" || sp.Widgets == nil {
		t.Errorf("Spec = %+v, %v", sp, err)
	}
	if _, err := d.SetReport(ctx, x.ID, "week", "", nil); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("a weekly report without a folder: %v", err)
	}
	next := t0.Add(24 * time.Hour)
	if x, err = d.SetReport(ctx, x.ID, "month", "/home/u/Reports", &next); err != nil || x.ReportEvery != "month" || x.ReportNextAt == nil {
		t.Errorf("SetReport = %+v, %v", x, err)
	}
	if _, err := d.Update(ctx, 999, "Gone", DashboardSpec{Range: "7d"}, postMetric); !errors.Is(err, ErrNotFound) {
		t.Errorf("updating a missing dashboard: %v", err)
	}
}
