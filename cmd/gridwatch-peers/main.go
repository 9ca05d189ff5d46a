// Command gridwatch-peers measures gridwatch side by side with PostgreSQL
// 15 + PostGIS 3 on the same data, in one run: it starts a throwaway
// PostGIS cluster (data/pgtest: initdb and pg_ctl on a free loopback port
// in a temporary directory), generates each scale's district with
// `gridwatch gen`, loads the grids, gridwatch's own viewshed polygons and
// the responders into PostGIS, serves the dataset with `gridwatch serve`,
// and prints each figure and ratio with both sides' commands:
//
//   - the first GET /coverage/grids against the exact PostGIS coverage
//     (per grid, ST_Union of the viewsheds that meet it, ST_Intersection
//     with the grid, areas on geography), and every grid's coverage_area
//     against the exact share (within 1 percentage point, or it fails);
//   - a repeated answer (plain and gzip), the next answer after one
//     camera moved, and the server's RSS after the first coverage;
//   - nearest k=5 at 1,000 incident positions: the same answers as the
//     PostGIS KNN ordered by geography (and how often ordering by plain
//     geometry differs), wrk's rate for both (PostGIS behind a minimal Go +
//     pgx HTTP server), and gridwatch's p50/p99 at a fixed rate of half its
//     peak;
//   - `serve` from a start to ready, from the dataset folder and from a
//     GeoPackage store.
//
// Usage:
//
//	gridwatch-peers --bin bin/gridwatch [--scales 1,20] [--duration 10s] [--work DIR]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"gridwatch/data"
	"gridwatch/data/pgtest"
	"gridwatch/geo"
)

// config is the command's flags.
type config struct {
	bin      string
	scales   []float64
	duration time.Duration
	work     string
	points   int
	nearest  bool
	store    bool
}

func main() {
	var c config
	var scales string
	flag.StringVar(&c.bin, "bin", "bin/gridwatch", "the gridwatch binary")
	flag.StringVar(&scales, "scales", "1,20", "comma-separated scales of the generated districts")
	flag.DurationVar(&c.duration, "duration", 10*time.Second, "length of each wrk run and of the fixed-rate run")
	flag.StringVar(&c.work, "work", "", "directory for datasets and logs (default: a new temporary one, removed after)")
	flag.IntVar(&c.points, "points", 1000, "query points (incident positions) of the nearest comparison")
	flag.BoolVar(&c.nearest, "nearest", true, "compare nearest responders")
	flag.BoolVar(&c.store, "store", true, "time serve from a GeoPackage store too")
	flag.Parse()
	for _, s := range strings.Split(scales, ",") {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || f <= 0 {
			fmt.Fprintf(os.Stderr, "gridwatch-peers: --scales: a comma-separated list of positive numbers, got %q\n", scales)
			os.Exit(2)
		}
		c.scales = append(c.scales, f)
	}
	if err := run(c, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gridwatch-peers:", err)
		os.Exit(1)
	}
}

// row is one line of the closing table.
type row struct {
	work, gridwatch, postgis, ratio string
}

