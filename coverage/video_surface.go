package coverage

import (
	"cmp"
	"slices"

	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
)

// VideoPlaceRadiusM is the radius of the watched surface around a key
// place, metres: the cells whose centre lies within it, and always the cell
// that holds the place.
const VideoPlaceRadiusM = 25

// VideoWholeGridMaxCells bounds the cells of a whole-grid watched surface
// (a dataset without settlements): its resolution is the finest, no finer
// than the coverage's, at which the grids hold at most this many cells of
// average size. A surface cell then counts as seen when the centre of its
// centre child at the coverage's resolution is.
const VideoWholeGridMaxCells = 250_000

// videoSurface is the watched surface: where the people are (the
// settlements) plus the key places, or every grid whole where a dataset has
// no settlements, as H3 cells each owned by one grid.
type videoSurface struct {
	res       int                  // resolution of the surface cells
	whole     bool                 // the surface is the grids, whole
	cells     [][]videoSurfaceCell // by owner grid, sorted by cell
	settles   []videoSettle        // by settlement index
	settlesOf [][]int32            // settlement indices by grid
	gridArea  []float64            // exact area of each grid, m²
	placeCell []h3.Cell            // the surface cell holding each place
	byCell    []videoSurfaceRef    // every surface cell, sorted by cell
	byProbe   []videoSurfaceRef    // the same, sorted by probe
}

// videoSurfaceCell is one cell of the watched surface.
type videoSurfaceCell struct {
	cell   h3.Cell // at the surface's resolution
	probe  h3.Cell // the cell at the coverage's resolution whose seen state it takes
	bucket int32   // the bucket holding probe
	area   int64   // videoAreaUnit
	pop    float64 // people spread on it
	place  int32   // the first key place whose surface includes it, or -1
}

// videoSurfaceRef locates a surface cell: its owner grid and position.
type videoSurfaceRef struct {
	key  h3.Cell
	grid int32
	pos  int32
}

// owner returns the grid owning surface cell c and c's position in it.
func (s *videoSurface) owner(c h3.Cell) (grid, pos int32, ok bool) {
	return findRef(s.byCell, c)
}

// probeOwner returns the grid owning the surface cell whose probe is p.
func (s *videoSurface) probeOwner(p h3.Cell) (int32, bool) {
	g, _, ok := findRef(s.byProbe, p)
	return g, ok
}

func findRef(refs []videoSurfaceRef, c h3.Cell) (int32, int32, bool) {
	i, ok := slices.BinarySearchFunc(refs, c, func(r videoSurfaceRef, c h3.Cell) int { return cmp.Compare(r.key, c) })
	if !ok {
		return 0, 0, false
	}
	return refs[i].grid, refs[i].pos, true
}

// videoSettle holds a settlement's cells: coverage of its area is estimated
// per settlement as its exact area times the share of its cells' area seen.
type videoSettle struct {
	area     float64 // exact, m²
	pop      int
	cellArea int64 // videoAreaUnit
	cells    []videoSettleCell
}

type videoSettleCell struct {
	probe  h3.Cell
	bucket int32
	area   int64
}

// surfaceClaim is a grid's claim on a cell; the first claim on a cell (in
// claim order: settlements in layer order, then places) makes the owner.
type surfaceClaim struct {
	cell, probe h3.Cell
	grid        int32
	pop         float64
	place       int32
}

func buildVideoSurface(a *geo.Atlas, t *videoTable) *videoSurface {
	n := a.Grids.Len()
	s := &videoSurface{res: t.res, cells: make([][]videoSurfaceCell, n), settlesOf: make([][]int32, n),
		gridArea: make([]float64, n), placeCell: make([]h3.Cell, a.Places.Len())}
	for i, g := range a.Grids.Items() {
		s.gridArea[i] = geo.PolygonArea(g.Polygon)
	}
	var claims []surfaceClaim
	areas := t
	if a.Settlements.Len() == 0 {
		claims, areas = s.wholeGrids(a, t)
	} else {
		claims = s.settlements(a, t)
		claims = s.places(a, claims)
	}
	s.finish(claims, t, areas)
	return s
}

func (s *videoSurface) settlements(a *geo.Atlas, t *videoTable) []surfaceClaim {
	var claims []surfaceClaim
	s.settles = make([]videoSettle, a.Settlements.Len())
	for si, st := range a.Settlements.Items() {
		g := int32(a.Grids.Index(st.Grid))
		if g < 0 {
			continue
		}
		cs := geo.PolygonCells(st.Polygon, s.res)
		if len(cs) == 0 { // smaller than a cell: take the cell it is in
			cs = []h3.Cell{geo.PointCell(st.Polygon.Bound().Center(), s.res)}
		}
		sc := videoSettle{area: geo.PolygonArea(st.Polygon), pop: st.Population, cells: make([]videoSettleCell, len(cs))}
		for i, c := range cs {
			sc.cells[i] = videoSettleCell{probe: c, bucket: t.gridOf(c), area: t.areaOf(c)}
			sc.cellArea += sc.cells[i].area
		}
		for _, c := range sc.cells {
			claims = append(claims, surfaceClaim{cell: c.probe, probe: c.probe, grid: g, place: -1,
				pop: float64(st.Population) * float64(c.area) / float64(sc.cellArea)})
		}
		s.settles[si] = sc
		s.settlesOf[g] = append(s.settlesOf[g], int32(si))
	}
	return claims
}

