// Package postgis is the PostgreSQL + PostGIS store of gridwatch, for
// deployments where several gridwatch processes share one database: one
// table per layer (named as the layer) with a geometry(…, 4326) column and a
// GiST index, the feature id (with the district) as primary key and the
// properties as typed columns, so that QGIS and ogr2ogr read the tables
// directly. Commits are serialised by an advisory lock and numbered by a
// change sequence; each commit raises the version of every layer it
// changes and sends a notification, from which replicas read the changed
// rows alone (see Changes and Listen).
package postgis

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"gridwatch/data"
	"gridwatch/geo"
)

// DefaultDistrict is the district a store works on when Options name none.
const DefaultDistrict = "default"

// Channel starts the name of each district's LISTEN/NOTIFY channel of
// committed changes (ChannelOf).
const Channel = "gridwatch_changes"

// ChannelOf is the channel of a district's commits: one per district, so
// that a replica hears only its own district's (PostgreSQL truncates
// channel names to 63 bytes).
func ChannelOf(district string) string { return Channel + ":" + district }

// commitLock, with the district's hash, is the advisory lock key every
// commit of a district takes, so that the
// change sequence's order is the commit order.
const commitLock = 0x67726965

// Options tune Open.
type Options struct {
	// District is the district whose rows this store reads and writes;
	// empty means DefaultDistrict.
	District string
	// Seed returns the dataset that fills the district when it has never
	// been written; nil leaves it empty.
	Seed func() (*geo.Dataset, error)
	// MaxConns caps the pool (0: pgxpool's default).
	MaxConns int32
}

// Store is a district's dataset in PostgreSQL + PostGIS.
type Store struct {
	pool     *pgxpool.Pool
	district string
	where    string // host:port/db, for messages (no password)
	lineage  string
}

// Open connects to the database at url (postgres://user@host:port/db),
// migrates its tables to SchemaVersion and seeds the district when it is
// new.
func Open(ctx context.Context, url string, opt Options) (*Store, error) {
	s, err := connect(ctx, url, opt)
	if err != nil {
		return nil, err
	}
	if err := s.init(ctx, opt); err != nil {
		s.pool.Close()
		return nil, fmt.Errorf("postgis: open %s: %w", s.where, err)
	}
	return s, nil
}

func connect(ctx context.Context, url string, opt Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, geo.Errorf(geo.Invalid, "postgis: store URL: %v", redactErr(err))
	}
	if opt.MaxConns > 0 {
		cfg.MaxConns = opt.MaxConns
	}
	// Fail fast when the server is down instead of waiting for the OS.
	if cfg.ConnConfig.ConnectTimeout == 0 || cfg.ConnConfig.ConnectTimeout > 5*time.Second {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgis: %w", redactErr(err))
	}
	district := opt.District
	if district == "" {
		district = DefaultDistrict
	}
	where := fmt.Sprintf("%s:%d/%s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
	return &Store{pool: pool, district: district, where: where}, nil
}

// redactErr drops a connection string from an error (it may hold a
// password).
func redactErr(err error) error {
	msg := err.Error()
	if i := strings.Index(msg, "postgres://"); i >= 0 {
		msg = msg[:i] + "(URL)"
	}
	return errors.New(msg)
}

// Migrate brings the database at url to SchemaVersion and returns the
// version it found and the one it left.
func Migrate(ctx context.Context, url string) (from, to int, err error) {
	s, err := connect(ctx, url, Options{})
	if err != nil {
		return 0, 0, err
	}
	defer s.pool.Close()
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		from, err = migrate(ctx, tx)
		return err
	})
	if err != nil {
		return from, from, fmt.Errorf("postgis: migrate %s: %w", s.where, err)
	}
	return from, SchemaVersion, nil
}

