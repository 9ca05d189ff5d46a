package geo_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

func TestDataset_LayerRoundTrip(t *testing.T) {
	t.Parallel()
	d := validDataset(t)
	counts := d.Counts()
	for _, name := range geo.LayerNames {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			items := d.Layer(name)
			require.Len(t, items, counts[name])
			c := &geo.Dataset{}
			require.NoError(t, c.SetLayer(name, items))
			require.Equal(t, items, c.Layer(name))
			require.Equal(t, counts[name], c.Counts()[name])
		})
	}
	t.Run("unknown layer", func(t *testing.T) {
		t.Parallel()
		require.Nil(t, d.Layer("rivers"))
		require.Equal(t, geo.NotFound, geo.ErrorCode((&geo.Dataset{}).SetLayer("rivers", nil)))
	})
	t.Run("wrong item type", func(t *testing.T) {
		t.Parallel()
		err := (&geo.Dataset{}).SetLayer(geo.LayerGrids, d.Layer(geo.LayerBeats))
		require.ErrorContains(t, err, "geo: layer grids item 0 is a *geo.Beat")
	})
}

func TestAtlas_Layer(t *testing.T) {
	t.Parallel()
	d := validDataset(t)
	a := mustAtlas(t, d)
	for _, name := range geo.LayerNames {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			l, ok := a.Layer(name)
			require.True(t, ok)
			items := a.Dataset().Layer(name)
			require.Equal(t, len(d.Layer(name)), l.Len())
			require.Equal(t, uint64(1), l.Version())
			for i, it := range items {
				require.Equal(t, it, l.Feature(i))
				got, ok := l.FeatureByID(it.FeatureID())
				require.True(t, ok)
				require.Equal(t, it, got)
			}
			_, ok = l.FeatureByID("nope")
			require.False(t, ok)
		})
	}
	_, ok := a.Layer("rivers")
	require.False(t, ok)
}
