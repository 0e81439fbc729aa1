package report

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// pdfText is how an uncompressed PDF written with the embedded font holds
// s: UTF-16BE inside a string literal, its brackets and backslashes
// escaped.
func pdfText(s string) []byte {
	var raw []byte
	for _, u := range utf16.Encode([]rune(s)) {
		raw = append(raw, byte(u>>8), byte(u))
	}
	esc := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`, "\r", `\r`).Replace(string(raw))
	return []byte(esc)
}

var pageObject = regexp.MustCompile(`/Type /Page\b[^s]`)

// check renders r uncompressed, checks it is a PDF and returns it with its
// page count.
func check(t *testing.T, r Report) ([]byte, int) {
	t.Helper()
	out, err := render(r, false)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte("%PDF-")) || !bytes.Contains(out[len(out)-64:], []byte("%%EOF")) {
		t.Fatalf("not a PDF: %q…", out[:min(len(out), 16)])
	}
	return out, len(pageObject.FindAll(out, -1))
}

func has(t *testing.T, doc []byte, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !bytes.Contains(doc, pdfText(s)) {
			t.Errorf("the PDF does not contain %q", s)
		}
	}
}

func f(v float64) *float64 { return &v }

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, h/2, color.NRGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRenderEachKindOfSection(t *testing.T) {
	week := []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	hours := make([]string, 24)
	values := make([][]float64, 7)
	for h := range hours {
		hours[h] = fmt.Sprint(h)
	}
	for d := range values {
		values[d] = make([]float64, 24)
		values[d][9] = float64(d)
	}
	r := Report{
		Title: "Weekly report", Subtitle: "Shop alpha, Shop beta · 2 March – 8 March 2026",
		GeneratedAt: time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC),
		Sections: []Section{
			KPIs{Title: "Key figures", Tiles: []KPI{{"Followers", "1,204", "+3.1%"}, {"Engagement", "88", "-2"}, {"Posts published", "7", ""}}},
			Chart{Title: "Followers", X: week, Series: []Series{{Name: "Followers", Values: []*float64{f(1), f(2), nil, f(4), nil, f(6), f(7)}}}},
			Chart{Title: "Posts published", Bars: true, X: week, Series: []Series{{Name: "Posts", Values: []*float64{f(1), f(0), f(3), nil, f(1), f(2), f(0)}}, {Name: "Replies", Values: []*float64{f(2)}}}},
			Chart{Title: "Nothing yet", X: week, Series: []Series{{Name: "Empty", Values: make([]*float64, 7)}}},
			Table{Title: "Top posts", Header: []string{"Published", "Post", "Engagement"}, Rows: [][]string{{"2026-03-02", "Spring sale (today only)", "42"}}},
			Heatmap{Title: "Best times", Rows: week, Cols: hours, Values: values, Legend: "Average engagement per post"},
			Image{Title: "As drawn", PNG: pngBytes(t, 800, 300)},
		},
	}
	out, pages := check(t, r)
	if pages < 1 {
		t.Fatalf("%d pages", pages)
	}
	has(t, out, "Weekly report", "Shop alpha, Shop beta · 2 March – 8 March 2026", "Generated 9 March 2026, 08:00 UTC",
		"Key figures", "Followers", "1,204", "+3.1%", "Posts published", "Replies", "No data for this period.",
		"Top posts", "Spring sale (today only)", "Best times", "Average engagement per post", "Mon", "As drawn",
		fmt.Sprintf("Page 1 of %d", pages))
	if !bytes.Contains(out, []byte("/Subtype /Image")) {
		t.Error("the picture is not in the PDF")
	}
	if _, err := Render(r); err != nil { // compressed, as it is written
		t.Fatal(err)
	}
}

func TestLongTablesGoOnOverPagesWithTheirHeader(t *testing.T) {
	rows := make([][]string, 500)
	for i := range rows {
		rows[i] = []string{fmt.Sprintf("row %03d", i+1), "a post's text that is long enough to be cut to its column " + strings.Repeat("x", 80), fmt.Sprint(i)}
	}
	out, pages := check(t, Report{Title: "Posts", Sections: []Section{Table{Title: "All posts", Header: []string{"Which", "Text", "Engagement score"}, Rows: rows}}})
	if pages < 10 {
		t.Fatalf("500 rows on %d pages", pages)
	}
	if n := bytes.Count(out, pdfText("Engagement score")); n != pages {
		t.Errorf("the header appears %d times on %d pages", n, pages)
	}
	has(t, out, "row 001", "row 250", "row 500", fmt.Sprintf("Page %d of %d", pages, pages))
}

func TestTextTheFontLacksFallsBack(t *testing.T) {
	if got := printable("Café Привет Ωμέγα\tok 🎉 中 👍🏽"); got != "Café Привет Ωμέγα ok ? ? ?" {
		t.Errorf("printable = %q", got)
	}
	out, _ := check(t, Report{Title: "Launch 🚀 день"})
	has(t, out, "Launch ? день")
}

func TestPicturesMustBePNG(t *testing.T) {
	if _, err := render(Report{Title: "x", Sections: []Section{Image{PNG: []byte("GIF89a")}}}, false); err == nil {
		t.Error("a GIF was taken for a PNG")
	}
	// A picture taller than a page is scaled to fit one.
	if _, pages := check(t, Report{Title: "x", Sections: []Section{Image{PNG: pngBytes(t, 100, 2000)}}}); pages > 2 {
		t.Errorf("a tall picture took %d pages", pages)
	}
}

func TestTicksAndNumbers(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   string
	}{
		{0, 10, "[0 2.5 5 7.5 10]"},
		{1003, 1097, "[1000 1025 1050 1075 1100]"},
		{5, 5, "[4.5 4.75 5 5.25 5.5]"},
		{0, 0, "[0 0.25 0.5 0.75 1]"},
	} {
		if got := fmt.Sprint(niceTicks(c.lo, c.hi, 5)); got != c.want {
			t.Errorf("niceTicks(%v, %v) = %s, want %s", c.lo, c.hi, got, c.want)
		}
	}
	if got := Thousands("-1234567.5"); got != "-1,234,567.5" {
		t.Errorf("Thousands = %q", got)
	}
	if got := tickLabel(0.25, 0.25); got != "0.25" {
		t.Errorf("tickLabel = %q", got)
	}
}
