package geo_test

import (
	"testing"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// benchFixture is a jittered 25×20 mesh of 500 grids and 1,024 query points
// in and around it.
func benchFixture(b *testing.B) (*geo.Atlas, []orb.Polygon, []orb.Point) {
	b.Helper()
	d := meshDataset(b, 25, 20, 42)
	a := mustAtlas(b, d)
	polys := make([]orb.Polygon, len(d.Grids))
	for i, g := range d.Grids {
		polys[i] = g.Polygon
	}
	return a, polys, randomPoints(1024, a.Grids.Bound(), 43)
}

func BenchmarkGridAt(b *testing.B) {
	a, _, pts := benchFixture(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		a.GridAt(pts[i%len(pts)])
		i++
	}
}

func BenchmarkGridAtBruteForce(b *testing.B) {
	_, polys, pts := benchFixture(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		bruteFirst(polys, pts[i%len(pts)])
		i++
	}
}

func BenchmarkNewAtlas(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		d := meshDataset(b, 25, 20, 42)
		b.StartTimer()
		if _, err := geo.NewAtlas(d, geo.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDissolve(b *testing.B) {
	polys := mesh(25, 20, 42)
	b.ReportAllocs()
	for b.Loop() {
		geo.Dissolve(polys)
	}
}

func BenchmarkCheckPolygon(b *testing.B) {
	mp := geo.Dissolve(mesh(25, 20, 42))
	b.ReportAllocs()
	for b.Loop() {
		if msg := geo.CheckPolygon(mp[0]); msg != "" {
			b.Fatal(msg)
		}
	}
}
