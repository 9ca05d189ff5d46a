package api

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/geo"
)

// randomFilter is a random CQL2 text expression with its meaning as a Go
// function over a feature's properties and geometry, written apart from
// the server's parser and evaluator.
type randomFilter struct {
	text string
	keep func(f *testFeatureItem) bool
}

// filterGen makes random filters over one layer from its features' values.
type filterGen struct {
	rng    *rand.Rand
	schema data.LayerSchema
	values map[string][]any // property → values seen in the layer
	bound  orb.Bound
}

func newFilterGen(a *geo.Atlas, layer string, seed uint64) *filterGen {
	sc, _ := data.SchemaOf(layer)
	g := &filterGen{rng: rand.New(rand.NewPCG(seed, 3)), schema: sc, values: map[string][]any{}}
	l, _ := a.Layer(layer)
	g.bound = l.Bound()
	for i := range l.Len() {
		for k, v := range data.ToFeature(l.Feature(i)).Properties {
			if _, isList := v.([]string); !isList && v != nil {
				g.values[k] = append(g.values[k], v)
			}
		}
	}
	return g
}

func (g *filterGen) pick(vs []any) any { return vs[g.rng.IntN(len(vs))] }

func literal(v any) string {
	switch x := v.(type) {
	case string:
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	case bool:
		return strings.ToUpper(fmt.Sprint(x))
	}
	return fmt.Sprint(v)
}

func num(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	}
	panic(fmt.Sprintf("num %T", v))
}

