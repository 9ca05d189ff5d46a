package geo

import "fmt"

// Layer returns the items of the named layer as Features.
func (d *Dataset) Layer(name string) []Feature {
	switch name {
	case LayerTownships:
		return features(d.Townships)
	case LayerVillages:
		return features(d.Villages)
	case LayerGrids:
		return features(d.Grids)
	case LayerBeats:
		return features(d.Beats)
	case LayerStations:
		return features(d.Stations)
	case LayerCameras:
		return features(d.Cameras)
	case LayerResponders:
		return features(d.Responders)
	case LayerIncidents:
		return features(d.Incidents)
	case LayerSettlements:
		return features(d.Settlements)
	case LayerPlaces:
		return features(d.Places)
	case LayerWaterways:
		return features(d.Waterways)
	case LayerRoads:
		return features(d.Roads)
	}
	return nil
}

func features[T Feature](items []T) []Feature {
	out := make([]Feature, len(items))
	for i, it := range items {
		out[i] = it
	}
	return out
}

// SetLayer replaces the items of the named layer. Every item must be of the
// layer's type (a *Grid for "grids", ...).
func (d *Dataset) SetLayer(name string, items []Feature) error {
	var err error
	switch name {
	case LayerTownships:
		d.Townships, err = typed[*Township](name, items)
	case LayerVillages:
		d.Villages, err = typed[*Village](name, items)
	case LayerGrids:
		d.Grids, err = typed[*Grid](name, items)
	case LayerBeats:
		d.Beats, err = typed[*Beat](name, items)
	case LayerStations:
		d.Stations, err = typed[*Station](name, items)
	case LayerCameras:
		d.Cameras, err = typed[*Camera](name, items)
	case LayerResponders:
		d.Responders, err = typed[*Responder](name, items)
	case LayerIncidents:
		d.Incidents, err = typed[*Incident](name, items)
	case LayerSettlements:
		d.Settlements, err = typed[*Settlement](name, items)
	case LayerPlaces:
		d.Places, err = typed[*Place](name, items)
	case LayerWaterways:
		d.Waterways, err = typed[*Waterway](name, items)
	case LayerRoads:
		d.Roads, err = typed[*Road](name, items)
	default:
		return Errorf(NotFound, "geo: no layer %q", name)
	}
	return err
}

func typed[T Feature](layer string, items []Feature) ([]T, error) {
	out := make([]T, len(items))
	for i, it := range items {
		v, ok := it.(T)
		if !ok {
			return nil, fmt.Errorf("geo: layer %s item %d is a %T", layer, i, it)
		}
		out[i] = v
	}
	return out, nil
}
