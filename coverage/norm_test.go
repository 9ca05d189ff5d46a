package coverage_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
)

func TestNorm_ComplianceOfTheFixture(t *testing.T) {
	t.Parallel()
	a := loadAtlas(t)
	tests := []struct {
		name                         string
		norm                         *coverage.Norm
		below, belowPolice, belowAux int
		meetsTarget                  bool
		wantBelow                    []string
	}{
		// G3 has 1 auxiliary, G5 and G6 none, G4 nobody at all.
		{"default 1 + 2", nil, 4, 1, 4, true, []string{"G3", "G4", "G5", "G6"}},
		{"police only", &coverage.Norm{Police: 1, PoliceInGridsTarget: 0.5}, 1, 1, 0, true, []string{"G4"}},
		{"two police", &coverage.Norm{Police: 2, Auxiliaries: 0, PoliceInGridsTarget: 0.8}, 5, 5, 0, false, []string{"G1", "G3", "G4", "G5", "G6"}},
		{"one auxiliary", &coverage.Norm{Police: 0, Auxiliaries: 1, PoliceInGridsTarget: 0.75}, 3, 0, 3, true, []string{"G4", "G5", "G6"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, err := coverage.Load(a, coverage.LoadOptions{Window: loadWindow(t, a), Norm: tt.norm})
			require.NoError(t, err)
			c := l.Compliance
			require.Equal(t, 6, c.Grids)
			require.Equal(t, tt.below, c.GridsBelowNorm)
			require.Equal(t, tt.belowPolice, c.GridsBelowPoliceNorm)
			require.Equal(t, tt.belowAux, c.GridsBelowAuxiliaryNorm)
			var below []string
			for _, g := range l.Grids {
				if g.BelowNorm {
					below = append(below, g.Grid.ID)
				}
			}
			require.Equal(t, tt.wantBelow, below)
			// P1, P2, P3 serve grids; P4 is kept at the station.
			require.Equal(t, 4, c.PoliceOfficers)
			require.Equal(t, 3, c.PoliceInGrids)
			require.InDelta(t, 0.75, *c.PoliceInGridsShare, 1e-12)
			require.Equal(t, tt.meetsTarget, c.MeetsPoliceInGridsTarget)
			// Grid workers serve G1 (W1), G2 and G3 (W2).
			require.Equal(t, 3, c.GridsWithGridWorker)
			require.InDelta(t, 0.5, *c.GridWorkerShare, 1e-12)
		})
	}
}

func TestNorm_NoPoliceNoGrids(t *testing.T) {
	t.Parallel()
	d := loadDataset(t)
	d.Responders = d.Responders[4:] // no police at all
	a := loadAtlasOf(t, d)
	l, err := coverage.Load(a, coverage.LoadOptions{Window: loadWindow(t, a)})
	require.NoError(t, err)
	require.Nil(t, l.Compliance.PoliceInGridsShare, "no police: no share (null, not NaN)")
	require.False(t, l.Compliance.MeetsPoliceInGridsTarget)
	require.Equal(t, 6, l.Compliance.GridsBelowPoliceNorm)
	for _, g := range l.Grids {
		require.Nil(t, g.PerPolice)
		require.Greater(t, g.LoadIndex, 0.99, "unstaffed: M (0) + 1 + demand")
	}
}
