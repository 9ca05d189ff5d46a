package api

import (
	"fmt"
	"net/http"
	"strings"

	"gridwatch/data"
	"gridwatch/geo"
)

// openAPIDoc is an OpenAPI 3.0 document.
type openAPIDoc struct {
	OpenAPI    string                `json:"openapi"`
	Info       oaInfo                `json:"info"`
	Servers    []oaServer            `json:"servers"`
	Tags       []oaTag               `json:"tags"`
	Paths      map[string]oaPathItem `json:"paths"`
	Components oaComponents          `json:"components"`
	Security   []map[string][]string `json:"security,omitempty"`
}

type oaInfo struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Version     string `json:"version"`
}

type oaServer struct {
	URL string `json:"url"`
}

type oaTag struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

type oaPathItem struct {
	Get    *oaOperation `json:"get,omitempty"`
	Put    *oaOperation `json:"put,omitempty"`
	Post   *oaOperation `json:"post,omitempty"`
	Patch  *oaOperation `json:"patch,omitempty"`
	Delete *oaOperation `json:"delete,omitempty"`
}

// oaRequestBody is the body an operation takes.
type oaRequestBody struct {
	Description string             `json:"description,omitempty"`
	Required    bool               `json:"required"`
	Content     map[string]oaMedia `json:"content"`
}

type oaOperation struct {
	Tags        []string              `json:"tags"`
	Summary     string                `json:"summary"`
	Description string                `json:"description,omitempty"`
	OperationID string                `json:"operationId"`
	Parameters  []oaParam             `json:"parameters,omitempty"`
	RequestBody *oaRequestBody        `json:"requestBody,omitempty"`
	Responses   map[string]oaResponse `json:"responses"`
}

type oaParam struct {
	Ref         string `json:"$ref,omitempty"`
	Name        string `json:"name,omitempty"`
	In          string `json:"in,omitempty"`
	Description string `json:"description,omitempty"`
	Required    bool   `json:"required,omitempty"`
	Style       string `json:"style,omitempty"`
	Explode     *bool  `json:"explode,omitempty"`
	Schema      schema `json:"schema,omitempty"`
}

type oaResponse struct {
	Ref         string             `json:"$ref,omitempty"`
	Description string             `json:"description,omitempty"`
	Content     map[string]oaMedia `json:"content,omitempty"`
}

type oaMedia struct {
	Schema schema `json:"schema"`
}

type oaComponents struct {
	Parameters      map[string]oaParam    `json:"parameters"`
	Responses       map[string]oaResponse `json:"responses"`
	Schemas         map[string]schema     `json:"schemas"`
	SecuritySchemes map[string]schema     `json:"securitySchemes,omitempty"`
}

// schema is a JSON schema object (the OpenAPI 3.0 dialect).
type schema = map[string]any

func ref(kind, name string) string { return "#/components/" + kind + "/" + name }

func schemaRef(name string) schema { return schema{"$ref": ref("schemas", name)} }

// openapi serves GET /openapi.json.
func (s *Server) openapi(w http.ResponseWriter, r *http.Request) error {
	a, err := s.current()
	if err != nil {
		return err
	}
	if err := onlyParams(r.URL.Query(), "f"); err != nil {
		return err
	}
	if notModified(w, r, s.etag(r, formatJSON, metaTag(a.Meta))) {
		return nil
	}
	return writeJSON(w, mediaOpenAPI, s.openAPI(r, a.Meta))
}

