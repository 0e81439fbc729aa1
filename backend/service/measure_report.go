package service

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/report"
	"herald/backend/store"
)

// FolderChooser asks the user for a folder (the window's folder dialog);
// "" means the user cancelled. A FileChooser may also be one.
type FolderChooser interface {
	ChooseFolder(title string) (string, error)
}

// maxImageBytes bounds a picture sent by the window (a chart's PNG).
const maxImageBytes = 40 << 20

const pngDataURL = "data:image/png;base64,"

// decodePNG reads a data: URL of a PNG picture, refusing anything else.
func decodePNG(field, url string) ([]byte, error) {
	if len(url) < len(pngDataURL) || !strings.EqualFold(url[:len(pngDataURL)], pngDataURL) {
		return nil, apperr.Invalid(field, "Herald saves PNG pictures only (a data:image/png;base64 URL).")
	}
	enc := url[len(pngDataURL):]
	if len(enc) > base64.StdEncoding.EncodedLen(maxImageBytes) {
		return nil, apperr.Invalid(field, "The picture is larger than %d MB.", maxImageBytes>>20)
	}
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return nil, apperr.Invalid(field, "The picture is not valid base64: %v", err)
	}
	if _, err := png.DecodeConfig(bytes.NewReader(raw)); err != nil {
		return nil, apperr.Invalid(field, "The picture is not a PNG image: %v", err)
	}
	return raw, nil
}

// SaveImage writes a chart the window drew (a PNG data: URL) to a file
// the user picks; an empty Path means the user cancelled.
func (s *Measure) SaveImage(defaultName string, pngDataURL string) (ExportResult, error) {
	raw, err := decodePNG("image", pngDataURL)
	if err != nil {
		return ExportResult{}, err
	}
	name := strings.TrimSuffix(strings.TrimSuffix(defaultName, ".png"), ".PNG")
	path, err := s.saveTo("Save the chart as PNG", fileName(name, "herald-chart")+".png")
	if err != nil || path == "" {
		return ExportResult{}, err
	}
	if err := writeFileAtomic(path, raw); err != nil {
		return ExportResult{}, notWritten("picture", path, err)
	}
	return ExportResult{Path: path, Entries: 1}, nil
}

// SavePDF writes the charts as the window drew them (PNG data: URLs), one
// a block, under a title and subtitle, as a PDF the user picks where to
// save; an empty Path means the user cancelled.
func (s *Measure) SavePDF(title, subtitle string, pngDataURLs []string) (ExportResult, error) {
	if len(pngDataURLs) == 0 {
		return ExportResult{}, apperr.Invalid("images", "There is no chart to put in the PDF.")
	}
	r := report.Report{Title: strings.TrimSpace(title), Subtitle: subtitle, GeneratedAt: s.now().In(time.Local)}
	if r.Title == "" {
		r.Title = "Herald dashboard"
	}
	for i, u := range pngDataURLs {
		raw, err := decodePNG("images", u)
		if err != nil {
			var ae *apperr.Error
			if errors.As(err, &ae) {
				ae.Message = fmt.Sprintf("Chart %d: %s", i+1, ae.Message)
			}
			return ExportResult{}, err
		}
		r.Sections = append(r.Sections, report.Image{PNG: raw})
	}
	pdf, err := report.Render(r)
	if err != nil {
		return ExportResult{}, err
	}
	path, err := s.saveTo("Save the dashboard as PDF", fileName(r.Title, "herald-dashboard")+"-"+r.GeneratedAt.Format("2006-01-02")+".pdf")
	if err != nil || path == "" {
		return ExportResult{}, err
	}
	if err := writeFileAtomic(path, pdf); err != nil {
		return ExportResult{}, notWritten("PDF", path, err)
	}
	return ExportResult{Path: path, Entries: len(pngDataURLs)}, nil
}

// saveTo asks the window where to save name, or picks Downloads when
// there is no window; "" means the user cancelled.
func (s *Measure) saveTo(title, name string) (string, error) {
	if s.chooser != nil {
		return s.chooser.SaveFile(title, name)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, "Downloads", name), nil
}

func notWritten(what, path string, err error) error {
	return &apperr.Error{Code: apperr.CodeUnavailable, Message: fmt.Sprintf("The %s could not be written to %s: %v", what, path, err),
		Hint: "Choose a folder you can write to.", Err: err}
}

