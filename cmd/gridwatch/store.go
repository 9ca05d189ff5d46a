package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gridwatch/data"
	"gridwatch/data/postgis"
	"gridwatch/geo"
)

// storeEnv names the variable that gives --store its default.
const storeEnv = "GRIDWATCH_STORE"

// storeFlags choose the durable store: the GeoPackage in --data DIR, or
// the PostgreSQL + PostGIS database at --store URL.
type storeFlags struct {
	dataDir  string
	url      string
	district string
}

// register adds --data, --store and --district to fs; dataHelp says what
// --data does for the command.
func (f *storeFlags) register(fs *flag.FlagSet, dataHelp string) {
	fs.StringVar(&f.dataDir, "data", "", dataHelp)
	fs.StringVar(&f.url, "store", os.Getenv(storeEnv), "PostgreSQL + PostGIS store: postgres://user@host:port/db?sslmode=... (default $"+storeEnv+")")
	fs.StringVar(&f.district, "district", postgis.DefaultDistrict, "with --store: the district whose rows to use (tables hold several)")
}

// given reports whether a store was named.
func (f storeFlags) given() bool { return f.dataDir != "" || f.url != "" }

// check refuses --data with --store.
func (f storeFlags) check(cmd string, stderr io.Writer) error {
	if f.dataDir != "" && f.url != "" {
		fmt.Fprintf(stderr, "gridwatch %s: --data (GeoPackage) and --store (PostgreSQL) exclude each other\n", cmd)
		return errUsage
	}
	return nil
}

// where names the store for messages.
func (f storeFlags) where() string {
	if f.url != "" {
		return "PostgreSQL store"
	}
	return filepath.Join(f.dataDir, data.StoreFile)
}

// open opens the store named by the flags (seeding a new one from seed).
// existing refuses a --data directory without a store in it.
func (f storeFlags) open(ctx context.Context, seed func() (*geo.Dataset, error), existing bool) (data.Backend, error) {
	if f.url != "" {
		return postgis.Open(ctx, f.url, postgis.Options{District: f.district, Seed: seed})
	}
	if existing {
		if _, err := os.Stat(filepath.Join(f.dataDir, data.StoreFile)); err != nil {
			return nil, geo.Errorf(geo.Invalid, "no store in %s (%v)", f.dataDir, err)
		}
	}
	return data.OpenStore(ctx, f.dataDir, data.StoreOptions{Seed: seed})
}

// migrateStore brings a PostgreSQL store's tables to this program's schema
// version: `gridwatch migrate --store URL` (serve also does it on start).
func migrateStore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("store", os.Getenv(storeEnv), "PostgreSQL + PostGIS store: postgres://user@host:port/db?sslmode=... (default $"+storeEnv+")")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: gridwatch migrate --store URL")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	if *url == "" || fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	from, to, err := postgis.Migrate(ctx, *url)
	if err != nil {
		return err
	}
	if from == to {
		fmt.Fprintf(stdout, "schema version %d: up to date\n", to)
		return nil
	}
	fmt.Fprintf(stdout, "migrated the schema from version %d to %d\n", from, to)
	return nil
}
