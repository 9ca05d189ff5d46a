package coverage

import (
	"time"

	"gridwatch/geo"
)

// LoadOptions tune Load.
type LoadOptions struct {
	// Window is the window incidents are counted in; the zero Window means
	// DefaultWindowDays ending on the dataset's as-of date (see NewWindow).
	Window Window
	// Weights weight the load index; the zero value means
	// DefaultLoadWeights.
	Weights LoadWeights
	// Split shares a responder among their grids; empty means SplitEqual.
	Split Split
	// Norm is the staffing norm; nil means DefaultNorm.
	Norm *Norm
	// Means, when set, normalises the load index by these district means
	// instead of the atlas's own: a reallocation keeps the means from
	// before its moves.
	Means *PerPolice
}

// PerPolice holds the four loadFigures of a grid's load per police officer
// (by staff share).
type PerPolice struct {
	// Residents is residents per police officer.
	Residents float64
	// Households is households per police officer.
	Households float64
	// Incidents is incidents in the window per police officer.
	Incidents float64
	// AreaKm2 is square kilometres per police officer.
	AreaKm2 float64
}

func (p PerPolice) values() [4]float64 {
	return [4]float64{p.Residents, p.Households, p.Incidents, p.AreaKm2}
}

// GridLoad is the police load of one grid.
type GridLoad struct {
	// Grid is the grid.
	Grid *geo.Grid
	// Share is the staff share of each role (see Split).
	Share Staff[float64]
	// Assigned is the headcount of each role: everyone assigned to the grid
	// counts 1, whatever else they serve.
	Assigned Staff[int]
	// Incidents is the number of incidents in the grid in the window.
	Incidents int
	// Incidents30d is the number in the last 30 days of the window.
	Incidents30d int
	// AreaKm2 is the grid's area, square kilometres.
	AreaKm2 float64
	// PerPolice is residents, households, incidents and area per police
	// officer by share; nil when the grid has no police share.
	PerPolice *PerPolice
	// Demand is the load index the grid would have with exactly one police
	// officer: Σ_k w_k·X_k/m_k / Σ_k w_k (see Load).
	Demand float64
	// LoadIndex is the grid's load index (see Load).
	LoadIndex float64
	// Beat is the id of the beat holding the grid's interior point (the
	// beat it counts for in the beat norm); empty when no beat holds it.
	Beat string
	// BelowNorm reports whether the grid is below the grid norm: fewer
	// linked police officers than Norm.GridPolice (with the default norm,
	// no linked officer at all).
	BelowNorm bool
}

// Staffed reports whether the grid has a police share.
func (g *GridLoad) Staffed() bool { return g.Share.Police > 0 }

// LoadResult is the police load of every grid of an atlas.
type LoadResult struct {
	// Grids is the load of each grid, in grid layer order.
	Grids []GridLoad
	// Options are the options in effect (defaults filled in).
	Options LoadOptions
	// Means are the district means m_k that normalise the index.
	Means PerPolice
	// PoliceShare is the total police share of the grids: the number of
	// police officers assigned to at least one grid.
	PoliceShare float64
	// MaxStaffedIndex is the highest load index of a grid with a police
	// share; 0 when there is none.
	MaxStaffedIndex float64
	// Beats is who works in each beat and how it meets the beat norm, in
	// beat layer order.
	Beats []BeatStaff
	// Compliance is how the district meets the staffing norm.
	Compliance Compliance
}

// Load computes the police load of every grid.
//
// For each grid g with police share p_g > 0 the four loadFigures X_g,k —
// residents, households, incidents in the window and area in km² — are
// divided by p_g. The load index is
//
//	LI_g = Σ_k w_k · (X_g,k / p_g) / m_k  ÷  Σ_k w_k,   m_k = Σ_g X_g,k / Σ_g p_g
//
// where w_k are the weights and m_k is the district figure per police
// officer (the district total over the total police share of the grids;
// over the number of grids when no police officer serves a grid). A term
// whose district total is zero is left out, with its weight. So LI = 1 is
// the load of an officer carrying the district average, 2 is twice that,
// and the police-share-weighted mean of LI over staffed grids is 1 when
// every grid is staffed. LI_g = Demand_g / p_g, where Demand_g is the index
// with one full officer.
//
// A grid with no police share gets nil per-officer loadFigures and the load
// index M + 1 + Demand_g, where M is the highest index of a staffed grid
// (0 when none is staffed): every unstaffed grid ranks above every staffed
// one, and unstaffed grids rank among themselves by what they would carry.
func Load(a *geo.Atlas, opt LoadOptions) (*LoadResult, error) {
	opt, err := loadDefaults(a, opt)
	if err != nil {
		return nil, err
	}
	n := a.Grids.Len()
	res := &LoadResult{Grids: make([]GridLoad, n), Options: opt}
	assigned := loadAssignments(a)
	for i, g := range a.Grids.Items() {
		res.Grids[i].Grid = g
		res.Grids[i].AreaKm2 = geo.PolygonArea(g.Polygon) / 1e6
	}
	loadGridBeats(a, res.Grids)
	loadCountIncidents(a, opt.Window, res.Grids)
	for i, r := range a.Responders.Items() {
		if r.Role == geo.RolePolice && len(assigned[i]) > 0 {
			res.PoliceShare++
		}
	}
	if opt.Means != nil {
		res.Means = *opt.Means
	} else {
		res.Means = loadDistrictMeans(res.Grids, res.PoliceShare)
	}
	weights := loadEffectiveWeights(opt.Weights, res.Means)
	demand := make([]float64, n)
	for i := range res.Grids {
		res.Grids[i].Demand = loadDemandOf(&res.Grids[i], weights, res.Means)
		demand[i] = res.Grids[i].Demand
	}
	loadStaffGrids(a, assigned, loadSplitWeights(opt.Split, demand), res.Grids)
	res.MaxStaffedIndex = loadIndexGrids(res.Grids)
	for i := range res.Grids {
		res.Grids[i].BelowNorm = opt.Norm.Below(res.Grids[i].Assigned)
	}
	res.Beats = loadBeatStaff(a, assigned, res.Grids, *opt.Norm)
	res.Compliance = normCompliance(a, res.Grids, res.Beats, *opt.Norm)
	return res, nil
}

