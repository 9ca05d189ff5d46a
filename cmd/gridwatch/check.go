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

// check runs SQLite's full integrity check over a GeoPackage store:
// `gridwatch check --data DIR`. serve runs the quick one at every start;
// this one reads every page and index, which takes longer. Exit status 1
// names the damage; 0 prints "ok".
func check(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", "", "the store directory (DIR/gridwatch.gpkg)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gridwatch check --data DIR")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *dir == "" || fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	path := filepath.Join(*dir, data.StoreFile)
	if _, err := os.Stat(path); err != nil {
		return geo.Errorf(geo.Invalid, "no store in %s (%v)", *dir, err)
	}
	s, err := data.OpenStore(ctx, *dir, data.StoreOptions{})
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Check(ctx, true); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: ok (integrity_check)\n", path)
	return nil
}
