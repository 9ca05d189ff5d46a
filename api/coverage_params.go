package api

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// coverageQuery is a parsed video-coverage request.
type coverageQuery struct {
	variant    coverage.Variant
	resolution int // of the coverage
	window     coverage.Window
	// Filters (bbox, township, village, grid) and paging.
	boxes                   []orb.Bound
	township, village, grid string
	limit                   int
	minArea                 float64
	// cellRes is the resolution of hotspot cells.
	cellRes int
	// level and asGeoJSON are the roll-up of /coverage/summary.
	level     coverage.Level
	asGeoJSON bool
}

// coverageCommon reads what every coverage endpoint takes: variant,
// resolution (unless the endpoint reads it itself) and the window (as_of,
// window_days).
func coverageCommon(p *paramReader, a *geo.Atlas, now time.Time, withResolution bool) coverageQuery {
	var q coverageQuery
	p.format()
	q.variant = coverage.Installed
	if v, ok := p.str("variant"); ok {
		vr, err := coverage.ParseVariant(v)
		if err != nil {
			p.bad("variant", "installed or operational, got "+quote(v))
		}
		q.variant = vr
	}
	q.resolution = coverage.DefaultVideoResolution
	if withResolution {
		q.resolution = p.integer("resolution", coverage.DefaultVideoResolution, coverage.MinVideoResolution, coverage.MaxVideoResolution)
	}
	q.window = p.window(a, now)
	return q
}

// filters reads bbox, township, village and (when withGrid) grid, each
// checked against the dataset.
func (q *coverageQuery) filters(p *paramReader, a *geo.Atlas, withGrid bool) {
	f := p.filter(a)
	q.boxes, q.township, q.village = f.boxes, f.township, f.village
	if !withGrid {
		return
	}
	if v, ok := p.str("grid"); ok {
		if _, known := a.Grids.Get(v); !known {
			p.bad("grid", "the id of a grid of the dataset, got "+quote(v))
		}
		q.grid = v
	}
}

// keeps reports whether grid g passes the query's unit filters.
func (q *coverageQuery) keeps(g *geo.Grid) bool {
	return (q.grid == "" || g.ID == q.grid) && (q.village == "" || g.Village == q.village) &&
		(q.township == "" || g.Township == q.township)
}

// meets reports whether bound b meets the query's bbox (always, without).
func (q *coverageQuery) meets(b orb.Bound) bool {
	if q.boxes == nil {
		return true
	}
	for _, box := range q.boxes {
		if b.Intersects(box) {
			return true
		}
	}
	return false
}

// paging reads limit (default and largest: the server's page sizes).
func (q *coverageQuery) paging(p *paramReader, def, maxLimit int) {
	q.limit = p.integer("limit", def, 1, maxLimit)
}

// summaryOptions reads level and format of /coverage/summary.
func (q *coverageQuery) summaryOptions(p *paramReader) {
	q.level = coverage.LevelDistrict
	if v, ok := p.str("level"); ok {
		l, err := coverage.ParseLevel(v)
		if err != nil {
			p.bad("level", "village, township or district, got "+quote(v))
		}
		q.level = l
	}
	if v, ok := p.str("format"); ok {
		switch strings.ToLower(v) {
		case "json":
		case "geojson":
			q.asGeoJSON = true
		default:
			p.bad("format", "json (rows) or geojson (unit polygons), got "+quote(v))
		}
	}
}

// parseCoverage parses the query of a coverage endpoint; read adds the
// endpoint's own parameters. Every problem is reported at once.
func parseCoverage(ctx context.Context, q url.Values, a *geo.Atlas, now time.Time, withResolution bool, read func(*paramReader, *coverageQuery)) (coverageQuery, error) {
	p := newQueryParams(q).under(ctx)
	cq := coverageCommon(p, a, now, withResolution)
	if read != nil {
		read(p, &cq)
	}
	p.only()
	if err := p.err(); err != nil {
		return coverageQuery{}, err
	}
	return cq, nil
}

// windowDoc describes a window in answers.
func windowDoc(w coverage.Window) map[string]any {
	return map[string]any{
		"as_of": w.End.In(coverage.China).Format(time.DateOnly), "days": w.Days,
		"start": w.Start().Format(time.RFC3339), "end": w.End.Format(time.RFC3339Nano),
	}
}
