package api

import (
	"math"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"gridwatch/geo"
)

// crs84 is the only CRS of the collections: WGS84 longitude, latitude.
const crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

// gregorian is the temporal reference system of the extents.
const gregorian = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"

// collectionsDoc is the list of collections.
type collectionsDoc struct {
	Links       []link          `json:"links"`
	Collections []collectionDoc `json:"collections"`
}

// collectionDoc describes one collection.
type collectionDoc struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	ItemType    string     `json:"itemType"`
	CRS         []string   `json:"crs"`
	Extent      *extentDoc `json:"extent,omitempty"`
	Links       []link     `json:"links"`
	// Count (of items), Href and ItemsHref (of the HTML pages) serve the
	// HTML rendering only.
	Count     int    `json:"-"`
	Href      string `json:"-"`
	ItemsHref string `json:"-"`
}

// extentDoc is the spatial and temporal extent of a collection.
type extentDoc struct {
	Spatial  *spatialExtent  `json:"spatial,omitempty"`
	Temporal *temporalExtent `json:"temporal,omitempty"`
}

type spatialExtent struct {
	BBox [][4]float64 `json:"bbox"`
	CRS  string       `json:"crs"`
}

type temporalExtent struct {
	Interval [][2]*string `json:"interval"`
	TRS      string       `json:"trs"`
}

// collections serves GET /collections.
func (s *Server) collections(w http.ResponseWriter, r *http.Request) error {
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
	tags, ds := s.atlasTags(a)
	if notModified(w, r, s.etag(r, f, tags...)) {
		return nil
	}
	doc := collectionsDoc{Links: s.selfLinks(r, "/collections", nil, f, mediaJSON, "The collections"),
		Collections: []collectionDoc{}}
	for _, name := range geo.LayerNames {
		d, ok := ds[name]
		if !ok {
			continue
		}
		c, err := s.describeCollection(r, d)
		if err != nil {
			return err
		}
		doc.Collections = append(doc.Collections, c)
	}
	doc.Collections = append(doc.Collections, s.viewshedsDoc(r, a))
	if f == formatHTML {
		return s.render(w, "collections", page{Title: "Collections", Links: doc.Links, Root: s.href(r, "/", nil, formatHTML), Body: doc})
	}
	return writeJSON(w, mediaJSON, doc)
}

// collection serves GET /collections/{collectionId}.
func (s *Server) collection(w http.ResponseWriter, r *http.Request) error {
	a, err := s.current()
	if err != nil {
		return err
	}
	if chi.URLParam(r, "collectionId") == viewshedsName { // derived from cameras: viewshed_collection.go
		return s.viewshedsCollection(w, r, a)
	}
	d, err := s.layerData(a, chi.URLParam(r, "collectionId"))
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
	if notModified(w, r, s.etag(r, f, d.tag())) {
		return nil
	}
	c, err := s.describeCollection(r, d)
	if err != nil {
		return err
	}
	if f == formatHTML {
		return s.render(w, "collection", page{Title: c.Title, Description: c.Description, Links: c.Links, Root: s.href(r, "/", nil, formatHTML), Body: c})
	}
	return writeJSON(w, mediaJSON, c)
}

// describeCollection builds the description of a layer.
func (s *Server) describeCollection(r *http.Request, d *layerData) (collectionDoc, error) {
	path := collectionPath(d.name)
	c := collectionDoc{
		ID: d.name, Title: d.schema.Title, Description: d.schema.Description,
		ItemType: "feature", CRS: []string{crs84}, Count: d.layer.Len(),
		Href: s.href(r, path, nil, formatHTML), ItemsHref: s.href(r, path+"/items", nil, formatHTML),
	}
	c.Links = append(s.selfLinks(r, path, nil, formatJSON, mediaJSON, "This collection"),
		link{Href: s.href(r, path+"/items", nil, formatJSON), Rel: "items", Type: mediaGeoJSON, Title: d.schema.Title + " as GeoJSON"},
		link{Href: s.href(r, path+"/items", nil, formatHTML), Rel: "items", Type: mediaHTML, Title: d.schema.Title + " as HTML"},
		link{Href: s.base(r) + path + "/schema", Rel: "describedby", Type: mediaSchema, Title: "The schema of the features"},
		// GDAL 3.6 only reads a schema link spelt describedBy (relation
		// types compare case-insensitively, RFC 8288 §2.1.1).
		link{Href: s.base(r) + path + "/schema", Rel: "describedBy", Type: mediaSchema, Title: "The schema of the features"},
		link{Href: s.base(r) + path + "/tiles", Rel: relTilesetsVector, Type: mediaJSON, Title: "Vector tiles of " + d.schema.Title},
		link{Href: s.base(r) + path + "/queryables", Rel: "http://www.opengis.net/def/rel/ogc/1.0/queryables", Type: mediaSchema, Title: "What a filter may name"},
		// GDAL 3.6 looks for the short relation name.
		link{Href: s.base(r) + path + "/queryables", Rel: "queryables", Type: mediaJSON, Title: "What a filter may name"},
	)
	if d.layer.Len() == 0 {
		return c, nil
	}
	b := d.layer.Bound()
	c.Extent = &extentDoc{Spatial: &spatialExtent{CRS: crs84, BBox: [][4]float64{{
		floor7(b.Min[0]), floor7(b.Min[1]), ceil7(b.Max[0]), ceil7(b.Max[1]),
	}}}}
	if d.schema.Time != "" {
		if err := d.build(); err != nil {
			return collectionDoc{}, err
		}
		lo := d.timeExt.lo.UTC().Format(time.RFC3339)
		hi := d.timeExt.hi.UTC().Format(time.RFC3339)
		c.Extent.Temporal = &temporalExtent{Interval: [][2]*string{{&lo, &hi}}, TRS: gregorian}
	}
	return c, nil
}

// floor7 and ceil7 round a coordinate outwards to 7 decimals, so that the
// rounded box still holds every (rounded) coordinate.
func floor7(v float64) float64 { return math.Floor(v*1e7) / 1e7 }
func ceil7(v float64) float64  { return math.Ceil(v*1e7) / 1e7 }
