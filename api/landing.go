package api

import (
	"net/http"
	"strings"

	"gridwatch/geo"
)

// landingDoc is the landing page.
type landingDoc struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Synthetic   bool   `json:"synthetic"`
	Links       []link `json:"links"`
}

// landing serves GET /.
func (s *Server) landing(w http.ResponseWriter, r *http.Request) error {
	a, err := s.current()
	if err != nil {
		return err
	}
	f, err := negotiate(r)
	if err != nil {
		return err
	}
	if err := onlyParams(r.URL.Query(), "f"); err != nil {
		return err
	}
	if notModified(w, r, s.etag(r, f, metaTag(a.Meta))) {
		return nil
	}
	title, desc := describe(a.Meta)
	doc := landingDoc{Title: title, Description: desc, Synthetic: a.Meta.Synthetic}
	doc.Links = append(s.selfLinks(r, "/", nil, f, mediaJSON, "This document"),
		link{Href: s.base(r) + "/openapi.json", Rel: "service-desc", Type: mediaOpenAPI, Title: "The API definition (OpenAPI 3.0)"},
		link{Href: s.base(r) + "/api.html", Rel: "service-doc", Type: mediaHTML, Title: "The API documentation"},
		link{Href: s.href(r, "/conformance", nil, formatJSON), Rel: "conformance", Type: mediaJSON, Title: "Conformance classes implemented"},
		link{Href: s.href(r, "/collections", nil, formatJSON), Rel: "data", Type: mediaJSON, Title: "The feature collections"},
		link{Href: s.base(r) + "/tileMatrixSets", Rel: relTilingSchemes, Type: mediaJSON, Title: "The tile matrix sets of the vector tiles"},
		link{Href: s.base(r) + "/map", Rel: "related", Type: mediaHTML, Title: "The map (网格治理地图)"},
	)
	if f == formatHTML {
		return s.render(w, "landing", page{Title: title, Description: desc, Links: doc.Links, Root: s.href(r, "/", nil, formatHTML), Body: doc})
	}
	return writeJSON(w, mediaJSON, doc)
}

// describe returns the title and description of a dataset, saying when it
// is synthetic.
func describe(m geo.Meta) (string, string) {
	title := m.Name
	if title == "" {
		title = "gridwatch"
	}
	desc := m.Description
	if desc == "" {
		desc = "Grids, police beats, cameras, responders and incidents of a district, as OGC API - Features collections."
	}
	if m.Synthetic && !strings.Contains(strings.ToLower(desc), "synthetic") {
		desc = "Synthetic data describing no real place. " + desc
	}
	return title, desc
}
