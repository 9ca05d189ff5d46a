package data

import (
	"fmt"
	"testing"
)

func BenchmarkGenerate(b *testing.B) {
	for _, scale := range []float64{1, 20} {
		b.Run(fmt.Sprintf("scale=%g", scale), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Generate(GenerateOptions{Seed: DefaultSeed, Scale: scale}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
