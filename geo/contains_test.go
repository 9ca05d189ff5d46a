package geo

import (
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

func TestPreparedPolygon_Contains(t *testing.T) {
	t.Parallel()
	withHole := orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {1, 3}, {3, 3}, {3, 1}, {1, 1}}}
	u := orb.Polygon{{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}}
	tests := []struct {
		name string
		p    orb.Polygon
		pt   orb.Point
		want bool
	}{
		{"in the ring of a square with a hole", withHole, orb.Point{0.5, 2}, true},
		{"in the hole", withHole, orb.Point{2, 2}, false},
		{"outside", withHole, orb.Point{5, 2}, false},
		{"in the bound, left of the ring", u, orb.Point{1.5, 2}, false},
		{"in an arm of the U", u, orb.Point{2.5, 2}, true},
		{"level with a vertex", u, orb.Point{0.5, 1}, true},
		{"empty polygon", orb.Polygon{}, orb.Point{0, 0}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, Prepare(tt.p).Contains(tt.pt))
		})
	}
}

// TestRingContains_SharedEdge checks that two triangles sharing a slanted
// edge, wound opposite ways along it, split points on and near the edge
// between them: never both, never neither.
func TestRingContains_SharedEdge(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 1))
	for k := 0; k < 2000; k++ {
		a := orb.Point{106 + rng.Float64()*0.01, 37.4 + rng.Float64()*0.01}
		b := orb.Point{106.02 + rng.Float64()*0.01, 37.42 + rng.Float64()*0.01}
		left := orb.Ring{a, b, {105.99, 37.45}, a}
		right := orb.Ring{b, a, {106.05, 37.39}, b}
		for s := 0; s < 20; s++ {
			f := rng.Float64()
			pt := orb.Point{a[0] + f*(b[0]-a[0]), a[1] + f*(b[1]-a[1])}
			require.NotEqual(t, ringContains(left, pt), ringContains(right, pt), "%v on %v-%v", pt, a, b)
		}
	}
}

func TestRingCentroid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		r    orb.Ring
		want orb.Point
	}{
		{"square", orb.Ring{{106, 37}, {106.002, 37}, {106.002, 37.002}, {106, 37.002}, {106, 37}}, orb.Point{106.001, 37.001}},
		{"clockwise square", orb.Ring{{106, 37}, {106, 37.002}, {106.002, 37.002}, {106.002, 37}, {106, 37}}, orb.Point{106.001, 37.001}},
		{"L of three unit cells", orb.Ring{{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}, {0, 0}}, orb.Point{5.0 / 6, 5.0 / 6}},
		{"degenerate", orb.Ring{{1, 1}, {2, 2}, {1, 1}}, orb.Point{1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := ringCentroid(tt.r)
			require.InDelta(t, tt.want[0], got[0], 1e-12)
			require.InDelta(t, tt.want[1], got[1], 1e-12)
		})
	}
}
