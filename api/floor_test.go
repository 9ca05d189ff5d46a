package api

import (
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// The leak tests of the viewer floor run against the default dataset,
// where the leaks were found, through one shared server.
var floorServer struct {
	once sync.Once
	a    *geo.Atlas
	srv  *Server
	err  error
}

func defaultFloorServer(t *testing.T) (*Server, *geo.Atlas) {
	t.Helper()
	floorServer.once.Do(func() {
		d, err := data.Default()
		if err != nil {
			floorServer.err = err
			return
		}
		floorServer.a, floorServer.err = geo.NewAtlas(d, geo.Options{})
		a := floorServer.a
		// The race detector on a shared machine makes these analyses slow.
		floorServer.srv = New(Options{Atlas: func() *geo.Atlas { return a }, Tokens: NewTokens(testTokenSet()),
			Limits: Limits{Timeout: 10 * time.Minute}})
	})
	require.NoError(t, floorServer.err)
	return floorServer.srv, floorServer.a
}

// floorGet is a GET as the token's holder that must answer 200.
func floorGet(t *testing.T, srv http.Handler, target, secret string) *geojson.FeatureCollection {
	t.Helper()
	rec := call(t, srv, http.MethodGet, target, secret, nil)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	fc, err := geojson.UnmarshalFeatureCollection(rec.Body.Bytes())
	require.NoError(t, err)
	return fc
}

// ringCentre is the planar centroid of a ring (degrees, relative to its
// first vertex so that small rings keep their precision).
func ringCentre(r orb.Ring) orb.Point {
	var cx, cy, a float64
	o := r[0]
	for i := 0; i+1 < len(r); i++ {
		x0, y0, x1, y1 := r[i][0]-o[0], r[i][1]-o[1], r[i+1][0]-o[0], r[i+1][1]-o[1]
		c := x0*y1 - x1*y0
		a += c
		cx += (x0 + x1) * c
		cy += (y0 + y1) * c
	}
	return orb.Point{o[0] + cx/(3*a), o[1] + cy/(3*a)}
}

// polygonsOf lists the polygons of a (multi)polygon geometry.
func polygonsOf(g orb.Geometry) []orb.Polygon {
	switch g := g.(type) {
	case orb.Polygon:
		return []orb.Polygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

// holeCentres returns the centre of every hole of every feature: the
// points a gap's holes reveal.
func holeCentres(fc *geojson.FeatureCollection) []orb.Point {
	var out []orb.Point
	for _, f := range fc.Features {
		for _, p := range polygonsOf(f.Geometry) {
			for _, h := range p[1:] {
				out = append(out, ringCentre(h))
			}
		}
	}
	return out
}

// nearestM returns, for each point, the distance in metres to the nearest
// of the real points (brute force).
func nearestM(points, real []orb.Point) []float64 {
	out := make([]float64, len(points))
	for i, p := range points {
		out[i] = math.Inf(1)
		for _, q := range real {
			out[i] = math.Min(out[i], geo.Distance(p, q))
		}
	}
	return out
}

// shareWithin is the share of distances at most m.
func shareWithin(ds []float64, m float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	n := 0
	for _, d := range ds {
		if d <= m {
			n++
		}
	}
	return float64(n) / float64(len(ds))
}

// median of ds (NaN when empty).
func median(ds []float64) float64 {
	if len(ds) == 0 {
		return math.NaN()
	}
	s := slices.Sorted(slices.Values(ds))
	return s[len(s)/2]
}

// floorDistanceM is how far every point a viewer's answer reveals (a
// hole's or a cell's centre) must be from the nearest real officer,
// incident or camera: before the floor, 40 of 43 hole centres of
// /response/gaps were within 100 m of an officer (median 17 m), every
// hotspot cell centre within 4 m of an incident and 250 of 251 gap holes
// within 30 m of a camera. Under the floor the points revealed are centres
// of whole grids (the smallest 0.19 km², about 250 m in radius) and of
// unions of grids.
const floorDistanceM = 100

// gridPolygons indexes the grids' polygons by id.
func gridsByID(a *geo.Atlas) map[string]*geo.Grid {
	out := map[string]*geo.Grid{}
	for _, g := range a.Grids.Items() {
		out[g.ID] = g
	}
	return out
}

// requireGridUnion checks that a feature's geometry is the union of the
// grids named in its "grids" property (or its "grid"): its area is theirs.
func requireGridUnion(t *testing.T, a *geo.Atlas, f *geojson.Feature) {
	t.Helper()
	byID := gridsByID(a)
	var ids []string
	switch v := f.Properties["grids"].(type) {
	case []any:
		for _, id := range v {
			ids = append(ids, id.(string))
		}
	default:
		ids = []string{f.Properties["grid"].(string)}
	}
	var want float64
	for _, id := range ids {
		g, ok := byID[id]
		require.True(t, ok, id)
		want += geo.PolygonArea(g.Polygon)
	}
	var got float64
	for _, p := range polygonsOf(f.Geometry) {
		got += geo.PolygonArea(p)
	}
	require.InEpsilon(t, want, got, 1e-3, "feature %v: not the union of its %d grids", f.ID, len(ids))
}

func policePoints(a *geo.Atlas) []orb.Point {
	var out []orb.Point
	for _, r := range a.Responders.Items() {
		if r.Role == geo.RolePolice {
			out = append(out, r.Point)
		}
	}
	return out
}

// Finding 1: the holes of /response/gaps sat on the available officers.
// A viewer now gets unions of whole grids, whose holes are whole grids; an
// analyst still gets the cells, holes on the officers included.
func TestFloor_ResponseGapsHideOfficers(t *testing.T) {
	t.Parallel()
	srv, a := defaultFloorServer(t)
	police := policePoints(a)
	const q = "/response/gaps?threshold_s=60&resolution=10&scope=district"
	viewer := floorGet(t, srv, q, viewerSecret)
	require.NotEmpty(t, viewer.Features)
	ds := nearestM(holeCentres(viewer), police)
	t.Logf("viewer: %d holes, median distance to an officer %.0f m, %.0f%% within %d m",
		len(ds), median(ds), 100*shareWithin(ds, floorDistanceM), floorDistanceM)
	// A hole is a whole grid now, and its centre only a grid's centre: an
	// officer may stand near one by chance (on the default dataset one of
	// 16 is 94 m from one), but the holes no longer follow the officers.
	require.LessOrEqual(t, shareWithin(ds, floorDistanceM), 0.1, "the holes sit on the officers")
	require.Greater(t, median(ds), 3.0*floorDistanceM)
	for _, f := range viewer.Features {
		requireGridUnion(t, a, f)
	}
	require.Equal(t, "grid", viewer.ExtraMembers["unit"])
	summary := viewer.ExtraMembers["summary"].(map[string]any)
	require.EqualValues(t, floorResolution, summary["resolution"], "viewers get no finer cells")

	// Arrival times per grid come in whole minutes.
	grids := floorGet(t, srv, "/response/grids?threshold_s=60&resolution=9&scope=district", viewerSecret)
	for _, f := range grids.Features {
		if w, ok := f.Properties["worst_s"].(float64); ok {
			require.Zero(t, math.Mod(w, floorTimeStepS), f.ID)
		}
	}

	// The analyst's answer is the exact one: the analysis's own gaps, with
	// their holes on the officers (on the straight-line model, whose holes
	// are discs around them; an analyst's default on a dataset with roads
	// is the road network).
	require.Equal(t, "network", floorGet(t, srv, "/response/gaps?threshold_s=60&resolution=9&scope=district", analystSecret).ExtraMembers["summary"].(map[string]any)["eta_model"])
	const qa = "/response/gaps?threshold_s=60&resolution=9&scope=district&eta_model=straight"
	analyst := floorGet(t, srv, qa, analystSecret)
	want, err := coverage.Response(a, coverage.ResponseOptions{Scope: coverage.ScopeDistrict, Resolution: 9,
		ThresholdS: 60, MaxAge: coverage.DefaultMaxAge, Now: coverage.ReferenceTime(a, srv.now())})
	require.NoError(t, err)
	require.Len(t, analyst.Features, len(want.Gaps))
	for i, f := range analyst.Features {
		require.EqualValues(t, len(want.Gaps[i].Cells), f.Properties["cells"])
	}
	da := nearestM(holeCentres(analyst), police)
	require.NotEmpty(t, da)
	require.Greater(t, shareWithin(da, floorDistanceM), 0.5, "the analyst's holes are the exact ones")

	// Viewers may not slide the age window, nor ask for road-network times.
	rec := call(t, srv, http.MethodGet, q+"&max_age_s=60", viewerSecret, nil)
	requireProblemField(t, rec, "max_age_s")
	rec = call(t, srv, http.MethodGet, q+"&eta_model=network", viewerSecret, nil)
	requireProblemField(t, rec, "eta_model")
}

// requireProblemField checks a 400 problem naming the field.
func requireProblemField(t *testing.T, rec *httptest.ResponseRecorder, field string) {
	t.Helper()
	p := requireProblem(t, rec, http.StatusBadRequest)
	var fields []string
	for _, pr := range p.Errors {
		fields = append(fields, pr.Field)
	}
	require.Contains(t, fields, field, fmt.Sprint(p))
}

// outerCentres returns the centre of every feature's outer ring(s).
func outerCentres(fc *geojson.FeatureCollection) []orb.Point {
	var out []orb.Point
	for _, f := range fc.Features {
		for _, p := range polygonsOf(f.Geometry) {
			out = append(out, ringCentre(p[0]))
		}
	}
	return out
}

func incidentPoints(a *geo.Atlas, w coverage.Window) []orb.Point {
	var out []orb.Point
	for _, in := range a.Incidents.Items() {
		if w.Contains(in.Time) {
			out = append(out, in.Point)
		}
	}
	return out
}

// Finding 2: hotspot cells at resolution 13 sat on the incidents, and
// sliding as_of with window_days=1 dated each. A viewer now gets the
// unwatched incidents per grid over windows of at least 30 days ending on
// the dataset's date; an analyst still gets the cells.
func TestFloor_HotspotsHideIncidents(t *testing.T) {
	t.Parallel()
	srv, a := defaultFloorServer(t)
	w, err := coverage.NewWindow(a, a.Meta.AsOf, 30, srv.now())
	require.NoError(t, err)
	incidents := incidentPoints(a, w)
	const q = "/coverage/hotspots?resolution=13&window_days=30"
	viewer := floorGet(t, srv, q, viewerSecret)
	require.NotEmpty(t, viewer.Features)
	// Before the floor every cell's centre was within 4 m of an incident.
	require.Greater(t, median(nearestM(outerCentres(viewer), incidents)), 2.0*floorDistanceM)
	for _, f := range viewer.Features {
		requireGridUnion(t, a, f)
		require.NotContains(t, f.Properties, "cell")
		if n, ok := f.Properties["incidents"].(float64); ok {
			require.GreaterOrEqual(t, n, float64(smallCountLimit), f.ID)
		} else {
			require.Equal(t, redactedCount, f.Properties["incidents"], f.ID)
		}
	}
	ds := nearestM(outerCentres(viewer), incidents)
	t.Logf("viewer: %d features, median distance to an incident %.0f m, %.0f%% within %d m",
		len(ds), median(ds), 100*shareWithin(ds, floorDistanceM), floorDistanceM)
	// The points revealed are the centres of public grids, which lie near
	// an incident as often as any grid's centre does (settlements sit in
	// the middle of their grids), against every cell before the floor.
	base := nearestM(gridCentres(a), incidents)
	t.Logf("every grid's centre: median %.0f m, %.0f%% within %d m", median(base), 100*shareWithin(base, floorDistanceM), floorDistanceM)
	require.LessOrEqual(t, shareWithin(ds, floorDistanceM), shareWithin(base, floorDistanceM)+0.1)
	require.Greater(t, median(ds), 2.0*floorDistanceM)

	// The analyst's cells are exact: each centre within a cell's radius
	// of an incident, and they add up to the viewer's counts per grid.
	analyst := floorGet(t, srv, q+"&limit=10000", analystSecret)
	da := nearestM(outerCentres(analyst), incidents)
	require.Less(t, median(da), 10.0)
	perGrid := map[string]int{}
	for _, f := range analyst.Features {
		if g, _ := f.Properties["grid"].(string); g != "" {
			perGrid[g] += int(f.Properties["incidents"].(float64))
		}
	}
	for _, f := range viewer.Features {
		if n, ok := f.Properties["incidents"].(float64); ok {
			require.EqualValues(t, perGrid[f.ID.(string)], n, f.ID)
		}
	}

	// No window to slide: short windows and other end dates are refused.
	requireProblemField(t, call(t, srv, http.MethodGet, "/coverage/hotspots?window_days=1", viewerSecret, nil), "window_days")
	requireProblemField(t, call(t, srv, http.MethodGet, "/coverage/hotspots?window_days=31", viewerSecret, nil), "window_days")
	requireProblemField(t, call(t, srv, http.MethodGet, "/coverage/hotspots?window_days=30&as_of=2026-01-15", viewerSecret, nil), "as_of")
	require.Equal(t, http.StatusOK, call(t, srv, http.MethodGet, "/coverage/hotspots?window_days=1&as_of=2026-01-15", analystSecret, nil).Code)
}

func gridCentres(a *geo.Atlas) []orb.Point {
	out := make([]orb.Point, a.Grids.Len())
	for i, g := range a.Grids.Items() {
		out[i] = ringCentre(g.Polygon[0])
	}
	return out
}

// impliedIncidents solves the published load formula for a grid's
// incident count: demand = Σ w_k·X_k/m_k ÷ Σ w_k over the weights and means
// of the answer, with residents, households and area from the grid itself.
func impliedIncidents(doc *geojson.FeatureCollection, p geojson.Properties) float64 {
	w := doc.ExtraMembers["weights"].(map[string]any)
	m := doc.ExtraMembers["means"].(map[string]any)
	x := map[string]float64{"residents": p["population"].(float64), "households": p["households"].(float64),
		"area": p["area_km2"].(float64)}
	means := map[string]float64{"residents": m["residents_per_police"].(float64), "households": m["households_per_police"].(float64),
		"incidents": m["incidents_per_police"].(float64), "area": m["area_km2_per_police"].(float64)}
	var sum, known float64
	for k, mk := range means {
		if mk > 0 {
			sum += w[k].(float64)
		}
		if xk, ok := x[k]; ok && mk > 0 {
			known += w[k].(float64) * xk / mk
		}
	}
	return (p["demand"].(float64)*sum - known) * means["incidents"] / w["incidents"].(float64)
}

// Finding 3: /load/grids gave viewers the exact small counts that
// /coverage/grids shows them as "<3", directly and through the load
// formula. Now both hide them the same way; analysts get them exact.
func TestFloor_LoadHidesSmallCounts(t *testing.T) {
	t.Parallel()
	srv, a := defaultFloorServer(t)
	w, err := coverage.NewWindow(a, a.Meta.AsOf, 30, srv.now())
	require.NoError(t, err)
	want := map[string]int{}
	for _, in := range a.Incidents.Items() {
		if in.Grid != "" && w.Contains(in.Time) {
			want[in.Grid]++
		}
	}
	for _, q := range []string{"/load/grids?window_days=30", "/load/grids?window_days=30&weight_residents=0&weight_households=0&weight_area=0&weight_incidents=1"} {
		viewer := floorGet(t, srv, q, viewerSecret)
		hidden := 0
		for _, f := range viewer.Features {
			id := f.ID.(string)
			for _, k := range []string{"incidents", "incidents_30d"} {
				require.NotContains(t, []any{1.0, 2.0}, f.Properties[k], "%s %s", id, k)
			}
			if n := want[id]; n > 0 && n < smallCountLimit {
				hidden++
				require.Equal(t, redactedCount, f.Properties["incidents"], id)
				require.InDelta(t, blurredIncidents, impliedIncidents(viewer, f.Properties), 1e-6, "%s: the load formula gives the count back", id)
			} else {
				require.EqualValues(t, n, f.Properties["incidents"], id)
			}
		}
		require.NotZero(t, hidden, "the dataset has grids with 1 or 2 incidents in 30 days")

		analyst := floorGet(t, srv, q, analystSecret)
		for _, f := range analyst.Features {
			id := f.ID.(string)
			require.EqualValues(t, want[id], f.Properties["incidents"], id)
			require.InDelta(t, float64(want[id]), impliedIncidents(analyst, f.Properties), 1e-6, id)
		}
	}
	// Summaries hide the same counts; split=demand would give them back.
	for _, level := range []string{"grid", "beat", "village"} {
		rec := call(t, srv, http.MethodGet, "/load/summary?window_days=30&level="+level, viewerSecret, nil)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		for _, row := range decode[map[string]any](t, rec)["rows"].([]any) {
			for _, k := range []string{"incidents", "incidents_30d"} {
				require.NotContains(t, []any{1.0, 2.0}, row.(map[string]any)[k], level)
			}
		}
	}
	requireProblemField(t, call(t, srv, http.MethodGet, "/load/grids?split=demand", viewerSecret, nil), "split")
}

// Finding 4: the holes of /coverage/gaps are camera viewsheds, 250 of 251
// within 30 m of a camera. A viewer now gets each grid's uncovered figures
// on the grid's polygon; an analyst still gets the gaps' own outlines.
func TestFloor_CoverageGapsHideCameras(t *testing.T) {
	t.Parallel()
	srv, a := defaultFloorServer(t)
	var cameras []orb.Point
	for _, c := range a.Cameras.Items() {
		cameras = append(cameras, c.Point)
	}
	const q = "/coverage/gaps?limit=10000"
	viewer := floorGet(t, srv, q, viewerSecret)
	analyst := floorGet(t, srv, q, analystSecret)
	require.NotEmpty(t, viewer.Features)
	area := map[string]float64{}
	for _, f := range analyst.Features {
		area[f.Properties["grid"].(string)] += f.Properties["area_m2"].(float64)
	}
	ds := nearestM(holeCentres(viewer), cameras)
	for i, d := range ds {
		require.Greater(t, d, float64(floorDistanceM), "hole %d sits on a camera", i)
	}
	for _, f := range viewer.Features {
		requireGridUnion(t, a, f)
		require.InDelta(t, area[f.ID.(string)], f.Properties["area_m2"].(float64), 1, f.ID)
	}
	oc := nearestM(outerCentres(viewer), cameras)
	base := nearestM(gridCentres(a), cameras)
	t.Logf("viewer: %d holes, outlines' centres %.0f%% within %d m of a camera (every grid's: %.0f%%)",
		len(ds), 100*shareWithin(oc, floorDistanceM), floorDistanceM, 100*shareWithin(base, floorDistanceM))
	require.LessOrEqual(t, shareWithin(oc, floorDistanceM), shareWithin(base, floorDistanceM)+0.1)

	da := nearestM(holeCentres(analyst), cameras)
	require.NotEmpty(t, da)
	require.Greater(t, shareWithin(da, 30), 0.9, "the analyst's holes are the viewsheds")
}
