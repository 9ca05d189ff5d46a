package data

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// tinyDataset reads the hand-made four-grid dataset.
func tinyDataset(t testing.TB) *geo.Dataset {
	t.Helper()
	d, err := ReadDir("../testdata/tiny")
	require.NoError(t, err)
	return d
}

// openTiny opens a new store in a temporary directory seeded with the tiny
// dataset.
func openTiny(t testing.TB) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := OpenStore(context.Background(), dir, StoreOptions{Seed: func() (*geo.Dataset, error) { return tinyDataset(t), nil }})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s, dir
}

// layerJSON encodes a layer as GeoJSON, to compare datasets.
func layerJSON(t testing.TB, items []geo.Feature) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, EncodeGeoJSON(&buf, items))
	return buf.String()
}

func TestStore_SeedThenLoadGivesTheSameDataset(t *testing.T) {
	t.Parallel()
	s, _ := openTiny(t)
	want := tinyDataset(t)
	got, err := s.Load(context.Background())
	require.NoError(t, err)
	require.Equal(t, want.Meta, got.Meta)
	for _, layer := range geo.LayerNames {
		t.Run(layer, func(t *testing.T) {
			require.Equal(t, layerJSON(t, want.Layer(layer)), layerJSON(t, got.Layer(layer)))
		})
	}
	_, err = geo.NewAtlas(got, geo.Options{})
	require.NoError(t, err)
}

func TestStore_KeepsExactCoordinates(t *testing.T) {
	t.Parallel()
	s, _ := openTiny(t)
	ctx := context.Background()
	d, err := s.Load(ctx)
	require.NoError(t, err)
	r := *d.Responders[0]
	r.Point = orb.Point{r.Point[0] + 1.23456789e-9, r.Point[1] - 9.87654321e-10}
	require.NoError(t, s.Commit(ctx, []Change{{Layer: geo.LayerResponders, Items: []geo.Feature{&r}}}))
	d2, err := s.Load(ctx)
	require.NoError(t, err)
	require.Equal(t, r.Point, d2.Responders[0].Point, "geometries are stored unrounded")
}

func TestStore_CommitUpsertsInPlaceAppendsRemovesAndReplaces(t *testing.T) {
	t.Parallel()
	s, _ := openTiny(t)
	ctx := context.Background()
	d, err := s.Load(ctx)
	require.NoError(t, err)
	first, second := *d.Responders[0], *d.Responders[1]
	first.Name = "renamed"
	added := second
	added.ID = "new-responder"
	require.NoError(t, s.Commit(ctx, []Change{
		{Layer: geo.LayerResponders, Items: []geo.Feature{&first, &added}},
		{Layer: geo.LayerResponders, Remove: []string{second.ID}},
	}))
	got, err := s.Load(ctx)
	require.NoError(t, err)
	var ids []string
	for _, r := range got.Responders {
		ids = append(ids, r.ID)
	}
	var want []string
	for _, r := range d.Responders {
		if r.ID != second.ID {
			want = append(want, r.ID)
		}
	}
	want = append(want, "new-responder")
	require.Equal(t, want, ids, "an upsert keeps its place, a new item comes last")
	require.Equal(t, "renamed", got.Responders[0].Name)

	require.NoError(t, s.Commit(ctx, []Change{{Layer: geo.LayerResponders, Replace: true, Items: []geo.Feature{&second}}}))
	got, err = s.Load(ctx)
	require.NoError(t, err)
	require.Len(t, got.Responders, 1)
	require.Equal(t, second.ID, got.Responders[0].ID)

	rev, err := s.Revisions(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(4), rev[geo.LayerResponders], "the seed, two changes and a replacement")
}

func TestStore_FailedCommitChangesNothing(t *testing.T) {
	t.Parallel()
	s, _ := openTiny(t)
	ctx := context.Background()
	before, err := s.Load(ctx)
	require.NoError(t, err)
	r := *before.Responders[0]
	r.Name = "should not stay"
	err = s.Commit(ctx, []Change{
		{Layer: geo.LayerResponders, Items: []geo.Feature{&r}},
		{Layer: "no-such-layer", Remove: []string{"x"}},
	})
	require.Error(t, err)
	after, err := s.Load(ctx)
	require.NoError(t, err)
	require.Equal(t, layerJSON(t, before.Layer(geo.LayerResponders)), layerJSON(t, after.Layer(geo.LayerResponders)))
}

func TestStore_ReopenKeepsCommits(t *testing.T) {
	t.Parallel()
	s, dir := openTiny(t)
	ctx := context.Background()
	d, err := s.Load(ctx)
	require.NoError(t, err)
	meta := d.Meta
	meta.Name = "Renamed district"
	require.NoError(t, s.Commit(ctx, []Change{{Meta: &meta}, {Layer: geo.LayerIncidents, Remove: []string{d.Incidents[0].ID}}}))
	require.NoError(t, s.Close())

	seeded := false
	s2, err := OpenStore(ctx, dir, StoreOptions{Seed: func() (*geo.Dataset, error) { seeded = true; return nil, nil }})
	require.NoError(t, err)
	defer s2.Close()
	require.False(t, seeded, "an existing store is not seeded again")
	got, err := s2.Load(ctx)
	require.NoError(t, err)
	require.Equal(t, "Renamed district", got.Meta.Name)
	require.Len(t, got.Incidents, len(d.Incidents)-1)
}

