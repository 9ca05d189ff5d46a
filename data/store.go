package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"

	"gridwatch/geo"
)

// StoreFile is the name of the GeoPackage in a store directory.
const StoreFile = "gridwatch.gpkg"

// Store is the durable store of a dataset: one GeoPackage (SQLite in WAL
// mode, synchronous=FULL) with a feature table per layer, which QGIS and
// GDAL open directly. A Commit is one transaction: it is on disk (the WAL
// fsynced) when Commit returns, all of it or none of it.
type Store struct {
	db   *sql.DB
	path string
	mu   sync.Mutex // serialises commits
	// stmts are the statements commits run, prepared once (by SQL text;
	// guarded by mu): parsing the upsert of a layer again for every commit
	// was a third of a small commit's CPU.
	stmts stmtCache
}

// stmtCache prepares statements once on a database and hands them to
// transactions; a nil cache (or one without a database) prepares them in
// the transaction each time.
type stmtCache struct {
	db   *sql.DB
	byQL map[string]*sql.Stmt
}

// exec runs query with args in tx through the cache.
func (c *stmtCache) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) error {
	st, err := c.stmt(ctx, tx, query)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, args...)
	return err
}

// stmt returns query prepared for tx.
func (c *stmtCache) stmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	if c == nil || c.db == nil {
		return tx.PrepareContext(ctx, query)
	}
	st, ok := c.byQL[query]
	if !ok {
		var err error
		if st, err = c.db.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		if c.byQL == nil {
			c.byQL = map[string]*sql.Stmt{}
		}
		c.byQL[query] = st
	}
	return tx.StmtContext(ctx, st), nil
}

// close closes the prepared statements.
func (c *stmtCache) close() {
	for _, st := range c.byQL {
		_ = st.Close()
	}
	c.byQL = nil
}

// StoreOptions tune OpenStore.
type StoreOptions struct {
	// Seed returns the dataset that fills a new (empty) store; nil leaves a
	// new store with empty layers.
	Seed func() (*geo.Dataset, error)
}

// Change is one accepted write to the dataset.
type Change struct {
	// Layer is the layer written; empty for a change of Meta alone.
	Layer string
	// IfVersion, when not 0, is the layer version a conditional write
	// (If-Match) was checked against: a store that several processes
	// write (PostGIS) refuses the commit with a geo.Precondition error
	// when the layer is at another version in it. The GeoPackage store,
	// which one process owns, leaves the check to that process.
	IfVersion uint64
	// Replace makes Items the layer's whole content.
	Replace bool
	// Items are the items added or replaced (by id, in place); with
	// Replace, every item of the layer in order.
	Items []geo.Feature
	// Remove lists the ids of items to delete.
	Remove []string
	// Meta, when set, becomes the dataset's metadata.
	Meta *geo.Meta
}

// OpenStore opens the store in dir, creating dir and the GeoPackage when
// they do not exist, migrating an older schema, and seeding a new store
// from opt.Seed.
func OpenStore(ctx context.Context, dir string, opt StoreOptions) (*Store, error) {
	// Police data: only the server's user may read the store.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data: store directory: %w", err)
	}
	path := filepath.Join(dir, StoreFile)
	created, err := prepareStoreFile(dir)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", storeDSN(path))
	if err != nil {
		return nil, fmt.Errorf("data: open %s: %w", path, err)
	}
	s := &Store{db: db, path: path, stmts: stmtCache{db: db}}
	if !created {
		// A damaged store is refused before anything reads or seeds it.
		if err := s.Check(ctx, false); err != nil {
			_ = db.Close()
			return nil, err
		}
	}
	if err := s.init(ctx, opt); err != nil {
		_ = db.Close()
		if created {
			_ = os.Remove(path)
		}
		return nil, fmt.Errorf("data: open %s: %w", path, err)
	}
	return s, nil
}

// storeDSN asks for WAL mode, a commit that fsyncs the WAL
// (synchronous=FULL), a wait on a busy database instead of an error, and
// transactions that take the write lock when they begin.
func storeDSN(path string) string {
	return "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(FULL)&_pragma=foreign_keys(ON)&_txlock=immediate"
}

func (s *Store) init(ctx context.Context, opt StoreOptions) error {
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return err
	}
	if mode != "wal" {
		return fmt.Errorf("journal mode is %q, expected wal", mode)
	}
	found, err := schemaVersion(ctx, s.db)
	if err != nil {
		return err
	}
	var seed *geo.Dataset
	if found == 0 && opt.Seed != nil {
		if seed, err = opt.Seed(); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		from, err := migrate(ctx, tx, StoreSchemaVersion)
		if err != nil {
			return err
		}
		if from != 0 || seed == nil {
			return nil
		}
		changes := []Change{{Meta: &seed.Meta}}
		for _, name := range geo.LayerNames {
			changes = append(changes, Change{Layer: name, Replace: true, Items: seed.Layer(name)})
		}
		return applyChanges(ctx, tx, changes, nil)
	})
	if err != nil || found != 0 {
		return err
	}
	// Readers that look at the file header of a new store (GDAL checks
	// application_id) must find it in the main file, not only in the WAL.
	if _, err := s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

// Path returns the GeoPackage's file name.
func (s *Store) Path() string { return s.path }

