package coverage_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// loadBench holds the benchmark datasets, built once per test binary.
var loadBench struct {
	defaultOnce, scale20Once sync.Once
	defaultAtlas, scale20    *geo.Atlas
	defaultErr, scale20Err   error
}

func loadBenchDefault(b *testing.B) *geo.Atlas {
	b.Helper()
	loadBench.defaultOnce.Do(func() {
		ds, err := data.Default()
		if err == nil {
			loadBench.defaultAtlas, err = geo.NewAtlas(ds, geo.Options{})
		}
		loadBench.defaultErr = err
	})
	if loadBench.defaultErr != nil {
		b.Fatal(loadBench.defaultErr)
	}
	return loadBench.defaultAtlas
}

func loadBenchScale20(b *testing.B) *geo.Atlas {
	b.Helper()
	loadBench.scale20Once.Do(func() {
		ds, err := data.Generate(data.GenerateOptions{Seed: data.DefaultSeed, Scale: 20})
		if err == nil {
			loadBench.scale20, err = geo.NewAtlas(ds, geo.Options{})
		}
		loadBench.scale20Err = err
	})
	if loadBench.scale20Err != nil {
		b.Fatal(loadBench.scale20Err)
	}
	return loadBench.scale20
}

// loadTime returns the mean time of fn over at least 3 runs and 200 ms. It
// times by hand: testing.Benchmark may not run inside a benchmark.
func loadTime(fn func()) time.Duration {
	start := time.Now()
	n := 0
	for n < 3 || time.Since(start) < 200*time.Millisecond {
		fn()
		n++
	}
	return time.Since(start) / time.Duration(n)
}

// loadBaseline measures the least any load computation does: one pass
// over the incidents, each looked up in the grid index.
func loadBaseline(a *geo.Atlas) time.Duration {
	return loadTime(func() {
		counts := make([]int, a.Grids.Len())
		for _, inc := range a.Incidents.Items() {
			if g := a.Grids.Index(inc.Grid); g >= 0 {
				counts[g]++
			}
		}
	})
}

// BenchmarkLoad measures the police load of every grid, reported also as a
// multiple of the baseline pass over the incidents (x_incident_pass).
func BenchmarkLoad(b *testing.B) {
	for _, tc := range []struct {
		name  string
		atlas func(*testing.B) *geo.Atlas
	}{{"default", loadBenchDefault}, {"scale20", loadBenchScale20}} {
		b.Run(tc.name, func(b *testing.B) {
			a := tc.atlas(b)
			base := loadBaseline(a)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := coverage.Load(a, coverage.LoadOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(a.Grids.Len()), "grids")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(base.Nanoseconds()), "x_incident_pass")
		})
	}
}

// BenchmarkCongruence measures beat–grid congruence of the default dataset
// at the adaptive resolution, with the misfit pieces.
func BenchmarkCongruence(b *testing.B) {
	a := loadBenchDefault(b)
	b.ReportAllocs()
	var c *coverage.CongruenceResult
	for range b.N {
		var err error
		c, err = coverage.Congruence(context.Background(), a, coverage.CongruenceOptions{Pieces: true, SplitTolerance: coverage.DefaultSplitTolerance})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(c.Score, "score")
	b.ReportMetric(float64(c.SplitGrids), "split_grids")
}

// BenchmarkReallocate measures the planner at district scale (the default
// dataset, 10 moves), reporting the highest load index before and after,
// its improvement in per cent and the time as a multiple of one load
// computation measured in the same run (x_load). Every grid of the default
// dataset has exactly one police officer, so with a minimum of one per grid
// only officers kept at the station can move (from_station); the default
// constraints are measured too.
func BenchmarkReallocate(b *testing.B) {
	a := loadBenchDefault(b)
	l, err := coverage.Load(a, coverage.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	one := loadTime(func() { _, _ = coverage.Load(a, coverage.LoadOptions{}) })
	for _, tc := range []struct {
		name   string
		change func(*coverage.ReallocConstraints)
	}{
		{"defaults", func(*coverage.ReallocConstraints) {}},
		{"from_station", func(c *coverage.ReallocConstraints) { c.FromStation = true }},
		{"from_station_20km", func(c *coverage.ReallocConstraints) { c.FromStation, c.MaxDistanceM = true, 20000 }},
		{"min0_swaps", func(c *coverage.ReallocConstraints) { c.MinPerGrid.Police = 0 }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			c := coverage.DefaultReallocConstraints()
			tc.change(&c)
			b.ReportAllocs()
			var p *coverage.ReallocPlan
			for range b.N {
				if p, err = coverage.Reallocate(context.Background(), a, l, c); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(len(p.Moves)), "moves")
			b.ReportMetric(p.Before.MaxLoadIndex, "max_before")
			b.ReportMetric(p.After.MaxLoadIndex, "max_after")
			b.ReportMetric(100*(1-p.After.MaxLoadIndex/p.Before.MaxLoadIndex), "improvement_%")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(one.Nanoseconds()), "x_load")
		})
	}
}
