package coverage

import (
	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
)

// The resolutions the congruence overlay may sample grids at.
const (
	// MinCongruenceResolution is the coarsest resolution (res 9: cells of
	// about 0.1 km²).
	MinCongruenceResolution = 9
	// MaxCongruenceResolution is the finest resolution (res 13: cells of
	// about 44 m²).
	MaxCongruenceResolution = 13
	// CongruenceMinCells is how many cell centres the adaptive resolution
	// puts in each grid at least (where MaxCongruenceResolution allows).
	CongruenceMinCells = 200
)

// congResolution returns the resolution to sample a grid of areaM2 at
// around pt: res when it is set, else the coarsest resolution in
// [MinCongruenceResolution, MaxCongruenceResolution] whose cells fit
// CongruenceMinCells times in the grid.
func congResolution(res int, areaM2 float64, pt orb.Point) int {
	if res != 0 {
		return res
	}
	for r := MinCongruenceResolution; r < MaxCongruenceResolution; r++ {
		if areaM2/congCellArea(pt, r) >= CongruenceMinCells {
			return r
		}
	}
	return MaxCongruenceResolution
}

// congCellArea returns the area of the H3 cell of resolution res at pt, m².
func congCellArea(pt orb.Point, res int) float64 {
	return geo.CellAreaM2(geo.PointCell(pt, res))
}

// congPolygonCells returns the cells of resolution res whose centre lies in
// p (geo.PolygonCells: the cells h3.PolygonToCells selects, found faster),
// refining the resolution (up to 15) while none does, so that every grid
// gets at least one cell. It returns the cells and the resolution used.
func congPolygonCells(p orb.Polygon, res int) ([]h3.Cell, int) {
	for ; ; res++ {
		cells := geo.PolygonCells(p, res)
		if len(cells) > 0 || res >= 15 {
			return cells, res
		}
	}
}

// congInteriorPoint returns the mean of a polygon's outer ring vertices; it is
// only used to pick a resolution, so it need not lie inside.
func congInteriorPoint(p orb.Polygon) orb.Point {
	if len(p) == 0 || len(p[0]) == 0 {
		return orb.Point{}
	}
	var x, y float64
	for _, q := range p[0] {
		x += q[0]
		y += q[1]
	}
	n := float64(len(p[0]))
	return orb.Point{x / n, y / n}
}
