package coverage

import (
	"testing"
	"time"

	"gridwatch/data"
	"gridwatch/geo"
)

// The video-coverage benchmarks, side by side in one run (make bench):
//
//	BenchmarkVideo_Full            full recomputation, default dataset
//	BenchmarkVideo_FullScale20     full recomputation, generated scale 20
//	                               (skipped with -short: generating it
//	                               takes a while)
//	BenchmarkVideo_OneCamera       one camera moved: incremental update;
//	                               reports full/op, the full recomputation
//	                               measured in the same run, and the ratio
//	BenchmarkVideo_Gaps            gap extraction (every grid, installed)

// benchAtlas loads a benchmark dataset (once per benchmark: b.Loop runs
// the setup once).
func benchAtlas(b *testing.B, load func() (*geo.Dataset, error)) *geo.Atlas {
	b.Helper()
	ds, err := load()
	if err != nil {
		b.Fatal(err)
	}
	a, err := geo.NewAtlas(ds, geo.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return a
}

func defaultAtlas(b *testing.B) *geo.Atlas { return benchAtlas(b, data.Default) }

func BenchmarkVideo_Full(b *testing.B) {
	a := defaultAtlas(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := NewVideo(a, VideoOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(a.Cameras.Len()), "cameras")
}

func BenchmarkVideo_FullScale20(b *testing.B) {
	if testing.Short() {
		b.Skip("generating the scale-20 district takes a while")
	}
	a := benchAtlas(b, func() (*geo.Dataset, error) {
		return data.Generate(data.GenerateOptions{Seed: data.DefaultSeed, Scale: 20})
	})
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := NewVideo(a, VideoOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(a.Cameras.Len()), "cameras")
}

// BenchmarkVideo_OneCamera moves one camera 50 m back and forth and derives
// each coverage from the last with WithCameras; the full recomputation it
// replaces is timed in the same run.
func BenchmarkVideo_OneCamera(b *testing.B) {
	a := defaultAtlas(b)
	v, err := NewVideo(a, VideoOptions{})
	if err != nil {
		b.Fatal(err)
	}
	// A typical camera: the median range of the district's.
	c := a.Cameras.At(a.Cameras.Len() / 2)
	moved := *c
	moved.Point = geo.Destination(c.Point, 90, 50)
	there, err := a.Apply(geo.LayerCameras, []geo.Feature{&moved}, nil)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	const fulls = 3
	for range fulls {
		if _, err := NewVideo(there, VideoOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	full := float64(time.Since(start).Nanoseconds()) / fulls
	atlases := [2]*geo.Atlas{there, a}
	ids := []string{c.ID}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if v, err = v.WithCameras(atlases[i%2], ids); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.StopTimer()
	per := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(full, "full-ns/op")
	b.ReportMetric(full/per, "x-faster")
}

// BenchmarkVideo_Gaps extracts every grid's gaps (installed) from a
// coverage whose gaps have not been asked for yet.
func BenchmarkVideo_Gaps(b *testing.B) {
	a := defaultAtlas(b)
	v, err := NewVideo(a, VideoOptions{})
	if err != nil {
		b.Fatal(err)
	}
	w, err := NewWindow(a, time.Time{}, DefaultWindowDays, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	var gaps int
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		fresh := *v
		fresh.grids = make([]*videoGrid, len(v.grids))
		for g, r := range v.grids {
			fresh.grids[g] = &videoGrid{covered: r.covered, settleCovered: r.settleCovered, popCovered: r.popCovered}
		}
		b.StartTimer()
		_, gaps = fresh.Gaps(VideoGapQuery{Variant: Installed, Window: w})
	}
	b.ReportMetric(float64(gaps), "gaps")
}
