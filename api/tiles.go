package api

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/klauspost/compress/gzip"
	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// OGC API - Tiles (docs/clients.md): every collection and the analyses
// of tileAnalyses have vector tiles in WebMercatorQuad.
//
//	{base}/tiles                                    the tilesets
//	{base}/tiles/WebMercatorQuad                    a tileset's metadata
//	{base}/tiles/WebMercatorQuad/tilejson           TileJSON 3.0.0
//	{base}/tiles/WebMercatorQuad/{z}/{row}/{col}    a tile (MVT)
//
// where {base} is /collections/{id} or an analysis path such as
// /coverage/grids. A tile's path is {tileMatrix}/{tileRow}/{tileCol}, as
// OGC API - Tiles orders it: zoom, then y (row, from the north), then x.

const (
	// mediaMVT is the media type of Mapbox Vector Tiles.
	mediaMVT = "application/vnd.mapbox-vector-tile"
	// webMercatorQuad is the one tile matrix set served.
	webMercatorQuad = "WebMercatorQuad"
	// tileCacheBytes bounds the cache of encoded tiles.
	tileCacheBytes = 64 << 20
)

// tileState holds the tile caches and the analysis handlers tiles ask.
type tileState struct {
	cache    *tileCache
	analyses *analysisSources
	handlers map[string]http.HandlerFunc // GET handlers of tileAnalyses, by path
}

func newTileState() *tileState {
	return &tileState{cache: newTileCache(tileCacheBytes), analyses: newAnalysisSources(64), handlers: map[string]http.HandlerFunc{}}
}

// handlerRecorder is a chi.Router that also keeps the GET handlers of the
// analysis endpoints, so that their tiles can ask them.
type handlerRecorder struct {
	chi.Router
	gets map[string]http.HandlerFunc
}

// Get registers a GET route and records its handler.
func (h handlerRecorder) Get(pattern string, fn http.HandlerFunc) {
	h.gets[pattern] = fn
	h.Router.Get(pattern, fn)
}

// tileRoutes adds the tile routes of every collection and analysis.
func (s *Server) tileRoutes(r chi.Router) {
	r.Get("/tileMatrixSets", s.handle(s.tileMatrixSets))
	r.Get("/tileMatrixSets/{tileMatrixSetId}", s.handle(s.tileMatrixSet))
	coll := func(r *http.Request) (*tileSource, error) {
		a, err := s.current()
		if err != nil {
			return nil, err
		}
		return s.collectionTileSource(r, a, chi.URLParam(r, "collectionId"))
	}
	s.tilesetRoutes(r, "/collections/{collectionId}", coll)
	for _, path := range tileAnalyses {
		if s.tiles.handlers[path] == nil {
			continue
		}
		s.tilesetRoutes(r, path, func(r *http.Request) (*tileSource, error) { return s.analysisTileSource(r, path) })
	}
}

// tilesetRoutes adds the four tile routes under base.
func (s *Server) tilesetRoutes(r chi.Router, base string, src func(*http.Request) (*tileSource, error)) {
	r.Get(base+"/tiles", s.handle(func(w http.ResponseWriter, r *http.Request) error { return s.tilesets(w, r, src) }))
	r.Get(base+"/tiles/{tileMatrixSetId}", s.handle(func(w http.ResponseWriter, r *http.Request) error { return s.tileset(w, r, src) }))
	r.Get(base+"/tiles/{tileMatrixSetId}/tilejson", s.handle(func(w http.ResponseWriter, r *http.Request) error { return s.tileJSON(w, r, src) }))
	r.Get(base+"/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", s.handle(func(w http.ResponseWriter, r *http.Request) error { return s.tile(w, r, src) }))
}

