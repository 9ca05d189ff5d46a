package geo

import "github.com/paulmach/orb"

// AnyLayer is the part of a Layer that does not depend on its item type,
// for code that treats every layer alike (the collections of the API).
type AnyLayer interface {
	// Len returns the number of items.
	Len() int
	// Feature returns the i-th item.
	Feature(i int) Feature
	// FeatureByID returns the item with the id.
	FeatureByID(id string) (Feature, bool)
	// Search calls fn with the index of every item whose bounding box meets b.
	Search(b orb.Bound, fn func(i int) bool)
	// Bound returns the bounding box of every item.
	Bound() orb.Bound
	// Version returns the layer's version.
	Version() uint64
	// setVersion sets the version of a layer not yet shared.
	setVersion(v uint64)
}

func (l *Layer[T]) setVersion(v uint64) { l.version = v }

// Feature returns the i-th item as a Feature.
func (l *Layer[T]) Feature(i int) Feature { return l.At(i) }

// FeatureByID returns the item with the id as a Feature.
func (l *Layer[T]) FeatureByID(id string) (Feature, bool) {
	it, ok := l.Get(id)
	if !ok {
		return nil, false
	}
	return it, true
}

// Layer returns the named layer of the atlas.
func (a *Atlas) Layer(name string) (AnyLayer, bool) {
	switch name {
	case LayerTownships:
		return a.Townships, true
	case LayerVillages:
		return a.Villages, true
	case LayerGrids:
		return a.Grids, true
	case LayerBeats:
		return a.Beats, true
	case LayerStations:
		return a.Stations, true
	case LayerCameras:
		return a.Cameras, true
	case LayerResponders:
		return a.Responders, true
	case LayerIncidents:
		return a.Incidents, true
	case LayerSettlements:
		return a.Settlements, true
	case LayerPlaces:
		return a.Places, true
	case LayerWaterways:
		return a.Waterways, true
	case LayerRoads:
		return a.Roads, true
	}
	return nil, false
}
