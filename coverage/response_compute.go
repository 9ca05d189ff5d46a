package coverage

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
	"gridwatch/geo/route"
)

// Response estimates, for every cell of the scope, the arrival time of the
// nearest available responder of the role (police by default) and
// reports the cells beyond the threshold merged into gaps, with people and
// incidents, and per grid the worst and the population-weighted mean
// arrival time.
func Response(a *geo.Atlas, opt ResponseOptions) (*ResponseCoverage, error) {
	return ResponseContext(context.Background(), a, opt)
}

// ResponseContext is Response that stops, returning ctx's error, when ctx
// ends.
func ResponseContext(ctx context.Context, a *geo.Atlas, opt ResponseOptions) (*ResponseCoverage, error) {
	opt, err := opt.normalized()
	if err != nil {
		return nil, err
	}
	if err := checkResponseCost(a, opt); err != nil {
		return nil, err
	}
	stop := newStopper(ctx)
	var rc *responseCells
	if opt.Scope == ScopeDistrict {
		rc = newDistrictCells(a, opt.Resolution, max(opt.Resolution, DefaultSettlementRes), stop)
	} else {
		rc = newSettlementCells(a, opt.Resolution)
	}
	if err := stop.now(); err != nil {
		return nil, err
	}
	eligible := eligibleResponders(a.Responders, opt)
	model, arrival := ModelStraight, []float64(nil)
	if opt.Network != nil && !opt.Network.Empty() {
		model, arrival = ModelNetwork, networkArrivalTimes(rc, eligible, opt, stop)
	} else {
		arrival = arrivalTimes(rc, eligible, opt, stop)
	}
	if err := stop.now(); err != nil {
		return nil, err
	}
	out := &ResponseCoverage{Scope: opt.Scope, Resolution: opt.Resolution, ThresholdS: opt.ThresholdS,
		Role: opt.Role, Model: model, Responders: eligible.Len(), Cells: len(rc.cells)}
	var weighted float64
	for j := range rc.cells {
		out.Population += rc.pop[j]
		out.Incidents += rc.incidents[j]
		if rc.pop[j] > 0 {
			weighted += rc.pop[j] * arrival[j]
		}
		if arrival[j] > opt.ThresholdS {
			out.PopulationBeyond += rc.pop[j]
			out.IncidentsBeyond += rc.incidents[j]
		}
	}
	out.MeanS = weighted / out.Population
	if out.Population == 0 {
		out.MeanS = math.NaN()
	}
	out.Gaps = gaps(a, rc, arrival, opt.ThresholdS)
	if err := stop.now(); err != nil {
		return nil, err
	}
	out.Grids = gridResponses(a, rc, arrival, opt.ThresholdS)
	return out, nil
}

// checkResponseCost refuses an analysis whose cells would number more than
// MaxResponseCells, estimated from the area it covers.
func checkResponseCost(a *geo.Atlas, opt ResponseOptions) error {
	var area float64
	if opt.Scope == ScopeDistrict {
		for _, g := range a.Grids.Items() {
			area += geo.PolygonArea(g.Polygon)
		}
	} else {
		for _, s := range a.Settlements.Items() {
			area += geo.PolygonArea(s.Polygon)
		}
	}
	cell := geo.CellAreaM2(geo.PointCell(a.Grids.Bound().Center(), opt.Resolution))
	if n := area / cell; n > MaxResponseCells {
		return &geo.Error{Code: geo.Invalid, Limit: "query_cost", Max: MaxResponseCells,
			Message: fmt.Sprintf("resolution %d would need about %.0f cells over %s; the limit is %d: use a coarser resolution",
				opt.Resolution, n, opt.Scope, MaxResponseCells),
			Problems: []geo.Problem{{Layer: "query", Index: -1, Field: "resolution",
				Expected: fmt.Sprintf("a resolution whose cells over the %s number at most %d (about %.0f at %d)", opt.Scope, MaxResponseCells, n, opt.Resolution)}}}
	}
	return nil
}

// eligibleResponders returns a layer of the responders of the role that
// are available at opt.Now, so that each cell's search needs no filter.
func eligibleResponders(l *geo.Layer[*geo.Responder], opt ResponseOptions) *geo.Layer[*geo.Responder] {
	f := filter{available: true, maxAge: opt.MaxAge, now: opt.Now, roles: map[geo.Role]bool{opt.Role: true}}
	var rs []*geo.Responder
	for _, r := range l.Items() {
		if f.accept(r) {
			rs = append(rs, r)
		}
	}
	return geo.NewLayer(rs, l.Version())
}

