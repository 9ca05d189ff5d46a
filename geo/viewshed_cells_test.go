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

// bruteSectorCells tests the exact centre of every cell of a disk far wider
// than the sector.
func bruteSectorCells(s geo.Sector, res int) []h3.Cell {
	k := int(s.RangeM/(geo.CellSpacingM(res)*0.5)) + 3
	var out []h3.Cell
	for _, c := range geo.PointCell(s.Center, res).GridDisk(k) {
		if s.Contains(geo.CellCenter(c)) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

func TestSectorCells_MatchBruteForce(t *testing.T) {
	t.Parallel()
	for res := 9; res <= 13; res++ {
		t.Run(fmt.Sprintf("res%d", res), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(uint64(res), 7))
			maxRange := 1500.0 * float64(int(1)<<max(0, 12-res)) / 2
			if res == 13 {
				maxRange = 300
			}
			for i := range 40 {
				c := orb.Point{100 + 10*rng.Float64(), 30 + 10*rng.Float64()}
				fov := 5 + rng.Float64()*355
				if i%4 == 0 {
					fov = 360
				}
				s := geo.NewSector(c, rng.Float64()*360, fov, 3+rng.Float64()*rng.Float64()*maxRange)
				want := bruteSectorCells(s, res)
				require.Equal(t, want, s.Cells(res), "sector %d: %+v", i, s)
			}
		})
	}
}

func TestSectorCells_NearAPentagonFallsBackToExactCentres(t *testing.T) {
	t.Parallel()
	// A pentagon sits at a vertex of the icosahedron, where the
	// lattice model does not hold; the cells must still be exact.
	var pent h3.Cell
	for _, p := range h3.Pentagons(11) {
		pent = p
		break
	}
	c := geo.CellCenter(pent)
	for _, fov := range []float64{360, 70} {
		s := geo.NewSector(geo.Destination(c, 30, 60), 10, fov, 200)
		require.Equal(t, bruteSectorCells(s, 11), s.Cells(11), "fov %g", fov)
	}
}

func TestSectorCells_AreaConvergesToTheSector(t *testing.T) {
	t.Parallel()
	// Centre sampling is unbiased: the cells' area approaches the sector's
	// as they shrink.
	s := geo.NewSector(orb.Point{106.07, 37.42}, 75, 120, 600)
	for res, tol := range map[int]float64{10: 0.08, 11: 0.03, 12: 0.01, 13: 0.004} {
		var area float64
		for _, c := range s.Cells(res) {
			area += geo.CellAreaM2(c)
		}
		require.InDelta(t, 1, area/s.AreaM2(), tol, "res %d: cells %.0f m², sector %.0f m²", res, area, s.AreaM2())
	}
}

func TestSectorCellMasks_SampleTheChildren(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(8, 8))
	for _, res := range []int{10, 11, 12} {
		for i := range 12 {
			c := orb.Point{105 + 2*rng.Float64(), 36 + 2*rng.Float64()}
			fov := 20 + rng.Float64()*340
			if i%3 == 0 {
				fov = 360
			}
			s := geo.NewSector(c, rng.Float64()*360, fov, 20+rng.Float64()*6*geo.CellSpacingM(res))
			masks := s.AppendCellMasks(nil, res)
			geo.SortCellMasks(masks)
			var centres []h3.Cell
			for _, m := range masks {
				require.NotZero(t, m.Mask)
				if m.Mask&1 != 0 {
					centres = append(centres, m.Cell)
				}
				// Bits 1–6 are the outer children's centres: each bit agrees
				// with the exact child, but for a child within a centimetre
				// of the sector's edge.
				var inside, edge int
				for _, ch := range m.Cell.Children(res + 1)[1:] {
					p := geo.CellCenter(ch)
					if s.Contains(p) {
						inside++
					}
					if nearEdge(s, p) {
						edge++
					}
				}
				got := 0
				for b := 1; b < 7; b++ {
					got += int(m.Mask>>b) & 1
				}
				require.InDelta(t, inside, got, float64(edge), "res %d cell %v mask %07b", res, m.Cell, m.Mask)
			}
			require.Equal(t, s.Cells(res), centres, "bit 0 is Cells")
			// No cell with a child inside is missing.
			listed := map[h3.Cell]bool{}
			for _, m := range masks {
				listed[m.Cell] = true
			}
			for _, cell := range geo.PointCell(s.Center, res).GridDisk(int(s.RangeM/geo.CellSpacingM(res)) + 4) {
				if listed[cell] {
					continue
				}
				for _, ch := range cell.Children(res + 1) {
					require.False(t, s.Contains(geo.CellCenter(ch)) && !nearEdge(s, geo.CellCenter(ch)), "res %d: cell %v has a child inside", res, cell)
				}
			}
		}
	}
}

// nearEdge reports whether p is within a centimetre of the sector's edge
// (or of its apex).
func nearEdge(s geo.Sector, p orb.Point) bool {
	if geo.Distance(p, s.Center) < 0.01 {
		return true
	}
	for b := 0.0; b < 360; b += 45 {
		if s.Contains(geo.Destination(p, b, 0.01)) != s.Contains(p) {
			return true
		}
	}
	return false
}
