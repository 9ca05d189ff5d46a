package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// The viewsheds collection is served by the generic collection routes
// (collections.go, items.go, item.go and schema.go hand it over here), so
// that it has the same paths, paging, filters and permissions as a layer.
// It is derived from the cameras layer: its ETags are the cameras'.

// viewshedsDoc describes the viewsheds collection.
func (s *Server) viewshedsDoc(r *http.Request, a *geo.Atlas) collectionDoc {
	sc := viewshedSchema()
	path := collectionPath(viewshedsName)
	c := collectionDoc{
		ID: viewshedsName, Title: sc.Title, Description: sc.Description, ItemType: "feature", CRS: []string{crs84},
		Count: a.Cameras.Len(), Href: s.href(r, path, nil, formatHTML), ItemsHref: s.href(r, path+"/items", nil, formatJSON),
	}
	c.Links = append(s.selfLinks(r, path, nil, formatJSON, mediaJSON, "This collection"),
		link{Href: s.href(r, path+"/items", nil, formatJSON), Rel: "items", Type: mediaGeoJSON, Title: sc.Title + " as GeoJSON"},
		link{Href: s.base(r) + path + "/schema", Rel: "describedby", Type: mediaSchema, Title: "The schema of the features"},
		link{Href: s.base(r) + path + "/schema", Rel: "describedBy", Type: mediaSchema, Title: "The schema of the features"},
		link{Href: s.base(r) + path + "/tiles", Rel: relTilesetsVector, Type: mediaJSON, Title: "Vector tiles of " + sc.Title},
		link{Href: s.base(r) + path + "/queryables", Rel: "http://www.opengis.net/def/rel/ogc/1.0/queryables", Type: mediaSchema, Title: "What a filter may name"},
		link{Href: s.base(r) + path + "/queryables", Rel: "queryables", Type: mediaJSON, Title: "What a filter may name"},
	)
	if a.Cameras.Len() == 0 {
		return c
	}
	var b orb.Bound
	for i, cam := range a.Cameras.Items() {
		sb := geo.CameraSector(cam).Bound()
		if i == 0 {
			b = sb
		} else {
			b = b.Union(sb)
		}
	}
	c.Extent = &extentDoc{Spatial: &spatialExtent{CRS: crs84, BBox: [][4]float64{{
		floor7(b.Min[0]), floor7(b.Min[1]), ceil7(b.Max[0]), ceil7(b.Max[1]),
	}}}}
	return c
}

// viewshedsCollection serves GET /collections/viewsheds (as JSON: the
// collection has no HTML page).
func (s *Server) viewshedsCollection(w http.ResponseWriter, r *http.Request, a *geo.Atlas) error {
	if _, err := negotiate(r); err != nil {
		return err
	}
	if err := onlyParams(r.URL.Query(), "f"); err != nil {
		return err
	}
	d, err := s.layerData(a, geo.LayerCameras)
	if err != nil {
		return err
	}
	if notModified(w, r, s.etag(r, formatJSON, d.tag())) {
		return nil
	}
	return writeJSON(w, mediaJSON, s.viewshedsDoc(r, a))
}

// viewshedsSchema serves GET /collections/viewsheds/schema.
func (s *Server) viewshedsSchema(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r.URL.Query(), "f"); err != nil {
		return err
	}
	if notModified(w, r, s.etag(r, formatJSON)) {
		return nil
	}
	vs := viewshedSchema()
	sc := featureSchema(vs, geometrySchemas()[vs.Geometry])
	sc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	sc["$id"] = s.base(r) + collectionPath(viewshedsName) + "/schema"
	sc["title"] = vs.Title
	sc["description"] = vs.Description
	return writeJSON(w, mediaSchema, sc)
}

