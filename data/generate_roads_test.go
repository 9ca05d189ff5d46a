package data

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// segmentsCross reports whether segments ab and cd cross at a point inside
// both (an independent check: orientation signs in lon/lat).
func segmentsCross(a, b, c, d orb.Point) bool {
	o := func(p, q, r orb.Point) float64 { return (q[0]-p[0])*(r[1]-p[1]) - (q[1]-p[1])*(r[0]-p[0]) }
	return o(a, b, c)*o(a, b, d) < 0 && o(c, d, a)*o(c, d, b) < 0
}

func TestGenerate_RoadsCrossCanalsOnlyAtBridges(t *testing.T) {
	t.Parallel()
	d, _ := mustScaleOne(t)
	require.NotEmpty(t, d.Waterways)
	bridges, crossings := 0, 0
	for _, r := range d.Roads {
		if r.Bridge {
			bridges++
		}
		for i := 1; i < len(r.Line); i++ {
			for _, w := range d.Waterways {
				for j := 1; j < len(w.Line); j++ {
					if segmentsCross(r.Line[i-1], r.Line[i], w.Line[j-1], w.Line[j]) {
						crossings++
						require.True(t, r.Bridge, "road %s segment %d crosses waterway %s and is not a bridge", r.ID, i-1, w.ID)
					}
				}
			}
		}
	}
	require.Positive(t, crossings, "roads cross canals")
	require.GreaterOrEqual(t, bridges, 10)
}

func TestGenerate_RoadsConnectedAndReachSettlements(t *testing.T) {
	t.Parallel()
	d, _ := mustScaleOne(t)
	parent := map[orb.Point]orb.Point{}
	var find func(p orb.Point) orb.Point
	find = func(p orb.Point) orb.Point {
		q, ok := parent[p]
		if !ok || q == p {
			parent[p] = p
			return p
		}
		r := find(q)
		parent[p] = r
		return r
	}
	for _, r := range d.Roads {
		require.Equal(t, r.Class.DefaultSpeedKMH(), r.SpeedKMH, r.ID)
		for i := 1; i < len(r.Line); i++ {
			parent[find(r.Line[i-1])] = find(r.Line[i])
		}
	}
	roots := map[orb.Point]bool{}
	for p := range parent {
		roots[find(p)] = true
	}
	require.Len(t, roots, 1, "every road of the default district is reachable from every other")
	// Every settlement has a road near its footprint's centroid (a
	// settlement farther than spurMinM from the network gets a road from
	// the centre its footprint is drawn around), measured by brute force
	// over every segment.
	worst := 0.0
	for _, s := range d.Settlements {
		c, _ := planar.CentroidArea(s.Polygon)
		best := 1e18
		for _, r := range d.Roads {
			for i := 1; i < len(r.Line); i++ {
				best = min(best, pointSegmentM(c, r.Line[i-1], r.Line[i]))
			}
		}
		worst = max(worst, best)
		require.Less(t, best, 100.0, "settlement %s is %.0f m from the nearest road", s.ID, best)
	}
	t.Logf("farthest settlement centroid from a road: %.0f m", worst)
}

// pointSegmentM is the distance in metres from p to segment ab, on a local
// equirectangular projection.
func pointSegmentM(p, a, b orb.Point) float64 {
	mx, my := geo.MetresPerDegree(p[1])
	ax, ay := (a[0]-p[0])*mx, (a[1]-p[1])*my
	bx, by := (b[0]-p[0])*mx, (b[1]-p[1])*my
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = max(0, min(1, -(ax*dx+ay*dy)/l2))
	}
	x, y := ax+t*dx, ay+t*dy
	return math.Hypot(x, y)
}
