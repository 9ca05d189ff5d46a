package route

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
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
// distance whose access leg crosses no barrier; of segments equally near,
// the one that comes first. ok is false when there is none.
func (n *Network) Snap(p orb.Point) (Place, bool) {
	return n.SnapWithin(p, n.maxAcc)
}

// snapFirstBoxM is the half-size of the first box Snap searches; each
// next box is four times larger, up to the access distance.
const snapFirstBoxM = 250

// SnapWithin is Snap with the access distance capped at maxM metres (never
// more than the network's own).
//
// It searches boxes of growing size around p: every segment within r
// metres of p meets the box of half-size r, so once the nearest segment
// whose access leg crosses no barrier lies within r it is the answer.
func (n *Network) SnapWithin(p orb.Point, maxM float64) (Place, bool) {
	maxM = math.Min(maxM, n.maxAcc)
	if len(n.segs) == 0 || !(maxM >= 0) {
		return Place{Point: p}, false
	}
	mLon, mLat := metresPerDegree(p[1])
	type cand struct {
		d  float64
		si int32
		on orb.Point
	}
	var cands []cand
	for r := math.Min(snapFirstBoxM, maxM); ; r = math.Min(4*r, maxM) {
		// 1% margin: the box in degrees is computed at p's latitude.
		dLon, dLat := 1.01*r/mLon, 1.01*r/mLat
		cands = cands[:0]
		n.tree.Search([2]float64{p[0] - dLon, p[1] - dLat}, [2]float64{p[0] + dLon, p[1] + dLat}, func(_, _ [2]float64, si int32) bool {
			s := &n.segs[si]
			on := closestOnSegment(p, n.pts[s.a], n.pts[s.b], mLon, mLat)
			if d := Distance(p, on); d <= r {
				cands = append(cands, cand{d, si, on})
			}
			return true
		})
		slices.SortFunc(cands, func(a, b cand) int {
			if a.d != b.d {
				return cmp.Compare(a.d, b.d)
			}
			return cmp.Compare(a.si, b.si)
		})
		for _, c := range cands {
			if c.d > 0 && n.crossesBarrier(p, c.on) {
				continue
			}
			s := &n.segs[c.si]
			return Place{Point: p, On: c.on, AccessM: c.d, seg: c.si, fromA: Distance(n.pts[s.a], c.on),
				toB: Distance(c.on, n.pts[s.b]), onRoad: true}, true
		}
		if r >= maxM {
			return Place{Point: p}, false
		}
	}
}

// maxCachedSnaps bounds the snaps SnapCached keeps.
const maxCachedSnaps = 1 << 20

// SnapCached is Snap of a fixed point named by key (an H3 cell's centre,
// say), remembered for the network's lifetime: the network is immutable,
// so the answer never changes. point is called, on a miss only, for the
// point, which must be the same for a key on every call. It keeps at most
// about a million answers, then computes the rest.
func (n *Network) SnapCached(key uint64, point func() orb.Point) (Place, bool) {
	if v, ok := n.snaps.Load(key); ok {
		p := v.(Place)
		return p, p.onRoad
	}
	p, ok := n.Snap(point())
	if n.snapCount.Load() < maxCachedSnaps {
		if _, loaded := n.snaps.LoadOrStore(key, p); !loaded {
			n.snapCount.Add(1)
		}
	}
	return p, ok
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
