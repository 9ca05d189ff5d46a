package coverage_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// rowAtlas is a row of square grids G1, G2, ... (0.01° a side, west to
// east) with these populations, police officers linked to these grids
// (nil: kept at the station S1, at the row's west end) and no incidents.
func rowAtlas(t *testing.T, pops []int, police [][]string) *geo.Atlas {
	t.Helper()
	d := &geo.Dataset{Meta: geo.Meta{Name: "row", AsOf: loadAsOf},
		Stations: []*geo.Station{{ID: "S1", Name: "Station", Point: loadPoint(0.1, 0.5)}},
		Beats:    []*geo.Beat{{ID: "B1", Name: "Beat", Station: "S1", Polygon: loadRect(0, 0, float64(len(pops)), 1)}}}
	for i, pop := range pops {
		id := fmt.Sprintf("G%d", i+1)
		d.Grids = append(d.Grids, &geo.Grid{ID: id, Name: id, Village: "V", Township: "T",
			Polygon: loadRect(float64(i), 0, float64(i+1), 1), Population: pop, Households: pop / 3})
	}
	for i, grids := range police {
		id := fmt.Sprintf("P%d", i+1)
		d.Responders = append(d.Responders, &geo.Responder{ID: id, Name: id, Role: geo.RolePolice, Station: "S1",
			Grids: grids, Point: loadPoint(0.5, 0.5), Available: true, Updated: loadAsOf})
	}
	return loadAtlasOf(t, d)
}

// planners are the two searches: Reallocate takes the exhaustive search
// on districts this small, ReallocateHeuristic the heuristic.
var planners = map[string]func(context.Context, *geo.Atlas, *coverage.LoadResult, coverage.ReallocConstraints) (*coverage.ReallocPlan, error){
	"exhaustive": coverage.Reallocate,
	"heuristic":  coverage.ReallocateHeuristic,
}

// G5 carries the peak. G1 (far from G5) and G4 (next to it) have two
// officers each, so either can give one to G5; G1 has a few residents
// fewer, so giving from G1 leaves a slightly lower spread (by well under
// 1 %), and the highest index (G5's) is the same either way.
func TestReallocate_NearTiesGoToTheShorterMove(t *testing.T) {
	t.Parallel()
	a := rowAtlas(t, []int{990, 1000, 1000, 1000, 3000},
		[][]string{{"G1"}, {"G1"}, {"G2"}, {"G3"}, {"G4"}, {"G4"}, {"G5"}})
	l, err := coverage.Load(a, coverage.LoadOptions{})
	require.NoError(t, err)
	// The two plans, measured by applying them and loading again.
	opt := coverage.LoadOptions{Means: &l.Means}
	from := map[string]coverage.ReallocSummary{}
	for _, g := range []string{"G1", "G4"} {
		officer := map[string]string{"G1": "P1", "G4": "P5"}[g]
		after, err := coverage.Load(reallocApply(t, a, []coverage.Move{{Officer: officer, FromGrid: g, ToGrid: "G5"}}), opt)
		require.NoError(t, err)
		from[g] = reallocSummaryOf(after)
	}
	require.InDelta(t, from["G1"].MaxLoadIndex, from["G4"].MaxLoadIndex, 1e-12)
	require.Less(t, from["G1"].LoadIndexSpread, from["G4"].LoadIndexSpread)
	require.Less(t, from["G4"].LoadIndexSpread, from["G1"].LoadIndexSpread*1.01, "a near-tie")
	for name, plan := range planners {
		for _, tt := range []struct {
			tol  float64
			from string
		}{{0, "G1"}, {0.01, "G4"}} {
			t.Run(fmt.Sprintf("%s tolerance %g", name, tt.tol), func(t *testing.T) {
				t.Parallel()
				c := coverage.DefaultReallocConstraints()
				c.MaxMoves, c.TieTolerance = 1, tt.tol
				p, err := plan(context.Background(), a, l, c)
				require.NoError(t, err)
				require.Len(t, p.Moves, 1)
				require.Equal(t, tt.from, p.Moves[0].FromGrid)
				require.Equal(t, "G5", p.Moves[0].ToGrid)
				require.InDelta(t, from[tt.from].LoadIndexSpread, p.After.LoadIndexSpread, 1e-9)
				require.InDelta(t, p.Moves[0].DistanceM, p.TotalDistanceM, 1e-9)
				require.Contains(t, p.Moves[0].Reason, "without it the highest load index would be")
			})
		}
	}
}

