package coverage_test

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

func TestVideoGaps_OfTheFixture(t *testing.T) {
	t.Parallel()
	a := vidAtlas(t, true)
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	w := vidWindow(t, a)
	gaps, matched := v.Gaps(coverage.VideoGapQuery{Variant: coverage.Installed, Window: w})
	require.Equal(t, len(gaps), matched)
	byGrid := map[string][]coverage.VideoGap{}
	for _, g := range gaps {
		byGrid[g.Grid.ID] = append(byGrid[g.Grid.ID], g)
	}
	// g1: settlement s1, out of every view, with incident i2 in it.
	require.Len(t, byGrid["g1"], 1)
	g1 := byGrid["g1"][0]
	require.Equal(t, 100.0, g1.Population)
	require.Equal(t, 1, g1.Incidents)
	require.Equal(t, 0, g1.Places)
	s1, _ := a.Settlements.Get("s1")
	require.InEpsilon(t, geo.PolygonArea(s1.Polygon), g1.AreaM2, 0.03)
	require.Equal(t, coverage.VideoGapPriority(100, 1, 0, 365), g1.Priority)
	require.Equal(t, 110.0, g1.Priority, "100 people + 10 per incident a year")
	// g2: the west half of s2.
	require.Len(t, byGrid["g2"], 1)
	require.InDelta(t, 100, byGrid["g2"][0].Population, 8)
	// g3: the surroundings of key place p3, where nobody lives.
	require.Len(t, byGrid["g3"], 1)
	require.Equal(t, 1, byGrid["g3"][0].Places)
	require.Equal(t, 0.0, byGrid["g3"][0].Population)
	require.Equal(t, 50.0, byGrid["g3"][0].Priority)
	require.Empty(t, byGrid["g4"])
	for i := 1; i < len(gaps); i++ {
		require.GreaterOrEqual(t, gaps[i-1].Priority, gaps[i].Priority, "sorted by priority")
	}
	// Operational: c2 is offline, so all of s2 is a gap.
	oper, _ := v.Gaps(coverage.VideoGapQuery{Variant: coverage.Operational, Window: w, Grid: "g2"})
	require.Len(t, oper, 1)
	require.Equal(t, 200.0, oper[0].Population)
}

func TestVideoGaps_PeopleAddUp(t *testing.T) {
	t.Parallel()
	// In every grid, the people in gaps and the people seen make the
	// grid's population, up to the people of cells partly seen (a gap holds
	// cells whose centre is unseen; people seen count each cell's share).
	a := vidAtlas(t, true)
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	w := vidWindow(t, a)
	for _, variant := range coverage.Variants {
		gaps, _ := v.Gaps(coverage.VideoGapQuery{Variant: variant, Window: w})
		inGaps := map[string]float64{}
		for _, g := range gaps {
			inGaps[g.Grid.ID] += g.Population
		}
		for _, r := range v.Grids(variant, w) {
			require.InDelta(t, r.Population, r.PopulationCovered+inGaps[r.Grid.ID], 1+0.03*r.Population, "%s %s", variant, r.Grid.ID)
		}
	}
}

func TestVideoGaps_Filters(t *testing.T) {
	t.Parallel()
	a := vidAtlas(t, true)
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	w := vidWindow(t, a)
	all, _ := v.Gaps(coverage.VideoGapQuery{Window: w})
	require.Len(t, all, 3)
	west := orb.Bound{Min: vidPt(0, 0), Max: vidPt(0.99, 2)}
	cases := []struct {
		name string
		q    coverage.VideoGapQuery
		want []string // grids of the gaps, in order
		n    int      // matched
	}{
		{"grid", coverage.VideoGapQuery{Grid: "g3"}, []string{"g3"}, 1},
		{"village", coverage.VideoGapQuery{Village: "V1"}, []string{"g1", "g3"}, 2},
		{"township", coverage.VideoGapQuery{Township: "T2"}, []string{"g2"}, 1},
		{"bbox", coverage.VideoGapQuery{BBoxes: []orb.Bound{west}}, []string{"g1", "g3"}, 2},
		{"min area", coverage.VideoGapQuery{MinAreaM2: 5000}, []string{"g1"}, 1},
		{"limit", coverage.VideoGapQuery{Limit: 1}, []string{"g1"}, 3},
		{"nothing", coverage.VideoGapQuery{Grid: "g4"}, nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.q.Window = w
			gaps, n := v.Gaps(tc.q)
			var got []string
			for _, g := range gaps {
				got = append(got, g.Grid.ID)
			}
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.n, n)
		})
	}
}

func TestVideoGapPriority(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name                       string
		pop                        float64
		incidents, places, windowD int
		want                       float64
	}{
		{"people only", 120, 0, 0, 365, 120},
		{"a year of incidents", 0, 3, 0, 365, 30},
		{"annualised", 0, 3, 0, 73, 150}, // 3 in 73 days: 15 a year
		{"places", 10, 0, 2, 30, 110},
		{"no window", 5, 4, 0, 0, 5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.InDelta(t, tc.want, coverage.VideoGapPriority(tc.pop, tc.incidents, tc.places, tc.windowD), 1e-9)
		})
	}
	require.False(t, math.IsNaN(coverage.VideoGapPriority(0, 0, 0, 0)))
}
