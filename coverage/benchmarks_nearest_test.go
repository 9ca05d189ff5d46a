package coverage_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// The dispatch benchmarks run on the generated district (seed 1) at the
// default scale (the embedded dataset: 1,320 responders) and at scale 20
// (26,400 responders). Each reports:
//   - Nearest: k = 5 nearest available responders of a random point, with
//     lookups/s and x_vs_brute, the speed-up over a brute-force scan of
//     every responder timed in the same run;
//   - Batch1000: a batch of 1,000 points;
//   - ResponseGaps: the response-time analysis (settlements scope, 15
//     minutes), with pop_beyond_share, the share of the population beyond
//     15 minutes from the nearest available police officer.
func BenchmarkDispatch_Scale1(b *testing.B) { benchDispatch(b, 1) }

// BenchmarkDispatch_Scale20 is BenchmarkDispatch_Scale1 at scale 20.
func BenchmarkDispatch_Scale20(b *testing.B) {
	if testing.Short() {
		b.Skip("scale 20 takes about 15 s to generate")
	}
	benchDispatch(b, 20)
}

func benchDispatch(b *testing.B, scale float64) {
	d, err := data.Generate(data.GenerateOptions{Seed: data.DefaultSeed, Scale: scale})
	if err != nil {
		b.Fatal(err)
	}
	a, err := geo.NewAtlas(d, geo.Options{})
	if err != nil {
		b.Fatal(err)
	}
	now := coverage.ReferenceTime(a, time.Now())
	q := coverage.NearestQuery{K: 5, Available: true, MaxAge: coverage.DefaultMaxAge, Now: now, ETA: coverage.DefaultETA()}
	pts := benchPoints(a.Grids.Bound(), 4096)

	b.Run("Nearest", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			q.Point = pts[i%len(pts)]
			i++
			if _, err := coverage.Nearest(a.Responders, q); err != nil {
				b.Fatal(err)
			}
		}
		perOp := b.Elapsed().Seconds() / float64(i)
		b.ReportMetric(1/perOp, "lookups/s")
		b.ReportMetric(bruteSeconds(a, q, pts)/perOp, "x_vs_brute")
	})
	b.Run("Batch1000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := coverage.NearestBatch(a.Responders, pts[:coverage.MaxBatch], q); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ResponseGaps", func(b *testing.B) {
		b.ReportAllocs()
		var r *coverage.ResponseCoverage
		for b.Loop() {
			if r, err = coverage.Response(a, coverage.ResponseOptions{Now: now, MaxAge: coverage.DefaultMaxAge}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(r.ShareBeyond(), "pop_beyond_share")
		b.ReportMetric(float64(len(r.Gaps)), "gaps")
	})
}

// bruteSeconds returns the time of one brute-force lookup: every
// responder filtered and measured, the k best kept by insertion.
func bruteSeconds(a *geo.Atlas, q coverage.NearestQuery, pts []orb.Point) float64 {
	const n = 200
	rs := a.Responders.Items()
	start := time.Now()
	for i := range n {
		p := pts[i%len(pts)]
		best := make([]float64, 0, q.K+1)
		for _, r := range rs {
			if !r.Available || q.Now.Sub(r.Updated) > q.MaxAge {
				continue
			}
			d := geo.Distance(p, r.Point)
			j := len(best)
			for j > 0 && best[j-1] > d {
				j--
			}
			if j < q.K {
				best = append(best, 0)
				copy(best[j+1:], best[j:])
				best[j] = d
				best = best[:min(len(best), q.K)]
			}
		}
	}
	return time.Since(start).Seconds() / n
}

// benchPoints returns n random points in b, the same on every run.
func benchPoints(b orb.Bound, n int) []orb.Point {
	rng := rand.New(rand.NewPCG(11, 11))
	out := make([]orb.Point, n)
	for i := range out {
		out[i] = orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
	}
	return out
}
