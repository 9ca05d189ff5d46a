package api

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"gridwatch/data"
	"gridwatch/geo"
)

// minInstant and maxInstant stand for the open ends of an INTERVAL.
var (
	minInstant = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxInstant = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
)

// cqlRow is what a filter reads of one feature.
type cqlRow struct {
	props map[string]any
	geom  orb.Geometry
	span  timeSpan // the feature's time; zero on layers without one
}

// cqlExpr is a boolean filter expression.
type cqlExpr interface{ eval(r *cqlRow) bool }

type (
	cqlAnd  struct{ a, b cqlExpr }
	cqlOr   struct{ a, b cqlExpr }
	cqlNot  struct{ x cqlExpr }
	cqlBool struct{ v bool }
	// cqlCompare compares two scalars of one kind.
	cqlCompare struct {
		op   string
		l, r cqlOperand
	}
	cqlLike struct {
		x   cqlOperand
		re  *regexp.Regexp
		not bool
	}
	cqlIn struct {
		x    cqlOperand
		list []cqlOperand
		not  bool
	}
	cqlIsNull struct {
		x   cqlOperand
		not bool
	}
	cqlSIntersects struct{ g orb.Geometry }
	cqlTIntersects struct{ span timeSpan }
)

// cqlKind is the kind of a scalar: string, number, boolean or time.
type cqlKind byte

const (
	kindString cqlKind = 's'
	kindNumber cqlKind = 'n'
	kindBool   cqlKind = 'b'
	kindTime   cqlKind = 't'
)

// cqlOperand is a property or a literal.
type cqlOperand struct {
	prop string // "" for a literal
	kind cqlKind
	// isDate marks a date property (compared by its day's start).
	isDate bool
	str    string
	num    float64
	b      bool
	t      time.Time
}

// value returns the operand's value in the row, and false when the
// property is absent or null.
func (o cqlOperand) value(r *cqlRow) (cqlOperand, bool) {
	if o.prop == "" {
		return o, true
	}
	v, ok := r.props[o.prop]
	if !ok || v == nil {
		return o, false
	}
	out := cqlOperand{kind: o.kind}
	switch o.kind {
	case kindString:
		s, ok := v.(string)
		out.str = s
		return out, ok
	case kindNumber:
		switch x := v.(type) {
		case float64:
			out.num = x
		case int:
			out.num = float64(x)
		case int64:
			out.num = float64(x)
		default:
			return out, false
		}
		return out, true
	case kindBool:
		b, ok := v.(bool)
		out.b = b
		return out, ok
	case kindTime:
		s, _ := v.(string)
		t, err := parseCQLTime(s)
		out.t = t
		return out, err == nil
	}
	return out, false
}

// cmp compares two values of one kind: -1, 0 or 1.
func (o cqlOperand) cmp(p cqlOperand) int {
	switch o.kind {
	case kindString:
		return strings.Compare(o.str, p.str)
	case kindNumber:
		switch {
		case o.num < p.num:
			return -1
		case o.num > p.num:
			return 1
		}
		return 0
	case kindBool:
		switch {
		case o.b == p.b:
			return 0
		case !o.b:
			return -1
		}
		return 1
	case kindTime:
		return o.t.Compare(p.t)
	}
	return 0
}

func (e cqlAnd) eval(r *cqlRow) bool { return e.a.eval(r) && e.b.eval(r) }
func (e cqlOr) eval(r *cqlRow) bool  { return e.a.eval(r) || e.b.eval(r) }
func (e cqlNot) eval(r *cqlRow) bool { return !e.x.eval(r) }
func (e cqlBool) eval(*cqlRow) bool  { return e.v }
func (e cqlIsNull) eval(r *cqlRow) bool {
	_, ok := e.x.value(r)
	return ok == e.not
}

