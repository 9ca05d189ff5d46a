package api

import (
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// nearestParams are the parameters of the nearest-responders endpoints.
var nearestParams = []string{"lon", "lat", "k", "role", "available", "max_age_s", "max_distance_m", "input_crs", "order", "f", "eta_model", "routes"}

// nearestRequest is a parsed nearest-responders request.
type nearestRequest struct {
	// query holds the filters; its Point and Now are set per point.
	query coverage.NearestQuery
	// crs is the coordinate system the point(s) came in.
	crs data.CRS
	// input is the point as given (in crs); point is it in WGS84. Both
	// are unset for a batch, whose points come in the body.
	input, point orb.Point
	// model is the eta_model asked for; "" means the dataset's default.
	model coverage.ETAModel
}

// roles reads a comma-separated list of roles.
func (p *paramReader) roles(name string) []geo.Role {
	v, ok := p.str(name)
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
func (p *paramReader) crs() data.CRS {
	v, _ := p.str("input_crs")
	c, err := data.ParseCRS("input_crs", v)
	if err != nil {
		p.bad("input_crs", "wgs84, gcj02 or bd09, got "+quote(v))
		return data.WGS84
	}
	return c
}

// order reads order: eta (the default) or distance.
func (p *paramReader) order() coverage.Order {
	v, _ := p.str("order")
	o, err := coverage.ParseOrder(v)
	if err != nil {
		p.bad("order", "eta (by arrival time, the default) or distance, got "+quote(v))
		return coverage.OrderETA
	}
	return o
}

// maxAge reads max_age_s (default 1800 s; 0 turns the age check off).
func (p *paramReader) maxAge() time.Duration {
	s := p.numberAs("max_age_s", coverage.DefaultMaxAge.Seconds(), 0, 366*24*3600,
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
	p := newQueryParams(q)
	allowed := nearestParams
	if batch {
		allowed = nearestParams[2:]
	}
	p.accept(allowed)
	p.format()
	out := nearestRequest{crs: p.crs()}
	out.query = coverage.NearestQuery{
		K:            p.integer("k", coverage.DefaultK, 1, coverage.MaxK),
		Roles:        p.roles("role"),
		Available:    p.boolean("available", true),
		MaxAge:       p.maxAge(),
		MaxDistanceM: p.numberAs("max_distance_m", 0, math.SmallestNonzeroFloat64, 1e8, "a positive number of metres"),
		ETA:          s.disp.eta,
		Order:        p.order(),
	}
	if v, ok := p.str("eta_model"); ok {
		out.model = coverage.ETAModel(v)
		if !out.model.Valid() {
			p.bad("eta_model", "network or straight, got "+quote(v))
		}
	}
	out.query.Routes = p.boolean("routes", false)
	if out.query.Routes && out.model == coverage.ModelStraight {
		p.bad("routes", "false with eta_model=straight (routes are on the road network)")
	}
	if !batch {
		for _, name := range []string{"lon", "lat"} {
			if _, ok := q[name]; !ok {
				p.bad(name, "a number (required)")
			}
		}
		out.input = orb.Point{
			p.numberAs("lon", math.NaN(), -180, 180, "a longitude in [-180, 180]"),
			p.numberAs("lat", math.NaN(), -90, 90, "a latitude in [-90, 90]"),
		}
		out.point = out.crs.ToWGS84(out.input)
	}
	if err := p.ps.Err("invalid nearest-responders query"); err != nil {
		return nearestRequest{}, err
	}
	return out, nil
}

// useModel settles the request's arrival-time model on a: network by
// default where the dataset has roads; asking for the network (or routes)
// on a dataset without roads is a 400 naming the parameter.
func (req *nearestRequest) useModel(a *geo.Atlas) error {
	def := coverage.DefaultModel(a)
	if req.model == "" {
		req.model = def
	}
	if req.model == coverage.ModelNetwork && def != coverage.ModelNetwork {
		var ps geo.Problems
		field := "eta_model"
		if req.query.Routes {
			field = "routes"
		}
		ps.Add("query", -1, "", field, "eta_model=straight and no routes: the dataset has no roads")
		return ps.Err("invalid nearest-responders query")
	}
	if req.model == coverage.ModelNetwork {
		req.query.Network = a.Network()
	}
	return nil
}
