package coverage_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

func TestVideoHotspots_AddUpToTheUnwatchedIncidents(t *testing.T) {
	t.Parallel()
	a := vidAtlas(t, true)
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	w := vidWindow(t, a)
	for _, variant := range coverage.Variants {
		for _, res := range []int{0, 9, 12} {
			hs, n, err := v.Hotspots(coverage.VideoHotspotQuery{Variant: variant, Window: w, Resolution: res})
			require.NoError(t, err)
			require.Len(t, hs, n)
			perGrid := map[string]int{}
			for i, h := range hs {
				perGrid[h.Grid.ID] += h.Incidents
				if i > 0 {
					require.GreaterOrEqual(t, hs[i-1].Incidents, h.Incidents)
				}
				want := res
				if want == 0 {
					want = coverage.DefaultVideoHotspotResolution
				}
				require.Equal(t, want, geo.CellResolution(h.Cell))
				require.Equal(t, h.Grid.ID+"-"+h.Cell.String(), h.ID)
			}
			for _, r := range v.Grids(variant, w) {
				require.Equal(t, int(r.Incidents-r.IncidentsCovered), perGrid[r.Grid.ID], "%s %s res %d", variant, r.Grid.ID, res)
			}
		}
	}
}

func TestVideoHotspots_OfTheFixture(t *testing.T) {
	t.Parallel()
	a := vidAtlas(t, true)
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	w := vidWindow(t, a)
	cases := []struct {
		name string
		q    coverage.VideoHotspotQuery
		want int // incidents in the hotspots
	}{
		{"installed: i2 and i4 in g1", coverage.VideoHotspotQuery{Variant: coverage.Installed}, 2},
		{"operational: and i5 under offline c2", coverage.VideoHotspotQuery{Variant: coverage.Operational}, 3},
		{"grid g2 installed", coverage.VideoHotspotQuery{Variant: coverage.Installed, Grid: "g2"}, 0},
		{"township T2 operational", coverage.VideoHotspotQuery{Variant: coverage.Operational, Township: "T2"}, 1},
		{"a narrow window", coverage.VideoHotspotQuery{Variant: coverage.Installed, Window: w.Last(1)}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.q.Window.Days == 0 {
				tc.q.Window = w
			}
			hs, _, err := v.Hotspots(tc.q)
			require.NoError(t, err)
			n := 0
			for _, h := range hs {
				n += h.Incidents
				require.Len(t, h.Polygon()[0], 7)
			}
			require.Equal(t, tc.want, n)
		})
	}
	_, _, err = v.Hotspots(coverage.VideoHotspotQuery{Resolution: 14, Window: w})
	require.Equal(t, geo.Invalid, geo.ErrorCode(err))
}
