package api

// mapPaths declares the map page and its assets in the API definition.
func (s *Server) mapPaths(doc *openAPIDoc) {
	doc.Tags = append(doc.Tags, oaTag{Name: "Map", Description: "The map page for planners and analysts."})
	text := func(name string) oaParam {
		return oaParam{Name: name, In: "query", Style: "form", Explode: ptr(false), Schema: schema{"type": "string"}}
	}
	layers := text("layers")
	layers.Description = "Layers shown at start: \"all\" or a comma list of grids, townships, villages, beats, misfits, gaps, hotspots, cameras, viewsheds, responders, incidents, response_gaps."
	figure := text("figure")
	figure.Description = "The grid figure of the choropleth at start, e.g. coverage_area or load_index."
	variant := text("variant")
	variant.Description = "The coverage variant at start."
	variant.Schema = schema{"type": "string", "enum": []string{"installed", "operational"}}
	township, village := text("township"), text("village")
	township.Description, village.Description = "Show only this township at start.", "Show only this village at start."
	lang := text("lang")
	lang.Description = "The page's language; Chinese by default."
	lang.Schema = schema{"type": "string", "enum": []string{"zh", "en"}}
	view := text("view")
	view.Description = "The view at start: lat,lon,zoom (default: the whole district or the filtered unit)."
	doc.Paths["/map"] = oaPathItem{Get: &oaOperation{Tags: []string{"Map"},
		Summary: "The map page (HTML; works offline, no external assets)", OperationID: "getMap",
		Description: "Layers toggled from a legend, grid and dispatch panels, township and village filters, " +
			"the installed/operational switch and GeoJSON downloads. It calls this API with the bearer token entered on the page.",
		Parameters: []oaParam{layers, figure, variant, township, village, lang, view},
		Responses:  okResponses(mediaHTML, schema{"type": "string"}, false)}}
	doc.Paths["/map/assets/{asset}"] = oaPathItem{Get: &oaOperation{Tags: []string{"Map"},
		Summary: "A script or stylesheet of the map page (named by its content hash; cached for a year)", OperationID: "getMapAsset",
		Parameters: []oaParam{{Name: "asset", In: "path", Required: true, Description: "The file name.", Schema: schema{"type": "string"}}},
		Responses:  okResponses("text/javascript", schema{"type": "string"}, false)}}
}
