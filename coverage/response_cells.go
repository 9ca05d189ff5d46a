package coverage

import (
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
)

// responseCells is the set of H3 cells a response analysis looks at, with
// the people and incidents in each.
type responseCells struct {
	res       int
	cells     []h3.Cell // sorted
	index     map[h3.Cell]int
	pop       []float64 // people in each cell
	incidents []int     // incidents whose point falls in each cell
	// shares give each grid its people by cell: the per-grid figures are
	// taken over them.
	shares []share
}

// share is part of a grid's population living in one cell; in the
// district scope every cell of the grid has a share, empty or not.
type share struct {
	grid, cell int
	pop        float64
}

// settlementShares returns, for each settlement, the cells at res whose
// centre lies in its footprint, sharing its people equally; a footprint
// too small to hold a cell centre gets the cell of its centroid.
func settlementShares(a *geo.Atlas, res int) (cells []h3.Cell, pops []float64, grids []int) {
	for _, s := range a.Settlements.Items() {
		cs := geo.PolygonCells(s.Polygon, res)
		if len(cs) == 0 {
			c, _ := planar.CentroidArea(s.Polygon)
			cs = []h3.Cell{geo.PointCell(c, res)}
		}
		per := float64(s.Population) / float64(len(cs))
		g := a.Grids.Index(s.Grid)
		for _, c := range cs {
			cells, pops, grids = append(cells, c), append(pops, per), append(grids, g)
		}
	}
	return cells, pops, grids
}

// newSettlementCells builds the cells of the settlements at res.
func newSettlementCells(a *geo.Atlas, res int) *responseCells {
	cells, pops, grids := settlementShares(a, res)
	rc := &responseCells{res: res}
	rc.setCells(cells)
	rc.pop = make([]float64, len(rc.cells))
	for i, c := range cells {
		j := rc.index[c]
		rc.pop[j] += pops[i]
		if grids[i] >= 0 {
			rc.shares = append(rc.shares, share{grid: grids[i], cell: j, pop: pops[i]})
		}
	}
	rc.countIncidents(a)
	return rc
}

// newDistrictCells builds the cells at res of the whole district (every
// cell whose centre lies in a grid, belonging to that grid) with the
// people of the settlements, counted on finer cells and added to the
// district cell holding each. A settlement cell whose parent's centre lies
// outside every grid adds that parent to its settlement's grid.
func newDistrictCells(a *geo.Atlas, res, fineRes int, stop *stopper) *responseCells {
	var cells []h3.Cell
	var gridOf []int
	for gi, g := range a.Grids.Items() {
		if stop.now() != nil {
			return &responseCells{res: res}
		}
		for _, c := range geo.PolygonCells(g.Polygon, res) {
			cells, gridOf = append(cells, c), append(gridOf, gi)
		}
	}
	fine, pops, grids := settlementShares(a, fineRes)
	for i, c := range fine {
		cells, gridOf = append(cells, geo.CellParent(c, res)), append(gridOf, grids[i])
	}
	rc := &responseCells{res: res}
	rc.setCells(cells)
	owner := make([]int, len(rc.cells))
	for i := range owner {
		owner[i] = -1
	}
	for i, c := range cells { // the first claim wins: grid polyfill, then settlements
		if j := rc.index[c]; owner[j] < 0 {
			owner[j] = gridOf[i]
		}
	}
	rc.pop = make([]float64, len(rc.cells))
	for i, c := range fine {
		rc.pop[rc.index[geo.CellParent(c, res)]] += pops[i]
	}
	for j, g := range owner {
		if g >= 0 {
			rc.shares = append(rc.shares, share{grid: g, cell: j, pop: rc.pop[j]})
		}
	}
	rc.countIncidents(a)
	return rc
}

// setCells sorts and deduplicates cells into rc.cells and indexes them.
func (rc *responseCells) setCells(cells []h3.Cell) {
	rc.cells = slices.Compact(slices.Sorted(slices.Values(cells)))
	rc.index = make(map[h3.Cell]int, len(rc.cells))
	for i, c := range rc.cells {
		rc.index[c] = i
	}
}

// countIncidents counts the incidents whose point falls in each cell.
func (rc *responseCells) countIncidents(a *geo.Atlas) {
	rc.incidents = make([]int, len(rc.cells))
	for _, in := range a.Incidents.Items() {
		if j, ok := rc.index[geo.PointCell(in.Point, rc.res)]; ok {
			rc.incidents[j]++
		}
	}
}

// centre returns the centre of cell j.
func (rc *responseCells) centre(j int) orb.Point { return geo.CellCenter(rc.cells[j]) }
