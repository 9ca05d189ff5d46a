package coverage_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// loadExpect is what the fixture's figures are, worked out by hand from
// the fixture's responders and incidents.
var loadExpect = map[string]struct {
	police, aux, gw, vol                      float64 // shares (equal split)
	policeN, auxN, gwN, volN                  int     // headcounts
	incidents, incidents30d                   int
	belowNorm                                 bool // no linked police officer
	beat                                      string
	residentsPerPolice, householdsPerPolice   float64 // NaN: null
	incidentsPerPolice, areaPerPoliceFraction float64 // area per police / grid area (1/p)
}{
	"G1": {0.5, 1.5, 1, 0, 1, 2, 1, 0, 4, 1, false, "B1", 2000, 600, 8, 2},
	"G2": {1.5, 1.5, 0.5, 0, 2, 2, 1, 0, 6, 2, false, "B2", 2000 / 1.5, 500 / 1.5, 4, 1 / 1.5},
	"G3": {1.0 / 3, 1, 0.5, 0, 1, 1, 1, 0, 2, 0, false, "B2", 1500, 450, 6, 3},
	"G4": {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, true, "B1", math.NaN(), math.NaN(), math.NaN(), math.NaN()},
	"G5": {1.0 / 3, 0, 0, 1, 1, 0, 0, 1, 3, 0, false, "B3", 4500, 1200, 9, 3},
	"G6": {1.0 / 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, false, "B3", 2400, 600, 0, 3},
}

func TestLoad_FiguresOfTheFixture(t *testing.T) {
	t.Parallel()
	a := loadAtlas(t)
	l, err := coverage.Load(a, coverage.LoadOptions{Window: loadWindow(t, a)})
	require.NoError(t, err)
	require.Len(t, l.Grids, 6)
	for _, g := range l.Grids {
		t.Run(g.Grid.ID, func(t *testing.T) {
			want := loadExpect[g.Grid.ID]
			spec := loadGrids[a.Grids.Index(g.Grid.ID)]
			require.InDelta(t, want.police, g.Share.Police, 1e-12)
			require.InDelta(t, want.aux, g.Share.Auxiliaries, 1e-12)
			require.InDelta(t, want.gw, g.Share.GridWorkers, 1e-12)
			require.InDelta(t, want.vol, g.Share.Volunteers, 1e-12)
			require.Equal(t, coverage.Staff[int]{Police: want.policeN, Auxiliaries: want.auxN, GridWorkers: want.gwN, Volunteers: want.volN}, g.Assigned)
			require.Equal(t, want.incidents, g.Incidents)
			require.Equal(t, want.incidents30d, g.Incidents30d)
			require.Equal(t, want.belowNorm, g.BelowNorm)
			require.Equal(t, want.beat, g.Beat, "the beat holding the grid's centre")
			area := loadRectArea(spec.x, spec.y, spec.x+1, spec.y+1) / 1e6
			require.InEpsilon(t, area, g.AreaKm2, 1e-9)
			if math.IsNaN(want.residentsPerPolice) {
				require.Nil(t, g.PerPolice, "no police share: null per-officer figures")
				return
			}
			require.NotNil(t, g.PerPolice)
			require.InEpsilon(t, want.residentsPerPolice, g.PerPolice.Residents, 1e-12)
			require.InEpsilon(t, want.householdsPerPolice, g.PerPolice.Households, 1e-12)
			require.InDelta(t, want.incidentsPerPolice, g.PerPolice.Incidents, 1e-12)
			require.InEpsilon(t, want.areaPerPoliceFraction*area, g.PerPolice.AreaKm2, 1e-9)
		})
	}
}

