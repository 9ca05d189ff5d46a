package coverage_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"gridwatch/coverage"
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
//   - NearestNetwork: k = 5 nearest available responders by network
//     arrival, with lookups/s and x_time_of_straight, its time over the
//     straight-line lookup's timed in the same run;
//   - Isochrone15: the 15-minute police isochrone from a station;
//   - ResponseGapsNetwork: the response analysis on the network, with the
//     share of the population beyond 15 minutes from the nearest
//     available police officer by network and by straight line;
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
	now := coverage.ReferenceTime(a, time.Now())
	q := coverage.NearestQuery{K: 5, Available: true, MaxAge: coverage.DefaultMaxAge, Now: now, ETA: coverage.DefaultETA()}
	pts := benchPoints(a.Grids.Bound(), 4096)
	b.Run("NearestNetwork", func(b *testing.B) {
		b.ReportAllocs()
		nq := q
		nq.Network = n
		coverage.Nearest(a.Responders, nq) // the role profiles' hierarchies, outside the timing
		for _, r := range geo.Roles {
			n.Shortcuts(q.ETA[r].Profile())
		}
		i := 0
		for b.Loop() {
			nq.Point = pts[i%len(pts)]
			i++
			if _, err := coverage.Nearest(a.Responders, nq); err != nil {
				b.Fatal(err)
			}
		}
		perOp := b.Elapsed().Seconds() / float64(i)
		const m = 2000
		start := time.Now()
		for j := range m {
			q.Point = pts[j%len(pts)]
			if _, err := coverage.Nearest(a.Responders, q); err != nil {
				b.Fatal(err)
			}
		}
		straight := time.Since(start).Seconds() / m
		b.ReportMetric(1/perOp, "lookups/s")
		b.ReportMetric(perOp/straight, "x_time_of_straight")
	})
	b.Run("Isochrone15", func(b *testing.B) {
		b.ReportAllocs()
		st := a.Stations.At(0).Point
		opt := coverage.IsochroneOptions{Minutes: []float64{15}}
		var isos []coverage.Isochrone
		var err error
		cpu0 := cpuSeconds()
		i := 0
		for b.Loop() {
			if isos, err = coverage.Isochrones(context.Background(), a, st, opt); err != nil {
				b.Fatal(err)
			}
			i++
		}
		// The machine may be shared: CPU time per isochrone, besides the
		// wall time of ns/op (the first call also snaps every cell).
		b.ReportMetric((cpuSeconds()-cpu0)/float64(i)*1000, "cpu-ms/op")
		b.ReportMetric(float64(len(isos[0].Cells)), "cells")
		b.ReportMetric(isos[0].Population, "people")
	})
	b.Run("ResponseGapsNetwork", func(b *testing.B) {
		b.ReportAllocs()
		opt := coverage.ResponseOptions{Now: now, MaxAge: coverage.DefaultMaxAge, Network: n}
		var r *coverage.ResponseCoverage
		var err error
		for b.Loop() {
			if r, err = coverage.Response(a, opt); err != nil {
				b.Fatal(err)
			}
		}
		opt.Network = nil
		straight, err := coverage.Response(a, opt)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(r.ShareBeyond(), "pop_beyond_share")
		b.ReportMetric(straight.ShareBeyond(), "straight_pop_beyond_share")
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

// cpuSeconds returns the process's user and system CPU time, seconds.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}
