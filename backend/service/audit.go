package service

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/model"
	"herald/backend/store"
)

// FileChooser asks the user where to save a file (the window's save
// dialog); "" means the user cancelled.
type FileChooser interface {
	SaveFile(title, defaultName string) (string, error)
}

// Audit serves the audit log: filter, read and export.
type Audit struct {
	audit   *store.Audit
	chooser FileChooser
	home    func() (string, error)
	now     func() time.Time
}

// NewAudit builds the service; chooser may be nil (no window).
func NewAudit(db *gorm.DB, chooser FileChooser, now func() time.Time) *Audit {
	return &Audit{audit: store.NewAudit(db, now), chooser: chooser, home: os.UserHomeDir, now: now}
}

// AuditQuery filters the audit log. Times are RFC 3339; empty means open.
type AuditQuery struct {
	From      string `json:"from"`
	To        string `json:"to"`
	Actor     string `json:"actor"`
	Event     string `json:"event"` // prefix: "channel.", "post.published"
	ChannelID int64  `json:"channelId"`
	Team      string `json:"team"`
	Text      string `json:"text"`
	BeforeID  int64  `json:"beforeId"` // next page: entries older than this
	Limit     int    `json:"limit"`
}

// AuditEntryView is one line of the audit log.
type AuditEntryView struct {
	ID          int64  `json:"id"`
	At          string `json:"at"`
	Actor       string `json:"actor"`
	Event       string `json:"event"`
	ChannelID   int64  `json:"channelId"`
	ChannelName string `json:"channelName"`
	Teams       string `json:"teams"`
	PostID      int64  `json:"postId"`
	Summary     string `json:"summary"`
	Details     string `json:"details"`
}

// AuditPage is a page of entries, newest first.
type AuditPage struct {
	Entries []AuditEntryView `json:"entries"`
	Total   int64            `json:"total"`
	More    bool             `json:"more"`
}

func (q AuditQuery) filter() (store.AuditFilter, error) {
	f := store.AuditFilter{Actor: model.Actor(q.Actor), EventLike: q.Event, ChannelID: q.ChannelID, Team: q.Team, Text: q.Text,
		BeforeID: q.BeforeID, Limit: q.Limit}
	for _, p := range []struct {
		in  string
		out *time.Time
	}{{q.From, &f.From}, {q.To, &f.To}} {
		if p.in == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, p.in)
		if err != nil {
			return f, apperr.Invalid("range", "%q is not a time.", p.in)
		}
		*p.out = t
	}
	return f, nil
}

// List returns a page of the audit log.
func (s *Audit) List(q AuditQuery) (AuditPage, error) {
	f, err := q.filter()
	if err != nil {
		return AuditPage{}, err
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	entries, total, err := s.audit.List(context.Background(), f)
	if err != nil {
		return AuditPage{}, err
	}
	page := AuditPage{Entries: make([]AuditEntryView, 0, len(entries)), Total: total, More: len(entries) == f.Limit}
	for _, e := range entries {
		page.Entries = append(page.Entries, auditView(e))
	}
	return page, nil
}

func auditView(e model.AuditEntry) AuditEntryView {
	v := AuditEntryView{ID: e.ID, At: stamp(e.At), Actor: string(e.Actor), Event: e.Event, ChannelName: e.ChannelName, Teams: e.Teams,
		Summary: e.Summary, Details: e.Details}
	if e.ChannelID != nil {
		v.ChannelID = *e.ChannelID
	}
	if e.PostID != nil {
		v.PostID = *e.PostID
	}
	return v
}

// ExportResult says where the CSV went.
type ExportResult struct {
	Path    string `json:"path"`
	Entries int    `json:"entries"`
}

// ExportCSV writes every entry matching q to a CSV file the user picks
// (or their Downloads folder when there is no dialog). Cancelling the
// dialog returns an empty path.
func (s *Audit) ExportCSV(q AuditQuery) (ExportResult, error) {
	f, err := q.filter()
	if err != nil {
		return ExportResult{}, err
	}
	name := "herald-audit-" + s.now().UTC().Format("20060102-150405") + ".csv"
	var path string
	if s.chooser != nil {
		if path, err = s.chooser.SaveFile("Export the audit log", name); err != nil {
			return ExportResult{}, err
		}
		if path == "" {
			return ExportResult{}, nil
		}
	} else {
		home, err := s.home()
		if err != nil {
			return ExportResult{}, err
		}
		path = filepath.Join(home, "Downloads", name)
	}
	n, err := s.writeCSV(f, path)
	if err != nil {
		return ExportResult{}, &apperr.Error{Code: apperr.CodeUnavailable, Message: fmt.Sprintf("The audit log could not be written to %s: %v", path, err), Err: err}
	}
	return ExportResult{Path: path, Entries: n}, nil
}

func (s *Audit) writeCSV(f store.AuditFilter, path string) (n int, err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return 0, err
	}
	tmp := path + ".part"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			_ = out.Close()
			_ = os.Remove(tmp)
		}
	}()
	w := csv.NewWriter(out)
	if err := w.Write([]string{"id", "time_utc", "actor", "event", "channel_id", "channel", "teams", "post_id", "summary", "details"}); err != nil {
		return 0, err
	}
	f.Limit, f.BeforeID = 1000, 0
	for {
		entries, _, err := s.audit.List(context.Background(), f)
		if err != nil {
			return n, err
		}
		for _, e := range entries {
			v := auditView(e)
			if err := w.Write([]string{strconv.FormatInt(v.ID, 10), v.At, v.Actor, v.Event, idText(v.ChannelID), v.ChannelName, v.Teams,
				idText(v.PostID), v.Summary, v.Details}); err != nil {
				return n, err
			}
			n++
		}
		if len(entries) < f.Limit {
			break
		}
		f.BeforeID = entries[len(entries)-1].ID
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return n, err
	}
	if err := out.Close(); err != nil {
		return n, err
	}
	return n, os.Rename(tmp, path)
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