// leaf returns a random predicate.
func (g *filterGen) leaf() randomFilter {
	names := []string{"id"}
	for _, p := range g.schema.Properties {
		if p.Type != data.TypeStrings {
			names = append(names, p.Name)
		}
	}
	if g.rng.IntN(6) == 0 {
		x, y := g.bound.Min[0]+g.rng.Float64()*(g.bound.Max[0]-g.bound.Min[0]), g.bound.Min[1]+g.rng.Float64()*(g.bound.Max[1]-g.bound.Min[1])
		w, h := 0.3*g.rng.Float64()*(g.bound.Max[0]-g.bound.Min[0]), 0.3*g.rng.Float64()*(g.bound.Max[1]-g.bound.Min[1])
		b := orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + w, y + h}}
		text := fmt.Sprintf("S_INTERSECTS(geometry, BBOX(%.7f,%.7f,%.7f,%.7f))", b.Min[0], b.Min[1], b.Max[0], b.Max[1])
		if g.rng.IntN(2) == 0 {
			text = fmt.Sprintf("S_INTERSECTS(geometry, POLYGON((%.7f %.7f, %.7f %.7f, %.7f %.7f, %.7f %.7f, %.7f %.7f)))",
				b.Min[0], b.Min[1], b.Max[0], b.Min[1], b.Max[0], b.Max[1], b.Min[0], b.Max[1], b.Min[0], b.Min[1])
		}
		var rb orb.Bound
		_, _ = fmt.Sscanf(fmt.Sprintf("%.7f %.7f %.7f %.7f", b.Min[0], b.Min[1], b.Max[0], b.Max[1]), "%f %f %f %f", &rb.Min[0], &rb.Min[1], &rb.Max[0], &rb.Max[1])
		return randomFilter{text, func(f *testFeatureItem) bool { return clipMeets(f.item.FeatureGeometry().(orb.Geometry), rb) }}
	}
	name := names[g.rng.IntN(len(names))]
	vs := g.values[name]
	p, _ := g.schema.Property(name)
	if name == g.schema.Time && g.rng.IntN(2) == 0 {
		a, b := g.pick(vs).(string), g.pick(vs).(string)
		if a > b {
			a, b = b, a
		}
		text := fmt.Sprintf("T_INTERSECTS(%s, INTERVAL('%s', '%s'))", name, a, b)
		if p.Type == data.TypeDate {
			// A date is its whole day, and so is a date at an interval's end.
			return randomFilter{text, func(f *testFeatureItem) bool {
				d := f.props[name].(string)
				return d >= a && d <= b
			}}
		}
		ta, _ := time.Parse(time.RFC3339, a)
		tb, _ := time.Parse(time.RFC3339, b)
		return randomFilter{text, func(f *testFeatureItem) bool {
			t, _ := time.Parse(time.RFC3339, f.props[name].(string))
			return !t.Before(ta) && !t.After(tb)
		}}
	}
	v := g.pick(vs)
	get := func(f *testFeatureItem) any { return f.props[name] }

	switch {
	case p.Type == data.TypeInteger || p.Type == data.TypeNumber:
		x := num(v)
		switch g.rng.IntN(4) {
		case 0:
			lo, hi := min(x, num(g.pick(vs))), max(x, num(g.pick(vs)))
			return randomFilter{fmt.Sprintf("%s BETWEEN %v AND %v", name, lo, hi), func(f *testFeatureItem) bool {
				y := num(get(f))
				return y >= lo && y <= hi
			}}
		case 1:
			w := num(g.pick(vs))
			return randomFilter{fmt.Sprintf("%s IN (%v, %v)", name, x, w), func(f *testFeatureItem) bool {
				y := num(get(f))
				return y == x || y == w
			}}
		}
		ops := []string{"=", "<>", "<", "<=", ">", ">="}
		op := ops[g.rng.IntN(len(ops))]
		return randomFilter{fmt.Sprintf("%s %s %v", name, op, x), func(f *testFeatureItem) bool {
			y := num(get(f))
			return map[string]bool{"=": y == x, "<>": y != x, "<": y < x, "<=": y <= x, ">": y > x, ">=": y >= x}[op]
		}}
	case p.Type == data.TypeBoolean:
		b := v.(bool)
		return randomFilter{fmt.Sprintf("%s = %s", name, literal(b)), func(f *testFeatureItem) bool { return get(f).(bool) == b }}
	case p.Type == data.TypeDate || p.Type == data.TypeDateTime:
		s := v.(string)
		op := []string{"<", ">="}[g.rng.IntN(2)]
		fn := "TIMESTAMP"
		if p.Type == data.TypeDate {
			fn = "DATE"
		}
		return randomFilter{fmt.Sprintf("%s %s %s('%s')", name, op, fn, s), func(f *testFeatureItem) bool {
			// Both sides have the same layout, whose order is the time's.
			y := get(f).(string)
			if op == "<" {
				return y < s
			}
			return y >= s
		}}
	}
	s := v.(string)
	switch g.rng.IntN(4) {
	case 0:
		prefix := string([]rune(s)[:1+g.rng.IntN(len([]rune(s)))])
		return randomFilter{fmt.Sprintf("%s LIKE %s", name, literal(prefix+"%")), func(f *testFeatureItem) bool {
			return strings.HasPrefix(get(f).(string), prefix)
		}}
	case 1:
		w := g.pick(vs).(string)
		return randomFilter{fmt.Sprintf("%s NOT IN (%s, %s)", name, literal(s), literal(w)), func(f *testFeatureItem) bool {
			y := get(f).(string)
			return y != s && y != w
		}}
	case 2:
		return randomFilter{fmt.Sprintf("%s IS NOT NULL", name), func(f *testFeatureItem) bool { return get(f) != nil }}
	}
	op := []string{"=", "<>", "<", ">="}[g.rng.IntN(4)]
	return randomFilter{fmt.Sprintf("%s %s %s", name, op, literal(s)), func(f *testFeatureItem) bool {
		y := get(f).(string)
		return map[string]bool{"=": y == s, "<>": y != s, "<": y < s, ">=": y >= s}[op]
	}}
}

// expr returns a random expression of the given depth.
func (g *filterGen) expr(depth int) randomFilter {
	if depth == 0 || g.rng.IntN(3) == 0 {
		return g.leaf()
	}
	a := g.expr(depth - 1)
	switch g.rng.IntN(3) {
	case 0:
		b := g.expr(depth - 1)
		return randomFilter{"(" + a.text + ") AND (" + b.text + ")", func(f *testFeatureItem) bool { return a.keep(f) && b.keep(f) }}
	case 1:
		b := g.expr(depth - 1)
		return randomFilter{"(" + a.text + ") OR (" + b.text + ")", func(f *testFeatureItem) bool { return a.keep(f) || b.keep(f) }}
	}
	return randomFilter{"NOT (" + a.text + ")", func(f *testFeatureItem) bool { return !a.keep(f) }}
}

