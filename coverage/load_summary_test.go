package coverage_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
)

func TestLoadSummary_RollsUpGrids(t *testing.T) {
	t.Parallel()
	a := loadAtlas(t)
	l, err := coverage.Load(a, coverage.LoadOptions{Window: loadWindow(t, a)})
	require.NoError(t, err)
	tests := []struct {
		level coverage.Level
		units map[string][]string // unit → its grids
		// officers: distinct police officers assigned to each unit's grids
		police map[string]int
	}{
		{coverage.LevelVillage, map[string][]string{"V1": {"G1", "G4"}, "V2": {"G2", "G5"}, "V3": {"G3", "G6"}},
			map[string]int{"V1": 1, "V2": 3, "V3": 1}},
		{coverage.LevelTownship, map[string][]string{"T1": {"G1", "G2", "G4", "G5"}, "T2": {"G3", "G6"}},
			map[string]int{"T1": 3, "T2": 1}},
		{coverage.LevelDistrict, map[string][]string{"district": {"G1", "G2", "G3", "G4", "G5", "G6"}},
			map[string]int{"district": 3}},
		{coverage.LevelBeat, map[string][]string{"B1": {"G1", "G4"}, "B2": {"G2", "G3"}, "B3": {"G5", "G6"}},
			map[string]int{"B1": 1, "B2": 3, "B3": 1}},
		{coverage.LevelGrid, map[string][]string{"G1": {"G1"}, "G2": {"G2"}, "G3": {"G3"}, "G4": {"G4"}, "G5": {"G5"}, "G6": {"G6"}},
			map[string]int{"G1": 1, "G2": 2, "G3": 1, "G4": 0, "G5": 1, "G6": 1}},
	}
	for _, tt := range tests {
		t.Run(string(tt.level), func(t *testing.T) {
			t.Parallel()
			rows := l.Summary(a, tt.level)
			require.Len(t, rows, len(tt.units))
			for _, u := range rows {
				grids := tt.units[u.Unit.ID]
				require.NotEmpty(t, grids, u.Unit.ID)
				var pop, hh, inc, inc30, below, unstaffed, police, policeN int
				var share, area, maxLI float64
				for _, id := range grids {
					g := l.Grids[a.Grids.Index(id)]
					pop += g.Grid.Population
					hh += g.Grid.Households
					inc += g.Incidents
					inc30 += g.Incidents30d
					share += g.Share.Police
					policeN += g.Assigned.Police
					area += g.AreaKm2
					maxLI = max(maxLI, g.LoadIndex)
					if g.BelowNorm {
						below++
					}
					if !g.Staffed() {
						unstaffed++
					}
				}
				police = tt.police[u.Unit.ID]
				require.Equal(t, len(grids), u.Grids)
				require.Equal(t, pop, u.Population)
				require.Equal(t, hh, u.Households)
				require.Equal(t, inc, u.Incidents)
				require.Equal(t, inc30, u.Incidents30d)
				require.InDelta(t, share, u.Share.Police, 1e-12)
				require.Equal(t, policeN, u.Assigned.Police)
				require.Equal(t, police, u.Officers.Police)
				require.InDelta(t, area, u.AreaKm2, 1e-9)
				require.InDelta(t, maxLI, u.MaxLoadIndex, 1e-12)
				require.Equal(t, below, u.GridsBelowNorm)
				require.Equal(t, unstaffed, u.GridsUnstaffed)
				if share == 0 {
					require.Nil(t, u.LoadIndex)
					continue
				}
				require.NotNil(t, u.LoadIndex)
				require.InDelta(t, float64(pop)/share, u.PerPolice.Residents, 1e-9)
			}
		})
	}
}

func TestLoadSummary_DistrictIndexIsOne(t *testing.T) {
	t.Parallel()
	a := loadAtlas(t)
	l, err := coverage.Load(a, coverage.LoadOptions{Window: loadWindow(t, a)})
	require.NoError(t, err)
	rows := l.Summary(a, coverage.LevelDistrict)
	require.Len(t, rows, 1)
	// The district's figures over its police share are the means themselves.
	require.InDelta(t, 1, *rows[0].LoadIndex, 1e-12)
	require.InDelta(t, l.Means.Residents, rows[0].PerPolice.Residents, 1e-9)
	require.Equal(t, "Load fixture", rows[0].Unit.Name)
	require.Equal(t, 3, rows[0].Officers.Police)
	require.Equal(t, 4, rows[0].Officers.Auxiliaries)
	require.Equal(t, 2, rows[0].Officers.GridWorkers)
	require.Equal(t, 3, rows[0].GridsWithGridWorker)
}
