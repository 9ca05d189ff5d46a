package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/paulmach/orb/geojson"

	"gridwatch/api"
	"gridwatch/coverage"
	"gridwatch/geo"
)

// loadFlags are the flags of the load analysis, shared by analyze load and
// analyze reallocate (the query parameters of /load/grids).
type loadFlags struct {
	dataset, asOf, split, out           string
	days, normGrid, normPolice, normAux int
	residents, households, inc, area    float64
}

func (f *loadFlags) register(fs *flag.FlagSet) {
	w, n := coverage.DefaultLoadWeights(), coverage.DefaultNorm()
	fs.StringVar(&f.dataset, "dataset", "", "dataset folder (default: the embedded default dataset)")
	fs.StringVar(&f.asOf, "as-of", "", "last day of the incident window, YYYY-MM-DD (default: the dataset's as-of date)")
	fs.IntVar(&f.days, "window-days", coverage.DefaultWindowDays, "length of the incident window, days")
	fs.Float64Var(&f.residents, "weight-residents", w.Residents, "weight of residents per police officer")
	fs.Float64Var(&f.households, "weight-households", w.Households, "weight of households per police officer")
	fs.Float64Var(&f.inc, "weight-incidents", w.Incidents, "weight of incidents per police officer")
	fs.Float64Var(&f.area, "weight-area", w.Area, "weight of km² per police officer")
	fs.StringVar(&f.split, "split", string(coverage.SplitEqual), "how a responder is shared among their grids: equal or demand")
	fs.IntVar(&f.normGrid, "norm-grid-police", n.GridPolice, "grid norm: least police officers linked to a grid")
	fs.IntVar(&f.normPolice, "norm-police", n.BeatPolice, "beat norm: least police officers working in a beat")
	fs.IntVar(&f.normAux, "norm-auxiliaries", n.BeatAuxiliaries, "beat norm: least auxiliaries working in a beat")
	fs.StringVar(&f.out, "out", "", "write the GeoJSON answer (as the API gives it) to this file")
}

// load reads the dataset and computes the load under the flags.
func (f *loadFlags) load(stderr io.Writer) (*geo.Atlas, *coverage.LoadResult, error) {
	split, err := coverage.ParseSplit(f.split)
	if err != nil {
		return nil, nil, err
	}
	a, w, err := loadWindow(f.dataset, f.asOf, f.days, stderr)
	if err != nil {
		return nil, nil, err
	}
	norm := coverage.DefaultNorm()
	norm.GridPolice, norm.BeatPolice, norm.BeatAuxiliaries = f.normGrid, f.normPolice, f.normAux
	l, err := coverage.Load(a, coverage.LoadOptions{Window: w, Split: split, Norm: &norm,
		Weights: coverage.LoadWeights{Residents: f.residents, Households: f.households, Incidents: f.inc, Area: f.area}})
	return a, l, err
}

// analyzeLoad prints the district's police load, staffing-norm compliance
// and beat–grid congruence (gridwatch analyze load), and writes the
// /load/grids GeoJSON with --out.
func analyzeLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("analyze load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f loadFlags
	f.register(fs)
	top := fs.Int("top", 10, "how many of the most loaded grids to list")
	congruence := fs.Bool("congruence", true, "also measure beat–grid congruence")
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	a, l, err := f.load(stderr)
	if err != nil {
		return err
	}
	printLoad(stdout, a, l, *top)
	if *congruence {
		c, err := coverage.Congruence(ctx, a, coverage.CongruenceOptions{SplitTolerance: coverage.DefaultSplitTolerance})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "beat–grid congruence: score %.4f (share of grid area in its dominant beat); %d of %d grids split across beats, %d in no beat\n",
			c.Score, c.SplitGrids, len(c.Grids), c.GridsWithoutBeat)
	}
	return writeGeoJSONFile(f.out, api.LoadGridsCollection(l))
}

// printLoad prints compliance and the most loaded grids.
func printLoad(w io.Writer, a *geo.Atlas, l *coverage.LoadResult, top int) {
	c := l.Compliance
	fmt.Fprintf(w, "dataset %q, incidents in %d days to %s\n", a.Meta.Name, l.Options.Window.Days,
		l.Options.Window.End.In(coverage.China).Format(time.DateOnly))
	fmt.Fprintf(w, "grids with fewer than %d linked police officer(s) (一格一警): %d of %d\n",
		c.Norm.GridPolice, c.GridsBelowNorm, c.Grids)
	fmt.Fprintf(w, "beats below %d police + %d auxiliaries working in them (一区一警两辅): %d of %d (short of police %d, of auxiliaries %d)\n",
		c.Norm.BeatPolice, c.Norm.BeatAuxiliaries, c.BeatsBelowNorm, c.Beats, c.BeatsBelowPoliceNorm, c.BeatsBelowAuxiliaryNorm)
	for _, b := range l.Beats {
		if b.BelowNorm {
			fmt.Fprintf(w, "  %-6s %-20s police %d, auxiliaries %d\n", b.Beat.ID, b.Beat.Name, b.Working.Police, b.Working.Auxiliaries)
		}
	}
	if c.PoliceInGridsShare != nil {
		fmt.Fprintf(w, "police officers in grids: %d of %d (%.1f%%; target %.0f%%)\n", c.PoliceInGrids, c.PoliceOfficers,
			100**c.PoliceInGridsShare, 100*c.Norm.PoliceInGridsTarget)
	}
	if c.GridWorkerShare != nil {
		fmt.Fprintf(w, "grids with a grid worker: %d of %d (%.1f%%)\n", c.GridsWithGridWorker, c.Grids, 100**c.GridWorkerShare)
	}
	fmt.Fprintf(w, "district per police officer: %.0f residents, %.0f households, %.1f incidents, %.1f km²\n",
		l.Means.Residents, l.Means.Households, l.Means.Incidents, l.Means.AreaKm2)
	order := make([]int, len(l.Grids))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return l.Grids[order[i]].LoadIndex > l.Grids[order[j]].LoadIndex })
	fmt.Fprintf(w, "%-10s %-10s %8s %8s %10s %10s\n", "grid", "village", "police", "assigned", "residents", "load_index")
	for _, i := range order[:min(top, len(order))] {
		g := &l.Grids[i]
		fmt.Fprintf(w, "%-10s %-10s %8.3f %8d %10d %10.3f\n", g.Grid.ID, g.Grid.Village, g.Share.Police,
			g.Assigned.Police, g.Grid.Population, g.LoadIndex)
	}
}

