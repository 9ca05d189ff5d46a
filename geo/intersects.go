package geo

import "github.com/paulmach/orb"

// IntersectsBound reports whether geometry g and the closed box b share at
// least one point (planar, in lon/lat): a point in the box, a line with a
// segment that meets it, a polygon with an edge that meets it or that holds
// the box whole (a box inside a hole does not meet the polygon). Touching
// counts. It is the exact test behind a bbox query, after the R-tree has
// picked the candidates by bounding box.
func IntersectsBound(g orb.Geometry, b orb.Bound) bool {
	switch v := g.(type) {
	case nil:
		return false
	case orb.Point:
		return b.Contains(v)
	case orb.MultiPoint:
		for _, p := range v {
			if b.Contains(p) {
				return true
			}
		}
		return false
	case orb.LineString:
		return pathMeets([]orb.Point(v), b, false)
	case orb.MultiLineString:
		for _, ls := range v {
			if pathMeets([]orb.Point(ls), b, false) {
				return true
			}
		}
		return false
	case orb.Ring:
		return polygonMeets(orb.Polygon{v}, b)
	case orb.Polygon:
		return polygonMeets(v, b)
	case orb.MultiPolygon:
		for _, p := range v {
			if polygonMeets(p, b) {
				return true
			}
		}
		return false
	case orb.Bound:
		return v.Intersects(b)
	case orb.Collection:
		for _, c := range v {
			if IntersectsBound(c, b) {
				return true
			}
		}
		return false
	}
	return g.Bound().Intersects(b)
}

// polygonMeets reports whether polygon p meets box b.
func polygonMeets(p orb.Polygon, b orb.Bound) bool {
	if len(p) == 0 || !p[0].Bound().Intersects(b) {
		return false
	}
	for _, r := range p {
		if pathMeets([]orb.Point(r), b, true) {
			return true
		}
	}
	// No edge meets the box: either the box lies wholly inside the outer
	// ring (and outside every hole), or they are apart. Any corner decides.
	c := b.Min
	if !ringContains(p[0], c) {
		return false
	}
	for _, h := range p[1:] {
		if ringContains(h, c) {
			return false
		}
	}
	return true
}

// pathMeets reports whether a polyline (closed when ring is set) has a
// vertex in b or a segment that crosses it.
func pathMeets(pts []orb.Point, b orb.Bound, ring bool) bool {
	n := len(pts)
	if n == 0 {
		return false
	}
	if n == 1 {
		return b.Contains(pts[0])
	}
	for i := 0; i+1 < n; i++ {
		if segmentMeets(pts[i], pts[i+1], b) {
			return true
		}
	}
	return ring && segmentMeets(pts[n-1], pts[0], b)
}

// segmentMeets reports whether segment pq meets the closed box b
// (Liang–Barsky clipping of the segment's parameter range to [0, 1]).
func segmentMeets(p, q orb.Point, b orb.Bound) bool {
	lo, hi := 0.0, 1.0
	dx, dy := q[0]-p[0], q[1]-p[1]
	clip := func(den, num float64) bool {
		// The segment's part with den*t <= num is kept.
		switch {
		case den == 0:
			return num >= 0
		case den > 0:
			if t := num / den; t < hi {
				hi = t
			}
		default:
			if t := num / den; t > lo {
				lo = t
			}
		}
		return lo <= hi
	}
	return clip(-dx, p[0]-b.Min[0]) && clip(dx, b.Max[0]-p[0]) &&
		clip(-dy, p[1]-b.Min[1]) && clip(dy, b.Max[1]-p[1])
}
