package route

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

// The hand-made fixture, near the equator where 0.001° of a meridian is
// EarthRadius·π/180·0.001 ≈ 111.195 m:
//
//	(0,0.02) N bridge (0.01,0.02)
//	   |          :          |
//	 W road     canal      E road        O: one-way, west from (0,0.01)
//	   |          :          |           to (-0.01,0.01), 72 km/h
//	 (0,0) --S (cut)--   (0.01,0)
//
// W, E and N are 36 km/h (10 m/s); the canal runs north-south at
// lon 0.005; S crosses it without a bridge, so it is cut. A short road
// W2 lies just west of the canal at lon 0.0045, joined to nothing.
func fixtureNetwork() *Network {
	roads := []Road{
		{Line: orb.LineString{{0, 0}, {0, 0.01}, {0, 0.02}}, SpeedKMH: 36},
		{Line: orb.LineString{{0.01, 0}, {0.01, 0.02}}, SpeedKMH: 36},
		{Line: orb.LineString{{0, 0.02}, {0.01, 0.02}}, SpeedKMH: 36, Bridge: true},
		{Line: orb.LineString{{0, 0}, {0.01, 0}}, SpeedKMH: 36},
		{Line: orb.LineString{{0, 0.01}, {-0.01, 0.01}}, SpeedKMH: 72, Oneway: true},
		{Line: orb.LineString{{0.0045, 0.004}, {0.0045, 0.006}}, SpeedKMH: 36},
	}
	canal := []orb.LineString{{{0.005, -1}, {0.005, 1}}}
	return New(roads, canal, Options{})
}

// meridianM is the length of dLat degrees of a meridian; parallelM of
// dLon degrees along the parallel at lat (to 1e-12 at these sizes).
func meridianM(dLat float64) float64 { return EarthRadius * dLat * math.Pi / 180 }
func parallelM(dLon, lat float64) float64 {
	return EarthRadius * dLon * math.Pi / 180 * math.Cos(lat*math.Pi/180)
}

func TestFixture_KnownRoutes(t *testing.T) {
	t.Parallel()
	n := fixtureNetwork()
	require.Equal(t, 1, n.Cut(), "S is cut at the canal")
	car := Profile{AccessKMH: 3.6} // off-road at 1 m/s
	tests := []struct {
		name     string
		from, to orb.Point
		want     float64 // seconds; +Inf for no route
	}{
		{"across the canal by the bridge", orb.Point{0, 0}, orb.Point{0.01, 0},
			(2*meridianM(0.02) + parallelM(0.01, 0.02)) / 10},
		{"off-road access legs at 1 m/s", orb.Point{0.002, 0.005}, orb.Point{0.008, 0.005},
			2*parallelM(0.002, 0.005)/1 + (2*meridianM(0.015)+parallelM(0.01, 0.02))/10},
		{"along one road", orb.Point{0, 0.003}, orb.Point{0, 0.017}, meridianM(0.014) / 10},
		{"one-way the right way", orb.Point{0, 0.01}, orb.Point{-0.01, 0.01}, parallelM(0.01, 0.01) / 20},
		{"one-way the wrong way", orb.Point{-0.01, 0.01}, orb.Point{0, 0.01}, math.Inf(1)},
		{"partway along the one-way, the wrong way", orb.Point{-0.006, 0.01}, orb.Point{-0.002, 0.01}, math.Inf(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			from, ok := n.Snap(tt.from)
			require.True(t, ok)
			to, ok := n.Snap(tt.to)
			require.True(t, ok)
			ch, okCH := n.Route(from, to, car)
			dj, okDJ := n.RouteDijkstra(from, to, car)
			tree := n.From([]Place{from}, car, 0).Seconds(to)
			if math.IsInf(tt.want, 1) {
				require.False(t, okCH)
				require.False(t, okDJ)
				require.True(t, math.IsInf(tree, 1))
				return
			}
			require.True(t, okCH)
			require.True(t, okDJ)
			require.InDelta(t, tt.want, ch.Seconds, 1e-9*tt.want)
			require.InDelta(t, tt.want, dj.Seconds, 1e-9*tt.want)
			require.InDelta(t, tt.want, tree, 1e-9*tt.want)
			require.GreaterOrEqual(t, ch.Seconds, Distance(tt.from, tt.to)/n.TopMPS(car))
		})
	}
}

func TestFixture_SnapNeverAcrossTheCanal(t *testing.T) {
	t.Parallel()
	n := fixtureNetwork()
	// W2 is 122 m away across the canal, E 489 m away on this side.
	p, ok := n.Snap(orb.Point{0.0056, 0.005})
	require.True(t, ok)
	require.Equal(t, orb.Point{0.01, 0.005}, p.On)
	require.InDelta(t, parallelM(0.0044, 0.005), p.AccessM, 1e-6)
	// West of the canal W2 is nearest.
	p, ok = n.Snap(orb.Point{0.0044, 0.005})
	require.True(t, ok)
	require.InDelta(t, 0.0045, p.On[0], 1e-12)
	// Beyond the access distance nothing is reached.
	_, ok = n.Snap(orb.Point{0.5, 0.5})
	require.False(t, ok)
}

func TestFixture_ProfileCapsSpeed(t *testing.T) {
	t.Parallel()
	n := fixtureNetwork()
	from, _ := n.Snap(orb.Point{0, 0.01})
	to, _ := n.Snap(orb.Point{-0.01, 0.01})
	walk := Profile{MaxKMH: 3.6, AccessKMH: 5} // 1 m/s everywhere, access capped too
	r, ok := n.Route(from, to, walk)
	require.True(t, ok)
	require.InDelta(t, parallelM(0.01, 0.01), r.Seconds, 1e-6)
	require.InDelta(t, 1.0, n.TopMPS(walk), 1e-12)
	require.Error(t, Profile{AccessKMH: 0}.Validate())
	require.Error(t, Profile{MaxKMH: -1, AccessKMH: 3}.Validate())
	require.NoError(t, walk.Validate())
}
