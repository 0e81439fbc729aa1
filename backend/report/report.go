// Package report writes a dashboard as a PDF: a title and what it covers,
// then its sections in order (KPI tiles, line and bar charts, tables,
// the week's heatmap, pictures), A4 portrait with numbered pages. It
// knows nothing of where the figures come from: a Report is plain data.
package report

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/png" // the pictures are PNG
	"math"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// Report is one document.
type Report struct {
	Title       string
	Subtitle    string // what it covers, in words: channels and period
	GeneratedAt time.Time
	Sections    []Section
}

// Section is one block of a report: KPIs, Chart, Table, Heatmap or Image.
type Section interface{ draw(d *doc) error }

// KPIs is a row (or rows) of figure tiles.
type KPIs struct {
	Title string
	Tiles []KPI
}

// KPI is one tile: "Followers", "1,204", "+3.1% on the period before".
type KPI struct {
	Label  string
	Value  string
	Change string // a leading + or - colours it
}

// Chart is a line chart, or a bar chart when Bars: one point per X label
// in each series.
type Chart struct {
	Title  string
	Bars   bool
	X      []string
	Series []Series
}

// Series is one line (or one colour of bars); a nil value is a gap.
type Series struct {
	Name   string
	Values []*float64
}

// Table is a header and rows; a table longer than a page goes on over the
// next pages, its header repeated at the top of each.
type Table struct {
	Title  string
	Header []string
	Rows   [][]string
}

// Heatmap is a grid of values (the 7 days × 24 hours of the week), darker
// for more, with a legend.
type Heatmap struct {
	Title  string
	Rows   []string    // row labels: the days
	Cols   []string    // column labels: the hours
	Values [][]float64 // [row][col]
	Legend string      // what a cell's value is
}

// Image is a PNG picture (a chart as the window drew it), scaled to the
// page's width.
type Image struct {
	Title string
	PNG   []byte
}

// Page geometry, in millimetres.
const (
	pageW, pageH = 210.0, 297.0
	margin       = 15.0
	contentW     = pageW - 2*margin
	footerH      = 10.0
	bottom       = pageH - margin - footerH // no block goes below
	family       = "dejavu"
)

// palette colours the series, in order.
var palette = [][3]int{{37, 99, 235}, {234, 88, 12}, {22, 163, 74}, {147, 51, 234}, {219, 39, 119}, {8, 145, 178}}

// Render writes r as a PDF.
func Render(r Report) ([]byte, error) { return render(r, true) }

type doc struct {
	pdf    *fpdf.Fpdf
	images int
}

func render(r Report, compress bool) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(compress)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, margin)
	pdf.AddUTF8FontFromBytes(family, "", fontRegular)
	pdf.AddUTF8FontFromBytes(family, "B", fontBold)
	pdf.SetTitle(printable(r.Title), true)
	pdf.SetCreator("Herald", true)
	pdf.SetProducer("Herald", true)
	if !r.GeneratedAt.IsZero() {
		pdf.SetCreationDate(r.GeneratedAt)
		pdf.SetModificationDate(r.GeneratedAt)
	}
	pdf.AliasNbPages("{nb}")
	title := printable(r.Title)
	pdf.SetFooterFunc(func() {
		pdf.SetY(pageH - margin - 4)
		pdf.SetFont(family, "", 7.5)
		pdf.SetTextColor(120, 120, 120)
		pdf.CellFormat(contentW/2, 4, fit(pdf, title, contentW/2-2), "", 0, "L", false, 0, "")
		pdf.CellFormat(contentW/2, 4, fmt.Sprintf("Page %d of {nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
	})
	d := &doc{pdf: pdf}
	pdf.AddPage()
	d.header(r)
	for _, s := range r.Sections {
		if s == nil {
			continue
		}
		if err := s.draw(d); err != nil {
			return nil, err
		}
		if pdf.Err() {
			return nil, pdf.Error()
		}
		pdf.SetY(pdf.GetY() + 6)
	}
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("write the PDF: %w", err)
	}
	return out.Bytes(), nil
}

