package geo

import "github.com/paulmach/orb"

// ringContains reports whether pt is inside ring r by the even-odd rule.
// A point exactly on an edge may go either way, but the same way for every
// ring that has the edge: each edge is evaluated from its lower end whichever
// way the ring runs, so neighbours that share an edge (same two vertices)
// never both claim, or both miss, a point near it.
func ringContains(r orb.Ring, pt orb.Point) bool {
	in := false
	x, y := pt[0], pt[1]
	n := len(r)
	for i, j := 0, n-1; i < n; j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a[1] > y) == (b[1] > y) {
			continue
		}
		if a[1] > b[1] {
			a, b = b, a
		}
		if x < (b[0]-a[0])*(y-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// PreparedPolygon is a polygon with its ring bounds computed once, for fast
// repeated point-in-polygon tests.
type PreparedPolygon struct {
	// Polygon is the polygon itself.
	Polygon orb.Polygon
	// Bounds are the bounds of each ring of Polygon.
	Bounds []orb.Bound
}

// Prepare computes the ring bounds of p.
func Prepare(p orb.Polygon) PreparedPolygon {
	bs := make([]orb.Bound, len(p))
	for i, r := range p {
		bs[i] = r.Bound()
	}
	return PreparedPolygon{Polygon: p, Bounds: bs}
}

// Contains reports whether pt is inside the polygon: inside its outer ring
// and outside every hole.
func (pp PreparedPolygon) Contains(pt orb.Point) bool {
	if len(pp.Polygon) == 0 || !pp.Bounds[0].Contains(pt) || !ringContains(pp.Polygon[0], pt) {
		return false
	}
	for i, h := range pp.Polygon[1:] {
		if pp.Bounds[i+1].Contains(pt) && ringContains(h, pt) {
			return false
		}
	}
	return true
}