// loadDefaults fills in and checks the options.
func loadDefaults(a *geo.Atlas, opt LoadOptions) (LoadOptions, error) {
	if opt.Window == (Window{}) {
		w, err := NewWindow(a, time.Time{}, DefaultWindowDays, time.Now())
		if err != nil {
			return opt, err
		}
		opt.Window = w
	}
	if opt.Weights == (LoadWeights{}) {
		opt.Weights = DefaultLoadWeights()
	}
	if opt.Split == "" {
		opt.Split = SplitEqual
	}
	n := DefaultNorm()
	if opt.Norm != nil {
		n = *opt.Norm
	}
	opt.Norm = &n
	if err := opt.Weights.Validate(); err != nil {
		return opt, err
	}
	if _, err := ParseSplit(string(opt.Split)); err != nil {
		return opt, err
	}
	return opt, opt.Norm.Validate()
}

// loadCountIncidents counts each grid's incidents in the window and in its
// last 30 days (the bounds of both computed once: (start, end]).
func loadCountIncidents(a *geo.Atlas, w Window, grids []GridLoad) {
	start, last, end := w.Start(), w.Last(30).Start(), w.End
	for _, inc := range a.Incidents.Items() {
		if inc.Grid == "" || !inc.Time.After(start) || inc.Time.After(end) {
			continue
		}
		g := a.Grids.Index(inc.Grid)
		if g < 0 {
			continue
		}
		grids[g].Incidents++
		if inc.Time.After(last) {
			grids[g].Incidents30d++
		}
	}
}

// loadFigures returns a grid's four load loadFigures X_k.
func loadFigures(g *GridLoad) [4]float64 {
	return [4]float64{float64(g.Grid.Population), float64(g.Grid.Households), float64(g.Incidents), g.AreaKm2}
}

// loadDistrictMeans returns m_k: the district totals over the police share, or
// over the number of grids when no police officer serves a grid.
func loadDistrictMeans(grids []GridLoad, policeShare float64) PerPolice {
	var tot [4]float64
	for i := range grids {
		for k, x := range loadFigures(&grids[i]) {
			tot[k] += x
		}
	}
	div := policeShare
	if div <= 0 {
		div = float64(max(len(grids), 1))
	}
	return PerPolice{Residents: tot[0] / div, Households: tot[1] / div, Incidents: tot[2] / div, AreaKm2: tot[3] / div}
}

// loadEffectiveWeights returns the weights normalised to sum 1 over the terms
// whose district mean is positive; all zero when none is.
func loadEffectiveWeights(w LoadWeights, m PerPolice) [4]float64 {
	ws, ms := w.values(), m.values()
	var sum float64
	for k := range ws {
		if ms[k] > 0 {
			sum += ws[k]
		}
	}
	var out [4]float64
	if sum <= 0 {
		return out
	}
	for k := range ws {
		if ms[k] > 0 {
			out[k] = ws[k] / sum
		}
	}
	return out
}

// loadDemandOf returns Σ_k w_k·X_k/m_k with the effective weights.
func loadDemandOf(g *GridLoad, w [4]float64, m PerPolice) float64 {
	ms := m.values()
	var d float64
	for k, x := range loadFigures(g) {
		if w[k] > 0 {
			d += w[k] * x / ms[k]
		}
	}
	return d
}

// loadIndexGrids sets the per-officer loadFigures and the load index of every grid
// from its police share and demand, and returns the highest index of a
// staffed grid.
func loadIndexGrids(grids []GridLoad) float64 {
	var top float64
	for i := range grids {
		g := &grids[i]
		if !g.Staffed() {
			continue
		}
		x := loadFigures(g)
		p := g.Share.Police
		g.PerPolice = &PerPolice{Residents: x[0] / p, Households: x[1] / p, Incidents: x[2] / p, AreaKm2: x[3] / p}
		g.LoadIndex = g.Demand / p
		top = max(top, g.LoadIndex)
	}
	for i := range grids {
		if g := &grids[i]; !g.Staffed() {
			g.LoadIndex = loadUnstaffedIndex(top, g.Demand)
		}
	}
	return top
}

// loadUnstaffedIndex is the load index of a grid without police share: M + 1 +
// its demand, M being the highest index of a staffed grid.
func loadUnstaffedIndex(maxStaffed, demand float64) float64 { return maxStaffed + 1 + demand }