func (s *Store) init(ctx context.Context, opt Options) error {
	if err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := migrate(ctx, tx)
		return err
	}); err != nil {
		return err
	}
	exists, err := s.districtExists(ctx, s.pool)
	if err != nil {
		return err
	}
	if !exists {
		var changes []data.Change
		if opt.Seed != nil {
			seed, err := opt.Seed()
			if err != nil {
				return fmt.Errorf("seed: %w", err)
			}
			changes = append(changes, data.Change{Meta: &seed.Meta})
			for _, name := range geo.LayerNames {
				changes = append(changes, data.Change{Layer: name, Replace: true, Items: seed.Layer(name)})
			}
		}
		// Replicas starting together on a new district: the first seeds it.
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if err := lockDistrict(ctx, tx, s.district); err != nil {
				return err
			}
			if exists, err := s.districtExists(ctx, tx); err != nil || exists {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO `+metaTable+` (district, key, value) VALUES ($1, 'lineage', gen_random_uuid()::text)`, s.district); err != nil {
				return err
			}
			_, err := s.commitTx(ctx, tx, changes, true)
			return err
		})
		if err != nil {
			return fmt.Errorf("create district %q: %w", s.district, err)
		}
	}
	return s.pool.QueryRow(ctx, `SELECT value FROM `+metaTable+` WHERE district = $1 AND key = 'lineage'`, s.district).Scan(&s.lineage)
}

// lockDistrict takes the district's commit lock until tx ends.
func lockDistrict(ctx context.Context, tx pgx.Tx, district string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1::int4, hashtext($2))`, commitLock, district)
	return err
}

func (s *Store) districtExists(ctx context.Context, q querier) (bool, error) {
	var exists bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+stateTable+` WHERE district = $1)`, s.district).Scan(&exists)
	return exists, err
}

// Lineage returns the district's identity: made when the district is
// first written and kept for its life, it starts the ETags of every
// process that serves the district, so that they agree across processes
// and restarts and never match those of another store.
func (s *Store) Lineage() string { return s.lineage }

// District returns the district the store works on.
func (s *Store) District() string { return s.district }

// Where names the database (host:port/database) for messages and logs.
func (s *Store) Where() string { return s.where }

// Pool returns the connection pool (for benchmarks and tools).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return unavailable(s.where, err)
	}
	return nil
}

// unavailable wraps a failure to reach the database as a geo.Unavailable
// error.
func unavailable(where string, err error) error {
	return &geo.Error{Code: geo.Unavailable, Message: "the store " + where + " does not answer", Err: redactErr(err)}
}

// SchemaVersion returns the database's layout version.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	return schemaVersion(ctx, s.pool)
}

// State is where a snapshot of a district stands: its change sequence and
// its layer versions.
type State struct {
	// Seq is the change sequence of the last commit included.
	Seq int64
	// Versions is the version of every layer (0 for one never written).
	Versions map[string]int64
}

// Load reads the district's whole dataset. Rows that break the layer
// schemas give an Invalid error listing every problem.
func (s *Store) Load(ctx context.Context) (*geo.Dataset, error) {
	d, _, err := s.Snapshot(ctx)
	return d, err
}

// Snapshot reads the district's whole dataset and where it stands, from
// one consistent snapshot of the database.
func (s *Store) Snapshot(ctx context.Context) (*geo.Dataset, State, error) {
	d := &geo.Dataset{}
	var st State
	var all geo.Problems
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		var err error
		if st, err = readState(ctx, tx, s.district); err != nil {
			return err
		}
		if d.Meta, err = readMeta(ctx, tx, s.district); err != nil {
			return err
		}
		for _, sc := range data.Schemas {
			items, ps, err := readLayer(ctx, tx, sc, s.district, 0)
			if err != nil {
				return err
			}
			all = append(all, ps...)
			if err := d.SetLayer(sc.Name, items); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, State{}, s.wrap("load", err)
	}
	if err := all.Err("invalid rows in " + s.where); err != nil {
		return nil, State{}, err
	}
	return d, st, nil
}