// openAPI builds the API definition: one path per collection, declaring
// exactly the filters that collection accepts (clients such as GDAL only
// use the parameters declared on the literal path).
func (s *Server) openAPI(r *http.Request, m geo.Meta) openAPIDoc {
	title, desc := describe(m)
	doc := openAPIDoc{
		OpenAPI: "3.0.3",
		Info:    oaInfo{Title: title, Description: desc, Version: "1.0.0"},
		Servers: []oaServer{{URL: s.base(r)}},
		Tags: []oaTag{
			{Name: "Capabilities", Description: "What the server offers."},
			{Name: "Data", Description: "The features of each collection."},
		},
		Paths: map[string]oaPathItem{},
		Components: oaComponents{
			Parameters: s.oaParameters(),
			Responses:  oaResponses(),
			Schemas:    oaSchemas(),
		},
	}
	fParam := []oaParam{{Ref: ref("parameters", "f")}}
	capability := func(path, id, summary, schemaName, media string) {
		doc.Paths[path] = oaPathItem{Get: &oaOperation{Tags: []string{"Capabilities"}, Summary: summary,
			OperationID: id, Parameters: fParam, Responses: okResponses(media, schemaRef(schemaName), true)}}
	}
	capability("/", "getLandingPage", "The landing page", "landingPage", mediaJSON)
	capability("/conformance", "getConformanceDeclaration", "The conformance classes implemented", "confClasses", mediaJSON)
	capability("/collections", "getCollections", "The feature collections", "collections", mediaJSON)
	doc.Paths["/openapi.json"] = oaPathItem{Get: &oaOperation{Tags: []string{"Capabilities"},
		Summary: "This API definition (OpenAPI 3.0)", OperationID: "getAPI",
		Responses: okResponses(mediaOpenAPI, schema{"type": "object"}, false)}}
	doc.Paths["/api.html"] = oaPathItem{Get: &oaOperation{Tags: []string{"Capabilities"},
		Summary: "This API definition as an HTML page", OperationID: "getAPIDoc",
		Responses: okResponses(mediaHTML, schema{"type": "string"}, false)}}
	doc.Paths["/healthz"] = oaPathItem{Get: &oaOperation{Tags: []string{"Capabilities"},
		Summary: "Health: the dataset's name and each layer's version and count", OperationID: "getHealth",
		Responses: okResponses(mediaJSON, schemaRef("health"), false)}}
	for _, sc := range data.Schemas {
		s.collectionPaths(&doc, sc)
	}
	s.mapPaths(&doc)
	s.dispatchPaths(&doc)
	s.roadPaths(&doc)
	s.loadPaths(&doc)
	s.coveragePaths(&doc)
	s.planningPaths(&doc)
	s.securityPaths(&doc)
	s.tilePaths(&doc)
	return doc
}

// collectionPaths declares the three paths of one collection.
func (s *Server) collectionPaths(doc *openAPIDoc, sc data.LayerSchema) {
	base := "/collections/" + sc.Name
	fParam := oaParam{Ref: ref("parameters", "f")}
	doc.Paths[base] = oaPathItem{Get: &oaOperation{Tags: []string{"Data"},
		Summary: "Describe the " + sc.Name + " collection", OperationID: "describe_" + sc.Name,
		Parameters: []oaParam{fParam}, Responses: okResponses(mediaJSON, schemaRef("collection"), true)}}

	doc.Paths[base+"/schema"] = oaPathItem{Get: &oaOperation{Tags: []string{"Data"},
		Summary: "The JSON schema of the features of " + sc.Name, OperationID: "getSchema_" + sc.Name,
		Responses: okResponses(mediaSchema, schema{"type": "object"}, false)}}

	params := []oaParam{{Ref: ref("parameters", "bbox")}, {Ref: ref("parameters", "limit")}, {Ref: ref("parameters", "offset")}}
	desc := "Pages of the features, in layer order, filtered by bbox"
	if sc.Time != "" {
		params = append(params, oaParam{Ref: ref("parameters", "datetime")})
		desc += fmt.Sprintf(", datetime (on property %s)", sc.Time)
	}
	params = append(params, oaParam{Ref: ref("parameters", "filter")}, oaParam{Ref: ref("parameters", "filter-lang")}, fParam)
	var names []string
	for _, p := range sc.Properties {
		if !p.Filterable {
			continue
		}
		names = append(names, p.Name)
		params = append(params, oaParam{Name: p.Name, In: "query", Required: false,
			Description: "Only features whose " + p.Name + " equals this value exactly. " + p.Description,
			Style:       "form", Explode: ptr(false), Schema: propertySchema(p)})
	}
	if len(names) > 0 {
		desc += " and the properties " + strings.Join(names, ", ")
	}
	doc.Paths[base+"/queryables"] = oaPathItem{Get: &oaOperation{Tags: []string{"Data"},
		Summary: "The queryables of " + sc.Name + " (JSON Schema)", OperationID: "getQueryables_" + sc.Name,
		Responses: okResponses(mediaSchema, schema{"type": "object"}, false)}}
	doc.Paths[base+"/items"] = oaPathItem{Get: &oaOperation{Tags: []string{"Data"},
		Summary: "The features of " + sc.Name, Description: desc + ". Unknown parameters are refused.",
		OperationID: "getFeatures_" + sc.Name, Parameters: params,
		Responses: okResponses(mediaGeoJSON, schemaRef(sc.Name+"FeatureCollection"), true)}}
	doc.Paths[base+"/items/{featureId}"] = oaPathItem{Get: &oaOperation{Tags: []string{"Data"},
		Summary: "One feature of " + sc.Name, OperationID: "getFeature_" + sc.Name,
		Parameters: []oaParam{{Ref: ref("parameters", "featureId")}, fParam},
		Responses:  okResponses(mediaGeoJSON, schemaRef(sc.Name+"Feature"), true)}}
}

