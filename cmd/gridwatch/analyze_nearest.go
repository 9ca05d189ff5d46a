package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// analyzeNearest prints whose a point is and its nearest responders with
// distance and estimated arrival time (gridwatch analyze nearest).
func analyzeNearest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("analyze nearest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dataset", "", "dataset folder (default: the embedded default dataset)")
	var lonF, latF requiredFloat
	fs.Var(&lonF, "lon", "longitude of the point (required)")
	fs.Var(&latF, "lat", "latitude of the point (required)")
	crsName := fs.String("input-crs", "wgs84", "coordinate system of the point: wgs84, gcj02 or bd09")
	k := fs.Int("k", coverage.DefaultK, fmt.Sprintf("how many responders (1 to %d)", coverage.MaxK))
	roles := fs.String("role", "", "only these roles, comma-separated (police, auxiliary, grid_worker, volunteer)")
	available := fs.Bool("available", true, "only responders available now")
	maxAge := fs.Float64("max-age-s", coverage.DefaultMaxAge.Seconds(), "how old a report may be, seconds (0: no check)")
	maxDist := fs.Float64("max-distance-m", 0, "only responders this close, metres (0: no limit)")
	order := fs.String("order", string(coverage.OrderETA), "rank by eta (arrival time) or distance")
	nowFlag := fs.String("now", "", "reference time of report ages, RFC 3339 (default: the clock, or the end of the dataset's as-of date)")
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	lon, lat := new(lonF.value()), new(latF.value())
	q, crs, err := nearestFlags(nearestFlagValues{lon: *lon, lat: *lat, crs: *crsName, k: *k, roles: *roles,
		available: *available, maxAge: *maxAge, maxDist: *maxDist, order: *order})
	if err != nil {
		return err
	}
	a, err := loadAtlas(*dir, stderr)
	if err != nil {
		return err
	}
	q.Now = coverage.ReferenceTime(a, time.Now())
	if *nowFlag != "" {
		if q.Now, err = time.Parse(time.RFC3339, *nowFlag); err != nil {
			return geo.Errorf(geo.Invalid, "--now: expected an RFC 3339 time, got %q", *nowFlag)
		}
	}
	hits, err := coverage.Nearest(a.Responders, q)
	if err != nil {
		return err
	}
	printNearest(stdout, coverage.Responsible(a, q.Point, nil), crs, orb.Point{*lon, *lat}, q, hits)
	if len(hits) == 0 {
		fmt.Fprintln(stdout, nearestFunnel(a, q))
	}
	return nil
}

// nearestFunnel says which filter removed the responders: how many pass
// each filter in turn (role, marked available, reported within max-age-s,
// within max-distance-m), naming the first that leaves none.
func nearestFunnel(a *geo.Atlas, q coverage.NearestQuery) string {
	type step struct {
		name string
		keep func(r *geo.Responder) bool
	}
	steps := []step{{"role " + nearestRoles(q.Roles), func(r *geo.Responder) bool {
		return len(q.Roles) == 0 || slices.Contains(q.Roles, r.Role)
	}}}
	if q.Available {
		steps = append(steps, step{"available (--available=false counts everyone)", func(r *geo.Responder) bool { return r.Available }})
		if q.MaxAge > 0 {
			steps = append(steps, step{fmt.Sprintf("max-age-s %g (reported within it; 0 turns the check off)", q.MaxAge.Seconds()),
				func(r *geo.Responder) bool { return q.Now.Sub(r.Updated) <= q.MaxAge }})
		}
	}
	if q.MaxDistanceM > 0 {
		steps = append(steps, step{fmt.Sprintf("max-distance-m %g", q.MaxDistanceM),
			func(r *geo.Responder) bool { return geo.Distance(q.Point, r.Point) <= q.MaxDistanceM }})
	}
	left := a.Responders.Items()
	parts := []string{fmt.Sprintf("%d responders", len(left))}
	for _, st := range steps {
		left = slices.DeleteFunc(slices.Clone(left), func(r *geo.Responder) bool { return !st.keep(r) })
		parts = append(parts, fmt.Sprintf("%d pass %s", len(left), st.name))
		if len(left) == 0 {
			return "no responder passes the filters: " + strings.Join(parts, ", ") + "; the filter that removed the last is " + strings.SplitN(st.name, " (", 2)[0]
		}
	}
	return "no responder passes the filters: " + strings.Join(parts, ", ")
}

