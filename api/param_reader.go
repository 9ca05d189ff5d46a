package api

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// paramReader reads named values (query parameters or body members) of the
// analysis endpoints and collects every problem, naming the parameter and
// where it came from (layer "query" or "body").
type paramReader struct {
	vals  map[string]string
	layer string
	used  map[string]bool
	ps    geo.Problems
	// floor applies the viewer floor to the window (see checkFloorWindow).
	floor bool
}

// under applies the viewer floor when the caller of ctx is under it.
func (p *paramReader) under(ctx context.Context) *paramReader {
	p.floor = floored(ctx)
	return p
}

// newQueryParams reads a query: a parameter given twice is a problem.
func newQueryParams(q url.Values) *paramReader {
	p := &paramReader{vals: map[string]string{}, layer: "query", used: map[string]bool{}}
	for _, name := range sortedKeys(q) {
		if len(q[name]) != 1 {
			p.bad(name, "the parameter once")
			continue
		}
		p.vals[name] = q[name][0]
	}
	return p
}

func (p *paramReader) bad(name, expected string) { p.ps.Add(p.layer, -1, "", name, expected) }

// str returns the value of name and whether it was given.
func (p *paramReader) str(name string) (string, bool) {
	p.used[name] = true
	v, ok := p.vals[name]
	return v, ok
}

// number reads a finite number in [lo, hi], def when absent.
func (p *paramReader) number(name string, def, lo, hi float64) float64 {
	return p.numberAs(name, def, lo, hi, fmt.Sprintf("a number in [%g, %g]", lo, hi))
}

// numberAs is number with the expected value described in words.
func (p *paramReader) numberAs(name string, def, lo, hi float64, expected string) float64 {
	v, ok := p.str(name)
	if !ok {
		return def
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < lo || f > hi {
		p.bad(name, fmt.Sprintf("%s, got %s", expected, quote(v)))
		return def
	}
	return f
}

// integer reads a whole number in [lo, hi], def when absent.
func (p *paramReader) integer(name string, def, lo, hi int) int {
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

// window reads as_of (a date; the dataset's date when absent) and
// window_days: the window of incidents the figures count.
func (p *paramReader) window(a *geo.Atlas, now time.Time) coverage.Window {
	var asOf time.Time
	v, asOfGiven := p.str("as_of")
	if asOfGiven {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			p.bad("as_of", "a date YYYY-MM-DD, got "+quote(v))
		}
		asOf = t
	}
	days := p.integer("window_days", coverage.DefaultWindowDays, 1, 36600)
	w, err := coverage.NewWindow(a, asOf, days, now)
	if err != nil {
		p.bad("window_days", err.Error())
	}
	p.checkFloorWindow(a, asOfGiven && !asOf.IsZero(), w)
	return w
}

// boolean reads true or false, def when absent.
func (p *paramReader) boolean(name string, def bool) bool {
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
func (p *paramReader) only() {
	accepted := sortedKeys(p.used)
	for _, name := range sortedKeys(p.vals) {
		if !p.used[name] {
			p.bad(name, "no such parameter; this resource accepts "+strings.Join(accepted, ", "))
		}
	}
}

// accept refuses every value whose name is not in allowed.
func (p *paramReader) accept(allowed []string) {
	for _, name := range sortedKeys(p.vals) {
		if !slices.Contains(allowed, name) {
			p.bad(name, "no such parameter; this resource accepts "+strings.Join(allowed, ", "))
		}
	}
}

// format accepts f=json (or geojson), the only format of these resources.
func (p *paramReader) format() {
	if v, ok := p.str("f"); ok && v != "json" && v != "geojson" {
		p.bad("f", "json, got "+quote(v))
	}
}

// err returns the problems as one Invalid error.
func (p *paramReader) err() error { return p.ps.Err("invalid " + p.layer + " parameters") }