// TestFilter_RandomExpressionsMatchBruteForce sends random CQL2 filters on
// every layer of the default dataset and compares the answers with the
// expressions' meaning computed in Go.
func TestFilter_RandomExpressionsMatchBruteForce(t *testing.T) {
	t.Parallel()
	a := defaultAtlas(t)
	s := New(Options{Atlas: func() *geo.Atlas { return a }})
	for k, layer := range geo.LayerNames {
		l, _ := a.Layer(layer)
		if l.Len() == 0 {
			continue
		}
		t.Run(layer, func(t *testing.T) {
			t.Parallel()
			g := newFilterGen(a, layer, uint64(k))
			nonEmpty := 0
			for range 40 {
				f := g.expr(3)
				want := bruteForce(a, layer, f.keep)
				got, _ := getAll(t, s, "/collections/"+layer+"/items?limit=10000&filter="+url.QueryEscape(f.text))
				require.Equal(t, want, got, f.text)
				if len(want) > 0 && len(want) < l.Len() {
					nonEmpty++
				}
			}
			require.Greater(t, nonEmpty, 5, "the filters select something, not everything, often enough")
		})
	}
}

func TestFilter_BadFiltersName(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 20)
	for _, tt := range []struct{ layer, filter, want string }{
		{"grids", "population + 1 > 3", `"+"`},
		{"grids", "S_WITHIN(geometry, BBOX(1,2,3,4))", "S_WITHIN"},
		{"grids", "CASEI(name) = 'a'", "CASEI"},
		{"grids", "nosuch = 1", `"nosuch"`},
		{"grids", "population = 'many'", "cannot compare"},
		{"grids", "T_INTERSECTS(time, DATE('2024-01-01'))", "no time property"},
		{"grids", "S_INTERSECTS(geometry, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0))))", "MULTIPOLYGON"},
		{"grids", "township = 'T1' AND", "at the end"},
		{"grids", "name LIKE 3", "pattern"},
		{"responders", "grids = 'g1'", "list"},
		{"incidents", "time > TIMESTAMP('yesterday')", "yesterday"},
	} {
		rec := get(t, s, "/collections/"+tt.layer+"/items?filter="+url.QueryEscape(tt.filter))
		p := requireProblem(t, rec, 400)
		require.Contains(t, fmt.Sprint(p), tt.want, tt.filter)
	}
	requireProblemField(t, get(t, s, "/collections/grids/items?filter=id%3D'g1'&filter-lang=cql2-json"), "filter-lang")
	// Accepted languages.
	for _, lang := range []string{"cql2-text", "cql-text"} {
		fc := getItems(t, s, "/collections/grids/items?filter="+url.QueryEscape("id = 'g1'")+"&filter-lang="+lang)
		require.Equal(t, []string{"g1"}, fc.ids())
	}
}

func TestQueryables(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	rec := get(t, s, "/collections/incidents/queryables")
	require.Equal(t, 200, rec.Code)
	require.Equal(t, mediaSchema, rec.Header().Get("Content-Type"))
	doc := decode[map[string]any](t, rec)
	props := doc["properties"].(map[string]any)
	sc, _ := data.SchemaOf("incidents")
	want := []string{"geometry", "id"}
	for _, p := range sc.Properties {
		want = append(want, p.Name)
	}
	var got []string
	for k := range props {
		got = append(got, k)
	}
	slices.Sort(want)
	slices.Sort(got)
	require.Equal(t, want, got)
	require.Equal(t, "date-time", props["time"].(map[string]any)["format"])
	require.Equal(t, "geometry-point", props["geometry"].(map[string]any)["format"])
	requireProblem(t, get(t, s, "/collections/nosuch/queryables"), 404)
}
