package data

import "gridwatch/geo"

// Type is the JSON type of a property.
type Type string

// Property types.
const (
	TypeString   Type = "string"
	TypeInteger  Type = "integer"
	TypeNumber   Type = "number"
	TypeBoolean  Type = "boolean"
	TypeDate     Type = "date"      // "2026-06-30"
	TypeDateTime Type = "date-time" // RFC 3339
	TypeStrings  Type = "strings"   // array of strings; in CSV separated by ';'
)

// Property describes one GeoJSON property of a layer.
type Property struct {
	// Name is the property name (snake_case), also the CSV column.
	Name string
	// Type is its JSON type.
	Type Type
	// Required is true when a feature without it is refused.
	Required bool
	// Derived is true when the value is recomputed on load (accepted and ignored on input).
	Derived bool
	// Filterable is true when the API accepts it as an exact-match item filter.
	Filterable bool
	// Enum lists the allowed values, when there is a fixed list.
	Enum []string
	// Description says what the property holds, with its unit.
	Description string
}

// LayerSchema describes one layer.
type LayerSchema struct {
	// Name is the layer (collection) id.
	Name string
	// Title is a short human title.
	Title string
	// Description says what the layer holds.
	Description string
	// Geometry is the GeoJSON geometry type ("Point", "LineString",
	// "Polygon" or "MultiPolygon").
	Geometry string
	// Time names the property that holds the item's time, "" when none.
	Time string
	// Properties lists the properties after "id".
	Properties []Property
}

// Property returns the named property.
func (s LayerSchema) Property(name string) (Property, bool) {
	for _, p := range s.Properties {
		if p.Name == name {
			return p, true
		}
	}
	return Property{}, false
}

