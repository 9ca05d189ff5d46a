package data

import (
	"context"
	"testing"

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