func TestStore_IsAGeoPackageInWALMode(t *testing.T) {
	t.Parallel()
	s, _ := openTiny(t)
	ctx := context.Background()
	var appID, userVersion int
	var mode, sync string
	require.NoError(t, s.db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID))
	require.NoError(t, s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&userVersion))
	require.NoError(t, s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
	require.NoError(t, s.db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync))
	require.Equal(t, gpkgApplicationID, appID)
	require.Equal(t, gpkgUserVersion, userVersion)
	require.Equal(t, "wal", mode)
	require.Equal(t, "2", sync, "synchronous=FULL")
	for _, sc := range Schemas {
		var geomType string
		var srs int
		require.NoError(t, s.db.QueryRowContext(ctx, `SELECT g.geometry_type_name, c.srs_id FROM gpkg_contents c
			JOIN gpkg_geometry_columns g USING (table_name) WHERE c.table_name = ? AND c.data_type = 'features'`, sc.Name).Scan(&geomType, &srs))
		require.Equal(t, sc.Geometry, map[string]string{"POINT": "Point", "POLYGON": "Polygon", "MULTIPOLYGON": "MultiPolygon", "LINESTRING": "LineString"}[geomType], sc.Name)
		require.Equal(t, srsWGS84, srs)
	}
	v, err := s.SchemaVersion(ctx)
	require.NoError(t, err)
	require.Equal(t, StoreSchemaVersion, v)
}

func TestStore_MigratesAVersion1Store(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sql.Open("sqlite", storeDSN(filepath.Join(dir, StoreFile)))
	require.NoError(t, err)
	tx, err := db.BeginTx(ctx, nil)
	require.NoError(t, err)
	from, err := migrate(ctx, tx, 1)
	require.NoError(t, err)
	require.Equal(t, 0, from)
	require.NoError(t, tx.Commit())
	v, err := schemaVersion(ctx, db)
	require.NoError(t, err)
	require.Equal(t, 1, v)
	var n int
	require.NoError(t, db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'gridwatch_layers'`).Scan(&n))
	require.Zero(t, n, "version 1 has no revisions table")
	require.NoError(t, db.Close())

	s, err := OpenStore(ctx, dir, StoreOptions{})
	require.NoError(t, err)
	defer s.Close()
	v, err = s.SchemaVersion(ctx)
	require.NoError(t, err)
	require.Equal(t, StoreSchemaVersion, v)
	rev, err := s.Revisions(ctx)
	require.NoError(t, err)
	require.Len(t, rev, len(Schemas), "every layer has a revision row")
}

func TestStore_RefusesANewerSchema(t *testing.T) {
	t.Parallel()
	s, dir := openTiny(t)
	ctx := context.Background()
	_, err := s.db.ExecContext(ctx, `UPDATE `+metaTable+` SET value = '99' WHERE key = 'schema_version'`)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	_, err = OpenStore(ctx, dir, StoreOptions{})
	require.ErrorContains(t, err, "newer than this program")
}

func TestStore_LoadReportsEveryBadRow(t *testing.T) {
	t.Parallel()
	s, _ := openTiny(t)
	ctx := context.Background()
	_, err := s.db.ExecContext(ctx, `UPDATE cameras SET bearing_deg = 'north', geom = x'00' WHERE fid IN (SELECT fid FROM cameras ORDER BY fid LIMIT 1)`)
	require.NoError(t, err)
	_, err = s.db.ExecContext(ctx, `UPDATE responders SET role = 'general' WHERE fid IN (SELECT fid FROM responders ORDER BY fid LIMIT 1)`)
	require.NoError(t, err)
	_, err = s.Load(ctx)
	var ge *geo.Error
	require.ErrorAs(t, err, &ge)
	fields := map[string]bool{}
	for _, p := range ge.Problems {
		fields[p.Layer+"."+p.Field] = true
	}
	require.True(t, fields["cameras.geometry"], ge.Error())
	require.True(t, fields["cameras.bearing_deg"], ge.Error())
}

func TestStore_BackupIsAConsistentGeoPackage(t *testing.T) {
	t.Parallel()
	s, dir := openTiny(t)
	ctx := context.Background()
	file := filepath.Join(dir, "copy.gpkg")
	require.NoError(t, s.Backup(ctx, file))
	require.Error(t, s.Backup(ctx, file), "an existing file is not overwritten")

	copyDir := t.TempDir()
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(copyDir, StoreFile), raw, 0o644))
	c, err := OpenStore(ctx, copyDir, StoreOptions{})
	require.NoError(t, err)
	defer c.Close()
	want, err := s.Load(ctx)
	require.NoError(t, err)
	got, err := c.Load(ctx)
	require.NoError(t, err)
	for _, layer := range geo.LayerNames {
		require.Equal(t, layerJSON(t, want.Layer(layer)), layerJSON(t, got.Layer(layer)), layer)
	}
	var appID int
	require.NoError(t, c.db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID))
	require.Equal(t, gpkgApplicationID, appID)
}

// TestStore_OgrinfoReadsIt checks the GeoPackage with GDAL (make test
// installs it).
func TestStore_OgrinfoReadsIt(t *testing.T) {
	t.Parallel()
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Fatal("ogrinfo is missing: install the Debian package gdal-bin (make test does)")
	}
	s, _ := openTiny(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, ogrinfo, "-ro", "-so", "-al", s.Path()).CombinedOutput()
	require.NoError(t, err, string(out))
	text := string(out)
	d := tinyDataset(t)
	for _, sc := range Schemas {
		require.Contains(t, text, "Layer name: "+sc.Name)
	}
	require.Contains(t, text, "Feature Count: "+strconv.Itoa(len(d.Grids)))
	for _, bad := range []string{"ERROR", "Warning"} {
		if i := strings.Index(text, bad); i >= 0 {
			t.Fatalf("ogrinfo says: %s", text[i:min(len(text), i+200)])
		}
	}
}
