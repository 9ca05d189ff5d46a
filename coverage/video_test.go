package coverage_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// TestVideo_ExactGeometry compares the H3 coverage of the fixture's grids
// with the areas of exact geometry: a sector wholly inside a grid, two
// overlapping discs, a disc on a grid border, half a settlement. The
// tolerances are what each resolution's cells can resolve; at the default
// resolution every share is within 0.2 percentage point.
func TestVideo_ExactGeometry(t *testing.T) {
	t.Parallel()
	a := vidAtlas(t, true)
	area := func(id string) float64 { g, _ := a.Grids.Get(id); return geo.PolygonArea(g.Polygon) }
	type want struct {
		grid            string
		variant         coverage.Variant
		covered, settle float64 // exact covered area, m²; exact settlement share (-1: none)
	}
	wants := []want{
		{"g1", coverage.Installed, discArea(200) / 4, 0},
		{"g1", coverage.Operational, discArea(200) / 4, 0},
		{"g2", coverage.Installed, discArea(300)/2 + discArea(150)/2, 0.5},
		{"g2", coverage.Operational, discArea(150) / 2, 0},
		{"g3", coverage.Installed, 2*discArea(150) - lensArea(150, 200), -1},
		{"g3", coverage.Operational, discArea(150), -1},
		{"g4", coverage.Installed, discArea(150) / 2, -1},
		{"g4", coverage.Operational, discArea(150) / 2, -1},
	}
	tolerance := map[int]struct{ share, settle float64 }{11: {0.012, 0.15}, 12: {0.002, 0.06}, 13: {0.001, 0.03}}
	for res, tol := range tolerance {
		v, err := coverage.NewVideo(a, coverage.VideoOptions{Resolution: res})
		require.NoError(t, err)
		for _, variant := range coverage.Variants {
			rows := v.Grids(variant, vidWindow(t, a))
			for _, w := range wants {
				if w.variant != variant {
					continue
				}
				t.Run(fmt.Sprintf("res%d/%s/%s", res, w.grid, variant), func(t *testing.T) {
					r := vidGrid(t, rows, w.grid)
					sh := r.Shares()
					require.InDelta(t, w.covered/area(w.grid), *sh.Area, tol.share, "covered %.0f m², exact %.0f m²", r.CoveredAreaM2, w.covered)
					require.InDelta(t, area(w.grid), r.AreaM2, 0.5)
					if w.settle < 0 {
						require.Nil(t, sh.SettlementArea)
						return
					}
					require.InDelta(t, w.settle, *sh.SettlementArea, tol.settle)
					require.InDelta(t, w.settle, *sh.Population, tol.settle+0.01)
				})
			}
		}
	}
}

func TestVideo_CountsOfTheFixture(t *testing.T) {
	t.Parallel()
	a := vidAtlas(t, true)
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	type counts struct {
		incidents, incCovered, places, placesCovered, cameras, online, xueliang, rural, courtyard float64
	}
	cases := []struct {
		grid    string
		variant coverage.Variant
		want    counts
	}{
		{"g1", coverage.Installed, counts{3, 1, 1, 1, 1, 1, 1, 0, 0}},
		{"g1", coverage.Operational, counts{3, 1, 1, 1, 1, 1, 1, 0, 0}},
		{"g2", coverage.Installed, counts{1, 1, 0, 0, 1, 0, 0, 1, 0}},
		{"g2", coverage.Operational, counts{1, 0, 0, 0, 1, 0, 0, 1, 0}},
		{"g3", coverage.Installed, counts{0, 0, 1, 0, 2, 1, 1, 0, 1}},
		// c4 sits on the edge g2 | g4; a point on a shared edge belongs to
		// one grid only (geo.Atlas.GridAt): here g4.
		{"g4", coverage.Installed, counts{0, 0, 0, 0, 1, 1, 1, 0, 0}},
	}
	for _, tc := range cases {
		t.Run(tc.grid+"/"+string(tc.variant), func(t *testing.T) {
			t.Parallel()
			r := vidGrid(t, v.Grids(tc.variant, vidWindow(t, a)), tc.grid)
			got := counts{r.Incidents, r.IncidentsCovered, r.Places, r.PlacesCovered, r.Cameras, r.CamerasOnline,
				r.CamerasXueliang, r.CamerasRuralGroundNetwork, r.CamerasCourtyard}
			require.Equal(t, tc.want, got)
			sh := r.Shares()
			if tc.want.incidents == 0 {
				require.Nil(t, sh.Incidents)
			}
			if tc.want.places == 0 {
				require.Nil(t, sh.Places)
			}
			if tc.want.cameras > 0 {
				require.InDelta(t, tc.want.online/tc.want.cameras, *sh.OnlineRate, 1e-12)
			}
		})
	}
}

