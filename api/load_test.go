package api

import (
	"encoding/json"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// loadTestAsOf is the as-of date of the load tests' dataset: 30 days after
// its first incident, so that the default window holds all of them.
var loadTestAsOf = time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)

// loadTestDataset is the API fixture with 100 incidents and these
// responders: police P1 (g1, g2), P2 (g2), P3 (g3), P4 at the station;
// auxiliaries A1 (g1, g2), A2 (g1), A3 (g2); grid worker W1 (g1).
// g4 has nobody. Beat B1 holds g1 and g2 (P1, P2, A1, A2, A3 work in it),
// B2 g3 and g4 (P3 alone: two auxiliaries short).
func loadTestDataset() *geo.Dataset {
	d := fixtureDataset(100)
	d.Meta.AsOf = loadTestAsOf
	d.Responders = nil
	for _, r := range []struct {
		id    string
		role  geo.Role
		grids []string
	}{
		{"P1", geo.RolePolice, []string{"g1", "g2"}}, {"P2", geo.RolePolice, []string{"g2"}},
		{"P3", geo.RolePolice, []string{"g3"}}, {"P4", geo.RolePolice, nil},
		{"A1", geo.RoleAuxiliary, []string{"g1", "g2"}}, {"A2", geo.RoleAuxiliary, []string{"g1"}},
		{"A3", geo.RoleAuxiliary, []string{"g2"}}, {"W1", geo.RoleGridWorker, []string{"g1"}},
	} {
		d.Responders = append(d.Responders, &geo.Responder{ID: r.id, Name: r.id, Role: r.role, Station: "S1",
			Grids: r.grids, Point: fixPoint(0.5, 0.5), Available: true, Updated: fixtureResponderTime})
	}
	return d
}

func newLoadTestServer(t testing.TB) (*Server, *geo.Atlas) {
	t.Helper()
	a, err := geo.NewAtlas(loadTestDataset(), geo.Options{})
	require.NoError(t, err)
	return New(Options{Atlas: func() *geo.Atlas { return a }}), a
}

// loadFC is a decoded load answer.
type loadFC struct {
	Type     string `json:"type"`
	Features []struct {
		ID         string         `json:"id"`
		Geometry   map[string]any `json:"geometry"`
		Properties map[string]any `json:"properties"`
	} `json:"features"`
	Summary    map[string]any `json:"summary"`
	Compliance map[string]any `json:"compliance"`
	Window     map[string]any `json:"window"`
}

func (fc loadFC) byID() map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, f := range fc.Features {
		out[f.ID] = f.Properties
	}
	return out
}

func getLoadFC(t *testing.T, h http.Handler, target string) loadFC {
	t.Helper()
	rec := get(t, h, target)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, mediaGeoJSON, rec.Header().Get("Content-Type"))
	fc := decode[loadFC](t, rec)
	require.Equal(t, "FeatureCollection", fc.Type)
	return fc
}

