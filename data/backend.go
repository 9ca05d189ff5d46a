package data

import (
	"context"

	"gridwatch/geo"
)

// Backend is a durable store of a dataset, as gridwatch serve, import and
// backup use it: the GeoPackage Store (--data DIR), or the PostgreSQL +
// PostGIS store of package data/postgis (--store URL). The conformance
// suite in data/storetest holds both to the same behaviour.
type Backend interface {
	// Load reads the whole dataset.
	Load(ctx context.Context) (*geo.Dataset, error)
	// Commit writes changes in one transaction and returns once they are
	// durable: all of them or none.
	Commit(ctx context.Context, changes []Change) error
	// Revisions returns a number per layer that grows with every commit
	// that changes the layer and stays put otherwise.
	Revisions(ctx context.Context) (map[string]int64, error)
	// Ping checks that the store answers.
	Ping(ctx context.Context) error
	// Backup writes a consistent copy of the dataset to file, a new
	// GeoPackage, while the store stays in use.
	Backup(ctx context.Context, file string) error
	// SchemaVersion returns the layout version of the store.
	SchemaVersion(ctx context.Context) (int, error)
	// Close releases the store.
	Close() error
}

var _ Backend = (*Store)(nil)