func (d *doc) header(r Report) {
	p := d.pdf
	p.SetTextColor(17, 24, 39)
	p.SetFont(family, "B", 18)
	p.MultiCell(contentW, 8, printable(r.Title), "", "L", false)
	if r.Subtitle != "" {
		p.SetFont(family, "", 10)
		p.SetTextColor(55, 65, 81)
		p.MultiCell(contentW, 5, printable(r.Subtitle), "", "L", false)
	}
	if !r.GeneratedAt.IsZero() {
		p.SetFont(family, "", 8)
		p.SetTextColor(120, 120, 120)
		p.CellFormat(contentW, 5, "Generated "+r.GeneratedAt.Format("2 January 2006, 15:04 MST"), "", 1, "L", false, 0, "")
	}
	y := p.GetY() + 2
	p.SetDrawColor(209, 213, 219)
	p.SetLineWidth(0.3)
	p.Line(margin, y, margin+contentW, y)
	p.SetY(y + 5)
}

// need starts a new page unless h millimetres are left on this one.
func (d *doc) need(h float64) {
	if d.pdf.GetY()+h > bottom {
		d.pdf.AddPage()
	}
}

// room is the height left on the current page.
func (d *doc) room() float64 { return bottom - d.pdf.GetY() }

const titleH = 8.0

func (d *doc) title(t string) {
	if t == "" {
		return
	}
	p := d.pdf
	p.SetFont(family, "B", 12)
	p.SetTextColor(17, 24, 39)
	p.SetX(margin)
	p.CellFormat(contentW, titleH, fit(p, printable(t), contentW), "", 1, "L", false, 0, "")
}

func titleHeight(t string) float64 {
	if t == "" {
		return 0
	}
	return titleH
}

// fit cuts s with an ellipsis to be at most w wide in the current font.
func fit(p *fpdf.Fpdf, s string, w float64) string {
	if p.GetStringWidth(s) <= w {
		return s
	}
	rs := []rune(s)
	lo, hi := 0, len(rs)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if p.GetStringWidth(string(rs[:mid])+"…") <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(string(rs[:lo]), " ") + "…"
}

func (k KPIs) draw(d *doc) error {
	if len(k.Tiles) == 0 {
		return nil
	}
	const perRow, gap, tileH = 4, 4.0, 24.0
	p := d.pdf
	d.need(titleHeight(k.Title) + tileH)
	d.title(k.Title)
	for i := 0; i < len(k.Tiles); i += perRow {
		row := k.Tiles[i:min(i+perRow, len(k.Tiles))]
		n := float64(min(perRow, len(k.Tiles)))
		w := (contentW - gap*(n-1)) / n
		d.need(tileH)
		y := p.GetY()
		for j, t := range row {
			x := margin + float64(j)*(w+gap)
			p.SetFillColor(243, 244, 246)
			p.SetDrawColor(229, 231, 235)
			p.SetLineWidth(0.2)
			p.RoundedRect(x, y, w, tileH, 2, "1234", "FD")
			p.SetXY(x+3, y+2.5)
			p.SetFont(family, "", 8)
			p.SetTextColor(75, 85, 99)
			p.CellFormat(w-6, 4, fit(p, printable(t.Label), w-6), "", 0, "L", false, 0, "")
			p.SetXY(x+3, y+7.5)
			p.SetFont(family, "B", 15)
			p.SetTextColor(17, 24, 39)
			p.CellFormat(w-6, 8, fit(p, printable(t.Value), w-6), "", 0, "L", false, 0, "")
			p.SetXY(x+3, y+17)
			p.SetFont(family, "", 7.5)
			switch {
			case strings.HasPrefix(t.Change, "+"):
				p.SetTextColor(21, 128, 61)
			case strings.HasPrefix(t.Change, "-"), strings.HasPrefix(t.Change, "−"):
				p.SetTextColor(185, 28, 28)
			default:
				p.SetTextColor(107, 114, 128)
			}
			p.CellFormat(w-6, 4, fit(p, printable(t.Change), w-6), "", 0, "L", false, 0, "")
		}
		p.SetXY(margin, y+tileH+gap)
	}
	return nil
}