// Close closes the store (checkpointing its WAL).
func (s *Store) Close() error {
	s.mu.Lock()
	s.stmts.close()
	s.mu.Unlock()
	return s.db.Close()
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("data: store %s: %w", s.path, err)
	}
	return nil
}

// SchemaVersion returns the store's schema version.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	return schemaVersion(ctx, s.db)
}

// Load reads the whole dataset. A store whose rows break the layer schemas
// (edited by hand) gives an Invalid error listing every problem.
func (s *Store) Load(ctx context.Context) (*geo.Dataset, error) {
	d := &geo.Dataset{}
	var all geo.Problems
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var raw string
		err := tx.QueryRowContext(ctx, `SELECT value FROM `+metaTable+` WHERE key = 'dataset'`).Scan(&raw)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("read metadata: %w", err)
		default:
			if d.Meta, err = decodeMeta([]byte(raw)); err != nil {
				return err
			}
		}
		for _, sc := range Schemas {
			items, ps, err := readLayerRows(ctx, tx, sc)
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
		return nil, fmt.Errorf("data: load %s: %w", s.path, err)
	}
	if err := all.Err("invalid rows in " + s.path); err != nil {
		return nil, err
	}
	return d, nil
}

// Commit writes changes in one transaction and returns once it is on disk:
// either every change is stored or none is.
func (s *Store) Commit(ctx context.Context, changes []Change) error {
	if len(changes) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.inTx(ctx, func(tx *sql.Tx) error { return applyChanges(ctx, tx, changes, &s.stmts) }); err != nil {
		return fmt.Errorf("data: commit %d changes to %s: %w", len(changes), s.path, err)
	}
	return nil
}

// Revisions returns, for each layer, how many changes have been committed
// to it since the store was made.
func (s *Store) Revisions(ctx context.Context) (map[string]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT layer, revision FROM gridwatch_layers`)
	if err != nil {
		return nil, fmt.Errorf("data: read revisions: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var name string
		var rev int64
		if err := rows.Scan(&name, &rev); err != nil {
			return nil, err
		}
		out[name] = rev
	}
	return out, rows.Err()
}

// Backup writes a consistent copy of the store to file (which must not
// exist), while the store stays in use: SQLite's VACUUM INTO reads one
// snapshot.
func (s *Store) Backup(ctx context.Context, file string) error {
	// The copy holds police data: it is created 0600 (VACUUM INTO fills
	// an empty file and keeps its mode).
	f, err := os.OpenFile(file, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("data: backup: %s exists", file)
	} else if err != nil {
		return fmt.Errorf("data: backup: %w", err)
	}
	_ = f.Close()
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, file); err != nil {
		_ = os.Remove(file)
		return fmt.Errorf("data: backup %s to %s: %w", s.path, file, err)
	}
	return nil
}

func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// applyChanges writes changes in tx, with the statements of stmts (nil:
// prepared in tx).
func applyChanges(ctx context.Context, tx *sql.Tx, changes []Change, stmts *stmtCache) error {
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	touched := map[string]int{}
	for i, c := range changes {
		if c.Meta != nil {
			if err := putMeta(ctx, tx, *c.Meta); err != nil {
				return err
			}
		}
		if c.Layer == "" {
			continue
		}
		sc, ok := SchemaOf(c.Layer)
		if !ok {
			return geo.Errorf(geo.NotFound, "change %d: no layer %q", i, c.Layer)
		}
		if err := applyChange(ctx, tx, sc, c, stmts); err != nil {
			return fmt.Errorf("change %d (%s): %w", i, c.Layer, err)
		}
		touched[c.Layer]++
	}
	for layer, n := range touched {
		if err := stmts.exec(ctx, tx, `UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?`, now, layer); err != nil {
			return fmt.Errorf("update gpkg_contents: %w", err)
		}
		if err := stmts.exec(ctx, tx, `INSERT INTO gridwatch_layers (layer, revision, last_change) VALUES (?, ?, ?)
			ON CONFLICT(layer) DO UPDATE SET revision = revision + excluded.revision, last_change = excluded.last_change`,
			layer, n, now); err != nil {
			return fmt.Errorf("update gridwatch_layers: %w", err)
		}
	}
	return nil
}

func applyChange(ctx context.Context, tx *sql.Tx, sc LayerSchema, c Change, stmts *stmtCache) error {
	if c.Replace {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+ident(sc.Name)); err != nil {
			return err
		}
	}
	for _, id := range c.Remove {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+ident(sc.Name)+` WHERE "id" = ?`, id); err != nil {
			return err
		}
	}
	if len(c.Items) == 0 {
		return nil
	}
	st, err := stmts.stmt(ctx, tx, upsertSQL(sc))
	if err != nil {
		return err
	}
	defer st.Close() // the transaction's copy; the cache keeps its own
	for _, it := range c.Items {
		vals, err := rowValues(sc, it)
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(ctx, vals...); err != nil {
			return fmt.Errorf("%s %q: %w", sc.Name, it.FeatureID(), err)
		}
	}
	return nil
}

func putMeta(ctx context.Context, tx *sql.Tx, m geo.Meta) error {
	raw, err := EncodeMeta(m)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO `+metaTable+` (key, value) VALUES ('dataset', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, string(raw))
	return err
}
