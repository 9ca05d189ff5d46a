package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/tidwall/rtree"

	"gridwatch/data"
	"gridwatch/geo"
)

// A tile source is what a tileset draws: a collection (its items, with the
// same filters and permissions as /items) or an analysis (the GeoJSON
// answer of an analysis endpoint, asked with the tile request's query and
// the caller's role, so that roles, viewer floors and caching are the
// endpoint's own).

// tileSource is one resolved source: its layer name, what identifies its
// content for ETags, and how to pick the features of a box.
type tileSource struct {
	name string
	tags []string
	// features returns the features whose geometry meets box.
	features func(ctx context.Context, box orb.Bound) ([]tileFeature, error)
	// geometryType is "points", "lines" or "polygons" (OGC API - Tiles).
	geometryType string
	// fields maps property names to their TileJSON types.
	fields map[string]string
	// bound is the extent of every feature.
	bound orb.Bound
}

// tileAnalyses are the analysis endpoints that have tiles: the layers
// planners map (docs/clients.md).
var tileAnalyses = []string{
	"/coverage/grids", "/coverage/gaps", "/coverage/hotspots",
	"/load/grids", "/load/congruence",
	"/response/grids", "/response/gaps",
}

// collectionTileSource resolves the source of a collection's tiles: the
// items matching the request's datetime and property filters.
func (s *Server) collectionTileSource(r *http.Request, a *geo.Atlas, id string) (*tileSource, error) {
	if id == viewshedsName {
		return s.viewshedTileSource(r, a)
	}
	d, err := s.layerData(a, id)
	if err != nil {
		return nil, err
	}
	q, err := s.parseTileQuery(r.URL.Query(), d.schema)
	if err != nil {
		return nil, err
	}
	if err := d.build(); err != nil {
		return nil, err
	}
	src := &tileSource{name: id, tags: []string{d.tag()}, geometryType: tileGeometryType(d.schema.Geometry),
		fields: tileFields(d.schema.Properties), bound: d.layer.Bound()}
	src.features = func(ctx context.Context, box orb.Bound) ([]tileFeature, error) {
		qq := q
		qq.boxes = []orb.Bound{box}
		idx, err := d.match(ctx, qq)
		if err != nil {
			return nil, err
		}
		out := make([]tileFeature, len(idx))
		for k, i := range idx {
			out[k] = tileFeature{geometry: d.features[i].Geometry, props: tileProperties(d.features[i].Properties)}
		}
		return out, nil
	}
	return src, nil
}

// viewshedTileSource draws each camera's viewshed polygon.
func (s *Server) viewshedTileSource(r *http.Request, a *geo.Atlas) (*tileSource, error) {
	sc := viewshedSchema()
	q, err := s.parseTileQuery(r.URL.Query(), sc)
	if err != nil {
		return nil, err
	}
	cams, err := s.layerData(a, geo.LayerCameras)
	if err != nil {
		return nil, err
	}
	if err := cams.build(); err != nil {
		return nil, err
	}
	src := &tileSource{name: viewshedsName, tags: []string{cams.tag()}, geometryType: "polygons",
		fields: tileFields(sc.Properties), bound: a.Cameras.Bound()}
	src.features = func(ctx context.Context, box orb.Bound) ([]tileFeature, error) {
		qq := q
		qq.boxes = []orb.Bound{box}
		var out []tileFeature
		for i, c := range a.Cameras.Items() {
			if i%ctxCheckEvery == ctxCheckEvery-1 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			sector := geo.CameraSector(c)
			if !sector.Bound().Intersects(box) || !viewshedMatches(sector, cams.features[i].Properties, qq) {
				continue
			}
			f := viewshedFeature(c, cams.features[i].Properties)
			out = append(out, tileFeature{geometry: f.Geometry, props: tileProperties(f.Properties)})
		}
		return out, nil
	}
	return src, nil
}

// parseTileQuery parses the query of a collection's tile: the filters of
// its items (datetime and properties), but no paging and no bbox, which a
// tile sets itself.
func (s *Server) parseTileQuery(v url.Values, schema data.LayerSchema) (itemsQuery, error) {
	var ps geo.Problems
	for _, k := range []string{"bbox", "limit", "offset"} {
		if v.Has(k) {
			ps.Add(schema.Name, -1, "", k, "no "+k+" on a tile: a tile has its own box and holds every feature that meets it")
		}
	}
	if err := ps.Err("invalid query of the tiles of " + quote(schema.Name)); err != nil {
		return itemsQuery{}, err
	}
	return s.parseItemsQuery(v, schema)
}

// tileLayerName is the MVT layer name of an analysis: its path with
// underscores, e.g. coverage_grids.
func tileLayerName(path string) string {
	return strings.ReplaceAll(strings.Trim(path, "/"), "/", "_")
}

// sortTileFeatures puts features back in the order of the answer.
func sortTileFeatures(fs []tileFeature) {
	slices.SortFunc(fs, func(a, b tileFeature) int { return a.order - b.order })
}

// geometryKind names a geometry's dimension as OGC API - Tiles does.
func geometryKind(g orb.Geometry) string {
	switch g.Dimensions() {
	case 0:
		return "points"
	case 1:
		return "lines"
	}
	return "polygons"
}

// tileGeometryType is geometryKind for a schema's geometry type name.
func tileGeometryType(t string) string {
	switch t {
	case "Point", "MultiPoint":
		return "points"
	case "LineString", "MultiLineString":
		return "lines"
	}
	return "polygons"
}

