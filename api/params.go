package api

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"gridwatch/data"
	"gridwatch/geo"
)

// itemsQuery is a parsed items request.
type itemsQuery struct {
	limit, offset int
	boxes         []orb.Bound // the bbox, two boxes across the antimeridian; nil without bbox
	when          *interval   // nil without datetime
	filters       []propFilter
	filter        cqlExpr // the CQL2 filter; nil without one
	// canonical is the query with limit set to the limit in effect, for
	// links; it keeps every parameter of the request except f.
	canonical url.Values
}

// propFilter is an exact-match property filter.
type propFilter struct {
	name, value string
}

// itemsParams are the parameters of the items endpoint besides property
// filters.
var itemsParams = []string{"bbox", "datetime", "f", "filter", "filter-lang", "limit", "offset"}

// parseItemsQuery parses and checks the query of an items request on a
// layer; every problem is reported at once as an Invalid error.
func (s *Server) parseItemsQuery(q url.Values, schema data.LayerSchema) (itemsQuery, error) {
	out := itemsQuery{limit: s.defLimit, canonical: url.Values{}}
	var ps geo.Problems
	bad := func(field, expected string) { ps.Add(schema.Name, -1, "", field, expected) }
	for _, name := range sortedKeys(q) {
		vs := q[name]
		if len(vs) != 1 {
			bad(name, "the parameter once")
			continue
		}
		v := vs[0]
		if name != "f" {
			out.canonical.Set(name, v)
		}
		switch name {
		case "f":
		case "limit":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				bad(name, fmt.Sprintf("an integer from 1 to %d (larger values are reduced to %d), got %s", s.maxLimit, s.maxLimit, quote(v)))
				continue
			}
			out.limit = min(n, s.maxLimit)
		case "offset":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				bad(name, "an integer >= 0, got "+quote(v))
				continue
			}
			out.offset = n
		case "bbox":
			boxes, msg := parseBBox(v)
			if msg != "" {
				bad(name, msg)
				continue
			}
			out.boxes = boxes
		case "filter":
			lang := q.Get("filter-lang")
			if lang != "" && lang != "cql2-text" && lang != "cql-text" {
				continue // reported under filter-lang
			}
			e, err := parseCQL(v, schema)
			if err != nil {
				bad(name, "a CQL2 text filter: "+err.Error())
				continue
			}
			out.filter = e
		case "filter-lang":
			if v != "cql2-text" && v != "cql-text" {
				bad(name, "cql2-text (or cql-text, as GDAL 3.6 names it); got "+quote(v))
			}
		case "datetime":
			if schema.Time == "" {
				bad(name, fmt.Sprintf("no datetime: %s have no time property (these collections do: %s)", schema.Name, strings.Join(timedLayers(), ", ")))
				continue
			}
			iv, msg := parseInterval(v)
			if msg != "" {
				bad(name, msg)
				continue
			}
			out.when = &iv
		default:
			f, msg := parseFilter(schema, name, v)
			if msg != "" {
				bad(name, msg)
				continue
			}
			out.filters = append(out.filters, f)
		}
	}
	if err := ps.Err("invalid query of collection " + quote(schema.Name)); err != nil {
		return itemsQuery{}, err
	}
	out.canonical.Set("limit", strconv.Itoa(out.limit))
	return out, nil
}

// parseBBox parses a bbox of 4 or 6 numbers (lon/lat in CRS84). A box whose
// west edge is east of its east edge crosses the antimeridian and becomes
// two boxes. It returns what was expected when the value is bad.
func parseBBox(v string) ([]orb.Bound, string) {
	const want = "4 or 6 comma-separated numbers: minlon,minlat,maxlon,maxlat (or minlon,minlat,minh,maxlon,maxlat,maxh)"
	parts := strings.Split(v, ",")
	if len(parts) != 4 && len(parts) != 6 {
		return nil, fmt.Sprintf("%s; got %d values", want, len(parts))
	}
	nums := make([]float64, len(parts))
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Sprintf("%s; value %d is %s", want, i+1, quote(p))
		}
		nums[i] = f
	}
	minLon, minLat, maxLon, maxLat := nums[0], nums[1], nums[2], nums[3]
	if len(nums) == 6 {
		minLon, minLat, maxLon, maxLat = nums[0], nums[1], nums[3], nums[4]
		if nums[2] > nums[5] {
			return nil, fmt.Sprintf("the lower height first; got %g above %g", nums[2], nums[5])
		}
	}
	for _, lon := range []float64{minLon, maxLon} {
		if lon < -180 || lon > 180 {
			return nil, fmt.Sprintf("longitudes in [-180, 180]; got %g", lon)
		}
	}
	for _, lat := range []float64{minLat, maxLat} {
		if lat < -90 || lat > 90 {
			return nil, fmt.Sprintf("latitudes in [-90, 90]; got %g", lat)
		}
	}
	if minLat > maxLat {
		return nil, fmt.Sprintf("the southern latitude first; got minlat %g > maxlat %g", minLat, maxLat)
	}
	if minLon > maxLon {
		return []orb.Bound{
			{Min: orb.Point{minLon, minLat}, Max: orb.Point{180, maxLat}},
			{Min: orb.Point{-180, minLat}, Max: orb.Point{maxLon, maxLat}},
		}, ""
	}
	return []orb.Bound{{Min: orb.Point{minLon, minLat}, Max: orb.Point{maxLon, maxLat}}}, ""
}

// parseFilter checks a property filter against the layer's schema. Boolean
// properties take true or false (1 and 0 too, as GDAL sends them).
func parseFilter(schema data.LayerSchema, name, v string) (propFilter, string) {
	p, ok := schema.Property(name)
	if !ok && name != "id" {
		return propFilter{}, fmt.Sprintf("no such parameter; %s accept %s", schema.Name, strings.Join(acceptedParams(schema), ", "))
	}
	if !p.Filterable {
		return propFilter{}, fmt.Sprintf("a filterable property; %s of %s is not (filterable: %s)", quote(name), schema.Name, strings.Join(filterable(schema), ", "))
	}
	if p.Type == data.TypeBoolean {
		switch strings.ToLower(v) {
		case "true", "1":
			v = "true"
		case "false", "0":
			v = "false"
		default:
			return propFilter{}, "true or false, got " + quote(v)
		}
	}
	return propFilter{name: name, value: v}, ""
}

// filterable returns the names of the layer's filterable properties.
func filterable(schema data.LayerSchema) []string {
	var out []string
	for _, p := range schema.Properties {
		if p.Filterable {
			out = append(out, p.Name)
		}
	}
	return out
}

// acceptedParams returns every query parameter the layer's items accept.
func acceptedParams(schema data.LayerSchema) []string {
	out := slices.Clone(itemsParams)
	if schema.Time == "" {
		out = slices.DeleteFunc(out, func(s string) bool { return s == "datetime" })
	}
	return append(out, filterable(schema)...)
}

// timedLayers returns the layers that have a time property.
func timedLayers() []string {
	var out []string
	for _, s := range data.Schemas {
		if s.Time != "" {
			out = append(out, s.Name)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
