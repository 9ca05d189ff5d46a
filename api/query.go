package api

import (
	"context"
	"strconv"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// ctxCheckEvery is how many items a scan handles between context checks.
const ctxCheckEvery = 4096

// match returns the indexes, in layer order, of the items that satisfy the
// query's bbox, datetime and property filters. The layer must be built.
// The R-tree picks the bbox's candidates by bounding box; each is then
// tested exactly, so that a polygon whose bounding box meets the bbox but
// whose outline does not is left out.
func (d *layerData) match(ctx context.Context, q itemsQuery) ([]int, error) {
	n := d.layer.Len()
	var candidates []int
	if q.boxes != nil {
		hit := make([]bool, n)
		for _, box := range q.boxes {
			d.layer.Search(box, func(i int) bool {
				if !hit[i] && d.bounds[i].Intersects(box) && geometryMeets(d.layer.Feature(i), box) {
					hit[i] = true
				}
				return true
			})
		}
		for i, h := range hit {
			if h {
				candidates = append(candidates, i)
			}
		}
	}
	keep := func(i int) bool {
		if q.when != nil && !q.when.meets(d.spans[i]) {
			return false
		}
		props := d.features[i].Properties
		for _, f := range q.filters {
			if propString(props[f.name]) != f.value {
				return false
			}
		}
		if q.filter != nil {
			row := cqlRow{props: props, geom: d.features[i].Geometry}
			if d.spans != nil {
				row.span = d.spans[i]
			}
			return q.filter.eval(&row)
		}
		return true
	}
	var out []int
	visit := func(k, i int) error {
		if k%ctxCheckEvery == ctxCheckEvery-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if keep(i) {
			out = append(out, i)
		}
		return nil
	}
	if q.boxes != nil {
		for k, i := range candidates {
			if err := visit(k, i); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	out = make([]int, 0, n)
	for i := range n {
		if err := visit(i, i); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// geometryMeets reports whether an item's geometry meets box.
func geometryMeets(f geo.Feature, box orb.Bound) bool {
	g, ok := f.FeatureGeometry().(orb.Geometry)
	return ok && geo.IntersectsBound(g, box)
}

// propString returns a property value as a filter compares it.
func propString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		return ""
	}
	return ""
}
