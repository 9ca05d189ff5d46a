package api

import "gridwatch/data"

// propertySchema returns the JSON schema of a layer property.
func propertySchema(p data.Property) schema {
	var sc schema
	switch p.Type {
	case data.TypeInteger:
		sc = schema{"type": "integer"}
	case data.TypeNumber:
		sc = schema{"type": "number"}
	case data.TypeBoolean:
		sc = schema{"type": "boolean"}
	case data.TypeDate:
		sc = schema{"type": "string", "format": "date"}
	case data.TypeDateTime:
		sc = schema{"type": "string", "format": "date-time"}
	case data.TypeStrings:
		sc = schema{"type": "array", "items": schema{"type": "string"}}
	default:
		sc = schema{"type": "string"}
	}
	if len(p.Enum) > 0 {
		sc["enum"] = p.Enum
	}
	if p.Description != "" {
		sc["description"] = p.Description
	}
	return sc
}

// oaSchemas returns the schemas of every response, with a feature and a
// feature collection schema per layer built from data.Schemas.
func oaSchemas() map[string]schema {
	str := schema{"type": "string"}
	links := schema{"type": "array", "items": schemaRef("link")}
	obj := func(required []string, props schema) schema {
		return schema{"type": "object", "required": required, "properties": props}
	}
	out := map[string]schema{
		"link": obj([]string{"href", "rel"}, schema{"href": str, "rel": str, "type": str, "title": str}),
		"landingPage": obj([]string{"links"}, schema{"title": str, "description": str,
			"synthetic": schema{"type": "boolean"}, "links": links}),
		"confClasses": obj([]string{"conformsTo"}, schema{"conformsTo": schema{"type": "array", "items": str}, "links": links}),
		"extent": schema{"type": "object", "properties": schema{
			"spatial": obj([]string{"bbox"}, schema{"crs": str, "bbox": schema{"type": "array", "minItems": 1,
				"items": schema{"type": "array", "minItems": 4, "maxItems": 6, "items": schema{"type": "number"}}}}),
			"temporal": obj([]string{"interval"}, schema{"trs": str, "interval": schema{"type": "array", "minItems": 1,
				"items": schema{"type": "array", "minItems": 2, "maxItems": 2,
					"items": schema{"type": "string", "format": "date-time", "nullable": true}}}}),
		}},
		"collection": obj([]string{"id", "links"}, schema{"id": str, "title": str, "description": str,
			"itemType": str, "crs": schema{"type": "array", "items": str}, "extent": schemaRef("extent"), "links": links}),
		"collections": obj([]string{"links", "collections"}, schema{"links": links,
			"collections": schema{"type": "array", "items": schemaRef("collection")}}),
		"problem": obj([]string{"type", "title", "status"}, schema{"type": str, "title": str,
			"status": schema{"type": "integer"}, "detail": str, "instance": str, "code": str, "request_id": str,
			"errors": schema{"type": "array", "items": obj([]string{"field", "expected"}, schema{
				"layer": str, "index": schema{"type": "integer"}, "id": str, "field": str, "expected": str})}}),
		"health": obj([]string{"status"}, schema{"status": str, "dataset": str, "synthetic": schema{"type": "boolean"},
			"versions": schema{"type": "object", "additionalProperties": schema{"type": "integer"}},
			"counts":   schema{"type": "object", "additionalProperties": schema{"type": "integer"}}}),
	}
	for name, g := range geometrySchemas() {
		out[name] = g
	}
	for _, ls := range data.Schemas {
		out[ls.Name+"Feature"] = featureSchema(ls, schemaRef(ls.Geometry))
		out[ls.Name+"FeatureCollection"] = obj([]string{"type", "features"}, schema{
			"type":           schema{"type": "string", "enum": []string{"FeatureCollection"}},
			"features":       schema{"type": "array", "items": schemaRef(ls.Name + "Feature")},
			"links":          links,
			"timeStamp":      schema{"type": "string", "format": "date-time"},
			"numberMatched":  schema{"type": "integer", "minimum": 0},
			"numberReturned": schema{"type": "integer", "minimum": 0},
		})
	}
	return out
}

// geometrySchemas returns the schema of each geometry type of the layers.
func geometrySchemas() map[string]schema {
	return map[string]schema{
		"Point":        geometrySchema("Point", nest(1)),
		"LineString":   geometrySchema("LineString", nest(2)),
		"Polygon":      geometrySchema("Polygon", nest(3)),
		"MultiPolygon": geometrySchema("MultiPolygon", nest(4)),
	}
}

// geometrySchema is the schema of a GeoJSON geometry of one type.
func geometrySchema(typ string, coords schema) schema {
	return schema{"type": "object", "required": []string{"type", "coordinates"}, "properties": schema{
		"type":        schema{"type": "string", "enum": []string{typ}},
		"coordinates": coords,
	}}
}

// nest returns the schema of positions nested depth arrays deep (a
// position is the innermost array of numbers).
func nest(depth int) schema {
	sc := schema{"type": "array", "minItems": 2, "items": schema{"type": "number"}}
	for range depth - 1 {
		sc = schema{"type": "array", "items": sc}
	}
	return sc
}
