package geo_test

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

func TestAtlas_NetworkRebuiltOnlyWhenRoadsChange(t *testing.T) {
	t.Parallel()
	a := mustAtlas(t, validDataset(t))
	n := a.Network()
	require.NotNil(t, n)
	// rd1 and rd3 meet at cell (1, 0.5); rd2 is the bridge over the canal.
	require.Equal(t, 5, n.Nodes())
	require.Equal(t, 4, n.Segments())
	require.Equal(t, 0, n.Cut())

	moved := *a.Responders.At(0)
	moved.Point = cellAt(0.6, 0.6)
	b, err := a.Edit(geo.LayerResponders, []geo.Feature{&moved}, nil)
	require.NoError(t, err)
	require.Same(t, n, b.Network(), "a position update shares the network")

	grids := a.Dataset().Layer(geo.LayerGrids)
	c, err := a.WithLayer(geo.LayerGrids, grids)
	require.NoError(t, err)
	require.Same(t, n, c.Network(), "a write to another polygon layer shares it too")

	// The bridge loses its flag: the road graph is rebuilt and cut there.
	flat := *a.Roads.At(1)
	flat.Bridge = false
	e, err := a.Edit(geo.LayerRoads, []geo.Feature{&flat}, nil)
	require.NoError(t, err)
	require.NotSame(t, n, e.Network())
	require.Equal(t, 1, e.Network().Cut())
	require.Equal(t, 3, e.Network().Segments())

	// Moving the canal away from the road restores the crossing.
	w := *a.Waterways.At(0)
	w.Line = orb.LineString{cellAt(1.9, -0.5), cellAt(1.9, 2.5)}
	f, err := e.Edit(geo.LayerWaterways, []geo.Feature{&w}, nil)
	require.NoError(t, err)
	require.Equal(t, 0, f.Network().Cut())
}
