package data

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"gridwatch/geo"
)

// MetaFile is the name of a dataset folder's metadata file.
const MetaFile = "meta.json"

// metaJSON is the on-disk form of geo.Meta (as_of as a date).
type metaJSON struct {
	Name        string  `json:"name"`
	Description string  `json:"description,omitempty"`
	Synthetic   bool    `json:"synthetic"`
	AsOf        string  `json:"as_of,omitempty"`
	Seed        int64   `json:"seed,omitempty"`
	Scale       float64 `json:"scale,omitempty"`
}

// ReadDir reads a dataset folder: meta.json (optional) and, for each layer,
// LAYER.geojson, LAYER.geojson.gz or (point layers) LAYER.csv. A missing
// layer file is an empty layer; a missing folder is an Invalid error
// saying "no such directory". Every problem of every file is reported at
// once: when some features do not decode, the others are still checked
// (see ReadFS).
func ReadDir(dir string) (*geo.Dataset, error) {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, geo.Errorf(geo.Invalid, "%s: no such directory", dir)
	case err != nil:
		return nil, err
	case !st.IsDir():
		return nil, geo.Errorf(geo.Invalid, "%s: not a directory (a dataset is a folder of layer files)", dir)
	}
	return ReadFS(os.DirFS(dir))
}

// ReadFS reads a dataset folder from a file system, as ReadDir. When some
// features do not decode (a required value missing, a wrong type), the
// features that do are checked as geo.NewAtlas checks them, and their
// problems are reported with the decoding ones, each at its feature's
// position in its file: a missing value does not hide the rest. Problems
// that the missing features could cause (references between features, the
// tiling of the district) wait until those are fixed.
func ReadFS(fsys fs.FS) (*geo.Dataset, error) {
	d := &geo.Dataset{}
	if raw, err := fs.ReadFile(fsys, MetaFile); err == nil {
		m, err := decodeMeta(raw)
		if err != nil {
			return nil, err
		}
		d.Meta = m
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var all geo.Problems
	found := 0
	at := map[string][]int{}
	for _, layer := range geo.LayerNames {
		items, pos, ps, err := readLayer(fsys, layer)
		if err != nil {
			var ge *geo.Error
			if errors.As(err, &ge) && len(ge.Problems) > 0 {
				all = append(all, ge.Problems...)
				continue
			}
			return nil, err
		}
		all = append(all, ps...)
		if items != nil {
			found++
		}
		at[layer] = pos
		if err := d.SetLayer(layer, items); err != nil {
			return nil, err
		}
	}
	if len(all) > 0 {
		all = append(all, featureProblems(d, at)...)
		return nil, all.Err("invalid dataset files")
	}
	if found == 0 {
		return nil, geo.Errorf(geo.Invalid, "no layer files (expected files such as grids.geojson)")
	}
	return d, nil
}

// referenceFields are the fields whose problems a feature that did not
// decode may cause: references to it.
var referenceFields = map[string]bool{"village": true, "township": true, "station": true, "grids": true, "grid": true}

// featureProblems checks the features that decoded as geo.NewAtlas does
// and returns the problems of single features that no missing feature can
// have caused, each at its feature's position in its file (at).
func featureProblems(d *geo.Dataset, at map[string][]int) geo.Problems {
	_, err := geo.NewAtlas(d, geo.Options{})
	var ge *geo.Error
	if !errors.As(err, &ge) {
		return nil
	}
	var out geo.Problems
	for _, p := range ge.Problems {
		pos, ok := at[p.Layer]
		if p.Index < 0 || !ok || p.Index >= len(pos) || referenceFields[p.Field] {
			continue
		}
		p.Index = pos[p.Index]
		out = append(out, p)
	}
	return out
}

func decodeMeta(raw []byte) (geo.Meta, error) {
	var mj metaJSON
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&mj); err != nil {
		return geo.Meta{}, &geo.Error{Code: geo.Invalid, Message: MetaFile, Err: err}
	}
	m := geo.Meta{Name: mj.Name, Description: mj.Description, Synthetic: mj.Synthetic, Seed: mj.Seed, Scale: mj.Scale}
	if mj.AsOf != "" {
		t, err := time.Parse(DateLayout, mj.AsOf)
		if err != nil {
			return geo.Meta{}, &geo.Error{Code: geo.Invalid, Problems: []geo.Problem{{Layer: "meta", Index: -1, Field: "as_of",
				Expected: fmt.Sprintf("a date YYYY-MM-DD, got %q", mj.AsOf)}}, Message: MetaFile}
		}
		m.AsOf = t
	}
	return m, nil
}

// readLayer reads one layer's file, or returns nil when there is none: the
// features that decode, their positions in the file, and the problems of
// the others (a CSV file with problems is refused whole, as an error).
func readLayer(fsys fs.FS, layer string) ([]geo.Feature, []int, geo.Problems, error) {
	var present []string
	for _, name := range []string{layer + ".geojson", layer + ".geojson.gz", layer + ".csv"} {
		if _, err := fs.Stat(fsys, name); err == nil {
			present = append(present, name)
		}
	}
	switch len(present) {
	case 0:
		return nil, nil, nil, nil
	case 1:
	default:
		return nil, nil, nil, geo.Errorf(geo.Invalid, "%s: more than one file (%v); keep one", layer, present)
	}
	name := present[0]
	f, err := fsys.Open(name)
	if err != nil {
		return nil, nil, nil, err
	}
	defer f.Close()
	var r io.Reader = f
	switch filepath.Ext(name) {
	case ".gz":
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, nil, nil, &geo.Error{Code: geo.Invalid, Message: name, Err: err}
		}
		defer zr.Close()
		r = zr
	case ".csv":
		items, err := DecodeCSV(layer, r)
		pos := make([]int, len(items))
		for i := range pos {
			pos[i] = i
		}
		return items, pos, nil, err
	}
	return decodeGeoJSONPartial(layer, r)
}

// WriteDir writes a dataset folder that ReadDir reads back: meta.json and one
// LAYER.geojson per layer, or LAYER.geojson.gz when compress is set (gzip
// with no time stamp, so the same dataset gives the same bytes).
func WriteDir(dir string, d *geo.Dataset, compress bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	mj := metaJSON{Name: d.Meta.Name, Description: d.Meta.Description, Synthetic: d.Meta.Synthetic,
		Seed: d.Meta.Seed, Scale: d.Meta.Scale}
	if !d.Meta.AsOf.IsZero() {
		mj.AsOf = d.Meta.AsOf.Format(DateLayout)
	}
	meta, err := json.MarshalIndent(mj, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, MetaFile), append(meta, '\n'), 0o644); err != nil {
		return err
	}
	for _, layer := range geo.LayerNames {
		var buf bytes.Buffer
		name := layer + ".geojson"
		if compress {
			name += ".gz"
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			if err := EncodeGeoJSON(zw, d.Layer(layer)); err != nil {
				return fmt.Errorf("%s: %w", layer, err)
			}
			if err := zw.Close(); err != nil {
				return err
			}
		} else if err := EncodeGeoJSON(&buf, d.Layer(layer)); err != nil {
			return fmt.Errorf("%s: %w", layer, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}
