package api

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb"

	"gridwatch/data"
)

// parseCQL parses a CQL2 text filter on a layer with the schema; a
// malformed or unsupported filter is a *cqlSyntaxError naming the
// construct.
func parseCQL(src string, schema data.LayerSchema) (cqlExpr, error) {
	toks, err := lexCQL(src)
	if err != nil {
		return nil, &cqlSyntaxError{msg: err.Error()}
	}
	p := &cqlParser{toks: toks, src: src}
	e, err := p.parseOr(schema)
	if err != nil {
		return nil, err
	}
	if p.peek().kind != 0 {
		return nil, p.fail("unexpected text after the filter")
	}
	return e, nil
}

func (p *cqlParser) parseOr(sc data.LayerSchema) (cqlExpr, error) {
	e, err := p.parseAnd(sc)
	for err == nil && p.is("OR") {
		p.next()
		var r cqlExpr
		if r, err = p.parseAnd(sc); err == nil {
			e = cqlOr{e, r}
		}
	}
	return e, err
}

func (p *cqlParser) parseAnd(sc data.LayerSchema) (cqlExpr, error) {
	e, err := p.parseNot(sc)
	for err == nil && p.is("AND") {
		p.next()
		var r cqlExpr
		if r, err = p.parseNot(sc); err == nil {
			e = cqlAnd{e, r}
		}
	}
	return e, err
}

func (p *cqlParser) parseNot(sc data.LayerSchema) (cqlExpr, error) {
	if p.is("NOT") {
		p.next()
		e, err := p.parseNot(sc)
		return cqlNot{e}, err
	}
	if p.is("(") {
		p.next()
		e, err := p.parseOr(sc)
		if err != nil {
			return nil, err
		}
		return e, p.expect(")")
	}
	return p.parsePredicate(sc)
}

// supportedFunctions are the functions a filter may call.
var supportedFunctions = map[string]bool{
	"S_INTERSECTS": true, "T_INTERSECTS": true, "BBOX": true, "POINT": true, "LINESTRING": true,
	"POLYGON": true, "TIMESTAMP": true, "DATE": true, "INTERVAL": true,
}

func (p *cqlParser) parsePredicate(sc data.LayerSchema) (cqlExpr, error) {
	t := p.peek()
	if t.kind == 'i' && p.toks[p.at+1].kind == 'o' && p.toks[p.at+1].text == "(" {
		name := strings.ToUpper(t.text)
		switch name {
		case "S_INTERSECTS":
			return p.parseSIntersects(sc)
		case "T_INTERSECTS":
			return p.parseTIntersects(sc)
		}
		if !supportedFunctions[name] {
			return nil, p.fail("unsupported function %s (supported: S_INTERSECTS, T_INTERSECTS, and BBOX, POINT, LINESTRING, POLYGON, TIMESTAMP, DATE, INTERVAL as literals)", t.text)
		}
	}
	if t.kind == 'i' && (strings.EqualFold(t.text, "TRUE") || strings.EqualFold(t.text, "FALSE")) &&
		!p.isComparisonAt(p.at+1) {
		p.next()
		return cqlBool{strings.EqualFold(t.text, "TRUE")}, nil
	}
	l, err := p.parseScalar(sc)
	if err != nil {
		return nil, err
	}
	not := false
	if p.is("NOT") {
		p.next()
		not = true
		if !p.is("LIKE") && !p.is("BETWEEN") && !p.is("IN") {
			return nil, p.fail("expected LIKE, BETWEEN or IN after NOT")
		}
	}
	switch {
	case p.is("LIKE"):
		p.next()
		pt := p.next()
		if pt.kind != 's' {
			return nil, p.fail("expected a quoted pattern after LIKE")
		}
		if l.kind != kindString {
			return nil, p.fail("LIKE needs a string property")
		}
		return cqlLike{x: l, re: likePattern(pt.text), not: not}, nil
	case p.is("BETWEEN"):
		p.next()
		lo, err := p.parseScalar(sc)
		if err != nil {
			return nil, err
		}
		if err := p.expect("AND"); err != nil {
			return nil, err
		}
		hi, err := p.parseScalar(sc)
		if err != nil {
			return nil, err
		}
		lo, hi, err = p.unify(l, lo), p.unify(l, hi), nil
		if err = p.sameKind(l, lo, hi); err != nil {
			return nil, err
		}
		var e cqlExpr = cqlAnd{cqlCompare{">=", l, lo}, cqlCompare{"<=", l, hi}}
		if not {
			e = cqlNot{e}
		}
		return e, nil
	case p.is("IN"):
		p.next()
		if err := p.expect("("); err != nil {
			return nil, err
		}
		var list []cqlOperand
		for {
			o, err := p.parseScalar(sc)
			if err != nil {
				return nil, err
			}
			o = p.unify(l, o)
			if err := p.sameKind(l, o); err != nil {
				return nil, err
			}
			list = append(list, o)
			if !p.is(",") {
				break
			}
			p.next()
		}
		return cqlIn{x: l, list: list, not: not}, p.expect(")")
	case p.is("IS"):
		p.next()
		n := false
		if p.is("NOT") {
			p.next()
			n = true
		}
		return cqlIsNull{x: l, not: n}, p.expect("NULL")
	}
	op := p.peek()
	if op.kind != 'o' || !strings.Contains(" = <> < <= > >= ", " "+op.text+" ") {
		return nil, p.fail("expected a comparison (=, <>, <, <=, >, >=), LIKE, BETWEEN, IN or IS NULL")
	}
	p.next()
	r, err := p.parseScalar(sc)
	if err != nil {
		return nil, err
	}
	l, r = p.unify(r, l), p.unify(l, r)
	if err := p.sameKind(l, r); err != nil {
		return nil, err
	}
	if l.kind == kindBool && op.text != "=" && op.text != "<>" {
		return nil, p.fail("booleans compare with = and <> only")
	}
	return cqlCompare{op: op.text, l: l, r: r}, nil
}