// writeFileAtomic writes data through a temporary file in the same folder
// renamed into place, so a failure never leaves half a file under the
// name.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+"-*.part")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// fileName makes a name safe on every file system: no separators or
// characters Windows refuses, no leading or trailing dots and spaces, at
// most 100 characters, and not one of Windows' device names.
func fileName(name, fallback string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r == 0x7f || strings.ContainsRune(`/\:*?"<>|`, r):
			b.WriteByte('-')
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	out := strings.Trim(b.String(), " .")
	if utf8.RuneCountInString(out) > 100 {
		out = strings.Trim(string([]rune(out)[:100]), " .")
	}
	if out == "" {
		return fallback
	}
	base, _, _ := strings.Cut(strings.ToUpper(out), ".")
	switch base {
	case "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		out = "_" + out
	}
	return out
}

// ChooseFolder asks the user for a folder in the window; "" means the user
// cancelled.
func (s *Measure) ChooseFolder(title string) (string, error) {
	fc, ok := s.chooser.(FolderChooser)
	if !ok {
		return "", &apperr.Error{Code: apperr.CodeUnavailable, Message: "There is no window to choose a folder in; type the folder's path."}
	}
	return fc.ChooseFolder(title)
}

// writableDir says why Herald cannot write reports into dir, if it
// cannot: it tries, with a file it removes at once.
func writableDir(dir string) error {
	if dir == "" {
		return errors.New("choose the folder the report is written to")
	}
	if !filepath.IsAbs(dir) {
		return fmt.Errorf("%s is not a full path to a folder", dir)
	}
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("the folder %s does not exist", dir)
	case err != nil:
		return fmt.Errorf("herald cannot open the folder %s: %w", dir, err)
	case !st.IsDir():
		return fmt.Errorf("%s is a file, not a folder", dir)
	}
	f, err := os.CreateTemp(dir, ".herald-check-*")
	if err != nil {
		return fmt.Errorf("herald cannot write to %s: %w", dir, err)
	}
	_ = f.Close()
	return os.Remove(f.Name())
}

func errSentence(err error) string {
	m := err.Error()
	r, n := utf8.DecodeRuneInString(m)
	return string(unicode.ToUpper(r)) + m[n:] + "."
}

// SetDashboardReport writes a dashboard as a PDF into dir every "week"
// (Mondays at 08:00, the week before) or "month" (the 1st at 08:00, the
// month before), in the computer's time, with or without the window; ""
// stops it. The folder must exist and Herald must be able to write to it.
func (s *Measure) SetDashboardReport(id int64, every string, dir string) (DashboardView, error) {
	var next *time.Time
	switch every {
	case "":
		dir = ""
	case "week", "month":
		dir = strings.TrimSpace(dir)
		if dir != "" {
			dir = filepath.Clean(dir)
		}
		if err := writableDir(dir); err != nil {
			return DashboardView{}, apperr.Invalid("dir", "%s", errSentence(err))
		}
		n := nextReport(every, s.now().In(time.Local))
		next = &n
	default:
		return DashboardView{}, apperr.Invalid("every", "A report is written every week or every month, not %q.", every)
	}
	return s.changeDashboard("dashboard.report_set", func(ctx context.Context, d *store.Dashboards) (model.Dashboard, string, error) {
		x, err := d.SetReport(ctx, id, every, dir, next)
		if every == "" {
			return x, fmt.Sprintf("The dashboard %q is no longer written as a PDF", x.Name), err
		}
		return x, fmt.Sprintf("The dashboard %q is written as a PDF to %s every %s", x.Name, dir, every), err
	})
}

// reportHour is when a report is written, in the computer's time.
const reportHour = 8

// nextReport is the first report time after now, in now's zone: the next
// Monday at 08:00 for "week", the next 1st of a month at 08:00 for
// "month" (today's, if it is that day and not yet 08:00).
func nextReport(every string, now time.Time) time.Time {
	y, m, d := now.Date()
	loc := now.Location()
	if every == "month" {
		at := time.Date(y, m, 1, reportHour, 0, 0, 0, loc)
		if !at.After(now) {
			at = time.Date(y, m+1, 1, reportHour, 0, 0, 0, loc)
		}
		return at
	}
	ahead := (int(time.Monday) - int(now.Weekday()) + 7) % 7
	at := time.Date(y, m, d+ahead, reportHour, 0, 0, 0, loc)
	if !at.After(now) {
		at = time.Date(y, m, d+ahead+7, reportHour, 0, 0, 0, loc)
	}
	return at
}

