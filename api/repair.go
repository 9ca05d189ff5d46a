package api

import (
	"net/http"

	"github.com/paulmach/orb/geojson"

	"gridwatch/coverage"
	"gridwatch/data"
)

// repairs serves GET /coverage/repairs: the offline cameras ranked by the
// weight each would bring back to the operational coverage if fixed.
func (h *planningAPI) repairs(w http.ResponseWriter, r *http.Request) error {
	a, err := h.s.current()
	if err != nil {
		return err
	}
	p := newQueryParams(r.URL.Query())
	p.format()
	wt := coverage.PlacementWeights{Population: p.number("population", 1, 0, 1e9),
		Incidents: p.number("incidents", 1, 0, 1e9), Places: p.number("places", 1, 0, 1e9)}
	win := p.window(a, h.s.now())
	limit := p.integer("limit", h.s.maxLimit, 1, h.s.maxLimit)
	p.only()
	if err := p.err(); err != nil {
		return err
	}
	v, err := h.cache.Get(r.Context(), a, coverage.DefaultVideoResolution)
	if err != nil {
		return err
	}
	rp := v.Repairs(wt, win)
	fc := geojson.NewFeatureCollection()
	for i, c := range rp.Cameras {
		if i >= limit {
			break
		}
		f := geojson.NewFeature(data.RoundGeometry(c.Camera.Point))
		f.ID = c.Camera.ID
		f.Properties = geojson.Properties{"id": c.Camera.ID, "rank": i + 1, "grid": c.Camera.Grid, "source": c.Camera.Source,
			"type": c.Camera.Type, "gain": c.Gain, "gain_population": c.GainPopulation,
			"gain_incidents": c.GainIncidents, "gain_places": c.GainPlaces}
		fc.Append(f)
	}
	fc.ExtraMembers = geojson.Properties{"numberReturned": len(fc.Features), "numberMatched": len(rp.Cameras),
		"summary": geojson.Properties{"offline": len(rp.Cameras), "weights": wt, "window": windowDoc(win),
			"all": geojson.Properties{"gain": rp.All.Gain, "gain_population": rp.All.GainPopulation,
				"gain_incidents": rp.All.GainIncidents, "gain_places": rp.All.GainPlaces}}}
	return writeJSON(w, mediaGeoJSON, fc)
}