// tilePermissions are the permission rules of the tile routes (a
// collection's tiles as its items, an analysis's as the analysis) and of
// the queryables (as the schema).
func tilePermissions(rules []routeRule) []routeRule {
	out := []routeRule{
		{Methods: "GET", Pattern: "/tileMatrixSets", Allow: viewers},
		{Methods: "GET", Pattern: "/tileMatrixSets/{}", Allow: viewers},
		{Methods: "GET", Pattern: "/collections/{}/queryables", Allow: viewers},
	}
	under := func(base string, rule routeRule) {
		for _, tail := range []string{"/tiles", "/tiles/{}", "/tiles/{}/tilejson", "/tiles/{}/{}/{}/{}"} {
			r := rule
			r.Methods, r.Pattern, r.Write = "GET", base+tail, false
			out = append(out, r)
		}
	}
	under("/collections/{}", routeRule{ByCollection: true})
	for _, path := range tileAnalyses {
		for _, rule := range rules {
			if rule.Pattern == path && strings.Contains(" "+rule.Methods+" ", " GET ") {
				under(path, rule)
			}
		}
	}
	return out
}

// tile serves one tile.
func (s *Server) tile(w http.ResponseWriter, r *http.Request, resolve func(*http.Request) (*tileSource, error)) error {
	if err := checkTileMatrixSet(r); err != nil {
		return err
	}
	t, err := tileOf(chi.URLParam(r, "tileMatrix"), chi.URLParam(r, "tileRow"), chi.URLParam(r, "tileCol"))
	if err != nil {
		return err
	}
	src, err := resolve(r)
	if err != nil {
		return passOn(w, err)
	}
	tag := s.etag(r, "mvt", src.tags...)
	if notModified(w, r, tag) {
		return nil
	}
	enc, ok := s.tiles.cache.get(tag)
	if !ok {
		feats, err := src.features(r.Context(), tileBound(t))
		if err != nil {
			return err
		}
		raw, err := encodeTile(r.Context(), src.name, feats, t)
		if err != nil {
			return err
		}
		enc = encodedTile{raw: raw}
		if len(raw) > 0 {
			enc.gz = s.gzipBytes(raw)
		}
		s.tiles.cache.put(tag, enc)
	}
	h := w.Header()
	h.Set("Content-Type", mediaMVT)
	body := enc.raw
	if enc.gz != nil && r.Method != http.MethodHead && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = enc.gz
	}
	_, err = w.Write(body)
	return err
}

// gzipBytes returns b gzipped, with a writer from the server's pool.
func (s *Server) gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	gz, _ := s.gzips.Get().(*gzip.Writer)
	if gz == nil {
		gz, _ = gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	} else {
		gz.Reset(&buf)
	}
	_, _ = gz.Write(b)
	_ = gz.Close()
	gz.Reset(io.Discard)
	s.gzips.Put(gz)
	return buf.Bytes()
}

// passOn writes an inner endpoint's own answer (a problem, a refusal) and
// returns nil, or returns any other error.
func passOn(w http.ResponseWriter, err error) error {
	var pt *passThrough
	if !errors.As(err, &pt) {
		return err
	}
	for k, vs := range pt.header {
		if k == "Etag" || k == "Content-Length" {
			continue
		}
		w.Header()[k] = vs
	}
	w.WriteHeader(pt.status)
	_, _ = w.Write(pt.body)
	return nil
}

// checkTileMatrixSet refuses a tile matrix set other than WebMercatorQuad.
func checkTileMatrixSet(r *http.Request) error {
	if id := chi.URLParam(r, "tileMatrixSetId"); id != webMercatorQuad {
		return geo.Errorf(geo.NotFound, "no tile matrix set %s; the tiles are in %s", quote(id), webMercatorQuad)
	}
	return nil
}

// tileBase returns the path of a tileset's base (/collections/{id} or the
// analysis path) from a request under it.
func tileBase(r *http.Request) string {
	p := r.URL.Path
	if i := strings.Index(p, "/tiles"); i >= 0 {
		return p[:i]
	}
	return p
}

// boundOrWorld returns b, or the whole Web Mercator world for an empty
// source.
func boundOrWorld(b orb.Bound) orb.Bound {
	if b.IsZero() {
		return orb.Bound{Min: orb.Point{-180, -85.0511287798066}, Max: orb.Point{180, 85.0511287798066}}
	}
	return b
}