func TestLoadGrids_EveryPropertyOfEveryGrid(t *testing.T) {
	t.Parallel()
	s, a := newLoadTestServer(t)
	fc := getLoadFC(t, s, "/load/grids")
	require.Len(t, fc.Features, 4)
	grids := fc.byID()
	// Incidents per grid in the window, counted independently.
	w, err := coverage.NewWindow(a, time.Time{}, 365, time.Now())
	require.NoError(t, err)
	incidents, last30 := map[string]float64{}, map[string]float64{}
	for _, inc := range a.Incidents.Items() {
		if g, ok := a.GridAt(inc.Point); ok && w.Contains(inc.Time) {
			incidents[g.ID]++
			if w.Last(30).Contains(inc.Time) {
				last30[g.ID]++
			}
		}
	}
	want := map[string]map[string]any{
		"g1": {"police": 0.5, "auxiliaries": 1.5, "grid_workers": 1.0, "volunteers": 0.0, "police_assigned": 1.0,
			"auxiliaries_assigned": 2.0, "grid_workers_assigned": 1.0, "volunteers_assigned": 0.0, "below_norm": false,
			"village": "V1", "township": "T1"},
		"g2": {"police": 1.5, "auxiliaries": 1.5, "police_assigned": 2.0, "auxiliaries_assigned": 2.0, "below_norm": false},
		"g3": {"police": 1.0, "auxiliaries": 0.0, "police_assigned": 1.0, "auxiliaries_assigned": 0.0, "below_norm": false, "beat": "B2"},
		"g4": {"police": 0.0, "police_assigned": 0.0, "below_norm": true, "beat": "B2", "residents_per_police": nil,
			"households_per_police": nil, "incidents_per_police": nil, "area_km2_per_police": nil, "staffed": false},
	}
	for id, props := range want {
		got := grids[id]
		require.NotNil(t, got, id)
		for k, v := range props {
			require.Contains(t, got, k, "%s %s", id, k)
			require.Equal(t, v, got[k], "%s %s", id, k)
		}
		for _, k := range []string{"id", "village", "township", "police", "auxiliaries", "grid_workers", "volunteers",
			"police_assigned", "auxiliaries_assigned", "grid_workers_assigned", "volunteers_assigned", "population",
			"households", "incidents", "incidents_30d", "area_km2", "residents_per_police", "households_per_police",
			"incidents_per_police", "area_km2_per_police", "load_index", "below_norm"} {
			require.Contains(t, got, k, "%s %s", id, k)
		}
		require.Equal(t, incidents[id], got["incidents"], id)
		require.Equal(t, last30[id], got["incidents_30d"], id)
	}
	g, _ := a.Grids.Get("g2")
	require.InDelta(t, float64(g.Population)/1.5, grids["g2"]["residents_per_police"], 1e-9)
	require.InDelta(t, incidents["g1"]/0.5, grids["g1"]["incidents_per_police"], 1e-9)
	for _, id := range []string{"g1", "g2", "g3"} {
		require.Greater(t, grids["g4"]["load_index"], grids[id]["load_index"], "the unstaffed grid ranks first")
	}
	for _, f := range fc.Features {
		ring := f.Geometry["coordinates"].([]any)[0].([]any)
		var pts []float64
		for _, p := range ring {
			xy := p.([]any)
			pts = append(pts, xy[0].(float64), xy[1].(float64))
			for _, v := range xy {
				require.InDelta(t, math.Round(v.(float64)*1e7)/1e7, v.(float64), 1e-12, "7 decimals at most")
			}
		}
		require.Greater(t, loadShoelace(pts), 0.0, "outer ring counter-clockwise")
	}
	require.InDelta(t, 0.75, fc.Compliance["police_in_grids_share"], 1e-12, "P1, P2, P3 of 4")
	require.Equal(t, 1.0, fc.Compliance["grids_below_norm"], "g4 has no linked officer")
	require.Equal(t, 1.0, fc.Compliance["beats_below_norm"], "B2 has no auxiliary")
	require.Equal(t, 0.0, fc.Compliance["beats_below_police_norm"])
	require.Equal(t, 1.0, fc.Compliance["beats_below_auxiliary_norm"])
	require.Equal(t, "2024-01-31", fc.Window["as_of"])
}

func loadShoelace(xy []float64) float64 {
	var s float64
	for i := 0; i+3 < len(xy); i += 2 {
		s += xy[i]*xy[i+3] - xy[i+2]*xy[i+1]
	}
	return s
}

func TestLoadGrids_FiltersAndETag(t *testing.T) {
	t.Parallel()
	s, _ := newLoadTestServer(t)
	tests := []struct {
		query string
		ids   []string
	}{
		{"township=T1", []string{"g1", "g2"}},
		{"village=V2", []string{"g3", "g4"}},
		{"bbox=106.001,37.401,106.009,37.409", []string{"g1"}},
		{"bbox=106.011,37.411,106.019,37.419&weight_area=1", []string{"g4"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			fc := getLoadFC(t, s, "/load/grids?"+tt.query)
			var ids []string
			for _, f := range fc.Features {
				ids = append(ids, f.ID)
			}
			require.ElementsMatch(t, tt.ids, ids)
		})
	}
	first := get(t, s, "/load/grids?window_days=30")
	tag := first.Header().Get("ETag")
	require.NotEmpty(t, tag)
	require.Equal(t, http.StatusNotModified, get(t, s, "/load/grids?window_days=30", "If-None-Match", tag).Code)
	require.NotEqual(t, tag, get(t, s, "/load/grids?window_days=31").Header().Get("ETag"))
}

