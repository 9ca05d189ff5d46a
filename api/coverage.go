package api

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// coverageAPI serves video coverage (docs/coverage.md): per-grid coverage,
// gaps, unwatched hotspots and roll-ups. Coverages are cached by the layers
// they read (coverage.VideoCache), so repeated requests and writes to other
// layers (responder positions) recompute nothing, and a camera write
// recomputes only the grids it touches.
type coverageAPI struct {
	s     *Server
	cache *coverage.VideoCache
}

// coverageRoutes adds the video-coverage endpoints and the camera viewshed.
func (s *Server) coverageRoutes(r chi.Router) {
	h := &coverageAPI{s: s, cache: s.videos}
	r.Get("/coverage/grids", s.handle(h.grids))
	r.Get("/coverage/gaps", s.handle(h.gaps))
	r.Get("/coverage/hotspots", s.handle(h.hotspots))
	r.Get("/coverage/summary", s.handle(h.summary))
	r.Get("/cameras/{cameraId}/viewshed", s.handle(s.cameraViewshed))
}

// coverageLayers are the layers the coverage endpoints read.
var coverageLayers = []string{geo.LayerCameras, geo.LayerGrids, geo.LayerSettlements, geo.LayerPlaces,
	geo.LayerIncidents, geo.LayerVillages, geo.LayerTownships}

// answerTag returns the ETag of a coverage answer: the versions of the
// layers read, the dataset's metadata, the resolved window and the query
// (with the caller's role, as every ETag).
func (h *coverageAPI) answerTag(r *http.Request, a *geo.Atlas, q coverageQuery) (string, error) {
	tags := []string{metaTag(a.Meta), q.window.End.Format(time.RFC3339Nano)}
	for _, name := range coverageLayers {
		d, err := h.s.layerData(a, name)
		if err != nil {
			return "", err
		}
		tags = append(tags, d.tag())
	}
	return h.s.etag(r, formatJSON, tags...), nil
}

// prepare checks the ETag of a coverage answer and returns the coverage,
// or nil when the client's copy is current.
func (h *coverageAPI) prepare(w http.ResponseWriter, r *http.Request, a *geo.Atlas, q coverageQuery) (*coverage.Video, error) {
	tag, err := h.answerTag(r, a, q)
	if err != nil || notModified(w, r, tag) {
		return nil, err
	}
	// A computation outlives the request that started it (others may wait
	// on it); a waiting request gives up when it is cancelled.
	return h.cache.Get(r.Context(), a, q.resolution)
}

// windowTag identifies a resolved window.
func windowTag(w coverage.Window) string {
	return w.End.Format(time.RFC3339Nano) + "/" + strconv.Itoa(w.Days)
}

// about describes the analysis behind an answer.
func about(v *coverage.Video, q coverageQuery) geojson.Properties {
	return geojson.Properties{"variant": q.variant, "resolution": v.Resolution(),
		"surface_resolution": v.SurfaceResolution(), "window": windowDoc(q.window)}
}

// grids serves GET /coverage/grids: every grid (narrowed by bbox, township
// or village) with its coverage, in one response.
func (h *coverageAPI) grids(w http.ResponseWriter, r *http.Request) error {
	a, err := h.s.current()
	if err != nil {
		return err
	}
	q, err := parseCoverage(r.Context(), r.URL.Query(), a, h.s.now(), true, func(p *paramReader, q *coverageQuery) { q.filters(p, a, false) })
	if err != nil {
		return err
	}
	tag, err := h.answerTag(r, a, q)
	if err != nil || notModified(w, r, tag) {
		return err
	}
	// The same ETag is the same bytes: a repeated request is served from
	// them, computed and encoded once.
	if ans := h.s.answers.get(tag); ans != nil {
		return ans.write(w, r, h.s.answers)
	}
	v, err := h.cache.Get(r.Context(), a, q.resolution)
	if err != nil {
		return err
	}
	fk := featureKey{grids: a.Grids, variant: q.variant, window: windowTag(q.window), exact: exactCounts(r.Context())}
	body, _, fs, err := appendGridCoverage(make([]byte, 0, 1<<16), r.Context(), v.Grids(q.variant, q.window),
		h.s.gridGeoms.of(a.Grids), func(g *geo.Grid) bool { return q.keeps(g) && q.meets(g.Polygon.Bound()) }, about(v, q),
		h.s.gridFeats.get(fk))
	if err == nil {
		h.s.gridFeats.put(fk, fs)
	}
	if err != nil {
		return &geo.Error{Code: geo.Internal, Message: "encode response", Err: err}
	}
	return h.s.answers.put(tag, mediaGeoJSON, body).write(w, r, h.s.answers)
}

// GridCoverageFeatures returns the grids' video coverage as GeoJSON: each
// grid kept by keep (every grid when nil) as a polygon with the properties
// of /coverage/grids. Small incident counts are hidden from callers who may
// not see them (ctx carries the caller); a context without a caller sees
// them.
func GridCoverageFeatures(ctx context.Context, rows []coverage.GridVideo, keep func(*geo.Grid) bool) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, row := range rows {
		if keep != nil && !keep(row.Grid) {
			continue
		}
		f := geojson.NewFeature(data.RoundGeometry(loadOriented(row.Grid.Polygon)))
		f.ID = row.Grid.ID
		f.Properties = gridCoverageProps(ctx, row)
		fc.Append(f)
	}
	return fc
}

