package main

import (
	"io"
	"time"

	"gridwatch/coverage"
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

// loadWindow reads the dataset (see loadAtlas) and the analysis window of
// days days ending on the --as-of date asOf (YYYY-MM-DD; empty: the
// dataset's as-of date, else today).
func loadWindow(dir, asOf string, days int, stderr io.Writer) (*geo.Atlas, coverage.Window, error) {
	var end time.Time
	if asOf != "" {
		t, err := time.Parse(time.DateOnly, asOf)
		if err != nil {
			return nil, coverage.Window{}, geo.Errorf(geo.Invalid, "--as-of: expected a date YYYY-MM-DD, got %q", asOf)
		}
		end = t
	}
	a, err := loadAtlas(dir, stderr)
	if err != nil {
		return nil, coverage.Window{}, err
	}
	w, err := coverage.NewWindow(a, end, days, time.Now())
	if err != nil {
		return nil, coverage.Window{}, err
	}
	return a, w, nil
}