func TestLoadGrids_ETagFollowsTheLayers(t *testing.T) {
	t.Parallel()
	a, err := geo.NewAtlas(loadTestDataset(), geo.Options{})
	require.NoError(t, err)
	h := NewAtlasHolder(a)
	s := New(Options{Atlas: h.Load})
	before := get(t, s, "/load/grids")
	tag := before.Header().Get("ETag")
	p4, _ := a.Responders.Get("P4")
	moved := *p4
	moved.Grids = []string{"g4"}
	b, err := a.Apply(geo.LayerResponders, []geo.Feature{&moved}, nil)
	require.NoError(t, err)
	h.Store(b)
	after := get(t, s, "/load/grids", "If-None-Match", tag)
	require.Equal(t, http.StatusOK, after.Code, "a write to responders changes the load")
	fc := decode[loadFC](t, after)
	require.Equal(t, 1.0, fc.byID()["g4"]["police"])
	// Cameras are not read: a write to them keeps the ETag.
	c := *b.Cameras.At(0)
	c.Online = !c.Online
	cam, err := b.Apply(geo.LayerCameras, []geo.Feature{&c}, nil)
	require.NoError(t, err)
	h.Store(cam)
	require.Equal(t, http.StatusNotModified, get(t, s, "/load/grids", "If-None-Match", after.Header().Get("ETag")).Code)
}

func TestLoadEndpoints_RefuseBadParameters(t *testing.T) {
	t.Parallel()
	s, _ := newLoadTestServer(t)
	tests := []struct {
		target, field string
	}{
		{"/load/grids?colour=red", "colour"},
		{"/load/grids?weight_residents=-1", "weight_residents"},
		{"/load/grids?weight_residents=0&weight_households=0&weight_incidents=0&weight_area=0", "weight_residents"},
		{"/load/grids?as_of=30-06-2026", "as_of"},
		{"/load/grids?window_days=0", "window_days"},
		{"/load/grids?split=age", "split"},
		{"/load/grids?norm_police=-2", "norm_police"},
		{"/load/grids?township=T9", "township"},
		{"/load/grids?bbox=1,2,3", "bbox"},
		{"/load/grids?f=html", "f"},
		{"/load/summary?level=county", "level"},
		{"/load/congruence?resolution=5", "resolution"},
		{"/load/congruence?view=map", "view"},
		{"/load/congruence?split_tolerance=1", "split_tolerance"},
		{"/load/reallocate?max_moves=-1", "max_moves"},
		{"/load/reallocate?roles=police,chief", "roles[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			t.Parallel()
			p := requireProblem(t, get(t, s, tt.target), http.StatusBadRequest)
			var fields []string
			for _, e := range p.Errors {
				fields = append(fields, e.Field)
			}
			require.Contains(t, fields, tt.field)
		})
	}
}

