package geo

// Layer (collection) ids, also the GeoJSON collection ids served by the API.
const (
	LayerTownships   = "townships"
	LayerVillages    = "villages"
	LayerGrids       = "grids"
	LayerBeats       = "beats"
	LayerStations    = "stations"
	LayerCameras     = "cameras"
	LayerResponders  = "responders"
	LayerIncidents   = "incidents"
	LayerSettlements = "settlements"
	LayerPlaces      = "places"
	LayerWaterways   = "waterways"
	LayerRoads       = "roads"
)

// LayerNames lists every layer in dependency order: a layer refers only to
// layers before it.
var LayerNames = []string{
	LayerTownships, LayerVillages, LayerGrids, LayerStations, LayerBeats,
	LayerSettlements, LayerPlaces, LayerCameras, LayerResponders, LayerIncidents,
	LayerWaterways, LayerRoads,
}

// Feature is what every layer's items have in common.
type Feature interface {
	// FeatureID returns the item's id, unique in its layer.
	FeatureID() string
	// FeatureGeometry returns the item's geometry in WGS84 lon/lat.
	FeatureGeometry() Geometry
}

// Geometry is an orb geometry: orb.Point, orb.LineString, orb.Polygon or
// orb.MultiPolygon in gridwatch's layers.
type Geometry = interface {
	GeoJSONType() string
}