func (p *cqlParser) isComparisonAt(i int) bool {
	t := p.toks[i]
	return t.kind == 'o' && strings.Contains(" = <> < <= > >= ", " "+t.text+" ") ||
		t.kind == 'i' && (strings.EqualFold(t.text, "IS") || strings.EqualFold(t.text, "IN") || strings.EqualFold(t.text, "NOT"))
}

// unify makes a string literal compared with a time property a time.
func (p *cqlParser) unify(to, o cqlOperand) cqlOperand {
	if to.kind == kindTime && o.prop == "" && o.kind == kindString {
		if t, err := parseCQLTime(o.str); err == nil {
			return cqlOperand{kind: kindTime, t: t}
		}
	}
	return o
}

func (p *cqlParser) sameKind(a cqlOperand, bs ...cqlOperand) error {
	for _, b := range bs {
		if a.kind != b.kind {
			return &cqlSyntaxError{msg: fmt.Sprintf("cannot compare %s with %s", describeOperand(a), describeOperand(b))}
		}
	}
	return nil
}

func describeOperand(o cqlOperand) string {
	kinds := map[cqlKind]string{kindString: "a string", kindNumber: "a number", kindBool: "a boolean", kindTime: "a time"}
	if o.prop != "" {
		return fmt.Sprintf("property %s (%s)", o.prop, kinds[o.kind])
	}
	return kinds[o.kind]
}

// parseScalar parses a property name or a literal.
func (p *cqlParser) parseScalar(sc data.LayerSchema) (cqlOperand, error) {
	t := p.next()
	switch t.kind {
	case 's':
		return cqlOperand{kind: kindString, str: t.text}, nil
	case 'n':
		return cqlOperand{kind: kindNumber, num: t.num}, nil
	case 'i':
		up := strings.ToUpper(t.text)
		switch up {
		case "TRUE", "FALSE":
			return cqlOperand{kind: kindBool, b: up == "TRUE"}, nil
		case "TIMESTAMP", "DATE":
			if p.is("(") {
				p.at--
				sp, err := p.parseInstant()
				return cqlOperand{kind: kindTime, t: sp.lo}, err
			}
		}
		if p.is("(") {
			p.at--
			return cqlOperand{}, p.fail("unsupported function %s here", t.text)
		}
		if isKeyword(up) || up == "NULL" {
			p.at--
			return cqlOperand{}, p.fail("expected a property or a value")
		}
		return queryableOperand(sc, t.text)
	}
	if t.kind != 0 {
		p.at--
	}
	return cqlOperand{}, p.fail("expected a property or a value")
}

