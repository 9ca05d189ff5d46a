package api

import (
	"context"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// loadFloor is what a caller under the viewer floor sees of a load
// result: incident counts below 3 as "<3", and the demand and load index of
// a grid or unit with such a count computed as if it had blurredIncidents,
// so that the published load formula does not give the count back.
type loadFloor struct {
	// on is false for callers who see exact answers.
	on bool
	// term is the incidents term's factor in a demand: w_inc / m_inc over
	// the effective weights' sum (0 when the term is left out).
	term float64
	// demand and index are the grids' blurred demand and load index, in
	// layer order.
	demand, index []float64
	// maxStaffed is the highest blurred load index of a staffed grid.
	maxStaffed float64
}

// newLoadFloor returns the floor of l for the caller of ctx.
func newLoadFloor(ctx context.Context, l *coverage.LoadResult) *loadFloor {
	f := &loadFloor{on: floored(ctx)}
	if !f.on {
		return f
	}
	w, m := l.Options.Weights, l.Means
	ws := [4]float64{w.Residents, w.Households, w.Incidents, w.Area}
	ms := [4]float64{m.Residents, m.Households, m.Incidents, m.AreaKm2}
	var sum float64
	for k := range ws {
		if ms[k] > 0 {
			sum += ws[k]
		}
	}
	if sum > 0 && m.Incidents > 0 {
		f.term = w.Incidents / m.Incidents / sum
	}
	f.demand = make([]float64, len(l.Grids))
	f.index = make([]float64, len(l.Grids))
	for i := range l.Grids {
		g := &l.Grids[i]
		f.demand[i] = g.Demand + f.delta(g.Incidents)
		if g.Staffed() {
			f.index[i] = f.demand[i] / g.Share.Police
			f.maxStaffed = max(f.maxStaffed, f.index[i])
		}
	}
	for i := range l.Grids {
		if !l.Grids[i].Staffed() {
			// Unstaffed grids rank above every staffed one (coverage.Load).
			f.index[i] = f.maxStaffed + 1 + f.demand[i]
		}
	}
	return f
}

// hides reports whether the floor hides the count n.
func (f *loadFloor) hides(n int) bool { return f.on && n > 0 && n < smallCountLimit }

// delta is what the floor adds to a demand holding n incidents.
func (f *loadFloor) delta(n int) float64 {
	if !f.hides(n) {
		return 0
	}
	return f.term * (blurredIncidents - float64(n))
}

// count returns n as the caller may see it.
func (f *loadFloor) count(n int) any {
	if f.hides(n) {
		return redactedCount
	}
	return n
}

// maxStaffedIndex returns the highest staffed load index the caller sees.
func (f *loadFloor) maxStaffedIndex(l *coverage.LoadResult) float64 {
	if !f.on {
		return l.MaxStaffedIndex
	}
	return f.maxStaffed
}

// unitMaxes returns the highest load index of each unit's grids as the
// caller sees it, by unit id; nil for callers who see exact answers.
func (f *loadFloor) unitMaxes(a *geo.Atlas, l *coverage.LoadResult, level coverage.Level) map[string]float64 {
	if !f.on {
		return nil
	}
	out := map[string]float64{}
	for i := range l.Grids {
		id := floorUnitID(a, &l.Grids[i], level)
		if m, ok := out[id]; !ok || f.index[i] > m {
			out[id] = f.index[i]
		}
	}
	return out
}

// grid rewrites the properties of grid i's load (loadGridProps) for the
// floor: hidden counts, and the demand, load index and per-officer
// incidents computed from them.
func (f *loadFloor) grid(p map[string]any, g *coverage.GridLoad, i int) {
	p["incidents"], p["incidents_30d"] = f.count(g.Incidents), f.count(g.Incidents30d)
	p["demand"], p["load_index"] = f.demand[i], f.index[i]
	if f.hides(g.Incidents) && g.PerPolice != nil {
		p["incidents_per_police"] = blurredIncidents / g.Share.Police
	}
}

// unit rewrites the properties of a unit's row (loadUnitRow) likewise;
// maxes are the units' highest grid indexes (unitMaxes).
func (f *loadFloor) unit(p map[string]any, u coverage.LoadUnit, maxes map[string]float64) {
	p["incidents"], p["incidents_30d"] = f.count(u.Incidents), f.count(u.Incidents30d)
	p["max_load_index"] = maxes[u.Unit.ID]
	if f.hides(u.Incidents) && u.LoadIndex != nil {
		p["load_index"] = *u.LoadIndex + f.delta(u.Incidents)/u.Share.Police
		p["incidents_per_police"] = blurredIncidents / u.Share.Police
	}
}

// floorUnitID returns the id of the unit of level that grid g counts for,
// as LoadResult.Summary groups them.
func floorUnitID(a *geo.Atlas, g *coverage.GridLoad, level coverage.Level) string {
	switch level {
	case coverage.LevelGrid:
		return g.Grid.ID
	case coverage.LevelBeat:
		if b, ok := a.Beats.Get(g.Beat); ok {
			return b.ID
		}
		return ""
	}
	return coverage.UnitOf(a, g.Grid, level).ID
}