// oaParameters are the shared parameters.
func (s *Server) oaParameters() map[string]oaParam {
	return map[string]oaParam{
		"bbox": {Name: "bbox", In: "query", Style: "form", Explode: ptr(false),
			Description: "Only features whose geometry meets this box (edges included): minlon,minlat,maxlon,maxlat " +
				"(CRS84), or 6 numbers with heights. A west edge east of the east edge crosses the antimeridian.",
			Schema: schema{"type": "array", "minItems": 4, "maxItems": 6, "items": schema{"type": "number"}}},
		"limit": {Name: "limit", In: "query", Style: "form", Explode: ptr(false),
			Description: fmt.Sprintf("The number of features per page; larger values are reduced to %d.", s.maxLimit),
			Schema:      schema{"type": "integer", "minimum": 1, "maximum": s.maxLimit, "default": s.defLimit}},
		"offset": {Name: "offset", In: "query", Style: "form", Explode: ptr(false),
			Description: "The number of matching features to skip.",
			Schema:      schema{"type": "integer", "minimum": 0, "default": 0}},
		"datetime": {Name: "datetime", In: "query", Style: "form", Explode: ptr(false),
			Description: "Only features whose time meets this RFC 3339 date-time or interval " +
				"(start/end, \"..\" or empty for an open end); a date stands for its whole day (UTC).",
			Schema: schema{"type": "string"}},
		"f": {Name: "f", In: "query", Style: "form", Explode: ptr(false),
			Description: "The format of the response; without it, the Accept header decides.",
			Schema:      schema{"type": "string", "enum": []string{"json", "html"}}},
		"filter": {Name: "filter", In: "query", Style: "form", Explode: ptr(false),
			Description: "A CQL2 text filter (OGC API - Features Part 3): comparisons, AND, OR, NOT, LIKE, IN, BETWEEN, IS NULL, " +
				"S_INTERSECTS(geometry, BBOX|POINT|LINESTRING|POLYGON), T_INTERSECTS(time, TIMESTAMP|DATE|INTERVAL) on timed collections; " +
				"the names are those of /collections/{id}/queryables.",
			Schema: schema{"type": "string"}},
		"filter-lang": {Name: "filter-lang", In: "query", Style: "form", Explode: ptr(false),
			Description: "The language of filter: cql2-text (cql-text is taken as the same, as GDAL 3.6 sends it).",
			Schema:      schema{"type": "string", "enum": []string{"cql2-text", "cql-text"}, "default": "cql2-text"}},
		"featureId": {Name: "featureId", In: "path", Required: true,
			Description: "The id of a feature.", Schema: schema{"type": "string"}},
	}
}

// okResponses returns the responses of an operation whose success has the
// media type and schema (and an HTML alternative when html is set).
func okResponses(media string, sc schema, html bool) map[string]oaResponse {
	ok := oaResponse{Description: "Success.", Content: map[string]oaMedia{media: {Schema: sc}}}
	if html {
		ok.Content[mediaHTML] = oaMedia{Schema: schema{"type": "string"}}
	}
	return map[string]oaResponse{
		"200": ok,
		"304": {Ref: ref("responses", "NotModified")},
		"400": {Ref: ref("responses", "InvalidParameter")},
		"404": {Ref: ref("responses", "NotFound")},
		"500": {Ref: ref("responses", "ServerError")},
		"503": {Ref: ref("responses", "Unavailable")},
	}
}

func oaResponses() map[string]oaResponse {
	problem := func(desc string) oaResponse {
		return oaResponse{Description: desc, Content: map[string]oaMedia{mediaProblem: {Schema: schemaRef("problem")}}}
	}
	return map[string]oaResponse{
		"NotModified":      {Description: "The representation named in If-None-Match is current."},
		"InvalidParameter": problem("A query parameter is unknown or malformed; errors names each one."),
		"NotFound":         problem("No such collection, feature or route."),
		"ServerError":      problem("An internal error."),
		"Unavailable":      problem("No dataset is loaded yet."),
	}
}

func ptr[T any](v T) *T { return &v }
