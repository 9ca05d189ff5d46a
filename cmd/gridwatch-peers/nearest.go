package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// nearestK is the k of the nearest comparison.
const nearestK = 5

// compareNearest checks gridwatch's nearest answers against PostGIS's at
// the query points, then measures both with wrk and gridwatch at a fixed
// rate of half its peak.
func compareNearest(ctx context.Context, c config, srv *gridwatchServer, pool *pgxpool.Pool, a *geo.Atlas, work, name string, out io.Writer) ([]row, error) {
	pts := queryPoints(a, c.points)
	coord := func(p orb.Point) string {
		return strconv.FormatFloat(p[0], 'f', 7, 64) + "&lat=" + strconv.FormatFloat(p[1], 'f', 7, 64)
	}
	var mine, peer []string
	same, planarDiffers, shown := 0, 0, 0
	for _, p := range pts {
		// max_age_s=0: every responder marked available counts, as in
		// the PostGIS query (by default gridwatch also drops reports older
		// than 30 minutes); order=distance: by great-circle distance (the
		// default ranks by estimated arrival).
		q := "?lon=" + coord(p) + "&k=" + strconv.Itoa(nearestK)
		mine = append(mine, "/responders/nearest"+q+"&max_age_s=0&order=distance")
		peer = append(peer, "/nearest"+q)
		body, _, err := fetch(srv.url+mine[len(mine)-1], false)
		if err != nil {
			return nil, err
		}
		got, err := nearestIDs(body)
		if err != nil {
			return nil, err
		}
		// Rounded to 7 decimals, as the HTTP queries are.
		rp := orb.Point{roundTo7(p[0]), roundTo7(p[1])}
		want, err := peerNearest(ctx, pool, peerNearestSQL, rp, nearestK)
		if err != nil {
			return nil, err
		}
		planar, err := peerNearest(ctx, pool, peerNearestPlanarSQL, rp, nearestK)
		if err != nil {
			return nil, err
		}
		if slices.Equal(got, want) {
			same++
		} else if shown < 3 {
			shown++
			fmt.Fprintf(out, "  differs at %v: gridwatch %v, PostGIS %v\n", rp, got, want)
		}
		if !slices.Equal(planar, want) {
			planarDiffers++
		}
	}
	fmt.Fprintf(out, "nearest k=%d at %d incident positions: %d the same top %d (in order) as PostGIS ordered by geography; ordering by plain geometry gives another top %d for %d (%.0f %%)\n",
		nearestK, len(pts), same, nearestK, nearestK, planarDiffers, 100*float64(planarDiffers)/float64(len(pts)))
	fmt.Fprintf(out, "  PostGIS: %s\n  pitfall: %s\n", oneLine(peerNearestSQL), oneLine(peerNearestPlanarSQL))
	write := func(file string, lines []string) (string, error) {
		path := filepath.Join(work, file)
		return path, os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	}
	minePaths, err := write(fmt.Sprintf("nearest-gridwatch-%s.txt", strings.ReplaceAll(name, " ", "")), mine)
	if err != nil {
		return nil, err
	}
	peerPaths, err := write(fmt.Sprintf("nearest-postgis-%s.txt", strings.ReplaceAll(name, " ", "")), peer)
	if err != nil {
		return nil, err
	}
	purl, stop, err := peerServer(pool)
	if err != nil {
		return nil, err
	}
	defer stop()
	gw, err := runWrk(work, srv.url, minePaths, c.duration)
	if err != nil {
		return nil, err
	}
	pg, err := runWrk(work, purl, peerPaths, c.duration)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "$ %s   gridwatch: %.0f req/s, p50 %s, p99 %s\n", gw.cmd, gw.rps, ms(gw.p50), ms(gw.p99))
	fmt.Fprintf(out, "$ %s   PostGIS over HTTP: %.0f req/s, p50 %s, p99 %s\n", pg.cmd, pg.rps, ms(pg.p50), ms(pg.p99))
	rate := gw.rps / 2
	p50, p99, sent, err := fixedRate(srv.url, mine, rate, c.duration)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "fixed rate %.0f/s (half the peak) for %v, %d requests: p50 %s, p99 %s\n", rate, c.duration, sent, ms(p50), ms(p99))
	return []row{
		{work: fmt.Sprintf("nearest k=%d, %s, same answers", nearestK, name), gridwatch: fmt.Sprintf("%d of %d as PostGIS", same, len(pts)), postgis: fmt.Sprintf("plain geom <-> differs for %d", planarDiffers), ratio: "—"},
		{work: fmt.Sprintf("nearest k=%d, %s (wrk -t2 -c16)", nearestK, name), gridwatch: fmt.Sprintf("%.0f req/s, p50 %s, p99 %s", gw.rps, ms(gw.p50), ms(gw.p99)),
			postgis: fmt.Sprintf("%.0f req/s, p50 %s, p99 %s", pg.rps, ms(pg.p50), ms(pg.p99)), ratio: ratio(gw.rps / pg.rps)},
		{work: fmt.Sprintf("nearest at half the peak (%.0f/s), %s", rate, name), gridwatch: fmt.Sprintf("p50 %s, p99 %s", ms(p50), ms(p99)), postgis: "—", ratio: "—"},
	}, nil
}

// queryPoints returns n incident positions spread over the layer.
func queryPoints(a *geo.Atlas, n int) []orb.Point {
	m := a.Incidents.Len()
	n = min(n, m)
	out := make([]orb.Point, n)
	for i := range out {
		out[i] = a.Incidents.At(i * m / n).Point
	}
	return out
}

func roundTo7(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 7, 64), 64)
	return v
}
