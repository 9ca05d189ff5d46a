package geo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
	"github.com/uber/h3-go/v4"
)

// squareTiling returns the rings of an n×n block of unit-ish squares whose
// corners sit exactly on lines of the vertex lattice (multiples of
// vertexTolerance), each square computing its corners with its own
// rounding noise of a few ulps, so shared corners straddle lattice lines.
func squareTiling(rng *rand.Rand, n int, keep func(i, j int) bool) ([]h3.Cell, []orb.Ring) {
	const step = 1e-4 // 10 m, a multiple of vertexTolerance
	corner := func(i, j int) orb.Point {
		x := 106.0 + float64(i)*step
		y := 37.0 + float64(j)*step
		// A few ulps either way, as two H3 cells computing one vertex give.
		jitter := func(v float64) float64 {
			return v + float64(rng.IntN(7)-3)*(math.Nextafter(v, math.Inf(1))-v)
		}
		return orb.Point{jitter(x), jitter(y)}
	}
	var cells []h3.Cell
	var rings []orb.Ring
	for i := range n {
		for j := range n {
			if !keep(i, j) {
				continue
			}
			cells = append(cells, h3.Cell(len(cells)+1))
			rings = append(rings, orb.Ring{corner(i, j), corner(i+1, j), corner(i+1, j+1), corner(i, j+1)})
		}
	}
	return cells, rings
}

func TestOutlineParts_SharedVerticesThatDifferInTheLastBits(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		keep         func(i, j int) bool
		parts, holes int
	}{
		{"full block", func(i, j int) bool { return true }, 1, 0},
		{"frame", func(i, j int) bool { return i == 0 || j == 0 || i == 5 || j == 5 }, 1, 1},
		{"two bars", func(i, j int) bool { return i == 1 || i == 4 }, 2, 0},
	}
	for _, tc := range cases {
		for seed := range 5 {
			t.Run(fmt.Sprintf("%s/%d", tc.name, seed), func(t *testing.T) {
				t.Parallel()
				cells, rings := squareTiling(rand.New(rand.NewPCG(uint64(seed), 5)), 6, tc.keep)
				require.Positive(t, straddles(rings), "the fixture must put copies of a vertex on both sides of a lattice line")
				parts := outlineParts(cells, rings)
				require.Len(t, parts, tc.parts)
				holes, total := 0, 0
				for _, p := range parts {
					holes += len(p.Polygon) - 1
					total += len(p.Cells)
					// Every corner of a straight run of squares is kept, but no
					// vertex twice: the shared ones matched.
					for _, r := range p.Polygon {
						seen := map[[2]int64]bool{}
						for _, pt := range r[:len(r)-1] {
							k := [2]int64{int64(math.Round(pt[0] / 1e-4)), int64(math.Round(pt[1] / 1e-4))}
							require.False(t, seen[k], "vertex %v twice", pt)
							seen[k] = true
						}
					}
				}
				require.Equal(t, tc.holes, holes)
				require.Equal(t, len(cells), total)
			})
		}
	}
}

// straddles counts the vertices whose copies fall in different cells of the
// vertex lattice, which naive rounding would split.
func straddles(rings []orb.Ring) int {
	keys := map[[2]int64]map[[2]int64]bool{}
	for _, r := range rings {
		for _, p := range r {
			id := [2]int64{int64(math.Round(p[0] / 1e-4)), int64(math.Round(p[1] / 1e-4))}
			if keys[id] == nil {
				keys[id] = map[[2]int64]bool{}
			}
			keys[id][[2]int64{int64(math.Floor(p[0] / vertexTolerance)), int64(math.Floor(p[1] / vertexTolerance))}] = true
		}
	}
	n := 0
	for _, ks := range keys {
		if len(ks) > 1 {
			n++
		}
	}
	return n
}
