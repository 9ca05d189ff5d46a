package api

import (
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"
	"github.com/paulmach/orb/geojson"

	"gridwatch/data"
	"gridwatch/geo"
)

// item serves GET /collections/{collectionId}/items/{featureId}.
func (s *Server) item(w http.ResponseWriter, r *http.Request) error {
	a, err := s.current()
	if err != nil {
		return err
	}
	if chi.URLParam(r, "collectionId") == viewshedsName { // derived from cameras: viewshed_collection.go
		return s.viewshedItem(w, r, a)
	}
	d, err := s.layerData(a, chi.URLParam(r, "collectionId"))
	if err != nil {
		return err
	}
	id, err := url.PathUnescape(chi.URLParam(r, "featureId"))
	if err != nil {
		return geo.Errorf(geo.NotFound, "no feature %s in %s", quote(chi.URLParam(r, "featureId")), d.name)
	}
	f, err := negotiate(r)
	if err != nil {
		return err
	}
	if err := onlyParams(r.URL.Query(), "f"); err != nil {
		return err
	}
	it, ok := d.layer.FeatureByID(id)
	if !ok {
		return geo.Errorf(geo.NotFound, "no feature %s in %s", quote(id), d.name)
	}
	if notModified(w, r, s.etag(r, f, d.tag())) {
		return nil
	}
	feat := data.ToFeature(it)
	path := itemPath(d.name, id)
	links := append(s.selfLinks(r, path, nil, f, mediaGeoJSON, "This feature"),
		link{Href: s.href(r, collectionPath(d.name), nil, formatJSON), Rel: "collection", Type: mediaJSON, Title: d.schema.Title})
	if f == formatHTML {
		return s.renderItem(w, r, d, feat, links)
	}
	out := *feat
	out.ExtraMembers = geojson.Properties{"links": links}
	return writeJSON(w, mediaGeoJSON, out)
}
