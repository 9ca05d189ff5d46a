package api

import (
	"fmt"

	"gridwatch/coverage"
)

// planningPaths declares /coverage/placement, /coverage/scenario and
// /coverage/repairs.
func (s *Server) planningPaths(doc *openAPIDoc) {
	tags := []string{"Coverage"}
	fc := schema{"type": "object", "required": []string{"type", "features"}, "properties": schema{
		"type": schema{"type": "string", "enum": []string{"FeatureCollection"}}, "features": schema{"type": "array", "items": schema{"type": "object"}},
		"summary": schema{"type": "object"}}}
	num := func(desc string) schema { return schema{"type": "number", "minimum": 0, "description": desc} }
	window := schema{
		"variant":     schema{"type": "string", "enum": []string{"installed", "operational"}, "default": "installed"},
		"as_of":       schema{"type": "string", "format": "date", "description": "The last day of the window (Asia/Shanghai)."},
		"window_days": schema{"type": "integer", "minimum": 1, "maximum": 36600, "default": coverage.DefaultWindowDays},
	}
	body := func(props schema, required ...string) *oaRequestBody {
		for k, v := range window {
			props[k] = v
		}
		sc := schema{"type": "object", "additionalProperties": false, "properties": props}
		if len(required) > 0 {
			sc["required"] = required
		}
		return &oaRequestBody{Required: true, Content: map[string]oaMedia{mediaJSON: {Schema: sc}}}
	}
	resp := func() map[string]oaResponse {
		r := okResponses(mediaGeoJSON, fc, false)
		r["413"] = oaResponse{Description: "The body is too large.", Content: map[string]oaMedia{mediaProblem: {Schema: schemaRef("problem")}}}
		return r
	}
	placement := schema{
		"budget": schema{"type": "integer", "minimum": 1, "maximum": coverage.MaxPlacementBudget, "description": "The largest number of new cameras."},
		"camera": schema{"type": "object", "additionalProperties": false, "description": "The camera model (default fixed, 90°, 80 m).", "properties": schema{
			"type":    schema{"type": "string", "default": "fixed"},
			"fov_deg": schema{"type": "number", "exclusiveMinimum": 0, "maximum": 360, "default": 90},
			"range_m": schema{"type": "number", "exclusiveMinimum": 0, "maximum": 5000, "default": 80}}},
		"weights": schema{"type": "object", "additionalProperties": false, "description": "Weights of what is newly seen (default 1 each).", "properties": schema{
			"population": num("Per resident."), "incidents": num("Per incident in the window."), "places": num("Per key place.")}},
		"candidates": schema{"type": "array", "description": "Candidate sites; when absent, sites are generated from the gaps (docs/placement.md).",
			"items": schema{"type": "object", "properties": schema{"id": schema{"type": "string"},
				"point": schema{"type": "array", "items": schema{"type": "number"}, "minItems": 2, "maxItems": 2}}}},
		"bbox":             schema{"type": "array", "items": schema{"type": "number"}, "minItems": 4, "maxItems": 4, "description": "Generated sites only in this box."},
		"grid":             schema{"type": "string", "description": "Generated sites only in this grid."},
		"township":         schema{"type": "string", "description": "Generated sites only in this township."},
		"one_per_site":     schema{"type": "boolean", "default": false, "description": "At most one camera per site."},
		"bearing_step_deg": schema{"type": "number", "minimum": 1, "maximum": 360, "default": coverage.DefaultPlacementBearingStepDeg},
	}
	placeDesc := fmt.Sprintf("Greedy maximum coverage with lazy evaluation (at least 1 − 1/e of the optimum; ½ with one_per_site). "+
		"Features: each chosen camera as a Point (rank, bearing_deg, gain, gain_population, gain_incidents, gain_places) followed by its "+
		"viewshed Polygon (site_rank); the foreign member summary has the total gain and the district's coverage before and after. "+
		"A budget above %d and unknown members are refused.", coverage.MaxPlacementBudget)
	placeBody := body(placement, "budget")
	doc.Paths["/coverage/placement"] = oaPathItem{
		Get: &oaOperation{Tags: tags, OperationID: "getCoveragePlacement", Summary: "Where to put N new cameras (members as query parameters)",
			Description: placeDesc + " Members of camera and weights are named camera.type, weights.population…",
			Parameters:  planningQuery(placement), Responses: okResponses(mediaGeoJSON, fc, false)},
		Post: &oaOperation{Tags: tags, OperationID: "postCoveragePlacement", Summary: "Where to put N new cameras",
			Description: placeDesc, RequestBody: placeBody, Responses: resp()}}
	changes := schema{"changes": schema{"type": "array", "maxItems": MaxScenarioChanges, "items": schema{"type": "object", "required": []string{"op"},
		"properties": schema{"op": schema{"type": "string", "enum": []string{"add", "move", "remove", "fix"}},
			"camera": schema{"type": "object", "description": "A camera GeoJSON Feature (add)."},
			"id":     schema{"type": "string", "description": "The camera moved, removed or fixed."},
			"to":     schema{"type": "array", "items": schema{"type": "number"}, "minItems": 2, "maxItems": 2, "description": "[lon, lat] (move)."}}}}}
	scDesc := "The changes are applied in order to a copy of the dataset (the served dataset is unchanged). Features: every grid touched, " +
		"with before and after figures; the foreign member summary has the district's before and after (as /coverage/summary?level=district). " +
		"Unknown members are refused."
	scBody := body(changes, "changes")
	doc.Paths["/coverage/scenario"] = oaPathItem{
		Get: &oaOperation{Tags: tags, OperationID: "getCoverageScenario", Summary: "What-if (changes as JSON in a query parameter)",
			Description: scDesc, Parameters: planningQuery(changes), Responses: okResponses(mediaGeoJSON, fc, false)},
		Post: &oaOperation{Tags: tags, OperationID: "postCoverageScenario", Summary: "What-if: coverage before and after camera changes",
			Description: scDesc, RequestBody: scBody, Responses: resp()}}
	q := func(name, desc string, sc schema) oaParam {
		return oaParam{Name: name, In: "query", Description: desc, Style: "form", Explode: ptr(false), Schema: sc}
	}
	doc.Paths["/coverage/repairs"] = oaPathItem{Get: &oaOperation{Tags: tags, OperationID: "getCoverageRepairs",
		Summary:     "Offline cameras ranked by what fixing them brings back",
		Description: "Each offline camera as a Point with rank and the weighted gain to the operational coverage, alone; summary.all is repairing them all. Unknown parameters are refused.",
		Parameters: []oaParam{
			q("population", "Weight per resident newly seen.", schema{"type": "number", "minimum": 0, "default": 1}),
			q("incidents", "Weight per incident in the window newly seen.", schema{"type": "number", "minimum": 0, "default": 1}),
			q("places", "Weight per key place newly seen.", schema{"type": "number", "minimum": 0, "default": 1}),
			q("as_of", "The last day of the window (Asia/Shanghai).", schema{"type": "string", "format": "date"}),
			q("window_days", "The window's length, days.", schema{"type": "integer", "minimum": 1, "maximum": 36600, "default": coverage.DefaultWindowDays}),
			q("limit", "The number of cameras returned, from the top.", schema{"type": "integer", "minimum": 1, "maximum": s.maxLimit, "default": s.maxLimit}),
			{Ref: ref("parameters", "f")}},
		Responses: okResponses(mediaGeoJSON, fc, false)}}
}

// planningQuery returns the query parameters of the GET form of a planning
// endpoint: one per body member, "object.member" for the members of an
// object with declared properties; arrays and objects as JSON text.
func planningQuery(props schema) []oaParam {
	var out []oaParam
	add := func(name string, sc any) {
		m, _ := sc.(schema)
		desc, _ := m["description"].(string)
		ps := schema{"type": "string"}
		if t, _ := m["type"].(string); t == "number" || t == "integer" || t == "boolean" || t == "string" {
			ps = schema{"type": t}
		} else if desc == "" {
			desc = "As JSON text."
		}
		out = append(out, oaParam{Name: name, In: "query", Description: desc, Schema: ps})
	}
	for _, k := range sortedKeys(props) {
		m, _ := props[k].(schema)
		if sub, ok := m["properties"].(schema); ok && m["type"] == "object" {
			for _, sk := range sortedKeys(sub) {
				add(k+"."+sk, sub[sk])
			}
			continue
		}
		add(k, props[k])
	}
	return append(out, oaParam{Ref: ref("parameters", "f")})
}
