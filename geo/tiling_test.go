package geo

import (
	"fmt"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

// unit returns the counter-clockwise lattice square (x, y) of about 1 km
// near lon 106.0, lat 37.4.
func unit(x, y float64) orb.Polygon {
	lon, lat := 106.0+x*0.0113, 37.4+y*0.009
	return orb.Polygon{{{lon, lat}, {lon + 0.0113, lat}, {lon + 0.0113, lat + 0.009}, {lon, lat + 0.009}, {lon, lat}}}
}

// indexGrids returns an atlas holding only the grids, as CheckTiling needs.
func indexGrids(polys ...orb.Polygon) *Atlas {
	grids := make([]*Grid, len(polys))
	for i, p := range polys {
		grids[i] = &Grid{ID: fmt.Sprintf("g%d", i), Polygon: p}
	}
	return &Atlas{Grids: NewLayer(grids, 1), gridShapes: prepareAll(grids)}
}

// blockOf returns the unit squares of a w×h block, leaving out the listed ones.
func blockOf(w, h int, skip ...[2]int) []orb.Polygon {
	var out []orb.Polygon
	for y := 0; y < h; y++ {
	next:
		for x := 0; x < w; x++ {
			for _, s := range skip {
				if s == [2]int{x, y} {
					continue next
				}
			}
			out = append(out, unit(float64(x), float64(y)))
		}
	}
	return out
}

func TestCheckTiling(t *testing.T) {
	t.Parallel()
	overlapping := blockOf(2, 2)
	overlapping[1] = orb.Polygon{{overlapping[1][0][0], overlapping[1][0][1], overlapping[1][0][2],
		{106.0 + 0.5*0.0113, 37.4 + 0.009}, {106.0 + 0.5*0.0113, 37.4}}}
	tests := []struct {
		name     string
		grids    []orb.Polygon
		overlaps []string // grid ids of every overlap cell, joined
		gaps     bool
		units    float64 // area covered, in unit squares
	}{
		{"3×3 block", blockOf(3, 3), nil, false, 9},
		{"one grid", blockOf(1, 1), nil, false, 1},
		{"missing centre of 3×3", blockOf(3, 3, [2]int{1, 1}), nil, true, 8},
		{"U-shaped district", blockOf(3, 3, [2]int{1, 1}, [2]int{1, 2}), nil, false, 7},
		{"missing corner", blockOf(3, 3, [2]int{0, 0}), nil, false, 8},
		{"two blocks apart", append(blockOf(1, 1), unit(3, 0)), nil, false, 2},
		{"overlapping neighbours", overlapping, []string{"g0 g1"}, false, 4},
		{"a grid twice", append(blockOf(2, 1), unit(0, 0)), []string{"g0 g2"}, false, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := CheckTiling(indexGrids(tt.grids...), 0)
			require.Equal(t, 10, rep.Resolution)
			require.InEpsilon(t, 12877, rep.CellAreaM2, 0.01)
			area := tt.units * PolygonArea(unit(0, 0))
			require.InEpsilon(t, area, float64(rep.Cells)*rep.CellAreaM2, 0.05, "cells cover the grids")
			sets := map[string]bool{}
			for _, o := range rep.OverlapCells {
				sets[fmt.Sprint(o.Grids[0], " ", o.Grids[1])] = true
			}
			want := map[string]bool{}
			for _, o := range tt.overlaps {
				want[o] = true
			}
			require.Equal(t, want, sets)
			require.Equal(t, tt.gaps, len(rep.GapCells) > 0, "gaps %v", rep.GapCells)
			for _, g := range rep.GapCells {
				require.True(t, Prepare(unit(1, 1)).Contains(g), "gap %v outside the missing square", g)
			}
		})
	}
}

func TestCheckTiling_Empty(t *testing.T) {
	t.Parallel()
	require.Equal(t, TilingReport{}, CheckTiling(indexGrids(), 0))
}

func TestCheckTiling_Resolution(t *testing.T) {
	t.Parallel()
	rep := CheckTiling(indexGrids(blockOf(2, 2)...), 8)
	require.Equal(t, 8, rep.Resolution)
	require.Empty(t, rep.GapCells)
	tests := []struct {
		name string
		b    orb.Bound
		want int
	}{
		{"2 km", orb.Bound{Min: orb.Point{106, 37.4}, Max: orb.Point{106.02, 37.42}}, 10},
		{"50 km", orb.Bound{Min: orb.Point{106, 37.4}, Max: orb.Point{106.6, 37.85}}, 9},
		{"100 km", orb.Bound{Min: orb.Point{106, 37.4}, Max: orb.Point{107.13, 38.3}}, 9},
		{"300 km", orb.Bound{Min: orb.Point{106, 37.4}, Max: orb.Point{109.4, 40.1}}, 8},
		{"20 degrees", orb.Bound{Min: orb.Point{90, 20}, Max: orb.Point{110, 40}}, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, tilingResolution(tt.b))
		})
	}
}

func TestTilingReport_Problems(t *testing.T) {
	t.Parallel()
	var rep TilingReport
	for i := 0; i < 7; i++ {
		rep.OverlapCells = append(rep.OverlapCells,
			OverlapCell{Point: orb.Point{1, 2}, Grids: []string{"a", "b"}},
			OverlapCell{Point: orb.Point{1, 2}, Grids: []string{fmt.Sprint("c", i), "d"}})
		rep.GapCells = append(rep.GapCells, orb.Point{3, 4})
	}
	var ps Problems
	rep.problems(&ps, func(id string) int { return len(id) })
	require.Len(t, ps, 12)
	require.Equal(t, Problem{Layer: LayerGrids, Index: 1, ID: "a", Field: "geometry",
		Expected: `a grid that does not overlap grids ["b"]; they share 7 sample points, e.g. 1.000000,2.000000`}, ps[0])
	require.Equal(t, 2, ps[1].Index)
	require.Contains(t, ps[5].Expected, "3 more sets of overlapping grids")
	require.Contains(t, ps[6].Expected, "no grid covers 3.000000,4.000000")
	require.Contains(t, ps[11].Expected, "2 more gap sample points")
}
