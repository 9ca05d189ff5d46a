package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/data/pgtest"
	"gridwatch/data/postgis"
	"gridwatch/data/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// migrate, import and backup on a PostgreSQL store: the backup holds what
// was imported, and importing it into another database gives the same
// rows.
func TestStore_MigrateImportBackupOnPostgreSQL(t *testing.T) {
	t.Parallel()
	url := pgtest.Database(t)
	code, out, errOut := runCLI(t, "migrate", "--store", url)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "from version 0 to 1")
	code, out, errOut = runCLI(t, "migrate", "--store", url)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "up to date")

	code, out, errOut = runCLI(t, "import", "--store", url, "../../testdata/tiny")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "imported into PostgreSQL store")

	file := filepath.Join(t.TempDir(), "copy.gpkg")
	code, _, errOut = runCLI(t, "backup", "--store", url, file)
	require.Equal(t, 0, code, errOut)

	// The backup is a GeoPackage with the tiny dataset.
	dir := t.TempDir()
	require.NoError(t, os.Rename(file, filepath.Join(dir, data.StoreFile)))
	g, err := data.OpenStore(context.Background(), dir, data.StoreOptions{})
	require.NoError(t, err)
	got, err := g.Load(context.Background())
	require.NoError(t, err)
	require.NoError(t, g.Close())
	want := storetest.Tiny(t, "../../testdata/tiny")
	require.Equal(t, want.Meta, got.Meta)
	for _, layer := range []string{"grids", "cameras", "responders"} {
		require.Equal(t, storetest.LayerJSON(t, want.Layer(layer)), storetest.LayerJSON(t, got.Layer(layer)), layer)
	}

	// --district imports into another district of the same tables.
	url2 := url
	code, _, errOut = runCLI(t, "import", "--store", url2, "--district", "d2", "../../testdata/tiny")
	require.Equal(t, 0, code, errOut)
	s2, err := postgis.Open(context.Background(), url2, postgis.Options{District: "d2"})
	require.NoError(t, err)
	defer s2.Close()
	got2, err := s2.Load(context.Background())
	require.NoError(t, err)
	require.Equal(t, storetest.LayerJSON(t, want.Layer("grids")), storetest.LayerJSON(t, got2.Layer("grids")))
}

func TestStore_FlagsExcludeEachOther(t *testing.T) {
	t.Parallel()
	code, _, errOut := runCLI(t, "import", "--data", t.TempDir(), "--store", "postgres://x@127.0.0.1:1/db", "../../testdata/tiny")
	require.Equal(t, 2, code)
	require.Contains(t, errOut, "exclude each other")
	code, _, _ = runCLI(t, "migrate")
	require.Equal(t, 2, code, "migrate needs --store")
	code, _, errOut = runCLI(t, "serve", "--dataset", "x", "--store", "postgres://x@127.0.0.1:1/db")
	require.Equal(t, 2, code)
	require.Contains(t, errOut, "exclude each other")
}
