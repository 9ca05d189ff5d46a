package postgis

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"gridwatch/data"
)

// SchemaVersion is the layout version of the tables this code writes. A
// database of an older version is migrated by Migrate (and on Open); a
// newer one is refused.
const SchemaVersion = 1

// Tables of the store besides one feature table per layer (named as the
// layer: grids, cameras, ...).
const (
	// metaTable holds, per district, the dataset's metadata (key dataset,
	// as meta.json); the row with district '' and key schema_version holds
	// the layout version.
	metaTable = "gridwatch_meta"
	// layersTable holds each district's layer versions: version grows by
	// one with every commit that changes the layer (so that every replica
	// agrees on it); seq is the change sequence of that commit; reload_seq
	// that of the last commit that replaced the whole layer.
	layersTable = "gridwatch_layers"
	// stateTable holds each district's last change sequence.
	stateTable = "gridwatch_state"
	// deletedTable remembers the ids deleted from a layer and the change
	// sequence of their deletion, so that replicas catch up on deletions.
	deletedTable = "gridwatch_deleted"
	// changeSeq numbers commits; commits take it under one lock, so that
	// its order is their commit order.
	changeSeq = "gridwatch_change_seq"
)

// migration moves the database from version From to From+1 inside the
// caller's transaction.
type migration struct {
	From int
	What string
	Run  func(ctx context.Context, tx pgx.Tx) error
}

// migrations are run in order from the database's version up to
// SchemaVersion.
var migrations = []migration{
	{From: 0, What: "the store's tables and one feature table per layer", Run: migrateCreate},
}

func migrateCreate(ctx context.Context, tx pgx.Tx) error {
	stmts := []string{
		`CREATE EXTENSION IF NOT EXISTS postgis`,
		`CREATE TABLE ` + metaTable + ` (district text NOT NULL, key text NOT NULL, value text NOT NULL, PRIMARY KEY (district, key))`,
		`CREATE TABLE ` + layersTable + ` (district text NOT NULL, layer text NOT NULL,
			version bigint NOT NULL DEFAULT 0, seq bigint NOT NULL DEFAULT 0, reload_seq bigint NOT NULL DEFAULT 0,
			last_change timestamptz, PRIMARY KEY (district, layer))`,
		`CREATE TABLE ` + stateTable + ` (district text PRIMARY KEY, seq bigint NOT NULL DEFAULT 0)`,
		`CREATE TABLE ` + deletedTable + ` (district text NOT NULL, layer text NOT NULL, id text NOT NULL,
			seq bigint NOT NULL, PRIMARY KEY (district, layer, id))`,
		`CREATE INDEX ` + deletedTable + `_seq ON ` + deletedTable + ` (district, seq)`,
		`CREATE SEQUENCE ` + changeSeq,
		`COMMENT ON TABLE ` + layersTable + ` IS 'gridwatch: the version of each layer of each district (one more with every commit that changes it).'`,
	}
	for _, q := range stmts {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", firstLine(q), err)
		}
	}
	for _, s := range data.Schemas {
		if err := createLayerTable(ctx, tx, s); err != nil {
			return err
		}
	}
	return nil
}

// createLayerTable creates a layer's feature table: the feature id (with
// the district) as primary key, a GiST-indexed geometry column in EPSG:4326,
// one typed column per property, and fid (the layer's order) and
// change_seq (the commit that last wrote the row) for replicas.
func createLayerTable(ctx context.Context, tx pgx.Tx, s data.LayerSchema) error {
	cols := []string{
		"fid bigserial NOT NULL UNIQUE",
		"district text NOT NULL",
		`"id" text NOT NULL`,
		fmt.Sprintf("geom geometry(%s, 4326) NOT NULL", s.Geometry),
	}
	for _, p := range s.Properties {
		cols = append(cols, ident(p.Name)+" "+columnType(p.Type))
	}
	for _, p := range offsetProps(s) {
		cols = append(cols, ident(offsetColumn(p))+" integer")
	}
	cols = append(cols, "change_seq bigint NOT NULL", `PRIMARY KEY (district, "id")`)
	t := ident(s.Name)
	stmts := []string{
		fmt.Sprintf("CREATE TABLE %s (\n\t%s)", t, strings.Join(cols, ",\n\t")),
		fmt.Sprintf("CREATE INDEX %s ON %s USING gist (geom)", ident(s.Name+"_geom"), t),
		fmt.Sprintf("CREATE INDEX %s ON %s (district, change_seq)", ident(s.Name+"_change_seq"), t),
		fmt.Sprintf("COMMENT ON TABLE %s IS %s", t, quoteLiteral(s.Title+": "+s.Description)),
	}
	for _, p := range s.Properties {
		stmts = append(stmts, fmt.Sprintf("COMMENT ON COLUMN %s.%s IS %s", t, ident(p.Name), quoteLiteral(p.Description)))
	}
	for _, p := range offsetProps(s) {
		stmts = append(stmts, fmt.Sprintf("COMMENT ON COLUMN %s.%s IS %s", t, ident(offsetColumn(p)),
			quoteLiteral("The UTC offset, minutes, that "+p.Name+" was given in (timestamptz keeps the instant only).")))
	}
	for _, q := range stmts {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("create table %s: %w", s.Name, err)
		}
	}
	return nil
}

