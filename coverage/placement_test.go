package coverage_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// districtAfter returns the district's figures once cameras are added, by a
// full NewVideo of the changed atlas: a computation independent of the
// placement's own bookkeeping.
func districtAfter(t *testing.T, a *geo.Atlas, add []*geo.Camera, variant coverage.Variant, w coverage.Window) coverage.VideoFigures {
	t.Helper()
	fs := make([]geo.Feature, len(add))
	for i, c := range add {
		fs[i] = c
	}
	na, err := a.Apply(geo.LayerCameras, fs, nil)
	require.NoError(t, err)
	v, err := coverage.NewVideo(na, coverage.VideoOptions{})
	require.NoError(t, err)
	return coverage.RollUpVideo(na, v.Grids(variant, w), coverage.LevelDistrict)[0].VideoFigures
}

func TestPlace_GainsMatchTheCoverageOfThePlan(t *testing.T) {
	t.Parallel()
	a := vidAtlas(t, true)
	w := vidWindow(t, a)
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	before := coverage.RollUpVideo(a, v.Grids(coverage.Installed, w), coverage.LevelDistrict)[0].VideoFigures
	sites := []coverage.PlacementSite{{ID: "s1-centre", Point: vidPt(0.2, 0.175)}, {ID: "p3", Point: vidPt(0.8, 1.75)},
		{ID: "i4", Point: vidPt(0.88, 0.88)}, {ID: "nowhere", Point: vidPt(1.9, 1.9)}}
	for _, tc := range []struct {
		name  string
		model coverage.CameraModel
		one   bool
	}{
		{"fixed 90° sectors", coverage.CameraModel{Type: geo.TypeFixed, FOVDeg: 90, RangeM: 80}, false},
		{"domes, one per site", coverage.CameraModel{Type: geo.TypeDome, FOVDeg: 360, RangeM: 60}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opt := coverage.PlacementOptions{Budget: 3, Camera: tc.model, Window: w, Sites: sites, OnePerSite: tc.one,
				Weights: coverage.PlacementWeights{Population: 1, Incidents: 1, Places: 1}}
			p, err := v.Place(opt)
			require.NoError(t, err)
			opt.Plain = true
			plain, err := v.Place(opt)
			require.NoError(t, err)
			require.Equal(t, plain, p, "lazy and plain greedy agree")
			require.NotEmpty(t, p.Picks)
			var sum float64
			for i, pk := range p.Picks {
				require.Equal(t, i+1, pk.Rank)
				require.InDelta(t, pk.GainPopulation+pk.GainIncidents+pk.GainPlaces, pk.Gain, 1e-9)
				sum += pk.Gain
			}
			require.InDelta(t, p.Gain, sum, 1e-9)
			after := districtAfter(t, a, p.Cameras(), coverage.Installed, w)
			// People seen are rounded per grid: at most half a person each.
			require.InDelta(t, after.PopulationCovered-before.PopulationCovered, p.GainPopulation, 0.5*float64(a.Grids.Len()))
			require.Equal(t, after.IncidentsCovered-before.IncidentsCovered, p.GainIncidents)
			require.Equal(t, after.PlacesCovered-before.PlacesCovered, p.GainPlaces)
			require.Greater(t, p.GainPopulation, 0.0, "the settlement s1 is unseen and a site is in it")
		})
	}
}

func TestPlace_GeneratesSitesFromTheGaps(t *testing.T) {
	t.Parallel()
	a := vidAtlas(t, true)
	w := vidWindow(t, a)
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	p, err := v.Place(coverage.PlacementOptions{Budget: 50, Camera: coverage.CameraModel{Type: geo.TypeDome, FOVDeg: 360, RangeM: 80},
		Window: w, Weights: coverage.PlacementWeights{Population: 1}})
	require.NoError(t, err)
	require.Positive(t, p.Sites)
	after := districtAfter(t, a, p.Cameras(), coverage.Installed, w)
	require.Equal(t, after.Population, after.PopulationCovered, "enough domes see every settlement whole")
}

func TestPlace_RefusesBadOptions(t *testing.T) {
	t.Parallel()
	a := vidAtlas(t, true)
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	good := coverage.CameraModel{Type: geo.TypeFixed, FOVDeg: 90, RangeM: 80}
	for _, tc := range []struct {
		name  string
		opt   coverage.PlacementOptions
		field string
	}{
		{"no budget", coverage.PlacementOptions{Camera: good}, "budget"},
		{"budget above the maximum", coverage.PlacementOptions{Budget: coverage.MaxPlacementBudget + 1, Camera: good}, "budget"},
		{"bad type", coverage.PlacementOptions{Budget: 1, Camera: coverage.CameraModel{Type: "x", FOVDeg: 90, RangeM: 80}}, "camera.type"},
		{"no range", coverage.PlacementOptions{Budget: 1, Camera: coverage.CameraModel{Type: geo.TypeFixed, FOVDeg: 90}}, "camera.range_m"},
		{"negative weight", coverage.PlacementOptions{Budget: 1, Camera: good, Weights: coverage.PlacementWeights{Incidents: -1}}, "weights.incidents"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := v.Place(tc.opt)
			var ge *geo.Error
			require.ErrorAs(t, err, &ge)
			require.Equal(t, geo.Invalid, ge.Code)
			require.Equal(t, tc.field, ge.Problems[0].Field)
		})
	}
}
