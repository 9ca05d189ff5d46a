package api

import (
	"context"
	"slices"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// loadGridsDoc is the /load/grids answer: the grids passing f as polygons
// with their load, and foreign members describing the analysis.
func loadGridsDoc(ctx context.Context, l *coverage.LoadResult, f loadFilter) *geojson.FeatureCollection {
	fl := newLoadFloor(ctx, l)
	fc := geojson.NewFeatureCollection()
	for i := range l.Grids {
		g := &l.Grids[i]
		if !f.keeps(g.Grid) {
			continue
		}
		feat := geojson.NewFeature(data.RoundGeometry(loadOriented(g.Grid.Polygon)))
		feat.ID = g.Grid.ID
		feat.Properties = loadGridProps(g)
		if fl.on {
			fl.grid(feat.Properties, g, i)
		}
		fc.Append(feat)
	}
	fc.ExtraMembers = loadAbout(l)
	fc.ExtraMembers["max_staffed_load_index"] = fl.maxStaffedIndex(l)
	fc.ExtraMembers["numberReturned"] = len(fc.Features)
	return fc
}

// loadGridProps are the properties of one grid's load.
func loadGridProps(g *coverage.GridLoad) geojson.Properties {
	p := geojson.Properties{
		"id": g.Grid.ID, "name": g.Grid.Name, "village": g.Grid.Village, "township": g.Grid.Township,
		"population": g.Grid.Population, "households": g.Grid.Households,
		"incidents": g.Incidents, "incidents_30d": g.Incidents30d, "area_km2": g.AreaKm2,
		"load_index": g.LoadIndex, "demand": g.Demand, "staffed": g.Staffed(), "below_norm": g.BelowNorm,
		"beat": loadNullable(g.Beat),
	}
	loadStaffProps(p, g.Share, g.Assigned)
	loadPerPoliceProps(p, g.PerPolice)
	return p
}

// loadStaffProps adds the shares and headcounts of each role.
func loadStaffProps(p geojson.Properties, share coverage.Staff[float64], head coverage.Staff[int]) {
	p["police"], p["auxiliaries"], p["grid_workers"], p["volunteers"] = share.Police, share.Auxiliaries, share.GridWorkers, share.Volunteers
	p["police_assigned"], p["auxiliaries_assigned"] = head.Police, head.Auxiliaries
	p["grid_workers_assigned"], p["volunteers_assigned"] = head.GridWorkers, head.Volunteers
}

// loadPerPoliceProps adds the per-officer figures, null without police.
func loadPerPoliceProps(p geojson.Properties, pp *coverage.PerPolice) {
	keys := []string{"residents_per_police", "households_per_police", "incidents_per_police", "area_km2_per_police"}
	if pp == nil {
		for _, k := range keys {
			p[k] = nil
		}
		return
	}
	p[keys[0]], p[keys[1]], p[keys[2]], p[keys[3]] = pp.Residents, pp.Households, pp.Incidents, pp.AreaKm2
}

// loadAbout describes a load analysis: its window, weights, split, means,
// norm and the district's compliance.
func loadAbout(l *coverage.LoadResult) geojson.Properties {
	o := l.Options
	w := o.Weights
	return geojson.Properties{
		"window": map[string]any{
			"as_of": o.Window.End.In(coverage.China).Format(time.DateOnly), "days": o.Window.Days,
			"start": o.Window.Start().Format(time.RFC3339), "end": o.Window.End.Format(time.RFC3339Nano),
		},
		"weights": map[string]float64{"residents": w.Residents, "households": w.Households, "incidents": w.Incidents, "area": w.Area},
		"split":   o.Split,
		"means": map[string]float64{"residents_per_police": l.Means.Residents, "households_per_police": l.Means.Households,
			"incidents_per_police": l.Means.Incidents, "area_km2_per_police": l.Means.AreaKm2},
		"max_staffed_load_index": l.MaxStaffedIndex,
		"compliance":             loadComplianceDoc(l.Compliance),
	}
}

// loadComplianceDoc is the JSON of the district's compliance with the norm.
func loadComplianceDoc(c coverage.Compliance) map[string]any {
	return map[string]any{
		"norm": map[string]any{"grid_police": c.Norm.GridPolice, "beat_police": c.Norm.BeatPolice,
			"beat_auxiliaries": c.Norm.BeatAuxiliaries, "police_in_grids_target": c.Norm.PoliceInGridsTarget},
		"grids": c.Grids, "grids_below_norm": c.GridsBelowNorm, "grids_in_no_beat": c.GridsInNoBeat,
		"beats": c.Beats, "beats_below_norm": c.BeatsBelowNorm,
		"beats_below_police_norm": c.BeatsBelowPoliceNorm, "beats_below_auxiliary_norm": c.BeatsBelowAuxiliaryNorm,
		"police_officers": c.PoliceOfficers, "police_in_grids": c.PoliceInGrids,
		"police_in_grids_share": c.PoliceInGridsShare, "meets_police_in_grids_target": c.MeetsPoliceInGridsTarget,
		"grids_with_grid_worker": c.GridsWithGridWorker, "grid_worker_share": c.GridWorkerShare,
	}
}

// loadOriented returns p with its outer ring counter-clockwise and its
// holes clockwise (RFC 7946), copying the rings it turns.
func loadOriented(p orb.Polygon) orb.Polygon {
	out := make(orb.Polygon, len(p))
	for i, r := range p {
		if (geo.RingArea(r) > 0) != (i == 0) {
			r = slices.Clone(r)
			slices.Reverse(r)
		}
		out[i] = r
	}
	return out
}

// LoadGridsCollection returns the /load/grids answer of a load result, for
// the command line (gridwatch analyze load --out).
func LoadGridsCollection(l *coverage.LoadResult) *geojson.FeatureCollection {
	return loadGridsDoc(context.Background(), l, loadFilter{})
}

// ReallocationCollection returns the /load/reallocate answer of a plan, for
// the command line (gridwatch analyze reallocate --out).
func ReallocationCollection(plan *coverage.ReallocPlan, c coverage.ReallocConstraints, l *coverage.LoadResult) *geojson.FeatureCollection {
	return loadPlanDoc(plan, c, l)
}
