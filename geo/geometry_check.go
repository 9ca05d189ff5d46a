package geo

import (
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// CheckPoint returns what is wrong with a WGS84 position, or "" when it is valid.
func CheckPoint(p orb.Point) string {
	if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
		return "finite coordinates"
	}
	if p[0] < -180 || p[0] > 180 {
		return fmt.Sprintf("longitude in [-180, 180], got %g", p[0])
	}
	if p[1] < -90 || p[1] > 90 {
		return fmt.Sprintf("latitude in [-90, 90], got %g", p[1])
	}
	return ""
}

// CheckPolygon returns what is wrong with a polygon, or "" when it is valid:
// at least one ring; every ring closed, with at least three distinct
// positions and a non-zero area; valid coordinates; no ring crossing or
// touching itself; holes inside the outer ring, touching it at most at
// points. Holes are not checked against each other.
func CheckPolygon(p orb.Polygon) string {
	if len(p) == 0 {
		return "a polygon with at least one ring"
	}
	for i, r := range p {
		if msg := CheckRing(r); msg != "" {
			if i == 0 {
				return "outer ring: " + msg
			}
			return fmt.Sprintf("ring %d: %s", i, msg)
		}
	}
	for i, h := range p[1:] {
		if !ringContainsRing(p[0], h) || ringsCross(p[0], h) {
			return fmt.Sprintf("ring %d (a hole) inside the outer ring", i+1)
		}
	}
	return ""
}

// CheckRing returns what is wrong with a linear ring, or "" when it is valid.
// A position repeated in a row is allowed and counts once.
func CheckRing(r orb.Ring) string {
	if len(r) < 4 {
		return fmt.Sprintf("at least 4 positions, got %d", len(r))
	}
	for _, pt := range r {
		if msg := CheckPoint(pt); msg != "" {
			return msg
		}
	}
	if r[0] != r[len(r)-1] {
		return "a closed ring (last position equal to the first)"
	}
	simple, at := dropRepeats(r)
	if len(simple) < 4 || collinear(simple) {
		return "a ring with a non-zero area (it is degenerate)"
	}
	if i, j, ok := selfIntersection(simple); ok {
		return fmt.Sprintf("a ring that does not cross itself (segments %d and %d meet)", at[i], at[j])
	}
	return ""
}

// dropRepeats returns r without positions equal to the one before them, and
// the position in r of each position kept.
func dropRepeats(r orb.Ring) (orb.Ring, []int) {
	out := make(orb.Ring, 0, len(r))
	at := make([]int, 0, len(r))
	for i, pt := range r {
		if i > 0 && pt == r[i-1] {
			continue
		}
		out = append(out, pt)
		at = append(at, i)
	}
	return out, at
}

// collinear reports whether every position of r lies on one line.
func collinear(r orb.Ring) bool {
	for _, pt := range r[1:] {
		if pt != r[0] {
			for _, q := range r {
				if orient(r[0], pt, q) != 0 {
					return false
				}
			}
			return true
		}
	}
	return true
}

