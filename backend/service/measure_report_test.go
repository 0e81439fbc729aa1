package service

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"herald/backend/apperr"
	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
)

// saveInto is a save dialog that answers a file in dir (or cancels).
type saveInto struct {
	dir    string
	cancel bool
	names  []string
}

func (c *saveInto) SaveFile(_, name string) (string, error) {
	c.names = append(c.names, name)
	if c.cancel {
		return "", nil
	}
	return filepath.Join(c.dir, name), nil
}

func pngURL(t *testing.T) string {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 40, 20))
	img.Set(3, 3, color.NRGBA{B: 255, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b.Bytes())
}

func invalidField(t *testing.T, err error, field string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.CodeInvalid || ae.Field != field {
		t.Fatalf("err = %v, want invalid %q", err, field)
	}
}

func TestSaveImageAndPDFGoWhereTheUserChose(t *testing.T) {
	r := newMeasureRig(t)
	dir := t.TempDir()
	c := &saveInto{dir: dir}
	r.s.chooser = c
	url := pngURL(t)

	res, err := r.s.SaveImage("Followers: alpha/beta", url)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "Followers- alpha-beta.png"); res.Path != want {
		t.Errorf("saved to %q, want %q", res.Path, want)
	}
	f, err := os.Open(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("the file is not a PNG: %v", err)
	}

	res, err = r.s.SavePDF("Overview", "All channels · 1–7 March 2026", []string{url, url})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "Overview-"+t0.In(time.Local).Format("2006-01-02")+".pdf"); res.Path != want || res.Entries != 2 {
		t.Errorf("saved %+v, want %q", res, want)
	}
	raw, err := os.ReadFile(res.Path)
	if err != nil || !bytes.HasPrefix(raw, []byte("%PDF-")) {
		t.Fatalf("not a PDF (%v)", err)
	}
	if n := bytes.Count(raw, []byte("/Subtype /Image")); n != 2 {
		t.Errorf("%d pictures in the PDF, want 2", n)
	}
	has(t, raw, "Overview", "All channels · 1–7 March 2026")
	if names := strings.Join(c.names, ","); names != "Followers- alpha-beta.png,Overview-"+t0.In(time.Local).Format("2006-01-02")+".pdf" {
		t.Errorf("dialogs offered %s", names)
	}

	// Only PNG pictures are taken.
	_, err = r.s.SaveImage("x", "data:image/jpeg;base64,"+base64.StdEncoding.EncodeToString([]byte("\xff\xd8\xff")))
	invalidField(t, err, "image")
	_, err = r.s.SaveImage("x", "data:image/png;base64,"+base64.StdEncoding.EncodeToString([]byte("GIF89a not a png")))
	invalidField(t, err, "image")
	_, err = r.s.SavePDF("x", "", []string{url, "https://example.com/chart.png"})
	invalidField(t, err, "images")
	_, err = r.s.SaveImage("x", "data:image/png;base64,"+strings.Repeat("A", base64.StdEncoding.EncodedLen(maxImageBytes)+4))
	invalidField(t, err, "image")

	// Cancelled: nothing written, no error.
	c.cancel = true
	if res, err := r.s.SaveImage("other", url); err != nil || res.Path != "" {
		t.Errorf("cancelled save = %+v, %v", res, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "other.png")); !errors.Is(err, os.ErrNotExist) {
		t.Error("a cancelled save wrote a file")
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 2 {
		t.Errorf("the folder holds %d files, want 2 (no temporary files left)", len(left))
	}
}

