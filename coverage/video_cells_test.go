package coverage

import (
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/geo"
)

// TestVideoTable_GridOfIsTheGridOfTheCentre checks the memoised cell → grid
// lookup against the exact centre of every seen cell.
func TestVideoTable_GridOfIsTheGridOfTheCentre(t *testing.T) {
	t.Parallel()
	ds, err := data.Generate(data.GenerateOptions{Seed: 3, Scale: 0.05})
	require.NoError(t, err)
	a, err := geo.NewAtlas(ds, geo.Options{})
	require.NoError(t, err)
	for _, res := range []int{10, 12} {
		v, err := NewVideo(a, VideoOptions{Resolution: res})
		require.NoError(t, err)
		exact := newVideoTable(a, res)
		n := 0
		for g, b := range v.buckets() {
			for _, st := range b.cells {
				require.Equal(t, int32(g), exact.gridAt(geo.CellCenter(st.cell)), "res %d cell %v", res, st.cell)
				require.InEpsilon(t, geo.CellAreaM2(st.cell), float64(st.area)*videoAreaUnit, 1.2e-4)
				n++
			}
		}
		require.Positive(t, n)
	}
}