// loadHandIndex computes the load index of every fixture grid from the
// formula: m_k = district total / police share (3 officers in grids), LI =
// Σ w_k (X_k/p)/m_k / Σ w_k; an unstaffed grid gets M + 1 + its demand.
func loadHandIndex(w coverage.LoadWeights, police map[string]float64) map[string]float64 {
	incidents := map[string]float64{}
	var tot [4]float64
	for _, g := range loadGrids {
		incidents[g.id] = float64(loadExpect[g.id].incidents)
		x := []float64{float64(g.pop), float64(g.hh), incidents[g.id], loadRectArea(g.x, g.y, g.x+1, g.y+1) / 1e6}
		for k := range x {
			tot[k] += x[k]
		}
	}
	ws := []float64{w.Residents, w.Households, w.Incidents, w.Area}
	sumW := ws[0] + ws[1] + ws[2] + ws[3]
	demand := map[string]float64{}
	for _, g := range loadGrids {
		x := []float64{float64(g.pop), float64(g.hh), incidents[g.id], loadRectArea(g.x, g.y, g.x+1, g.y+1) / 1e6}
		var d float64
		for k := range x {
			d += ws[k] * x[k] / (tot[k] / 3) / sumW
		}
		demand[g.id] = d
	}
	out := map[string]float64{}
	top := 0.0
	for id, p := range police {
		if p > 0 {
			out[id] = demand[id] / p
			top = math.Max(top, out[id])
		}
	}
	for id, p := range police {
		if p == 0 {
			out[id] = top + 1 + demand[id]
		}
	}
	return out
}

func TestLoad_IndexFollowsTheFormula(t *testing.T) {
	t.Parallel()
	a := loadAtlas(t)
	police := map[string]float64{}
	for id, e := range loadExpect {
		police[id] = e.police
	}
	tests := []struct {
		name    string
		weights coverage.LoadWeights
	}{
		{"default weights", coverage.LoadWeights{}},
		{"residents only", coverage.LoadWeights{Residents: 1}},
		{"incidents and area", coverage.LoadWeights{Incidents: 3, Area: 1}},
		{"scale does not matter", coverage.LoadWeights{Residents: 35, Households: 10, Incidents: 35, Area: 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, err := coverage.Load(a, coverage.LoadOptions{Window: loadWindow(t, a), Weights: tt.weights})
			require.NoError(t, err)
			w := tt.weights
			if w == (coverage.LoadWeights{}) {
				w = coverage.DefaultLoadWeights()
			}
			want := loadHandIndex(w, police)
			for _, g := range l.Grids {
				require.InEpsilon(t, want[g.Grid.ID], g.LoadIndex, 1e-9, g.Grid.ID)
			}
			g4 := l.Grids[a.Grids.Index("G4")]
			for _, g := range l.Grids {
				if g.Grid.ID != "G4" {
					require.Greater(t, g4.LoadIndex, g.LoadIndex, "the unstaffed grid ranks above every staffed one")
				}
			}
		})
	}
}

func TestLoad_ResidentsOnlyIndexIsResidentsOverMean(t *testing.T) {
	t.Parallel()
	a := loadAtlas(t)
	l, err := coverage.Load(a, coverage.LoadOptions{Window: loadWindow(t, a), Weights: coverage.LoadWeights{Residents: 1}})
	require.NoError(t, err)
	// 5,800 residents over 3 officers in grids: 1,933.3 per officer. G2 has
	// 2,000 residents and 1.5 officers: 1,333.3 per officer, index 0.69.
	require.InDelta(t, 5800.0/3, l.Means.Residents, 1e-9)
	require.InDelta(t, (2000/1.5)/(5800.0/3), l.Grids[a.Grids.Index("G2")].LoadIndex, 1e-12)
	require.InDelta(t, 3.0, l.PoliceShare, 1e-12)
	// G5: 1,500 residents, a third of an officer: 4,500 per officer, 2.33,
	// the highest; G4 has nobody and no officer: 2.33 + 1 + 0.
	require.InDelta(t, 4500/(5800.0/3), l.MaxStaffedIndex, 1e-12)
	require.InDelta(t, 4500/(5800.0/3)+1, l.Grids[a.Grids.Index("G4")].LoadIndex, 1e-12)
}

