package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
)

// analysis is one "gridwatch analyze" subcommand.
type analysis struct {
	// run runs it with the arguments after its name.
	run func(ctx context.Context, args []string, stdout, stderr io.Writer) error
	// summary says what it does, for the usage text.
	summary string
}

// analyses lists the analyze subcommands: one line per analysis (each
// lives in its own analyze_*.go file).
func analyses() map[string]analysis {
	return map[string]analysis{
		"coverage":   {analyzeCoverage, "video coverage per grid and the gaps that matter most; --out writes the /coverage/grids GeoJSON"},
		"load":       {analyzeLoad, "police load per grid, the staffing norm and beat–grid congruence; --out writes /load/grids"},
		"reallocate": {analyzeReallocate, "moves of police that even out the load; --out writes the plan"},
		"nearest":    {analyzeNearest, "whose a point is and its nearest responders with arrival times"},
		"placement":  {analyzePlacement, "where N new cameras see most, what they gain, and which offline cameras to fix first"},
	}
}

// analyze runs "gridwatch analyze NAME ...".
// It stops when ctx ends (Ctrl-C).
func analyze(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	all := analyses()
	if len(args) == 0 {
		fmt.Fprint(stderr, analyzeUsage(all))
		return errUsage
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, analyzeUsage(all))
		return nil
	}
	a, ok := all[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "gridwatch analyze: unknown analysis %q\n\n%s", args[0], analyzeUsage(all))
		return errUsage
	}
	return a.run(ctx, args[1:], stdout, stderr)
}

// analyzeUsage lists the analyses by name.
func analyzeUsage(all map[string]analysis) string {
	names := make([]string, 0, len(all))
	for n := range all {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	b.WriteString("Usage: gridwatch analyze ANALYSIS [flags]\n\nAnalyses:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-11s %s\n", n, all[n].summary)
	}
	b.WriteString("\nRun \"gridwatch analyze ANALYSIS -h\" for its flags.\n")
	return b.String()
}