// queryableOperand resolves a property name against the layer's schema.
func queryableOperand(sc data.LayerSchema, name string) (cqlOperand, error) {
	if name == "id" {
		return cqlOperand{prop: "id", kind: kindString}, nil
	}
	pr, ok := sc.Property(name)
	if !ok {
		return cqlOperand{}, &cqlSyntaxError{msg: fmt.Sprintf("no queryable %s in %s (queryables: %s)", quote(name), sc.Name, strings.Join(queryableNames(sc), ", "))}
	}
	o := cqlOperand{prop: name}
	switch pr.Type {
	case data.TypeInteger, data.TypeNumber:
		o.kind = kindNumber
	case data.TypeBoolean:
		o.kind = kindBool
	case data.TypeDate, data.TypeDateTime:
		o.kind, o.isDate = kindTime, pr.Type == data.TypeDate
	case data.TypeStrings:
		return cqlOperand{}, &cqlSyntaxError{msg: fmt.Sprintf("property %s is a list; filters on lists are not supported", name)}
	default:
		o.kind = kindString
	}
	return o, nil
}

// queryableNames returns the names a filter of the layer may use.
func queryableNames(sc data.LayerSchema) []string {
	out := []string{"id", "geometry"}
	for _, p := range sc.Properties {
		if p.Type != data.TypeStrings {
			out = append(out, p.Name)
		}
	}
	return out
}

// parseInstant parses TIMESTAMP('...') or DATE('...') into its span (a
// date covers its day).
func (p *cqlParser) parseInstant() (timeSpan, error) {
	fn := strings.ToUpper(p.next().text)
	if err := p.expect("("); err != nil {
		return timeSpan{}, err
	}
	s := p.next()
	if s.kind != 's' {
		return timeSpan{}, p.fail("expected a quoted %s", strings.ToLower(fn))
	}
	t, err := parseCQLTime(s.text)
	if err != nil {
		return timeSpan{}, &cqlSyntaxError{msg: err.Error()}
	}
	sp := timeSpan{lo: t, hi: t}
	if fn == "DATE" {
		sp.hi = t.AddDate(0, 0, 1).Add(-1)
	}
	return sp, p.expect(")")
}

// parseSIntersects parses S_INTERSECTS(geometry, literal) (either order).
func (p *cqlParser) parseSIntersects(sc data.LayerSchema) (cqlExpr, error) {
	p.next()
	if err := p.expect("("); err != nil {
		return nil, err
	}
	var lit orb.Geometry
	sawProp := false
	for k := range 2 {
		if k == 1 {
			if err := p.expect(","); err != nil {
				return nil, err
			}
		}
		t := p.peek()
		if t.kind == 'i' && (strings.EqualFold(t.text, "geometry") || strings.EqualFold(t.text, "geom")) && !p.nextIsParen() {
			p.next()
			sawProp = true
			continue
		}
		g, err := p.parseGeometryLiteral()
		if err != nil {
			return nil, err
		}
		lit = g
	}
	if !sawProp || lit == nil {
		return nil, p.fail("S_INTERSECTS takes the property geometry and a BBOX, POINT, LINESTRING or POLYGON")
	}
	return cqlSIntersects{g: lit}, p.expect(")")
}

func (p *cqlParser) nextIsParen() bool {
	n := p.toks[p.at+1]
	return n.kind == 'o' && n.text == "("
}

// parseGeometryLiteral parses BBOX(x1,y1,x2,y2), POINT(x y),
// LINESTRING(x y, ...) or POLYGON((x y, ...), ...).
func (p *cqlParser) parseGeometryLiteral() (orb.Geometry, error) {
	t := p.next()
	name := strings.ToUpper(t.text)
	if t.kind != 'i' || !p.is("(") {
		p.at--
		return nil, p.fail("expected a geometry (BBOX, POINT, LINESTRING, POLYGON)")
	}
	p.next()
	switch name {
	case "BBOX":
		var v []float64
		for len(v) < 4 {
			n := p.next()
			if n.kind != 'n' {
				p.at--
				return nil, p.fail("BBOX takes four numbers")
			}
			v = append(v, n.num)
			if len(v) < 4 {
				if err := p.expect(","); err != nil {
					return nil, err
				}
			}
		}
		if v[0] > v[2] || v[1] > v[3] {
			return nil, &cqlSyntaxError{msg: "BBOX takes minx, miny, maxx, maxy with the minimum first"}
		}
		return orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}, p.expect(")")
	case "POINT":
		pt, err := p.parsePoint()
		if err != nil {
			return nil, err
		}
		return pt, p.expect(")")
	case "LINESTRING":
		ls, err := p.parsePoints()
		if err != nil {
			return nil, err
		}
		return orb.LineString(ls), p.expect(")")
	case "POLYGON":
		var poly orb.Polygon
		for {
			if err := p.expect("("); err != nil {
				return nil, err
			}
			ring, err := p.parsePoints()
			if err != nil {
				return nil, err
			}
			if len(ring) < 4 || ring[0] != ring[len(ring)-1] {
				return nil, &cqlSyntaxError{msg: "a POLYGON ring needs at least four points, the last equal to the first"}
			}
			poly = append(poly, orb.Ring(ring))
			if err := p.expect(")"); err != nil {
				return nil, err
			}
			if !p.is(",") {
				break
			}
			p.next()
		}
		return poly, p.expect(")")
	}
	p.at -= 2
	return nil, p.fail("unsupported geometry %s (supported: BBOX, POINT, LINESTRING, POLYGON)", t.text)
}

