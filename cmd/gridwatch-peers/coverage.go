package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"gridwatch/api"
	"gridwatch/geo"
)

// compareCoverage times the first GET /coverage/grids against the PostGIS
// query, checks every grid's share against the exact one, and times the
// repeated answers; ok is false when a grid misses by 1 point or more.
func compareCoverage(ctx context.Context, srv *gridwatchServer, pool *pgxpool.Pool, a *geo.Atlas, name string, out io.Writer) ([]row, bool, error) {
	url := srv.url + "/coverage/grids"
	body, first, err := fetch(url, false)
	if err != nil {
		return nil, false, err
	}
	rss := srv.rssMiB()
	mine, err := gridShares(body)
	if err != nil {
		return nil, false, err
	}
	exact, peer, err := peerShares(ctx, pool)
	if err != nil {
		return nil, false, fmt.Errorf("PostGIS coverage: %w", err)
	}
	fmt.Fprintf(out, "$ curl -s -o /dev/null %s   (first answer: %.3f s, %d bytes; RSS after it %.0f MiB)\n", url, first.Seconds(), len(body), rss)
	fmt.Fprintf(out, "$ psql -c \"%s\"   (%.3f s)\n", oneLine(peerCoverageSQL), peer.Seconds())
	// Every grid: a grid no viewshed meets has no PostGIS row and share 0.
	type miss struct {
		id   string
		diff float64
	}
	var misses []miss
	var worst, sum float64
	within := 0
	for _, g := range a.Grids.Items() {
		d := 100 * math.Abs(mine[g.ID]-exact[g.ID])
		sum += d
		worst = math.Max(worst, d)
		if d < 1 {
			within++
		} else {
			misses = append(misses, miss{g.ID, d})
		}
	}
	slices.SortFunc(misses, func(x, y miss) int { return int(math.Copysign(1, y.diff-x.diff)) })
	fmt.Fprintf(out, "coverage_area against the exact PostGIS share: %d of %d grids within 1 pp; max %.3f pp, mean %.4f pp\n",
		within, a.Grids.Len(), worst, sum/float64(a.Grids.Len()))
	for i, m := range misses {
		if i == 5 {
			break
		}
		fmt.Fprintf(out, "  %s: %.3f pp (gridwatch %.4f, PostGIS %.4f)\n", m.id, m.diff, mine[m.id], exact[m.id])
	}
	_, again, err := fetch(url, false)
	if err != nil {
		return nil, false, err
	}
	if _, _, err := fetch(url, true); err != nil { // compresses once
		return nil, false, err
	}
	_, gz, err := fetch(url, true)
	if err != nil {
		return nil, false, err
	}
	fmt.Fprintf(out, "repeated answer: %.1f ms plain, %.1f ms gzip\n", again.Seconds()*1000, gz.Seconds()*1000)
	rows := []row{
		{work: "first `GET /coverage/grids`, " + name, gridwatch: fmt.Sprintf("%.3f s", first.Seconds()),
			postgis: fmt.Sprintf("%.3f s", peer.Seconds()), ratio: ratio(peer.Seconds() / first.Seconds())},
		{work: "coverage_area against the exact shares, " + name, gridwatch: fmt.Sprintf("%d of %d grids within 1 pp (max %.3f pp)", within, a.Grids.Len(), worst), postgis: "oracle", ratio: "—"},
		{work: "RSS after the first coverage, " + name, gridwatch: fmt.Sprintf("%.0f MiB", rss), postgis: "—", ratio: "—"},
		{work: "a repeated coverage (plain / gzip), " + name, gridwatch: ms(again) + " / " + ms(gz), postgis: "—", ratio: "—"},
	}
	return rows, len(misses) == 0, nil
}

// cameraMoved serves the atlas in process, asks for the coverage, moves
// one camera 30 m (a new atlas, as a write publishes) and times the next
// answer. It returns both times.
func cameraMoved(a *geo.Atlas) ([2]time.Duration, error) {
	var cur atomic.Pointer[geo.Atlas]
	cur.Store(a)
	hs := httptest.NewServer(api.New(api.Options{Atlas: cur.Load}))
	defer hs.Close()
	var out [2]time.Duration
	_, d, err := fetch(hs.URL+"/coverage/grids", false)
	if err != nil {
		return out, err
	}
	out[0] = d
	c := a.Cameras.At(a.Cameras.Len() / 2)
	moved := *c
	moved.Point = geo.Destination(c.Point, 90, 30)
	next, err := a.Apply(geo.LayerCameras, []geo.Feature{&moved}, nil)
	if err != nil {
		return out, err
	}
	cur.Store(next)
	_, d, err = fetch(hs.URL+"/coverage/grids", false)
	out[1] = d
	return out, err
}

func oneLine(s string) string {
	b := []byte(s)
	out := b[:0]
	space := false
	for _, c := range b {
		if c == '\n' || c == '\t' || c == ' ' {
			if !space {
				out = append(out, ' ')
			}
			space = true
			continue
		}
		space = false
		out = append(out, c)
	}
	return string(out)
}
