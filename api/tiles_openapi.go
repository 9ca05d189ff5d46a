package api

import "gridwatch/data"

// tilePaths declares the tile matrix sets and the tiles of every
// collection and analysis.
func (s *Server) tilePaths(doc *openAPIDoc) {
	doc.Tags = append(doc.Tags, oaTag{Name: "Tiles", Description: "Mapbox Vector Tiles (OGC API - Tiles) of the collections and analyses."})
	doc.Paths["/tileMatrixSets"] = oaPathItem{Get: &oaOperation{Tags: []string{"Tiles"},
		Summary: "The tile matrix sets (WebMercatorQuad)", OperationID: "getTileMatrixSets",
		Responses: okResponses(mediaJSON, schema{"type": "object"}, false)}}
	doc.Paths["/tileMatrixSets/{tileMatrixSetId}"] = oaPathItem{Get: &oaOperation{Tags: []string{"Tiles"},
		Summary: "The definition of a tile matrix set", OperationID: "getTileMatrixSet",
		Parameters: []oaParam{tmsParam()}, Responses: okResponses(mediaJSON, schema{"type": "object"}, false)}}
	names := []string{viewshedsName}
	for _, sc := range data.Schemas {
		names = append(names, sc.Name)
	}
	for _, name := range names {
		s.tilesetPaths(doc, "/collections/"+name, name, "the items' datetime and property filters apply; bbox, limit and offset do not")
	}
	for _, path := range tileAnalyses {
		s.tilesetPaths(doc, path, tileLayerName(path), "the query parameters of "+path+" apply, and its roles and viewer floors")
	}
}

func tmsParam() oaParam {
	return oaParam{Name: "tileMatrixSetId", In: "path", Required: true, Description: "The tile matrix set: WebMercatorQuad.",
		Schema: schema{"type": "string", "enum": []string{webMercatorQuad}}}
}

// tilesetPaths declares the four tile paths under base.
func (s *Server) tilesetPaths(doc *openAPIDoc, base, name, query string) {
	tms := tmsParam()
	intParam := func(n, desc string) oaParam {
		return oaParam{Name: n, In: "path", Required: true, Description: desc, Schema: schema{"type": "integer", "minimum": 0}}
	}
	doc.Paths[base+"/tiles"] = oaPathItem{Get: &oaOperation{Tags: []string{"Tiles"},
		Summary: "The tilesets of " + name, OperationID: "getTilesets_" + name,
		Responses: okResponses(mediaJSON, schema{"type": "object"}, false)}}
	doc.Paths[base+"/tiles/{tileMatrixSetId}"] = oaPathItem{Get: &oaOperation{Tags: []string{"Tiles"},
		Summary: "The tileset metadata of " + name, OperationID: "getTileset_" + name, Parameters: []oaParam{tms},
		Responses: okResponses(mediaJSON, schema{"type": "object"}, false)}}
	doc.Paths[base+"/tiles/{tileMatrixSetId}/tilejson"] = oaPathItem{Get: &oaOperation{Tags: []string{"Tiles"},
		Summary: "TileJSON 3.0.0 of " + name, OperationID: "getTileJSON_" + name, Parameters: []oaParam{tms},
		Responses: okResponses(mediaTileJSON, schema{"type": "object"}, false)}}
	doc.Paths[base+"/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}"] = oaPathItem{Get: &oaOperation{Tags: []string{"Tiles"},
		Summary:     "A vector tile of " + name,
		Description: "One MVT layer named " + name + " with every feature meeting the tile grown by 64 of its 4,096 units; " + query + ".",
		OperationID: "getTile_" + name,
		Parameters: []oaParam{tms, intParam("tileMatrix", "The zoom, 0 to 22."),
			intParam("tileRow", "The row (y), from the north."), intParam("tileCol", "The column (x), from the west.")},
		Responses: okResponses(mediaMVT, schema{"type": "string", "format": "binary"}, false)}}
}