func (p *cqlParser) parsePoint() (orb.Point, error) {
	x, y := p.next(), p.next()
	if x.kind != 'n' || y.kind != 'n' {
		return orb.Point{}, p.fail("expected a coordinate pair")
	}
	return orb.Point{x.num, y.num}, nil
}

func (p *cqlParser) parsePoints() ([]orb.Point, error) {
	var out []orb.Point
	for {
		pt, err := p.parsePoint()
		if err != nil {
			return nil, err
		}
		out = append(out, pt)
		if !p.is(",") {
			return out, nil
		}
		p.next()
	}
}

// parseTIntersects parses T_INTERSECTS(timeProperty, literal) (either
// order), the literal a TIMESTAMP, DATE or INTERVAL.
func (p *cqlParser) parseTIntersects(sc data.LayerSchema) (cqlExpr, error) {
	p.next()
	if sc.Time == "" {
		return nil, &cqlSyntaxError{msg: fmt.Sprintf("T_INTERSECTS: %s have no time property (these do: %s)", sc.Name, strings.Join(timedLayers(), ", "))}
	}
	if err := p.expect("("); err != nil {
		return nil, err
	}
	var span *timeSpan
	sawProp := false
	for k := range 2 {
		if k == 1 {
			if err := p.expect(","); err != nil {
				return nil, err
			}
		}
		t := p.peek()
		if t.kind == 'i' && !p.nextIsParen() {
			if t.text != sc.Time {
				return nil, p.fail("T_INTERSECTS of %s takes its time property %s", sc.Name, sc.Time)
			}
			p.next()
			sawProp = true
			continue
		}
		up := strings.ToUpper(t.text)
		switch up {
		case "TIMESTAMP", "DATE":
			sp, err := p.parseInstant()
			if err != nil {
				return nil, err
			}
			span = &sp
		case "INTERVAL":
			p.next()
			if err := p.expect("("); err != nil {
				return nil, err
			}
			var ends [2]timeSpan
			for i := range 2 {
				if i == 1 {
					if err := p.expect(","); err != nil {
						return nil, err
					}
				}
				s := p.next()
				if s.kind != 's' {
					p.at--
					return nil, p.fail("INTERVAL takes two quoted instants ('..' for an open end)")
				}
				switch {
				case s.text == ".." && i == 0:
					ends[i] = timeSpan{lo: minInstant, hi: minInstant}
				case s.text == "..":
					ends[i] = timeSpan{lo: maxInstant, hi: maxInstant}
				default:
					t, err := parseCQLTime(s.text)
					if err != nil {
						return nil, &cqlSyntaxError{msg: err.Error()}
					}
					ends[i] = timeSpan{lo: t, hi: t}
					if len(s.text) == len("2006-01-02") && i == 1 {
						ends[i].hi = t.AddDate(0, 0, 1).Add(-1)
					}
				}
			}
			sp := timeSpan{lo: ends[0].lo, hi: ends[1].hi}
			if sp.lo.After(sp.hi) {
				return nil, &cqlSyntaxError{msg: "INTERVAL: the start is after the end"}
			}
			span = &sp
			if err := p.expect(")"); err != nil {
				return nil, err
			}
		default:
			return nil, p.fail("T_INTERSECTS takes %s and a TIMESTAMP, DATE or INTERVAL", sc.Time)
		}
	}
	if !sawProp || span == nil {
		return nil, p.fail("T_INTERSECTS takes %s and a TIMESTAMP, DATE or INTERVAL", sc.Time)
	}
	return cqlTIntersects{span: *span}, p.expect(")")
}
