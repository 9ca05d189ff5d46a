package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// StoreSchemaVersion is the layout version of the GeoPackage store this code
// writes. A store of an older version is migrated when it is opened; a
// newer one is refused.
const StoreSchemaVersion = 2

// GeoPackage identification (OGC 12-128r19 §1.1.1.1.1): application_id
// "GPKG" and user_version 10300 (GeoPackage 1.3.0, the newest that GDAL 3.6
// reads without a warning).
const (
	gpkgApplicationID = 0x47504B47
	gpkgUserVersion   = 10300
)

// metaTable holds the store's own keys: schema_version and the dataset's
// metadata (dataset, as meta.json).
const metaTable = "gridwatch_meta"

// migration moves a store from version From to From+1 inside the caller's
// transaction.
type migration struct {
	From int
	What string
	Run  func(ctx context.Context, tx *sql.Tx) error
}

// migrations are run in order from a store's version up to
// StoreSchemaVersion.
var migrations = []migration{
	{From: 0, What: "GeoPackage core tables, one feature table per layer", Run: migrateCreate},
	{From: 1, What: "per-layer revisions (gridwatch_layers)", Run: migrateLayerRevisions},
}

const wgs84WKT = `GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],` +
	`AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],` +
	`UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]`

// gpkgCoreDDL creates the mandatory GeoPackage tables.
var gpkgCoreDDL = []string{
	`CREATE TABLE gpkg_spatial_ref_sys (
		srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
		organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`,
	`CREATE TABLE gpkg_contents (
		table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
		description TEXT DEFAULT '',
		last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
		min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
		CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`,
	`CREATE TABLE gpkg_geometry_columns (
		table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
		srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
		CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
		CONSTRAINT uk_gc_table_name UNIQUE (table_name),
		CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
		CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`,
	`INSERT INTO gpkg_spatial_ref_sys VALUES
		('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
		('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
		('WGS 84 geodetic', 4326, 'EPSG', 4326, '` + wgs84WKT + `', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')`,
	`CREATE TABLE ` + metaTable + ` (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)`,
	`INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES ('` + metaTable + `', 'attributes',
		'gridwatch metadata', 'The store''s schema version and the dataset''s metadata (meta.json).')`,
	`PRAGMA application_id = ` + strconv.Itoa(gpkgApplicationID),
	`PRAGMA user_version = ` + strconv.Itoa(gpkgUserVersion),
}

func migrateCreate(ctx context.Context, tx *sql.Tx) error {
	for _, q := range gpkgCoreDDL {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("create GeoPackage tables: %w", err)
		}
	}
	return syncLayerTables(ctx, tx)
}

func migrateLayerRevisions(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `CREATE TABLE gridwatch_layers (
		layer TEXT NOT NULL PRIMARY KEY, revision INTEGER NOT NULL DEFAULT 0, last_change TEXT)`); err != nil {
		return fmt.Errorf("create gridwatch_layers: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
		VALUES ('gridwatch_layers', 'attributes', 'gridwatch layer revisions',
		'How many changes have been committed to each layer, and when the last one was.')`); err != nil {
		return fmt.Errorf("register gridwatch_layers: %w", err)
	}
	for _, s := range Schemas {
		if _, err := tx.ExecContext(ctx, `INSERT INTO gridwatch_layers (layer, revision, last_change)
			SELECT table_name, 0, last_change FROM gpkg_contents WHERE table_name = ?`, s.Name); err != nil {
			return fmt.Errorf("fill gridwatch_layers: %w", err)
		}
	}
	return nil
}

// schemaVersion reads the store's schema version: 0 for a database without
// the store's tables.
func schemaVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, metaTable).Scan(&n); err != nil {
		return 0, fmt.Errorf("read schema: %w", err)
	}
	if n == 0 {
		return 0, nil
	}
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM `+metaTable+` WHERE key = 'schema_version'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	version, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("schema version %q is not a number", v)
	}
	return version, nil
}

// migrate brings the store in tx up to target, returning the version it
// found.
func migrate(ctx context.Context, tx *sql.Tx, target int) (int, error) {
	from, err := schemaVersion(ctx, tx)
	if err != nil {
		return 0, err
	}
	if from > StoreSchemaVersion {
		return from, fmt.Errorf("data: the store has schema version %d, newer than this program's %d", from, StoreSchemaVersion)
	}
	for _, m := range migrations {
		if m.From < from || m.From >= target {
			continue
		}
		if err := m.Run(ctx, tx); err != nil {
			return from, fmt.Errorf("data: migrate the store from version %d (%s): %w", m.From, m.What, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+metaTable+` (key, value) VALUES ('schema_version', ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, strconv.Itoa(m.From+1)); err != nil {
			return from, fmt.Errorf("data: record schema version %d: %w", m.From+1, err)
		}
	}
	if from >= 1 {
		if err := syncLayerTables(ctx, tx); err != nil {
			return from, err
		}
	}
	return from, nil
}

// syncLayerTables creates the feature table of every layer that lacks one
// and adds the columns of properties added to a layer's schema since.
func syncLayerTables(ctx context.Context, tx *sql.Tx) error {
	for _, s := range Schemas {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM gpkg_contents WHERE table_name = ?`, s.Name).Scan(&n); err != nil {
			return fmt.Errorf("read gpkg_contents: %w", err)
		}
		if n == 0 {
			if err := createLayerTable(ctx, tx, s); err != nil {
				return err
			}
			continue
		}
		have, err := tableColumns(ctx, tx, s.Name)
		if err != nil {
			return err
		}
		for _, p := range s.Properties {
			if have[p.Name] {
				continue
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`ALTER TABLE %s ADD COLUMN %s %s`, ident(s.Name), ident(p.Name), columnType(p.Type))); err != nil {
				return fmt.Errorf("add column %s.%s: %w", s.Name, p.Name, err)
			}
		}
	}
	return nil
}

func createLayerTable(ctx context.Context, tx *sql.Tx, s LayerSchema) error {
	cols := []string{"fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL",
		"geom " + strings.ToUpper(s.Geometry), `"id" TEXT NOT NULL UNIQUE`}
	for _, p := range s.Properties {
		cols = append(cols, ident(p.Name)+" "+columnType(p.Type))
	}
	stmts := []struct {
		q    string
		args []any
	}{
		{q: fmt.Sprintf("CREATE TABLE %s (%s)", ident(s.Name), strings.Join(cols, ", "))},
		{q: `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, 'features', ?, ?, ?)`,
			args: []any{s.Name, s.Title, s.Description, srsWGS84}},
		{q: `INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)`,
			args: []any{s.Name, strings.ToUpper(s.Geometry), srsWGS84}},
	}
	for _, st := range stmts {
		if _, err := tx.ExecContext(ctx, st.q, st.args...); err != nil {
			return fmt.Errorf("create table %s: %w", s.Name, err)
		}
	}
	return nil
}

func tableColumns(ctx context.Context, tx *sql.Tx, table string) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		out[name] = true
	}
	return out, rows.Err()
}

// columnType is the GeoPackage column type of a property type.
func columnType(t Type) string {
	switch t {
	case TypeInteger:
		return "INTEGER"
	case TypeNumber:
		return "DOUBLE"
	case TypeBoolean:
		return "BOOLEAN"
	case TypeDate:
		return "DATE"
	case TypeDateTime:
		return "DATETIME"
	}
	return "TEXT" // strings are stored as a JSON array
}

// ident quotes an SQL identifier.
func ident(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
