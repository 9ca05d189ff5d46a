package coverage

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"gridwatch/geo"
)

// The placement benchmarks (make bench), on the default dataset with sites
// generated from the gaps, for fixed cameras (fov 90°, range 80 m, bearings
// every 45°):
//
//	BenchmarkPlacement/budget=N         a whole placement of N cameras
//	                                    (candidates built, lazy greedy)
//	BenchmarkPlacementGreedy/budget=N   the greedy alone, lazy; the plain
//	                                    greedy runs once in the same run on
//	                                    the same candidates: its time
//	                                    (plain-ns), the ratio plain/lazy,
//	                                    and a check that the plans are equal

// benchPlacement builds the default dataset's coverage and window.
func benchPlacement(b *testing.B) (*Video, Window) {
	a := defaultAtlas(b)
	v, err := NewVideo(a, VideoOptions{})
	if err != nil {
		b.Fatal(err)
	}
	w, err := NewWindow(a, time.Time{}, DefaultWindowDays, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	return v, w
}

// benchPlacementOptions are the options of the placement benchmarks.
func benchPlacementOptions(budget int, w Window) PlacementOptions {
	return PlacementOptions{Budget: budget, Window: w,
		Camera:  CameraModel{Type: geo.TypeFixed, FOVDeg: 90, RangeM: 80},
		Weights: PlacementWeights{Population: 1, Incidents: 1, Places: 1}}
}

var benchBudgets = []int{10, 50, 200}

func BenchmarkPlacement(b *testing.B) {
	v, w := benchPlacement(b)
	for _, budget := range benchBudgets {
		b.Run(fmt.Sprintf("budget=%d", budget), func(b *testing.B) {
			b.ReportAllocs()
			var p *Placement
			var err error
			for b.Loop() {
				if p, err = v.Place(benchPlacementOptions(budget, w)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(p.Candidates), "candidates")
			b.ReportMetric(p.GainPopulation, "people-gained")
		})
	}
}

func BenchmarkPlacementGreedy(b *testing.B) {
	v, w := benchPlacement(b)
	inst, err := v.newPlacementInstance(benchPlacementOptions(1, w), newStopper(context.Background()))
	if err != nil {
		b.Fatal(err)
	}
	for _, budget := range benchBudgets {
		b.Run(fmt.Sprintf("budget=%d", budget), func(b *testing.B) {
			b.ReportAllocs()
			var lazy []choice
			start := time.Now()
			for b.Loop() {
				lazy = inst.u.prob.lazyGreedy(budget, false)
			}
			lazyNs := float64(time.Since(start).Nanoseconds()) / float64(b.N)
			start = time.Now()
			plain := inst.u.prob.plainGreedy(budget, false)
			plainNs := float64(time.Since(start).Nanoseconds())
			if !reflect.DeepEqual(plain, lazy) {
				b.Fatal("the lazy and plain greedy plans differ")
			}
			b.ReportMetric(plainNs, "plain-ns")
			b.ReportMetric(plainNs/lazyNs, "plain/lazy")
		})
	}
}
