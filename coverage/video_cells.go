package coverage

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
)

// videoAreaUnit is the unit of the integer cell areas that coverage sums, in
// square metres. Sums of integers do not depend on their order, so a grid's
// figures come out the same whether they are computed from scratch or
// updated camera by camera.
const videoAreaUnit = 1e-4

// Ancestor levels of the memoised cell facts: a cell's area is that of the
// centre descendant of its ancestor at resolution videoAreaAncestor (or
// four levels up from resolution 13; cells within 1 km share an area to
// 1.2e-4, tested), and a cell's grid is
// decided for a whole ancestor 3, 2 or 1 levels up when every descendant's
// centre lies deep inside one grid (or far from every grid), else from the
// cell's own centre.
const videoAreaAncestor = 8

var videoGridLevels = [...]int{3, 2, 1}

// videoTable memoises two facts about cells of one resolution: their area
// and the grid containing their centre. Both are pure functions of the
// cell, so results do not depend on the order cells are met in. A table is
// written by one goroutine while a result is built and is read-only once
// the result is published; later work forks it (reads fall through to the
// parent, writes stay local).
type videoTable struct {
	parent *videoTable
	atlas  *geo.Atlas
	res    int
	shapes []geo.PreparedPolygon
	area   videoMemo[int64]                       // by ancestor at areaRes
	grid   [len(videoGridLevels)]videoMemo[int32] // by ancestor: grid, or mixedGrids
	reach  [len(videoGridLevels)]float64          // how far descendants' centres stray from the ancestor's, metres
}

// videoMemo maps ancestors to a value, remembering the last one asked for:
// cells met in index order share their ancestors.
type videoMemo[V any] struct {
	m       map[h3.Cell]V
	last    h3.Cell
	lastVal V
}

// mixedGrids marks an ancestor whose descendants may lie in different grids.
const mixedGrids = -2

func newVideoTable(a *geo.Atlas, res int) *videoTable {
	t := &videoTable{atlas: a, res: res, shapes: make([]geo.PreparedPolygon, a.Grids.Len())}
	for i, g := range a.Grids.Items() {
		t.shapes[i] = geo.Prepare(g.Polygon)
	}
	for i, up := range videoGridLevels {
		t.reach[i] = videoReach(res-up, res)
	}
	t.init()
	return t
}

func (t *videoTable) init() {
	t.area = videoMemo[int64]{m: map[h3.Cell]int64{}}
	for i := range t.grid {
		t.grid[i] = videoMemo[int32]{m: map[h3.Cell]int32{}}
	}
}

// fork returns a table that reads t and memoises into maps of its own.
func (t *videoTable) fork() *videoTable {
	f := &videoTable{parent: t, atlas: t.atlas, res: t.res, shapes: t.shapes, reach: t.reach}
	f.init()
	return f
}

// memoised returns the value of ancestor anc in the memo picked from t or
// its parents, computing and memoising it in t when none has it.
func memoised[V any](t *videoTable, pick func(*videoTable) *videoMemo[V], anc h3.Cell, compute func() V) V {
	m := pick(t)
	if anc == m.last && m.last != 0 {
		return m.lastVal
	}
	for p := t; p != nil; p = p.parent {
		if v, ok := pick(p).m[anc]; ok {
			m.last, m.lastVal = anc, v
			return v
		}
	}
	v := compute()
	m.m[anc] = v
	m.last, m.lastVal = anc, v
	return v
}

// videoReach bounds the distance from a cell's centre at resolution
// from to the centres of its descendants at resolution to: a child's centre
// is one neighbour spacing from its parent's at most, so the spacings add
// up; 1.3 allows for cells larger than average (tested).
func videoReach(from, to int) float64 {
	var d float64
	for r := from + 1; r <= to; r++ {
		d += geo.CellSpacingM(r)
	}
	return 1.3 * d
}

// outside returns the bucket of cells outside every grid.
func (t *videoTable) outside() int32 { return int32(len(t.shapes)) }

// areaOf returns the area of a cell at the table's resolution, in videoAreaUnit.
func (t *videoTable) areaOf(c h3.Cell) int64 {
	anc := geo.CellParent(c, min(t.res, max(videoAreaAncestor, t.res-4)))
	return memoised(t, func(t *videoTable) *videoMemo[int64] { return &t.area }, anc, func() int64 {
		return int64(math.Round(geo.CellAreaM2(geo.CellCenterChild(anc, t.res)) / videoAreaUnit))
	})
}

// gridOf returns the index of the grid containing the centre of cell c at
// the table's resolution, or outside().
func (t *videoTable) gridOf(c h3.Cell) int32 {
	for i, up := range videoGridLevels {
		anc := geo.CellParent(c, t.res-up)
		g := memoised(t, func(t *videoTable) *videoMemo[int32] { return &t.grid[i] }, anc, func() int32 {
			return t.pureGrid(anc, t.reach[i])
		})
		if g != mixedGrids {
			return g
		}
	}
	return t.gridAt(geo.CellCenter(c))
}

// gridAt returns the index of the grid containing pt, or outside().
func (t *videoTable) gridAt(pt orb.Point) int32 {
	if g, ok := t.atlas.GridAt(pt); ok {
		return int32(t.atlas.Grids.Index(g.ID))
	}
	return t.outside()
}

// pureGrid returns the grid that holds every point within reach metres of
// the ancestor's centre (outside() when no grid comes that close), or mixedGrids.
func (t *videoTable) pureGrid(anc h3.Cell, reach float64) int32 {
	pt := geo.CellCenter(anc)
	margin := reach*1.01 + 1
	g := t.gridAt(pt)
	if g != t.outside() {
		if videoBoundaryDistance(t.shapes[g].Polygon, pt) > margin {
			return g
		}
		return mixedGrids
	}
	lonM, latM := geo.MetresPerDegree(pt[1])
	dl, dp := margin/lonM, margin/latM
	box := orb.Bound{Min: orb.Point{pt[0] - dl, pt[1] - dp}, Max: orb.Point{pt[0] + dl, pt[1] + dp}}
	near := false
	t.atlas.Grids.Search(box, func(i int) bool {
		if videoBoundaryDistance(t.shapes[i].Polygon, pt) <= margin {
			near = true
			return false
		}
		return true
	})
	if near {
		return mixedGrids
	}
	return g
}

// videoBoundaryDistance returns the distance from pt to the nearest edge of p,
// metres, in the equirectangular plane at pt (straight lon/lat edges stay
// straight; within a few kilometres it is within 0.1% of the true distance).
func videoBoundaryDistance(p orb.Polygon, pt orb.Point) float64 {
	lonM, latM := geo.MetresPerDegree(pt[1])
	best := math.Inf(1)
	for _, r := range p {
		for i := 0; i+1 < len(r); i++ {
			ax, ay := (r[i][0]-pt[0])*lonM, (r[i][1]-pt[1])*latM
			bx, by := (r[i+1][0]-pt[0])*lonM, (r[i+1][1]-pt[1])*latM
			best = math.Min(best, videoSegmentDist2(ax, ay, bx, by))
		}
	}
	return math.Sqrt(best)
}

// videoSegmentDist2 returns the squared distance from the origin to the
// segment from (ax, ay) to (bx, by).
func videoSegmentDist2(ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l2))
	}
	x, y := ax+t*dx, ay+t*dy
	return x*x + y*y
}
