package api

import (
	"context"
	"fmt"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/simplify"

	"gridwatch/geo"
)

// Vector tiles (OGC API - Tiles, Mapbox Vector Tile 2.1) in the
// WebMercatorQuad tile matrix set. A tile holds one layer, named after
// the collection or analysis, with every feature whose geometry meets the
// tile grown by tileBuffer units on each side; geometries are projected to
// the tile's 4,096 × 4,096 grid, clipped to the buffered square and
// simplified by Douglas–Peucker within tileSimplify units — a fixed
// fraction of a tile, so that each zoom keeps the detail it can show.

const (
	// tileExtent is the size of a tile's grid (MVT's default).
	tileExtent = mvt.DefaultExtent
	// tileBuffer is how far, in grid units, a tile's features reach past
	// its edges, so that outlines and symbols do not break at tile seams.
	tileBuffer = 64
	// tileSimplify is the Douglas–Peucker tolerance in grid units (1/16
	// of a pixel of a 256-pixel tile).
	tileSimplify = 1.0
	// tileMaxZoom is the deepest tile matrix served.
	tileMaxZoom = 22
)

// tileBound returns the lon/lat box of a tile grown by its buffer.
func tileBound(t maptile.Tile) orb.Bound {
	return t.Bound(float64(tileBuffer) / tileExtent)
}

// tileFeature is one feature to draw: its geometry in lon/lat and the
// properties a tile carries.
type tileFeature struct {
	geometry orb.Geometry
	props    geojson.Properties
	order    int // place in its source, for a stable feature order
}

// encodeTile builds the MVT of one layer of features in tile t. The
// features are not changed: geometries are cloned before projection.
func encodeTile(ctx context.Context, name string, feats []tileFeature, t maptile.Tile) ([]byte, error) {
	layer := &mvt.Layer{Name: name, Version: 2, Extent: tileExtent, Features: make([]*geojson.Feature, 0, len(feats))}
	for _, f := range feats {
		layer.Features = append(layer.Features, &geojson.Feature{Type: "Feature", Geometry: orb.Clone(f.geometry), Properties: f.props})
	}
	layer.ProjectToTile(t)
	layer.Clip(orb.Bound{Min: orb.Point{-tileBuffer, -tileBuffer}, Max: orb.Point{tileExtent + tileBuffer, tileExtent + tileBuffer}})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	dp := simplify.DouglasPeucker(tileSimplify)
	for _, f := range layer.Features {
		// A simplification that would drop the feature or leave a ring of
		// fewer than four points keeps the clipped geometry instead, so
		// that every feature meeting the tile is in it.
		if g := dp.Simplify(orb.Clone(f.Geometry)); g != nil && !degenerate(g) {
			f.Geometry = g
		}
	}
	return mvt.Marshal(mvt.Layers{layer})
}

// degenerate reports whether a simplified geometry lost its shape: an
// empty part, a line of fewer than two points or a ring of fewer than four.
func degenerate(g orb.Geometry) bool {
	switch v := g.(type) {
	case orb.LineString:
		return len(v) < 2
	case orb.MultiLineString:
		if len(v) == 0 {
			return true
		}
		for _, ls := range v {
			if len(ls) < 2 {
				return true
			}
		}
	case orb.Polygon:
		if len(v) == 0 {
			return true
		}
		for _, r := range v {
			if len(r) < 4 {
				return true
			}
		}
	case orb.MultiPolygon:
		if len(v) == 0 {
			return true
		}
		for _, p := range v {
			if degenerate(p) {
				return true
			}
		}
	}
	return false
}

// tileProperties returns the properties a tile can carry: MVT values are
// strings, numbers and booleans, so a list becomes its items joined by
// commas, an object its JSON, and a null is left out.
func tileProperties(p geojson.Properties) geojson.Properties {
	out := make(geojson.Properties, len(p))
	for k, v := range p {
		switch x := v.(type) {
		case nil:
		case string, bool, float64, int, int64:
			out[k] = x
		case []string:
			out[k] = strings.Join(x, ",")
		case []any:
			parts := make([]string, len(x))
			for i, e := range x {
				parts[i] = fmt.Sprint(e)
			}
			out[k] = strings.Join(parts, ",")
		default:
			out[k] = fmt.Sprint(x)
		}
	}
	return out
}

// tileOf checks a tile address of WebMercatorQuad: the zoom (tile
// matrix) from 0 to tileMaxZoom and the row and column inside it.
func tileOf(z, row, col string) (maptile.Tile, error) {
	var ps geo.Problems
	zi, err := parseUint(z)
	if err != nil || zi > tileMaxZoom {
		ps.Add("tile", -1, "", "tileMatrix", fmt.Sprintf("an integer from 0 to %d, got %s", tileMaxZoom, quote(z)))
		return maptile.Tile{}, ps.Err("invalid tile")
	}
	n := uint64(1) << zi
	y, err := parseUint(row)
	if err != nil || y >= n {
		ps.Add("tile", -1, "", "tileRow", fmt.Sprintf("an integer from 0 to %d at zoom %d, got %s", n-1, zi, quote(row)))
	}
	x, err := parseUint(col)
	if err != nil || x >= n {
		ps.Add("tile", -1, "", "tileCol", fmt.Sprintf("an integer from 0 to %d at zoom %d, got %s", n-1, zi, quote(col)))
	}
	if err := ps.Err("invalid tile"); err != nil {
		return maptile.Tile{}, err
	}
	return maptile.New(uint32(x), uint32(y), maptile.Zoom(zi)), nil
}

// parseUint parses a decimal integer of at most 10 digits, no sign.
func parseUint(s string) (uint64, error) {
	if s == "" || len(s) > 10 {
		return 0, fmt.Errorf("bad integer %q", s)
	}
	var n uint64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("bad integer %q", s)
		}
		n = n*10 + uint64(c-'0')
	}
	return n, nil
}
