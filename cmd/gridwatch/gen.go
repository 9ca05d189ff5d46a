package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"gridwatch/data"
)

func gen(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "dataset folder to write (required)")
	seed := fs.Int64("seed", data.DefaultSeed, "random seed: the same seed, scale and as-of give the same bytes")
	scale := fs.Float64("scale", 1, "size: 1 is a Hongsibao-sized district (about 3,500 km², 500 grids); S multiplies counts and area")
	asOf := fs.String("as-of", data.DefaultAsOf.Format(data.DateLayout), "the dataset's as-of date, YYYY-MM-DD; incidents fall in the year before it")
	gz := fs.Bool("gzip", false, "write LAYER.geojson.gz instead of LAYER.geojson")
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(stderr, "gridwatch gen: --out is required")
		fs.Usage()
		return errUsage
	}
	if !(*scale >= 0.01 && *scale <= 50) {
		fmt.Fprintf(stderr, "gridwatch gen: --scale must be in [0.01, 50], got %g\n", *scale)
		return errUsage
	}
	day, err := time.Parse(data.DateLayout, *asOf)
	if err != nil {
		fmt.Fprintf(stderr, "gridwatch gen: --as-of must be a date YYYY-MM-DD, got %q\n", *asOf)
		return errUsage
	}
	p := newProgress(stderr)
	ds, err := data.Generate(data.GenerateOptions{Seed: *seed, Scale: *scale, AsOf: day, Progress: p.step})
	if err != nil {
		return err
	}
	p.stage("writing " + *out)
	if err := data.WriteDir(*out, ds, *gz); err != nil {
		return err
	}
	p.done()
	c := ds.Counts()
	fmt.Fprintf(stdout, "wrote %s: %d grids, %d villages, %d townships, %d beats, %d cameras, %d responders, %d incidents, %d settlements, %d places\n",
		*out, c["grids"], c["villages"], c["townships"], c["beats"], c["cameras"], c["responders"], c["incidents"], c["settlements"], c["places"])
	return nil
}
