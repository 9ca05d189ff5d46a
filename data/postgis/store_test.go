package postgis_test

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/data/pgtest"
	"gridwatch/data/postgis"
	"gridwatch/data/storetest"
	"gridwatch/geo"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

const tinyDir = "../../testdata/tiny"

// openStore opens a store on a fresh database.
func openStore(t *testing.T, seed func() (*geo.Dataset, error)) (*postgis.Store, string) {
	t.Helper()
	url := pgtest.Database(t)
	s, err := postgis.Open(context.Background(), url, postgis.Options{Seed: seed})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s, url
}

// TestStoreConformance runs the store conformance suite on PostGIS.
func TestStoreConformance(t *testing.T) {
	storetest.Run(t, tinyDir, func(t *testing.T, seed func() (*geo.Dataset, error)) (data.Backend, func(*testing.T) data.Backend) {
		s, url := openStore(t, seed)
		reopen := func(t *testing.T) data.Backend {
			require.NoError(t, s.Close())
			s2, err := postgis.Open(context.Background(), url, postgis.Options{Seed: func() (*geo.Dataset, error) {
				t.Error("an existing store is seeded again")
				return nil, nil
			}})
			require.NoError(t, err)
			t.Cleanup(func() { _ = s2.Close() })
			return s2
		}
		return s, reopen
	})
}