// An exact tie (G1 and G4 alike) goes to the shorter move, with no
// tolerance at all.
func TestReallocate_ExactTiesGoToTheShorterMove(t *testing.T) {
	t.Parallel()
	a := rowAtlas(t, []int{1000, 1000, 1000, 1000, 3000},
		[][]string{{"G1"}, {"G1"}, {"G2"}, {"G3"}, {"G4"}, {"G4"}, {"G5"}})
	l, err := coverage.Load(a, coverage.LoadOptions{})
	require.NoError(t, err)
	for name, plan := range planners {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := coverage.DefaultReallocConstraints()
			c.MaxMoves, c.TieTolerance = 1, 0
			p, err := plan(context.Background(), a, l, c)
			require.NoError(t, err)
			require.Len(t, p.Moves, 1)
			require.Equal(t, "G4", p.Moves[0].FromGrid, "G4 gives: it is next to G5")
			require.Equal(t, "G5", p.Moves[0].ToGrid)
		})
	}
}

// Plans without moves name the constraint to blame (neighbouring grids'
// centres are 883 m apart).
func TestReallocate_SaysWhichConstraintBinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		police  [][]string
		change  func(c *coverage.ReallocConstraints)
		binding []string
		words   []string
	}{
		{"every grid's only officer", [][]string{{"G1"}, {"G2"}, {"G3"}, {"G4"}, {"G5"}, nil},
			func(*coverage.ReallocConstraints) {}, []string{"min_police_per_grid", "from_station"},
			[]string{"min_police_per_grid 1", "1 police officers are kept at stations", "try from_station"}},
		{"only too long moves", [][]string{{"G1"}, {"G1"}, {"G2"}, {"G3"}, {"G4"}, {"G5"}},
			func(c *coverage.ReallocConstraints) { c.MaxDistanceM = 800 }, []string{"max_distance_m"},
			[]string{"longer than max_distance_m 800"}},
		{"no moves allowed", [][]string{{"G1"}, {"G1"}, {"G2"}, {"G3"}, {"G4"}, {"G5"}},
			func(c *coverage.ReallocConstraints) { c.MaxMoves = 0 }, []string{"max_moves"}, []string{"max_moves is 0"}},
		{"police may not move", [][]string{{"G1"}, {"G1"}, {"G2"}, {"G3"}, {"G4"}, {"G5"}},
			func(c *coverage.ReallocConstraints) { c.Roles = []geo.Role{geo.RoleAuxiliary} }, []string{"roles"},
			[]string{"roles does not include police"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := rowAtlas(t, []int{1000, 1000, 1000, 1000, 3000}, tt.police)
			l, err := coverage.Load(a, coverage.LoadOptions{})
			require.NoError(t, err)
			c := coverage.DefaultReallocConstraints()
			tt.change(&c)
			p, err := coverage.Reallocate(context.Background(), a, l, c)
			require.NoError(t, err)
			require.Empty(t, p.Moves)
			require.Equal(t, tt.binding, p.Binding)
			for _, w := range tt.words {
				require.Contains(t, p.Explanation, w)
			}
		})
	}
}

// When the load is already even no constraint is blamed.
func TestReallocate_EvenLoadBlamesNoConstraint(t *testing.T) {
	t.Parallel()
	a := rowAtlas(t, []int{1000, 1000, 1000}, [][]string{{"G1"}, {"G1"}, {"G2"}, {"G2"}, {"G3"}, {"G3"}})
	l, err := coverage.Load(a, coverage.LoadOptions{})
	require.NoError(t, err)
	p, err := coverage.Reallocate(context.Background(), a, l, coverage.DefaultReallocConstraints())
	require.NoError(t, err)
	require.Empty(t, p.Moves)
	require.Empty(t, p.Binding)
	require.Contains(t, p.Explanation, "as even as these moves can make it")
}
