package api

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
)

const (
	// tmsURI is the registered URI of WebMercatorQuad.
	tmsURI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
	// epsg3857 is Web Mercator's CRS URI.
	epsg3857 = "http://www.opengis.net/def/crs/EPSG/0/3857"
	// mercatorHalf is half the width of the Web Mercator world, metres.
	mercatorHalf = 20037508.3427892
	// relTilesetsVector is the link relation from a collection to its
	// vector tilesets.
	relTilesetsVector = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
	// relTilingSchemes is the link relation from the landing page to the
	// tile matrix sets.
	relTilingSchemes = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"
	// relTilingScheme is the link relation of a tileset's tile matrix set.
	relTilingScheme = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
	// mediaTileJSON is the media type of TileJSON documents.
	mediaTileJSON = "application/json"
)

// tileMatrixDoc is one zoom level of WebMercatorQuad (OGC 2D Tile Matrix
// Set 2.0).
type tileMatrixDoc struct {
	ID               string     `json:"id"`
	ScaleDenominator float64    `json:"scaleDenominator"`
	CellSize         float64    `json:"cellSize"`
	CornerOfOrigin   string     `json:"cornerOfOrigin"`
	PointOfOrigin    [2]float64 `json:"pointOfOrigin"`
	TileWidth        int        `json:"tileWidth"`
	TileHeight       int        `json:"tileHeight"`
	MatrixWidth      int        `json:"matrixWidth"`
	MatrixHeight     int        `json:"matrixHeight"`
}

// tileMatrixSetDoc is the definition of WebMercatorQuad.
func tileMatrixSetDoc() map[string]any {
	ms := make([]tileMatrixDoc, 0, tileMaxZoom+1)
	for z := 0; z <= tileMaxZoom; z++ {
		n := 1 << z
		cell := 2 * mercatorHalf / 256 / float64(n)
		ms = append(ms, tileMatrixDoc{ID: strconv.Itoa(z), ScaleDenominator: cell / 0.00028, CellSize: cell,
			CornerOfOrigin: "topLeft", PointOfOrigin: [2]float64{-mercatorHalf, mercatorHalf},
			TileWidth: 256, TileHeight: 256, MatrixWidth: n, MatrixHeight: n})
	}
	return map[string]any{
		"id": webMercatorQuad, "title": "Google Maps Compatible for the World", "uri": tmsURI,
		"crs": epsg3857, "orderedAxes": []string{"X", "Y"}, "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
		"tileMatrices": ms,
	}
}

// tileMatrixSets serves GET /tileMatrixSets.
func (s *Server) tileMatrixSets(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r.URL.Query(), "f"); err != nil {
		return err
	}
	if notModified(w, r, s.etag(r, formatJSON)) {
		return nil
	}
	return writeJSON(w, mediaJSON, map[string]any{"tileMatrixSets": []map[string]any{{
		"id": webMercatorQuad, "title": "Google Maps Compatible for the World", "uri": tmsURI, "crs": epsg3857,
		"links": []link{{Href: s.base(r) + "/tileMatrixSets/" + webMercatorQuad, Rel: "self", Type: mediaJSON, Title: webMercatorQuad}},
	}}})
}

// tileMatrixSet serves GET /tileMatrixSets/{tileMatrixSetId}.
func (s *Server) tileMatrixSet(w http.ResponseWriter, r *http.Request) error {
	if err := checkTileMatrixSet(r); err != nil {
		return err
	}
	if err := onlyParams(r.URL.Query(), "f"); err != nil {
		return err
	}
	if notModified(w, r, s.etag(r, formatJSON)) {
		return nil
	}
	return writeJSON(w, mediaJSON, tileMatrixSetDoc())
}

// tileQuery returns the query a tileset's links keep (every parameter
// but f).
func tileQuery(r *http.Request) url.Values {
	q := url.Values{}
	for k, vs := range r.URL.Query() {
		if k != "f" {
			q[k] = vs
		}
	}
	return q
}

// tileTemplate returns the URL template of a tileset's tiles, with the
// placeholders given (OGC's {tileMatrix}/{tileRow}/{tileCol} or
// TileJSON's {z}/{y}/{x}).
func (s *Server) tileTemplate(r *http.Request, z, row, col string) string {
	u := s.base(r) + tileBase(r) + "/tiles/" + webMercatorQuad + "/" + z + "/" + row + "/" + col
	if enc := tileQuery(r).Encode(); enc != "" {
		u += "?" + enc
	}
	return u
}

