package geo_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
)

// cellsRandom returns n cells at resolution res around Hongsibao.
func cellsRandom(rng *rand.Rand, n, res int) []h3.Cell {
	out := make([]h3.Cell, n)
	for i := range out {
		out[i] = geo.PointCell(orb.Point{105.5 + rng.Float64(), 37 + rng.Float64()}, res)
	}
	return out
}

func TestCellBits_MatchH3(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 1))
	for res := 0; res <= 15; res++ {
		for _, c := range cellsRandom(rng, 20, res) {
			require.Equal(t, c.Resolution(), geo.CellResolution(c))
			for p := 0; p <= res; p++ {
				require.Equal(t, c.Parent(p), geo.CellParent(c, p), "res %d parent %d", res, p)
			}
			for ch := res; ch <= 15; ch++ {
				require.Equal(t, c.CenterChild(ch), geo.CellCenterChild(c, ch), "res %d centre child %d", res, ch)
			}
		}
	}
}

func TestCellRing_CounterClockwiseWithTheCellsArea(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(2, 1))
	for _, res := range []int{7, 9, 11, 12, 13} {
		for _, c := range cellsRandom(rng, 10, res) {
			r := geo.CellRing(c)
			require.Equal(t, r[0], r[len(r)-1], "closed")
			require.Greater(t, geo.RingArea(r), 0.0, "counter-clockwise")
			require.InEpsilon(t, geo.CellAreaM2(c), geo.RingArea(r), 1e-6, "res %d", res)
			require.True(t, geo.Prepare(geo.CellPolygon(c)).Contains(geo.CellCenter(c)))
		}
	}
}

func TestSortCells(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 1))
	cases := []struct {
		name string
		cs   []h3.Cell
	}{
		{"empty", nil},
		{"small", cellsRandom(rng, 100, 12)},
		{"large", cellsRandom(rng, 20_000, 12)},
		{"mixed resolutions", append(cellsRandom(rng, 5000, 9), cellsRandom(rng, 5000, 13)...)},
		{"duplicates", slices.Repeat(cellsRandom(rng, 1000, 11), 5)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := slices.Clone(tc.cs)
			want := slices.Clone(tc.cs)
			slices.Sort(want)
			geo.SortCells(got)
			require.Equal(t, want, got)
		})
	}
}

func TestPolygonCells_MatchCentreSelection(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(4, 1))
	for i := range 30 {
		res := 9 + i%4
		c := orb.Point{106 + rng.Float64(), 37 + rng.Float64()}
		var ring orb.Ring
		n := 5 + rng.IntN(25)
		for j := range n {
			ring = append(ring, geo.Destination(c, -float64(j)*360/float64(n), 150+rng.Float64()*2500/float64(13-res)))
		}
		poly := orb.Polygon{append(ring, ring[0])}
		if i%3 == 0 { // a hole
			var hole orb.Ring
			for j := range 6 {
				hole = append(hole, geo.Destination(c, float64(j)*60, 60))
			}
			poly = append(poly, append(hole, hole[0]))
		}
		t.Run(fmt.Sprintf("polygon%d", i), func(t *testing.T) {
			t.Parallel()
			// Independent: every cell of a generous disk, by exact centre.
			prep := geo.Prepare(poly)
			var want []h3.Cell
			for _, cell := range geo.PointCell(c, res).GridDisk(int(3000/geo.CellSpacingM(res)) + 3) {
				if prep.Contains(geo.CellCenter(cell)) {
					want = append(want, cell)
				}
			}
			slices.Sort(want)
			require.Equal(t, want, geo.PolygonCells(poly, res))
			// And H3's own centre selection agrees.
			gp := h3.GeoPolygon{}
			for k, r := range poly {
				loop := make(h3.GeoLoop, len(r)-1)
				for j := range loop {
					loop[j] = h3.NewLatLng(r[j][1], r[j][0])
				}
				if k == 0 {
					gp.GeoLoop = loop
				} else {
					gp.Holes = append(gp.Holes, loop)
				}
			}
			h := h3.PolygonToCells(gp, res)
			slices.Sort(h)
			require.Equal(t, want, h)
		})
	}
}
