package api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// planningAPI serves camera planning (docs/placement.md): placement of new
// cameras, what-if scenarios and the repairs of offline cameras. It reads
// its coverages from the cache the coverage endpoints fill.
type planningAPI struct {
	s     *Server
	cache *coverage.VideoCache
}

// planningRoutes adds the planning endpoints.
func (s *Server) planningRoutes(r chi.Router) {
	h := &planningAPI{s: s, cache: s.videos}
	r.Get("/coverage/placement", s.handle(h.placement))
	r.Post("/coverage/placement", s.handle(h.placement))
	r.Get("/coverage/scenario", s.handle(h.scenario))
	r.Post("/coverage/scenario", s.handle(h.scenario))
	r.Get("/coverage/repairs", s.handle(h.repairs))
}

// placementMembers are the members of a placement body.
var placementMembers = []string{"budget", "camera", "weights", "candidates", "bbox", "grid", "township",
	"one_per_site", "bearing_step_deg", "variant", "as_of", "window_days"}

// parsePlacement reads a placement body.
func parsePlacement(o *jsonObject, a *geo.Atlas, opt *coverage.PlacementOptions) {
	o.only(placementMembers...)
	if !o.get("budget", &opt.Budget, fmt.Sprintf("a whole number in [1, %d]", coverage.MaxPlacementBudget)) {
		o.bad("budget", fmt.Sprintf("a whole number in [1, %d] (required)", coverage.MaxPlacementBudget))
	} else if opt.Budget < 1 || opt.Budget > coverage.MaxPlacementBudget {
		o.bad("budget", fmt.Sprintf("a whole number in [1, %d], got %d", coverage.MaxPlacementBudget, opt.Budget))
	}
	opt.Camera = coverage.CameraModel{Type: geo.TypeFixed, FOVDeg: 90, RangeM: 80}
	if c := o.object("camera"); c != nil {
		c.only("type", "fov_deg", "range_m")
		c.get("type", &opt.Camera.Type, "a camera type")
		c.get("fov_deg", &opt.Camera.FOVDeg, "degrees in (0, 360]")
		c.get("range_m", &opt.Camera.RangeM, "metres")
	}
	opt.Weights = coverage.PlacementWeights{Population: 1, Incidents: 1, Places: 1}
	if wt := o.object("weights"); wt != nil {
		wt.only("population", "incidents", "places")
		wt.get("population", &opt.Weights.Population, "a number ≥ 0")
		wt.get("incidents", &opt.Weights.Incidents, "a number ≥ 0")
		wt.get("places", &opt.Weights.Places, "a number ≥ 0")
	}
	o.get("one_per_site", &opt.OnePerSite, "true or false")
	o.get("bearing_step_deg", &opt.BearingStepDeg, "degrees in [1, 360]")
	opt.Sites = parseSites(o)
	opt.Keep = parseArea(o, a)
}

// parseSites reads candidates: [{"id": "pole-1", "point": [lon, lat]}, …].
func parseSites(o *jsonObject) []coverage.PlacementSite {
	var raw []struct {
		ID    string    `json:"id"`
		Point []float64 `json:"point"`
	}
	if !o.get("candidates", &raw, `an array of {"id": "…", "point": [lon, lat]}`) {
		return nil
	}
	out := make([]coverage.PlacementSite, 0, len(raw))
	for i, c := range raw {
		if len(c.Point) != 2 || c.Point[0] < -180 || c.Point[0] > 180 || c.Point[1] < -90 || c.Point[1] > 90 {
			o.bad(fmt.Sprintf("candidates[%d].point", i), "[lon, lat] in WGS84 degrees")
			continue
		}
		id := c.ID
		if id == "" {
			id = fmt.Sprintf("candidate-%d", i+1)
		}
		out = append(out, coverage.PlacementSite{ID: id, Point: orb.Point{c.Point[0], c.Point[1]}})
	}
	if len(raw) == 0 {
		o.bad("candidates", "at least one candidate site (or leave the member out)")
	}
	return out
}