func TestLoad_DemandSplit(t *testing.T) {
	t.Parallel()
	a := loadAtlas(t)
	eq, err := coverage.Load(a, coverage.LoadOptions{Window: loadWindow(t, a)})
	require.NoError(t, err)
	l, err := coverage.Load(a, coverage.LoadOptions{Window: loadWindow(t, a), Split: coverage.SplitDemand})
	require.NoError(t, err)
	demand := map[string]float64{}
	var sum float64
	for _, g := range eq.Grids {
		demand[g.Grid.ID] = g.Demand
		sum += g.Demand
	}
	floor := coverage.DemandFloor * sum / 6
	w := func(id string) float64 { return math.Max(demand[id], floor) }
	// P3 serves G3, G5, G6 in proportion to their demand; P1 serves G1, G2.
	p3 := w("G3") + w("G5") + w("G6")
	p1 := w("G1") + w("G2")
	want := map[string]float64{"G1": w("G1") / p1, "G2": w("G2")/p1 + 1, "G3": w("G3") / p3, "G4": 0, "G5": w("G5") / p3, "G6": w("G6") / p3}
	for _, g := range l.Grids {
		require.InDelta(t, want[g.Grid.ID], g.Share.Police, 1e-12, g.Grid.ID)
		require.Equal(t, eq.Grids[a.Grids.Index(g.Grid.ID)].Assigned, g.Assigned, "headcounts never split")
	}
	// A lone officer's grids all carry the officer's whole demand.
	for _, id := range []string{"G3", "G5", "G6"} {
		require.InEpsilon(t, p3, l.Grids[a.Grids.Index(id)].LoadIndex, 1e-9, id)
	}
	var total float64
	for _, g := range l.Grids {
		total += g.Share.Police
	}
	require.InDelta(t, 3, total, 1e-12, "each of the 3 officers in grids is shared out whole")
}

func TestLoad_WindowDays(t *testing.T) {
	t.Parallel()
	a := loadAtlas(t)
	w, err := coverage.NewWindow(a, time.Date(2026, 6, 20, 0, 0, 0, 0, time.UTC), 30, time.Now())
	require.NoError(t, err)
	l, err := coverage.Load(a, coverage.LoadOptions{Window: w})
	require.NoError(t, err)
	// (21 May, 20 June]: G1's incident of 20 June and G2's of 5 June.
	got := map[string]int{}
	for _, g := range l.Grids {
		got[g.Grid.ID] = g.Incidents
		require.Equal(t, g.Incidents, g.Incidents30d, "a 30-day window is its own last 30 days")
	}
	require.Equal(t, map[string]int{"G1": 1, "G2": 1, "G3": 0, "G4": 0, "G5": 0, "G6": 0}, got)
}

func TestLoad_RejectsBadOptions(t *testing.T) {
	t.Parallel()
	a := loadAtlas(t)
	tests := []struct {
		name  string
		opt   coverage.LoadOptions
		field string
	}{
		{"negative weight", coverage.LoadOptions{Weights: coverage.LoadWeights{Residents: -1, Area: 1}}, "weight_residents"},
		{"NaN weight", coverage.LoadOptions{Weights: coverage.LoadWeights{Incidents: math.NaN(), Area: 1}}, "weight_incidents"},
		{"unknown split", coverage.LoadOptions{Split: "by_age"}, "split"},
		{"negative norm", coverage.LoadOptions{Norm: &coverage.Norm{GridPolice: 1, BeatPolice: -1, BeatAuxiliaries: 2}}, "norm_police"},
		{"negative grid norm", coverage.LoadOptions{Norm: &coverage.Norm{GridPolice: -1, BeatPolice: 1}}, "norm_grid_police"},
		{"target above 1", coverage.LoadOptions{Norm: &coverage.Norm{GridPolice: 1, BeatPolice: 1, BeatAuxiliaries: 2, PoliceInGridsTarget: 1.5}}, "police_in_grids_target"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := coverage.Load(a, tt.opt)
			require.Equal(t, geo.Invalid, geo.ErrorCode(err))
			var ge *geo.Error
			require.ErrorAs(t, err, &ge)
			require.Equal(t, tt.field, ge.Problems[0].Field)
		})
	}
}
