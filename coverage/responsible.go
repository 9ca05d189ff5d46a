package coverage

import (
	"slices"
	"sort"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// Responsibility says whose a point is: the grid containing it with its
// village and township, the police beat containing it with its station,
// and the responders assigned to the grid. Outside every grid the point is
// outside the district and every field but Point is empty.
type Responsibility struct {
	// Point is the point asked about (WGS84).
	Point orb.Point
	// InsideDistrict reports whether a grid contains the point.
	InsideDistrict bool
	// Grid is the grid containing the point.
	Grid *geo.Grid
	// Village is the grid's village, when the atlas has it.
	Village *geo.Village
	// Township is the grid's township, when the atlas has it.
	Township *geo.Township
	// Beat is the police beat containing the point.
	Beat *geo.Beat
	// Station is the beat's police station.
	Station *geo.Station
	// Assigned are the responders assigned to the grid, by id.
	Assigned []*geo.Responder
}

// Responsible answers whose point pt is. as indexes the responders by
// grid; when it is nil or was built for another responders layer, the
// layer is scanned.
func Responsible(a *geo.Atlas, pt orb.Point, as *Assignments) Responsibility {
	out := Responsibility{Point: pt}
	g, ok := a.GridAt(pt)
	if !ok {
		return out
	}
	out.InsideDistrict, out.Grid = true, g
	if v, ok := a.Villages.Get(g.Village); ok {
		out.Village = v
	}
	if t, ok := a.Townships.Get(g.Township); ok {
		out.Township = t
	}
	if b, ok := a.BeatAt(pt); ok {
		out.Beat = b
		if s, ok := a.Stations.Get(b.Station); ok {
			out.Station = s
		}
	}
	if as == nil || !as.For(a.Responders) {
		as = NewAssignments(a.Responders)
	}
	out.Assigned = as.Of(g.ID)
	return out
}

// Assignments indexes one responders layer by the grids each responder is
// assigned to.
type Assignments struct {
	layer  *geo.Layer[*geo.Responder]
	ids    []string   // by layer position
	grids  [][]string // by layer position
	byGrid map[string][]int
}

// NewAssignments indexes l. Each grid's responders are sorted by id.
func NewAssignments(l *geo.Layer[*geo.Responder]) *Assignments {
	items := l.Items()
	as := &Assignments{layer: l, ids: make([]string, len(items)), grids: make([][]string, len(items)),
		byGrid: make(map[string][]int, len(items)/2)}
	for i, r := range items {
		as.ids[i], as.grids[i] = r.ID, r.Grids
		for _, g := range r.Grids {
			as.byGrid[g] = append(as.byGrid[g], i)
		}
	}
	for _, is := range as.byGrid {
		sort.Slice(is, func(a, b int) bool { return items[is[a]].ID < items[is[b]].ID })
	}
	return as
}

// Reindex returns an index of l: as itself when it was built for l, an
// index sharing as's when l holds the same ids in the same order assigned
// to the same grids (as after position updates, which change nothing
// else), or a new index. Checking costs one pass over l without
// allocating, far less than rebuilding.
func (as *Assignments) Reindex(l *geo.Layer[*geo.Responder]) *Assignments {
	if as == nil {
		return NewAssignments(l)
	}
	if as.For(l) {
		return as
	}
	if len(as.ids) != l.Len() {
		return NewAssignments(l)
	}
	for i := range l.Len() { // At, not Items: a layer after Update builds Items on demand
		if r := l.At(i); r.ID != as.ids[i] || !slices.Equal(r.Grids, as.grids[i]) {
			return NewAssignments(l)
		}
	}
	return &Assignments{layer: l, ids: as.ids, grids: as.grids, byGrid: as.byGrid}
}

// Moved returns the index of next, given that next is prev with only the
// named responders replaced in place (Atlas.Update: same positions in the
// layer, no insert or removal). When as was built for prev it checks the
// named responders alone, so its cost grows with their number, not the
// layer's; otherwise, or when one of them changed its grids, it indexes
// next anew.
func (as *Assignments) Moved(prev, next *geo.Layer[*geo.Responder], ids []string) *Assignments {
	if as == nil || !as.For(prev) || prev.Len() != next.Len() {
		return NewAssignments(next)
	}
	for _, id := range ids {
		i := next.Index(id)
		if i < 0 || as.ids[i] != id || !slices.Equal(next.At(i).Grids, as.grids[i]) {
			return NewAssignments(next)
		}
	}
	return &Assignments{layer: next, ids: as.ids, grids: as.grids, byGrid: as.byGrid}
}

// For reports whether the index was built for layer l.
func (as *Assignments) For(l *geo.Layer[*geo.Responder]) bool { return as.layer == l }

// Of returns the responders assigned to the grid, sorted by id.
func (as *Assignments) Of(gridID string) []*geo.Responder {
	is := as.byGrid[gridID]
	if len(is) == 0 {
		return nil
	}
	out := make([]*geo.Responder, len(is))
	for k, i := range is {
		out[k] = as.layer.At(i)
	}
	return out
}
