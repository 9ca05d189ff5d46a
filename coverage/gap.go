package coverage

import (
	"cmp"
	"math"
	"slices"
	"sync"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
)

// Weights of the gap priority, in resident-equivalents.
const (
	// VideoGapIncidentWeight is what one incident a year weighs.
	VideoGapIncidentWeight = 10
	// VideoGapPlaceWeight is what one key place weighs.
	VideoGapPlaceWeight = 50
)

// VideoGapPriority returns the priority of a gap: the people it holds, plus
// VideoGapIncidentWeight per incident a year in it and VideoGapPlaceWeight per key
// place in it,
//
//	priority = population + 10 · incidents · 365 / window_days + 50 · places
//
// in resident-equivalents: a gap where one incident a year happens weighs
// as much as ten unwatched residents, a key place (a school, a clinic, a
// village entrance) as much as fifty. Incidents are annualised so that the
// priority does not grow with the window.
func VideoGapPriority(population float64, incidents, places, windowDays int) float64 {
	perYear := 0.0
	if windowDays > 0 {
		perYear = float64(incidents) * 365 / float64(windowDays)
	}
	return population + VideoGapIncidentWeight*perYear + VideoGapPlaceWeight*float64(places)
}

// VideoGap is one edge-connected part of a grid's watched surface that no
// camera of the variant sees: surface cells whose centre no viewshed holds.
type VideoGap struct {
	// ID is "{grid}-{smallest cell}", stable for the same data.
	ID string
	// Grid is the grid whose watched surface the gap is part of.
	Grid *geo.Grid
	// Polygon is the outline of the gap's cells (geo.CellParts).
	Polygon orb.Polygon
	// Cells is the number of H3 cells in the gap.
	Cells int
	// AreaM2 is the area of the gap's cells, whole square metres.
	AreaM2 float64
	// Population is the people living in the gap's cells (each
	// settlement's people spread over its cells), to one decimal.
	Population float64
	// Incidents is the number of incidents in the window outside every
	// viewshed whose cell is in the gap.
	Incidents int
	// Places is the number of key places outside every viewshed attributed
	// to the gap: the gap holding the place's own cell, else the first gap
	// holding a cell of the place's surroundings (VideoPlaceRadiusM).
	Places int
	// Priority is VideoGapPriority of the gap's Population, Incidents and
	// Places.
	Priority float64
}

// VideoGapQuery selects gaps. The zero value selects every gap of the installed
// variant over a window of the default length.
type VideoGapQuery struct {
	// Variant is the cameras counted.
	Variant Variant
	// Window is the window incidents are counted in.
	Window Window
	// Grid, Village and Township, when set, keep the gaps of that unit.
	Grid, Village, Township string
	// BBoxes, when set, keep the gaps whose bounding box meets one of them.
	BBoxes []orb.Bound
	// MinAreaM2 drops gaps smaller than this.
	MinAreaM2 float64
	// Limit, when positive, keeps the first Limit gaps.
	Limit int
}

// videoGapMemo holds a grid's gaps for one variant, computed once.
type videoGapMemo struct {
	once   sync.Once
	parts  []videoGapPart
	partOf map[h3.Cell]int32 // surface cell → part
}

// videoGapPart is a gap without its window-dependent incident count.
type videoGapPart struct {
	id     string
	cells  int
	poly   orb.Polygon
	bound  orb.Bound
	area   float64
	pop    float64
	places int
}

