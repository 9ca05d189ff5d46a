package main

import (
	"flag"
	"fmt"
	"io"
	"sort"
)

func validate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), "usage: gridwatch validate DIR") }
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	a, err := loadAtlas(fs.Arg(0), stderr)
	if err != nil {
		return err
	}
	counts := a.Dataset().Counts()
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(stdout, "%s: valid\n", fs.Arg(0))
	for _, n := range names {
		fmt.Fprintf(stdout, "  %-12s %d\n", n, counts[n])
	}
	fmt.Fprintf(stdout, "  grids tile the district (checked on %d H3 cells at resolution %d, about %.0f m² each)\n",
		a.Tiling.Cells, a.Tiling.Resolution, a.Tiling.CellAreaM2)
	return nil
}
