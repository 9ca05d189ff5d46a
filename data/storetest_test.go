package data_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/data/storetest"
	"gridwatch/geo"
)

// TestStoreConformance runs the store conformance suite on the GeoPackage
// store (data/postgis runs it on PostGIS).
func TestStoreConformance(t *testing.T) {
	storetest.Run(t, "../testdata/tiny", func(t *testing.T, seed func() (*geo.Dataset, error)) (data.Backend, func(*testing.T) data.Backend) {
		dir := t.TempDir()
		s, err := data.OpenStore(context.Background(), dir, data.StoreOptions{Seed: seed})
		require.NoError(t, err)
		t.Cleanup(func() { _ = s.Close() })
		reopen := func(t *testing.T) data.Backend {
			require.NoError(t, s.Close())
			s2, err := data.OpenStore(context.Background(), dir, data.StoreOptions{})
			require.NoError(t, err)
			t.Cleanup(func() { _ = s2.Close() })
			return s2
		}
		return s, reopen
	})
}
