package api

import (
	"fmt"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// loadPaths declares the load endpoints.
func (s *Server) loadPaths(doc *openAPIDoc) {
	doc.Tags = append(doc.Tags, oaTag{Name: "Load",
		Description: "Police load per grid, the staffing norm, beat–grid congruence and the reallocation planner (docs/load.md)."})
	tags := []string{"Load"}
	q := func(name, desc string, sc schema) oaParam {
		return oaParam{Name: name, In: "query", Description: desc, Style: "form", Explode: ptr(false), Schema: sc}
	}
	num := func(def float64) schema { return schema{"type": "number", "minimum": 0, "default": def} }
	dw, dn := coverage.DefaultLoadWeights(), coverage.DefaultNorm()
	paramReader := []oaParam{
		q("as_of", "The last day of the window (Asia/Shanghai); default the dataset's as_of, else today.", schema{"type": "string", "format": "date"}),
		q("window_days", "The window's length: incidents in (as_of − window_days, as_of].", schema{"type": "integer", "minimum": 1, "maximum": 36600, "default": coverage.DefaultWindowDays}),
		q("weight_residents", "Weight of residents per police officer in the load index.", num(dw.Residents)),
		q("weight_households", "Weight of households per police officer.", num(dw.Households)),
		q("weight_incidents", "Weight of incidents in the window per police officer.", num(dw.Incidents)),
		q("weight_area", "Weight of km² per police officer.", num(dw.Area)),
		q("split", "How a responder serving several grids is shared among them: equal, or in proportion to demand.", schema{"type": "string", "enum": []string{"equal", "demand"}, "default": "equal"}),
		q("norm_grid_police", "Grid norm (一格一警): least police officers linked to a grid; below_norm of a grid.", schema{"type": "integer", "minimum": 0, "default": dn.GridPolice}),
		q("norm_police", "Beat norm (一区一警两辅): least police officers working in a beat (linked to one of its grids).", schema{"type": "integer", "minimum": 0, "default": dn.BeatPolice}),
		q("norm_auxiliaries", "Beat norm: least auxiliaries working in a beat.", schema{"type": "integer", "minimum": 0, "default": dn.BeatAuxiliaries}),
		q("police_in_grids_target", "Target share of police officers assigned to grids.", schema{"type": "number", "minimum": 0, "maximum": 1, "default": dn.PoliceInGridsTarget}),
		{Ref: ref("parameters", "f")},
	}
	filters := []oaParam{{Ref: ref("parameters", "bbox")},
		q("township", "Only the grids of this township (id).", schema{"type": "string"}),
		q("village", "Only the grids of this village (id).", schema{"type": "string"})}
	fc := schema{"type": "object", "required": []string{"type", "features"}, "properties": schema{
		"type": schema{"type": "string", "enum": []string{"FeatureCollection"}}, "features": schema{"type": "array", "items": schema{"type": "object"}}}}
	doc.Paths["/load/grids"] = oaPathItem{Get: &oaOperation{Tags: tags, OperationID: "getLoadGrids",
		Summary: "Every grid with its staff (shares and headcounts), residents, households, incidents, area, per-officer figures and load index",
		Description: "One response (no paging). A grid without police share has null per-officer figures and a load index above every staffed grid's " +
			"(M + 1 + its demand). Foreign members: window, weights, split, means, compliance. Unknown parameters are refused.",
		Parameters: append(append([]oaParam{}, paramReader...), filters...), Responses: okResponses(mediaGeoJSON, fc, false)}}
	doc.Paths["/load/summary"] = oaPathItem{Get: &oaOperation{Tags: tags, OperationID: "getLoadSummary",
		Summary: "The load rolled up to grids, beats, villages, townships or the district: JSON rows",
		Description: "below_norm applies the norm of the level: grid, no linked officer (fewer than norm_grid_police); beat, fewer than " +
			"norm_police officers or norm_auxiliaries auxiliaries working in it (short_police, short_auxiliaries say how many lack); " +
			"district, a share of police in grids below police_in_grids_target; null at village and township level.",
		Parameters: append([]oaParam{q("level", "The level of the rows.", schema{"type": "string", "enum": []string{"grid", "beat", "village", "township", "district"}, "default": "district"})}, paramReader...),
		Responses:  okResponses(mediaJSON, schema{"type": "object", "properties": schema{"rows": schema{"type": "array", "items": schema{"type": "object"}}}}, false)}}
	doc.Paths["/load/congruence"] = oaPathItem{Get: &oaOperation{Tags: tags, OperationID: "getLoadCongruence",
		Summary: "Beat–grid congruence: the pieces of grids outside their dominant beat (view=pieces) or each grid's share in its dominant beat (view=grids)",
		Description: fmt.Sprintf("Sampled on H3 cell centres: by default each grid at the coarsest resolution in [%d, %d] giving it at least %d cells "+
			"(measured error under 1 percentage point of a grid's area). The foreign member summary holds the district score.",
			coverage.MinCongruenceResolution, coverage.MaxCongruenceResolution, coverage.CongruenceMinCells),
		Parameters: append([]oaParam{
			q("view", "pieces or grids.", schema{"type": "string", "enum": []string{"pieces", "grids"}, "default": "pieces"}),
			q("resolution", "One H3 resolution for every grid instead of the adaptive one.", schema{"type": "integer", "minimum": coverage.MinCongruenceResolution, "maximum": coverage.MaxCongruenceResolution}),
			q("split_tolerance", "Share of a grid outside its dominant beat above which it counts as split.", schema{"type": "number", "minimum": 0, "maximum": 0.999, "default": coverage.DefaultSplitTolerance}),
			{Ref: ref("parameters", "f")},
		}, filters...),
		Responses: okResponses(mediaGeoJSON, fc, false)}}
	s.reallocPath(doc, tags, paramReader, fc)
}

// reallocPath declares /load/reallocate.
func (s *Server) reallocPath(doc *openAPIDoc, tags []string, paramReader []oaParam, fc schema) {
	def := coverage.DefaultReallocConstraints()
	integer := func(d int) schema { return schema{"type": "integer", "minimum": 0, "default": d} }
	members := schema{
		"max_moves":                 schema{"type": "integer", "minimum": 0, "maximum": coverage.MaxReallocMoves, "default": def.MaxMoves},
		"roles":                     schema{"type": "array", "items": schema{"type": "string", "enum": loadRoleNames()}, "default": []string{"police"}},
		"max_distance_m":            schema{"type": "number", "minimum": 0, "description": "Longest move between grid centroids; absent or 0: no limit."},
		"min_police_per_grid":       integer(def.MinPerGrid.Police),
		"min_auxiliaries_per_grid":  integer(0),
		"min_grid_workers_per_grid": integer(0),
		"min_volunteers_per_grid":   integer(0),
		"from_station":              schema{"type": "boolean", "default": false, "description": "Also move officers kept at their station into a grid."},
		"tie_tolerance": schema{"type": "number", "minimum": 0, "maximum": 0.999, "default": def.TieTolerance,
			"description": "Plans whose highest load index (and spread) differ by less than this share tie: the shorter total distance wins."},
	}
	for _, p := range paramReader {
		if p.Name != "" {
			members[p.Name] = p.Schema
		}
	}
	var params []oaParam
	for _, name := range sortedKeys(members) {
		params = append(params, oaParam{Name: name, In: "query", Style: "form", Explode: ptr(false), Schema: members[name].(schema)})
	}
	params = append(params, oaParam{Ref: ref("parameters", "f")})
	resp := okResponses(mediaGeoJSON, fc, false)
	resp["413"] = oaResponse{Description: "The body is too large.", Content: map[string]oaMedia{mediaProblem: {Schema: schemaRef("problem")}}}
	desc := "Moves that lower the highest load index (then its spread, then the grids without a linked officer, then the total distance; " +
		"plans within tie_tolerance of each other tie), the index normalised by the district means before the moves. No plan holds a swap " +
		"or a cycle of moves. Each move is a LineString from the grid (or station) left to the grid joined, with officer, from_grid, " +
		"to_grid, distance_m, both grids' load index before and after, and reason; the foreign member summary has before, after, " +
		"total_distance_m and, for a plan without moves, binding (the constraints to blame) and explanation."
	doc.Paths["/load/reallocate"] = oaPathItem{
		Get: &oaOperation{Tags: tags, OperationID: "getLoadReallocate", Summary: "Propose moves of officers (constraints as query parameters)",
			Description: desc, Parameters: params, Responses: okResponses(mediaGeoJSON, fc, false)},
		Post: &oaOperation{Tags: tags, OperationID: "postLoadReallocate", Summary: "Propose moves of officers (constraints as a JSON body)",
			Description: desc + " Unknown members are refused.",
			RequestBody: &oaRequestBody{Required: true, Content: map[string]oaMedia{mediaJSON: {Schema: schema{
				"type": "object", "additionalProperties": false, "properties": members}}}},
			Responses: resp},
	}
}

// loadRoleNames lists the responder roles.
func loadRoleNames() []string {
	out := make([]string, len(geo.Roles))
	for i, r := range geo.Roles {
		out[i] = string(r)
	}
	return out
}
