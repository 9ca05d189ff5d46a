// Package storetest is the conformance suite of data.Backend: the same
// tests run on the GeoPackage store (data) and the PostGIS store
// (data/postgis). Only tests import it.
package storetest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/geo"
)

// Opener opens a new, empty store seeded by seed and returns it with a
// function that closes it and opens the same store again (without seed).
type Opener func(t *testing.T, seed func() (*geo.Dataset, error)) (s data.Backend, reopen func(t *testing.T) data.Backend)

// Tiny reads the hand-made four-grid dataset in testdata/tiny (dir is
// the path of the repository's testdata/tiny from the calling package).
func Tiny(t testing.TB, dir string) *geo.Dataset {
	t.Helper()
	d, err := data.ReadDir(dir)
	require.NoError(t, err)
	return d
}

// LayerJSON encodes a layer as GeoJSON, to compare datasets.
func LayerJSON(t testing.TB, items []geo.Feature) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, data.EncodeGeoJSON(&buf, items))
	return buf.String()
}

// Run runs the suite on the stores open makes; tiny is the path of
// testdata/tiny.
func Run(t *testing.T, tiny string, open Opener) {
	seed := func() (*geo.Dataset, error) { return data.ReadDir(tiny) }
	ctx := context.Background()
	load := func(t *testing.T, s data.Backend) *geo.Dataset {
		t.Helper()
		d, err := s.Load(ctx)
		require.NoError(t, err)
		return d
	}

	t.Run("SeedThenLoadGivesTheSameDataset", func(t *testing.T) {
		t.Parallel()
		s, _ := open(t, seed)
		want, got := Tiny(t, tiny), load(t, s)
		require.Equal(t, want.Meta, got.Meta)
		for _, layer := range geo.LayerNames {
			require.Equal(t, LayerJSON(t, want.Layer(layer)), LayerJSON(t, got.Layer(layer)), layer)
		}
		_, err := geo.NewAtlas(got, geo.Options{})
		require.NoError(t, err)
	})

	t.Run("KeepsExactCoordinates", func(t *testing.T) {
		t.Parallel()
		s, _ := open(t, seed)
		r := *load(t, s).Responders[0]
		r.Point = orb.Point{r.Point[0] + 1.23456789e-9, r.Point[1] - 9.87654321e-10}
		require.NoError(t, s.Commit(ctx, []data.Change{{Layer: geo.LayerResponders, Items: []geo.Feature{&r}}}))
		require.Equal(t, r.Point, load(t, s).Responders[0].Point, "geometries are stored unrounded")
	})

	t.Run("CommitUpsertsInPlaceAppendsRemovesAndReplaces", func(t *testing.T) {
		t.Parallel()
		s, _ := open(t, seed)
		d := load(t, s)
		rev0, err := s.Revisions(ctx)
		require.NoError(t, err)
		first, second := *d.Responders[0], *d.Responders[1]
		first.Name = "renamed"
		added := second
		added.ID = "new-responder"
		require.NoError(t, s.Commit(ctx, []data.Change{
			{Layer: geo.LayerResponders, Items: []geo.Feature{&first, &added}},
			{Layer: geo.LayerResponders, Remove: []string{second.ID}},
		}))
		got := load(t, s)
		var ids, want []string
		for _, r := range got.Responders {
			ids = append(ids, r.ID)
		}
		for _, r := range d.Responders {
			if r.ID != second.ID {
				want = append(want, r.ID)
			}
		}
		want = append(want, "new-responder")
		require.Equal(t, want, ids, "an upsert keeps its place, a new item comes last")
		require.Equal(t, "renamed", got.Responders[0].Name)
		rev1, err := s.Revisions(ctx)
		require.NoError(t, err)

		require.NoError(t, s.Commit(ctx, []data.Change{{Layer: geo.LayerResponders, Replace: true, Items: []geo.Feature{&second, &first}}}))
		got = load(t, s)
		require.Len(t, got.Responders, 2)
		require.Equal(t, []string{second.ID, first.ID}, []string{got.Responders[0].ID, got.Responders[1].ID}, "a replacement's order")
		rev2, err := s.Revisions(ctx)
		require.NoError(t, err)
		require.Less(t, rev0[geo.LayerResponders], rev1[geo.LayerResponders])
		require.Less(t, rev1[geo.LayerResponders], rev2[geo.LayerResponders])
		for _, layer := range []string{geo.LayerGrids, geo.LayerCameras, geo.LayerIncidents} {
			require.Equal(t, rev0[layer], rev2[layer], "%s was not written", layer)
		}
	})

	t.Run("FailedCommitChangesNothing", func(t *testing.T) {
		t.Parallel()
		s, _ := open(t, seed)
		before := load(t, s)
		rev0, err := s.Revisions(ctx)
		require.NoError(t, err)
		r := *before.Responders[0]
		r.Name = "should not stay"
		err = s.Commit(ctx, []data.Change{
			{Layer: geo.LayerResponders, Items: []geo.Feature{&r}},
			{Layer: "no-such-layer", Remove: []string{"x"}},
		})
		require.Error(t, err)
		require.Equal(t, LayerJSON(t, before.Layer(geo.LayerResponders)), LayerJSON(t, load(t, s).Layer(geo.LayerResponders)))
		rev1, err := s.Revisions(ctx)
		require.NoError(t, err)
		require.Equal(t, rev0, rev1)
	})

	t.Run("ReopenKeepsCommitsAndDoesNotSeedAgain", func(t *testing.T) {
		t.Parallel()
		s, reopen := open(t, seed)
		d := load(t, s)
		meta := d.Meta
		meta.Name = "Renamed district"
		require.NoError(t, s.Commit(ctx, []data.Change{{Meta: &meta}, {Layer: geo.LayerIncidents, Remove: []string{d.Incidents[0].ID}}}))
		rev, err := s.Revisions(ctx)
		require.NoError(t, err)
		s2 := reopen(t)
		got := load(t, s2)
		require.Equal(t, "Renamed district", got.Meta.Name)
		require.Len(t, got.Incidents, len(d.Incidents)-1)
		rev2, err := s2.Revisions(ctx)
		require.NoError(t, err)
		require.Equal(t, rev, rev2, "revisions survive a restart")
		require.NoError(t, s2.Ping(ctx))
		v, err := s2.SchemaVersion(ctx)
		require.NoError(t, err)
		require.Positive(t, v)
	})

	t.Run("BackupIsAConsistentGeoPackage", func(t *testing.T) {
		t.Parallel()
		s, _ := open(t, seed)
		dir := t.TempDir()
		file := filepath.Join(dir, "copy.gpkg")
		require.NoError(t, s.Backup(ctx, file))
		require.Error(t, s.Backup(ctx, file), "an existing file is not overwritten")
		copyDir := t.TempDir()
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(copyDir, data.StoreFile), raw, 0o600))
		c, err := data.OpenStore(ctx, copyDir, data.StoreOptions{})
		require.NoError(t, err)
		defer c.Close()
		want, got := load(t, s), load(t, c)
		require.Equal(t, want.Meta, got.Meta)
		for _, layer := range geo.LayerNames {
			require.Equal(t, LayerJSON(t, want.Layer(layer)), LayerJSON(t, got.Layer(layer)), layer)
		}
	})

	t.Run("EmptyStoreWithoutSeed", func(t *testing.T) {
		t.Parallel()
		s, _ := open(t, nil)
		d := load(t, s)
		for _, layer := range geo.LayerNames {
			require.Empty(t, d.Layer(layer), layer)
		}
		g := *Tiny(t, tiny).Stations[0]
		require.NoError(t, s.Commit(ctx, []data.Change{{Layer: geo.LayerStations, Items: []geo.Feature{&g}}}))
		require.Equal(t, LayerJSON(t, []geo.Feature{&g}), LayerJSON(t, load(t, s).Layer(geo.LayerStations)))
	})
}
