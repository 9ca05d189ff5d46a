package data

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"gridwatch/geo"
)

// propReader reads typed properties of one feature and records every problem.
type propReader struct {
	layer  string
	index  int
	id     string
	props  geojson.Properties
	schema LayerSchema
	ps     *geo.Problems
}

func (r *propReader) bad(field, expected string) {
	r.ps.Add(r.layer, r.index, r.id, field, expected)
}

func (r *propReader) get(name string) (any, bool) {
	v, ok := r.props[name]
	if !ok || v == nil {
		if p, _ := r.schema.Property(name); p.Required {
			r.bad(name, "a value (the property is required)")
		}
		return nil, false
	}
	return v, true
}

func (r *propReader) str(name string) string {
	v, ok := r.get(name)
	if !ok {
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		r.bad(name, fmt.Sprintf("a string, got %s", jsonKind(v)))
	}
	return s
}

func (r *propReader) num(name string) float64 {
	v, ok := r.get(name)
	if !ok {
		return math.NaN()
	}
	f, isNum := v.(float64)
	if !isNum {
		r.bad(name, fmt.Sprintf("a number, got %s", jsonKind(v)))
		return math.NaN()
	}
	return f
}

// optNum reads an optional number: 0 when it is absent.
func (r *propReader) optNum(name string) float64 {
	if v, ok := r.props[name]; !ok || v == nil {
		return 0
	}
	return r.num(name)
}

func (r *propReader) integer(name string) int {
	f := r.num(name)
	if math.IsNaN(f) {
		return 0
	}
	if f != math.Trunc(f) || math.Abs(f) > 1e15 {
		r.bad(name, fmt.Sprintf("an integer, got %g", f))
		return 0
	}
	return int(f)
}

func (r *propReader) boolean(name string) bool {
	v, ok := r.get(name)
	if !ok {
		return false
	}
	b, isBool := v.(bool)
	if !isBool {
		r.bad(name, fmt.Sprintf("true or false, got %s", jsonKind(v)))
	}
	return b
}

func (r *propReader) timeOf(name, layout, what string) time.Time {
	s := r.str(name)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		r.bad(name, fmt.Sprintf("%s, got %q", what, s))
	}
	return t
}

func (r *propReader) strings(name string) []string {
	v, ok := r.get(name)
	if !ok {
		return nil
	}
	list, isList := v.([]any)
	if !isList {
		r.bad(name, fmt.Sprintf("an array of strings, got %s", jsonKind(v)))
		return nil
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, isStr := e.(string)
		if !isStr {
			r.bad(name, fmt.Sprintf("an array of strings, got an element that is %s", jsonKind(e)))
			return nil
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func jsonKind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("the string %q", x)
	case float64:
		return "the number " + strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// featureID reads the feature's id: the GeoJSON "id" member (a string or an
// integer) or the "id" property; when both are given they must agree.
func featureID(f *geojson.Feature, r *propReader) string {
	var member, prop string
	switch v := f.ID.(type) {
	case nil:
	case string:
		member = v
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			member = strconv.FormatInt(int64(v), 10)
		} else {
			r.bad("id", fmt.Sprintf("a string or integer id, got %g", v))
		}
	default:
		r.bad("id", fmt.Sprintf("a string or integer id, got %s", jsonKind(v)))
	}
	if v, ok := f.Properties["id"]; ok && v != nil {
		switch x := v.(type) {
		case string:
			prop = x
		case float64:
			prop = strconv.FormatFloat(x, 'f', -1, 64)
		default:
			r.bad("id", fmt.Sprintf("a string id, got %s", jsonKind(v)))
		}
	}
	switch {
	case member != "" && prop != "" && member != prop:
		r.bad("id", fmt.Sprintf("the same id in the feature (%q) and its properties (%q)", member, prop))
	case member == "":
		member = prop
	}
	if member == "" {
		r.bad("id", "a feature id (the \"id\" member or property)")
	}
	return member
}

// FromFeature converts a GeoJSON feature of a layer to a domain item. It
// reports every problem found (each naming the layer, the index, the id and
// the field); the item is nil when there is any.
func FromFeature(layer string, index int, f *geojson.Feature) (geo.Feature, geo.Problems) {
	var ps geo.Problems
	schema, ok := SchemaOf(layer)
	if !ok {
		ps.Add(layer, index, "", "layer", "one of "+strings.Join(geo.LayerNames, ", "))
		return nil, ps
	}
	r := &propReader{layer: layer, index: index, props: f.Properties, schema: schema, ps: &ps}
	if r.props == nil {
		r.props = geojson.Properties{}
	}
	r.id = featureID(f, r)
	for name := range r.props {
		if _, known := schema.Property(name); !known && name != "id" {
			r.bad(name, "no such property; "+layer+" have "+propertyNames(schema))
		}
	}
	item := decodeItem(r, f.Geometry)
	if len(ps) > 0 {
		return nil, ps
	}
	return item, nil
}

func propertyNames(s LayerSchema) string {
	names := []string{"id"}
	for _, p := range s.Properties {
		names = append(names, p.Name)
	}
	return strings.Join(names, ", ")
}

func (r *propReader) point(g orb.Geometry) orb.Point {
	p, ok := g.(orb.Point)
	if !ok {
		r.bad("geometry", "a Point, got "+geometryName(g))
	}
	return p
}

func (r *propReader) lineString(g orb.Geometry) orb.LineString {
	l, ok := g.(orb.LineString)
	if !ok {
		r.bad("geometry", "a LineString, got "+geometryName(g))
	}
	return l
}

func (r *propReader) polygon(g orb.Geometry) orb.Polygon {
	p, ok := g.(orb.Polygon)
	if !ok {
		r.bad("geometry", "a Polygon, got "+geometryName(g))
	}
	return p
}

func (r *propReader) multiPolygon(g orb.Geometry) orb.MultiPolygon {
	switch v := g.(type) {
	case orb.MultiPolygon:
		return v
	case orb.Polygon:
		return orb.MultiPolygon{v}
	}
	r.bad("geometry", "a Polygon or MultiPolygon, got "+geometryName(g))
	return nil
}

func geometryName(g orb.Geometry) string {
	if g == nil {
		return "null"
	}
	return g.GeoJSONType()
}