func (s *videoSurface) places(a *geo.Atlas, claims []surfaceClaim) []surfaceClaim {
	for pi, p := range a.Places.Items() {
		own := geo.PointCell(p.Point, s.res)
		s.placeCell[pi] = own
		g := int32(a.Grids.Index(p.Grid))
		if g < 0 {
			continue
		}
		for _, c := range geo.NewSector(p.Point, 0, 360, VideoPlaceRadiusM).AppendCells([]h3.Cell{own}, s.res) {
			claims = append(claims, surfaceClaim{cell: c, probe: c, grid: g, place: int32(pi)})
		}
	}
	return claims
}

// wholeGrids makes every grid its own watched surface, at the finest
// resolution that keeps the cells under VideoWholeGridMaxCells, and returns
// the claims and the table that gives the surface cells' areas.
func (s *videoSurface) wholeGrids(a *geo.Atlas, t *videoTable) ([]surfaceClaim, *videoTable) {
	s.whole = true
	s.res = wholeSurfaceResolution(s.gridArea, t.res)
	areas := t
	if s.res != t.res {
		areas = newVideoTable(a, s.res)
	}
	var claims []surfaceClaim
	for gi, g := range a.Grids.Items() {
		cs := geo.PolygonCells(g.Polygon, s.res)
		if len(cs) == 0 {
			cs = []h3.Cell{geo.PointCell(g.Polygon.Bound().Center(), s.res)}
		}
		var sum int64
		for _, c := range cs {
			sum += areas.areaOf(c)
		}
		for _, c := range cs {
			claims = append(claims, surfaceClaim{cell: c, probe: geo.CellCenterChild(c, t.res), grid: int32(gi), place: -1,
				pop: float64(g.Population) * float64(areas.areaOf(c)) / float64(sum)})
		}
	}
	for pi, p := range a.Places.Items() {
		s.placeCell[pi] = geo.PointCell(p.Point, s.res)
		if g := int32(a.Grids.Index(p.Grid)); g >= 0 {
			claims = append(claims, surfaceClaim{cell: s.placeCell[pi], grid: -1, place: int32(pi)})
		}
	}
	return claims, areas
}

// wholeSurfaceResolution returns the resolution of a whole-grid surface:
// the finest, no finer than res, at which grids of the given areas hold at
// most VideoWholeGridMaxCells cells of average size.
func wholeSurfaceResolution(gridArea []float64, res int) int {
	var total float64
	for _, ar := range gridArea {
		total += ar
	}
	for res > 0 && total/h3.HexagonAreaAvgM2(res) > VideoWholeGridMaxCells {
		res--
	}
	return res
}

// finish settles the claims: sorted by cell (stably, so claim order
// decides ties), the first claim on a cell owns it, people add up and the
// first place marks it. A claim with grid -1 only marks a place on a cell
// another claim owns.
func (s *videoSurface) finish(claims []surfaceClaim, t, areas *videoTable) {
	slices.SortStableFunc(claims, func(x, y surfaceClaim) int { return cmp.Compare(x.cell, y.cell) })
	for i := 0; i < len(claims); {
		c := claims[i]
		e := videoSurfaceCell{cell: c.cell, probe: c.probe, place: -1}
		owner := int32(-1)
		for ; i < len(claims) && claims[i].cell == c.cell; i++ {
			if owner < 0 && claims[i].grid >= 0 {
				owner, e.probe = claims[i].grid, claims[i].probe
			}
			e.pop += claims[i].pop
			if e.place < 0 {
				e.place = claims[i].place
			}
		}
		if owner < 0 {
			continue
		}
		e.bucket, e.area = t.gridOf(e.probe), areas.areaOf(e.cell)
		s.byCell = append(s.byCell, videoSurfaceRef{key: e.cell, grid: owner, pos: int32(len(s.cells[owner]))})
		s.cells[owner] = append(s.cells[owner], e)
	}
	s.byProbe = s.byCell
	if s.whole {
		s.byProbe = make([]videoSurfaceRef, len(s.byCell))
		for i, r := range s.byCell {
			s.byProbe[i] = videoSurfaceRef{key: s.cells[r.grid][r.pos].probe, grid: r.grid, pos: r.pos}
		}
		slices.SortFunc(s.byProbe, func(x, y videoSurfaceRef) int { return cmp.Compare(x.key, y.key) })
	}
}
