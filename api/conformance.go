package api

import "net/http"

// conformanceClasses are the OGC API classes implemented: Features Part 1,
// Part 3 with CQL2 text (cql*.go; temporal-functions for T_INTERSECTS
// only) and, for the vector tiles (tiles.go), Tiles Part 1 and 2D Tile
// Matrix Set.
var conformanceClasses = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
	"http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
	"http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions",
	"http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
	"http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
	"http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
}

// conformanceDoc is the conformance declaration.
type conformanceDoc struct {
	ConformsTo []string `json:"conformsTo"`
	Links      []link   `json:"links,omitempty"`
}

// conformance serves GET /conformance.
func (s *Server) conformance(w http.ResponseWriter, r *http.Request) error {
	f, err := negotiate(r)
	if err != nil {
		return err
	}
	if err := onlyParams(r.URL.Query(), "f"); err != nil {
		return err
	}
	if notModified(w, r, s.etag(r, f)) {
		return nil
	}
	doc := conformanceDoc{ConformsTo: conformanceClasses,
		Links: s.selfLinks(r, "/conformance", nil, f, mediaJSON, "Conformance")}
	if f == formatHTML {
		return s.render(w, "conformance", page{Title: "Conformance", Links: doc.Links, Root: s.href(r, "/", nil, formatHTML), Body: doc})
	}
	return writeJSON(w, mediaJSON, doc)
}