// reportPeriod is the latest whole period before now: the week Monday to
// Sunday, or the calendar month, as first and last days.
func reportPeriod(every string, now time.Time) (from, to time.Time) {
	y, m, d := now.Date()
	loc := now.Location()
	if every == "month" {
		return time.Date(y, m-1, 1, 0, 0, 0, 0, loc), time.Date(y, m, 0, 0, 0, 0, 0, loc)
	}
	back := (int(now.Weekday()) - int(time.Monday) + 7) % 7 // days since this week's Monday
	monday := time.Date(y, m, d-back, 0, 0, 0, 0, loc)
	return monday.AddDate(0, 0, -7), monday.AddDate(0, 0, -1)
}

// RunDueReports writes every dashboard whose report is due as a PDF into
// its folder, for the latest whole week or month: after a long sleep, one
// report for the latest period, not one for each period missed. The next
// time is set in every case, so a report that fails (its folder gone or
// read-only) is tried again at the next period, never in a loop; the
// failure goes to the audit log and the window. It is the scheduler's
// "measure-reports" job, with or without the window: a function, not a
// method, so it is not bound to the window like Measure's methods.
func RunDueReports(ctx context.Context, s *Measure) error {
	list, err := store.NewDashboards(s.db, s.now).List(ctx)
	if err != nil {
		return err
	}
	now := s.now().In(time.Local)
	var errs []error
	for _, d := range list {
		if d.ReportEvery == "" || d.ReportNextAt == nil || d.ReportNextAt.After(now) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		path, failure := s.writeReport(d, now)
		if err := s.reported(ctx, d, now, path, failure); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// writeReport renders one dashboard's report into its folder; failure is
// why it was not written, in the user's words.
func (s *Measure) writeReport(d model.Dashboard, now time.Time) (path string, failure error) {
	from, to := reportPeriod(d.ReportEvery, now)
	if err := writableDir(d.ReportDir); err != nil {
		return "", errors.New(errSentence(err))
	}
	spec, err := store.Spec(d)
	if err != nil {
		return "", err
	}
	r, err := s.buildReport(d.Name, spec, d.ReportEvery, from, to, now)
	if err != nil {
		return "", fmt.Errorf("the dashboard's figures could not be read: %w", err)
	}
	pdf, err := report.Render(r)
	if err != nil {
		return "", err
	}
	path = filepath.Join(d.ReportDir, fileName(d.Name, "dashboard")+"-"+from.Format("2006-01-02")+".pdf")
	if err := writeFileAtomic(path, pdf); err != nil {
		return "", fmt.Errorf("the PDF could not be written: %w", err)
	}
	return path, nil
}

// reported sets a dashboard's next report time and writes the audit line
// (and, on a failure, tells the window).
func (s *Measure) reported(ctx context.Context, d model.Dashboard, now time.Time, path string, failure error) error {
	next := nextReport(d.ReportEvery, now)
	entry := &model.AuditEntry{Actor: model.ActorScheduler}
	details := map[string]any{"dashboardId": d.ID, "folder": d.ReportDir, "nextAt": next.UTC().Format(time.RFC3339)}
	if failure != nil {
		entry.Event = "measure.report_failed"
		entry.Summary = fmt.Sprintf("The report of the dashboard %q was not written to %s: %s", d.Name, d.ReportDir, failure)
		details["reason"] = failure.Error()
	} else {
		entry.Event = "measure.report_written"
		entry.Summary = fmt.Sprintf("Wrote the report of the dashboard %q to %s", d.Name, path)
		details["path"] = path
	}
	raw, _ := json.Marshal(details)
	entry.Details = string(raw)
	err := store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		if err := store.NewDashboards(tx, s.now).AdvanceReport(ctx, d.ID, next); err != nil {
			return err
		}
		return store.NewAudit(tx, s.now).AppendTx(ctx, tx, entry)
	})
	if err != nil {
		return err
	}
	s.emitter.Emit(events.AuditAppended, nil)
	if failure != nil {
		s.emitter.Emit(events.Notice, map[string]any{"level": "error", "message": entry.Summary + ".",
			"hint": "Choose another folder for this dashboard's report.", "dashboardId": d.ID})
	}
	return nil
}

