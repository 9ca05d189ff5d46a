package api

import (
	"fmt"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// dispatchPaths declares the dispatcher's routes: nearest responders,
// response times and the position PATCH.
func (s *Server) dispatchPaths(doc *openAPIDoc) {
	doc.Tags = append(doc.Tags, oaTag{Name: "Dispatch",
		Description: "Who is responsible for a point, who can get there first, and where nobody can in time."})
	tags := []string{"Dispatch"}
	filters := dispNearestFilters()
	point := []oaParam{
		dispQueryParam("lon", "Longitude of the point (WGS84 unless input_crs says otherwise).", schema{"type": "number", "minimum": -180, "maximum": 180}, true),
		dispQueryParam("lat", "Latitude of the point.", schema{"type": "number", "minimum": -90, "maximum": 90}, true),
	}
	batchBody := schema{"type": "object", "required": []string{"points"}, "properties": schema{
		"points": schema{"type": "array", "maxItems": coverage.MaxBatch, "items": nest(1)}}}
	batchOK := okResponses(mediaJSON, schema{"type": "object", "properties": schema{
		"results": schema{"type": "array", "items": schemaRef("nearestCollection")}}}, false)
	batchOK["413"] = dispProblem(fmt.Sprintf("More than %d points.", coverage.MaxBatch))
	doc.Paths["/responders/nearest"] = oaPathItem{
		Get: &oaOperation{Tags: tags, OperationID: "getNearestResponders",
			Summary: "The grid, village, township, beat and station of a point, and its k nearest responders",
			Description: "The first feature is the query point with its units (null outside the district, " +
				"inside_district false) and the ids of the grid's assigned responders; then the responders by " +
				"great-circle distance (ties by id), each with rank, distance_m and eta_s. Unknown parameters are refused.",
			Parameters: append(point, filters...),
			Responses:  okResponses(mediaGeoJSON, schemaRef("nearestCollection"), false)},
		Post: &oaOperation{Tags: tags, OperationID: "postNearestResponders",
			Summary:     fmt.Sprintf("The same for up to %d points, answered in their order", coverage.MaxBatch),
			Description: "The filters are the query parameters of the GET; the body holds the points.",
			Parameters:  filters,
			RequestBody: &oaRequestBody{Required: true, Content: map[string]oaMedia{mediaJSON: {Schema: batchBody}}},
			Responses:   batchOK},
	}
	responseParams := []oaParam{
		dispQueryParam("threshold_s", "Arrival time beyond which a place is a gap, seconds.", schema{"type": "number", "minimum": 1, "maximum": 86400, "default": coverage.DefaultThresholdS}, false),
		dispQueryParam("scope", fmt.Sprintf("settlements (H3 resolution %d by default) or the whole district (resolution %d).", coverage.DefaultSettlementRes, coverage.DefaultDistrictRes), schema{"type": "string", "enum": []string{string(coverage.ScopeSettlements), string(coverage.ScopeDistrict)}, "default": string(coverage.ScopeSettlements)}, false),
		dispQueryParam("resolution", "H3 resolution of the cells (default: the scope's).", schema{"type": "integer", "minimum": 7, "maximum": 12}, false),
		dispQueryParam("role", "The role that responds.", schema{"type": "string", "enum": dispRoles(), "default": string(geo.RolePolice)}, false),
		dispMaxAge(),
	}
	doc.Paths["/response/gaps"] = oaPathItem{Get: &oaOperation{Tags: tags, OperationID: "getResponseGaps",
		Summary:     "Areas beyond the arrival-time threshold from the nearest available responder, with people and incidents",
		Description: "H3 cells whose estimated arrival time exceeds threshold_s, merged into polygons, most people first; the summary member has the totals.",
		Parameters:  responseParams, Responses: okResponses(mediaGeoJSON, schema{"type": "object"}, false)}}
	doc.Paths["/response/grids"] = oaPathItem{Get: &oaOperation{Tags: tags, OperationID: "getResponseGrids",
		Summary:    "Per grid, the worst and the population-weighted mean arrival time",
		Parameters: responseParams, Responses: okResponses(mediaGeoJSON, schema{"type": "object"}, false)}}
	s.positionPath(doc, tags)
	doc.Components.Schemas["nearestCollection"] = schema{"type": "object", "required": []string{"type", "features"},
		"properties": schema{"type": schema{"type": "string", "enum": []string{"FeatureCollection"}},
			"features": schema{"type": "array", "items": schema{"type": "object"}},
			"numberReturned": schema{"type": "integer", "minimum": 0,
				"description": "The number of features: the query point and the responders."}}}
}

// positionPath declares the PATCH of a responder's position on the
// responders item path.
func (s *Server) positionPath(doc *openAPIDoc, tags []string) {
	path := "/collections/" + geo.LayerResponders + "/items/{featureId}"
	item := doc.Paths[path]
	patch := schema{"type": "object", "properties": schema{
		"geometry": schema{"type": "object", "properties": schema{"type": schema{"type": "string", "enum": []string{"Point"}}, "coordinates": nest(1)}},
		"properties": schema{"type": "object", "additionalProperties": false, "properties": schema{
			"available": schema{"type": "boolean"}, "updated": schema{"type": "string", "format": "date-time"}}}}}
	resp := okResponses(mediaGeoJSON, schemaRef(geo.LayerResponders+"Feature"), false)
	delete(resp, "304")
	ok := resp["200"]
	ok.Description = "Applied (on disk with a store). A tracker gets {\"id\", \"version\"} (application/json); others the Feature as stored; a dry run the write summary."
	ok.Content[mediaJSON] = oaMedia{Schema: schema{"type": "object", "properties": schema{"id": schema{"type": "string"}, "version": schema{"type": "integer"}}}}
	resp["200"] = ok
	resp["403"] = dispProblem("Refused: the server runs without the development flag and the request has no token; or a tracker patched another member, or a responder its token is not bound to.")
	resp["503"] = dispProblem("Not applied: the request's deadline passed first, or the store failed.")
	resp["413"] = dispProblem("The body is too large.")
	item.Patch = &oaOperation{Tags: tags, OperationID: "patchResponderPosition",
		Summary: "Report a responder's position, availability and time (JSON merge patch)",
		Description: "A JSON merge patch (RFC 7396) of the Feature, served by the same write pipeline as every write. A tracker may set " +
			"geometry, properties.available and properties.updated only (anything else is a 403 naming the field); an empty patch is a 400; " +
			"updated may be at most 5 minutes ahead of the server's clock. Without updated, a move or a change of availability is dated now. " +
			"Reports make at most one commit per 10 ms (one transaction and one atlas version for the group); the answer comes once it is applied.",
		Parameters: []oaParam{{Ref: ref("parameters", "featureId")},
			dispQueryParam("input_crs", "The coordinate system of the geometry.", dispCRSSchema(), false),
			dispQueryParam("dry_run", "Validate and report every error, without applying anything.", schema{"type": "boolean", "default": false}, false)},
		RequestBody: &oaRequestBody{Required: true, Content: map[string]oaMedia{mediaMergePatch: {Schema: patch}, mediaJSON: {Schema: patch}}},
		Responses:   resp}
	doc.Paths[path] = item
}

// dispNearestFilters are the filters of both nearest operations.
func dispNearestFilters() []oaParam {
	return []oaParam{
		dispQueryParam("k", "How many responders.", schema{"type": "integer", "minimum": 1, "maximum": coverage.MaxK, "default": coverage.DefaultK}, false),
		{Name: "role", In: "query", Style: "form", Explode: ptr(false), Description: "Only these roles (one or a comma-separated list).",
			Schema: schema{"type": "array", "items": schema{"type": "string", "enum": dispRoles()}}},
		dispQueryParam("available", "Only responders marked available whose last report is at most max_age_s old.", schema{"type": "boolean", "default": true}, false),
		dispMaxAge(),
		dispQueryParam("max_distance_m", "Only responders at most this far (great circle), metres.", schema{"type": "number", "exclusiveMinimum": true, "minimum": 0}, false),
		dispQueryParam("input_crs", "The coordinate system of the point(s); answers are WGS84.", dispCRSSchema(), false),
		dispQueryParam("order", "Rank by estimated arrival time (eta) or by great-circle distance (distance); ties by id.",
			schema{"type": "string", "enum": []string{"eta", "distance"}, "default": "eta"}, false),
	}
}

func dispMaxAge() oaParam {
	return dispQueryParam("max_age_s", "How old a report may be for its responder to count as available, seconds; 0 turns the check off.",
		schema{"type": "number", "minimum": 0, "default": coverage.DefaultMaxAge.Seconds()}, false)
}

func dispCRSSchema() schema {
	return schema{"type": "string", "enum": []string{"wgs84", "gcj02", "bd09"}, "default": "wgs84"}
}

func dispQueryParam(name, desc string, sc schema, required bool) oaParam {
	return oaParam{Name: name, In: "query", Description: desc, Required: required, Style: "form", Explode: ptr(false), Schema: sc}
}

func dispProblem(desc string) oaResponse {
	return oaResponse{Description: desc, Content: map[string]oaMedia{mediaProblem: {Schema: schemaRef("problem")}}}
}

func dispRoles() []string {
	out := make([]string, len(geo.Roles))
	for i, r := range geo.Roles {
		out[i] = string(r)
	}
	return out
}
