package coverage_test

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// smallDistrict is a generated district at scale 0.1 (with roads and
// canals), shared by the tests.
var smallDistrict = sync.OnceValues(func() (*geo.Atlas, error) {
	d, err := data.Generate(data.GenerateOptions{Seed: 3, Scale: 0.1})
	if err != nil {
		return nil, err
	}
	return geo.NewAtlas(d, geo.Options{})
})

func mustSmallDistrict(t testing.TB) *geo.Atlas {
	t.Helper()
	a, err := smallDistrict()
	require.NoError(t, err)
	require.Positive(t, a.Roads.Len())
	return a
}

// bruteNetworkNearest is the reference: every responder passing the
// filters, its trip timed by plain Dijkstra, sorted by time and id.
func bruteNetworkNearest(a *geo.Atlas, q coverage.NearestQuery) ([]string, []float64) {
	n := a.Network()
	target, ok := n.Snap(q.Point)
	if !ok {
		return nil, nil
	}
	type cand struct {
		s  float64
		id string
	}
	var cs []cand
	for _, r := range a.Responders.Items() {
		if len(q.Roles) > 0 && !slices.Contains(q.Roles, r.Role) {
			continue
		}
		fresh := q.MaxAge == 0 || q.Now.Sub(r.Updated) <= q.MaxAge
		if q.Available && !(r.Available && fresh) {
			continue
		}
		from, ok := n.Snap(r.Point)
		if !ok {
			continue
		}
		if rt, ok := n.RouteDijkstra(from, target, q.ETA[r.Role].Profile()); ok {
			cs = append(cs, cand{rt.Seconds, r.ID})
		}
	}
	slices.SortFunc(cs, func(a, b cand) int {
		if c := cmp.Compare(a.s, b.s); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	var ids []string
	var secs []float64
	for i := 0; i < len(cs) && i < q.K; i++ {
		ids, secs = append(ids, cs[i].id), append(secs, cs[i].s)
	}
	return ids, secs
}

func TestNearest_NetworkMatchesBruteForce(t *testing.T) {
	t.Parallel()
	a := mustSmallDistrict(t)
	rng := rand.New(rand.NewPCG(4, 4))
	b := a.Grids.Bound()
	now := coverage.ReferenceTime(a, a.Meta.AsOf)
	eta := coverage.DefaultETA()
	roleSets := [][]geo.Role{nil, {geo.RolePolice}, {geo.RoleVolunteer, geo.RoleGridWorker}}
	checked := 0
	for i := 0; i < 36; i++ {
		q := coverage.NearestQuery{
			Point: orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])},
			K:     1 + rng.IntN(6), Roles: roleSets[i%len(roleSets)], Available: i%2 == 0,
			MaxAge: coverage.DefaultMaxAge, Now: now, ETA: eta, Network: a.Network(), Routes: i%5 == 0,
		}
		hits, err := coverage.Nearest(a.Responders, q)
		require.NoError(t, err)
		ids, secs := bruteNetworkNearest(a, q)
		if ids == nil {
			continue // the point reaches no road: the straight line answers
		}
		checked++
		require.Equal(t, ids, hitIDs(hits), "query %d", i)
		for j, h := range hits {
			require.Equal(t, coverage.ModelNetwork, h.Model)
			require.InDelta(t, secs[j], h.ETAS, 1e-6*secs[j])
			top := a.Network().TopMPS(eta[h.Responder.Role].Profile())
			require.GreaterOrEqual(t, h.ETAS, geo.Distance(q.Point, h.Responder.Point)/top*(1-1e-12),
				"never faster than the straight line at the top speed")
			if q.Routes {
				require.NotNil(t, h.Route)
				require.InDelta(t, h.ETAS, h.Route.Seconds, 1e-6*h.ETAS)
				require.Equal(t, h.Responder.Point, h.Route.Line[0])
				require.Equal(t, q.Point, h.Route.Line[len(h.Route.Line)-1])
			} else {
				require.Nil(t, h.Route)
			}
		}
	}
	require.Greater(t, checked, 24)
}

func TestNearest_NetworkFallsBackOffTheRoads(t *testing.T) {
	t.Parallel()
	a := mustSmallDistrict(t)
	b := a.Grids.Bound()
	far := orb.Point{b.Max[0] + 1, b.Max[1] + 1} // 100 km from every road
	hits, err := coverage.Nearest(a.Responders, coverage.NearestQuery{Point: far, K: 3, Network: a.Network(), ETA: coverage.DefaultETA()})
	require.NoError(t, err)
	require.Len(t, hits, 3)
	for _, h := range hits {
		require.Equal(t, coverage.ModelStraight, h.Model)
		require.InDelta(t, coverage.DefaultETA().Seconds(h.Responder.Role, h.DistanceM), h.ETAS, 1e-9)
	}
	require.Equal(t, coverage.ModelNetwork, coverage.DefaultModel(a))
	require.Equal(t, coverage.ModelStraight, coverage.DefaultModel(randomResponders(t, 3, 1)))
	require.False(t, math.IsNaN(hits[0].ETAS))
}