func reportDashboard(t *testing.T, r *measureRig, name string) DashboardView {
	t.Helper()
	v, err := r.s.CreateDashboard(name, store.DashboardSpec{Range: "7d", Widgets: []store.Widget{
		{ID: "k1", Type: "kpi", Metric: "followers", Size: "s"},
		{ID: "k2", Type: "kpi", Metric: "engagement", Title: "Interactions", Size: "s"},
		{ID: "c1", Type: "timeseries", Metric: "followers", Size: "l"},
		{ID: "b1", Type: "bar", Metric: "posts", Size: "m"},
		{ID: "t1", Type: "top_posts", Metric: "engagement", Size: "l"},
		{ID: "t2", Type: "table", Metric: network.MetricLikes, Size: "l"},
		{ID: "h1", Type: "heatmap", Size: "l"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func auditEvents(t *testing.T, r *measureRig, event string) []model.AuditEntry {
	t.Helper()
	var out []model.AuditEntry
	if err := r.s.db.Where("event = ?", event).Order("id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSetDashboardReportChecksTheFolder(t *testing.T) {
	r := newMeasureRig(t)
	v := reportDashboard(t, r, "Weekly")
	dir := t.TempDir()

	_, err := r.s.SetDashboardReport(v.ID, "daily", dir)
	invalidField(t, err, "every")
	_, err = r.s.SetDashboardReport(v.ID, "week", filepath.Join(dir, "missing"))
	invalidField(t, err, "dir")
	_, err = r.s.SetDashboardReport(v.ID, "week", "")
	invalidField(t, err, "dir")
	_, err = r.s.SetDashboardReport(v.ID, "month", "relative/folder")
	invalidField(t, err, "dir")
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = r.s.SetDashboardReport(v.ID, "week", file)
	invalidField(t, err, "dir")
	if _, err := r.s.SetDashboardReport(9999, "week", dir); err == nil {
		t.Error("a missing dashboard took a report")
	}

	got, err := r.s.SetDashboardReport(v.ID, "week", dir)
	if err != nil {
		t.Fatal(err)
	}
	next := nextReport("week", r.clock.In(time.Local))
	if got.ReportEvery != "week" || got.ReportDir != dir || got.ReportNextAt != next.UTC().Format(time.RFC3339) {
		t.Errorf("view %+v, want next %s", got, next)
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Errorf("the folder check left %d files", len(left))
	}
	list, err := r.s.Dashboards()
	if err != nil || list[0].ReportEvery != "week" {
		t.Fatalf("listed %+v, %v", list, err)
	}
	got, err = r.s.SetDashboardReport(v.ID, "", "")
	if err != nil || got.ReportEvery != "" || got.ReportDir != "" || got.ReportNextAt != "" {
		t.Errorf("stopped: %+v, %v", got, err)
	}
	if n := len(auditEvents(t, r, "dashboard.report_set")); n != 2 {
		t.Errorf("%d audit lines, want 2", n)
	}
}

func TestNextReportAndPeriod(t *testing.T) {
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, berlin) }
	for _, c := range []struct {
		name  string
		every string
		now   time.Time
		next  time.Time
		from  string
		to    string
	}{
		{"midweek", "week", at(2026, 3, 4, 10, 0), at(2026, 3, 9, 8, 0), "2026-02-23", "2026-03-01"},
		{"Monday early", "week", at(2026, 3, 9, 7, 59), at(2026, 3, 9, 8, 0), "2026-03-02", "2026-03-08"},
		{"Monday on time", "week", at(2026, 3, 9, 8, 0), at(2026, 3, 16, 8, 0), "2026-03-02", "2026-03-08"},
		{"Sunday night", "week", at(2026, 3, 15, 23, 59), at(2026, 3, 16, 8, 0), "2026-03-02", "2026-03-08"},
		// The clocks go forward on Sunday March 29: still 08:00 on Monday.
		{"daylight saving", "week", at(2026, 3, 27, 12, 0), at(2026, 3, 30, 8, 0), "2026-03-16", "2026-03-22"},
		{"after daylight saving", "week", at(2026, 3, 30, 9, 0), at(2026, 4, 6, 8, 0), "2026-03-23", "2026-03-29"},
		{"month end", "month", at(2026, 1, 31, 23, 30), at(2026, 2, 1, 8, 0), "2025-12-01", "2025-12-31"},
		{"February's end", "month", at(2026, 2, 28, 12, 0), at(2026, 3, 1, 8, 0), "2026-01-01", "2026-01-31"},
		{"the 1st early", "month", at(2026, 3, 1, 7, 0), at(2026, 3, 1, 8, 0), "2026-02-01", "2026-02-28"},
		{"the 1st on time", "month", at(2026, 3, 1, 8, 0), at(2026, 4, 1, 8, 0), "2026-02-01", "2026-02-28"},
		{"year end", "month", at(2026, 12, 15, 9, 0), at(2027, 1, 1, 8, 0), "2026-11-01", "2026-11-30"},
		{"January", "month", at(2027, 1, 1, 8, 0), at(2027, 2, 1, 8, 0), "2026-12-01", "2026-12-31"},
	} {
		if got := nextReport(c.every, c.now); !got.Equal(c.next) || got.Hour() != 8 {
			t.Errorf("%s: next %s, want %s", c.name, got, c.next)
		}
		from, to := reportPeriod(c.every, c.now)
		if f, tt := from.Format("2006-01-02"), to.Format("2006-01-02"); f != c.from || tt != c.to {
			t.Errorf("%s: period %s..%s, want %s..%s", c.name, f, tt, c.from, c.to)
		}
	}
	if d := nextReport("week", at(2026, 3, 27, 12, 0)).Sub(at(2026, 3, 27, 12, 0)); d != 67*time.Hour {
		t.Errorf("across the change of clocks the wait is %s, want 67h (an hour less)", d)
	}
}

// pdfContent is a PDF's streams, inflated.
func pdfContent(t *testing.T, raw []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	for _, m := range regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`).FindAllSubmatch(raw, -1) {
		zr, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			out.Write(m[1])
			continue
		}
		b, _ := io.ReadAll(zr)
		out.Write(b)
	}
	return out.Bytes()
}

// has checks texts are drawn in a PDF written with the embedded font
// (UTF-16BE string literals).
func has(t *testing.T, raw []byte, texts ...string) {
	t.Helper()
	content := pdfContent(t, raw)
	for _, s := range texts {
		var enc []byte
		for _, u := range utf16.Encode([]rune(s)) {
			enc = append(enc, byte(u>>8), byte(u))
		}
		esc := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`, "\r", `\r`).Replace(string(enc))
		if !bytes.Contains(content, []byte(esc)) {
			t.Errorf("the PDF does not show %q", s)
		}
	}
}

func TestRunDueReportsWritesOneReportForTheLatestPeriod(t *testing.T) {
	r := newMeasureRig(t)
	catch := &events.Catcher{}
	r.s.emitter = catch
	local := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, time.Local) }
	r.clock = time.Date(2026, 2, 1, 12, 0, 0, 0, time.Local)
	v := reportDashboard(t, r, "Weekly: shop/alpha")
	dir := t.TempDir()
	v, err := r.s.SetDashboardReport(v.ID, "week", dir)
	if err != nil {
		t.Fatal(err)
	}
	// Readings in the week of March 23 (the latest whole week on the 30th).
	r.channel(t, r.a, local(20, 9), 100)
	r.channel(t, r.a, local(26, 9), 120)
	r.post(t, r.a, "p1", local(24, 10), local(24, 12), store.Values{network.MetricLikes: 7, network.MetricShares: 2})
	r.post(t, r.b, "p2", local(25, 18), local(25, 19), store.Values{network.MetricLikes: 3})

	// Herald was not running for eight weeks: one report, the latest week.
	r.clock = local(30, 9)
	if err := RunDueReports(context.Background(), r.s); err != nil {
		t.Fatal(err)
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 1 || files[0].Name() != "Weekly- shop-alpha-2026-03-23.pdf" {
		t.Fatalf("the folder holds %v", files)
	}
	raw, err := os.ReadFile(filepath.Join(dir, files[0].Name()))
	if err != nil || !bytes.HasPrefix(raw, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %v", err)
	}
	has(t, raw, "Weekly: shop/alpha", "All channels · Week of 23 March 2026 (23–29 March)", "Followers", "Interactions", "120",
		"Top posts by engagement", "post p1", "Favourites / Likes", "Best times to post", "Channels and watched accounts", "Shop alpha")
	list, err := r.s.Dashboards()
	if err != nil {
		t.Fatal(err)
	}
	next, _ := time.Parse(time.RFC3339, list[0].ReportNextAt)
	if !next.After(r.clock) || !next.Equal(local(30, 8).AddDate(0, 0, 7)) {
		t.Errorf("next report at %s, want the next Monday 08:00", next)
	}
	if n := len(auditEvents(t, r, "measure.report_written")); n != 1 {
		t.Errorf("%d audit lines for the report, want 1", n)
	}
	if list[0].UpdatedAt != v.UpdatedAt {
		t.Error("writing the report changed the dashboard")
	}

	// Not due again before next Monday.
	r.clock = local(30, 10)
	if err := RunDueReports(context.Background(), r.s); err != nil {
		t.Fatal(err)
	}
	if files, _ := os.ReadDir(dir); len(files) != 1 {
		t.Errorf("a second run wrote %d files", len(files))
	}
	if n := len(catch.Named(events.Notice)); n != 0 {
		t.Errorf("%d notices for a report that worked", n)
	}
}

func TestRunDueReportsIntoAMissingFolderRecordsTheFailure(t *testing.T) {
	r := newMeasureRig(t)
	catch := &events.Catcher{}
	r.s.emitter = catch
	parent := t.TempDir()
	dir := filepath.Join(parent, "reports")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r.clock = time.Date(2026, 2, 10, 12, 0, 0, 0, time.Local)
	v := reportDashboard(t, r, "Monthly")
	if _, err := r.s.SetDashboardReport(v.ID, "month", dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	r.clock = time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local)
	for range 3 { // every ten minutes: one failure, then nothing until April
		if err := RunDueReports(context.Background(), r.s); err != nil {
			t.Fatal(err)
		}
		r.clock = r.clock.Add(10 * time.Minute)
	}
	if files, _ := os.ReadDir(parent); len(files) != 0 {
		t.Errorf("wrote %v", files)
	}
	failed := auditEvents(t, r, "measure.report_failed")
	if len(failed) != 1 {
		t.Fatalf("%d failures recorded, want 1", len(failed))
	}
	if !strings.Contains(failed[0].Details, dir) || !strings.Contains(failed[0].Details, "does not exist") || failed[0].Actor != model.ActorScheduler {
		t.Errorf("failure recorded as %+v", failed[0])
	}
	if n := len(catch.Named(events.Notice)); n != 1 {
		t.Errorf("%d notices, want 1", n)
	}
	list, err := r.s.Dashboards()
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 4, 1, 8, 0, 0, 0, time.Local).UTC().Format(time.RFC3339); list[0].ReportNextAt != want {
		t.Errorf("next report at %s, want %s", list[0].ReportNextAt, want)
	}
}
