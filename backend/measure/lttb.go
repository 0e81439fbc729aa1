package measure

// XY is one point of a series: X in Unix seconds (or any increasing
// number), Y its value.
type XY struct {
	X float64
	Y float64
}

// Downsample keeps at most n points of a series sorted by X with
// Largest-Triangle-Three-Buckets: the first and last points stay, and
// each bucket between keeps the point that forms the largest triangle
// with the point kept before it and the average of the next bucket, so
// peaks and dips survive while flat stretches thin out. A chart gets
// about twice its width in pixels; more cannot be seen and only costs
// the bridge and the renderer.
func Downsample(pts []XY, n int) []XY {
	if n >= len(pts) || n < 3 {
		if n < 3 && len(pts) > n && n > 0 {
			// Too few to keep a shape: the ends.
			if n == 1 {
				return []XY{pts[0]}
			}
			return []XY{pts[0], pts[len(pts)-1]}
		}
		return append([]XY(nil), pts...)
	}
	out := make([]XY, 0, n)
	out = append(out, pts[0])
	every := float64(len(pts)-2) / float64(n-2)
	a := 0
	for i := range n - 2 {
		// The next bucket's average.
		start := int(float64(i+1)*every) + 1
		end := min(int(float64(i+2)*every)+1, len(pts))
		var ax, ay float64
		for _, p := range pts[start:end] {
			ax += p.X
			ay += p.Y
		}
		cnt := float64(end - start)
		ax, ay = ax/cnt, ay/cnt
		// This bucket: the point of the largest triangle.
		from := int(float64(i)*every) + 1
		to := int(float64(i+1)*every) + 1
		best, bestArea := from, -1.0
		for j := from; j < to; j++ {
			area := (pts[a].X-ax)*(pts[j].Y-pts[a].Y) - (pts[a].X-pts[j].X)*(ay-pts[a].Y)
			if area < 0 {
				area = -area
			}
			if area > bestArea {
				best, bestArea = j, area
			}
		}
		out = append(out, pts[best])
		a = best
	}
	return append(out, pts[len(pts)-1])
}
