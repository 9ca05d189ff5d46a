package data

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSplitInt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		total int
		w     []float64
		least int
		want  []int
	}{
		{"proportional", 10, []float64{1, 1, 2}, 0, []int{3, 2, 5}},
		{"largest remainder", 7, []float64{1, 1, 1}, 0, []int{3, 2, 2}},
		{"minimum", 10, []float64{0, 0, 1}, 2, []int{2, 2, 6}},
		{"minimum too large", 5, []float64{1, 1, 1}, 4, []int{2, 2, 1}},
		{"zero weights", 4, []float64{0, 0}, 0, []int{2, 2}},
		{"empty", 4, nil, 0, []int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, splitInt(tt.total, tt.w, tt.least))
		})
	}
}

func TestNormDeg(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want float64 }{
		{0, 0}, {359.96, 0}, {-0.01, 0}, {-90, 270}, {720.25, 0.3}, {123.44, 123.4},
	}
	for _, tt := range tests {
		got := normDeg(tt.in)
		require.InDelta(t, tt.want, got, 1e-9, "normDeg(%g)", tt.in)
		require.True(t, got >= 0 && got < 360)
	}
}

func TestLatticeRoundAndLocate(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 10000; i++ {
		r, c := rng.IntN(200)-100, rng.IntN(200)-100
		x, y := latticeCentre(r, c)
		th, d := rng.Float64()*6.283, rng.Float64()*0.8*hexR
		gr, gc := latticeRound(x+d*math.Cos(th)*0.86, y+d*math.Sin(th)*0.86)
		require.Equal(t, [2]int{r, c}, [2]int{gr, gc})
	}
}
