package coverage_test

import (
	"math"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// policeETA is the default police arrival time over distM, written out.
func policeETA(distM float64) float64 { return distM * 1.4 / (40 / 3.6) }

func stripResponse(t *testing.T, opt coverage.ResponseOptions) *coverage.ResponseCoverage {
	t.Helper()
	a := stripAtlas(t)
	if opt.Now.IsZero() {
		opt.Now = coverage.ReferenceTime(a, time.Now())
	}
	r, err := coverage.Response(a, opt)
	require.NoError(t, err)
	return r
}

// TestResponse_Settlements checks the strip: only officer P1 is available
// (P2 is off duty, P3 reported two hours ago), so the settlements 2 and
// 6 km east of him are reached in time and those 10 and 14 km east are
// not (15 minutes at 40 km/h over 1.4× the distance is 7.14 km).
func TestResponse_Settlements(t *testing.T) {
	t.Parallel()
	r := stripResponse(t, coverage.ResponseOptions{MaxAge: coverage.DefaultMaxAge})
	require.Equal(t, coverage.ScopeSettlements, r.Scope)
	require.Equal(t, coverage.DefaultSettlementRes, r.Resolution)
	require.Equal(t, 1, r.Responders)
	require.InDelta(t, 1000, r.Population, 1e-9)
	require.InDelta(t, 700, r.PopulationBeyond, 1e-9)
	require.InDelta(t, 0.7, r.ShareBeyond(), 1e-12)
	require.Equal(t, 5, r.Incidents, "the incident in open land lies in no settlement cell")
	require.Equal(t, 5, r.IncidentsBeyond)

	require.Len(t, r.Gaps, 2)
	require.Equal(t, []string{"g4"}, r.Gaps[0].Grids)
	require.InDelta(t, 400, r.Gaps[0].Population, 1e-9)
	require.Equal(t, 3, r.Gaps[0].Incidents)
	require.Equal(t, []string{"g3"}, r.Gaps[1].Grids)
	require.InDelta(t, 300, r.Gaps[1].Population, 1e-9)
	require.Equal(t, 2, r.Gaps[1].Incidents)
	for _, g := range r.Gaps {
		require.Empty(t, geo.CheckPolygon(g.Polygon))
		require.InEpsilon(t, g.AreaM2, geo.PolygonArea(g.Polygon), 1e-6)
	}

	// Per grid: worst and mean over each settlement's cells, computed
	// here from the cell centres.
	a := stripAtlas(t)
	var meanSum float64
	for i, s := range a.Settlements.Items() {
		cells := geo.PolygonCells(s.Polygon, coverage.DefaultSettlementRes)
		require.NotEmpty(t, cells)
		var worst, sum float64
		for _, c := range cells {
			eta := policeETA(geo.Distance(stripOfficer, geo.CellCenter(c)))
			worst = math.Max(worst, eta)
			sum += eta
		}
		g := r.Grids[i]
		require.Equal(t, s.Grid, g.Grid.ID)
		require.Equal(t, len(cells), g.Cells)
		require.InDelta(t, worst, g.WorstS, 1e-6)
		require.InDelta(t, sum/float64(len(cells)), g.MeanS, 1e-6)
		require.InDelta(t, policeETA(stripKm[i]*1000), g.MeanS, 60, "the mean is near the settlement centre's")
		beyond := 0.0
		if stripKm[i] > 7.2 {
			beyond = float64(stripPop[i])
		}
		require.InDelta(t, beyond, g.PopulationBeyond, 1e-9)
		meanSum += g.MeanS * float64(stripPop[i])
	}
	require.InDelta(t, meanSum/1000, r.MeanS, 1e-6)
	require.InDelta(t, r.Gaps[0].WorstS, r.Grids[3].WorstS, 1e-9)
}

func TestResponse_District(t *testing.T) {
	t.Parallel()
	r := stripResponse(t, coverage.ResponseOptions{Scope: coverage.ScopeDistrict, MaxAge: coverage.DefaultMaxAge})
	require.Equal(t, coverage.DefaultDistrictRes, r.Resolution)
	require.InDelta(t, 1000, r.Population, 1e-9)
	require.InDelta(t, 700, r.PopulationBeyond, 1e-9)
	require.Equal(t, 6, r.Incidents, "every incident lies in a district cell")

	// The area beyond 7.14 km of the officer, sampled on a fine lattice
	// over the strip, against the gaps' area: they agree to the size of a
	// few coarse cells along the 7.14 km arc.
	reach := 900 * (40 / 3.6) / 1.4
	var in, beyond int
	for x := 0.0005; x < 4*0.05; x += 0.001 {
		for y := 0.0005; y < 0.05; y += 0.001 {
			in++
			if geo.Distance(stripOfficer, orb.Point{106 + x, 37.4 + y}) > reach {
				beyond++
			}
		}
	}
	area := 0.0
	for _, g := range stripAtlas(t).Grids.Items() {
		area += geo.PolygonArea(g.Polygon)
	}
	want := area * float64(beyond) / float64(in)
	var got float64
	for _, g := range r.Gaps {
		got += g.AreaM2
	}
	require.InEpsilon(t, want, got, 0.1)
	for _, g := range r.Grids {
		require.Positive(t, g.Cells)
		require.False(t, math.IsNaN(g.WorstS))
	}
}

func TestResponse_NoResponderAvailable(t *testing.T) {
	t.Parallel()
	r := stripResponse(t, coverage.ResponseOptions{Role: geo.RoleVolunteer})
	require.Zero(t, r.Responders)
	require.InDelta(t, r.Population, r.PopulationBeyond, 1e-9)
	require.True(t, math.IsInf(r.MeanS, 1))
	require.True(t, math.IsInf(r.Gaps[0].WorstS, 1))
}

func TestResponse_ThresholdAndRole(t *testing.T) {
	t.Parallel()
	// 25 minutes reaches 11.9 km: only the settlement 14 km away is left.
	r := stripResponse(t, coverage.ResponseOptions{ThresholdS: 1500, MaxAge: coverage.DefaultMaxAge})
	require.InDelta(t, 400, r.PopulationBeyond, 1e-9)
	// Without the age check, stale officer P3 (in g3) counts and covers
	// the settlements 10 and 14 km east of P1.
	r = stripResponse(t, coverage.ResponseOptions{})
	require.Equal(t, 2, r.Responders)
	require.InDelta(t, 0, r.PopulationBeyond, 1e-9)
}

func TestResponse_Invalid(t *testing.T) {
	t.Parallel()
	a := stripAtlas(t)
	tests := []struct {
		name  string
		opt   coverage.ResponseOptions
		field string
		code  geo.Code
	}{
		{"scope", coverage.ResponseOptions{Scope: "county"}, "scope", geo.Invalid},
		{"resolution", coverage.ResponseOptions{Resolution: 13}, "resolution", geo.Invalid},
		{"threshold", coverage.ResponseOptions{ThresholdS: -5}, "threshold_s", geo.Invalid},
		{"role", coverage.ResponseOptions{Role: "sheriff"}, "role", geo.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := coverage.Response(a, tt.opt)
			require.Equal(t, tt.code, geo.ErrorCode(err))
			require.Equal(t, tt.field, err.(*geo.Error).Problems[0].Field)
		})
	}
}
