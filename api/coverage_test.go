package api

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// covFC is a decoded FeatureCollection of a coverage endpoint.
type covFC struct {
	Type           string         `json:"type"`
	Features       []covFeature   `json:"features"`
	Variant        string         `json:"variant"`
	Resolution     int            `json:"resolution"`
	Window         map[string]any `json:"window"`
	NumberMatched  int            `json:"numberMatched"`
	NumberReturned int            `json:"numberReturned"`
}

type covFeature struct {
	Type       string         `json:"type"`
	ID         string         `json:"id"`
	Geometry   map[string]any `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

func getCovFC(t *testing.T, h http.Handler, target string, headers ...string) covFC {
	t.Helper()
	rec := get(t, h, target, headers...)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, mediaGeoJSON, rec.Header().Get("Content-Type"))
	requireRFC7946(t, rec.Body.Bytes())
	return decode[covFC](t, rec)
}

// covAsOf is the as_of date the tests ask for: the fixture's incidents
// fall in the 365 days before it.
var covAsOf = time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)

// covVideo computes the fixture's coverage directly, for comparison.
func covVideo(t *testing.T, a *geo.Atlas, variant coverage.Variant) map[string]coverage.GridVideo {
	t.Helper()
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	w, err := coverage.NewWindow(a, covAsOf, coverage.DefaultWindowDays, time.Now())
	require.NoError(t, err)
	out := map[string]coverage.GridVideo{}
	for _, g := range v.Grids(variant, w) {
		out[g.Grid.ID] = g
	}
	return out
}

func TestCoverageGrids_EveryGridWithItsFigures(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 200)
	for _, variant := range coverage.Variants {
		fc := getCovFC(t, s, "/coverage/grids?as_of=2024-12-31&variant="+string(variant))
		require.Len(t, fc.Features, 4)
		require.Equal(t, string(variant), fc.Variant)
		require.Equal(t, coverage.DefaultVideoResolution, fc.Resolution)
		want := covVideo(t, a, variant)
		for _, f := range fc.Features {
			p := f.Properties
			w := want[f.ID]
			for _, k := range []string{"id", "village", "township", "coverage_area", "coverage_settlement_area",
				"coverage_population", "coverage_incidents", "coverage_places", "area_m2", "covered_area_m2",
				"settlement_area_m2", "covered_settlement_area_m2", "population", "population_covered", "incidents",
				"incidents_covered", "places", "places_covered", "cameras", "cameras_online", "online_rate",
				"cameras_xueliang", "cameras_rural_ground_network", "cameras_courtyard"} {
				require.Contains(t, p, k, "%s %s", f.ID, k)
			}
			require.Equal(t, w.CoveredAreaM2, p["covered_area_m2"], f.ID)
			require.Equal(t, w.Incidents, p["incidents"], f.ID)
			require.Equal(t, w.IncidentsCovered, p["incidents_covered"], f.ID)
			require.Equal(t, w.Cameras, p["cameras"], f.ID)
			require.InDelta(t, *w.Shares().Area, p["coverage_area"], 1e-6, f.ID)
			if p["places"] == 0.0 {
				require.Nil(t, p["coverage_places"], f.ID)
			}
		}
	}
}

func TestCoverageGrids_FiltersAndETag(t *testing.T) {
	t.Parallel()
	a := fixtureAtlas(t, 50)
	h := NewAtlasHolder(a)
	s := New(Options{Atlas: h.Load})
	require.Len(t, getCovFC(t, s, "/coverage/grids?township=T1").Features, 2)
	require.Len(t, getCovFC(t, s, "/coverage/grids?village=V2").Features, 2)
	require.Len(t, getCovFC(t, s, fmt.Sprintf("/coverage/grids?bbox=%f,%f,%f,%f", fixLon0+0.001, fixLat0+0.001, fixLon0+0.002, fixLat0+0.002)).Features, 1)

	rec := get(t, s, "/coverage/grids")
	tag := rec.Header().Get("ETag")
	require.NotEmpty(t, tag)
	require.Equal(t, http.StatusNotModified, get(t, s, "/coverage/grids", "If-None-Match", tag).Code)
	require.NotEqual(t, tag, get(t, s, "/coverage/grids?variant=operational").Header().Get("ETag"), "the query is in the ETag")

	// Responder positions are another layer: the answer stands.
	moved, err := a.WithLayer(geo.LayerResponders, nil)
	require.NoError(t, err)
	h.Store(moved)
	require.Equal(t, http.StatusNotModified, get(t, s, "/coverage/grids", "If-None-Match", tag).Code)
	// A camera write changes it.
	c, _ := a.Cameras.Get("c01")
	off := *c
	off.Online = !off.Online
	next, err := moved.Apply(geo.LayerCameras, []geo.Feature{&off}, nil)
	require.NoError(t, err)
	h.Store(next)
	rec = get(t, s, "/coverage/grids", "If-None-Match", tag)
	require.Equal(t, http.StatusOK, rec.Code)
	require.NotEqual(t, tag, rec.Header().Get("ETag"))
}

func TestCoverageEndpoints_RefuseBadParameters(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 10)
	cases := []struct{ target, field string }{
		{"/coverage/grids?nonsense=1", "nonsense"},
		{"/coverage/grids?resolution=8", "resolution"},
		{"/coverage/grids?resolution=14", "resolution"},
		{"/coverage/grids?variant=all", "variant"},
		{"/coverage/grids?as_of=30-06-2026", "as_of"},
		{"/coverage/grids?window_days=0", "window_days"},
		{"/coverage/grids?township=nowhere", "township"},
		{"/coverage/grids?grid=g1", "grid"},
		{"/coverage/grids?bbox=1,2,3", "bbox"},
		{"/coverage/grids?f=xml", "f"},
		{"/coverage/gaps?limit=0", "limit"},
		{"/coverage/gaps?min_area_m2=-1", "min_area_m2"},
		{"/coverage/gaps?grid=nowhere", "grid"},
		{"/coverage/gaps?level=village", "level"},
		{"/coverage/hotspots?resolution=15", "resolution"},
		{"/coverage/hotspots?min_area_m2=5", "min_area_m2"},
		{"/coverage/summary?level=county", "level"},
		{"/coverage/summary?format=csv", "format"},
		{"/coverage/summary?limit=3", "limit"},
		{"/cameras/c01/viewshed?variant=installed", "variant"},
	}
	for _, tc := range cases {
		t.Run(tc.target, func(t *testing.T) {
			t.Parallel()
			p := requireProblem(t, get(t, s, tc.target), http.StatusBadRequest)
			var fields []string
			for _, e := range p.Errors {
				fields = append(fields, e.Field)
			}
			require.Contains(t, fields, tc.field, p.Detail)
		})
	}
	requireProblem(t, get(t, s, "/cameras/nope/viewshed"), http.StatusNotFound)
}

func TestCoverageSummary_RollsUpTheGridsExactly(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 300)
	grids := getCovFC(t, s, "/coverage/grids?variant=operational&as_of=2024-03-01&window_days=40")
	figures := []string{"area_m2", "covered_area_m2", "settlement_area_m2", "covered_settlement_area_m2", "population",
		"population_covered", "incidents", "incidents_covered", "places", "places_covered", "cameras", "cameras_online",
		"cameras_xueliang", "cameras_rural_ground_network", "cameras_courtyard"}
	for _, level := range []coverage.Level{coverage.LevelVillage, coverage.LevelTownship, coverage.LevelDistrict} {
		rec := get(t, s, "/coverage/summary?variant=operational&as_of=2024-03-01&window_days=40&level="+string(level))
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.Equal(t, mediaJSON, rec.Header().Get("Content-Type"))
		doc := decode[struct {
			Level string           `json:"level"`
			Rows  []map[string]any `json:"rows"`
		}](t, rec)
		require.Equal(t, string(level), doc.Level)
		sums := map[string]map[string]float64{}
		for _, f := range grids.Features {
			g, _ := a.Grids.Get(f.ID)
			u := coverage.UnitOf(a, g, level).ID
			if sums[u] == nil {
				sums[u] = map[string]float64{}
			}
			for _, k := range figures {
				sums[u][k] += f.Properties[k].(float64)
			}
		}
		require.Len(t, doc.Rows, len(sums))
		for _, row := range doc.Rows {
			for _, k := range figures {
				require.Equal(t, sums[row["id"].(string)][k], row[k], "%s %v %s", level, row["id"], k)
			}
			require.NotEmpty(t, row["name"])
		}
		fc := getCovFC(t, s, "/coverage/summary?format=geojson&level="+string(level))
		require.Len(t, fc.Features, len(sums))
		require.Equal(t, "MultiPolygon", fc.Features[0].Geometry["type"])
	}
}

func TestCoverageGapsAndHotspots(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 400)
	gaps := getCovFC(t, s, "/coverage/gaps?limit=3&as_of=2024-12-31")
	require.LessOrEqual(t, len(gaps.Features), 3)
	require.Equal(t, len(gaps.Features), gaps.NumberReturned)
	require.GreaterOrEqual(t, gaps.NumberMatched, gaps.NumberReturned)
	for i, f := range gaps.Features {
		require.Equal(t, float64(i+1), f.Properties["rank"])
		if i > 0 {
			require.GreaterOrEqual(t, gaps.Features[i-1].Properties["priority"], f.Properties["priority"])
		}
		for _, k := range []string{"area_m2", "population", "incidents", "places", "grid", "village", "township", "priority"} {
			require.Contains(t, f.Properties, k)
		}
	}
	for _, f := range getCovFC(t, s, "/coverage/gaps?grid=g2&min_area_m2=1000").Features {
		require.Equal(t, "g2", f.Properties["grid"])
		require.GreaterOrEqual(t, f.Properties["area_m2"], 1000.0)
	}
	hs := getCovFC(t, s, "/coverage/hotspots?variant=operational&resolution=10&as_of=2024-12-31")
	require.Equal(t, 10, hs.Resolution)
	perGrid := map[string]float64{}
	for _, f := range hs.Features {
		perGrid[f.Properties["grid"].(string)] += f.Properties["incidents"].(float64)
	}
	for id, g := range covVideo(t, a, coverage.Operational) {
		require.Equal(t, g.Incidents-g.IncidentsCovered, perGrid[id], id)
	}
}

// newAsOfServer is newSecureServer over the fixture dated 2024-12-31, so
// that viewers (who may not move as_of) count the fixture's incidents.
func newAsOfServer(t *testing.T) *secureServer {
	t.Helper()
	d := fixtureDataset(20)
	d.Meta.AsOf = time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
	a, err := geo.NewAtlas(d, geo.Options{})
	require.NoError(t, err)
	return newSecureServer(t, func(o *Options) {
		h := NewAtlasHolder(a)
		o.Atlas, o.Publish = h.Load, h.Store
	})
}

func TestCoverage_ViewersSeeSmallCountsHidden(t *testing.T) {
	t.Parallel()
	ss := newAsOfServer(t)
	viewer := call(t, ss, http.MethodGet, "/coverage/hotspots?resolution=11", viewerSecret, nil)
	require.Equal(t, http.StatusOK, viewer.Code, viewer.Body.String())
	analyst := call(t, ss, http.MethodGet, "/coverage/hotspots?resolution=11", analystSecret, nil)
	require.Equal(t, http.StatusOK, analyst.Code)
	vf, af := decode[covFC](t, viewer), decode[covFC](t, analyst)
	// Viewers get the hotspots summed per grid (the floor's unit).
	perGrid := map[string]float64{}
	for _, f := range af.Features {
		perGrid[f.Properties["grid"].(string)] += f.Properties["incidents"].(float64)
	}
	require.Len(t, vf.Features, len(perGrid))
	hidden := 0
	for _, f := range vf.Features {
		n := perGrid[f.Properties["grid"].(string)]
		got := f.Properties["incidents"]
		if n < 3 {
			require.Equal(t, "<3", got)
			hidden++
		} else {
			require.Equal(t, n, got)
		}
	}
	require.Positive(t, hidden, "grids with one or two unwatched incidents are hidden from viewers")
	require.NotEqual(t, viewer.Header().Get("ETag"), analyst.Header().Get("ETag"), "the role is in the ETag")
	require.Equal(t, http.StatusForbidden, call(t, ss, http.MethodGet, "/cameras/c01/viewshed", viewerSecret, nil).Code)
	require.Equal(t, http.StatusOK, call(t, ss, http.MethodGet, "/cameras/c01/viewshed", analystSecret, nil).Code)
	require.Equal(t, http.StatusForbidden, call(t, ss, http.MethodGet, "/collections/viewsheds/items", viewerSecret, nil).Code)
	require.Equal(t, http.StatusOK, call(t, ss, http.MethodGet, "/collections/viewsheds/items", analystSecret, nil).Code)
}

func TestGridCoverageFeatures_ForTheCommandLine(t *testing.T) {
	t.Parallel()
	a := fixtureAtlas(t, 20)
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	w, err := coverage.NewWindow(a, time.Time{}, 30, time.Now())
	require.NoError(t, err)
	fc := GridCoverageFeatures(context.Background(), v.Grids(coverage.Installed, w), nil)
	require.Len(t, fc.Features, 4)
	for _, f := range fc.Features {
		require.False(t, math.IsNaN(f.Properties["area_m2"].(float64)))
		_, redacted := f.Properties["incidents"].(string)
		require.False(t, redacted, "no caller: exact counts")
	}
}

func TestCoverage_ViewersCannotRecoverHiddenCounts(t *testing.T) {
	t.Parallel()
	ss := newAsOfServer(t)
	get := func(path, secret string) covFC {
		rec := call(t, ss, http.MethodGet, path, secret, nil)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		return decode[covFC](t, rec)
	}
	vg, ag := get("/coverage/grids", viewerSecret), get("/coverage/grids", analystSecret)
	require.Len(t, vg.Features, len(ag.Features))
	hiddenShares, hiddenGaps := 0, 0
	for i, f := range ag.Features {
		n, c := f.Properties["incidents"].(float64), f.Properties["incidents_covered"].(float64)
		if (n > 0 && n < 3) || (c > 0 && c < 3) {
			hiddenShares++
			require.Nil(t, vg.Features[i].Properties["coverage_incidents"], "the share would give the count back")
		} else {
			require.Equal(t, f.Properties["coverage_incidents"], vg.Features[i].Properties["coverage_incidents"])
		}
	}
	// Viewers get each grid's gaps summed; a hidden count enters the
	// priority as 1.5.
	vgap, agap := get("/coverage/gaps?limit=1000", viewerSecret), get("/coverage/gaps?limit=1000", analystSecret)
	days := agap.Window["days"].(float64)
	type sum struct{ pop, inc, places float64 }
	sums := map[string]*sum{}
	for _, f := range agap.Features {
		g := f.Properties["grid"].(string)
		if sums[g] == nil {
			sums[g] = &sum{}
		}
		sums[g].pop += f.Properties["population"].(float64)
		sums[g].inc += f.Properties["incidents"].(float64)
		sums[g].places += f.Properties["places"].(float64)
	}
	require.Len(t, vgap.Features, len(sums))
	for _, f := range vgap.Features {
		v := f.Properties
		s := sums[v["grid"].(string)]
		n := s.inc
		if n > 0 && n < 3 {
			hiddenGaps++
			require.Equal(t, "<3", v["incidents"])
			n = 1.5
		} else {
			require.Equal(t, s.inc, v["incidents"])
		}
		want := s.pop + 10*n*365/days + 50*s.places
		require.InDelta(t, want, v["priority"].(float64), 0.2, v["grid"])
	}
	t.Logf("%d grid shares and %d gap priorities blurred for viewers", hiddenShares, hiddenGaps)
	require.Positive(t, hiddenShares+hiddenGaps, "the fixture has small counts to hide")
}
