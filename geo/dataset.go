package geo

import "time"

// Meta describes a dataset as a whole.
type Meta struct {
	// Name is the dataset's name, e.g. "Hongsibao (synthetic)".
	Name string `json:"name"`
	// Description says what the dataset is and where it comes from.
	Description string `json:"description,omitempty"`
	// Synthetic is true for generated data that describes no real place.
	Synthetic bool `json:"synthetic"`
	// AsOf is the date the dataset describes; analysis windows count back
	// from it. Zero when unknown (then analyses count back from now).
	AsOf time.Time `json:"as_of,omitzero"`
	// Seed is the generator's seed, for generated data.
	Seed int64 `json:"seed,omitempty"`
	// Scale is the generator's scale, for generated data.
	Scale float64 `json:"scale,omitempty"`
}

// Dataset is every layer of a district, as read or generated, before
// indexing. NewAtlas validates and indexes it.
type Dataset struct {
	// Meta describes the dataset.
	Meta Meta
	// Townships are the township-level units; may be empty.
	Townships []*Township
	// Villages are the village-level units; may be empty.
	Villages []*Village
	// Grids are the governance grids.
	Grids []*Grid
	// Beats are the police beats.
	Beats []*Beat
	// Stations are the police stations.
	Stations []*Station
	// Cameras are the video cameras.
	Cameras []*Camera
	// Responders are the police, auxiliaries, grid workers and volunteers.
	Responders []*Responder
	// Incidents are the reported matters.
	Incidents []*Incident
	// Settlements are the built-up footprints; may be empty.
	Settlements []*Settlement
	// Places are the key places.
	Places []*Place
	// Waterways are the canals and rivers; may be empty.
	Waterways []*Waterway
	// Roads are the road network; may be empty.
	Roads []*Road
}

// Counts returns the number of items in each layer, keyed by layer id.
func (d *Dataset) Counts() map[string]int {
	return map[string]int{
		LayerTownships: len(d.Townships), LayerVillages: len(d.Villages),
		LayerGrids: len(d.Grids), LayerBeats: len(d.Beats), LayerStations: len(d.Stations),
		LayerCameras: len(d.Cameras), LayerResponders: len(d.Responders),
		LayerIncidents: len(d.Incidents), LayerSettlements: len(d.Settlements),
		LayerPlaces: len(d.Places), LayerWaterways: len(d.Waterways), LayerRoads: len(d.Roads),
	}
}