func (e cqlCompare) eval(r *cqlRow) bool {
	l, ok1 := e.l.value(r)
	rv, ok2 := e.r.value(r)
	if !ok1 || !ok2 {
		return false
	}
	c := l.cmp(rv)
	switch e.op {
	case "=":
		return c == 0
	case "<>":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return false
}

func (e cqlLike) eval(r *cqlRow) bool {
	v, ok := e.x.value(r)
	if !ok {
		return false
	}
	return e.re.MatchString(v.str) != e.not
}

func (e cqlIn) eval(r *cqlRow) bool {
	v, ok := e.x.value(r)
	if !ok {
		return false
	}
	for _, o := range e.list {
		if w, ok := o.value(r); ok && v.cmp(w) == 0 {
			return !e.not
		}
	}
	return e.not
}

func (e cqlSIntersects) eval(r *cqlRow) bool { return r.geom != nil && geometriesMeet(r.geom, e.g) }

func (e cqlTIntersects) eval(r *cqlRow) bool {
	return !r.span.lo.IsZero() && !r.span.lo.After(e.span.hi) && !r.span.hi.Before(e.span.lo)
}

// likePattern compiles a LIKE pattern: % any run, _ one character, \ escapes.
func likePattern(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	esc := false
	for _, c := range p {
		switch {
		case esc:
			b.WriteString(regexp.QuoteMeta(string(c)))
			esc = false
		case c == '\\':
			esc = true
		case c == '%':
			b.WriteString("(?s:.*)")
		case c == '_':
			b.WriteString("(?s:.)")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// parseCQLTime parses a timestamp or date literal: RFC 3339, or a date
// (also "2006-01-02T", as GDAL 3.6 writes a date), which stands for its
// start (UTC).
func parseCQLTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02T15", "2006-01-02T", data.DateLayout} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date or RFC 3339 timestamp: %q", s)
}

// geometriesMeet reports whether a feature's geometry meets a literal
// geometry (a box, point, line or polygon).
func geometriesMeet(g, lit orb.Geometry) bool {
	switch l := lit.(type) {
	case orb.Bound:
		return geo.IntersectsBound(g, l)
	case orb.Point:
		return geo.IntersectsBound(g, orb.Bound{Min: l, Max: l})
	}
	if !g.Bound().Intersects(lit.Bound()) {
		return false
	}
	return shapesMeet(g, lit)
}

// shapesMeet tests two geometries made of points, lines and polygons:
// they meet when an edge of one crosses an edge of the other, or a vertex
// of one lies in a polygon of the other (or on a point of it).
func shapesMeet(a, b orb.Geometry) bool {
	pa, la, ra := parts(a)
	pb, lb, rb := parts(b)
	for _, p := range pa {
		if pointInAny(p, rb) || pointOnAny(p, pb) || pointOnLines(p, lb) {
			return true
		}
	}
	for _, p := range pb {
		if pointInAny(p, ra) || pointOnLines(p, la) {
			return true
		}
	}
	for _, x := range la {
		for _, y := range lb {
			if pathsCross(x, y) {
				return true
			}
		}
		if len(x) > 0 && pointInAny(x[0], rb) {
			return true
		}
	}
	for _, y := range lb {
		if len(y) > 0 && pointInAny(y[0], ra) {
			return true
		}
	}
	return false
}

// parts splits a geometry into its points, its paths (lines and rings,
// rings closed) and its polygons.
func parts(g orb.Geometry) ([]orb.Point, [][]orb.Point, []orb.Polygon) {
	switch v := g.(type) {
	case orb.Point:
		return []orb.Point{v}, nil, nil
	case orb.MultiPoint:
		return v, nil, nil
	case orb.LineString:
		return nil, [][]orb.Point{v}, nil
	case orb.MultiLineString:
		var ls [][]orb.Point
		for _, l := range v {
			ls = append(ls, l)
		}
		return nil, ls, nil
	case orb.Polygon:
		var ls [][]orb.Point
		for _, r := range v {
			ls = append(ls, closed(r))
		}
		return nil, ls, []orb.Polygon{v}
	case orb.MultiPolygon:
		var ls [][]orb.Point
		var ps []orb.Polygon
		for _, p := range v {
			_, l, _ := parts(p)
			ls = append(ls, l...)
			ps = append(ps, p)
		}
		return nil, ls, ps
	case orb.Bound:
		return parts(v.ToPolygon())
	}
	return nil, nil, nil
}

func closed(r orb.Ring) []orb.Point {
	if len(r) > 0 && r[0] != r[len(r)-1] {
		return append(append([]orb.Point{}, r...), r[0])
	}
	return r
}

func pointInAny(p orb.Point, polys []orb.Polygon) bool {
	for _, poly := range polys {
		if geo.Prepare(poly).Contains(p) {
			return true
		}
	}
	return false
}

func pointOnAny(p orb.Point, pts []orb.Point) bool {
	for _, q := range pts {
		if p == q {
			return true
		}
	}
	return false
}

func pointOnLines(p orb.Point, ls [][]orb.Point) bool {
	for _, l := range ls {
		if geo.IntersectsBound(orb.LineString(l), orb.Bound{Min: p, Max: p}) {
			return true
		}
	}
	return false
}

// pathsCross reports whether two polylines have segments that meet.
func pathsCross(a, b []orb.Point) bool {
	for i := 0; i+1 < len(a); i++ {
		sa := orb.Bound{Min: a[i], Max: a[i]}.Extend(a[i+1])
		for j := 0; j+1 < len(b); j++ {
			if !sa.Intersects(orb.Bound{Min: b[j], Max: b[j]}.Extend(b[j+1])) {
				continue
			}
			if segmentsMeet(a[i], a[i+1], b[j], b[j+1]) {
				return true
			}
		}
	}
	return false
}

// segmentsMeet reports whether segments pq and rs share a point.
func segmentsMeet(p, q, r, s orb.Point) bool {
	d1, d2 := orient(r, s, p), orient(r, s, q)
	d3, d4 := orient(p, q, r), orient(p, q, s)
	if (d1 > 0 && d2 < 0 || d1 < 0 && d2 > 0) && (d3 > 0 && d4 < 0 || d3 < 0 && d4 > 0) {
		return true
	}
	on := func(a, b, c orb.Point, d float64) bool {
		return d == 0 && math.Min(a[0], b[0]) <= c[0] && c[0] <= math.Max(a[0], b[0]) &&
			math.Min(a[1], b[1]) <= c[1] && c[1] <= math.Max(a[1], b[1])
	}
	return on(r, s, p, d1) || on(r, s, q, d2) || on(p, q, r, d3) || on(p, q, s, d4)
}

func orient(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}
