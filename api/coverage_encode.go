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

// gridFeatures keeps the encoded features of the last coverage answers,
// one set per grids layer, variant, window and redaction: after a camera
// moves, only the grids whose figures changed are encoded again.
type gridFeatures struct {
	mu   sync.Mutex
	sets map[featureKey]*featureSet
}

type featureKey struct {
	grids   *geo.Layer[*geo.Grid]
	variant coverage.Variant
	window  string
	exact   bool
}

// featureSet is the encoded feature of each grid, by grid index, with the
// figures it was encoded from.
type featureSet struct {
	figs  []coverage.VideoFigures
	feats [][]byte
}

// maxFeatureSets bounds the sets kept (each is about the size of an answer).
const maxFeatureSets = 4

func (c *gridFeatures) get(k featureKey) *featureSet {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sets[k]
}

func (c *gridFeatures) put(k featureKey, fs *featureSet) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sets == nil {
		c.sets = map[featureKey]*featureSet{}
	}
	if _, ok := c.sets[k]; !ok && len(c.sets) >= maxFeatureSets {
		for old := range c.sets {
			delete(c.sets, old)
			break
		}
	}
	c.sets[k] = fs
}

// appendGridCoverage appends the GeoJSON FeatureCollection of
// GridCoverageFeatures(ctx, rows, keep) with the extra members, byte for
// byte as writeJSON encodes it (tested), from the grids' cached
// geometries, and returns it with the number of features and the encoded
// features. A grid whose figures equal those of prev (the features of the
// same grids layer, variant, window and redaction) reuses its bytes.
func appendGridCoverage(b []byte, ctx context.Context, rows []coverage.GridVideo, geoms [][]byte,
	keep func(*geo.Grid) bool, extra geojson.Properties, prev *featureSet) ([]byte, int, *featureSet, error) {
	fs := &featureSet{figs: make([]coverage.VideoFigures, len(rows)), feats: make([][]byte, len(rows))}
	var keys []string
	for i, row := range rows {
		fs.figs[i] = row.VideoFigures
		if prev != nil && len(prev.figs) == len(rows) && prev.figs[i] == row.VideoFigures {
			fs.feats[i] = prev.feats[i]
			continue
		}
		p := gridCoverageProps(ctx, row)
		if len(keys) != len(p) {
			keys = keys[:0]
			for k := range p {
				keys = append(keys, k)
			}
			slices.Sort(keys)
		}
		f := make([]byte, 0, len(geoms[i])+800)
		f = append(f, `{"id":`...)
		f = appendJSONValue(f, row.Grid.ID)
		f = append(f, `,"type":"Feature","geometry":`...)
		f = append(f, geoms[i]...)
		f = append(f, `,"properties":{`...)
		for j, k := range keys {
			if j > 0 {
				f = append(f, ',')
			}
			f = appendJSONValue(f, k)
			f = append(f, ':')
			f = appendJSONValue(f, p[k])
		}
		fs.feats[i] = append(f, "}}"...)
	}
	b = append(b, `{"features":[`...)
	n := 0
	for i, row := range rows {
		if keep != nil && !keep(row.Grid) {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = append(b, fs.feats[i]...)
	}
	b = append(b, ']')
	members := extra.Clone()
	members["type"] = "FeatureCollection"
	members["numberReturned"] = n
	rest, err := json.Marshal(members)
	if err != nil {
		return nil, 0, nil, err
	}
	// "features" sorts before every other member: the rest follows it.
	b = append(b, ',')
	b = append(b, rest[1:]...)
	return append(b, '\n'), n, fs, nil
}

// gridCoverageProps returns the properties of a grid's coverage feature.
func gridCoverageProps(ctx context.Context, row coverage.GridVideo) geojson.Properties {
	p := geojson.Properties{"id": row.Grid.ID, "name": row.Grid.Name, "village": row.Grid.Village,
		"township": row.Grid.Township}
	videoFigureProps(ctx, row.VideoFigures, p)
	return p
}
