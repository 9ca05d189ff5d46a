package api

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"gridwatch/data"
)

// queryables serves GET /collections/{collectionId}/queryables (OGC API -
// Features Part 3): a JSON Schema of what a filter may name. It also
// lists the names in a "queryables" array, the form GDAL 3.6's OAPIF
// driver reads to decide which comparisons it sends to the server.
func (s *Server) queryables(w http.ResponseWriter, r *http.Request) error {
	a, err := s.current()
	if err != nil {
		return err
	}
	id := chi.URLParam(r, "collectionId")
	var sc data.LayerSchema
	if id == viewshedsName {
		sc = viewshedSchema()
	} else {
		d, err := s.layerData(a, id)
		if err != nil {
			return err
		}
		sc = d.schema
	}
	if err := onlyParams(r.URL.Query(), "f"); err != nil {
		return err
	}
	if notModified(w, r, s.etag(r, formatJSON, r.Header.Get("Accept"))) {
		return nil
	}
	props := schema{
		"id":       schema{"type": "string", "description": "The feature's id."},
		"geometry": schema{"format": "geometry-" + geometryFormat(sc.Geometry), "description": "The feature's geometry (S_INTERSECTS)."},
	}
	var legacy []schema
	for _, name := range queryableNames(sc) {
		legacy = append(legacy, schema{"id": name})
		if p, ok := sc.Property(name); ok {
			ps := propertySchema(p)
			if name == sc.Time {
				ps["description"] = p.Description + " The time of the feature (T_INTERSECTS)."
			}
			props[name] = ps
		}
	}
	media := mediaSchema
	if !strings.Contains(r.Header.Get("Accept"), mediaSchema) && strings.Contains(r.Header.Get("Accept"), mediaJSON) {
		media = mediaJSON // GDAL 3.6 refuses any other type here
	}
	return writeJSON(w, media, schema{
		"$schema": "https://json-schema.org/draft/2020-12/schema",
		"$id":     s.base(r) + collectionPath(id) + "/queryables",
		"type":    "object", "title": sc.Title, "properties": props, "additionalProperties": false,
		"queryables": legacy,
	})
}

// geometryFormat is the queryables format suffix of a geometry type.
func geometryFormat(t string) string {
	switch t {
	case "Point":
		return "point"
	case "MultiPoint":
		return "multipoint"
	case "LineString":
		return "linestring"
	case "MultiLineString":
		return "multilinestring"
	case "MultiPolygon":
		return "multipolygon"
	}
	return "polygon"
}
