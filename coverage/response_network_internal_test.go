package coverage

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/geo"
)

// TestNetworkArrivalTimes_MatchBruteForce checks the one-search arrival
// times of the response analysis against, for a sample of cells, the
// fastest of every eligible responder's own Dijkstra route.
func TestNetworkArrivalTimes_MatchBruteForce(t *testing.T) {
	t.Parallel()
	d, err := data.Generate(data.GenerateOptions{Seed: 5, Scale: 0.1})
	require.NoError(t, err)
	a, err := geo.NewAtlas(d, geo.Options{})
	require.NoError(t, err)
	n := a.Network()
	require.False(t, n.Empty())
	opt, err := ResponseOptions{Now: ReferenceTime(a, a.Meta.AsOf), MaxAge: DefaultMaxAge, Network: n, Role: geo.RoleAuxiliary}.normalized()
	require.NoError(t, err)
	rc := newSettlementCells(a, 9)
	eligible := eligibleResponders(a.Responders, opt)
	require.Positive(t, eligible.Len())
	arrival := networkArrivalTimes(rc, eligible, opt, newStopper(nil))
	prof := opt.ETA[opt.Role].Profile()
	step := max(1, len(rc.cells)/40)
	reached := 0
	for j := 0; j < len(rc.cells); j += step {
		want := math.Inf(1)
		to, ok := n.Snap(rc.centre(j))
		if ok {
			for _, r := range eligible.Items() {
				from, ok := n.Snap(r.Point)
				if !ok {
					continue
				}
				if rt, ok := n.RouteDijkstra(from, to, prof); ok {
					want = math.Min(want, rt.Seconds)
				}
			}
		}
		if math.IsInf(want, 1) {
			require.True(t, math.IsInf(arrival[j], 1), "cell %d", j)
			continue
		}
		reached++
		require.InDelta(t, want, arrival[j], 1e-6*want, "cell %d", j)
	}
	require.Greater(t, reached, 20)
}