// arrivalTimes returns the arrival time at each cell's centre from the
// nearest eligible responder (+Inf when there is none).
func arrivalTimes(rc *responseCells, eligible *geo.Layer[*geo.Responder], opt ResponseOptions, stop *stopper) []float64 {
	out := make([]float64, len(rc.cells))
	q := NearestQuery{K: 1, ETA: opt.ETA}
	f := filter{}
	for j := range rc.cells {
		if stop.stop() {
			return out
		}
		q.Point = rc.centre(j)
		best := topK{k: 1}
		search(eligible, q, f, &best)
		out[j] = math.Inf(1)
		if len(best.items) > 0 {
			out[j] = opt.ETA.Seconds(opt.Role, best.items[0].dist)
		}
	}
	return out
}

// networkArrivalTimes returns the arrival time at each cell's centre from
// the soonest eligible responder on the road network: one Dijkstra search
// from every responder at once (each starting at its own access time),
// then each centre's access leg from the road it snaps to (remembered by
// the network for the next analysis on the same roads).
func networkArrivalTimes(rc *responseCells, eligible *geo.Layer[*geo.Responder], opt ResponseOptions, stop *stopper) []float64 {
	n := opt.Network
	sources := make([]route.Place, 0, eligible.Len())
	for _, r := range eligible.Items() {
		if p, ok := n.Snap(r.Point); ok {
			sources = append(sources, p)
		}
	}
	tree := n.From(sources, opt.ETA[opt.Role].Profile(), 0)
	out := make([]float64, len(rc.cells))
	for j := range rc.cells {
		if stop.stop() {
			return out
		}
		out[j] = math.Inf(1)
		if p, ok := n.SnapCached(uint64(rc.cells[j]), func() orb.Point { return rc.centre(j) }); ok {
			out[j] = tree.Seconds(p)
		}
	}
	return out
}

// gaps merges the cells beyond the threshold into edge-connected parts.
func gaps(a *geo.Atlas, rc *responseCells, arrival []float64, threshold float64) []Gap {
	gridsOf := map[int][]int{} // cell -> grids with people there
	for _, s := range rc.shares {
		if s.pop > 0 {
			gridsOf[s.cell] = append(gridsOf[s.cell], s.grid)
		}
	}
	var beyond []int
	for j := range rc.cells {
		if arrival[j] > threshold {
			beyond = append(beyond, j)
		}
	}
	cells := make([]h3.Cell, len(beyond))
	for i, j := range beyond {
		cells[i] = rc.cells[j]
	}
	parts := geo.CellParts(cells)
	out := make([]Gap, 0, len(parts))
	for _, p := range parts {
		g := Gap{Cells: p.Cells, Polygon: p.Polygon}
		grids := map[string]bool{}
		for _, c := range p.Cells {
			j := rc.index[c]
			g.AreaM2 += geo.CellAreaM2(c)
			g.Population += rc.pop[j]
			g.Incidents += rc.incidents[j]
			g.WorstS = math.Max(g.WorstS, arrival[j])
			for _, gi := range gridsOf[j] {
				grids[a.Grids.At(gi).ID] = true
			}
		}
		for id := range grids {
			g.Grids = append(g.Grids, id)
		}
		sort.Strings(g.Grids)
		out = append(out, g)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Population != out[j].Population {
			return out[i].Population > out[j].Population
		}
		if out[i].Incidents != out[j].Incidents {
			return out[i].Incidents > out[j].Incidents
		}
		return out[i].AreaM2 > out[j].AreaM2
	})
	return out
}

// gridResponses returns each grid's figures over its shares of cells.
func gridResponses(a *geo.Atlas, rc *responseCells, arrival []float64, threshold float64) []GridResponse {
	out := make([]GridResponse, a.Grids.Len())
	weighted := make([]float64, len(out))
	seen := make([]map[int]bool, len(out))
	for i, g := range a.Grids.Items() {
		out[i] = GridResponse{Grid: g, WorstS: math.NaN()}
	}
	for _, s := range rc.shares {
		g := &out[s.grid]
		t := arrival[s.cell]
		if seen[s.grid] == nil {
			seen[s.grid] = map[int]bool{}
		}
		if !seen[s.grid][s.cell] {
			seen[s.grid][s.cell] = true
			g.Cells++
		}
		if math.IsNaN(g.WorstS) || t > g.WorstS {
			g.WorstS = t
		}
		if s.pop > 0 {
			g.Population += s.pop
			weighted[s.grid] += s.pop * t
		}
		if t > threshold {
			g.PopulationBeyond += s.pop
		}
	}
	for i := range out {
		out[i].MeanS = math.NaN()
		if out[i].Population > 0 {
			out[i].MeanS = weighted[i] / out[i].Population
		}
	}
	return out
}
