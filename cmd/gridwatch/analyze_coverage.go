package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"gridwatch/api"
	"gridwatch/coverage"
)

// analyzeCoverage prints the district's video coverage in both variants
// and the gaps that matter most (gridwatch analyze coverage), and writes
// the /coverage/grids GeoJSON with --out.
func analyzeCoverage(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("analyze coverage", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataset := fs.String("dataset", "", "dataset folder (default: the embedded default dataset)")
	res := fs.Int("resolution", coverage.DefaultVideoResolution, fmt.Sprintf("H3 resolution, %d to %d", coverage.MinVideoResolution, coverage.MaxVideoResolution))
	variant := fs.String("variant", string(coverage.Installed), "cameras counted in the GeoJSON: installed or operational")
	asOf := fs.String("as-of", "", "last day of the incident window, YYYY-MM-DD (default: the dataset's as-of date)")
	days := fs.Int("window-days", coverage.DefaultWindowDays, "length of the incident window, days")
	top := fs.Int("top", 5, "gaps to list")
	out := fs.String("out", "", "write the /coverage/grids GeoJSON (as the API gives it) to this file")
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	v, err := coverage.ParseVariant(*variant)
	if err != nil {
		return err
	}
	if err := coverage.CheckVideoResolution(*res); err != nil {
		return err
	}
	a, w, err := loadWindow(*dataset, *asOf, *days, stderr)
	if err != nil {
		return err
	}
	start := time.Now()
	video, err := coverage.NewVideoContext(ctx, a, coverage.VideoOptions{Resolution: *res})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "video coverage at H3 resolution %d, computed in %v\n", *res, time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "incidents in the window: as_of %s, %d days, (%s, %s]\n", w.End.In(coverage.China).Format(time.DateOnly), w.Days,
		w.Start().Format(time.RFC3339), w.End.Format(time.RFC3339Nano))
	for _, vr := range coverage.Variants {
		printVideoUnit(stdout, string(vr), video.Summary(coverage.LevelDistrict, vr, w)[0].VideoFigures)
	}
	gaps, n := video.Gaps(coverage.VideoGapQuery{Variant: v, Window: w, Limit: *top})
	fmt.Fprintf(stdout, "%d gaps (%s); the first %d by priority:\n", n, v, len(gaps))
	for _, g := range gaps {
		fmt.Fprintf(stdout, "  %-24s grid %-8s %8.0f m² %7.1f people %3d incidents %2d places  priority %.1f\n",
			g.ID, g.Grid.ID, g.AreaM2, g.Population, g.Incidents, g.Places, g.Priority)
	}
	if *out == "" {
		return nil
	}
	fc := api.GridCoverageFeatures(ctx, video.Grids(v, w), nil)
	fc.ExtraMembers = map[string]any{"variant": v, "resolution": *res, "surface_resolution": video.SurfaceResolution(),
		"window": map[string]any{"as_of": w.End.In(coverage.China).Format(time.DateOnly), "days": w.Days,
			"start": w.Start().Format(time.RFC3339), "end": w.End.Format(time.RFC3339Nano)},
		"numberReturned": len(fc.Features)}
	return writeGeoJSONFile(*out, fc)
}

// printVideoUnit prints the shares of one roll-up.
func printVideoUnit(w io.Writer, name string, f coverage.VideoFigures) {
	pct := func(s *float64) string {
		if s == nil {
			return "  n/a"
		}
		return fmt.Sprintf("%5.1f%%", 100**s)
	}
	sh := f.Shares()
	fmt.Fprintf(w, "%-11s area %s  settlements %s  people %s  incidents %s  key places %s  cameras %.0f (%s online)\n",
		name, pct(sh.Area), pct(sh.SettlementArea), pct(sh.Population), pct(sh.Incidents), pct(sh.Places), f.Cameras, pct(sh.OnlineRate))
}
