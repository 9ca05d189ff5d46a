package coverage_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

func TestScenario(t *testing.T) {
	t.Parallel()
	a := vidAtlas(t, true)
	w := vidWindow(t, a)
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	original := v.Grids(coverage.Installed, w)
	newCam := &geo.Camera{ID: "n1", Source: geo.SourceXueliang, Type: geo.TypeDome, Point: vidPt(0.2, 0.175), FOVDeg: 360, RangeM: 60,
		Online: true, Installed: vidAsOf}
	for _, tc := range []struct {
		name    string
		changes []coverage.ScenarioChange
		variant coverage.Variant
		grids   []string // the grids touched
		same    bool     // the district's figures are unchanged
	}{
		{"add then remove the same camera", []coverage.ScenarioChange{{Op: coverage.OpAdd, Camera: newCam}, {Op: coverage.OpRemove, ID: "n1"}},
			coverage.Installed, []string{"g1"}, true},
		{"add", []coverage.ScenarioChange{{Op: coverage.OpAdd, Camera: newCam}}, coverage.Installed, []string{"g1"}, false},
		{"fix an offline camera", []coverage.ScenarioChange{{Op: coverage.OpFix, ID: "c2"}}, coverage.Operational, []string{"g2"}, false},
		{"move a camera to another grid", []coverage.ScenarioChange{{Op: coverage.OpMove, ID: "c1", To: vidPt(0.2, 0.175)}},
			coverage.Installed, []string{"g1"}, false},
		{"remove a camera", []coverage.ScenarioChange{{Op: coverage.OpRemove, ID: "c4"}}, coverage.Installed, []string{"g2", "g4"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := v.Scenario(tc.changes, tc.variant, w)
			require.NoError(t, err)
			var ids []string
			for _, g := range r.Grids {
				ids = append(ids, g.Grid.ID)
			}
			require.Equal(t, tc.grids, ids)
			// The after figures are those of a full computation of the
			// changed atlas.
			full, err := coverage.NewVideo(r.Video.Atlas(), coverage.VideoOptions{})
			require.NoError(t, err)
			require.Equal(t, full.Grids(tc.variant, w), r.Video.Grids(tc.variant, w))
			require.Equal(t, coverage.RollUpVideo(a, v.Grids(tc.variant, w), coverage.LevelDistrict)[0].VideoFigures, r.Before)
			if tc.same {
				require.Equal(t, r.Before, r.After)
				require.Equal(t, original, r.Video.Grids(coverage.Installed, w), "the original coverage, exactly")
			} else {
				require.NotEqual(t, r.Before, r.After)
			}
			require.Equal(t, original, v.Grids(coverage.Installed, w), "the served coverage is unchanged")
			require.Same(t, a, v.Atlas())
			require.Equal(t, 5, a.Cameras.Len())
		})
	}
}

func TestScenario_RefusesBadChanges(t *testing.T) {
	t.Parallel()
	a := vidAtlas(t, true)
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	for _, tc := range []struct {
		name   string
		change coverage.ScenarioChange
		field  string
	}{
		{"unknown op", coverage.ScenarioChange{Op: "paint"}, "op"},
		{"no such camera", coverage.ScenarioChange{Op: coverage.OpRemove, ID: "zz"}, "id"},
		{"add without a camera", coverage.ScenarioChange{Op: coverage.OpAdd}, "camera"},
		{"add an existing id", coverage.ScenarioChange{Op: coverage.OpAdd, Camera: &geo.Camera{ID: "c1"}}, "camera"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := v.Scenario([]coverage.ScenarioChange{tc.change}, coverage.Installed, vidWindow(t, a))
			var ge *geo.Error
			require.ErrorAs(t, err, &ge)
			require.Equal(t, geo.Invalid, ge.Code)
			require.Equal(t, tc.field, ge.Problems[0].Field)
		})
	}
}

func TestRepairs_RankOfflineCamerasByWhatTheyBringBack(t *testing.T) {
	t.Parallel()
	a := vidAtlas(t, true)
	w := vidWindow(t, a)
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	wt := coverage.PlacementWeights{Population: 1, Incidents: 10, Places: 50}
	r := v.Repairs(wt, w)
	require.Len(t, r.Cameras, 2)
	var fixAll []coverage.ScenarioChange
	for i, rp := range r.Cameras {
		require.False(t, rp.Camera.Online)
		if i > 0 {
			require.LessOrEqual(t, rp.Gain, r.Cameras[i-1].Gain)
		}
		// Independently: fix it in a scenario and compare the
		// operational district figures.
		sc, err := v.Scenario([]coverage.ScenarioChange{{Op: coverage.OpFix, ID: rp.Camera.ID}}, coverage.Operational, w)
		require.NoError(t, err)
		// Gains are counted on the surface's cells, the figures measured
		// exactly: they agree within the cells' sampling error (docs/coverage.md).
		require.InDelta(t, sc.After.PopulationCovered-sc.Before.PopulationCovered, rp.GainPopulation, 0.5*float64(a.Grids.Len())+0.03*rp.GainPopulation)
		require.Equal(t, sc.After.IncidentsCovered-sc.Before.IncidentsCovered, rp.GainIncidents)
		require.Equal(t, sc.After.PlacesCovered-sc.Before.PlacesCovered, rp.GainPlaces)
		fixAll = append(fixAll, coverage.ScenarioChange{Op: coverage.OpFix, ID: rp.Camera.ID})
	}
	require.Equal(t, "c2", r.Cameras[0].Camera.ID, "c2 sees half of s2's 200 people and incident i5")
	sc, err := v.Scenario(fixAll, coverage.Operational, w)
	require.NoError(t, err)
	require.InDelta(t, sc.After.PopulationCovered-sc.Before.PopulationCovered, r.All.GainPopulation, 0.5*float64(a.Grids.Len())+0.03*r.All.GainPopulation)
	require.Equal(t, sc.After.IncidentsCovered-sc.Before.IncidentsCovered, r.All.GainIncidents)
}
