package main

import (
	"context"
	"flag"
	"fmt"
	"io"
)

// backup writes a consistent copy of the store to FILE while the server
// may be running: `gridwatch backup --data DIR FILE` or `gridwatch backup
// --store URL FILE`. The copy is a standalone GeoPackage that QGIS opens,
// `serve --data` takes back (copied into an empty directory as
// gridwatch.gpkg) and `import --store URL` loads into PostgreSQL.
func backup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf storeFlags
	sf.register(fs, "the store directory (DIR/gridwatch.gpkg)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: gridwatch backup --data DIR FILE\n       gridwatch backup --store URL FILE")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	if err := sf.check("backup", stderr); err != nil {
		return err
	}
	if !sf.given() || fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	store, err := sf.open(ctx, nil, true)
	if err != nil {
		return err
	}
	defer store.Close()
	file := fs.Arg(0)
	if err := store.Backup(ctx, file); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", sf.where(), file)
	return nil
}
