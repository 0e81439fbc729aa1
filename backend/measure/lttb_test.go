package measure

import (
	"math"
	"testing"
)

func TestDownsampleKeepsEndsPeaksAndOrder(t *testing.T) {
	var pts []XY
	for i := range 10000 {
		y := math.Sin(float64(i) / 300)
		if i == 4321 {
			y = 50 // one spike
		}
		pts = append(pts, XY{X: float64(i), Y: y})
	}
	out := Downsample(pts, 200)
	if len(out) != 200 {
		t.Fatalf("kept %d points, want 200", len(out))
	}
	if out[0] != pts[0] || out[len(out)-1] != pts[len(pts)-1] {
		t.Error("the ends were not kept")
	}
	spike := false
	for i, p := range out {
		if i > 0 && p.X <= out[i-1].X {
			t.Fatalf("point %d (%v) is not after %v", i, p, out[i-1])
		}
		if p.Y == 50 {
			spike = true
		}
	}
	if !spike {
		t.Error("the spike was lost")
	}
	if got := Downsample(pts[:50], 200); len(got) != 50 {
		t.Errorf("a short series was changed: %d points", len(got))
	}
	if got := Downsample(pts, 2); len(got) != 2 || got[1] != pts[len(pts)-1] {
		t.Errorf("n = 2 kept %v", got)
	}
	if got := Downsample(nil, 100); len(got) != 0 {
		t.Errorf("an empty series gave %v", got)
	}
}

func BenchmarkDownsampleAYearOfHourlyPoints(b *testing.B) {
	pts := make([]XY, 365*24)
	for i := range pts {
		pts[i] = XY{X: float64(i * 3600), Y: float64(i % 97)}
	}
	b.ReportAllocs()
	for b.Loop() {
		Downsample(pts, 1600)
	}
}
