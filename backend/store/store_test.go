package store

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"herald/backend/db"
	"herald/backend/model"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// openDB opens a real, migrated SQLite file in a temp dir.
func openDB(t *testing.T) *gorm.DB {
	t.Helper()
	dir := t.TempDir()
	g, _, err := db.Open(context.Background(), db.Options{
		Path: filepath.Join(dir, "herald.db"), BackupDir: filepath.Join(dir, "backups"),
		Now: func() time.Time { return t0 },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(g) })
	return g
}

// TestModelsMatchTheMigratedSchema catches a model field with no column:
// the schema comes only from migrations, so the two can drift.
func TestModelsMatchTheMigratedSchema(t *testing.T) {
	g := openDB(t)
	models := []any{
		&model.Setting{}, &model.Team{}, &model.Channel{}, &model.ChannelTeam{},
		&model.Post{}, &model.PostTarget{}, &model.Attempt{}, &model.AuditEntry{}, &model.HealthEvent{}, &model.TargetMedia{}, &model.QueueSlot{},
		&model.InboxItem{}, &model.InboxLabel{}, &model.InboxSync{}, &model.RateBudget{}, &model.InboxRule{},
		&model.ChannelMetric{}, &model.ContentItem{}, &model.ContentMetric{}, &model.ContentLatest{}, &model.MetricSync{}, &model.Dashboard{}, &model.WatchedAccount{}, &model.WatchedMetric{},
	}
	for _, m := range models {
		s, err := schema.Parse(m, &sync.Map{}, g.NamingStrategy)
		if err != nil {
			t.Fatal(err)
		}
		var cols []struct{ Name string }
		if err := g.Raw("PRAGMA table_info(" + s.Table + ")").Scan(&cols).Error; err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, c := range cols {
			have[c.Name] = true
		}
		if len(have) == 0 {
			t.Errorf("table %s does not exist", s.Table)
			continue
		}
		for _, f := range s.Fields {
			if f.DBName != "" && !have[f.DBName] {
				t.Errorf("%s.%s has no column %s.%s", s.Name, f.Name, s.Table, f.DBName)
			}
		}
	}
}

func TestSettingsRoundTripAndInstallIDIsStable(t *testing.T) {
	ctx := context.Background()
	s := NewSettings(openDB(t), func() time.Time { return t0 })
	if _, ok, err := s.Get(ctx, "missing"); ok || err != nil {
		t.Fatalf("Get(missing) = ok %v, err %v", ok, err)
	}
	if err := s.Set(ctx, "reauth_reminder_days", "90"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(ctx, "reauth_reminder_days", "120"); err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := s.Get(ctx, "reauth_reminder_days"); !ok || v != "120" {
		t.Errorf("Get = %q, %v; want 120", v, ok)
	}
	id1, err := s.InstallID(ctx)
	if err != nil || len(id1) != 36 {
		t.Fatalf("InstallID = %q, %v", id1, err)
	}
	if id2, _ := s.InstallID(ctx); id2 != id1 {
		t.Errorf("InstallID changed: %q then %q", id1, id2)
	}
}

func TestAuditAppendAndFilter(t *testing.T) {
	ctx := context.Background()
	a := NewAudit(openDB(t), func() time.Time { return t0 })
	ch := int64(3)
	entries := []model.AuditEntry{
		{Actor: model.ActorUser, Event: "channel.connected", ChannelID: &ch, ChannelName: "Shop", Teams: "Brand,Shop_EU", Summary: "Connected Shop"},
		{Actor: model.ActorHealth, Event: "channel.disconnected", ChannelID: &ch, ChannelName: "Shop", Teams: "Brand", Summary: "Token revoked", At: t0.Add(time.Hour)},
		{Actor: model.ActorUser, Event: "settings.changed", Summary: "Reminder set to 100% of 90 days", At: t0.Add(2 * time.Hour)},
	}
	for i := range entries {
		if err := a.Append(ctx, &entries[i]); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name string
		f    AuditFilter
		want int
	}{
		{"all", AuditFilter{}, 3},
		{"by event prefix", AuditFilter{EventLike: "channel."}, 2},
		{"by actor", AuditFilter{Actor: model.ActorHealth}, 1},
		{"by channel", AuditFilter{ChannelID: 3}, 2},
		{"by team is exact", AuditFilter{Team: "Shop"}, 0},
		{"by team", AuditFilter{Team: "Shop_EU"}, 1},
		{"by time", AuditFilter{From: t0.Add(30 * time.Minute), To: t0.Add(90 * time.Minute)}, 1},
		{"text with a LIKE wildcard is literal", AuditFilter{Text: "100%"}, 1},
		{"text", AuditFilter{Text: "revoked"}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := a.List(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.want || total != int64(tc.want) {
				t.Errorf("List(%+v) = %d rows (total %d), want %d", tc.f, len(got), total, tc.want)
			}
		})
	}
	got, _, _ := a.List(ctx, AuditFilter{})
	if got[0].Event != "settings.changed" || got[0].Details != "{}" || got[0].At.Location() != time.UTC {
		t.Errorf("newest entry = %+v", got[0])
	}
}
