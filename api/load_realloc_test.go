package api

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// postJSON posts body to target.
func postJSON(t *testing.T, h http.Handler, target, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, bytes.NewBufferString(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestLoadReallocate_Moves(t *testing.T) {
	t.Parallel()
	s, a := newLoadTestServer(t)
	rec := postJSON(t, s, "/load/reallocate", `{"max_moves": 10, "roles": ["police"], "max_distance_m": 20000, "min_police_per_grid": 1}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NotEmpty(t, rec.Header().Get("ETag"))
	fc := decode[loadFC](t, rec)
	// g2 alone has two officers: one of them goes to g4, which has none,
	// or into another grid whose officer then moves to g4.
	require.NotEmpty(t, fc.Features)
	f := fc.Features[0]
	require.Equal(t, "LineString", f.Geometry["type"])
	require.Equal(t, "g2", f.Properties["from_grid"])
	require.Contains(t, []any{"P1", "P2"}, f.Properties["officer"])
	joined := false
	var total float64
	for _, f := range fc.Features {
		require.NotEmpty(t, f.Properties["reason"])
		total += f.Properties["distance_m"].(float64)
		for _, k := range []string{"distance_m", "from_load_index_before", "from_load_index_after", "to_load_index_before", "to_load_index_after"} {
			require.IsType(t, 0.0, f.Properties[k], k)
		}
		from, _ := a.Grids.Get(f.Properties["from_grid"].(string))
		to, _ := a.Grids.Get(f.Properties["to_grid"].(string))
		require.InDelta(t, geo.Distance(from.Polygon.Bound().Center(), to.Polygon.Bound().Center()), f.Properties["distance_m"], 0.01)
		joined = joined || to.ID == "g4"
	}
	require.True(t, joined, "someone joins g4")
	before := fc.Summary["before"].(map[string]any)
	after := fc.Summary["after"].(map[string]any)
	for _, k := range []string{"max_load_index", "load_index_spread", "grids_below_norm"} {
		require.Contains(t, before, k)
		require.Contains(t, after, k)
	}
	require.Less(t, after["max_load_index"], before["max_load_index"])
	require.Equal(t, 1.0, before["grids_unstaffed"])
	require.Equal(t, 0.0, after["grids_unstaffed"])
	require.InDelta(t, total, fc.Summary["total_distance_m"], 1e-6)
	require.Equal(t, []any{}, fc.Summary["binding"])
	require.Nil(t, fc.Summary["explanation"])

	got := getLoadFC(t, s, "/load/reallocate?max_moves=10&roles=police&max_distance_m=20000&min_police_per_grid=1")
	require.Equal(t, len(fc.Features), len(got.Features), "GET and POST plan alike")
}

func TestLoadReallocate_RefusesBadBodies(t *testing.T) {
	t.Parallel()
	s, _ := newLoadTestServer(t)
	tests := []struct {
		name, body, field string
	}{
		{"unknown member", `{"max_moves": 3, "max_movez": 4}`, "max_movez"},
		{"negative moves", `{"max_moves": -1}`, "max_moves"},
		{"too many moves", `{"max_moves": 100000}`, "max_moves"},
		{"unknown role", `{"roles": ["police", "sheriff"]}`, "roles[1]"},
		{"no roles", `{"roles": []}`, "roles"},
		{"negative distance", `{"max_distance_m": -5}`, "max_distance_m"},
		{"negative minimum", `{"min_police_per_grid": -1}`, "min_police_per_grid"},
		{"string minimum", `{"min_auxiliaries_per_grid": "two"}`, "min_auxiliaries_per_grid"},
		{"object member", `{"roles": {"police": true}}`, "roles"},
		{"not a boolean", `{"from_station": "maybe"}`, "from_station"},
		{"bad weight", `{"weight_area": -1}`, "weight_area"},
		{"tolerance of 1", `{"tie_tolerance": 1}`, "tie_tolerance"},
		{"not an object", `[1, 2]`, "body"},
		{"broken JSON", `{"max_moves": `, "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := requireProblem(t, postJSON(t, s, "/load/reallocate", tt.body), http.StatusBadRequest)
			var fields []string
			for _, e := range p.Errors {
				fields = append(fields, e.Field)
				require.Equal(t, "body", e.Layer)
			}
			require.Contains(t, fields, tt.field, p.Detail)
		})
	}
	big := `{"roles": ["` + strings.Repeat("police", 20000) + `"]}`
	requireProblem(t, postJSON(t, s, "/load/reallocate", big), http.StatusRequestEntityTooLarge)
	requireProblem(t, postJSON(t, s, "/load/reallocate?max_moves=3", `{}`), http.StatusBadRequest)
}

func TestLoadReallocate_SaysWhyNoMove(t *testing.T) {
	t.Parallel()
	s, _ := newLoadTestServer(t)
	// Only g2 has two officers, 2 km or more from every other grid; P4,
	// at the station in g1, could join g1.
	rec := postJSON(t, s, "/load/reallocate", `{"max_distance_m": 10}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	fc := decode[loadFC](t, rec)
	require.Empty(t, fc.Features)
	require.Equal(t, []any{"from_station", "max_distance_m"}, fc.Summary["binding"])
	require.Contains(t, fc.Summary["explanation"], "max_distance_m 10")
	require.Contains(t, fc.Summary["explanation"], "try from_station")
}
