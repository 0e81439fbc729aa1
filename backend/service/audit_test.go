package service

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"herald/backend/model"
	"herald/backend/store"
)

type pickPath string

func (p pickPath) SaveFile(string, string) (string, error) { return string(p), nil }

func TestAuditListPagesAndExportsEverything(t *testing.T) {
	cfg := testConfig(t)
	g := openDB(t, cfg)
	a := store.NewAudit(g, now)
	ch := int64(4)
	for i := 0; i < 250; i++ {
		e := &model.AuditEntry{Actor: model.ActorScheduler, Event: "post.published", ChannelID: &ch, ChannelName: "Shop", Summary: "Published, with a comma"}
		if i%2 == 0 {
			e.Event, e.Actor = "channel.refreshed", model.ActorUser
		}
		if err := a.Append(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "audit.csv")
	s := NewAudit(g, pickPath(path), now)
	page, err := s.List(AuditQuery{Event: "post.", Limit: 50})
	if err != nil || page.Total != 125 || len(page.Entries) != 50 || !page.More {
		t.Fatalf("first page = %d entries of %d (more %v), %v", len(page.Entries), page.Total, page.More, err)
	}
	next, _ := s.List(AuditQuery{Event: "post.", Limit: 50, BeforeID: page.Entries[49].ID})
	if next.Entries[0].ID >= page.Entries[49].ID {
		t.Error("the next page is not older")
	}
	res, err := s.ExportCSV(AuditQuery{Event: "post."})
	if err != nil || res.Entries != 125 || res.Path != path {
		t.Fatalf("export = %+v, %v", res, err)
	}
	f, _ := os.Open(path)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) != 126 || rows[1][8] != "Published, with a comma" || rows[1][4] != "4" {
		t.Fatalf("csv: %d rows, %v; first %v", len(rows), err, rows[1])
	}
	if _, err := s.List(AuditQuery{From: "yesterday"}); err == nil {
		t.Error("a bad time was accepted")
	}
}