// analyzeReallocate proposes moves of officers (gridwatch analyze
// reallocate) and prints them, writing the /load/reallocate GeoJSON with
// --out.
func analyzeReallocate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("analyze reallocate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f loadFlags
	f.register(fs)
	c := coverage.DefaultReallocConstraints()
	fs.IntVar(&c.MaxMoves, "max-moves", c.MaxMoves, "most moves")
	roles := fs.String("roles", "police", "roles that may move, comma-separated")
	fs.Float64Var(&c.MaxDistanceM, "max-distance-m", 0, "longest move between grid centroids, metres (0: no limit)")
	fs.IntVar(&c.MinPerGrid.Police, "min-police-per-grid", c.MinPerGrid.Police, "police headcount a move may not take a grid below")
	fs.IntVar(&c.MinPerGrid.Auxiliaries, "min-auxiliaries-per-grid", 0, "auxiliary headcount a move may not take a grid below")
	fs.IntVar(&c.MinPerGrid.GridWorkers, "min-grid-workers-per-grid", 0, "grid-worker headcount a move may not take a grid below")
	fs.IntVar(&c.MinPerGrid.Volunteers, "min-volunteers-per-grid", 0, "volunteer headcount a move may not take a grid below")
	fs.BoolVar(&c.FromStation, "from-station", false, "also move officers kept at their station into a grid")
	fs.Float64Var(&c.TieTolerance, "tie-tolerance", c.TieTolerance, "plans whose highest load index differs by less than this share tie; the shorter wins")
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	c.Roles = nil
	for _, r := range strings.Split(*roles, ",") {
		c.Roles = append(c.Roles, geo.Role(strings.TrimSpace(r)))
	}
	if err := c.Validate(); err != nil {
		return asFlagProblems(err)
	}
	a, l, err := f.load(stderr)
	if err != nil {
		return err
	}
	start := time.Now()
	plan, err := coverage.Reallocate(ctx, a, l, c)
	if err != nil {
		return err
	}
	printPlan(stdout, plan, time.Since(start))
	return writeGeoJSONFile(f.out, api.ReallocationCollection(plan, c, l))
}

// printPlan prints the moves and the district before and after.
func printPlan(w io.Writer, p *coverage.ReallocPlan, took time.Duration) {
	fmt.Fprintf(w, "%d moves, %.1f km in all, in %.0f ms (%d candidates evaluated)\n", len(p.Moves), p.TotalDistanceM/1000,
		float64(took.Microseconds())/1000, p.Evaluations)
	for i, m := range p.Moves {
		from, fromIdx := m.FromGrid, ""
		if from == "" {
			from = "station " + m.FromStation
		} else {
			fromIdx = fmt.Sprintf(", %s %.3f -> %.3f", m.FromGrid, *m.FromBefore, *m.FromAfter)
		}
		fmt.Fprintf(w, "%3d. %-8s %-16s -> %-10s %7.0f m   index %s %.3f -> %.3f%s\n      %s\n", i+1, m.Officer, from, m.ToGrid,
			m.DistanceM, m.ToGrid, m.ToBefore, m.ToAfter, fromIdx, m.Reason)
	}
	if p.Explanation != "" {
		fmt.Fprintf(w, "%s\n", p.Explanation)
	}
	for _, s := range []struct {
		name string
		v    coverage.ReallocSummary
	}{{"before", p.Before}, {"after", p.After}} {
		fmt.Fprintf(w, "%-6s highest load index %.3f, spread %.3f, grids below the grid norm %d, unstaffed %d\n",
			s.name, s.v.MaxLoadIndex, s.v.LoadIndexSpread, s.v.GridsBelowNorm, s.v.GridsUnstaffed)
	}
}

// asFlagProblems renames the fields of an Invalid error's problems, named
// as body members, to the flags that set them.
func asFlagProblems(err error) error {
	var ge *geo.Error
	if errors.As(err, &ge) {
		for i := range ge.Problems {
			ge.Problems[i].Layer = "flags"
			ge.Problems[i].Field = strings.ReplaceAll(ge.Problems[i].Field, "_", "-")
		}
		ge.Message = "invalid flags"
	}
	return err
}

// writeGeoJSONFile writes fc to path; nothing when path is empty.
func writeGeoJSONFile(path string, fc *geojson.FeatureCollection) error {
	if path == "" {
		return nil
	}
	raw, err := json.Marshal(fc)
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	if err := os.WriteFile(path, append(raw, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
