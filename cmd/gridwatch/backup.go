package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gridwatch/data"
	"gridwatch/geo"
)

// backup writes a consistent copy of the store to FILE while the server
// may be running: `gridwatch backup --data DIR FILE`. The copy is a
// standalone GeoPackage that QGIS opens and `serve --data` takes back
// (copied into an empty directory as gridwatch.gpkg).
func backup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", "", "the store directory (DIR/gridwatch.gpkg)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gridwatch backup --data DIR FILE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *dir == "" || fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	if _, err := os.Stat(filepath.Join(*dir, data.StoreFile)); err != nil {
		return geo.Errorf(geo.Invalid, "no store in %s (%v)", *dir, err)
	}
	store, err := data.OpenStore(ctx, *dir, data.StoreOptions{})
	if err != nil {
		return err
	}
	defer store.Close()
	file := fs.Arg(0)
	if err := store.Backup(ctx, file); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", store.Path(), file)
	return nil
}
