package main

import (
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gridwatch/data"
	"gridwatch/geo"
)

// importFlags are the flags of `gridwatch import`.
type importFlags struct {
	store  storeFlags
	dryRun bool
}

// importLayers loads layer files into the durable store: each PATH is a
// dataset folder (every layer file in it, and meta.json) or one layer file
// named LAYER.geojson, LAYER.geojson.gz or LAYER.csv. Each layer given
// replaces that layer whole. The resulting dataset is validated as a
// whole and written in one transaction: all of it or nothing.
func importLayers(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f importFlags
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f.store.register(fs, "the store directory (DIR/gridwatch.gpkg; created empty when missing)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "validate and report, but store nothing")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: gridwatch import --data DIR|--store URL [--dry-run] PATH...\n\nPATH is a dataset folder or a layer file (LAYER.geojson, LAYER.geojson.gz, LAYER.csv).")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	if err := f.store.check("import", stderr); err != nil {
		return err
	}
	if !f.store.given() || fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	store, err := f.store.open(ctx, nil, false)
	if err != nil {
		return err
	}
	defer store.Close()
	ds, err := store.Load(ctx)
	if err != nil {
		return err
	}
	changes, err := readImports(fs.Args(), ds)
	if err != nil {
		return err
	}
	if _, err := geo.NewAtlas(ds, geo.Options{}); err != nil {
		return fmt.Errorf("the dataset after the import is invalid; nothing was stored: %w", err)
	}
	for _, c := range changes {
		if c.Layer != "" {
			fmt.Fprintf(stdout, "%s: %d features\n", c.Layer, len(c.Items))
		}
	}
	if f.dryRun {
		fmt.Fprintln(stdout, "dry run: valid; nothing stored")
		return nil
	}
	if err := store.Commit(ctx, changes); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported into %s\n", f.store.where())
	return nil
}

// readImports reads every PATH into ds (replacing the layers it names) and
// returns the changes to store. Every problem of every file is reported.
func readImports(paths []string, ds *geo.Dataset) ([]data.Change, error) {
	var changes []data.Change
	var all geo.Problems
	for _, p := range paths {
		cs, err := readImport(p)
		var ge *geo.Error
		if errors.As(err, &ge) && len(ge.Problems) > 0 {
			all = append(all, ge.Problems...)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		for _, c := range cs {
			if c.Meta != nil {
				ds.Meta = *c.Meta
			}
			if c.Layer != "" {
				if err := ds.SetLayer(c.Layer, c.Items); err != nil {
					return nil, err
				}
			}
		}
		changes = append(changes, cs...)
	}
	if err := all.Err("invalid layer files; nothing was stored"); err != nil {
		return nil, err
	}
	return changes, nil
}

// readImport reads one PATH.
func readImport(path string) ([]data.Change, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		layer, items, err := readLayerFile(path)
		if err != nil {
			return nil, err
		}
		return []data.Change{{Layer: layer, Replace: true, Items: items}}, nil
	}
	d, err := data.ReadDir(path)
	if err != nil {
		return nil, err
	}
	var out []data.Change
	if _, err := os.Stat(filepath.Join(path, data.MetaFile)); err == nil {
		m := d.Meta
		out = append(out, data.Change{Meta: &m})
	}
	for _, layer := range geo.LayerNames {
		if layerFileIn(path, layer) {
			out = append(out, data.Change{Layer: layer, Replace: true, Items: d.Layer(layer)})
		}
	}
	return out, nil
}

// layerFileIn reports whether the folder has a file of the layer.
func layerFileIn(dir, layer string) bool {
	for _, ext := range []string{".geojson", ".geojson.gz", ".csv"} {
		if _, err := os.Stat(filepath.Join(dir, layer+ext)); err == nil {
			return true
		}
	}
	return false
}

// readLayerFile reads LAYER.geojson, LAYER.geojson.gz or LAYER.csv.
func readLayerFile(path string) (string, []geo.Feature, error) {
	base := filepath.Base(path)
	var layer, kind string
	for _, ext := range []string{".geojson.gz", ".geojson", ".csv"} {
		if strings.HasSuffix(base, ext) {
			layer, kind = strings.TrimSuffix(base, ext), ext
			break
		}
	}
	if _, ok := data.SchemaOf(layer); !ok {
		return "", nil, geo.Errorf(geo.Invalid, "%s: name a layer file LAYER.geojson, LAYER.geojson.gz or LAYER.csv, where LAYER is one of %s",
			path, strings.Join(geo.LayerNames, ", "))
	}
	file, err := os.Open(path)
	if err != nil {
		return "", nil, err
	}
	defer file.Close()
	var r io.Reader = file
	var items []geo.Feature
	switch kind {
	case ".csv":
		items, err = data.DecodeCSV(layer, r)
	case ".geojson.gz":
		zr, zerr := gzip.NewReader(file)
		if zerr != nil {
			return "", nil, &geo.Error{Code: geo.Invalid, Message: path, Err: zerr}
		}
		defer zr.Close()
		items, err = data.DecodeGeoJSON(layer, zr)
	default:
		items, err = data.DecodeGeoJSON(layer, r)
	}
	return layer, items, err
}
