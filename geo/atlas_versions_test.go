package geo_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

func TestAtlas_WithVersionsSharesWhatItDoesNotChange(t *testing.T) {
	t.Parallel()
	a := mustAtlas(t, validDataset(t))
	require.Positive(t, a.Responders.Len())
	b := a.WithVersions(map[string]uint64{geo.LayerResponders: 7, geo.LayerGrids: 1})
	require.Equal(t, uint64(7), b.Responders.Version())
	require.Equal(t, uint64(1), a.Responders.Version(), "the receiver is unchanged")
	require.Same(t, a.Grids, b.Grids, "a layer already at its version is shared")
	require.Same(t, a.Cameras, b.Cameras)
	require.Equal(t, a.Responders.Items(), b.Responders.Items())
	// The copy answers lookups and spatial searches as the original does.
	r := a.Responders.At(0)
	got, ok := b.Responders.Get(r.ID)
	require.True(t, ok)
	require.Same(t, r, got)
	var hits int
	b.Responders.Search(a.Responders.Bound(), func(int) bool { hits++; return true })
	require.Equal(t, a.Responders.Len(), hits)
	// A later copy-on-write update of the copy leaves the original alone.
	moved := *r
	moved.Point[0] += 0.001
	c, err := b.Update(geo.LayerResponders, []geo.Feature{&moved})
	require.NoError(t, err)
	require.Equal(t, uint64(8), c.Responders.Version())
	orig, _ := a.Responders.Get(r.ID)
	require.Equal(t, r.Point, orig.Point)
	// Every layer takes a version.
	all := map[string]uint64{}
	for i, name := range geo.LayerNames {
		all[name] = uint64(100 + i)
	}
	require.Equal(t, all, a.WithVersions(all).Versions())
	require.Equal(t, "renamed", a.WithMeta(geo.Meta{Name: "renamed"}).Meta.Name)
}
