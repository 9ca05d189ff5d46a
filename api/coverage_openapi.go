package api

import (
	"fmt"

	"gridwatch/coverage"
)

// coveragePaths declares the video-coverage endpoints, the camera viewshed
// and the viewsheds collection.
func (s *Server) coveragePaths(doc *openAPIDoc) {
	doc.Tags = append(doc.Tags, oaTag{Name: "Coverage",
		Description: "Video coverage per grid on H3 cells, gaps, unwatched hotspots and roll-ups (docs/coverage.md)."})
	tags := []string{"Coverage"}
	q := func(name, desc string, sc schema) oaParam {
		return oaParam{Name: name, In: "query", Description: desc, Style: "form", Explode: ptr(false), Schema: sc}
	}
	common := []oaParam{
		q("variant", "installed counts every camera, operational the online ones.", schema{"type": "string", "enum": []string{"installed", "operational"}, "default": "installed"}),
		q("as_of", "The last day of the window (Asia/Shanghai); default the dataset's as_of, else today.", schema{"type": "string", "format": "date"}),
		q("window_days", "The window's length: incidents in (as_of − window_days, as_of].", schema{"type": "integer", "minimum": 1, "maximum": 36600, "default": coverage.DefaultWindowDays}),
		{Ref: ref("parameters", "f")},
	}
	res := q("resolution", fmt.Sprintf("H3 resolution of the coverage (default %d, chosen by measured error: docs/coverage.md).", coverage.DefaultVideoResolution),
		schema{"type": "integer", "minimum": coverage.MinVideoResolution, "maximum": coverage.MaxVideoResolution, "default": coverage.DefaultVideoResolution})
	units := []oaParam{{Ref: ref("parameters", "bbox")},
		q("township", "Only this township (id).", schema{"type": "string"}),
		q("village", "Only this village (id).", schema{"type": "string"})}
	grid := q("grid", "Only this grid (id).", schema{"type": "string"})
	limit := func(def int) oaParam {
		return q("limit", "The number of features returned, from the top.", schema{"type": "integer", "minimum": 1, "maximum": s.maxLimit, "default": def})
	}
	params := func(ps ...oaParam) []oaParam { return append(append([]oaParam{}, common...), ps...) }
	fc := schema{"type": "object", "required": []string{"type", "features"}, "properties": schema{
		"type": schema{"type": "string", "enum": []string{"FeatureCollection"}}, "features": schema{"type": "array", "items": schema{"type": "object"}}}}
	op := func(path, id, summary, desc, media string, sc schema, ps []oaParam) {
		doc.Paths[path] = oaPathItem{Get: &oaOperation{Tags: tags, OperationID: id, Summary: summary,
			Description: desc + " Unknown parameters are refused.", Parameters: ps, Responses: okResponses(media, sc, false)}}
	}
	op("/coverage/grids", "getCoverageGrids", "Every grid with its video coverage",
		"One response (no paging): shares in [0, 1] (null where the grid has none of the thing) and the figures behind them, camera counts and online rate.",
		mediaGeoJSON, fc, params(append([]oaParam{res}, units...)...))
	op("/coverage/gaps", "getCoverageGaps", "The parts of the watched surface that no camera sees, by priority",
		"Priority = population + 10 × incidents a year + 50 × key places (resident-equivalents).",
		mediaGeoJSON, fc, params(append([]oaParam{res, grid, limit(s.defLimit),
			q("min_area_m2", "Drop gaps smaller than this.", schema{"type": "number", "minimum": 0, "default": 0})}, units...)...))
	op("/coverage/hotspots", "getCoverageHotspots", "Incidents out of every camera's view, counted on H3 cells per grid",
		"resolution is the cells' (default 9); whether an incident is seen is decided exactly.",
		mediaGeoJSON, fc, params(append([]oaParam{grid, limit(s.maxLimit),
			q("resolution", "H3 resolution of the cells.", schema{"type": "integer", "minimum": coverage.MinVideoResolution, "maximum": coverage.MaxVideoResolution, "default": coverage.DefaultVideoHotspotResolution})}, units...)...))
	op("/coverage/summary", "getCoverageSummary", "Video coverage rolled up to villages, townships or the district",
		"JSON rows keyed by the unit's id and name, the sums of its grids' figures; format=geojson gives the units' polygons instead.",
		mediaJSON, schema{"type": "object"}, params(res,
			q("level", "The level of the rows.", schema{"type": "string", "enum": []string{"village", "township", "district"}, "default": "district"}),
			q("format", "json (rows) or geojson (unit polygons).", schema{"type": "string", "enum": []string{"json", "geojson"}, "default": "json"})))
	doc.Paths["/cameras/{cameraId}/viewshed"] = oaPathItem{Get: &oaOperation{Tags: tags, OperationID: "getCameraViewshed",
		Summary: "One camera's viewshed: a geodesic sector (a disc for PTZ and dome cameras) as a GeoJSON feature",
		Parameters: []oaParam{{Name: "cameraId", In: "path", Required: true, Description: "The camera's id.", Schema: schema{"type": "string"}},
			{Ref: ref("parameters", "f")}},
		Responses: okResponses(mediaGeoJSON, schema{"type": "object"}, false)}}
	vs := viewshedSchema()
	s.collectionPaths(doc, vs)
	doc.Components.Schemas[vs.Name+"Feature"] = featureSchema(vs, schemaRef(vs.Geometry))
	doc.Components.Schemas[vs.Name+"FeatureCollection"] = schema{"type": "object", "required": []string{"type", "features"},
		"properties": schema{
			"type":           schema{"type": "string", "enum": []string{"FeatureCollection"}},
			"features":       schema{"type": "array", "items": schemaRef(vs.Name + "Feature")},
			"links":          schema{"type": "array", "items": schemaRef("link")},
			"timeStamp":      schema{"type": "string", "format": "date-time"},
			"numberMatched":  schema{"type": "integer", "minimum": 0},
			"numberReturned": schema{"type": "integer", "minimum": 0},
		}}
}