// videoFigureProps adds the figures and shares of a grid or unit.
func videoFigureProps(ctx context.Context, f coverage.VideoFigures, p geojson.Properties) {
	sh := f.Shares()
	p["coverage_area"], p["coverage_settlement_area"] = shareValue(sh.Area), shareValue(sh.SettlementArea)
	p["coverage_population"], p["coverage_incidents"] = shareValue(sh.Population), shareValue(sh.Incidents)
	p["coverage_places"], p["online_rate"] = shareValue(sh.Places), shareValue(sh.OnlineRate)
	p["area_m2"], p["covered_area_m2"] = f.AreaM2, f.CoveredAreaM2
	p["settlement_area_m2"], p["covered_settlement_area_m2"] = f.SettlementAreaM2, f.CoveredSettlementAreaM2
	p["population"], p["population_covered"] = f.Population, f.PopulationCovered
	p["incidents"] = redactCount(ctx, int(f.Incidents))
	p["incidents_covered"] = redactCount(ctx, int(f.IncidentsCovered))
	if redacted(ctx, int(f.Incidents)) || redacted(ctx, int(f.IncidentsCovered)) {
		// The share would give the hidden count back.
		p["coverage_incidents"] = nil
	}
	p["places"], p["places_covered"] = f.Places, f.PlacesCovered
	p["cameras"], p["cameras_online"] = f.Cameras, f.CamerasOnline
	p["cameras_xueliang"], p["cameras_rural_ground_network"] = f.CamerasXueliang, f.CamerasRuralGroundNetwork
	p["cameras_courtyard"] = f.CamerasCourtyard
}

// shareValue rounds a share to 6 decimals; nil stays null.
func shareValue(s *float64) any {
	if s == nil {
		return nil
	}
	return math.Round(*s*1e6) / 1e6
}

// summary serves GET /coverage/summary: the coverage of every village,
// township or the district, as JSON rows or (format=geojson) unit polygons.
func (h *coverageAPI) summary(w http.ResponseWriter, r *http.Request) error {
	a, err := h.s.current()
	if err != nil {
		return err
	}
	q, err := parseCoverage(r.Context(), r.URL.Query(), a, h.s.now(), true, func(p *paramReader, q *coverageQuery) { q.summaryOptions(p) })
	if err != nil {
		return err
	}
	v, err := h.prepare(w, r, a, q)
	if err != nil || v == nil {
		return err
	}
	units := v.Summary(q.level, q.variant, q.window)
	if q.asGeoJSON {
		fc := geojson.NewFeatureCollection()
		for _, u := range units {
			f := geojson.NewFeature(data.RoundGeometry(unitOutline(a, q.level, u.Unit.ID)))
			f.ID = u.Unit.ID
			f.Properties = unitProps(r.Context(), q.level, u)
			fc.Append(f)
		}
		fc.ExtraMembers = about(v, q)
		fc.ExtraMembers["level"] = q.level
		return writeJSON(w, mediaGeoJSON, fc)
	}
	rows := make([]geojson.Properties, len(units))
	for i, u := range units {
		rows[i] = unitProps(r.Context(), q.level, u)
	}
	doc := about(v, q)
	doc["level"], doc["rows"] = q.level, rows
	return writeJSON(w, mediaJSON, doc)
}

// unitProps are the properties of a unit's row.
func unitProps(ctx context.Context, level coverage.Level, u coverage.UnitVideo) geojson.Properties {
	p := geojson.Properties{"id": u.Unit.ID, "name": u.Unit.Name, "level": level, "grids": u.Grids}
	videoFigureProps(ctx, u.VideoFigures, p)
	return p
}

// unitOutline returns the outline of a unit: the village's or township's
// polygon, or the district's, dissolved from its grids; counter-clockwise.
func unitOutline(a *geo.Atlas, level coverage.Level, id string) orb.MultiPolygon {
	var mp orb.MultiPolygon
	switch level {
	case coverage.LevelVillage:
		if v, ok := a.Villages.Get(id); ok {
			mp = v.Polygon
		}
	case coverage.LevelTownship:
		if t, ok := a.Townships.Get(id); ok {
			mp = t.Polygon
		}
	default:
		polys := make([]orb.Polygon, a.Grids.Len())
		for i, g := range a.Grids.Items() {
			polys[i] = g.Polygon
		}
		mp = geo.Dissolve(polys)
	}
	out := make(orb.MultiPolygon, len(mp))
	for i, p := range mp {
		out[i] = loadOriented(p)
	}
	return out
}

// unitNames returns the village and township of a grid (empty for nil).
func unitNames(g *geo.Grid) (id, village, township string) {
	if g == nil {
		return "", "", ""
	}
	return g.ID, g.Village, g.Township
}