func (c Chart) draw(d *doc) error {
	const plotH, axisW, xLabelH, legendH = 55.0, 16.0, 6.0, 7.0
	p := d.pdf
	d.need(titleHeight(c.Title) + plotH + xLabelH + legendH)
	d.title(c.Title)
	top := p.GetY() + 2
	left, right := margin+axisW, margin+contentW
	plotW := right - left
	base := top + plotH

	lo, hi, have := math.Inf(1), math.Inf(-1), false
	for _, s := range c.Series {
		for _, v := range s.Values {
			if v != nil && !math.IsNaN(*v) && !math.IsInf(*v, 0) {
				lo, hi, have = math.Min(lo, *v), math.Max(hi, *v), true
			}
		}
	}
	p.SetDrawColor(209, 213, 219)
	p.SetLineWidth(0.2)
	p.Line(left, base, right, base)
	if !have || len(c.X) == 0 {
		p.SetFont(family, "", 9)
		p.SetTextColor(107, 114, 128)
		p.SetXY(left, top+plotH/2-3)
		p.CellFormat(plotW, 6, "No data for this period.", "", 0, "C", false, 0, "")
		p.SetXY(margin, base+xLabelH)
		return nil
	}
	if c.Bars {
		lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	}
	ticks := niceTicks(lo, hi, 5)
	lo, hi = ticks[0], ticks[len(ticks)-1]
	y := func(v float64) float64 { return base - (v-lo)/(hi-lo)*plotH }
	p.SetFont(family, "", 7)
	p.SetTextColor(107, 114, 128)
	step := ticks[1] - ticks[0]
	for _, t := range ticks {
		ty := y(t)
		p.SetDrawColor(229, 231, 235)
		p.Line(left, ty, right, ty)
		p.SetXY(margin, ty-2)
		p.CellFormat(axisW-2, 4, tickLabel(t, step), "", 0, "R", false, 0, "")
	}
	n := len(c.X)
	slot := plotW / float64(n)
	x := func(i int) float64 {
		if c.Bars || n == 1 {
			return left + slot*(float64(i)+0.5)
		}
		return left + plotW*float64(i)/float64(n-1)
	}
	// At most eight labels under the axis, evenly spaced.
	every := max(1, int(math.Ceil(float64(n)/8)))
	for i := 0; i < n; i += every {
		lw := math.Min(28, plotW/8)
		p.SetXY(x(i)-lw/2, base+1)
		p.CellFormat(lw, 4, fit(p, printable(c.X[i]), lw), "", 0, "C", false, 0, "")
	}
	for si, s := range c.Series {
		col := palette[si%len(palette)]
		p.SetDrawColor(col[0], col[1], col[2])
		p.SetFillColor(col[0], col[1], col[2])
		if c.Bars {
			group := slot * 0.75
			bw := group / float64(len(c.Series))
			for i, v := range s.Values {
				if i >= n || v == nil {
					continue
				}
				bx := x(i) - group/2 + float64(si)*bw
				y0, y1 := y(0), y(*v)
				p.Rect(bx, math.Min(y0, y1), math.Max(bw*0.9, 0.2), math.Abs(y1-y0), "F")
			}
			continue
		}
		p.SetLineWidth(0.5)
		for i, v := range s.Values {
			if i >= n || v == nil {
				continue
			}
			prev := i > 0 && s.Values[i-1] != nil
			next := i+1 < min(n, len(s.Values)) && s.Values[i+1] != nil
			if prev {
				p.Line(x(i-1), y(*s.Values[i-1]), x(i), y(*v))
			}
			if !prev && !next {
				p.Circle(x(i), y(*v), 0.7, "F") // a point alone between gaps
			}
		}
	}
	// The legend.
	lx, ly := left, base+xLabelH+1
	p.SetFont(family, "", 7.5)
	p.SetTextColor(55, 65, 81)
	for si, s := range c.Series {
		name := printable(s.Name)
		w := p.GetStringWidth(name) + 8
		if lx+w > right && lx > left {
			break
		}
		col := palette[si%len(palette)]
		p.SetFillColor(col[0], col[1], col[2])
		p.Rect(lx, ly+0.5, 3, 3, "F")
		p.SetXY(lx+4, ly)
		p.CellFormat(w-4, 4, name, "", 0, "L", false, 0, "")
		lx += w
	}
	p.SetXY(margin, base+xLabelH+legendH)
	return nil
}

// niceTicks spreads about n round values over lo..hi, ends included.
func niceTicks(lo, hi float64, n int) []float64 {
	if hi == lo {
		if lo == 0 {
			hi = 1
		} else {
			lo, hi = lo-math.Abs(lo)*0.1, hi+math.Abs(hi)*0.1
		}
	}
	raw := (hi - lo) / float64(n-1)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if raw <= m*mag {
			step = m * mag
			break
		}
	}
	start := math.Floor(lo/step) * step
	var out []float64
	for i := 0; ; i++ {
		v := start + float64(i)*step
		out = append(out, v)
		if v >= hi-step*1e-9 && len(out) >= 2 {
			return out
		}
	}
}

