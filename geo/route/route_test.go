package route

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

// randomNetwork is a jittered lattice of size×size nodes about 300 m
// apart with roads along rows and columns (some missing, some one-way,
// speeds of every class), a few diagonals, and a north-south canal down
// the middle that only some of the roads crossing it bridge.
func randomNetwork(rng *rand.Rand, size int) ([]Road, []orb.LineString) {
	const step = 0.003
	lon0, lat0 := 106.0, 37.4
	pt := func(i, j int) orb.Point {
		return orb.Point{lon0 + float64(i)*step + (rng.Float64()-0.5)*step*0.4,
			lat0 + float64(j)*step + (rng.Float64()-0.5)*step*0.4}
	}
	grid := make([][]orb.Point, size)
	for i := range grid {
		grid[i] = make([]orb.Point, size)
		for j := range grid[i] {
			grid[i][j] = pt(i, j)
		}
	}
	speeds := []float64{80, 60, 40, 30, 20, 10}
	var roads []Road
	add := func(line orb.LineString) {
		r := Road{Line: line, SpeedKMH: speeds[rng.IntN(len(speeds))], Oneway: rng.Float64() < 0.15, Bridge: rng.Float64() < 0.3}
		roads = append(roads, r)
	}
	for i := 0; i < size; i++ {
		for j := 0; j < size; j++ {
			if i+1 < size && rng.Float64() < 0.85 {
				add(orb.LineString{grid[i][j], grid[i+1][j]})
			}
			if j+1 < size && rng.Float64() < 0.85 {
				// Sometimes a road of several segments.
				if j+2 < size && rng.Float64() < 0.3 {
					add(orb.LineString{grid[i][j], grid[i][j+1], grid[i][j+2]})
				} else {
					add(orb.LineString{grid[i][j], grid[i][j+1]})
				}
			}
			if i+1 < size && j+1 < size && rng.Float64() < 0.1 {
				add(orb.LineString{grid[i][j], grid[i+1][j+1]})
			}
		}
	}
	mid := lon0 + (float64(size)/2-0.5)*step + 0.0001
	canal := orb.LineString{{mid, lat0 - step}, {mid + step*0.2, lat0 + float64(size)*step/2}, {mid, lat0 + float64(size)*step}}
	return roads, []orb.LineString{canal}
}

func randomPoint(rng *rand.Rand, size int) orb.Point {
	const step = 0.003
	return orb.Point{106.0 - step + rng.Float64()*float64(size+1)*step, 37.4 - step + rng.Float64()*float64(size+1)*step}
}

var profiles = []Profile{
	{AccessKMH: 15},              // a car: road speeds
	{MaxKMH: 40, AccessKMH: 15},  // capped below the fastest roads
	{MaxKMH: 4.68, AccessKMH: 5}, // on foot
}