// syncLayerTables adds the columns of properties added to a layer's schema
// since its table was made (a nullable column, as the GeoPackage store
// does).
func syncLayerTables(ctx context.Context, tx pgx.Tx) error {
	for _, s := range data.Schemas {
		rows, err := tx.Query(ctx, `SELECT column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1`, s.Name)
		if err != nil {
			return fmt.Errorf("columns of %s: %w", s.Name, err)
		}
		have, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return fmt.Errorf("columns of %s: %w", s.Name, err)
		}
		if len(have) == 0 {
			if err := createLayerTable(ctx, tx, s); err != nil {
				return err
			}
			continue
		}
		set := map[string]bool{}
		for _, c := range have {
			set[c] = true
		}
		for _, p := range s.Properties {
			if set[p.Name] {
				continue
			}
			if _, err := tx.Exec(ctx, fmt.Sprintf(`ALTER TABLE %s ADD COLUMN %s %s`, ident(s.Name), ident(p.Name), columnType(p.Type))); err != nil {
				return fmt.Errorf("add column %s.%s: %w", s.Name, p.Name, err)
			}
		}
		for _, p := range offsetProps(s) {
			if set[offsetColumn(p)] {
				continue
			}
			if _, err := tx.Exec(ctx, fmt.Sprintf(`ALTER TABLE %s ADD COLUMN %s integer`, ident(s.Name), ident(offsetColumn(p)))); err != nil {
				return fmt.Errorf("add column %s.%s: %w", s.Name, offsetColumn(p), err)
			}
		}
	}
	return nil
}

// schemaVersion reads the layout version: 0 for a database without the
// store's tables.
func schemaVersion(ctx context.Context, q querier) (int, error) {
	var exists bool
	if err := q.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, metaTable).Scan(&exists); err != nil {
		return 0, fmt.Errorf("read schema: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v int
	err := q.QueryRow(ctx, `SELECT value::int FROM `+metaTable+` WHERE district = '' AND key = 'schema_version'`).Scan(&v)
	if err == pgx.ErrNoRows {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// migrationLock is the advisory lock key that serialises migrations of
// one database (replicas starting together).
const migrationLock = 0x67726964 // "grid"

// migrate brings the database up to SchemaVersion in tx, returning the
// version it found.
func migrate(ctx context.Context, tx pgx.Tx) (int, error) {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
		return 0, fmt.Errorf("lock for migration: %w", err)
	}
	from, err := schemaVersion(ctx, tx)
	if err != nil {
		return 0, err
	}
	if from > SchemaVersion {
		return from, fmt.Errorf("postgis: the database has schema version %d, newer than this program's %d", from, SchemaVersion)
	}
	for _, m := range migrations {
		if m.From < from || m.From >= SchemaVersion {
			continue
		}
		if err := m.Run(ctx, tx); err != nil {
			return from, fmt.Errorf("postgis: migrate from version %d (%s): %w", m.From, m.What, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO `+metaTable+` (district, key, value) VALUES ('', 'schema_version', $1)
			ON CONFLICT (district, key) DO UPDATE SET value = excluded.value`, fmt.Sprint(m.From+1)); err != nil {
			return from, fmt.Errorf("postgis: record schema version %d: %w", m.From+1, err)
		}
	}
	if err := syncLayerTables(ctx, tx); err != nil {
		return from, err
	}
	return from, nil
}

// offsetProps are a layer's date-time properties: each has a companion
// column with the UTC offset the time was given in, so that a time comes
// back as it was written (2026-06-30T10:00:00+08:00, not 02:00:00Z).
func offsetProps(s data.LayerSchema) []data.Property {
	var out []data.Property
	for _, p := range s.Properties {
		if p.Type == data.TypeDateTime {
			out = append(out, p)
		}
	}
	return out
}

// offsetColumn names the UTC-offset column of a date-time property.
func offsetColumn(p data.Property) string { return p.Name + "_utc_offset" }

// columnType is the PostgreSQL column type of a property type.
func columnType(t data.Type) string {
	switch t {
	case data.TypeInteger:
		return "bigint"
	case data.TypeNumber:
		return "double precision"
	case data.TypeBoolean:
		return "boolean"
	case data.TypeDate:
		return "date"
	case data.TypeDateTime:
		return "timestamptz"
	case data.TypeStrings:
		return "text[]"
	}
	return "text"
}

// ident quotes an SQL identifier.
func ident(name string) string { return pgx.Identifier{name}.Sanitize() }

// quoteLiteral quotes an SQL string literal.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func firstLine(q string) string {
	if i := strings.IndexByte(q, '\n'); i >= 0 {
		return q[:i]
	}
	return q
}