// tileFields returns the TileJSON field types of a schema's properties.
func tileFields(props []data.Property) map[string]string {
	out := map[string]string{"id": "String"}
	for _, p := range props {
		switch p.Type {
		case data.TypeNumber, data.TypeInteger:
			out[p.Name] = "Number"
		case data.TypeBoolean:
			out[p.Name] = "Boolean"
		default:
			out[p.Name] = "String"
		}
	}
	return out
}

// tileFieldType is the TileJSON type of a tile property value.
func tileFieldType(v any) string {
	switch v.(type) {
	case float64, int, int64:
		return "Number"
	case bool:
		return "Boolean"
	}
	return "String"
}

// analysisFeatures is a decoded analysis answer with an index of its
// features' bounds.
type analysisFeatures struct {
	etag     string
	features []tileFeature
	bounds   []orb.Bound
	tree     rtree.RTreeG[int]
	bound    orb.Bound
	geometry string
	fields   map[string]string
}

// analysisSources caches decoded analysis answers by endpoint, query and
// role; an entry is checked against the endpoint's own ETag on every use.
type analysisSources struct {
	mu      sync.Mutex
	entries map[string]*analysisFeatures
	max     int
}

func newAnalysisSources(max int) *analysisSources {
	return &analysisSources{entries: map[string]*analysisFeatures{}, max: max}
}

// analysisTileSource resolves the source of an analysis's tiles by asking
// the endpoint (path) for its answer to the request's query, as the
// caller: a 304 to the cached ETag keeps the cached features.
func (s *Server) analysisTileSource(r *http.Request, path string) (*tileSource, error) {
	h, ok := s.tiles.handlers[path]
	if !ok {
		return nil, geo.Errorf(geo.NotFound, "no tiles for %s", quote(path))
	}
	q := r.URL.Query()
	q.Del("f")
	key := path + "?" + q.Encode() + "\x00" + roleOf(r.Context())
	s.tiles.analyses.mu.Lock()
	cached := s.tiles.analyses.entries[key]
	s.tiles.analyses.mu.Unlock()

	inner := r.Clone(r.Context())
	inner.URL = &url.URL{Path: path, RawQuery: q.Encode()}
	inner.RequestURI = inner.URL.RequestURI()
	inner.Header = r.Header.Clone()
	inner.Header.Del("Accept-Encoding")
	inner.Header.Del("If-None-Match")
	inner.Header.Set("Accept", mediaGeoJSON)
	if cached != nil {
		inner.Header.Set("If-None-Match", cached.etag)
	}
	rec := &bufferWriter{header: http.Header{}}
	h.ServeHTTP(rec, inner)
	var af *analysisFeatures
	switch {
	case rec.status == http.StatusNotModified && cached != nil:
		af = cached
	case rec.status == 0 || rec.status == http.StatusOK:
		var err error
		af, err = decodeAnalysis(rec.header.Get("ETag"), rec.body.Bytes())
		if err != nil {
			return nil, &geo.Error{Code: geo.Internal, Message: "tiles of " + path, Err: err}
		}
		s.tiles.analyses.put(key, af)
	default:
		// The endpoint's own answer (a bad parameter, a refusal): pass it on.
		return nil, &passThrough{status: rec.status, header: rec.header, body: rec.body.Bytes()}
	}
	src := &tileSource{name: tileLayerName(path), tags: []string{af.etag}, geometryType: af.geometry,
		fields: af.fields, bound: af.bound}
	src.features = func(ctx context.Context, box orb.Bound) ([]tileFeature, error) {
		var out []tileFeature
		af.tree.Search(box.Min, box.Max, func(_, _ [2]float64, i int) bool {
			if geo.IntersectsBound(af.features[i].geometry, box) {
				out = append(out, af.features[i])
			}
			return true
		})
		// In the answer's order, as the endpoint gave it.
		sortTileFeatures(out)
		return out, ctx.Err()
	}
	return src, nil
}

func (c *analysisSources) put(key string, af *analysisFeatures) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; !ok && len(c.entries) >= c.max {
		for k := range c.entries { // evict one entry, any
			delete(c.entries, k)
			break
		}
	}
	c.entries[key] = af
}

// decodeAnalysis decodes a FeatureCollection answer and indexes it.
func decodeAnalysis(etag string, body []byte) (*analysisFeatures, error) {
	fc, err := geojson.UnmarshalFeatureCollection(body)
	if err != nil {
		return nil, err
	}
	af := &analysisFeatures{etag: etag, fields: map[string]string{}}
	kinds := map[string]bool{}
	for i, f := range fc.Features {
		if f.Geometry == nil {
			continue
		}
		b := f.Geometry.Bound()
		if len(af.features) == 0 {
			af.bound = b
		} else {
			af.bound = af.bound.Union(b)
		}
		props := tileProperties(f.Properties)
		if f.ID != nil {
			if _, ok := props["id"]; !ok {
				props["id"] = fmt.Sprint(f.ID)
			}
		}
		for k, v := range props {
			af.fields[k] = tileFieldType(v)
		}
		af.features = append(af.features, tileFeature{geometry: f.Geometry, props: props, order: i})
		af.bounds = append(af.bounds, b)
		af.tree.Insert(b.Min, b.Max, len(af.features)-1)
		kinds[geometryKind(f.Geometry)] = true
	}
	af.geometry = "polygons"
	for _, k := range []string{"points", "lines", "polygons"} {
		if kinds[k] && len(kinds) == 1 {
			af.geometry = k
		}
	}
	return af, nil
}

// passThrough is an error that carries an inner endpoint's own answer.
type passThrough struct {
	status int
	header http.Header
	body   []byte
}

func (p *passThrough) Error() string { return fmt.Sprintf("inner answer %d", p.status) }

// bufferWriter records an inner answer.
type bufferWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferWriter) Header() http.Header { return b.header }
func (b *bufferWriter) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}
func (b *bufferWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