// viewshedItems serves GET /collections/viewsheds/items: pages of
// viewsheds in camera order, filtered by bbox (on the viewshed polygon)
// and the cameras' filterable properties.
func (s *Server) viewshedItems(w http.ResponseWriter, r *http.Request, a *geo.Atlas) error {
	f, err := negotiate(r)
	if err != nil {
		return err
	}
	sc := viewshedSchema()
	q, err := s.parseItemsQuery(r.URL.Query(), sc)
	if err != nil {
		return err
	}
	cams, err := s.layerData(a, geo.LayerCameras)
	if err != nil {
		return err
	}
	if notModified(w, r, s.etag(r, formatJSON, cams.tag())) {
		return nil
	}
	if err := cams.build(); err != nil {
		return err
	}
	var matched []int
	for i, c := range a.Cameras.Items() {
		if i%ctxCheckEvery == ctxCheckEvery-1 {
			if err := r.Context().Err(); err != nil {
				return err
			}
		}
		if viewshedMatches(geo.CameraSector(c), cams.features[i].Properties, q) {
			matched = append(matched, i)
		}
	}
	lo := min(q.offset, len(matched))
	hi := lo + min(q.limit, len(matched)-lo)
	links := s.itemsLinks(r, &layerData{name: viewshedsName, schema: sc}, q, f, len(matched), hi-lo)
	setLinkHeader(w, links)
	doc := featureCollectionDoc{
		Type: "FeatureCollection", NumberMatched: len(matched), NumberReturned: hi - lo,
		TimeStamp: s.now().UTC().Format(time.RFC3339), Links: links, Features: make([]json.RawMessage, 0, hi-lo),
	}
	for _, i := range matched[lo:hi] {
		raw, err := json.Marshal(viewshedFeature(a.Cameras.At(i), cams.features[i].Properties))
		if err != nil {
			return &geo.Error{Code: geo.Internal, Message: "encode viewshed " + a.Cameras.At(i).ID, Err: err}
		}
		doc.Features = append(doc.Features, raw)
	}
	return writeJSON(w, mediaGeoJSON, doc)
}

// viewshedMatches reports whether a viewshed (its sector polygon) and its
// camera's properties pass the query's bbox and property filters.
func viewshedMatches(sector geo.Sector, props map[string]any, q itemsQuery) bool {
	if q.boxes != nil {
		hit := false
		var poly orb.Polygon // built when a box meets the sector's bounding box
		for _, box := range q.boxes {
			if hit || !sector.Bound().Intersects(box) {
				continue
			}
			if poly == nil {
				poly = sector.Polygon()
			}
			hit = geo.IntersectsBound(poly, box)
		}
		if !hit {
			return false
		}
	}
	for _, pf := range q.filters {
		if propString(props[pf.name]) != pf.value {
			return false
		}
	}
	if q.filter != nil {
		return q.filter.eval(&cqlRow{props: props, geom: sector.Polygon()})
	}
	return true
}

// viewshedItem serves GET /collections/viewsheds/items/{featureId}.
func (s *Server) viewshedItem(w http.ResponseWriter, r *http.Request, a *geo.Atlas) error {
	id, err := url.PathUnescape(chi.URLParam(r, "featureId"))
	if err != nil {
		return geo.Errorf(geo.NotFound, "no feature %s in %s", quote(chi.URLParam(r, "featureId")), viewshedsName)
	}
	if _, err := negotiate(r); err != nil {
		return err
	}
	if err := onlyParams(r.URL.Query(), "f"); err != nil {
		return err
	}
	c, ok := a.Cameras.Get(id)
	if !ok {
		return geo.Errorf(geo.NotFound, "no feature %s in %s", quote(id), viewshedsName)
	}
	cams, err := s.layerData(a, geo.LayerCameras)
	if err != nil {
		return err
	}
	if notModified(w, r, s.etag(r, formatJSON, cams.tag())) {
		return nil
	}
	feat := viewshedFeature(c, nil)
	links := append(s.selfLinks(r, itemPath(viewshedsName, id), nil, formatJSON, mediaGeoJSON, "This feature"),
		link{Href: s.href(r, collectionPath(viewshedsName), nil, formatJSON), Rel: "collection", Type: mediaJSON, Title: "Camera viewsheds"})
	feat.ExtraMembers = map[string]any{"links": links}
	return writeJSON(w, mediaGeoJSON, feat)
}