// tilesetDoc describes a tileset (OGC API - Tiles, tileset metadata).
func (s *Server) tilesetDoc(r *http.Request, src *tileSource) map[string]any {
	b := boundOrWorld(src.bound)
	base := s.base(r) + tileBase(r) + "/tiles/" + webMercatorQuad
	q := tileQuery(r)
	withQ := func(u string) string {
		if enc := q.Encode(); enc != "" {
			return u + "?" + enc
		}
		return u
	}
	return map[string]any{
		"title": src.name, "dataType": "vector", "crs": epsg3857, "tileMatrixSetURI": tmsURI,
		"links": []map[string]any{
			{"href": withQ(base), "rel": "self", "type": mediaJSON, "title": "This tileset"},
			{"href": s.base(r) + "/tileMatrixSets/" + webMercatorQuad, "rel": relTilingScheme, "type": mediaJSON, "title": webMercatorQuad},
			{"href": s.tileTemplate(r, "{tileMatrix}", "{tileRow}", "{tileCol}"), "rel": "item", "type": mediaMVT, "templated": true, "title": "The tiles"},
			{"href": withQ(base + "/tilejson"), "rel": "describedby", "type": mediaTileJSON, "title": "TileJSON"},
		},
		"boundingBox": map[string]any{"lowerLeft": []float64{floor7(b.Min[0]), floor7(b.Min[1])},
			"upperRight": []float64{ceil7(b.Max[0]), ceil7(b.Max[1])}, "crs": crs84},
		"layers": []map[string]any{{"id": src.name, "dataType": "vector", "geometryType": src.geometryType,
			"minTileMatrix": "0", "maxTileMatrix": strconv.Itoa(tileMaxZoom)}},
		"tileBuffer":        tileBuffer,
		"tileExtent":        tileExtent,
		"simplifyTolerance": tileSimplify,
	}
}

// tilesets serves GET {base}/tiles: the one tileset, in WebMercatorQuad.
func (s *Server) tilesets(w http.ResponseWriter, r *http.Request, resolve func(*http.Request) (*tileSource, error)) error {
	src, err := resolve(r)
	if err != nil {
		return passOn(w, err)
	}
	if notModified(w, r, s.etag(r, formatJSON, src.tags...)) {
		return nil
	}
	doc := s.tilesetDoc(r, src)
	doc["tileMatrixSetId"] = webMercatorQuad
	return writeJSON(w, mediaJSON, map[string]any{"tilesets": []map[string]any{doc}})
}

// tileset serves GET {base}/tiles/WebMercatorQuad.
func (s *Server) tileset(w http.ResponseWriter, r *http.Request, resolve func(*http.Request) (*tileSource, error)) error {
	if err := checkTileMatrixSet(r); err != nil {
		return err
	}
	src, err := resolve(r)
	if err != nil {
		return passOn(w, err)
	}
	if notModified(w, r, s.etag(r, formatJSON, src.tags...)) {
		return nil
	}
	return writeJSON(w, mediaJSON, s.tilesetDoc(r, src))
}

// tileJSON serves GET {base}/tiles/WebMercatorQuad/tilejson (TileJSON
// 3.0.0, for MapLibre, Leaflet plugins and QGIS).
func (s *Server) tileJSON(w http.ResponseWriter, r *http.Request, resolve func(*http.Request) (*tileSource, error)) error {
	if err := checkTileMatrixSet(r); err != nil {
		return err
	}
	src, err := resolve(r)
	if err != nil {
		return passOn(w, err)
	}
	if notModified(w, r, s.etag(r, formatJSON, src.tags...)) {
		return nil
	}
	b := boundOrWorld(src.bound)
	c := b.Center()
	zoom := 0.0
	if w := b.Max[0] - b.Min[0]; w > 0 {
		zoom = math.Max(0, math.Min(tileMaxZoom, math.Floor(math.Log2(360/w))))
	}
	return writeJSON(w, mediaTileJSON, map[string]any{
		"tilejson": "3.0.0", "name": src.name, "scheme": "xyz",
		"tiles":   []string{s.tileTemplate(r, "{z}", "{y}", "{x}")},
		"minzoom": 0, "maxzoom": tileMaxZoom,
		"bounds":        []float64{floor7(b.Min[0]), floor7(b.Min[1]), ceil7(b.Max[0]), ceil7(b.Max[1])},
		"center":        []float64{c[0], c[1], zoom},
		"vector_layers": []map[string]any{{"id": src.name, "fields": src.fields, "minzoom": 0, "maxzoom": tileMaxZoom}},
	})
}
