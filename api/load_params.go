package api

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// loadParams reads named values (query parameters or body members) and
// collects every problem, naming the parameter and where it came from
// (layer "query" or "body").
type loadParams struct {
	vals  map[string]string
	layer string
	used  map[string]bool
	ps    geo.Problems
}

// newQueryParams reads a query: a parameter given twice is a problem.
func newQueryParams(q url.Values) *loadParams {
	p := &loadParams{vals: map[string]string{}, layer: "query", used: map[string]bool{}}
	for _, name := range sortedKeys(q) {
		if len(q[name]) != 1 {
			p.bad(name, "the parameter once")
			continue
		}
		p.vals[name] = q[name][0]
	}
	return p
}

func (p *loadParams) bad(name, expected string) { p.ps.Add(p.layer, -1, "", name, expected) }

// str returns the value of name and whether it was given.
func (p *loadParams) str(name string) (string, bool) {
	p.used[name] = true
	v, ok := p.vals[name]
	return v, ok
}

// number reads a finite number in [lo, hi], def when absent.
func (p *loadParams) number(name string, def, lo, hi float64) float64 {
	v, ok := p.str(name)
	if !ok {
		return def
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < lo || f > hi {
		p.bad(name, fmt.Sprintf("a number in [%g, %g], got %s", lo, hi, quote(v)))
		return def
	}
	return f
}

// integer reads a whole number in [lo, hi], def when absent.
func (p *loadParams) integer(name string, def, lo, hi int) int {
	v, ok := p.str(name)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < lo || n > hi {
		p.bad(name, fmt.Sprintf("a whole number in [%d, %d], got %s", lo, hi, quote(v)))
		return def
	}
	return n
}

// boolean reads true or false, def when absent.
func (p *loadParams) boolean(name string, def bool) bool {
	v, ok := p.str(name)
	if !ok {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.bad(name, "true or false, got "+quote(v))
		return def
	}
	return b
}

// only refuses every value that no reader asked for.
func (p *loadParams) only() {
	accepted := sortedKeys(p.used)
	for _, name := range sortedKeys(p.vals) {
		if !p.used[name] {
			p.bad(name, "no such parameter; this resource accepts "+strings.Join(accepted, ", "))
		}
	}
}

// format accepts f=json (or geojson), the only format of these resources.
func (p *loadParams) format() {
	if v, ok := p.str("f"); ok && v != "json" && v != "geojson" {
		p.bad("f", "json, got "+quote(v))
	}
}

// err returns the problems as one Invalid error.
func (p *loadParams) err() error { return p.ps.Err("invalid " + p.layer + " parameters") }

// loadOptions reads the load options: window (as_of, window_days), weights,
// split and norm.
func (p *loadParams) loadOptions(a *geo.Atlas, now time.Time) coverage.LoadOptions {
	opt := coverage.LoadOptions{Split: coverage.SplitEqual}
	var asOf time.Time
	if v, ok := p.str("as_of"); ok {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			p.bad("as_of", "a date YYYY-MM-DD, got "+quote(v))
		}
		asOf = t
	}
	days := p.integer("window_days", coverage.DefaultWindowDays, 1, 36600)
	if w, err := coverage.NewWindow(a, asOf, days, now); err == nil {
		opt.Window = w
	}
	dw := coverage.DefaultLoadWeights()
	opt.Weights = coverage.LoadWeights{
		Residents:  p.number("weight_residents", dw.Residents, 0, 1e6),
		Households: p.number("weight_households", dw.Households, 0, 1e6),
		Incidents:  p.number("weight_incidents", dw.Incidents, 0, 1e6),
		Area:       p.number("weight_area", dw.Area, 0, 1e6),
	}
	if err := opt.Weights.Validate(); err != nil {
		p.bad("weight_residents", "at least one of weight_residents, weight_households, weight_incidents, weight_area above 0")
	}
	if v, ok := p.str("split"); ok {
		s, err := coverage.ParseSplit(v)
		if err != nil {
			p.bad("split", "equal or demand, got "+quote(v))
		}
		opt.Split = s
	}
	dn := coverage.DefaultNorm()
	opt.Norm = &coverage.Norm{
		Police:              p.integer("norm_police", dn.Police, 0, coverage.MaxNormHeadcount),
		Auxiliaries:         p.integer("norm_auxiliaries", dn.Auxiliaries, 0, coverage.MaxNormHeadcount),
		PoliceInGridsTarget: p.number("police_in_grids_target", dn.PoliceInGridsTarget, 0, 1),
	}
	return opt
}

// loadFilter narrows a grid response: bbox, township, village.
type loadFilter struct {
	boxes             []orb.Bound
	township, village string
}

// filter reads bbox, township and village.
func (p *loadParams) filter(a *geo.Atlas) loadFilter {
	var f loadFilter
	if v, ok := p.str("bbox"); ok {
		boxes, msg := parseBBox(v)
		if msg != "" {
			p.bad("bbox", msg)
		}
		f.boxes = boxes
	}
	if v, ok := p.str("township"); ok {
		if _, known := a.Townships.Get(v); !known {
			p.bad("township", "the id of a township of the dataset, got "+quote(v))
		}
		f.township = v
	}
	if v, ok := p.str("village"); ok {
		if _, known := a.Villages.Get(v); !known {
			p.bad("village", "the id of a village of the dataset, got "+quote(v))
		}
		f.village = v
	}
	return f
}

// keeps reports whether grid g passes the filter.
func (f loadFilter) keeps(g *geo.Grid) bool {
	if f.township != "" && g.Township != f.township || f.village != "" && g.Village != f.village {
		return false
	}
	if f.boxes == nil {
		return true
	}
	b := g.Polygon.Bound()
	for _, box := range f.boxes {
		if b.Intersects(box) {
			return true
		}
	}
	return false
}

// loadKey identifies load options for the cache.
func loadKey(opt coverage.LoadOptions) string {
	w := opt.Weights
	return fmt.Sprintf("%s|%d|%g|%g|%g|%g|%s|%+v", opt.Window.End.Format(time.RFC3339Nano), opt.Window.Days,
		w.Residents, w.Households, w.Incidents, w.Area, opt.Split, *opt.Norm)
}
