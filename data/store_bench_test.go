package data

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// BenchmarkStore_Commit measures one position update stored on its own
// (one transaction and fsync each, the baseline) against updates stored in
// groups of 100 (one fsync per group); ns/op is per update in both.
func BenchmarkStore_Commit(b *testing.B) {
	for _, group := range []int{1, 100} {
		b.Run(map[int]string{1: "alone", 100: "grouped_by_100"}[group], func(b *testing.B) {
			s, _ := openTiny(b)
			ctx := context.Background()
			d, err := s.Load(ctx)
			if err != nil {
				b.Fatal(err)
			}
			r := *d.Responders[0]
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i += group {
				changes := make([]Change, 0, group)
				for k := 0; k < group && i+k < b.N; k++ {
					cp := r
					cp.Point = orb.Point{r.Point[0] + float64(i+k)*1e-9, r.Point[1]}
					changes = append(changes, Change{Layer: geo.LayerResponders, Items: []geo.Feature{&cp}})
				}
				if err := s.Commit(ctx, changes); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStore_CommitGroup measures what the write pipeline commits for
// a group of position reports: one change holding the group's responders
// (ns/op is per report).
func BenchmarkStore_CommitGroup(b *testing.B) {
	for _, group := range []int{10, 60} {
		b.Run(map[int]string{10: "10_reports", 60: "60_reports"}[group], func(b *testing.B) {
			s, _ := openTiny(b)
			ctx := context.Background()
			d, err := s.Load(ctx)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			defer func() { b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op") }()
			for i := 0; i < b.N; i += group {
				items := make([]geo.Feature, 0, group)
				for k := 0; k < group && i+k < b.N; k++ {
					cp := *d.Responders[(i+k)%len(d.Responders)]
					cp.Point = orb.Point{cp.Point[0] + float64(i+k)*1e-9, cp.Point[1]}
					items = append(items, &cp)
				}
				if err := s.Commit(ctx, []Change{{Layer: geo.LayerResponders, Items: items}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// cpuTime returns the CPU time (user and system) the process has used:
// on a shared machine it says more than the wall time, which an fsync or
// other processes stretch.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
