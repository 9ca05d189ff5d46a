package geo

// WithVersions returns an atlas with the same content as a whose named
// layers carry the given versions (layers not named keep theirs). A layer
// whose version changes is a shallow copy sharing the items and indexes;
// the others are shared as they are. A store shared by several processes
// uses it to give every process the store's versions, so that versions
// (and the ETags made of them) agree across processes and restarts.
func (a *Atlas) WithVersions(versions map[string]uint64) *Atlas {
	b := *a
	for name, v := range versions {
		switch name {
		case LayerTownships:
			b.Townships = b.Townships.withVersion(v)
		case LayerVillages:
			b.Villages = b.Villages.withVersion(v)
		case LayerGrids:
			b.Grids = b.Grids.withVersion(v)
		case LayerBeats:
			b.Beats = b.Beats.withVersion(v)
		case LayerStations:
			b.Stations = b.Stations.withVersion(v)
		case LayerCameras:
			b.Cameras = b.Cameras.withVersion(v)
		case LayerResponders:
			b.Responders = b.Responders.withVersion(v)
		case LayerIncidents:
			b.Incidents = b.Incidents.withVersion(v)
		case LayerSettlements:
			b.Settlements = b.Settlements.withVersion(v)
		case LayerPlaces:
			b.Places = b.Places.withVersion(v)
		case LayerWaterways:
			b.Waterways = b.Waterways.withVersion(v)
		case LayerRoads:
			b.Roads = b.Roads.withVersion(v)
		}
	}
	return &b
}

// WithMeta returns an atlas with a's layers and the metadata m.
func (a *Atlas) WithMeta(m Meta) *Atlas {
	b := *a
	b.Meta = m
	return &b
}

// withVersion returns l itself when it has version v, else a copy of l
// with version v that shares its items, id index and (copy-on-write)
// R-tree.
func (l *Layer[T]) withVersion(v uint64) *Layer[T] {
	if l == nil || l.version == v {
		return l
	}
	tree := l.tree.Copy()
	return &Layer[T]{chunks: l.chunks, n: l.n, flat: l.Items(), byID: l.byID, tree: *tree,
		entries: l.entries, bound: l.bound, version: v}
}