// selfIntersection finds two non-adjacent segments of a closed ring that
// touch or cross, or two adjacent ones that overlap. It sweeps the segments
// in order of their west edge, so it is near-linear for ordinary rings.
func selfIntersection(r orb.Ring) (int, int, bool) {
	n := len(r) - 1 // segments
	type seg struct {
		i          int
		minX, maxX float64
	}
	segs := make([]seg, n)
	for i := 0; i < n; i++ {
		a, b := r[i], r[i+1]
		segs[i] = seg{i, math.Min(a[0], b[0]), math.Max(a[0], b[0])}
	}
	sort.Slice(segs, func(x, y int) bool { return segs[x].minX < segs[y].minX })
	for x := 0; x < n; x++ {
		for y := x + 1; y < n && segs[y].minX <= segs[x].maxX; y++ {
			i, j := segs[x].i, segs[y].i
			if i > j {
				i, j = j, i
			}
			a1, a2, b1, b2 := r[i], r[i+1], r[j], r[j+1]
			adjacent := j == i+1 || (i == 0 && j == n-1)
			if adjacent {
				// Adjacent segments share one end; they are bad only when
				// they fold back over each other.
				var shared, pa, pb orb.Point
				if j == i+1 {
					shared, pa, pb = a2, a1, b2
				} else {
					shared, pa, pb = a1, a2, b1
				}
				if orient(shared, pa, pb) == 0 && dot(shared, pa, pb) > 0 {
					return i, j, true
				}
				continue
			}
			if segmentsTouch(a1, a2, b1, b2) {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

func orient(a, b, c orb.Point) float64 {
	v := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

func dot(o, a, b orb.Point) float64 {
	return (a[0]-o[0])*(b[0]-o[0]) + (a[1]-o[1])*(b[1]-o[1])
}

func onSegment(a, b, p orb.Point) bool {
	return math.Min(a[0], b[0]) <= p[0] && p[0] <= math.Max(a[0], b[0]) &&
		math.Min(a[1], b[1]) <= p[1] && p[1] <= math.Max(a[1], b[1])
}

// segmentsTouch reports whether segments a1a2 and b1b2 share any point.
func segmentsTouch(a1, a2, b1, b2 orb.Point) bool {
	d1 := orient(b1, b2, a1)
	d2 := orient(b1, b2, a2)
	d3 := orient(a1, a2, b1)
	d4 := orient(a1, a2, b2)
	if d1*d2 < 0 && d3*d4 < 0 {
		return true
	}
	return (d1 == 0 && onSegment(b1, b2, a1)) || (d2 == 0 && onSegment(b1, b2, a2)) ||
		(d3 == 0 && onSegment(a1, a2, b1)) || (d4 == 0 && onSegment(a1, a2, b2))
}

// ringContainsRing reports whether the hole lies inside the outer ring,
// judged by the hole's vertices: each inside the outer ring or on its
// boundary (a hole may touch the outer ring at a vertex), at least one
// strictly inside.
func ringContainsRing(outer, hole orb.Ring) bool {
	b := outer.Bound()
	inside := 0
	for _, pt := range hole[:len(hole)-1] {
		switch {
		case !b.Contains(pt):
			return false
		case onRing(outer, pt):
		case ringContains(outer, pt):
			inside++
		default:
			return false
		}
	}
	return inside > 0
}

// onRing reports whether pt lies on one of r's segments.
func onRing(r orb.Ring, pt orb.Point) bool {
	for i := 0; i+1 < len(r); i++ {
		if orient(r[i], r[i+1], pt) == 0 && onSegment(r[i], r[i+1], pt) {
			return true
		}
	}
	return false
}

// ringsCross reports whether a segment of a crosses a segment of b at a
// point inside both; touching at a vertex is not crossing.
func ringsCross(a, b orb.Ring) bool {
	bb := b.Bound()
	for i := 0; i+1 < len(a); i++ {
		a1, a2 := a[i], a[i+1]
		if !bb.Intersects(orb.MultiPoint{a1, a2}.Bound()) {
			continue
		}
		for j := 0; j+1 < len(b); j++ {
			b1, b2 := b[j], b[j+1]
			if orient(b1, b2, a1)*orient(b1, b2, a2) < 0 && orient(a1, a2, b1)*orient(a1, a2, b2) < 0 {
				return true
			}
		}
	}
	return false
}

// CheckLineString returns what is wrong with a line, or "" when it is
// valid: at least two positions, valid coordinates, and no two consecutive
// positions the same.
func CheckLineString(l orb.LineString) string {
	if len(l) < 2 {
		return fmt.Sprintf("at least 2 positions, got %d", len(l))
	}
	for j, p := range l {
		if msg := CheckPoint(p); msg != "" {
			return fmt.Sprintf("position %d: %s", j, msg)
		}
		if j > 0 && p == l[j-1] {
			return fmt.Sprintf("position %d repeats position %d", j, j-1)
		}
	}
	return ""
}
