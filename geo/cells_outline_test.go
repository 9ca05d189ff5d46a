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

var outlineOrigin = geo.PointCell(orb.Point{106.07, 37.42}, 12)

// cellsVertexSet returns the distinct vertices of a ring (without the closing one).
func cellsVertexSet(r orb.Ring) map[orb.Point]bool {
	m := map[orb.Point]bool{}
	for _, p := range r[:len(r)-1] {
		m[p] = true
	}
	return m
}

// cellsTotalArea sums the cells' own areas.
func cellsTotalArea(cs []h3.Cell) float64 {
	var a float64
	for _, c := range cs {
		a += geo.CellAreaM2(c)
	}
	return a
}

func TestCellsOutline_KnownShapes(t *testing.T) {
	t.Parallel()
	disk1 := outlineOrigin.GridDisk(1)
	ring2 := slices.DeleteFunc(outlineOrigin.GridDisk(2), func(c h3.Cell) bool { return slices.Contains(disk1, c) })
	far := geo.PointCell(orb.Point{106.2, 37.5}, 12).GridDisk(2)
	cases := []struct {
		name     string
		cells    []h3.Cell
		parts    int
		holes    int
		vertices int // of the first outer ring
	}{
		{"one cell", []h3.Cell{outlineOrigin}, 1, 0, 6},
		{"disk of radius 1", disk1, 1, 0, 18},
		{"disk of radius 3", outlineOrigin.GridDisk(3), 1, 0, 42},
		{"ring around a hole", ring2, 1, 1, 30},
		{"two disks apart", append(slices.Clone(disk1), far...), 2, 0, 18},
		{"duplicates", append(slices.Clone(disk1), disk1...), 1, 0, 18},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mp := geo.CellsOutline(tc.cells)
			require.Len(t, mp, tc.parts)
			holes := 0
			for _, p := range mp {
				holes += len(p) - 1
			}
			require.Equal(t, tc.holes, holes)
			require.Len(t, mp[0][0], tc.vertices+1)
			require.InEpsilon(t, cellsTotalArea(cellsUnique(tc.cells)), geo.MultiPolygonArea(mp), 1e-6)
		})
	}
}

func cellsUnique(cs []h3.Cell) []h3.Cell {
	out := slices.Clone(cs)
	slices.Sort(out)
	return slices.Compact(out)
}

func TestCellsOutline_ExactVertices(t *testing.T) {
	t.Parallel()
	// One cell: its own boundary. A ring of cells: the hole is exactly the
	// outline of the cells it encloses, run clockwise.
	single := geo.CellsOutline([]h3.Cell{outlineOrigin})
	require.Equal(t, cellsVertexSet(geo.CellRing(outlineOrigin)), cellsVertexSet(single[0][0]))

	disk1 := outlineOrigin.GridDisk(1)
	ring2 := slices.DeleteFunc(outlineOrigin.GridDisk(2), func(c h3.Cell) bool { return slices.Contains(disk1, c) })
	inner := geo.CellsOutline(disk1)[0][0]
	hole := geo.CellsOutline(ring2)[0][1]
	require.Less(t, geo.RingArea(hole), 0.0, "holes run clockwise")
	require.Len(t, hole, len(inner))
	for p := range cellsVertexSet(hole) {
		// Each hole vertex is a vertex of a cell of the disk, within the
		// matching tolerance of the disk's own outline.
		found := false
		for q := range cellsVertexSet(inner) {
			found = found || (cellsAbs(p[0]-q[0]) < 1e-9 && cellsAbs(p[1]-q[1]) < 1e-9)
		}
		require.True(t, found, "hole vertex %v", p)
	}
}

func cellsAbs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestCellParts_RandomBlobs(t *testing.T) {
	t.Parallel()
	for seed := range 8 {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(uint64(seed), 9))
			res := 9 + seed%5
			disk := geo.PointCell(orb.Point{106 + rng.Float64(), 37 + rng.Float64()}, res).GridDisk(12)
			var in []h3.Cell
			member := map[h3.Cell]bool{}
			for _, c := range disk {
				if rng.Float64() < 0.55 {
					in = append(in, c)
					member[c] = true
				}
			}
			parts := geo.CellParts(in)
			cellsCheckParts(t, in, member, parts)
			// Outside cells' centres are outside every part.
			for _, c := range disk {
				if member[c] {
					continue
				}
				for _, p := range parts {
					require.False(t, geo.Prepare(p.Polygon).Contains(geo.CellCenter(c)), "non-member %v", c)
				}
			}
		})
	}
}

// cellsCheckParts checks parts against an independent computation: connected
// components by breadth-first search over H3 neighbours, areas by
// CellAreaM2, centres inside their part's polygon, simple rings.
func cellsCheckParts(t *testing.T, in []h3.Cell, member map[h3.Cell]bool, parts []geo.CellPart) {
	t.Helper()
	comp := map[h3.Cell]int{}
	n := 0
	for _, c := range cellsUnique(in) {
		if _, ok := comp[c]; ok {
			continue
		}
		queue := []h3.Cell{c}
		comp[c] = n
		for len(queue) > 0 {
			cur := queue[0]
			queue = queue[1:]
			for _, nb := range cur.GridDisk(1) {
				if _, seen := comp[nb]; member[nb] && !seen {
					comp[nb] = n
					queue = append(queue, nb)
				}
			}
		}
		n++
	}
	require.Len(t, parts, n)
	var total int
	for i, p := range parts {
		total += len(p.Cells)
		require.True(t, slices.IsSorted(p.Cells))
		if i > 0 {
			require.Less(t, parts[i-1].Cells[0], p.Cells[0], "parts by smallest cell")
		}
		want := comp[p.Cells[0]]
		prep := geo.Prepare(p.Polygon)
		for _, c := range p.Cells {
			require.Equal(t, want, comp[c])
			require.True(t, prep.Contains(geo.CellCenter(c)), "cell %v in its part", c)
		}
		require.Greater(t, geo.RingArea(p.Polygon[0]), 0.0)
		for _, h := range p.Polygon[1:] {
			require.Less(t, geo.RingArea(h), 0.0)
		}
		for _, r := range p.Polygon {
			require.Len(t, cellsVertexSet(r), len(r)-1, "a simple ring")
		}
		require.InEpsilon(t, cellsTotalArea(p.Cells), geo.PolygonArea(p.Polygon), 1e-6)
	}
	require.Equal(t, len(member), total)
}