// nearestRoles names the roles kept.
func nearestRoles(rs []geo.Role) string {
	if len(rs) == 0 {
		return "(any)"
	}
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = string(r)
	}
	return strings.Join(names, ",")
}

// nearestFlagValues are the flags that make the query.
type nearestFlagValues struct {
	lon, lat        float64
	crs, roles      string
	k               int
	available       bool
	maxAge, maxDist float64
	order           string
}

// nearestFlags checks the flags and builds the query (its Now unset).
func nearestFlags(v nearestFlagValues) (coverage.NearestQuery, data.CRS, error) {
	var ps geo.Problems
	if math.IsNaN(v.lon) {
		ps.Add("flags", -1, "", "lon", "a longitude (required)")
	}
	if math.IsNaN(v.lat) {
		ps.Add("flags", -1, "", "lat", "a latitude (required)")
	}
	crs, err := data.ParseCRS("input-crs", v.crs)
	if err != nil {
		return coverage.NearestQuery{}, "", err
	}
	if err := ps.Err("invalid flags"); err != nil {
		return coverage.NearestQuery{}, "", err
	}
	q := coverage.NearestQuery{Point: crs.ToWGS84(orb.Point{v.lon, v.lat}), K: v.k, Available: v.available,
		MaxAge: time.Duration(v.maxAge * float64(time.Second)), MaxDistanceM: v.maxDist, Order: coverage.Order(v.order)}
	for _, r := range strings.Split(v.roles, ",") {
		if r = strings.TrimSpace(r); r != "" {
			q.Roles = append(q.Roles, geo.Role(r))
		}
	}
	return q, crs, q.Validate()
}

// printNearest writes the answer as text.
func printNearest(w io.Writer, resp coverage.Responsibility, crs data.CRS, input orb.Point, q coverage.NearestQuery, hits []coverage.Hit) {
	fmt.Fprintf(w, "point %.7f, %.7f (WGS84", q.Point[0], q.Point[1])
	if crs != data.WGS84 {
		fmt.Fprintf(w, "; %.7f, %.7f in %s", input[0], input[1], crs)
	}
	fmt.Fprintln(w, ")")
	if !resp.InsideDistrict {
		fmt.Fprintln(w, "outside the district: no grid, village, township, beat or station")
	} else {
		fmt.Fprintf(w, "grid %s (%s), village %s, township %s\n", resp.Grid.ID, resp.Grid.Name, resp.Grid.Village, resp.Grid.Township)
		if resp.Beat != nil {
			fmt.Fprintf(w, "beat %s, station %s\n", resp.Beat.ID, resp.Beat.Station)
		}
		ids := make([]string, len(resp.Assigned))
		for i, r := range resp.Assigned {
			ids[i] = r.ID
		}
		fmt.Fprintf(w, "assigned to the grid: %s\n", nearestOrDash(strings.Join(ids, ", ")))
	}
	fmt.Fprintf(w, "reference time %s; ranked by %s\n\n", q.Now.UTC().Format(time.RFC3339), cmpOrder(q.Order))
	if len(hits) == 0 {
		return
	}
	fmt.Fprintf(w, "%4s  %-12s %-12s %10s %9s  %s\n", "rank", "id", "role", "distance", "arrival", "available now")
	for _, h := range hits {
		fmt.Fprintf(w, "%4d  %-12s %-12s %8.0f m %6.1f min  %v\n", h.Rank, h.Responder.ID, h.Responder.Role,
			h.DistanceM, h.ETAS/60, h.AvailableNow)
	}
}

func nearestOrDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// cmpOrder names the order in effect.
func cmpOrder(o coverage.Order) string {
	if o == coverage.OrderDistance {
		return "distance"
	}
	return "estimated arrival time"
}