func TestLoadSummary_Levels(t *testing.T) {
	t.Parallel()
	s, _ := newLoadTestServer(t)
	grids := getLoadFC(t, s, "/load/grids").byID()
	tests := []struct {
		level string
		units map[string][]string
	}{
		{"village", map[string][]string{"V1": {"g1", "g2"}, "V2": {"g3", "g4"}}},
		{"township", map[string][]string{"T1": {"g1", "g2"}, "T2": {"g3", "g4"}}},
		{"district", map[string][]string{"district": {"g1", "g2", "g3", "g4"}}},
		{"", map[string][]string{"district": {"g1", "g2", "g3", "g4"}}},
		{"beat", map[string][]string{"B1": {"g1", "g2"}, "B2": {"g3", "g4"}}},
		{"grid", map[string][]string{"g1": {"g1"}, "g2": {"g2"}, "g3": {"g3"}, "g4": {"g4"}}},
	}
	// The norm of each level, worked out by hand (nil: none applies).
	below := map[string]any{"V1": nil, "V2": nil, "T1": nil, "T2": nil, "district": false,
		"B1": false, "B2": true, "g1": false, "g2": false, "g3": false, "g4": true}
	for _, tt := range tests {
		t.Run(tt.level, func(t *testing.T) {
			t.Parallel()
			rec := get(t, s, "/load/summary?level="+tt.level)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			doc := decode[struct {
				Rows []map[string]any `json:"rows"`
			}](t, rec)
			require.Len(t, doc.Rows, len(tt.units))
			for _, row := range doc.Rows {
				ids := tt.units[row["id"].(string)]
				require.NotEmpty(t, ids)
				var pop, police float64
				for _, id := range ids {
					pop += grids[id]["population"].(float64)
					police += grids[id]["police"].(float64)
				}
				require.Equal(t, pop, row["population"])
				require.InDelta(t, police, row["police"], 1e-12)
				require.Equal(t, below[row["id"].(string)], row["below_norm"], row["id"])
				if tt.level == "beat" {
					short := map[string]float64{"B1": 0, "B2": 2}[row["id"].(string)]
					require.Equal(t, 0.0, row["short_police"])
					require.Equal(t, short, row["short_auxiliaries"])
				}
			}
		})
	}
}

func TestLoadCongruence_GridsAndPieces(t *testing.T) {
	t.Parallel()
	d := loadTestDataset()
	// B1 takes the west grids and the western 30% of g3 and g4.
	d.Beats[0].Polygon = fixBlock(0, 0, 1.3, 2)
	d.Beats[1].Polygon = fixBlock(1.3, 0, 2, 2)
	a, err := geo.NewAtlas(d, geo.Options{})
	require.NoError(t, err)
	s := New(Options{Atlas: func() *geo.Atlas { return a }})
	fc := getLoadFC(t, s, "/load/congruence?view=grids")
	grids := fc.byID()
	require.Len(t, grids, 4)
	require.Equal(t, "B1", grids["g1"]["dominant_beat"])
	require.Equal(t, 1.0, grids["g1"]["share"])
	require.Equal(t, false, grids["g1"]["split"])
	require.Equal(t, "B2", grids["g3"]["dominant_beat"])
	require.InDelta(t, 0.7, grids["g3"]["share"], 0.01)
	require.Equal(t, true, grids["g3"]["split"])
	require.InDelta(t, (2+2*0.7)/4, fc.Summary["score"], 0.01)
	require.Equal(t, 2.0, fc.Summary["split_grids"])

	pieces := getLoadFC(t, s, "/load/congruence?township=T2")
	require.Len(t, pieces.Features, 2)
	for _, f := range pieces.Features {
		require.Equal(t, "B1", f.Properties["beat"])
		require.Equal(t, "B2", f.Properties["dominant_beat"])
		require.InDelta(t, 0.3, f.Properties["share"], 0.02)
		require.Equal(t, "Polygon", f.Geometry["type"])
	}
}

func TestLoadOpenAPI_DeclaresTheRoutes(t *testing.T) {
	t.Parallel()
	s, _ := newLoadTestServer(t)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(get(t, s, "/openapi.json").Body.Bytes(), &doc))
	paths := doc["paths"].(map[string]any)
	for _, p := range []string{"/load/grids", "/load/summary", "/load/congruence", "/load/reallocate"} {
		require.Contains(t, paths, p)
		require.NotNil(t, paths[p].(map[string]any)["get"], p)
	}
	post := paths["/load/reallocate"].(map[string]any)["post"].(map[string]any)
	props := post["requestBody"].(map[string]any)["content"].(map[string]any)[mediaJSON].(map[string]any)["schema"].(map[string]any)["properties"].(map[string]any)
	for _, k := range []string{"max_moves", "roles", "max_distance_m", "min_police_per_grid", "from_station", "weight_area", "as_of"} {
		require.Contains(t, props, k)
	}
}
