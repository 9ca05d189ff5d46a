package api

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// gridGeometries keeps the encoded GeoJSON geometry of every grid of the
// last grids layer seen: a coverage answer is mostly grid outlines, which
// do not change when cameras do.
type gridGeometries struct {
	mu    sync.Mutex
	layer *geo.Layer[*geo.Grid]
	geoms [][]byte
}

// of returns the encoded geometries of the layer's grids, by index.
func (c *gridGeometries) of(l *geo.Layer[*geo.Grid]) [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.layer == l {
		return c.geoms
	}
	geoms := make([][]byte, l.Len())
	for i, g := range l.Items() {
		geoms[i] = appendPolygonGeometry(nil, data.RoundGeometry(loadOriented(g.Polygon)).(orb.Polygon))
	}
	c.layer, c.geoms = l, geoms
	return geoms
}

// appendPolygonGeometry appends a polygon as a GeoJSON geometry object,
// byte for byte as encoding/json writes geojson.NewGeometry(p).
func appendPolygonGeometry(b []byte, p orb.Polygon) []byte {
	b = append(b, `{"type":"Polygon","coordinates":[`...)
	for i, r := range p {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for j, pt := range r {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			b = appendJSONFloat(b, pt[0])
			b = append(b, ',')
			b = appendJSONFloat(b, pt[1])
			b = append(b, ']')
		}
		b = append(b, ']')
	}
	return append(b, "]}"...)
}

// appendJSONFloat appends f as encoding/json writes a float64.
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 → e-9, as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendJSONValue appends a property value as json.Marshal writes it
// (escaping HTML characters, as geojson encodes properties).
func appendJSONValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case float64:
		if !math.IsInf(x, 0) && !math.IsNaN(x) {
			return appendJSONFloat(b, x)
		}
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case string:
		if plainJSONString(x) {
			b = append(b, '"')
			b = append(b, x...)
			return append(b, '"')
		}
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, raw...)
}

// plainJSONString reports whether s encodes as itself between quotes.
func plainJSONString(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// appendGridCoverage appends the GeoJSON FeatureCollection of
// GridCoverageFeatures(ctx, rows, keep) with the extra members, byte for
// byte as writeJSON encodes it (tested), from the grids' cached
// geometries, and returns it with the number of features.
func appendGridCoverage(b []byte, ctx context.Context, rows []coverage.GridVideo, geoms [][]byte,
	keep func(*geo.Grid) bool, extra geojson.Properties) ([]byte, int, error) {
	b = append(b, `{"features":[`...)
	n := 0
	var keys []string
	for i, row := range rows {
		if keep != nil && !keep(row.Grid) {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		p := gridCoverageProps(ctx, row)
		if len(keys) != len(p) {
			keys = make([]string, 0, len(p))
			for k := range p {
				keys = append(keys, k)
			}
			slices.Sort(keys)
		}
		b = append(b, `{"id":`...)
		b = appendJSONValue(b, row.Grid.ID)
		b = append(b, `,"type":"Feature","geometry":`...)
		b = append(b, geoms[i]...)
		b = append(b, `,"properties":{`...)
		for j, k := range keys {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendJSONValue(b, k)
			b = append(b, ':')
			b = appendJSONValue(b, p[k])
		}
		b = append(b, "}}"...)
	}
	b = append(b, ']')
	members := extra.Clone()
	members["type"] = "FeatureCollection"
	members["numberReturned"] = n
	rest, err := json.Marshal(members)
	if err != nil {
		return nil, 0, err
	}
	// "features" sorts before every other member: the rest follows it.
	b = append(b, ',')
	b = append(b, rest[1:]...)
	return append(b, '\n'), n, nil
}

// gridCoverageProps returns the properties of a grid's coverage feature.
func gridCoverageProps(ctx context.Context, row coverage.GridVideo) geojson.Properties {
	p := geojson.Properties{"id": row.Grid.ID, "name": row.Grid.Name, "village": row.Grid.Village,
		"township": row.Grid.Township}
	videoFigureProps(ctx, row.VideoFigures, p)
	return p
}
