package coverage_test

import (
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"gridwatch/data"
	"gridwatch/geo"
	"gridwatch/geo/route"
)

// The road-network benchmarks run on the generated district (seed 1) at
// scale 1 (the embedded dataset) and 20. Each reports:
//   - Route: one route between two random settlements by the contraction
//     hierarchy, with x_vs_dijkstra, its speed-up over plain Dijkstra (on
//     the same graph, stopping at the destination) timed in the same run;
//   - Seconds: the same, the travel time only (no route to assemble);
//   - HierarchyBuild: building the car profile's hierarchy from scratch.
func BenchmarkRoute_Scale1(b *testing.B) { benchRoute(b, 1) }

// BenchmarkRoute_Scale20 is BenchmarkRoute_Scale1 at scale 20.
func BenchmarkRoute_Scale20(b *testing.B) {
	if testing.Short() {
		b.Skip("scale 20 takes about 15 s to generate")
	}
	benchRoute(b, 20)
}

// routeAtlas generates the district at a scale and indexes it.
func routeAtlas(b *testing.B, scale float64) *geo.Atlas {
	b.Helper()
	d, err := data.Generate(data.GenerateOptions{Seed: data.DefaultSeed, Scale: scale})
	if err != nil {
		b.Fatal(err)
	}
	a, err := geo.NewAtlas(d, geo.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return a
}

// settlementPlaces snaps every settlement's centroid to the network.
func settlementPlaces(a *geo.Atlas) []route.Place {
	n := a.Network()
	var out []route.Place
	for _, s := range a.Settlements.Items() {
		c, _ := planar.CentroidArea(s.Polygon)
		if p, ok := n.Snap(c); ok {
			out = append(out, p)
		}
	}
	return out
}

func benchRoute(b *testing.B, scale float64) {
	a := routeAtlas(b, scale)
	n := a.Network()
	car := route.Profile{AccessKMH: 15}
	places := settlementPlaces(a)
	b.Logf("scale %g: %d nodes, %d segments, %d settlements snapped", scale, n.Nodes(), n.Segments(), len(places))
	n.Route(places[0], places[1], car) // build the hierarchy outside the timing
	b.Run("Route", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			n.Route(places[(7*i)%len(places)], places[(13*i+5)%len(places)], car)
			i++
		}
		perOp := b.Elapsed().Seconds() / float64(i)
		const m = 200
		start := time.Now()
		for j := range m {
			n.RouteDijkstra(places[(7*j)%len(places)], places[(13*j+5)%len(places)], car)
		}
		b.ReportMetric(time.Since(start).Seconds()/m/perOp, "x_vs_dijkstra")
		b.ReportMetric(float64(n.Shortcuts(car)), "shortcuts")
	})
	b.Run("Seconds", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			n.Seconds(places[(7*i)%len(places)], places[(13*i+5)%len(places)], car)
			i++
		}
		perOp := b.Elapsed().Seconds() / float64(i)
		const m = 200
		start := time.Now()
		for j := range m {
			n.RouteDijkstra(places[(7*j)%len(places)], places[(13*j+5)%len(places)], car)
		}
		b.ReportMetric(time.Since(start).Seconds()/m/perOp, "x_vs_dijkstra")
	})
	b.Run("HierarchyBuild", func(b *testing.B) {
		for b.Loop() {
			fresh := buildFresh(a)
			fresh.Shortcuts(car)
		}
	})
}

// buildFresh builds the atlas's road network again, without hierarchies.
func buildFresh(a *geo.Atlas) *route.Network {
	rs := make([]route.Road, 0, a.Roads.Len())
	for _, r := range a.Roads.Items() {
		rs = append(rs, route.Road{Line: r.Line, SpeedKMH: r.Speed(), Oneway: r.Oneway, Bridge: r.Bridge})
	}
	var bars []orb.LineString
	for _, w := range a.Waterways.Items() {
		bars = append(bars, w.Line)
	}
	return route.New(rs, bars, route.Options{})
}
