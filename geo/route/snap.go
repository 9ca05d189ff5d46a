package route

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// Place is a point snapped to the network: the nearest point of a road
// segment that the point reaches off-road without crossing a barrier.
type Place struct {
	// Point is the point itself.
	Point orb.Point
	// On is the nearest point of the road segment.
	On orb.Point
	// AccessM is the length of the access leg from Point to On, metres.
	AccessM float64

	seg    int32
	fromA  float64 // metres along the segment from its first node to On
	toB    float64 // metres from On to its second node
	onRoad bool
}

// Snapped reports whether the place reached a road.
func (p Place) Snapped() bool { return p.onRoad }

// Snap snaps p to the nearest road segment within the network's access
// distance whose access leg crosses no barrier. ok is false when there is
// none.
func (n *Network) Snap(p orb.Point) (Place, bool) {
	if len(n.segs) == 0 {
		return Place{Point: p}, false
	}
	mLon, mLat := metresPerDegree(p[1])
	minM := math.Min(mLon, mLat)
	best := Place{Point: p, AccessM: math.Inf(1)}
	target := [2]float64(p)
	n.tree.Nearby(rtree.BoxDist[float64, int32](target, target, nil), func(_, _ [2]float64, si int32, d2 float64) bool {
		lower := math.Sqrt(d2) * minM
		if lower > n.maxAcc || lower > best.AccessM {
			return false
		}
		s := &n.segs[si]
		on := closestOnSegment(p, n.pts[s.a], n.pts[s.b], mLon, mLat)
		d := Distance(p, on)
		if d > best.AccessM || d == best.AccessM && si > best.seg || d > n.maxAcc {
			return true // ties go to the segment that comes first
		}
		if d > 0 && n.crossesBarrier(p, on) {
			return true
		}
		best = Place{Point: p, On: on, AccessM: d, seg: si, fromA: Distance(n.pts[s.a], on), toB: Distance(on, n.pts[s.b]), onRoad: true}
		return true
	})
	if !best.onRoad {
		return Place{Point: p}, false
	}
	return best, true
}

// metresPerDegree returns metres per degree of longitude and latitude at
// a latitude, on the sphere.
func metresPerDegree(lat float64) (float64, float64) {
	m := EarthRadius * math.Pi / 180
	return m * math.Cos(lat*math.Pi/180), m
}

// closestOnSegment returns the point of segment ab nearest p, on a local
// equirectangular projection around p.
func closestOnSegment(p, a, b orb.Point, mLon, mLat float64) orb.Point {
	ax, ay := (a[0]-p[0])*mLon, (a[1]-p[1])*mLat
	bx, by := (b[0]-p[0])*mLon, (b[1]-p[1])*mLat
	dx, dy := bx-ax, by-ay
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return a
	}
	t := -(ax*dx + ay*dy) / l2
	switch {
	case t <= 0:
		return a
	case t >= 1:
		return b
	}
	return orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
}
