package api

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
)

type responseFC struct {
	Type     string `json:"type"`
	Features []struct {
		ID       string         `json:"id"`
		Geometry map[string]any `json:"geometry"`
		Props    map[string]any `json:"properties"`
	} `json:"features"`
	Summary map[string]any `json:"summary"`
}

// TestResponse_EndpointsMatchTheAnalysis checks both endpoints against
// coverage.Response run on the same atlas and options.
func TestResponse_EndpointsMatchTheAnalysis(t *testing.T) {
	t.Parallel()
	s, h := newDispatchServer(t, false)
	a := h.Load()
	want, err := coverage.Response(a, coverage.ResponseOptions{ThresholdS: 120, Now: dispatchNow})
	require.NoError(t, err)
	require.NotEmpty(t, want.Gaps, "a 2-minute threshold leaves gaps in the fixture")

	rec := get(t, s, "/response/gaps?threshold_s=120&max_age_s=0")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, mediaGeoJSON, rec.Header().Get("Content-Type"))
	gaps := decode[responseFC](t, rec)
	require.Len(t, gaps.Features, len(want.Gaps))
	for i, f := range gaps.Features {
		g := want.Gaps[i]
		require.Equal(t, "Polygon", f.Geometry["type"])
		require.Equal(t, float64(i+1), f.Props["rank"])
		require.InDelta(t, g.Population, f.Props["population"], 0.05)
		require.Equal(t, float64(g.Incidents), f.Props["incidents"])
		require.Equal(t, float64(len(g.Cells)), f.Props["cells"])
	}
	sum := gaps.Summary
	require.Equal(t, "settlements", sum["scope"])
	require.Equal(t, "police", sum["role"])
	require.InDelta(t, want.Population, sum["population"], 0.05)
	require.InDelta(t, want.PopulationBeyond, sum["population_beyond"], 0.05)
	require.InDelta(t, want.ShareBeyond(), sum["share_beyond"], 1e-4)
	require.Equal(t, float64(want.Responders), sum["responders"])

	rec = get(t, s, "/response/grids?threshold_s=120&max_age_s=0")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	grids := decode[responseFC](t, rec)
	require.Len(t, grids.Features, a.Grids.Len())
	for i, f := range grids.Features {
		g := want.Grids[i]
		require.Equal(t, g.Grid.ID, f.ID)
		require.InDelta(t, g.WorstS, f.Props["worst_s"], 0.06)
		require.InDelta(t, g.MeanS, f.Props["mean_s"], 0.06)
		require.InDelta(t, g.PopulationBeyond, f.Props["population_beyond"], 0.05)
	}
}

func TestResponse_NoOfficerMeansNullTimes(t *testing.T) {
	t.Parallel()
	s, _ := newDispatchServer(t, false)
	// With the default 30-minute age check no fixture police officer is
	// available: every arrival time is unknown (null), everyone beyond.
	rec := get(t, s, "/response/grids")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	fc := decode[responseFC](t, rec)
	require.Equal(t, float64(0), fc.Summary["responders"])
	require.Nil(t, fc.Summary["mean_s"])
	require.Equal(t, fc.Summary["population"], fc.Summary["population_beyond"])
	for _, f := range fc.Features {
		v, ok := f.Props["worst_s"]
		require.True(t, ok)
		require.Nil(t, v)
	}
}

func TestResponse_ETagAndParameters(t *testing.T) {
	t.Parallel()
	s, _ := newDispatchServer(t, false)
	rec := get(t, s, "/response/gaps?scope=district&max_age_s=0")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "district", decode[responseFC](t, rec).Summary["scope"])
	tag := rec.Header().Get("ETag")
	require.Equal(t, http.StatusNotModified, get(t, s, "/response/gaps?scope=district&max_age_s=0", "If-None-Match", tag).Code)

	tests := []struct{ query, field string }{
		{"threshold_s=0", "threshold_s"},
		{"scope=county", "scope"},
		{"resolution=14", "resolution"},
		{"role=police,volunteer", "role"},
		{"role=sheriff", "role"},
		{"max_age_s=x", "max_age_s"},
		{"bbox=1,2,3,4", "bbox"},
	}
	for _, tt := range tests {
		p := requireProblem(t, get(t, s, "/response/grids?"+tt.query), http.StatusBadRequest)
		require.Equal(t, tt.field, p.Errors[0].Field, tt.query)
	}
}