// parseArea reads bbox ([minLon, minLat, maxLon, maxLat]), grid and
// township: where generated sites may go.
func parseArea(o *jsonObject, a *geo.Atlas) func(orb.Point) bool {
	var keeps []func(orb.Point) bool
	var box []float64
	if o.get("bbox", &box, "[minLon, minLat, maxLon, maxLat]") {
		if len(box) != 4 || box[0] > box[2] || box[1] > box[3] {
			o.bad("bbox", "[minLon, minLat, maxLon, maxLat]")
		} else {
			b := orb.Bound{Min: orb.Point{box[0], box[1]}, Max: orb.Point{box[2], box[3]}}
			keeps = append(keeps, b.Contains)
		}
	}
	var id string
	if o.get("grid", &id, "the id of a grid") {
		if _, ok := a.Grids.Get(id); !ok {
			o.bad("grid", "the id of a grid of the dataset, got "+quote(id))
		}
		keeps = append(keeps, func(pt orb.Point) bool { g, ok := a.GridAt(pt); return ok && g.ID == id })
	}
	var town string
	if o.get("township", &town, "the id of a township") {
		if _, ok := a.Townships.Get(town); !ok {
			o.bad("township", "the id of a township of the dataset, got "+quote(town))
		}
		keeps = append(keeps, func(pt orb.Point) bool { g, ok := a.GridAt(pt); return ok && g.Township == town })
	}
	if len(keeps) == 0 {
		return nil
	}
	return func(pt orb.Point) bool {
		for _, k := range keeps {
			if !k(pt) {
				return false
			}
		}
		return true
	}
}

// placement serves POST /coverage/placement (a JSON body) and GET
// /coverage/placement (the same members as query parameters).
func (h *planningAPI) placement(w http.ResponseWriter, r *http.Request) error {
	a, err := h.s.current()
	if err != nil {
		return err
	}
	o, err := requestObject(r)
	if err != nil {
		return err
	}
	var opt coverage.PlacementOptions
	parsePlacement(o, a, &opt)
	opt.Variant, opt.Window = o.window(a, h.s.now())
	if err := o.err(); err != nil {
		return err
	}
	v, err := h.cache.Get(r.Context(), a, coverage.DefaultVideoResolution)
	if err != nil {
		return err
	}
	p, err := v.PlaceContext(r.Context(), opt)
	if err != nil {
		return err
	}
	changes := make([]coverage.ScenarioChange, len(p.Picks))
	for i, pk := range p.Picks {
		changes[i] = coverage.ScenarioChange{Op: coverage.OpAdd, Camera: pk.Camera}
	}
	sc, err := v.Scenario(changes, opt.Variant, opt.Window)
	if err != nil {
		return fmt.Errorf("placement coverage: %w", err)
	}
	fc := placementFeatures(p)
	fc.ExtraMembers = geojson.Properties{"numberReturned": len(fc.Features), "summary": placementSummary(r.Context(), p, opt, sc)}
	return writeJSON(w, mediaGeoJSON, fc)
}

// placementFeatures returns each pick as a Point followed by its viewshed.
func placementFeatures(p *coverage.Placement) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, pk := range p.Picks {
		c := pk.Camera
		f := geojson.NewFeature(data.RoundGeometry(c.Point))
		f.ID = c.ID
		f.Properties = geojson.Properties{"id": c.ID, "rank": pk.Rank, "site": pk.Site, "grid": c.Grid,
			"type": c.Type, "bearing_deg": c.BearingDeg, "fov_deg": c.FOVDeg, "range_m": c.RangeM,
			"gain": pk.Gain, "gain_population": pk.GainPopulation, "gain_incidents": pk.GainIncidents, "gain_places": pk.GainPlaces}
		fc.Append(f)
		vs := geojson.NewFeature(data.RoundGeometry(loadOriented(geo.Viewshed(c))))
		vs.ID = c.ID + "-viewshed"
		vs.Properties = geojson.Properties{"site_rank": pk.Rank, "camera": c.ID}
		fc.Append(vs)
	}
	return fc
}

// placementSummary is the summary member of a placement answer.
func placementSummary(ctx context.Context, p *coverage.Placement, opt coverage.PlacementOptions, sc *coverage.ScenarioResult) geojson.Properties {
	return geojson.Properties{"gain": p.Gain, "gain_population": p.GainPopulation, "gain_incidents": p.GainIncidents,
		"gain_places": p.GainPlaces, "cameras": len(p.Picks), "budget": opt.Budget, "candidates": p.Candidates,
		"sites": p.Sites, "guarantee": p.Guarantee, "camera": opt.Camera, "weights": opt.Weights,
		"one_per_site": opt.OnePerSite, "variant": opt.Variant, "window": windowDoc(opt.Window),
		"before": districtProps(ctx, sc.Before), "after": districtProps(ctx, sc.After)}
}

// districtProps are the district's figures and shares, as in
// /coverage/summary?level=district.
func districtProps(ctx context.Context, f coverage.VideoFigures) geojson.Properties {
	p := geojson.Properties{"id": "district", "level": coverage.LevelDistrict}
	videoFigureProps(ctx, f, p)
	return p
}
