package postgis_test

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/data/postgis"
	"gridwatch/data/storetest"
	"gridwatch/geo"
)

func seedTiny() (*geo.Dataset, error) { return data.ReadDir(tinyDir) }

// Every layer table has a geometry column of its type in EPSG:4326 with a
// GiST index, the district, the feature id as key and typed columns.
func TestSchema_TablesAreTypedPostGISLayers(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t, seedTiny)
	ctx := context.Background()
	pool := s.Pool()
	for _, sc := range data.Schemas {
		var typ string
		var srid int
		require.NoError(t, pool.QueryRow(ctx, `SELECT type, srid FROM geometry_columns WHERE f_table_name = $1 AND f_geometry_column = 'geom'`,
			sc.Name).Scan(&typ, &srid), sc.Name)
		require.Equal(t, strings.ToUpper(sc.Geometry), typ, sc.Name)
		require.Equal(t, 4326, srid)
		var gist int
		require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM pg_indexes WHERE tablename = $1 AND indexdef LIKE '%USING gist (geom)%'`,
			sc.Name).Scan(&gist))
		require.Equal(t, 1, gist, "%s has a GiST index on geom", sc.Name)
		var key string
		require.NoError(t, pool.QueryRow(ctx, `SELECT string_agg(a.attname, ',' ORDER BY array_position(i.indkey, a.attnum))
			FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
			WHERE i.indrelid = $1::regclass AND i.indisprimary`, sc.Name).Scan(&key))
		require.Equal(t, "district,id", key, sc.Name)
		types := columnTypes(t, pool, sc.Name)
		require.Equal(t, "text", types["district"])
		want := map[data.Type]string{data.TypeString: "text", data.TypeInteger: "bigint", data.TypeNumber: "double precision",
			data.TypeBoolean: "boolean", data.TypeDate: "date", data.TypeDateTime: "timestamp with time zone", data.TypeStrings: "ARRAY"}
		for _, p := range sc.Properties {
			require.Equal(t, want[p.Type], types[p.Name], "%s.%s", sc.Name, p.Name)
		}
	}
	// The rows are real PostGIS geometries: the tiny grids are 0.01° squares
	// at 37.4°N, 0.01° × 0.01° ≈ 884,300 m² each (by hand:
	// 1,111.95 m × 1,111.95 m × cos 37.405° ≈ 1,111.95 × 883.5).
	var n int
	var minArea, maxArea float64
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*), min(ST_Area(geom::geography, false)), max(ST_Area(geom::geography, false)) FROM grids`).
		Scan(&n, &minArea, &maxArea))
	require.Equal(t, len(storetest.Tiny(t, tinyDir).Grids), n)
	require.InDelta(t, 982_400, minArea, 982_400*0.2)
	require.InDelta(t, minArea, maxArea, minArea*0.01)
}