// buildReport reads a dashboard's figures for from..to (days, inclusive)
// and lays them out widget by widget.
func (s *Measure) buildReport(name string, spec store.DashboardSpec, every string, from, to, now time.Time) (report.Report, error) {
	ctx := context.Background()
	mr := MeasureRange{ChannelIDs: spec.ChannelIDs, TeamID: spec.TeamID, From: from.Format("2006-01-02"), To: to.Format("2006-01-02")}
	sp, err := s.span(ctx, mr)
	if err != nil {
		return report.Report{}, err
	}
	r := report.Report{Title: name, Subtitle: s.channelWords(ctx, spec, sp.channels) + " · " + periodWords(every, from, to), GeneratedAt: now}
	var overview *Overview
	readOverview := func() (*Overview, error) {
		if overview == nil {
			o, err := s.Overview(mr)
			if err != nil {
				return nil, err
			}
			overview = &o
		}
		return overview, nil
	}
	var tiles *report.KPIs
	for _, w := range spec.Widgets {
		if w.Type != "kpi" {
			tiles = nil
		}
		switch w.Type {
		case "kpi":
			o, err := readOverview()
			if err != nil {
				return report.Report{}, err
			}
			for _, k := range o.KPIs {
				if k.Key != w.Metric {
					continue
				}
				label := w.Title
				if label == "" {
					label = k.Label
				}
				if tiles == nil {
					r.Sections = append(r.Sections, &report.KPIs{})
					tiles = r.Sections[len(r.Sections)-1].(*report.KPIs)
				}
				tiles.Tiles = append(tiles.Tiles, report.KPI{Label: label, Value: kpiValue(k.Value, k.Unit), Change: kpiChange(k.Value, k.Previous, k.Unit)})
			}
		case "timeseries", "bar":
			o, err := readOverview()
			if err != nil {
				return report.Report{}, err
			}
			series := map[string]Series{"followers": o.Followers, "posts": o.Posts, "engagement": o.Engagement}[w.Metric]
			c := report.Chart{Title: orLabel(w.Title, series.Label), Bars: w.Type == "bar", Series: []report.Series{{Name: series.Label}}}
			for _, p := range series.Points {
				d, _ := time.Parse("2006-01-02", p.Date)
				c.X = append(c.X, d.Format("2 Jan"))
				c.Series[0].Values = append(c.Series[0].Values, p.Value)
			}
			r.Sections = append(r.Sections, c)
		case "table", "top_posts":
			t, err := s.topPosts(mr, w)
			if err != nil {
				return report.Report{}, err
			}
			r.Sections = append(r.Sections, t)
		case "heatmap":
			bt, err := s.BestTimes(mr)
			if err != nil {
				return report.Report{}, err
			}
			h := report.Heatmap{Title: orLabel(w.Title, "Best times to post"), Legend: "Average engagement per post published in that hour. " + bt.Note}
			for i := range 24 {
				h.Cols = append(h.Cols, strconv.Itoa(i))
			}
			for _, wd := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
				h.Rows = append(h.Rows, wd.String()[:3])
				row := make([]float64, 24)
				for _, c := range bt.Cells {
					if c.Weekday == int(wd) {
						row[c.Hour] = c.Average
					}
				}
				h.Values = append(h.Values, row)
			}
			r.Sections = append(r.Sections, h)
		}
	}
	rows, err := s.Compare(mr)
	if err != nil {
		return report.Report{}, err
	}
	if len(rows) > 0 {
		t := report.Table{Title: "Channels and watched accounts", Header: []string{"Account", "Network", "Followers", "Growth", "Posts", "Engagement per post"}}
		for _, c := range rows {
			name := c.Name
			if c.Kind == "watched" {
				name += " (watched)"
			}
			t.Rows = append(t.Rows, []string{name, c.Network, countText(c.Followers), signedText(c.Growth), report.Thousands(strconv.FormatInt(c.Posts, 10)), decimalText(c.EngagementPerPost)})
		}
		r.Sections = append(r.Sections, t)
	}
	return r, nil
}

