package coverage_test

import (
	"context"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/stretchr/testify/require"
	"github.com/uber/h3-go/v4"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// TestIsochrones_MatchBruteForce times, by plain Dijkstra, every cell of
// a disk wider than the straight-line reach and every settlement, and
// checks that the isochrones hold exactly the cells and people reached in
// time.
func TestIsochrones_MatchBruteForce(t *testing.T) {
	t.Parallel()
	a := mustSmallDistrict(t)
	n := a.Network()
	st := a.Stations.At(0)
	opt := coverage.IsochroneOptions{Minutes: []float64{3, 6}, Role: geo.RoleAuxiliary}
	isos, err := coverage.Isochrones(context.Background(), a, st.Point, opt)
	require.NoError(t, err)
	require.Len(t, isos, 2)
	prof := coverage.DefaultETA()[geo.RoleAuxiliary].Profile()
	start, ok := n.Snap(st.Point)
	require.True(t, ok)
	timeTo := func(c h3.Cell) float64 {
		p, ok := n.Snap(geo.CellCenter(c))
		if !ok {
			return math.Inf(1)
		}
		r, ok := n.RouteDijkstra(start, p, prof)
		if !ok {
			return math.Inf(1)
		}
		return r.Seconds
	}
	reach := 6 * 60 * n.TopMPS(prof)
	k := int(reach/geo.CellSpacingM(coverage.DefaultIsochroneRes)*1.2) + 2
	disk := h3.GridDisk(geo.PointCell(st.Point, coverage.DefaultIsochroneRes), k)
	for _, iso := range isos {
		in := map[h3.Cell]bool{}
		for _, c := range iso.Cells {
			in[c] = true
		}
		want := 0
		area := 0.0
		for _, c := range disk {
			if timeTo(c) <= iso.Minutes*60 {
				want++
				area += geo.CellAreaM2(c)
				require.True(t, in[c], "%g min: cell %v is reached in time", iso.Minutes, c)
			}
		}
		require.Equal(t, want, len(iso.Cells), "%g min", iso.Minutes)
		require.InDelta(t, area, iso.AreaM2, 1e-6*area)
		require.Positive(t, want)
		require.NotEmpty(t, iso.Polygon)
		pop := 0.0
		byGrid := map[string]float64{}
		for _, s := range a.Settlements.Items() {
			c, _ := planar.CentroidArea(s.Polygon)
			p, ok := n.Snap(c)
			if !ok {
				continue
			}
			if r, ok := n.RouteDijkstra(start, p, prof); ok && r.Seconds <= iso.Minutes*60 {
				pop += float64(s.Population)
				byGrid[s.Grid] += float64(s.Population)
			}
		}
		require.Equal(t, pop, iso.Population, "%g min", iso.Minutes)
		got := map[string]float64{}
		for _, g := range iso.Grids {
			got[g.Grid.ID] = g.Population
		}
		require.Equal(t, byGrid, got)
	}
	require.Greater(t, len(isos[1].Cells), len(isos[0].Cells))
}

func TestIsochrones_Invalid(t *testing.T) {
	t.Parallel()
	a := mustSmallDistrict(t)
	p := a.Stations.At(0).Point
	for _, opt := range []coverage.IsochroneOptions{
		{Minutes: []float64{10, 5}},
		{Minutes: []float64{0}},
		{Minutes: []float64{61}},
		{Role: "chief"},
		{Resolution: 12},
	} {
		_, err := coverage.Isochrones(context.Background(), a, p, opt)
		require.Equal(t, geo.Invalid, geo.ErrorCode(err), "%+v", opt)
	}
	_, err := coverage.Isochrones(context.Background(), a, orb.Point{a.Grids.Bound().Max[0] + 1, a.Grids.Bound().Max[1] + 1}, coverage.IsochroneOptions{})
	require.Equal(t, geo.Invalid, geo.ErrorCode(err), "a point far from every road")
	_, err = coverage.Isochrones(context.Background(), randomResponders(t, 3, 1), p, coverage.IsochroneOptions{})
	require.Equal(t, geo.Conflict, geo.ErrorCode(err), "no roads")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = coverage.Isochrones(ctx, a, p, coverage.IsochroneOptions{})
	require.Equal(t, geo.Unavailable, geo.ErrorCode(err))
}
