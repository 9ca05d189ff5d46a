package geo_test

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
)

// squares returns unit lattice squares at the given (x, y) steps.
func squares(at ...[2]float64) []orb.Polygon {
	out := make([]orb.Polygon, len(at))
	for i, xy := range at {
		out[i] = block(xy[0], xy[1], xy[0]+1, xy[1]+1)
	}
	return out
}

func sumArea(ps []orb.Polygon) float64 {
	var a float64
	for _, p := range ps {
		a += geo.PolygonArea(p)
	}
	return a
}

func TestDissolve(t *testing.T) {
	t.Parallel()
	ringOf8 := squares([2]float64{0, 0}, [2]float64{1, 0}, [2]float64{2, 0}, [2]float64{0, 1},
		[2]float64{2, 1}, [2]float64{0, 2}, [2]float64{1, 2}, [2]float64{2, 2})
	clockwise := squares([2]float64{0, 0}, [2]float64{1, 0})
	clockwise[1][0] = reversedRing(clockwise[1][0])
	tests := []struct {
		name     string
		in       []orb.Polygon
		polygons int
		holes    []int // holes of each polygon
	}{
		{"one square", squares([2]float64{0, 0}), 1, []int{0}},
		{"2×2 squares", squares([2]float64{0, 0}, [2]float64{1, 0}, [2]float64{0, 1}, [2]float64{1, 1}), 1, []int{0}},
		{"L shape", squares([2]float64{0, 0}, [2]float64{1, 0}, [2]float64{0, 1}), 1, []int{0}},
		{"inputs wound either way", clockwise, 1, []int{0}},
		{"ring of 8 round a missing centre", ringOf8, 1, []int{1}},
		{"two squares touching at a corner", squares([2]float64{0, 0}, [2]float64{1, 1}), 2, []int{0, 0}},
		{"two apart", squares([2]float64{0, 0}, [2]float64{3, 0}), 2, []int{0, 0}},
		{"enclave touching the edge at a vertex", squares([2]float64{1, 0}, [2]float64{2, 0}, [2]float64{0, 1},
			[2]float64{2, 1}, [2]float64{0, 2}, [2]float64{1, 2}, [2]float64{2, 2}), 1, []int{1}},
		{"jittered mesh", mesh(6, 4, 21), 1, []int{0}},
		{"nothing", nil, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := geo.Dissolve(tt.in)
			require.Len(t, got, tt.polygons)
			for i, p := range got {
				require.Len(t, p, 1+tt.holes[i], "polygon %d", i)
				require.Empty(t, geo.CheckPolygon(p), "polygon %d", i)
				require.Greater(t, geo.RingArea(p[0]), 0.0, "outer ring counter-clockwise")
				for _, h := range p[1:] {
					require.Less(t, geo.RingArea(h), 0.0, "hole clockwise")
				}
			}
			if len(tt.in) > 0 {
				require.InEpsilon(t, sumArea(tt.in), geo.MultiPolygonArea(got), 1e-9)
			}
			require.Equal(t, got, geo.Dissolve(tt.in), "deterministic")
		})
	}
}

func TestDissolve_OutlineOf2x2(t *testing.T) {
	t.Parallel()
	got := geo.Dissolve(squares([2]float64{0, 0}, [2]float64{1, 0}, [2]float64{0, 1}, [2]float64{1, 1}))
	require.Len(t, got, 1)
	ring := got[0][0]
	require.Equal(t, ring[0], ring[len(ring)-1], "closed")
	require.ElementsMatch(t, []orb.Point{
		cellAt(0, 0), cellAt(1, 0), cellAt(2, 0), cellAt(2, 1), cellAt(2, 2), cellAt(1, 2), cellAt(0, 2), cellAt(0, 1),
	}, []orb.Point(ring[:len(ring)-1]), "the outline keeps the vertices on shared edges, and no inner vertex")
}

func TestDissolve_H3(t *testing.T) {
	t.Parallel()
	centre := h3.LatLngToCell(h3.NewLatLng(lat0, lon0), 10)
	disk := centre.GridDisk(3)
	require.Len(t, disk, 37)
	tests := []struct {
		name  string
		cells []h3.Cell
		holes int
	}{
		{"disk of radius 3", disk, 0},
		{"disk without its centre", without(disk, centre), 1},
		{"disk without a ring-1 neighbour", without(disk, centre.GridDisk(1)[1]), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			polys := make([]orb.Polygon, len(tt.cells))
			var want float64
			for i, c := range tt.cells {
				polys[i] = orb.Polygon{cellRing(c)}
				want += h3.CellAreaM2(c)
			}
			got := geo.Dissolve(polys)
			require.Len(t, got, 1)
			require.Len(t, got[0], 1+tt.holes)
			require.Empty(t, geo.CheckPolygon(got[0]))
			require.InEpsilon(t, want, geo.MultiPolygonArea(got), 0.005)
			require.InEpsilon(t, sumArea(polys), geo.MultiPolygonArea(got), 1e-9)
			if tt.holes == 1 {
				require.Less(t, geo.RingArea(got[0][1]), 0.0)
				require.InEpsilon(t, h3.CellAreaM2(centre), -geo.RingArea(got[0][1]), 0.005)
			}
		})
	}
}

func without(cells []h3.Cell, drop h3.Cell) []h3.Cell {
	var out []h3.Cell
	for _, c := range cells {
		if c != drop {
			out = append(out, c)
		}
	}
	return out
}
