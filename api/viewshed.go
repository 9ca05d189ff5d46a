package api

import (
	"math"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"
	"github.com/paulmach/orb/geojson"

	"gridwatch/data"
	"gridwatch/geo"
)

// viewshedsName is the id of the collection of camera viewsheds: one
// polygon per camera, derived from the cameras layer.
const viewshedsName = "viewsheds"

// viewshedSchema describes the viewsheds collection: the cameras' own
// properties (and filters) plus the viewshed's exact area, on polygons.
// It has no time filter.
func viewshedSchema() data.LayerSchema {
	cams, _ := data.SchemaOf(geo.LayerCameras)
	sc := cams
	sc.Name = viewshedsName
	sc.Title = "Camera viewsheds"
	sc.Description = "What each camera sees: a geodesic sector from its position, bearing, field of view and range " +
		"(a disc for PTZ and dome cameras and wherever the field of view is 360°), derived from the cameras collection."
	sc.Geometry = "Polygon"
	sc.Time = ""
	sc.Properties = append(append([]data.Property(nil), cams.Properties...),
		data.Property{Name: "area_m2", Type: data.TypeNumber, Derived: true,
			Description: "Exact area of the viewshed on the sphere, square metres."})
	return sc
}

// viewshedFeature returns the viewshed of a camera as a feature: the
// camera's properties, its exact area and the sector polygon (closed,
// counter-clockwise, rounded to 7 decimals). cameraProps, when not nil, are
// the camera's properties already built.
func viewshedFeature(c *geo.Camera, cameraProps geojson.Properties) *geojson.Feature {
	s := geo.CameraSector(c)
	f := geojson.NewFeature(data.RoundGeometry(s.Polygon()))
	f.ID = c.ID
	if cameraProps == nil {
		cameraProps = data.ToFeature(c).Properties
	}
	for k, v := range cameraProps {
		f.Properties[k] = v
	}
	f.Properties["area_m2"] = math.Round(s.AreaM2()*100) / 100
	return f
}

// cameraViewshed serves GET /cameras/{cameraId}/viewshed: one camera's
// viewshed as a GeoJSON feature.
func (s *Server) cameraViewshed(w http.ResponseWriter, r *http.Request) error {
	a, err := s.current()
	if err != nil {
		return err
	}
	raw := chi.URLParam(r, "cameraId")
	id, err := url.PathUnescape(raw)
	if err != nil {
		return geo.Errorf(geo.NotFound, "no camera %s", quote(raw))
	}
	p := newQueryParams(r.URL.Query())
	p.format()
	p.only()
	if err := p.err(); err != nil {
		return err
	}
	c, ok := a.Cameras.Get(id)
	if !ok {
		return geo.Errorf(geo.NotFound, "no camera %s", quote(id))
	}
	d, err := s.layerData(a, geo.LayerCameras)
	if err != nil {
		return err
	}
	if notModified(w, r, s.etag(r, formatJSON, d.tag())) {
		return nil
	}
	f := viewshedFeature(c, nil)
	f.ExtraMembers = geojson.Properties{"links": []link{
		{Href: s.href(r, "/cameras/"+url.PathEscape(id)+"/viewshed", nil, ""), Rel: "self", Type: mediaGeoJSON, Title: "This viewshed"},
		{Href: s.href(r, itemPath(geo.LayerCameras, id), nil, formatJSON), Rel: "related", Type: mediaGeoJSON, Title: "The camera"},
		{Href: s.href(r, itemPath(viewshedsName, id), nil, formatJSON), Rel: "alternate", Type: mediaGeoJSON, Title: "This viewshed in the viewsheds collection"},
	}}
	return writeJSON(w, mediaGeoJSON, f)
}
