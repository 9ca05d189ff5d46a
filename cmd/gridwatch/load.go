package main

import (
	"io"

	"gridwatch/data"
	"gridwatch/geo"
)

// loadAtlas reads the dataset folder dir (the embedded default when dir is
// empty), validates and indexes it, showing progress on a terminal.
func loadAtlas(dir string, stderr io.Writer) (*geo.Atlas, error) {
	p := newProgress(stderr)
	defer p.done()
	var ds *geo.Dataset
	var err error
	if dir == "" {
		p.stage("reading the embedded default dataset")
		ds, err = data.Default()
	} else {
		p.stage("reading " + dir)
		ds, err = data.ReadDir(dir)
	}
	if err != nil {
		return nil, err
	}
	return geo.NewAtlas(ds, geo.Options{Progress: p.stage})
}