// tickLabel writes a tick's value with as many decimals as its step needs
// and thousands separated: "12,500", "0.25".
func tickLabel(v, step float64) string {
	dec := 0
	if step < 1 {
		dec = int(math.Ceil(-math.Log10(step) - 1e-9))
		if step*math.Pow(10, float64(dec)) != math.Round(step*math.Pow(10, float64(dec))) {
			dec++
		}
	}
	if math.Abs(v) < step*1e-9 {
		v = 0
	}
	return Thousands(strconv.FormatFloat(v, 'f', dec, 64))
}

// Thousands puts commas between the thousands of a formatted number.
func Thousands(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, dot := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if dot {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}

func (t Table) draw(d *doc) error {
	if len(t.Header) == 0 {
		return errors.New("a table needs a header")
	}
	const rowH, pad = 6.0, 1.5
	p := d.pdf
	cols := len(t.Header)
	header := make([]string, cols)
	for i, h := range t.Header {
		header[i] = printable(h)
	}
	rows := make([][]string, len(t.Rows))
	numeric := make([]bool, cols)
	for i := range numeric {
		numeric[i] = true
	}
	for i, r := range t.Rows {
		rows[i] = make([]string, cols)
		for j := 0; j < cols && j < len(r); j++ {
			rows[i][j] = printable(r[j])
			if c := rows[i][j]; c != "" && c != "—" && !isNumber(c) {
				numeric[j] = false
			}
		}
	}
	widths := d.columnWidths(header, rows, pad)
	drawHeader := func() {
		p.SetFont(family, "B", 8)
		p.SetFillColor(229, 231, 235)
		p.SetTextColor(17, 24, 39)
		p.SetX(margin)
		for j, h := range header {
			align := "L"
			if numeric[j] {
				align = "R"
			}
			p.CellFormat(widths[j], rowH, fit(p, h, widths[j]-2*pad), "", 0, align, true, 0, "")
		}
		p.Ln(rowH)
	}
	d.need(titleHeight(t.Title) + 2*rowH)
	d.title(t.Title)
	drawHeader()
	for i, r := range rows {
		if d.room() < rowH {
			p.AddPage()
			drawHeader()
		}
		p.SetFont(family, "", 8)
		p.SetTextColor(31, 41, 55)
		if i%2 == 1 {
			p.SetFillColor(249, 250, 251)
		} else {
			p.SetFillColor(255, 255, 255)
		}
		p.SetX(margin)
		for j, c := range r {
			align := "L"
			if numeric[j] {
				align = "R"
			}
			p.CellFormat(widths[j], rowH, fit(p, c, widths[j]-2*pad), "", 0, align, true, 0, "")
		}
		p.Ln(rowH)
	}
	if len(rows) == 0 {
		p.SetFont(family, "", 8)
		p.SetTextColor(107, 114, 128)
		p.CellFormat(contentW, rowH, "Nothing in this period.", "", 1, "L", false, 0, "")
	}
	return nil
}

func isNumber(s string) bool {
	s = strings.NewReplacer(",", "", "%", "", "+", "").Replace(s)
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// columnWidths gives each column its text's width when the page allows,
// else shares the page: narrow columns keep theirs, wide ones split the
// rest in proportion.
func (d *doc) columnWidths(header []string, rows [][]string, pad float64) []float64 {
	p := d.pdf
	n := len(header)
	natural := make([]float64, n)
	p.SetFont(family, "B", 8)
	for j, h := range header {
		natural[j] = p.GetStringWidth(h) + 2*pad + 1
	}
	p.SetFont(family, "", 8)
	for i, r := range rows {
		if i == 200 { // enough to judge a column's width
			break
		}
		for j, c := range r {
			natural[j] = math.Max(natural[j], p.GetStringWidth(c)+2*pad+1)
		}
	}
	total := 0.0
	for _, w := range natural {
		total += w
	}
	out := make([]float64, n)
	if total <= contentW {
		for j, w := range natural {
			out[j] = w * contentW / total
		}
		return out
	}
	share, left, wide := contentW/float64(n), contentW, 0.0
	for j, w := range natural {
		if w <= share {
			out[j] = w
			left -= w
		} else {
			wide += w
		}
	}
	for j, w := range natural {
		if w > share {
			out[j] = w / wide * left
		}
	}
	return out
}

func (h Heatmap) draw(d *doc) error {
	const labelW, cellH, headH, legendH = 12.0, 6.0, 5.0, 10.0
	p := d.pdf
	rows, cols := len(h.Rows), len(h.Cols)
	if rows == 0 || cols == 0 {
		return errors.New("a heatmap needs row and column labels")
	}
	d.need(titleHeight(h.Title) + headH + float64(rows)*cellH + legendH)
	d.title(h.Title)
	cellW := (contentW - labelW) / float64(cols)
	top := p.GetY()
	top0 := top
	most := 0.0
	for _, r := range h.Values {
		for _, v := range r {
			most = math.Max(most, v)
		}
	}
	p.SetFont(family, "", 6.5)
	p.SetTextColor(107, 114, 128)
	for c, l := range h.Cols {
		p.SetXY(margin+labelW+float64(c)*cellW, top)
		p.CellFormat(cellW, headH, fit(p, printable(l), cellW), "", 0, "C", false, 0, "")
	}
	top += headH
	p.SetDrawColor(255, 255, 255)
	p.SetLineWidth(0.3)
	for r, l := range h.Rows {
		ry := top + float64(r)*cellH
		p.SetFont(family, "", 7.5)
		p.SetTextColor(55, 65, 81)
		p.SetXY(margin, ry)
		p.CellFormat(labelW, cellH, fit(p, printable(l), labelW-1), "", 0, "L", false, 0, "")
		for c := range cols {
			v := 0.0
			if r < len(h.Values) && c < len(h.Values[r]) {
				v = h.Values[r][c]
			}
			col := shade(v, most)
			p.SetFillColor(col[0], col[1], col[2])
			p.Rect(margin+labelW+float64(c)*cellW, ry, cellW, cellH, "FD")
		}
	}
	// The legend: five steps from nothing to the most.
	ly := top + float64(rows)*cellH + 3
	p.SetXY(margin+labelW, ly)
	p.SetFont(family, "", 7)
	p.SetTextColor(75, 85, 99)
	lx := margin + labelW
	for i := range 5 {
		v := most * float64(i) / 4
		col := shade(v, most)
		p.SetFillColor(col[0], col[1], col[2])
		p.SetDrawColor(209, 213, 219)
		p.Rect(lx, ly+0.5, 4, 3, "FD")
		label := tickLabel(v, math.Max(most/4, 0.01))
		p.SetXY(lx+5, ly)
		w := p.GetStringWidth(label) + 3
		p.CellFormat(w, 4, label, "", 0, "L", false, 0, "")
		lx += 5 + w + 2
	}
	if h.Legend != "" {
		p.SetXY(lx+2, ly)
		p.CellFormat(margin+contentW-lx-2, 4, fit(p, printable(h.Legend), margin+contentW-lx-2), "", 0, "L", false, 0, "")
	}
	p.SetXY(margin, top0+headH+float64(rows)*cellH+legendH)
	return nil
}

// shade is a cell's colour: pale for nothing, deep blue for the most.
func shade(v, most float64) [3]int {
	if most <= 0 || v <= 0 {
		return [3]int{243, 244, 246}
	}
	t := math.Min(v/most, 1)
	from, to := [3]float64{219, 234, 254}, [3]float64{30, 64, 175}
	var out [3]int
	for i := range out {
		out[i] = int(math.Round(from[i] + (to[i]-from[i])*t))
	}
	return out
}

func (im Image) draw(d *doc) error {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(im.PNG))
	if err != nil {
		return fmt.Errorf("a picture of the report is not a PNG image: %w", err)
	}
	if format != "png" {
		return fmt.Errorf("a picture of the report is %s, not PNG", format)
	}
	if cfg.Width == 0 || cfg.Height == 0 {
		return errors.New("a picture of the report is empty")
	}
	p := d.pdf
	th := titleHeight(im.Title)
	w := contentW
	h := w * float64(cfg.Height) / float64(cfg.Width)
	if most := bottom - margin - th; h > most { // taller than a page: fit the page
		h = most
		w = h * float64(cfg.Width) / float64(cfg.Height)
	}
	d.need(th + h)
	d.title(im.Title)
	d.images++
	name := fmt.Sprintf("picture-%d", d.images)
	info := p.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(im.PNG))
	if p.Err() || info == nil {
		return fmt.Errorf("a picture of the report could not be read: %w", p.Error())
	}
	y := p.GetY()
	p.ImageOptions(name, margin+(contentW-w)/2, y, w, h, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	p.SetXY(margin, y+h)
	return nil
}