func TestRoute_EqualsBruteForceOnRandomNetworks(t *testing.T) {
	t.Parallel()
	routed := 0
	for seed := uint64(1); seed <= 6; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		size := 6 + rng.IntN(8)
		roads, bars := randomNetwork(rng, size)
		n := New(roads, bars, Options{MaxAccessM: 800})
		bn := newBrute(roads, bars, 800)
		require.Equal(t, len(bn.pts), n.Nodes())
		require.Equal(t, len(bn.segs), n.Segments())
		require.Positive(t, n.Cut(), "the canal cuts some roads")
		for _, p := range profiles {
			top := n.TopMPS(p)
			for q := 0; q < 40; q++ {
				x, y := randomPoint(rng, size), randomPoint(rng, size)
				want := bn.seconds(x, y, p)
				px, okx := n.Snap(x)
				py, oky := n.Snap(y)
				if math.IsInf(want, 1) {
					if okx && oky {
						_, ok := n.Route(px, py, p)
						require.False(t, ok, "seed %d: no route by brute force", seed)
					}
					continue
				}
				require.True(t, okx && oky)
				routed++
				ch, ok := n.Route(px, py, p)
				require.True(t, ok, "seed %d %v → %v", seed, x, y)
				dj, ok := n.RouteDijkstra(px, py, p)
				require.True(t, ok)
				tree := n.From([]Place{px}, p, 0).Seconds(py)
				rev := n.To([]Place{py}, p, 0).Seconds(px)
				require.InDelta(t, want, ch.Seconds, 1e-6*want, "seed %d hierarchy", seed)
				require.InDelta(t, want, dj.Seconds, 1e-6*want, "seed %d dijkstra", seed)
				require.InDelta(t, want, tree, 1e-6*want, "seed %d forward tree", seed)
				require.InDelta(t, want, rev, 1e-6*want, "seed %d reverse tree", seed)
				// Never faster than the straight line at the top speed.
				require.GreaterOrEqual(t, ch.Seconds, Distance(x, y)/top*(1-1e-12))
				// The line is the route: its length and its time agree.
				require.InDelta(t, ch.Metres, lineMetres(ch.Line), 1e-6*ch.Metres+1e-9)
				require.InDelta(t, dj.Metres, ch.Metres, 1e-6*ch.Metres+1e-6, "seed %d: the same route (no ties on random speeds)", seed)
				require.Equal(t, x, ch.Line[0])
				require.Equal(t, y, ch.Line[len(ch.Line)-1])
				require.InDelta(t, ch.Seconds, lineSeconds(n, p, ch, px, py), 1e-6*ch.Seconds)
			}
		}
	}
	require.Greater(t, routed, 300, "most random pairs have a route")
	t.Logf("%d routes checked", routed)
}

func lineMetres(l orb.LineString) float64 {
	m := 0.0
	for i := 1; i < len(l); i++ {
		m += Distance(l[i-1], l[i])
	}
	return m
}

// lineSeconds recomputes a route's time from its line: access legs at the
// access speed, the pieces from and to the snapped points at the speed of
// the segments they snapped to, and every piece between nodes at the
// speed of the fastest road segment joining them in that direction (found
// by brute force over the network's segments). A snapped point at a node starts or ends at
// that node.
func lineSeconds(n *Network, p Profile, r Route, from, to Place) float64 {
	l := r.Line
	acc := p.accessMPS()
	s := 0.0
	first, last := 0, len(l)-1
	if from.AccessM > 0 {
		s += Distance(l[0], l[1]) / acc
		first = 1
	}
	if to.AccessM > 0 {
		s += Distance(l[last-1], l[last]) / acc
		last--
	}
	for i := first + 1; i <= last; i++ {
		a, b := l[i-1], l[i]
		best := math.Inf(1)
		switch {
		case i == first+1 && from.fromA > 0 && from.toB > 0:
			best = Distance(a, b) / p.speedMPS(n.segs[from.seg].kmh)
		case i == last && to.fromA > 0 && to.toB > 0:
			best = Distance(a, b) / p.speedMPS(n.segs[to.seg].kmh)
		default:
			for _, sg := range n.segs {
				pa, pb := n.pts[sg.a], n.pts[sg.b]
				if pa == a && pb == b || !sg.oneway && pa == b && pb == a {
					best = math.Min(best, Distance(a, b)/p.speedMPS(sg.kmh))
				}
			}
		}
		s += best
	}
	return s
}

func TestSnap_EqualsBruteForce(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 5))
	roads, bars := randomNetwork(rng, 10)
	n := New(roads, bars, Options{MaxAccessM: 400})
	bn := newBrute(roads, bars, 400)
	for q := 0; q < 300; q++ {
		x := randomPoint(rng, 10)
		want := bn.snap(x)
		got, ok := n.Snap(x)
		require.Equal(t, want.ok, ok)
		if ok {
			require.InDelta(t, want.access, got.AccessM, 1e-9)
			require.False(t, bn.crosses(x, got.On) && got.AccessM > 0, "the access leg crosses no canal")
		}
	}
}
