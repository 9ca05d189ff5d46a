package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// analyzePlacement places new cameras with the greedy planner and prints
// the plan, what it gains, and what repairing the offline cameras would
// bring back (gridwatch analyze placement).
func analyzePlacement(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("analyze placement", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataset := fs.String("dataset", "", "dataset folder (default: the embedded default dataset)")
	budget := fs.Int("budget", 50, fmt.Sprintf("new cameras, 1 to %d", coverage.MaxPlacementBudget))
	typ := fs.String("type", string(geo.TypeFixed), "camera type of the new cameras")
	fov := fs.Float64("fov", 90, "field of view of the new cameras, degrees")
	rng := fs.Float64("range", 80, "range of the new cameras, metres")
	wPop := fs.Float64("w-population", 1, "weight of a resident newly seen")
	wInc := fs.Float64("w-incidents", 1, "weight of an incident in the window newly seen")
	wPlc := fs.Float64("w-places", 1, "weight of a key place newly seen")
	onePerSite := fs.Bool("one-per-site", false, "at most one camera per site")
	variant := fs.String("variant", string(coverage.Installed), "coverage the new cameras add to: installed or operational")
	asOf := fs.String("as-of", "", "last day of the incident window, YYYY-MM-DD (default: the dataset's as-of date)")
	days := fs.Int("window-days", coverage.DefaultWindowDays, "length of the incident window, days")
	top := fs.Int("top", 10, "cameras of the plan and repairs to list")
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	vr, err := coverage.ParseVariant(*variant)
	if err != nil {
		return err
	}
	a, w, err := loadWindow(*dataset, *asOf, *days, stderr)
	if err != nil {
		return err
	}
	v, err := coverage.NewVideoContext(ctx, a, coverage.VideoOptions{})
	if err != nil {
		return err
	}
	wt := coverage.PlacementWeights{Population: *wPop, Incidents: *wInc, Places: *wPlc}
	start := time.Now()
	p, err := v.PlaceContext(ctx, coverage.PlacementOptions{Budget: *budget, Window: w, Variant: vr, Weights: wt, OnePerSite: *onePerSite,
		Camera: coverage.CameraModel{Type: geo.CameraType(*typ), FOVDeg: *fov, RangeM: *rng}})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "placement of %d %s cameras (fov %g°, range %g m) among %d candidates at %d sites, in %v (guarantee %.3f of the optimum)\n",
		len(p.Picks), *typ, *fov, *rng, p.Candidates, p.Sites, time.Since(start).Round(time.Millisecond), p.Guarantee)
	for _, pk := range p.Picks[:min(*top, len(p.Picks))] {
		fmt.Fprintf(stdout, "  %3d  %-18s grid %-8s bearing %3.0f°  gain %8.1f  (%6.1f people, %3.0f incidents, %2.0f places)\n",
			pk.Rank, pk.Site, pk.Camera.Grid, pk.Camera.BearingDeg, pk.Gain, pk.GainPopulation, pk.GainIncidents, pk.GainPlaces)
	}
	changes := make([]coverage.ScenarioChange, len(p.Picks))
	for i, pk := range p.Picks {
		changes[i] = coverage.ScenarioChange{Op: coverage.OpAdd, Camera: pk.Camera}
	}
	sc, err := v.Scenario(changes, vr, w)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "total gain %.1f: %.1f people, %.0f incidents, %.0f key places\n", p.Gain, p.GainPopulation, p.GainIncidents, p.GainPlaces)
	fmt.Fprintf(stdout, "people seen in the district: %.0f → %.0f of %.0f\n", sc.Before.PopulationCovered, sc.After.PopulationCovered, sc.Before.Population)
	printVideoUnit(stdout, "before", sc.Before)
	printVideoUnit(stdout, "after", sc.After)
	return printRepairs(stdout, v, wt, w, *top)
}

// printRepairs prints what repairing the offline cameras would bring back
// to the operational coverage, all together and one by one.
func printRepairs(stdout io.Writer, v *coverage.Video, wt coverage.PlacementWeights, w coverage.Window, top int) error {
	rp := v.Repairs(wt, w)
	fmt.Fprintf(stdout, "repairing all %d offline cameras: gain %.1f (%.1f people, %.0f incidents, %.0f key places) to the operational coverage; the first %d:\n",
		len(rp.Cameras), rp.All.Gain, rp.All.GainPopulation, rp.All.GainIncidents, rp.All.GainPlaces, min(top, len(rp.Cameras)))
	fixes := make([]coverage.ScenarioChange, len(rp.Cameras))
	for i, r := range rp.Cameras {
		fixes[i] = coverage.ScenarioChange{Op: coverage.OpFix, ID: r.Camera.ID}
	}
	sc, err := v.Scenario(fixes, coverage.Operational, w)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "people seen (operational): %.0f → %.0f of %.0f\n", sc.Before.PopulationCovered, sc.After.PopulationCovered, sc.Before.Population)
	printVideoUnit(stdout, "operational", sc.Before)
	printVideoUnit(stdout, "all fixed", sc.After)
	for i, r := range rp.Cameras[:min(top, len(rp.Cameras))] {
		fmt.Fprintf(stdout, "  %3d  %-12s grid %-8s gain %8.1f  (%6.1f people, %3.0f incidents, %2.0f places)\n",
			i+1, r.Camera.ID, r.Camera.Grid, r.Gain, r.GainPopulation, r.GainIncidents, r.GainPlaces)
	}
	return nil
}
