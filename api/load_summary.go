package api

import (
	"context"

	"github.com/paulmach/orb/geojson"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// loadSummaryDoc is the /load/summary answer: one row per unit of the
// level with the sums of its grids' figures and the load formula applied
// to them, and the analysis's description (window, weights, means,
// compliance) beside.
func loadSummaryDoc(ctx context.Context, a *geo.Atlas, l *coverage.LoadResult, level coverage.Level) map[string]any {
	fl := newLoadFloor(ctx, l)
	maxes := fl.unitMaxes(a, l, level)
	units := l.Summary(a, level)
	rows := make([]geojson.Properties, len(units))
	for i, u := range units {
		rows[i] = loadUnitRow(u)
		if level == coverage.LevelBeat {
			loadBeatProps(rows[i], u, *l.Options.Norm)
		}
		if fl.on {
			fl.unit(rows[i], u, maxes)
		}
	}
	doc := map[string]any{"level": level, "rows": rows}
	for k, v := range loadAbout(l) {
		doc[k] = v
	}
	doc["max_staffed_load_index"] = fl.maxStaffedIndex(l)
	return doc
}

// loadUnitRow is the row of one unit.
func loadUnitRow(u coverage.LoadUnit) geojson.Properties {
	p := geojson.Properties{
		"id": loadNullable(u.Unit.ID), "name": loadNullable(u.Unit.Name), "grids": u.Grids, "below_norm": u.BelowNorm,
		"population": u.Population, "households": u.Households,
		"incidents": u.Incidents, "incidents_30d": u.Incidents30d, "area_km2": u.AreaKm2,
		"police_officers": u.Officers.Police, "auxiliary_officers": u.Officers.Auxiliaries,
		"grid_worker_officers": u.Officers.GridWorkers, "volunteer_officers": u.Officers.Volunteers,
		"load_index": u.LoadIndex, "max_load_index": u.MaxLoadIndex,
		"grids_unstaffed": u.GridsUnstaffed, "grids_below_norm": u.GridsBelowNorm,
		"grids_with_grid_worker": u.GridsWithGridWorker,
		"grid_worker_share":      float64(u.GridsWithGridWorker) / float64(max(u.Grids, 1)),
	}
	loadStaffProps(p, u.Share, u.Assigned)
	loadPerPoliceProps(p, u.PerPolice)
	return p
}

// loadBeatProps adds to a beat row how many police officers and
// auxiliaries it lacks to meet the beat norm (null for the row of grids in
// no beat).
func loadBeatProps(p geojson.Properties, u coverage.LoadUnit, n coverage.Norm) {
	if u.Unit.ID == "" {
		p["short_police"], p["short_auxiliaries"] = nil, nil
		return
	}
	p["short_police"] = max(n.BeatPolice-u.Officers.Police, 0)
	p["short_auxiliaries"] = max(n.BeatAuxiliaries-u.Officers.Auxiliaries, 0)
}