func enumOf[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// Schemas lists the schema of every layer, in geo.LayerNames order.
var Schemas = []LayerSchema{
	{Name: geo.LayerTownships, Title: "Townships", Description: "Township-level units (乡镇, 街道): the middle governance level.", Geometry: "MultiPolygon",
		Properties: []Property{
			{Name: "name", Type: TypeString, Required: true, Filterable: true, Description: "Name of the unit."},
			{Name: "kind", Type: TypeString, Required: true, Filterable: true, Enum: []string{"subdistrict", "town", "township"}, Description: "Kind of unit."},
		}},
	{Name: geo.LayerVillages, Title: "Villages", Description: "Village-level units (行政村, 社区): the lowest governance level.", Geometry: "MultiPolygon",
		Properties: []Property{
			{Name: "name", Type: TypeString, Required: true, Filterable: true, Description: "Name of the unit."},
			{Name: "kind", Type: TypeString, Required: true, Filterable: true, Enum: []string{"village", "community"}, Description: "Kind of unit."},
			{Name: "township", Type: TypeString, Required: true, Filterable: true, Description: "Id of the township."},
		}},
	{Name: geo.LayerGrids, Title: "Grids", Description: "Basic governance grids (网格); they tile the district.", Geometry: "Polygon",
		Properties: []Property{
			{Name: "name", Type: TypeString, Required: true, Filterable: true, Description: "Name of the grid."},
			{Name: "village", Type: TypeString, Required: true, Filterable: true, Description: "Id of the village."},
			{Name: "township", Type: TypeString, Required: true, Filterable: true, Description: "Id of the township (the village's)."},
			{Name: "population", Type: TypeInteger, Required: true, Description: "Residents, people."},
			{Name: "households", Type: TypeInteger, Required: true, Description: "Households."},
		}},
	{Name: geo.LayerStations, Title: "Police stations", Description: "Police stations (派出所).", Geometry: "Point",
		Properties: []Property{
			{Name: "name", Type: TypeString, Required: true, Filterable: true, Description: "Name of the station."},
		}},
	{Name: geo.LayerBeats, Title: "Police beats", Description: "Police beats (警务区) drawn by the stations.", Geometry: "Polygon",
		Properties: []Property{
			{Name: "name", Type: TypeString, Required: true, Filterable: true, Description: "Name of the beat."},
			{Name: "station", Type: TypeString, Required: true, Filterable: true, Description: "Id of the police station."},
		}},
	{Name: geo.LayerSettlements, Title: "Settlements", Description: "Built-up footprints where people live, each inside one grid.", Geometry: "Polygon",
		Properties: []Property{
			{Name: "name", Type: TypeString, Required: true, Filterable: true, Description: "Name of the settlement."},
			{Name: "grid", Type: TypeString, Required: true, Filterable: true, Description: "Id of the grid that contains it."},
			{Name: "population", Type: TypeInteger, Required: true, Description: "Residents, people."},
			{Name: "households", Type: TypeInteger, Required: true, Description: "Households."},
		}},
	{Name: geo.LayerPlaces, Title: "Key places", Description: "Key places: schools, clinics, markets, village entrances, ...", Geometry: "Point",
		Properties: []Property{
			{Name: "name", Type: TypeString, Required: true, Filterable: true, Description: "Name of the place."},
			{Name: "kind", Type: TypeString, Required: true, Filterable: true, Enum: geo.PlaceKinds, Description: "Kind of place."},
			{Name: "grid", Type: TypeString, Derived: true, Filterable: true, Description: "Id of the grid containing it; derived, empty outside every grid."},
		}},
	{Name: geo.LayerCameras, Title: "Cameras", Description: "Video cameras of the Xueliang project, the Rural Ground Network and shared courtyard cameras.", Geometry: "Point", Time: "installed",
		Properties: []Property{
			{Name: "source", Type: TypeString, Required: true, Filterable: true, Enum: enumOf(geo.CameraSources), Description: "Programme the camera belongs to."},
			{Name: "type", Type: TypeString, Required: true, Filterable: true, Enum: enumOf(geo.CameraTypes), Description: "Kind of camera."},
			{Name: "bearing_deg", Type: TypeNumber, Required: true, Description: "Direction faced, degrees clockwise from north, in [0, 360)."},
			{Name: "fov_deg", Type: TypeNumber, Required: true, Description: "Horizontal field of view, degrees, in (0, 360]."},
			{Name: "range_m", Type: TypeNumber, Required: true, Description: "Useful range, metres, in (0, 5000]."},
			{Name: "online", Type: TypeBoolean, Required: true, Filterable: true, Description: "Whether the camera works."},
			{Name: "installed", Type: TypeDate, Required: true, Description: "Installation date, YYYY-MM-DD."},
			{Name: "grid", Type: TypeString, Derived: true, Filterable: true, Description: "Id of the grid containing it; derived, empty outside every grid."},
		}},
	{Name: geo.LayerResponders, Title: "Responders", Description: "Police officers, auxiliaries, grid workers and volunteers, at their last known position.", Geometry: "Point", Time: "updated",
		Properties: []Property{
			{Name: "name", Type: TypeString, Required: true, Description: "Name of the person."},
			{Name: "role", Type: TypeString, Required: true, Filterable: true, Enum: enumOf(geo.Roles), Description: "Role."},
			{Name: "station", Type: TypeString, Required: true, Filterable: true, Description: "Id of the police station the responder reports to."},
			{Name: "grids", Type: TypeStrings, Description: "Ids of the grids assigned; empty for an officer kept at the station."},
			{Name: "available", Type: TypeBoolean, Required: true, Filterable: true, Description: "Whether the responder can take a call."},
			{Name: "updated", Type: TypeDateTime, Required: true, Description: "When position and availability were last reported, RFC 3339."},
		}},
	{Name: geo.LayerIncidents, Title: "Incidents", Description: "Reported matters: 110 calls, 12345 hotline calls and grid-patrol findings.", Geometry: "Point", Time: "time",
		Properties: []Property{
			{Name: "time", Type: TypeDateTime, Required: true, Description: "When it was reported, RFC 3339."},
			{Name: "category", Type: TypeString, Required: true, Filterable: true, Description: "Category, e.g. dispute, theft."},
			{Name: "source", Type: TypeString, Required: true, Filterable: true, Enum: enumOf(geo.IncidentSources), Description: `Channel: "110", "12345" or "grid_patrol".`},
			{Name: "resolved_level", Type: TypeString, Filterable: true, Enum: []string{"", "grid", "village", "township", "district"}, Description: "Level that resolved it; empty while open."},
			{Name: "grid", Type: TypeString, Derived: true, Filterable: true, Description: "Id of the grid containing it; derived, empty outside every grid."},
		}},
	{Name: geo.LayerWaterways, Title: "Waterways", Description: "Irrigation canals and rivers: roads cross them only at bridges, and nobody crosses them off the road.", Geometry: "LineString",
		Properties: []Property{
			{Name: "name", Type: TypeString, Filterable: true, Description: "Name of the waterway; may be empty."},
			{Name: "kind", Type: TypeString, Required: true, Filterable: true, Enum: enumOf(geo.WaterwayKinds), Description: "Kind of waterway."},
		}},
	{Name: geo.LayerRoads, Title: "Roads", Description: "The road network: roads connect where they share a vertex; a road crosses a waterway only where it is a bridge.", Geometry: "LineString",
		Properties: []Property{
			{Name: "name", Type: TypeString, Filterable: true, Description: "Name or number of the road; may be empty."},
			{Name: "class", Type: TypeString, Required: true, Filterable: true, Enum: enumOf(geo.RoadClasses), Description: "Class of road (motorway, national 国道, provincial 省道, county 县道, township 乡道, village 村道, track)."},
			{Name: "oneway", Type: TypeBoolean, Filterable: true, Description: "True when the road may be driven only in the direction of its vertices; default false."},
			{Name: "speed_kmh", Type: TypeNumber, Description: "Speed the road is driven at, km/h, in (0, 120]; when absent, the class's default (motorway 100, national 80, provincial 60, county 40, township 30, village 20, track 10)."},
			{Name: "bridge", Type: TypeBoolean, Filterable: true, Description: "True when the road is a bridge (it may cross a waterway); default false."},
		}},
}

// SchemaOf returns the schema of a layer.
func SchemaOf(layer string) (LayerSchema, bool) {
	for _, s := range Schemas {
		if s.Name == layer {
			return s, true
		}
	}
	return LayerSchema{}, false
}
