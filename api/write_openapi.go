package api

import "gridwatch/data"

// securityPaths declares /readyz, /metrics and, when the server writes,
// the write operations of every collection; with tokens configured, the
// bearer scheme.
func (s *Server) securityPaths(doc *openAPIDoc) {
	doc.Paths["/readyz"] = oaPathItem{Get: &oaOperation{Tags: []string{"Capabilities"},
		Summary:     "Readiness: 200 when a dataset is loaded and the store answers, else 503",
		Description: "Needs no token. Unlike /healthz it says nothing about the data and checks the store.",
		OperationID: "getReady", Responses: okResponses(mediaJSON, schema{"type": "object"}, false)}}
	doc.Paths["/metrics"] = oaPathItem{Get: &oaOperation{Tags: []string{"Capabilities"},
		Summary:     "Prometheus metrics (text format): requests, latency and errors per route, layer versions and sizes, writes, refusals by limit",
		OperationID: "getMetrics", Responses: okResponses("text/plain; version=0.0.4", schema{"type": "string"}, false)}}
	if !s.demo() {
		doc.Components.SecuritySchemes = map[string]schema{
			"bearer": {"type": "http", "scheme": "bearer", "description": "A token of role viewer, analyst, tracker or admin (see the README's route × role table)."},
		}
		doc.Security = []map[string][]string{{"bearer": {}}}
	}
	if s.sec.writes == nil || !s.sec.durable {
		return // without a store only the position PATCH writes (positionPath)
	}
	for _, sc := range data.Schemas {
		s.writePaths(doc, sc)
	}
}

// writePaths declares the write operations of one collection.
func (s *Server) writePaths(doc *openAPIDoc, sc data.LayerSchema) {
	base := "/collections/" + sc.Name
	dryRun := oaParam{Name: "dry_run", In: "query", Schema: schema{"type": "boolean", "default": false},
		Description: "Validate and report every error, without applying anything."}
	inputCRS := oaParam{Name: "input_crs", In: "query", Schema: schema{"type": "string", "enum": []string{"wgs84", "gcj02", "bd09"}, "default": "wgs84"},
		Description: "The coordinate system of the body's geometries; they are converted to WGS84."}
	ifMatch := oaParam{Name: "If-Match", In: "header", Schema: schema{"type": "string"},
		Description: "The layer's ETag (from a write's answer or GET " + base + "/items): the write is refused with 412 if the layer changed since."}
	body := func(desc string, csv bool) *oaRequestBody {
		content := map[string]oaMedia{mediaGeoJSON: {Schema: schema{"type": "object"}}, mediaJSON: {Schema: schema{"type": "object"}}}
		if csv && data.IsCSVLayer(sc.Name) {
			content[mediaCSV] = oaMedia{Schema: schema{"type": "string"}}
		}
		return &oaRequestBody{Description: desc, Required: true, Content: content}
	}
	op := func(id, summary string, rb *oaRequestBody, ok string, params ...oaParam) *oaOperation {
		return &oaOperation{Tags: []string{"Data"}, Summary: summary, OperationID: id + "_" + sc.Name,
			Parameters: append([]oaParam{dryRun, inputCRS, ifMatch}, params...), RequestBody: rb, Responses: writeResponses(ok)}
	}
	items := doc.Paths[base+"/items"]
	items.Put = op("replaceFeatures", "Replace every feature of "+sc.Name+" (admin)",
		body("A FeatureCollection (or CSV) of the layer's whole new content.", true), "200")
	items.Post = op("addFeatures", "Add features to "+sc.Name+" (admin); an existing id is a 409",
		body("A Feature (answered 201 with its Location) or a FeatureCollection.", true), "201")
	doc.Paths[base+"/items"] = items
	item := doc.Paths[base+"/items/{featureId}"]
	if item.Patch == nil {
		item.Patch = op("updateFeature", "Change one feature of "+sc.Name+" with a JSON merge patch (RFC 7396) (admin)",
			&oaRequestBody{Required: true, Content: map[string]oaMedia{mediaMergePatch: {Schema: schema{"type": "object"}}}},
			"200", oaParam{Ref: ref("parameters", "featureId")})
	}
	item.Delete = op("deleteFeature", "Delete one feature of "+sc.Name+" (admin)", nil, "204", oaParam{Ref: ref("parameters", "featureId")})
	doc.Paths[base+"/items/{featureId}"] = item
}

// writeResponses are the answers of a write operation.
func writeResponses(ok string) map[string]oaResponse {
	problem := func(desc string) oaResponse {
		return oaResponse{Description: desc, Content: map[string]oaMedia{mediaProblem: {Schema: schemaRef("problem")}}}
	}
	return map[string]oaResponse{
		ok:    {Description: "Applied and on disk (a dry run answers 200 without applying); the ETag is the layer's new version."},
		"400": problem("Invalid: errors lists every problem (layer, index, id, field, expected)."),
		"401": problem("No token, or a wrong or expired one."),
		"403": problem("The token's role may not write here."),
		"404": {Ref: ref("responses", "NotFound")},
		"409": problem("An id that exists already."),
		"412": problem("If-Match names an older version of the layer."),
		"413": problem("The body or the number of features is above its limit (limit, max)."),
		"429": problem("Too many requests for this token; see Retry-After."),
		"503": problem("The write could not be stored, or took too long (limit timeout); nothing was applied."),
	}
}
