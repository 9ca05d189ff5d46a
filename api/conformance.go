package api

import "net/http"

// conformanceClasses are the OGC API - Features Part 1 classes implemented.
var conformanceClasses = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
}

// conformanceDoc is the conformance declaration.
type conformanceDoc struct {
	ConformsTo []string `json:"conformsTo"`
	Links      []link   `json:"links,omitempty"`
}

// conformance serves GET /conformance.
func (s *Server) conformance(w http.ResponseWriter, r *http.Request) error {
	f, err := negotiate(r)
	if err != nil {
		return err
	}
	if err := onlyParams(r.URL.Query(), "f"); err != nil {
		return err
	}
	if notModified(w, r, s.etag(r, f)) {
		return nil
	}
	doc := conformanceDoc{ConformsTo: conformanceClasses,
		Links: s.selfLinks(r, "/conformance", nil, f, mediaJSON, "Conformance")}
	if f == formatHTML {
		return s.render(w, "conformance", page{Title: "Conformance", Links: doc.Links, Root: s.href(r, "/", nil, formatHTML), Body: doc})
	}
	return writeJSON(w, mediaJSON, doc)
}
