package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"gridwatch/data"
	"gridwatch/geo"
)

// bench measures the default dataset's hot paths and prints each against a
// baseline measured in the same run, since these machines are shared and noisy.
func bench(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dataset", "", "dataset folder (default: the embedded default dataset)")
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	var a *geo.Atlas
	load := testing.Benchmark(func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			var err error
			if a, err = loadAtlas(*dir, io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
	if a == nil {
		return fmt.Errorf("bench: could not load the dataset")
	}
	c := a.Dataset().Counts()
	fmt.Fprintf(stdout, "dataset %q: %d grids, %d cameras, %d incidents, %d responders\n",
		a.Meta.Name, c["grids"], c["cameras"], c["incidents"], c["responders"])
	fmt.Fprintf(stdout, "load + validate + index:     %8.1f ms\n", float64(load.NsPerOp())/1e6)

	pts := randomPoints(a.Grids.Bound(), 4096)
	shapes := make([]geo.PreparedPolygon, a.Grids.Len())
	for i, g := range a.Grids.Items() {
		shapes[i] = geo.Prepare(g.Polygon)
	}
	indexed := testing.Benchmark(func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			a.GridAt(pts[i%len(pts)])
		}
	})
	brute := testing.Benchmark(func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			pt := pts[i%len(pts)]
			for _, s := range shapes {
				if s.Contains(pt) {
					break
				}
			}
		}
	})
	fmt.Fprintf(stdout, "point → grid, R-tree:        %8.0f lookups/s\n", perSecond(indexed))
	fmt.Fprintf(stdout, "point → grid, brute force:   %8.0f lookups/s  (R-tree %.0f× faster)\n",
		perSecond(brute), float64(brute.NsPerOp())/float64(indexed.NsPerOp()))

	for _, layer := range []string{geo.LayerIncidents, geo.LayerGrids} {
		items := a.Dataset().Layer(layer)
		if len(items) > 1000 {
			items = items[:1000]
		}
		var size int
		enc := testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				fc := geojson.NewFeatureCollection()
				for _, it := range items {
					fc.Append(data.ToFeature(it))
				}
				raw, err := json.Marshal(fc)
				if err != nil {
					b.Fatal(err)
				}
				size = len(raw)
			}
		})
		fmt.Fprintf(stdout, "items page of %d %-11s %8.1f ms  (%d kB)\n", len(items), layer+":",
			float64(enc.NsPerOp())/1e6, size/1000)
	}
	return nil
}

func perSecond(r testing.BenchmarkResult) float64 {
	return float64(time.Second) / float64(r.NsPerOp())
}

// randomPoints returns n points spread uniformly over b (fixed seed).
func randomPoints(b orb.Bound, n int) []orb.Point {
	rng := rand.New(rand.NewPCG(1, 2))
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
	}
	return pts
}
