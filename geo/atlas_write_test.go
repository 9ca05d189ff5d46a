package geo_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

func TestAtlas_ApplyUpsertsOneLayer(t *testing.T) {
	t.Parallel()
	a := mustAtlas(t, validDataset(t))
	moved := *a.Cameras.At(0)
	moved.Point = cellAt(1.5, 1.5) // into g4
	added := moved
	added.ID = "c9"
	added.Point = cellAt(0.5, 1.5) // g3
	b, err := a.Apply(geo.LayerCameras, []geo.Feature{&moved, &added}, []string{"c2"})
	require.NoError(t, err)

	require.Equal(t, uint64(2), b.Cameras.Version())
	require.Equal(t, uint64(1), a.Cameras.Version(), "the old atlas is unchanged")
	require.Same(t, a.Grids, b.Grids, "other layers are shared")
	require.Same(t, a.Responders, b.Responders)
	var ids []string
	for _, c := range b.Cameras.Items() {
		ids = append(ids, c.ID+"@"+c.Grid)
	}
	require.Equal(t, []string{"c1@g4", "c3@", "c9@g3"}, ids, "upsert in place, append new, drop removed, derive grids")
	require.Equal(t, 3, a.Cameras.Len())
	c1, _ := a.Cameras.Get("c1")
	require.Equal(t, "g1", c1.Grid)
}

func TestAtlas_ApplyRefusesAndChangesNothing(t *testing.T) {
	t.Parallel()
	a := mustAtlas(t, validDataset(t))
	bad := *a.Cameras.At(0)
	bad.BearingDeg = 400
	_, err := a.Apply(geo.LayerCameras, []geo.Feature{a.Cameras.At(1), &bad}, nil)
	require.Equal(t, geo.Invalid, geo.ErrorCode(err))
	require.Equal(t, []where{{geo.LayerCameras, 1, "c1", "bearing_deg"}}, wheres(problemsOf(t, err)))
	require.Equal(t, uint64(1), a.Cameras.Version())

	_, err = a.Apply(geo.LayerCameras, nil, []string{"nope"})
	require.Equal(t, geo.NotFound, geo.ErrorCode(err))

	_, err = a.Apply(geo.LayerCameras, []geo.Feature{a.Cameras.At(0), a.Cameras.At(0)}, nil)
	require.Equal(t, geo.Invalid, geo.ErrorCode(err), "the same id twice in one write")

	// Removing a station that responders and beats report to breaks them.
	_, err = a.Apply(geo.LayerStations, nil, []string{"s1"})
	require.Equal(t, []where{{geo.LayerBeats, 0, "b1", "station"}, {geo.LayerResponders, 0, "r1", "station"},
		{geo.LayerResponders, 1, "r2", "station"}}, wheres(problemsOf(t, err)))

	// A responder assigned to a grid that does not exist.
	r := *a.Responders.At(0)
	r.Grids = []string{"g1", "g7"}
	_, err = a.Apply(geo.LayerResponders, []geo.Feature{&r}, nil)
	require.Equal(t, []where{{geo.LayerResponders, 0, "r1", "grids"}}, wheres(problemsOf(t, err)))
}

func TestAtlas_WithLayerGridsRederives(t *testing.T) {
	t.Parallel()
	a := mustAtlas(t, validDataset(t))
	items := a.Dataset().Layer(geo.LayerGrids)
	g1 := *a.Grids.At(0)
	g1.Name = "renamed"
	items[0] = &g1
	b, err := a.WithLayer(geo.LayerGrids, items)
	require.NoError(t, err)
	v := b.Versions()
	require.Equal(t, uint64(2), v[geo.LayerGrids])
	require.Equal(t, uint64(2), v[geo.LayerCameras], "grids derive the cameras' grid")
	require.Equal(t, uint64(1), v[geo.LayerResponders])
	g, _ := b.GridAt(cellAt(0.5, 0.5))
	require.Equal(t, "renamed", g.Name)

	// Overlapping grids are refused as NewAtlas refuses them.
	over := *a.Grids.At(1)
	over.Polygon = block(0.5, 0, 2, 1)
	items[1] = &over
	_, err = a.WithLayer(geo.LayerGrids, items)
	require.Equal(t, geo.Invalid, geo.ErrorCode(err))
}

func problemsOf(t testing.TB, err error) []geo.Problem {
	t.Helper()
	var e *geo.Error
	require.ErrorAs(t, err, &e)
	return e.Problems
}
