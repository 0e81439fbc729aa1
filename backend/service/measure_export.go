package service

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"herald/backend/apperr"
)

// MeasureExport names what to export: "overview" (the daily series and the
// KPIs), "content" (every post of the query, not only one page) or
// "best_times" (the 7 × 24 cells).
type MeasureExport struct {
	Kind  string       `json:"kind"`
	Query ContentQuery `json:"query"`
}

// ExportCSV writes a dashboard table or chart as CSV to a file the user
// picks; an empty Path means the user cancelled.
func (s *Measure) ExportCSV(e MeasureExport) (ExportResult, error) {
	rows, err := s.csvRows(e)
	if err != nil {
		return ExportResult{}, err
	}
	name := fmt.Sprintf("herald-%s-%s-%s.csv", strings.ReplaceAll(e.Kind, "_", "-"), e.Query.From, e.Query.To)
	path, err := s.saveTo("Export as CSV", name)
	if err != nil || path == "" {
		return ExportResult{}, err
	}
	if err := writeCSVFile(path, rows); err != nil {
		return ExportResult{}, &apperr.Error{Code: apperr.CodeUnavailable, Message: fmt.Sprintf("The CSV file could not be written to %s: %v", path, err),
			Hint: "Choose a folder you can write to.", Err: err}
	}
	return ExportResult{Path: path, Entries: len(rows) - 1}, nil
}

// csvRows builds the file's rows, the header first.
func (s *Measure) csvRows(e MeasureExport) ([][]string, error) {
	switch e.Kind {
	case "overview":
		o, err := s.Overview(e.Query.MeasureRange)
		if err != nil {
			return nil, err
		}
		rows := [][]string{{"date", "followers", "posts_published", "engagement"}}
		for i, p := range o.Followers.Points {
			rows = append(rows, []string{p.Date, numCell(p.Value), numCell(o.Posts.Points[i].Value), numCell(o.Engagement.Points[i].Value)})
		}
		rows = append(rows, []string{}, []string{"kpi", "value", "previous_period", "period", "previous"})
		for _, k := range o.KPIs {
			rows = append(rows, []string{k.Key, numCell(k.Value), numCell(k.Previous), o.From + ".." + o.To, o.PrevFrom + ".." + o.PrevTo})
		}
		return rows, nil
	case "content":
		q := e.Query
		q.Offset, q.Limit = 0, 500
		var rows [][]string
		for {
			page, err := s.Content(q)
			if err != nil {
				return nil, err
			}
			if rows == nil {
				head := []string{"published_at_utc", "channel", "network", "url", "text", "reply", "deleted", "herald_post_id"}
				for _, c := range page.Columns {
					head = append(head, c.Key)
				}
				rows = append(rows, append(head, "engagement"))
			}
			for _, r := range page.Rows {
				post := ""
				if r.PostID != 0 {
					post = strconv.FormatInt(r.PostID, 10)
				}
				row := []string{r.PublishedAt, r.ChannelName, r.Network, r.URL, r.Excerpt, strconv.FormatBool(r.Reply), strconv.FormatBool(r.Deleted), post}
				for _, c := range page.Columns {
					v, ok := r.Metrics[c.Key]
					if ok {
						row = append(row, strconv.FormatInt(v, 10))
					} else {
						row = append(row, "") // not provided: empty, never 0
					}
				}
				eng := ""
				if r.Engagement != nil {
					eng = strconv.FormatInt(*r.Engagement, 10)
				}
				rows = append(rows, append(row, eng))
			}
			q.Offset += len(page.Rows)
			if len(page.Rows) == 0 || int64(q.Offset) >= page.Total {
				return rows, nil
			}
		}
	case "best_times":
		bt, err := s.BestTimes(e.Query.MeasureRange)
		if err != nil {
			return nil, err
		}
		rows := [][]string{{"weekday", "hour", "posts", "average_engagement"}}
		for _, c := range bt.Cells {
			rows = append(rows, []string{time.Weekday(c.Weekday).String(), fmt.Sprintf("%02d:00", c.Hour), strconv.Itoa(c.Posts), strconv.FormatFloat(c.Average, 'f', 2, 64)})
		}
		return rows, nil
	}
	return nil, apperr.Invalid("kind", "Herald cannot export %q; choose overview, content or best_times.", e.Kind)
}

func numCell(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// writeCSVFile writes rows through a temporary file renamed into place, so
// a failed export never leaves half a file under the chosen name. A cell
// a spreadsheet would run as a formula (=, +, -, @ first) is written with
// a leading apostrophe.
func writeCSVFile(path string, rows [][]string) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".part"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = out.Close()
			_ = os.Remove(tmp)
		}
	}()
	w := csv.NewWriter(out)
	for _, r := range rows {
		safe := make([]string, len(r))
		for i, c := range r {
			safe[i] = csvCell(c)
		}
		if err := w.Write(safe); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func csvCell(c string) string {
	if c == "" {
		return c
	}
	if _, err := strconv.ParseFloat(c, 64); err == nil {
		return c // a number, negative ones included
	}
	switch c[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + c
	}
	return c
}
