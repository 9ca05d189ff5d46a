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
	"gridwatch/data"
	"gridwatch/geo"
)

// nearestParams are the parameters of the nearest-responders endpoints.
var nearestParams = []string{"lon", "lat", "k", "role", "available", "max_age_s", "max_distance_m", "input_crs", "f"}

// nearestRequest is a parsed nearest-responders request.
type nearestRequest struct {
	// query holds the filters; its Point and Now are set per point.
	query coverage.NearestQuery
	// crs is the coordinate system the point(s) came in.
	crs data.CRS
	// input is the point as given (in crs); point is it in WGS84. Both
	// are unset for a batch, whose points come in the body.
	input, point orb.Point
}

// dispParams reads query parameters, collecting every problem.
type dispParams struct {
	q  url.Values
	ps geo.Problems
}

func (p *dispParams) bad(name, expected string) { p.ps.Add("query", -1, "", name, expected) }

// one returns the single value of a parameter; ok is false when it is
// absent (or given twice, which is a problem).
func (p *dispParams) one(name string) (string, bool) {
	vs, ok := p.q[name]
	if !ok {
		return "", false
	}
	if len(vs) != 1 {
		p.bad(name, "the parameter once")
		return "", false
	}
	return vs[0], true
}

// number reads a finite number in [lo, hi]; def when absent.
func (p *dispParams) number(name string, def, lo, hi float64, expected string) float64 {
	v, ok := p.one(name)
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

// integer reads an integer in [lo, hi]; def when absent.
func (p *dispParams) integer(name string, def, lo, hi int) int {
	v, ok := p.one(name)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < lo || n > hi {
		p.bad(name, fmt.Sprintf("an integer from %d to %d, got %s", lo, hi, quote(v)))
		return def
	}
	return n
}

// boolean reads true/false (or 1/0); def when absent.
func (p *dispParams) boolean(name string, def bool) bool {
	v, ok := p.one(name)
	if !ok {
		return def
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "1":
		return true
	case "false", "0":
		return false
	}
	p.bad(name, "true or false, got "+quote(v))
	return def
}

// only reports every parameter not in allowed.
func (p *dispParams) only(allowed []string) {
	for _, name := range sortedKeys(p.q) {
		known := false
		for _, a := range allowed {
			known = known || a == name
		}
		if !known {
			p.bad(name, "no such parameter; this resource accepts "+strings.Join(allowed, ", "))
		}
	}
}

// format checks the f parameter: these resources are JSON only.
func (p *dispParams) format() {
	if v, ok := p.one("f"); ok && v != "json" && v != "geojson" {
		p.bad("f", "json (this resource has no HTML form), got "+quote(v))
	}
}

// roles reads a comma-separated list of roles.
func (p *dispParams) roles(name string) []geo.Role {
	v, ok := p.one(name)
	if !ok {
		return nil
	}
	var out []geo.Role
	for _, part := range strings.Split(v, ",") {
		r := geo.Role(strings.TrimSpace(part))
		if !r.Valid() {
			p.bad(name, fmt.Sprintf("one or a comma-separated list of %s, got %s", roleNamesOf(geo.Roles), quote(part)))
			return nil
		}
		out = append(out, r)
	}
	return out
}

// crs reads input_crs.
func (p *dispParams) crs() data.CRS {
	v, _ := p.one("input_crs")
	c, err := data.ParseCRS("input_crs", v)
	if err != nil {
		p.bad("input_crs", "wgs84, gcj02 or bd09, got "+quote(v))
		return data.WGS84
	}
	return c
}

// maxAge reads max_age_s (default 1800 s; 0 turns the age check off).
func (p *dispParams) maxAge() time.Duration {
	s := p.number("max_age_s", coverage.DefaultMaxAge.Seconds(), 0, 366*24*3600,
		"a number of seconds from 0 (no age check) to a year")
	return time.Duration(s * float64(time.Second))
}

func roleNamesOf(rs []geo.Role) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// parseNearest parses a nearest-responders query; batch requests take no
// lon and lat (their points come in the body).
func (s *Server) parseNearest(q url.Values, batch bool) (nearestRequest, error) {
	p := &dispParams{q: q}
	allowed := nearestParams
	if batch {
		allowed = nearestParams[2:]
	}
	p.only(allowed)
	p.format()
	out := nearestRequest{crs: p.crs()}
	out.query = coverage.NearestQuery{
		K:            p.integer("k", coverage.DefaultK, 1, coverage.MaxK),
		Roles:        p.roles("role"),
		Available:    p.boolean("available", true),
		MaxAge:       p.maxAge(),
		MaxDistanceM: p.number("max_distance_m", 0, math.SmallestNonzeroFloat64, 1e8, "a positive number of metres"),
		ETA:          s.disp.eta,
	}
	if !batch {
		for _, name := range []string{"lon", "lat"} {
			if _, ok := q[name]; !ok {
				p.bad(name, "a number (required)")
			}
		}
		out.input = orb.Point{
			p.number("lon", math.NaN(), -180, 180, "a longitude in [-180, 180]"),
			p.number("lat", math.NaN(), -90, 90, "a latitude in [-90, 90]"),
		}
		out.point = out.crs.ToWGS84(out.input)
	}
	if err := p.ps.Err("invalid nearest-responders query"); err != nil {
		return nearestRequest{}, err
	}
	return out, nil
}
