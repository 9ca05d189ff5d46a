package geo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/planar"
	"github.com/stretchr/testify/require"
)

func TestIntersectsBound(t *testing.T) {
	t.Parallel()
	box := func(x0, y0, x1, y1 float64) orb.Bound {
		return orb.Bound{Min: orb.Point{x0, y0}, Max: orb.Point{x1, y1}}
	}
	// An L whose bounding box is [0,3]x[0,3]; its empty corner is [1,3]x[1,3].
	ell := orb.Polygon{{{0, 0}, {3, 0}, {3, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}}
	withHole := orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {1, 3}, {3, 3}, {3, 1}, {1, 1}}}
	tests := []struct {
		name string
		g    orb.Geometry
		b    orb.Bound
		want bool
	}{
		{"box in the L's empty corner", ell, box(2, 2, 2.5, 2.5), false},
		{"box over the L's inner corner", ell, box(0.5, 0.5, 2, 2), true},
		{"box touching the L's inner edge", ell, box(1, 2, 2, 2.5), true},
		{"box wholly inside the L", ell, box(0.2, 0.2, 0.5, 0.5), true},
		{"L wholly inside the box", ell, box(-1, -1, 4, 4), true},
		{"box apart", ell, box(5, 5, 6, 6), false},
		{"box inside the hole", withHole, box(1.5, 1.5, 2.5, 2.5), false},
		{"box across the hole's edge", withHole, box(0.5, 1.5, 1.5, 2.5), true},
		{"box inside the polygon, outside the hole", withHole, box(3.2, 3.2, 3.8, 3.8), true},
		{"multipolygon, second part", orb.MultiPolygon{{{{10, 10}, {11, 10}, {11, 11}, {10, 10}}}, ell}, box(0.2, 0.2, 0.3, 0.3), true},
		{"point inside", orb.Point{1, 1}, box(0, 0, 2, 2), true},
		{"point on the edge", orb.Point{2, 1}, box(0, 0, 2, 2), true},
		{"point outside", orb.Point{3, 1}, box(0, 0, 2, 2), false},
		{"diagonal line through the box, no vertex in it", orb.LineString{{-1, -1}, {3, 3}}, box(0, 0, 2, 2), true},
		{"line passing beside the box", orb.LineString{{-1, 2}, {2, 5}}, box(0, 0, 2, 2), false},
		{"line ending at the corner", orb.LineString{{-1, -1}, {0, 0}}, box(0, 0, 2, 2), true},
		{"vertical line in the box's span, above it", orb.LineString{{1, 3}, {1, 4}}, box(0, 0, 2, 2), false},
		{"multipoint, one in", orb.MultiPoint{{5, 5}, {1, 1}}, box(0, 0, 2, 2), true},
		{"nil", nil, box(0, 0, 2, 2), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, IntersectsBound(tt.g, tt.b))
		})
	}
}

// TestIntersectsBound_MatchesClipping compares the test with orb's clip on
// random boxes over random star-shaped polygons (with holes) and lines: a
// polygon meets a box when its clipped area is positive, a line when
// clipping leaves a piece. Random float boxes practically never merely touch.
func TestIntersectsBound_MatchesClipping(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(16, 1))
	star := func(cx, cy, r float64, n int) orb.Ring {
		ring := make(orb.Ring, 0, n+1)
		for k := range n {
			a := 2 * math.Pi * float64(k) / float64(n)
			d := r * (0.3 + 0.7*rng.Float64())
			ring = append(ring, orb.Point{cx + d*math.Cos(a), cy + d*math.Sin(a)})
		}
		return append(ring, ring[0])
	}
	hits := 0
	for i := range 3000 {
		cx, cy := rng.Float64()*10, rng.Float64()*10
		outer := star(cx, cy, 3, 5+rng.IntN(20))
		var g orb.Geometry
		switch i % 3 {
		case 0:
			g = orb.Polygon{outer}
		case 1:
			hole := star(cx, cy, 0.25, 6)
			g = orb.Polygon{outer, reverseRing(hole)}
		default:
			g = orb.LineString(outer[:len(outer)-1])
		}
		x, y := rng.Float64()*12-1, rng.Float64()*12-1
		b := orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + rng.Float64()*2, y + rng.Float64()*2}}
		var want bool
		switch v := g.(type) {
		case orb.Polygon:
			want = planar.Area(clip.Polygon(b, v.Clone())) > 0
		case orb.LineString:
			want = len(clip.LineString(b, v.Clone())) > 0
		}
		if want {
			hits++
		}
		require.Equal(t, want, IntersectsBound(g, b), fmt.Sprintf("case %d: %v in %v", i, g, b))
	}
	require.Greater(t, hits, 300, "the boxes hit often enough to test something")
	require.Less(t, hits, 2700, "and miss often enough")
}

func reverseRing(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}
