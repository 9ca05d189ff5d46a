package coverage_test

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
)

// In the fixture the grids count for the beats holding their centres: B1
// holds G1 and G4, B2 G2 and G3, B3 G5 and G6. Working in B1: P1 (G1), A1
// (G1, G2), A2 (G1), W1; in B2: P1, P2 (G2), P3 (G3), A1, A3 (G2), A4 (G3),
// W2; in B3: P3 (G5, G6), V1 (G5), no auxiliary.
func TestNorm_ComplianceOfTheFixture(t *testing.T) {
	t.Parallel()
	a := loadAtlas(t)
	tests := []struct {
		name                           string
		norm                           *coverage.Norm
		below                          int
		beatsBelow, beatsPol, beatsAux int
		meetsTarget                    bool
		wantBelow, wantBeatsBelow      []string
		shortPolice, shortAux          map[string]int
	}{
		{"default", nil, 1, 1, 0, 1, true, []string{"G4"}, []string{"B3"},
			map[string]int{}, map[string]int{"B3": 2}},
		{"two police per grid", &coverage.Norm{GridPolice: 2, BeatPolice: 1, BeatAuxiliaries: 2, PoliceInGridsTarget: 0.8},
			5, 1, 0, 1, false, []string{"G1", "G3", "G4", "G5", "G6"}, []string{"B3"}, map[string]int{}, map[string]int{"B3": 2}},
		{"three police, three auxiliaries per beat", &coverage.Norm{GridPolice: 1, BeatPolice: 3, BeatAuxiliaries: 3, PoliceInGridsTarget: 0.75},
			1, 2, 2, 2, true, []string{"G4"}, []string{"B1", "B3"},
			map[string]int{"B1": 2, "B3": 2}, map[string]int{"B1": 1, "B3": 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, err := coverage.Load(a, coverage.LoadOptions{Window: loadWindow(t, a), Norm: tt.norm})
			require.NoError(t, err)
			c := l.Compliance
			require.Equal(t, 6, c.Grids)
			require.Equal(t, tt.below, c.GridsBelowNorm)
			var below []string
			for _, g := range l.Grids {
				if g.BelowNorm {
					below = append(below, g.Grid.ID)
				}
			}
			require.Equal(t, tt.wantBelow, below)
			require.Equal(t, 3, c.Beats)
			require.Equal(t, tt.beatsBelow, c.BeatsBelowNorm)
			require.Equal(t, tt.beatsPol, c.BeatsBelowPoliceNorm)
			require.Equal(t, tt.beatsAux, c.BeatsBelowAuxiliaryNorm)
			require.Zero(t, c.GridsInNoBeat)
			var beatsBelow []string
			for _, b := range l.Beats {
				if b.BelowNorm {
					beatsBelow = append(beatsBelow, b.Beat.ID)
				}
				require.Equal(t, tt.shortPolice[b.Beat.ID], b.ShortPolice, b.Beat.ID)
				require.Equal(t, tt.shortAux[b.Beat.ID], b.ShortAuxiliaries, b.Beat.ID)
			}
			require.Equal(t, tt.wantBeatsBelow, beatsBelow)
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

func TestNorm_BeatStaffOfTheFixture(t *testing.T) {
	t.Parallel()
	a := loadAtlas(t)
	l, err := coverage.Load(a, coverage.LoadOptions{Window: loadWindow(t, a)})
	require.NoError(t, err)
	want := map[string]coverage.Staff[int]{
		"B1": {Police: 1, Auxiliaries: 2, GridWorkers: 1},
		"B2": {Police: 3, Auxiliaries: 3, GridWorkers: 1},
		"B3": {Police: 1, Volunteers: 1},
	}
	require.Len(t, l.Beats, 3)
	for _, b := range l.Beats {
		require.Equal(t, want[b.Beat.ID], b.Working, b.Beat.ID)
		require.Equal(t, 2, b.Grids, b.Beat.ID)
	}
	// The beat rows of the summary count the same people.
	rows := l.Summary(a, coverage.LevelBeat)
	require.Len(t, rows, 3)
	for i, u := range rows {
		require.Equal(t, l.Beats[i].Beat.ID, u.Unit.ID)
		require.Equal(t, want[u.Unit.ID], u.Officers)
		require.NotNil(t, u.BelowNorm)
		require.Equal(t, u.Unit.ID == "B3", *u.BelowNorm)
	}
}

func TestNorm_GridsInNoBeatAndEmptyBeats(t *testing.T) {
	t.Parallel()
	d := loadDataset(t)
	// B3 shrinks to a sliver north of every grid centre, so G5 and G6 count
	// for no beat, and B3 for none of them.
	d.Beats[2].Polygon = orb.Polygon{{{106.013, 37.4195}, {106.03, 37.4195}, {106.03, 37.42}, {106.013, 37.42}, {106.013, 37.4195}}}
	a := loadAtlasOf(t, d)
	l, err := coverage.Load(a, coverage.LoadOptions{Window: loadWindow(t, a)})
	require.NoError(t, err)
	require.Equal(t, 2, l.Compliance.GridsInNoBeat)
	require.Equal(t, 0, l.Beats[2].Grids)
	require.Equal(t, coverage.Staff[int]{}, l.Beats[2].Working)
	require.True(t, l.Beats[2].BelowNorm, "nobody works in a beat without grids")
	rows := l.Summary(a, coverage.LevelBeat)
	require.Len(t, rows, 4, "three beats and the grids in no beat")
	require.Equal(t, "B3", rows[2].Unit.ID)
	require.Zero(t, rows[2].Grids)
	require.Equal(t, "", rows[3].Unit.ID)
	require.Equal(t, 2, rows[3].Grids)
	require.Nil(t, rows[3].BelowNorm)
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
	require.Equal(t, 6, l.Compliance.GridsBelowNorm)
	require.Equal(t, 3, l.Compliance.BeatsBelowPoliceNorm)
	for _, g := range l.Grids {
		require.Nil(t, g.PerPolice)
		require.Greater(t, g.LoadIndex, 0.99, "unstaffed: M (0) + 1 + demand")
	}
	rows := l.Summary(a, coverage.LevelDistrict)
	require.True(t, *rows[0].BelowNorm, "no police in grids: the district is below its target")
}

func TestNorm_InteriorPointOfAConcaveGrid(t *testing.T) {
	t.Parallel()
	d := loadDataset(t)
	// G1 becomes a U open to the north whose centroid lies in the notch
	// (outside G1): its beat must come from a point inside it.
	d.Grids[0].Polygon = orb.Polygon{{
		loadPoint(0, 0), loadPoint(1, 0), loadPoint(1, 1), loadPoint(0.9, 1), loadPoint(0.9, 0.1),
		loadPoint(0.1, 0.1), loadPoint(0.1, 1), loadPoint(0, 1), loadPoint(0, 0)}}
	d.Grids[3].Polygon = orb.Polygon{{loadPoint(0, 1), loadPoint(0.1, 1), loadPoint(0.1, 0.1), loadPoint(0.9, 0.1),
		loadPoint(0.9, 1), loadPoint(1, 1), loadPoint(1, 2), loadPoint(0, 2), loadPoint(0, 1)}}
	a := loadAtlasOf(t, d)
	l, err := coverage.Load(a, coverage.LoadOptions{Window: loadWindow(t, a)})
	require.NoError(t, err)
	require.Equal(t, "B1", l.Grids[0].Beat)
	g, ok := a.GridAt(loadPoint(0.5, 0.5))
	require.True(t, ok)
	require.Equal(t, "G4", g.ID, "the notch belongs to G4")
}