// topPosts is a table of the range's top 25 posts by a widget's metric.
func (s *Measure) topPosts(mr MeasureRange, w store.Widget) (report.Table, error) {
	sortBy := w.Metric
	if sortBy == "" {
		sortBy = "engagement"
	}
	page, err := s.Content(ContentQuery{MeasureRange: mr, Sort: sortBy, Desc: true, Limit: 25})
	if err != nil {
		return report.Table{}, err
	}
	label := map[string]string{"published": "Latest posts", "engagement": "Engagement"}[sortBy]
	for _, c := range page.Columns {
		if c.Key == sortBy {
			label = c.Label
		}
	}
	t := report.Table{Title: orLabel(w.Title, "Top posts by "+strings.ToLower(label)), Header: []string{"Published", "Channel", "Post"}}
	if sortBy == "published" {
		t.Title = orLabel(w.Title, "Latest posts")
	} else if sortBy != "engagement" {
		t.Header = append(t.Header, label)
	}
	t.Header = append(t.Header, "Engagement")
	for _, p := range page.Rows {
		at, _ := time.Parse(time.RFC3339, p.PublishedAt)
		row := []string{at.In(time.Local).Format("2006-01-02 15:04"), p.ChannelName, p.Excerpt}
		if sortBy != "published" && sortBy != "engagement" {
			v, ok := p.Metrics[sortBy]
			row = append(row, map[bool]string{true: report.Thousands(strconv.FormatInt(v, 10)), false: "—"}[ok])
		}
		eng := "—"
		if p.Engagement != nil {
			eng = report.Thousands(strconv.FormatInt(*p.Engagement, 10))
		}
		t.Rows = append(t.Rows, append(row, eng))
	}
	return t, nil
}

func orLabel(title, label string) string {
	if strings.TrimSpace(title) != "" {
		return title
	}
	return label
}

// channelWords names a report's channels: the chosen ones (the first six
// and how many more), a team's, or every channel.
func (s *Measure) channelWords(ctx context.Context, spec store.DashboardSpec, ids []int64) string {
	if len(spec.ChannelIDs) == 0 && spec.TeamID == 0 {
		return "All channels"
	}
	names := s.channelNames(ctx)
	var out []string
	for _, id := range ids {
		if n, ok := names[id]; ok {
			out = append(out, n.name)
		}
	}
	if len(out) == 0 {
		return "No channels"
	}
	if len(out) > 6 {
		return strings.Join(out[:6], ", ") + fmt.Sprintf(" and %d more", len(out)-6)
	}
	return strings.Join(out, ", ")
}

// periodWords says a report's period: "February 2026" or "Week of 2
// March 2026 (2–8 March)".
func periodWords(every string, from, to time.Time) string {
	if every == "month" {
		return from.Format("January 2006")
	}
	span := from.Format("2 January") + "–" + to.Format("2 January")
	if from.Month() == to.Month() {
		span = from.Format("2") + "–" + to.Format("2 January")
	}
	return fmt.Sprintf("Week of %s (%s)", from.Format("2 January 2006"), span)
}

func kpiValue(v *float64, unit string) string {
	if v == nil {
		return "No data"
	}
	if unit == "percent" {
		return strconv.FormatFloat(*v, 'f', 2, 64) + "%"
	}
	return report.Thousands(strconv.FormatFloat(*v, 'f', 0, 64))
}

// kpiChange compares a figure with the period before: "+12 (+3.4%) on the
// period before", "-0.10 points".
func kpiChange(v, prev *float64, unit string) string {
	if v == nil || prev == nil {
		return "Nothing to compare with"
	}
	diff := *v - *prev
	if unit == "percent" {
		return signed(strconv.FormatFloat(diff, 'f', 2, 64), diff) + " points on the period before"
	}
	out := signed(report.Thousands(strconv.FormatFloat(diff, 'f', 0, 64)), diff)
	if *prev != 0 {
		pct := diff / *prev * 100
		out += " (" + signed(strconv.FormatFloat(pct, 'f', 1, 64), pct) + "%)"
	}
	return out + " on the period before"
}

func signed(s string, v float64) string {
	if v > 0 {
		return "+" + s
	}
	return s
}

func countText(v *float64) string {
	if v == nil {
		return "—"
	}
	return report.Thousands(strconv.FormatFloat(*v, 'f', 0, 64))
}

func signedText(v *float64) string {
	if v == nil {
		return "—"
	}
	return signed(countText(v), *v)
}

func decimalText(v *float64) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(*v, 'f', 1, 64)
}
