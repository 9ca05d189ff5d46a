package coverage

import (
	"gridwatch/geo"
)

// LoadUnit is the police load of a village, a township or the district: the
// sums of its grids' loadFigures, and the load formula applied to the sums.
type LoadUnit struct {
	// Unit is the village, township or district.
	Unit Unit
	// Grids is the number of grids.
	Grids int
	// Share is the sum of the grids' staff shares of each role.
	Share Staff[float64]
	// Assigned is the sum of the grids' headcounts of each role: the number
	// of loadAssignments, in which an officer serving two of the unit's grids
	// counts twice.
	Assigned Staff[int]
	// Officers is the number of distinct responders of each role assigned
	// to at least one of the unit's grids.
	Officers Staff[int]
	// Population is the sum of the grids' residents.
	Population int
	// Households is the sum of the grids' households.
	Households int
	// Incidents is the sum of the grids' incidents in the window.
	Incidents int
	// Incidents30d is the sum of the grids' incidents in the last 30 days.
	Incidents30d int
	// AreaKm2 is the sum of the grids' areas, km².
	AreaKm2 float64
	// PerPolice is the unit's loadFigures over its police share; nil without
	// police share.
	PerPolice *PerPolice
	// LoadIndex is the load formula applied to the unit's sums (its demand
	// over its police share, normalised by the district means); nil
	// without police share.
	LoadIndex *float64
	// MaxLoadIndex is the highest load index of the unit's grids.
	MaxLoadIndex float64
	// GridsUnstaffed is the number of grids without police share.
	GridsUnstaffed int
	// GridsBelowNorm is the number of grids below the staffing norm.
	GridsBelowNorm int
	// GridsWithGridWorker is the number of grids with a grid worker.
	GridsWithGridWorker int
	// BelowNorm is the norm of the unit's level: at grid level, fewer
	// linked police officers than the grid norm; at beat level, fewer
	// people working in it than the beat norm (一区一警两辅); at district
	// level, a share of police in grids below the target. Nil at village
	// and township level, and for the row of grids in no beat.
	BelowNorm *bool
}

// Summary rolls the grid loads up to the units of level, in the order of
// their first grid in the grid layer; at beat level every beat of the
// layer follows in layer order (a beat with no grid has zero sums), and
// grids in no beat make a last row with an empty id.
func (l *LoadResult) Summary(a *geo.Atlas, level Level) []LoadUnit {
	var units []*LoadUnit
	byID := map[string]*LoadUnit{}
	seen := map[string]map[string]bool{} // unit id → responder ids counted
	unitOf := make([]*LoadUnit, len(l.Grids))
	for i := range l.Grids {
		g := &l.Grids[i]
		u := l.unitOf(a, g, level)
		lu, ok := byID[u.ID]
		if !ok {
			lu = &LoadUnit{Unit: u}
			byID[u.ID] = lu
			seen[u.ID] = map[string]bool{}
			units = append(units, lu)
		}
		unitOf[i] = lu
		lu.add(g)
	}
	assigned := loadAssignments(a)
	for r, resp := range a.Responders.Items() {
		for _, gi := range assigned[r] {
			u := unitOf[gi]
			if !seen[u.Unit.ID][resp.ID] {
				seen[u.Unit.ID][resp.ID] = true
				u.Officers.Add(resp.Role, 1)
			}
		}
	}
	if level == LevelBeat {
		units = l.beatUnits(units, byID)
	}
	weights := loadEffectiveWeights(l.Options.Weights, l.Means)
	out := make([]LoadUnit, len(units))
	for i, u := range units {
		u.finish(weights, l.Means)
		u.BelowNorm = l.unitBelow(u, level)
		out[i] = *u
	}
	return out
}

// unitOf returns the unit of level that grid g belongs to.
func (l *LoadResult) unitOf(a *geo.Atlas, g *GridLoad, level Level) Unit {
	switch level {
	case LevelGrid:
		return Unit{ID: g.Grid.ID, Name: g.Grid.Name}
	case LevelBeat:
		if b, ok := a.Beats.Get(g.Beat); ok {
			return Unit{ID: b.ID, Name: b.Name}
		}
		return Unit{}
	}
	return UnitOf(a, g.Grid, level)
}

// beatUnits orders the beat rows as the beat layer, adds the beats that
// no grid counts for, and puts the grids in no beat last.
func (l *LoadResult) beatUnits(units []*LoadUnit, byID map[string]*LoadUnit) []*LoadUnit {
	out := make([]*LoadUnit, 0, len(l.Beats)+1)
	for _, b := range l.Beats {
		u, ok := byID[b.Beat.ID]
		if !ok {
			u = &LoadUnit{Unit: Unit{ID: b.Beat.ID, Name: b.Beat.Name}}
		}
		out = append(out, u)
	}
	if u, ok := byID[""]; ok {
		out = append(out, u)
	}
	return out
}

// unitBelow applies the norm of level to a unit (nil where none applies).
func (l *LoadResult) unitBelow(u *LoadUnit, level Level) *bool {
	n := *l.Options.Norm
	var below bool
	switch level {
	case LevelGrid:
		below = n.Below(u.Assigned)
	case LevelBeat:
		if u.Unit.ID == "" {
			return nil
		}
		below = n.BeatBelow(u.Officers)
	case LevelDistrict:
		c := l.Compliance
		below = c.PoliceInGridsShare == nil || *c.PoliceInGridsShare < n.PoliceInGridsTarget
	default:
		return nil
	}
	return &below
}

// add adds a grid's loadFigures to the unit.
func (u *LoadUnit) add(g *GridLoad) {
	if u.Grids == 0 || g.LoadIndex > u.MaxLoadIndex {
		u.MaxLoadIndex = g.LoadIndex
	}
	u.Grids++
	for _, r := range geo.Roles {
		u.Share.Add(r, g.Share.Of(r))
		u.Assigned.Add(r, g.Assigned.Of(r))
	}
	u.Population += g.Grid.Population
	u.Households += g.Grid.Households
	u.Incidents += g.Incidents
	u.Incidents30d += g.Incidents30d
	u.AreaKm2 += g.AreaKm2
	if !g.Staffed() {
		u.GridsUnstaffed++
	}
	if g.BelowNorm {
		u.GridsBelowNorm++
	}
	if g.Assigned.GridWorkers > 0 {
		u.GridsWithGridWorker++
	}
}

// finish applies the load formula to the unit's sums.
func (u *LoadUnit) finish(w [4]float64, m PerPolice) {
	p := u.Share.Police
	if p <= 0 {
		return
	}
	x := [4]float64{float64(u.Population), float64(u.Households), float64(u.Incidents), u.AreaKm2}
	u.PerPolice = &PerPolice{Residents: x[0] / p, Households: x[1] / p, Incidents: x[2] / p, AreaKm2: x[3] / p}
	ms := m.values()
	var d float64
	for k := range x {
		if w[k] > 0 {
			d += w[k] * x[k] / ms[k]
		}
	}
	li := d / p
	u.LoadIndex = &li
}