// wrap gives an error its context, marking a database that cannot be
// reached as Unavailable.
func (s *Store) wrap(what string, err error) error {
	var ge *geo.Error
	if errors.As(err, &ge) {
		return err
	}
	if isConnErr(err) {
		return unavailable(s.where, err)
	}
	return fmt.Errorf("postgis: %s %s: %w", what, s.where, err)
}

// isConnErr reports whether err means the database could not be reached
// or went away (as opposed to a statement it refused).
func isConnErr(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// Class 08: connection exception; 57P01-03: the server is shutting
		// down or cannot accept connections.
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	return pgconn.SafeToRetry(err) || pgconn.Timeout(err) || isNetErr(err)
}

// readTx runs fn in a read-only repeatable-read transaction (one snapshot).
func (s *Store) readTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

func readState(ctx context.Context, q querier, district string) (State, error) {
	st := State{Versions: map[string]int64{}}
	if err := q.QueryRow(ctx, `SELECT coalesce((SELECT seq FROM `+stateTable+` WHERE district = $1), 0)`, district).Scan(&st.Seq); err != nil {
		return st, fmt.Errorf("read state: %w", err)
	}
	rows, err := q.Query(ctx, `SELECT layer, version FROM `+layersTable+` WHERE district = $1`, district)
	if err != nil {
		return st, fmt.Errorf("read layer versions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var v int64
		if err := rows.Scan(&name, &v); err != nil {
			return st, err
		}
		st.Versions[name] = v
	}
	for _, name := range geo.LayerNames {
		if _, ok := st.Versions[name]; !ok {
			st.Versions[name] = 0
		}
	}
	return st, rows.Err()
}

func readMeta(ctx context.Context, q querier, district string) (geo.Meta, error) {
	var raw string
	err := q.QueryRow(ctx, `SELECT value FROM `+metaTable+` WHERE district = $1 AND key = 'dataset'`, district).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return geo.Meta{}, nil
	}
	if err != nil {
		return geo.Meta{}, fmt.Errorf("read metadata: %w", err)
	}
	return data.DecodeMeta([]byte(raw))
}

// Revisions returns each layer's version: how many commits have changed
// it since the district was made.
func (s *Store) Revisions(ctx context.Context) (map[string]int64, error) {
	st, err := readState(ctx, s.pool, s.district)
	if err != nil {
		return nil, s.wrap("read versions", err)
	}
	return st.Versions, nil
}

// State returns the district's change sequence and layer versions.
func (s *Store) State(ctx context.Context) (State, error) {
	st, err := readState(ctx, s.pool, s.district)
	if err != nil {
		return State{}, s.wrap("read state", err)
	}
	return st, nil
}

// Backup writes a consistent copy of the district to file as a GeoPackage
// (which must not exist): one snapshot of the database, read while it
// stays in use. `gridwatch serve --data` serves the copy, and
// `gridwatch import --store` loads it back.
func (s *Store) Backup(ctx context.Context, file string) error {
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("postgis: backup: %s exists", file)
	}
	d, err := s.Load(ctx)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(file), ".backup-")
	if err != nil {
		return fmt.Errorf("postgis: backup: %w", err)
	}
	defer os.RemoveAll(tmp)
	g, err := data.OpenStore(ctx, tmp, data.StoreOptions{Seed: func() (*geo.Dataset, error) { return d, nil }})
	if err != nil {
		return fmt.Errorf("postgis: backup: %w", err)
	}
	if err := g.Close(); err != nil {
		return fmt.Errorf("postgis: backup: %w", err)
	}
	if err := os.Rename(filepath.Join(tmp, data.StoreFile), file); err != nil {
		return fmt.Errorf("postgis: backup: %w", err)
	}
	return nil
}

func isNetErr(err error) bool {
	var ne net.Error
	return errors.As(err, &ne)
}

var _ data.Backend = (*Store)(nil)
