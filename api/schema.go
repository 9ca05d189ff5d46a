package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"gridwatch/data"
)

// mediaSchema is the media type of JSON schemas.
const mediaSchema = "application/schema+json"

// featureSchema returns the JSON schema of one feature of a layer, with
// the geometry's schema given: every property is present in the output,
// so every one is required.
func featureSchema(ls data.LayerSchema, geometry schema) schema {
	// Every feature repeats its id as properties.id, but the schema
	// leaves it out: GDAL 3.6 types the fields from the schema and adds an
	// id field of its own when the first property of a page is id, so a
	// listed properties.id came out as two columns, id and id2.
	props := schema{}
	required := []string{}
	for _, p := range ls.Properties {
		props[p.Name] = propertySchema(p)
		required = append(required, p.Name)
	}
	return schema{"type": "object", "required": []string{"type", "geometry", "properties"}, "properties": schema{
		"type":     schema{"type": "string", "enum": []string{"Feature"}},
		"id":       schema{"type": "string"},
		"geometry": geometry,
		"properties": schema{"type": "object", "required": required, "properties": props,
			"description": "The feature's properties; each feature also repeats its id here as id."},
		"links": schema{"type": "array", "items": schema{"type": "object"}},
	}}
}

// collectionSchema serves GET /collections/{collectionId}/schema: the JSON
// schema of the collection's features. GDAL reads it (through the
// collection's describedby link) to type the fields, so that a number
// property whose first values are whole is not taken for an integer.
func (s *Server) collectionSchema(w http.ResponseWriter, r *http.Request) error {
	a, err := s.current()
	if err != nil {
		return err
	}
	if chi.URLParam(r, "collectionId") == viewshedsName { // derived from cameras: viewshed_collection.go
		return s.viewshedsSchema(w, r)
	}
	d, err := s.layerData(a, chi.URLParam(r, "collectionId"))
	if err != nil {
		return err
	}
	if err := onlyParams(r.URL.Query(), "f"); err != nil {
		return err
	}
	if notModified(w, r, s.etag(r, formatJSON)) {
		return nil
	}
	sc := featureSchema(d.schema, geometrySchemas()[d.schema.Geometry])
	sc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	sc["$id"] = s.base(r) + collectionPath(d.name) + "/schema"
	sc["title"] = d.schema.Title
	sc["description"] = d.schema.Description
	return writeJSON(w, mediaSchema, sc)
}
