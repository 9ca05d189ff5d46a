package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// planFC is a decoded answer of a planning endpoint.
type planFC struct {
	Type          string         `json:"type"`
	Features      []covFeature   `json:"features"`
	Summary       map[string]any `json:"summary"`
	NumberMatched int            `json:"numberMatched"`
}

func TestPlacement_ChoosesCamerasAndReportsTheirGains(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 200)
	body := `{"budget": 4, "camera": {"type": "fixed", "fov_deg": 90, "range_m": 80},
		"weights": {"population": 1, "incidents": 2, "places": 5}, "as_of": "2024-12-31"}`
	for _, tc := range []struct {
		name string
		rec  func() *httptest.ResponseRecorder
	}{
		{"POST with a JSON body", func() *httptest.ResponseRecorder { return postJSON(t, s, "/coverage/placement", body) }},
		{"GET with query parameters", func() *httptest.ResponseRecorder {
			q := url.Values{"budget": {"4"}, "camera.type": {"fixed"}, "camera.fov_deg": {"90"}, "camera.range_m": {"80"},
				"weights.population": {"1"}, "weights.incidents": {"2"}, "weights.places": {"5"}, "as_of": {"2024-12-31"}}
			return get(t, s, "/coverage/placement?"+q.Encode())
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := tc.rec()
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			requireRFC7946(t, rec.Body.Bytes())
			fc := decode[planFC](t, rec)
			// An independent run of the planner on the same atlas.
			v, err := coverage.NewVideo(a, coverage.VideoOptions{})
			require.NoError(t, err)
			w, err := coverage.NewWindow(a, covAsOf, coverage.DefaultWindowDays, time.Now())
			require.NoError(t, err)
			want, err := v.Place(coverage.PlacementOptions{Budget: 4, Window: w,
				Camera:  coverage.CameraModel{Type: geo.TypeFixed, FOVDeg: 90, RangeM: 80},
				Weights: coverage.PlacementWeights{Population: 1, Incidents: 2, Places: 5}})
			require.NoError(t, err)
			require.Len(t, fc.Features, 2*len(want.Picks))
			var sum float64
			for i, pk := range want.Picks {
				pt, vs := fc.Features[2*i], fc.Features[2*i+1]
				require.Equal(t, "Point", pt.Geometry["type"])
				require.Equal(t, "Polygon", vs.Geometry["type"])
				require.Equal(t, float64(pk.Rank), pt.Properties["rank"])
				require.Equal(t, float64(pk.Rank), vs.Properties["site_rank"])
				require.Equal(t, pk.Camera.BearingDeg, pt.Properties["bearing_deg"])
				require.InDelta(t, pk.Gain, pt.Properties["gain"], 1e-9)
				require.InDelta(t, pk.GainPopulation+2*pk.GainIncidents+5*pk.GainPlaces, pt.Properties["gain"], 1e-9)
				sum += pt.Properties["gain"].(float64)
			}
			require.InDelta(t, sum, fc.Summary["gain"], 1e-6)
			before, after := fc.Summary["before"].(map[string]any), fc.Summary["after"].(map[string]any)
			require.GreaterOrEqual(t, after["population_covered"], before["population_covered"])
			require.Equal(t, "district", before["id"])
			require.Equal(t, coverage.GreedyGuarantee, fc.Summary["guarantee"])
		})
	}
}

func TestPlanning_RefusesBadRequests(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 20)
	for _, tc := range []struct {
		name, target, body, field string
	}{
		{"unknown member", "/coverage/placement", `{"budget": 2, "colour": "red"}`, "colour"},
		{"unknown camera member", "/coverage/placement", `{"budget": 2, "camera": {"lens": 4}}`, "camera.lens"},
		{"unknown weight", "/coverage/placement", `{"budget": 2, "weights": {"cars": 1}}`, "weights.cars"},
		{"budget above the maximum", "/coverage/placement", `{"budget": 501}`, "budget"},
		{"no budget", "/coverage/placement", `{}`, "budget"},
		{"bad camera type", "/coverage/placement", `{"budget": 2, "camera": {"type": "laser", "fov_deg": 90, "range_m": 80}}`, "camera.type"},
		{"unknown grid", "/coverage/placement", `{"budget": 2, "grid": "nope"}`, "grid"},
		{"bad candidate", "/coverage/placement", `{"budget": 2, "candidates": [{"id": "x", "point": [1]}]}`, "candidates[0].point"},
		{"not an object", "/coverage/scenario", `[1]`, "body"},
		{"no changes", "/coverage/scenario", `{}`, "changes"},
		{"unknown scenario member", "/coverage/scenario", `{"changes": [], "dry": true}`, "dry"},
		{"unknown op", "/coverage/scenario", `{"changes": [{"op": "paint", "id": "c01"}]}`, "changes[0].op"},
		{"unknown change member", "/coverage/scenario", `{"changes": [{"op": "fix", "id": "c01", "to": [1, 2]}]}`, "changes[0].to"},
		{"no such camera", "/coverage/scenario", `{"changes": [{"op": "remove", "id": "zz"}]}`, "id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := postJSON(t, s, tc.target, tc.body)
			require.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
			require.Contains(t, rec.Body.String(), `"`+tc.field+`"`)
		})
	}
	rec := get(t, s, "/coverage/repairs?colour=red")
	require.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
	require.Contains(t, rec.Body.String(), "colour")
}

func TestScenario_AddThenRemoveLeavesTheCoverage(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 50)
	add := `{"op": "add", "camera": {"type": "Feature", "id": "new1", "geometry": {"type": "Point", "coordinates": [` +
		fmt.Sprintf("%v, %v", fixPoint(0.6, 0.6)[0], fixPoint(0.6, 0.6)[1]) + `]}, "properties": {"source": "xueliang", "type": "dome", "bearing_deg": 0, "fov_deg": 360,
		"range_m": 120, "online": true, "installed": "2024-06-01"}}}`
	for _, tc := range []struct {
		name    string
		changes string
		same    bool
	}{
		{"add then remove", `[` + add + `, {"op": "remove", "id": "new1"}]`, true},
		{"add", `[` + add + `]`, false},
		{"fix", `[{"op": "fix", "id": "c01"}]`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := postJSON(t, s, "/coverage/scenario", `{"variant": "operational", "as_of": "2024-12-31", "changes": `+tc.changes+`}`)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			fc := decode[planFC](t, rec)
			before, after := fc.Summary["before"].(map[string]any), fc.Summary["after"].(map[string]any)
			if tc.same {
				require.Equal(t, before, after)
			} else {
				require.NotEqual(t, before, after)
				require.NotEmpty(t, fc.Features)
			}
			require.Equal(t, 30, a.Cameras.Len(), "the served dataset is unchanged")
		})
	}
}

func TestRepairs_RankedByGain(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 50)
	rec := get(t, s, "/coverage/repairs?as_of=2024-12-31&population=1&incidents=10&places=50")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	fc := decode[planFC](t, rec)
	offline := 0
	for _, c := range a.Cameras.Items() {
		if !c.Online {
			offline++
		}
	}
	require.Len(t, fc.Features, offline)
	for i, f := range fc.Features {
		require.Equal(t, float64(i+1), f.Properties["rank"])
		if i > 0 {
			require.LessOrEqual(t, f.Properties["gain"], fc.Features[i-1].Properties["gain"])
		}
		c, ok := a.Cameras.Get(f.ID)
		require.True(t, ok)
		require.False(t, c.Online)
	}
}
