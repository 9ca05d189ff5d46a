package api

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/data/pgtest"
	"gridwatch/data/postgis"
	"gridwatch/geo"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// The write tables run on the PostGIS store too: each test gets a district
// of its own in one database (a district costs one commit, a database
// more than half a second).
func init() {
	writeModes = append(writeModes, writeMode{name: "postgis", durable: true, open: openPostGISMode})
}

var pgMode struct {
	once     sync.Once
	url      string
	err      error
	district atomic.Int64
}

func openPostGISMode(t testing.TB, d *geo.Dataset) (Store, func() *geo.Dataset) {
	c := pgtest.Shared(t)
	pgMode.once.Do(func() {
		var name string
		name, pgMode.err = c.NewDatabase(context.Background())
		pgMode.url = c.URL(name)
	})
	require.NoError(t, pgMode.err)
	district := fmt.Sprintf("d%d", pgMode.district.Add(1))
	st, err := postgis.Open(context.Background(), pgMode.url, postgis.Options{District: district,
		Seed: func() (*geo.Dataset, error) { return d, nil }, MaxConns: 4})
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	return st, func() *geo.Dataset {
		got, err := st.Load(context.Background())
		require.NoError(t, err)
		return got
	}
}