func TestVideo_ConsistentFigures(t *testing.T) {
	t.Parallel()
	for _, settlements := range []bool{true, false} {
		a := vidAtlas(t, settlements)
		v, err := coverage.NewVideo(a, coverage.VideoOptions{})
		require.NoError(t, err)
		w := vidWindow(t, a)
		checkVideoConsistency(t, a, v, w)
	}
}

// checkVideoConsistency checks that shares lie in [0, 1], that operational
// never exceeds installed, and that every roll-up is the exact sum of its
// grids' figures.
func checkVideoConsistency(t *testing.T, a *geo.Atlas, v *coverage.Video, w coverage.Window) {
	t.Helper()
	inst, oper := v.Grids(coverage.Installed, w), v.Grids(coverage.Operational, w)
	for i := range inst {
		for _, r := range []coverage.GridVideo{inst[i], oper[i]} {
			sh := r.Shares()
			for _, s := range []*float64{sh.Area, sh.SettlementArea, sh.Population, sh.Incidents, sh.Places, sh.OnlineRate} {
				if s != nil {
					require.True(t, *s >= 0 && *s <= 1, "grid %s: share %v", r.Grid.ID, *s)
				}
			}
			require.LessOrEqual(t, r.CoveredAreaM2, r.AreaM2)
			require.LessOrEqual(t, r.CoveredSettlementAreaM2, r.SettlementAreaM2)
			require.LessOrEqual(t, r.PopulationCovered, r.Population)
		}
		o, n := oper[i], inst[i]
		require.LessOrEqual(t, o.CoveredAreaM2, n.CoveredAreaM2, o.Grid.ID)
		require.LessOrEqual(t, o.CoveredSettlementAreaM2, n.CoveredSettlementAreaM2, o.Grid.ID)
		require.LessOrEqual(t, o.PopulationCovered, n.PopulationCovered, o.Grid.ID)
		require.LessOrEqual(t, o.IncidentsCovered, n.IncidentsCovered, o.Grid.ID)
		require.LessOrEqual(t, o.PlacesCovered, n.PlacesCovered, o.Grid.ID)
	}
	for _, variant := range coverage.Variants {
		rows := v.Grids(variant, w)
		for _, level := range []coverage.Level{coverage.LevelVillage, coverage.LevelTownship, coverage.LevelDistrict} {
			units := v.Summary(level, variant, w)
			sums := map[string]coverage.VideoFigures{}
			for _, r := range rows {
				u := coverage.UnitOf(a, r.Grid, level)
				f := sums[u.ID]
				f.Add(r.VideoFigures)
				sums[u.ID] = f
			}
			total := 0
			for _, u := range units {
				require.Equal(t, sums[u.Unit.ID], u.VideoFigures, "%s %s", level, u.Unit.ID)
				total += u.Grids
			}
			require.Equal(t, len(rows), total)
		}
	}
}

func TestVideo_WholeGridSurfaceWithoutSettlements(t *testing.T) {
	t.Parallel()
	a := vidAtlas(t, false)
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	require.Equal(t, coverage.DefaultVideoResolution, v.SurfaceResolution(), "four small grids fit at the coverage's resolution")
	w := vidWindow(t, a)
	for _, r := range v.Grids(coverage.Installed, w) {
		sh := r.Shares()
		require.Nil(t, sh.SettlementArea)
		// People are spread over the whole grid.
		require.InDelta(t, r.Population**sh.Area, r.PopulationCovered, 0.5, r.Grid.ID)
	}
	gaps, _ := v.Gaps(coverage.VideoGapQuery{Variant: coverage.Installed, Window: w, Grid: "g1"})
	require.Len(t, gaps, 1, "g1 less the sector inside it: one gap with a hole")
	require.Len(t, gaps[0].Polygon, 2)
	g1, _ := a.Grids.Get("g1")
	exact := geo.PolygonArea(g1.Polygon) - discArea(200)/4
	require.InEpsilon(t, exact, gaps[0].AreaM2, 0.01)
	require.InEpsilon(t, 300*exact/geo.PolygonArea(g1.Polygon), gaps[0].Population, 0.01)
}