func columnTypes(t *testing.T, pool *pgxpool.Pool, table string) map[string]string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1`, table)
	require.NoError(t, err)
	out := map[string]string{}
	for rows.Next() {
		var c, ty string
		require.NoError(t, rows.Scan(&c, &ty))
		out[c] = ty
	}
	require.NoError(t, rows.Err())
	return out
}

// Each change raises its layer's version by one (and a grids change the
// versions of the layers that derive from grids), as atlas writes do.
func TestCommit_VersionsOnePerChange(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t, seedTiny)
	ctx := context.Background()
	st0, err := s.State(ctx)
	require.NoError(t, err)
	for _, layer := range geo.LayerNames {
		require.Equal(t, int64(1), st0.Versions[layer], "a seeded layer starts at version 1, as a new atlas does: %s", layer)
	}
	d, err := s.Load(ctx)
	require.NoError(t, err)
	r1, r2 := *d.Responders[0], *d.Responders[1]
	r1.Name, r2.Name = "a", "b"
	st1, err := s.CommitState(ctx, []data.Change{
		{Layer: geo.LayerResponders, Items: []geo.Feature{&r1}},
		{Layer: geo.LayerResponders, Items: []geo.Feature{&r2}},
	})
	require.NoError(t, err)
	require.Equal(t, st0.Seq+1, st1.Seq)
	g := *d.Grids[0]
	g.Name = "renamed"
	st2, err := s.CommitState(ctx, []data.Change{{Layer: geo.LayerGrids, Items: []geo.Feature{&g}}})
	require.NoError(t, err)
	want := map[string]int64{}
	for _, layer := range geo.LayerNames {
		want[layer] = 1
	}
	want[geo.LayerResponders] = 3
	want[geo.LayerGrids], want[geo.LayerCameras], want[geo.LayerIncidents], want[geo.LayerPlaces] = 2, 2, 2, 2
	require.Equal(t, want, st2.Versions)

	// The same writes on an atlas give the same versions.
	a, err := geo.NewAtlas(d, geo.Options{})
	require.NoError(t, err)
	a, err = a.Edit(geo.LayerResponders, []geo.Feature{&r1}, nil)
	require.NoError(t, err)
	a, err = a.Edit(geo.LayerResponders, []geo.Feature{&r2}, nil)
	require.NoError(t, err)
	a, err = a.Edit(geo.LayerGrids, []geo.Feature{&g}, nil)
	require.NoError(t, err)
	for layer, v := range a.Versions() {
		require.Equal(t, want[layer], int64(v), layer)
	}
}

// Changes after a sequence number hold only the rows written and the ids
// deleted since, and a replaced layer whole.
func TestChanges_OnlyWhatChangedSince(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t, seedTiny)
	ctx := context.Background()
	d, err := s.Load(ctx)
	require.NoError(t, err)
	st0, err := s.State(ctx)
	require.NoError(t, err)
	none, err := s.Changes(ctx, st0.Seq)
	require.NoError(t, err)
	require.Empty(t, none.Layers)
	require.Equal(t, st0.Seq, none.State.Seq)

	r := *d.Responders[2]
	r.Available = false
	_, err = s.CommitState(ctx, []data.Change{{Layer: geo.LayerResponders, Items: []geo.Feature{&r}, Remove: []string{d.Responders[0].ID}}})
	require.NoError(t, err)
	c := *d.Cameras[0]
	st2, err := s.CommitState(ctx, []data.Change{{Layer: geo.LayerCameras, Replace: true, Items: []geo.Feature{&c}}})
	require.NoError(t, err)

	delta, err := s.Changes(ctx, st0.Seq)
	require.NoError(t, err)
	require.Equal(t, st2, delta.State)
	require.Len(t, delta.Layers, 2)
	resp := delta.Layers[geo.LayerResponders]
	require.False(t, resp.Reload)
	require.Equal(t, []string{d.Responders[0].ID}, resp.Removed)
	require.Equal(t, storetest.LayerJSON(t, []geo.Feature{&r}), storetest.LayerJSON(t, resp.Items))
	cams := delta.Layers[geo.LayerCameras]
	require.True(t, cams.Reload)
	require.Equal(t, storetest.LayerJSON(t, []geo.Feature{&c}), storetest.LayerJSON(t, cams.Items))

	later, err := s.Changes(ctx, st2.Seq-1)
	require.NoError(t, err)
	require.Len(t, later.Layers, 1, "after the first commit only the cameras changed")
}

// Rows edited by hand (here: required columns emptied) are validated as
// a file is, every problem reported.
func TestLoad_ReportsBadRows(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t, seedTiny)
	ctx := context.Background()
	_, err := s.Pool().Exec(ctx, `UPDATE responders SET role = NULL WHERE "id" = 'R1'`)
	require.NoError(t, err)
	_, err = s.Pool().Exec(ctx, `UPDATE cameras SET installed = NULL WHERE fid = (SELECT min(fid) FROM cameras)`)
	require.NoError(t, err)
	_, err = s.Load(ctx)
	var ge *geo.Error
	require.ErrorAs(t, err, &ge)
	fields := map[string]bool{}
	for _, p := range ge.Problems {
		fields[p.Layer+"."+p.Field] = true
	}
	require.True(t, fields["responders.role"], ge.Error())
	require.True(t, fields["cameras.installed"], ge.Error())
}

func TestOpen_RefusesANewerSchemaAndMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	s, url := openStore(t, seedTiny)
	ctx := context.Background()
	from, to, err := postgis.Migrate(ctx, url)
	require.NoError(t, err)
	require.Equal(t, postgis.SchemaVersion, from)
	require.Equal(t, postgis.SchemaVersion, to)
	_, err = s.Pool().Exec(ctx, `UPDATE gridwatch_meta SET value = '99' WHERE key = 'schema_version'`)
	require.NoError(t, err)
	_, err = postgis.Open(ctx, url, postgis.Options{})
	require.ErrorContains(t, err, "newer than this program")
}

// Districts share the tables and see only their own rows.
func TestDistricts_ShareTablesNotRows(t *testing.T) {
	t.Parallel()
	a, url := openStore(t, seedTiny)
	ctx := context.Background()
	b, err := postgis.Open(ctx, url, postgis.Options{District: "other"})
	require.NoError(t, err)
	defer b.Close()
	d, err := b.Load(ctx)
	require.NoError(t, err)
	require.Empty(t, d.Grids)
	tiny := storetest.Tiny(t, tinyDir)
	require.NoError(t, b.Commit(ctx, []data.Change{{Layer: geo.LayerStations, Items: []geo.Feature{tiny.Stations[0]}}}))
	da, err := a.Load(ctx)
	require.NoError(t, err)
	require.Equal(t, storetest.LayerJSON(t, tiny.Layer(geo.LayerStations)), storetest.LayerJSON(t, da.Layer(geo.LayerStations)))
	var n int
	require.NoError(t, a.Pool().QueryRow(ctx, `SELECT count(*) FROM stations WHERE district = 'other'`).Scan(&n))
	require.Equal(t, 1, n)
}

// GDAL's PostgreSQL driver reads the tables as layers (make test installs
// gdal-bin), as QGIS does.
func TestOgrinfoReadsTheTables(t *testing.T) {
	t.Parallel()
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Fatal("ogrinfo is missing: install the Debian package gdal-bin (make test does)")
	}
	_, url := openStore(t, seedTiny)
	cfg, err := pgx.ParseConfig(url)
	require.NoError(t, err)
	conn := "PG:host=127.0.0.1 port=" + strconv.Itoa(int(cfg.Port)) + " dbname=" + cfg.Database + " user=postgres"
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, ogrinfo, "-ro", "-so", conn, "grids").CombinedOutput()
	require.NoError(t, err, string(out))
	text := string(out)
	require.Contains(t, text, "Geometry: Polygon")
	require.Contains(t, text, "Feature Count: "+strconv.Itoa(len(storetest.Tiny(t, tinyDir).Grids)))
	require.Contains(t, text, "EPSG\",4326")
	require.Contains(t, text, "population: Integer64")
}

// A conditional change checked against an older version is refused in the
// transaction, and nothing of its commit is stored.
func TestCommit_IfVersionIsCheckedInTheTransaction(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t, seedTiny)
	ctx := context.Background()
	d, err := s.Load(ctx)
	require.NoError(t, err)
	st, err := s.State(ctx)
	require.NoError(t, err)
	v := uint64(st.Versions[geo.LayerResponders])
	r := *d.Responders[0]
	r.Name = "first"
	require.NoError(t, s.Commit(ctx, []data.Change{{Layer: geo.LayerResponders, Items: []geo.Feature{&r}, IfVersion: v}}))
	r2 := *d.Responders[1]
	r2.Name = "second, checked against the old version"
	g := *d.Grids[0]
	g.Name = "not stored either"
	err = s.Commit(ctx, []data.Change{{Layer: geo.LayerGrids, Items: []geo.Feature{&g}},
		{Layer: geo.LayerResponders, Items: []geo.Feature{&r2}, IfVersion: v}})
	require.Equal(t, geo.Precondition, geo.ErrorCode(err), "%v", err)
	got, err := s.Load(ctx)
	require.NoError(t, err)
	require.Equal(t, "first", got.Responders[0].Name)
	require.Equal(t, d.Responders[1].Name, got.Responders[1].Name)
	require.Equal(t, d.Grids[0].Name, got.Grids[0].Name)
}
