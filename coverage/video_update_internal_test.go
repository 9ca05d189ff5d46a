package coverage

import (
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/geo"
)

// TestWithCameras_SameStateAsNewVideo compares the internal state, cell by
// cell and grid by grid, of an incremental update and a full computation.
func TestWithCameras_SameStateAsNewVideo(t *testing.T) {
	t.Parallel()
	ds, err := data.Generate(data.GenerateOptions{Seed: 11, Scale: 0.05})
	require.NoError(t, err)
	a, err := geo.NewAtlas(ds, geo.Options{})
	require.NoError(t, err)
	v, err := NewVideo(a, VideoOptions{})
	require.NoError(t, err)
	v.buckets() // build the surface cells, so that updates derive them
	for i, c := range a.Cameras.Items()[:6] {
		moved := *c
		moved.Point = geo.Destination(c.Point, float64(i*37), 40+float64(i)*30)
		moved.RangeM = c.RangeM * 2
		moved.Online = i%2 == 0
		next, err := a.Apply(geo.LayerCameras, []geo.Feature{&moved}, nil)
		require.NoError(t, err)
		inc, err := v.WithCameras(next, []string{c.ID})
		require.NoError(t, err)
		full, err := NewVideo(next, VideoOptions{})
		require.NoError(t, err)
		require.True(t, inc.cells.ready.Load(), "the update derives the cells of a coverage that built them")
		fb, ib := full.buckets(), inc.buckets()
		require.Equal(t, len(fb), len(ib))
		for g := range fb {
			require.Equal(t, fb[g].cells, ib[g].cells, "camera %s bucket %d", c.ID, g)
		}
		for g := range full.grids {
			f, n := full.grids[g], inc.grids[g]
			require.Equal(t, f.covered, n.covered, "grid %d", g)
			require.Equal(t, f.settleCovered, n.settleCovered, "grid %d", g)
			require.Equal(t, f.popCovered, n.popCovered, "grid %d", g)
		}
		require.Equal(t, full.camBounds, inc.camBounds)
		require.Equal(t, full.incSeen, inc.incSeen)
		require.Equal(t, full.plcSeen, inc.plcSeen)
		a, v = next, inc
	}
}