// Gaps returns the gaps that match q, by priority (highest first; ties by
// larger area, then id), and how many matched before q.Limit.
func (v *Video) Gaps(q VideoGapQuery) ([]VideoGap, int) {
	if q.Window.Days == 0 {
		q.Window.Days = DefaultWindowDays
	}
	a := v.atlas
	k := q.Variant.index()
	keep := make([]bool, a.Grids.Len())
	for i, g := range a.Grids.Items() {
		keep[i] = (q.Grid == "" || g.ID == q.Grid) && (q.Village == "" || g.Village == q.Village) &&
			(q.Township == "" || g.Township == q.Township)
	}
	incidents := v.gapIncidents(q, keep)
	var out []VideoGap
	for gi, g := range a.Grids.Items() {
		if !keep[gi] {
			continue
		}
		m := v.gaps(int32(gi), k)
		for pi, p := range m.parts {
			if p.area < q.MinAreaM2 || !videoMeetsAny(p.bound, q.BBoxes) {
				continue
			}
			n := incidents[[2]int32{int32(gi), int32(pi)}]
			pop := math.Round(p.pop*10) / 10
			out = append(out, VideoGap{ID: p.id, Grid: g, Polygon: p.poly, Cells: p.cells, AreaM2: p.area,
				Population: pop, Incidents: n, Places: p.places,
				Priority: VideoGapPriority(pop, n, p.places, q.Window.Days)})
		}
	}
	slices.SortFunc(out, func(x, y VideoGap) int {
		if c := cmp.Compare(y.Priority, x.Priority); c != 0 {
			return c
		}
		if c := cmp.Compare(y.AreaM2, x.AreaM2); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})
	matched := len(out)
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, matched
}

// gapIncidents counts, per (grid, part), the incidents in the window that
// no camera of the variant sees, in the kept grids' gaps.
func (v *Video) gapIncidents(q VideoGapQuery, keep []bool) map[[2]int32]int {
	_, surf := v.static.surface()
	k := q.Variant.index()
	cells := v.static.incidentCells(v.atlas, surf.res)
	out := map[[2]int32]int{}
	for i, inc := range v.atlas.Incidents.Items() {
		if v.incSeen[i][k] > 0 || !q.Window.Contains(inc.Time) {
			continue
		}
		g, _, ok := surf.owner(cells[i])
		if !ok || !keep[g] {
			continue
		}
		if p, ok := v.gaps(g, k).partOf[cells[i]]; ok {
			out[[2]int32{g, p}]++
		}
	}
	return out
}

func videoMeetsAny(b orb.Bound, boxes []orb.Bound) bool {
	if boxes == nil {
		return true
	}
	for _, box := range boxes {
		if b.Intersects(box) {
			return true
		}
	}
	return false
}

// gaps returns grid g's gaps for variant k, computing them once.
func (v *Video) gaps(g int32, k int) *videoGapMemo {
	m := &v.grids[g].gaps[k]
	m.once.Do(func() { v.computeGaps(g, k, m) })
	return m
}

// computeGaps outlines the parts of grid g's surface that variant k does
// not see and sums what each holds.
func (v *Video) computeGaps(g int32, k int, m *videoGapMemo) {
	_, surf := v.static.surface()
	cells := surf.cells[g]
	var open []h3.Cell
	for _, c := range cells {
		if !v.seenCell(c.bucket, c.probe, k) {
			open = append(open, c.cell)
		}
	}
	parts := geo.CellParts(open)
	pos := make(map[h3.Cell]int32, len(cells))
	for i, c := range cells {
		pos[c.cell] = int32(i)
	}
	m.parts = make([]videoGapPart, len(parts))
	m.partOf = make(map[h3.Cell]int32, len(open))
	grid := v.atlas.Grids.At(int(g))
	for pi, p := range parts {
		gp := videoGapPart{id: grid.ID + "-" + p.Cells[0].String(), cells: len(p.Cells), poly: p.Polygon, bound: p.Polygon.Bound()}
		var area int64
		for _, c := range p.Cells {
			m.partOf[c] = int32(pi)
			e := cells[pos[c]]
			area += e.area
			gp.pop += e.pop
		}
		gp.area = math.Round(float64(area) * videoAreaUnit)
		m.parts[pi] = gp
	}
	v.attributePlaces(g, k, m)
}

// attributePlaces counts each unseen key place of grid g in one gap: the
// gap holding the place's own cell, else the first gap (in cell order)
// holding a cell of its surroundings.
func (v *Video) attributePlaces(g int32, k int, m *videoGapMemo) {
	_, surf := v.static.surface()
	for pi := range v.atlas.Places.Items() {
		if v.static.plcGrid[pi] != g || v.plcSeen[pi][k] > 0 {
			continue
		}
		part, ok := m.partOf[surf.placeCell[pi]]
		if !ok {
			for _, c := range surf.cells[g] {
				if c.place == int32(pi) {
					if part, ok = m.partOf[c.cell]; ok {
						break
					}
				}
			}
		}
		if ok {
			m.parts[part].places++
		}
	}
}