func run(c config, out io.Writer) error {
	if _, err := exec.LookPath("wrk"); err != nil && c.nearest {
		return errors.New("wrk is not installed (make bench-peers installs it)")
	}
	work := c.work
	if work == "" {
		dir, err := os.MkdirTemp("", "gridwatch-peers-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		work = dir
	}
	ctx := context.Background()
	startCtx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	cluster, err := pgtest.Start(startCtx, pgtest.Options{Settings: map[string]string{"max_connections": "64"}})
	cancel()
	if err != nil {
		return fmt.Errorf("start PostGIS: %w", err)
	}
	defer cluster.Stop()
	fmt.Fprintf(out, "PostGIS: throwaway cluster on 127.0.0.1:%d (data/pgtest)\n", cluster.Port())
	var rows []row
	failed := false
	for _, scale := range c.scales {
		rs, ok, err := runScale(ctx, c, cluster, work, scale, out)
		if err != nil {
			return fmt.Errorf("scale %g: %w", scale, err)
		}
		rows = append(rows, rs...)
		failed = failed || !ok
	}
	fmt.Fprintf(out, "\n| work | gridwatch | PostGIS | ratio |\n| --- | --- | --- | --- |\n")
	for _, r := range rows {
		fmt.Fprintf(out, "| %s | %s | %s | %s |\n", r.work, r.gridwatch, r.postgis, r.ratio)
	}
	if failed {
		return errors.New("a grid's coverage_area is more than 1 percentage point from the exact PostGIS share")
	}
	return nil
}

// runScale measures one scale; ok is false when the coverage misses the
// exact shares.
func runScale(ctx context.Context, c config, cluster *pgtest.Cluster, work string, scale float64, out io.Writer) ([]row, bool, error) {
	name := "scale " + strconv.FormatFloat(scale, 'g', -1, 64)
	dir := filepath.Join(work, "scale-"+strconv.FormatFloat(scale, 'g', -1, 64))
	fmt.Fprintf(out, "\n== %s\n", name)
	if _, err := os.Stat(filepath.Join(dir, "meta.json")); err != nil {
		gen := []string{c.bin, "gen", "--scale", strconv.FormatFloat(scale, 'g', -1, 64), "--out", dir}
		fmt.Fprintf(out, "$ %s\n", strings.Join(gen, " "))
		if b, err := exec.Command(gen[0], gen[1:]...).CombinedOutput(); err != nil {
			return nil, false, fmt.Errorf("%s: %w: %s", strings.Join(gen, " "), err, b)
		}
	}
	ds, err := data.ReadDir(dir)
	if err != nil {
		return nil, false, err
	}
	a, err := geo.NewAtlas(ds, geo.Options{})
	if err != nil {
		return nil, false, err
	}
	db, err := cluster.NewDatabase(ctx)
	if err != nil {
		return nil, false, err
	}
	pool, err := pgxpool.New(ctx, cluster.URL(db)+"&pool_max_conns=32")
	if err != nil {
		return nil, false, err
	}
	defer pool.Close()
	start := time.Now()
	if err := loadPeer(ctx, pool, a); err != nil {
		return nil, false, fmt.Errorf("load PostGIS: %w", err)
	}
	fmt.Fprintf(out, "PostGIS loaded (%d grids, %d viewshed polygons from geo.Viewshed, %d responders) in %.1f s\n",
		a.Grids.Len(), a.Cameras.Len(), a.Responders.Len(), time.Since(start).Seconds())

	logf, err := os.Create(filepath.Join(work, fmt.Sprintf("serve-%g.log", scale)))
	if err != nil {
		return nil, false, err
	}
	defer logf.Close()
	srv, err := startGridwatch(c.bin, logf, "--dataset", dir)
	if err != nil {
		return nil, false, err
	}
	defer srv.stop()
	fmt.Fprintf(out, "$ %s  (ready in %.2f s)\n", strings.Join(srv.args, " "), srv.ready.Seconds())
	var rows []row
	rows = append(rows, row{work: "`serve` to ready, " + name + ", `--dataset`", gridwatch: fmt.Sprintf("%.2f s", srv.ready.Seconds()), postgis: "—", ratio: "—"})

	cov, ok, err := compareCoverage(ctx, srv, pool, a, name, out)
	if err != nil {
		return nil, false, err
	}
	rows = append(rows, cov...)
	moved, err := cameraMoved(a)
	if err != nil {
		return nil, false, err
	}
	fmt.Fprintf(out, "next answer after one camera moved (in-process server, first answer %.0f ms): %.1f ms\n",
		moved[0].Seconds()*1000, moved[1].Seconds()*1000)
	rows = append(rows, row{work: "next /coverage/grids after one camera moved, " + name, gridwatch: ms(moved[1]), postgis: "—", ratio: "—"})
	if c.nearest {
		nr, err := compareNearest(ctx, c, srv, pool, a, work, name, out)
		if err != nil {
			return nil, false, err
		}
		rows = append(rows, nr...)
	}
	srv.stop()
	if c.store {
		ready, args, err := storeStartup(c.bin, work, dir, logf)
		if err != nil {
			return nil, false, err
		}
		fmt.Fprintf(out, "$ %s  (ready in %.2f s)\n", args, ready.Seconds())
		rows = append(rows, row{work: "`serve` to ready, " + name + ", `--data` (GeoPackage)", gridwatch: fmt.Sprintf("%.2f s", ready.Seconds()), postgis: "—", ratio: "—"})
	}
	return rows, ok, nil
}

// storeStartup imports the dataset into a GeoPackage store (once) and
// times serve --data from start to ready.
func storeStartup(bin, work, dir string, logTo io.Writer) (time.Duration, string, error) {
	store := filepath.Join(work, filepath.Base(dir)+"-store")
	if _, err := os.Stat(filepath.Join(store, "gridwatch.gpkg")); err != nil {
		imp := []string{bin, "import", "--data", store, dir}
		if b, err := exec.Command(imp[0], imp[1:]...).CombinedOutput(); err != nil {
			return 0, "", fmt.Errorf("%s: %w: %s", strings.Join(imp, " "), err, b)
		}
	}
	srv, err := startGridwatch(bin, logTo, "--data", store)
	if err != nil {
		return 0, "", err
	}
	srv.stop()
	return srv.ready, strings.Join(srv.args, " "), nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", d.Seconds()*1000) }

func ratio(x float64) string { return fmt.Sprintf("%.1f×", x) }
