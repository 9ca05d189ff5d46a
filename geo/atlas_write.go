package geo

import (
	"fmt"

	"gridwatch/geo/route"
)

// pointLayers are the layers whose items are points that nothing's geometry
// depends on: a write to one of them rebuilds that layer alone.
var pointLayers = map[string]bool{
	LayerStations: true, LayerCameras: true, LayerResponders: true, LayerIncidents: true, LayerPlaces: true,
}

// WithLayer returns a new Atlas in which the named layer holds items instead
// of its current ones; the receiver is unchanged. The new layer's version is
// one more than the old; the other layers are shared, unless they derive
// from it (a write to grids re-derives the grid of cameras, incidents and
// places, and bumps their versions too). The result is validated as
// NewAtlas validates: every problem is reported and nothing changes.
func (a *Atlas) WithLayer(name string, items []Feature) (*Atlas, error) {
	changed := make([]int, len(items))
	for i := range changed {
		changed[i] = i
	}
	return a.withItems(name, items, changed)
}

// Apply returns a new Atlas in which the named layer has the upserted items
// (replacing the item of the same id in place, else appended) and lacks the
// removed ids. Only the upserted items, the layer's ids and the references
// to and from the layer are validated; problems name the position of the
// item in upsert. A removed id that does not exist is a NotFound error.
func (a *Atlas) Apply(name string, upsert []Feature, remove []string) (*Atlas, error) {
	l, ok := a.Layer(name)
	if !ok {
		return nil, Errorf(NotFound, "no layer %q", name)
	}
	gone := make(map[string]bool, len(remove))
	for _, id := range remove {
		if _, ok := l.FeatureByID(id); !ok {
			return nil, Errorf(NotFound, "%s: no feature %q", name, id)
		}
		gone[id] = true
	}
	var ps Problems
	seen := map[string]int{}
	for i, it := range upsert {
		if j, dup := seen[it.FeatureID()]; dup {
			ps.Add(name, i, it.FeatureID(), "id", fmt.Sprintf("a unique id (feature %d has it too)", j))
		}
		seen[it.FeatureID()] = i
	}
	if err := ps.Err("invalid " + name); err != nil {
		return nil, err
	}
	items := make([]Feature, 0, l.Len()+len(upsert))
	for i := 0; i < l.Len(); i++ {
		it := l.Feature(i)
		if gone[it.FeatureID()] {
			continue
		}
		if j, ok := seen[it.FeatureID()]; ok {
			it = upsert[j]
			delete(seen, it.FeatureID())
		}
		items = append(items, it)
	}
	for _, it := range upsert {
		if _, ok := seen[it.FeatureID()]; ok {
			items = append(items, it)
		}
	}
	// Validate the upserted items, reported by their position in upsert.
	for i, it := range upsert {
		validateItem(&ps, name, i, it)
	}
	if err := ps.Err("invalid " + name); err != nil {
		return nil, err
	}
	return a.withItems(name, items, nil)
}

// Edit returns a new Atlas with the upserts and removals applied, as Apply
// does. When they only replace existing items of a point layer (position
// reports, status changes), it takes the copy-on-write path of Update,
// whose cost grows with the items written rather than the layer's size;
// otherwise Apply.
func (a *Atlas) Edit(name string, upsert []Feature, remove []string) (*Atlas, error) {
	if len(remove) > 0 || len(upsert) == 0 || !pointLayers[name] {
		return a.Apply(name, upsert, remove)
	}
	l, _ := a.Layer(name)
	for _, it := range upsert {
		if _, ok := l.FeatureByID(it.FeatureID()); !ok {
			return a.Apply(name, upsert, remove)
		}
	}
	return a.Update(name, upsert)
}

// withItems builds the new Atlas; items at the indexes in check are
// validated on their own (Apply has validated its items already).
func (a *Atlas) withItems(name string, items []Feature, check []int) (*Atlas, error) {
	d := a.Dataset()
	if err := d.SetLayer(name, items); err != nil {
		return nil, err
	}
	if !pointLayers[name] {
		return a.rebuilt(d, name)
	}
	var ps Problems
	validateIDs(&ps, name, items)
	for _, i := range check {
		validateItem(&ps, name, i, items[i])
	}
	validateReferences(d, &ps)
	if err := ps.Err("invalid " + name); err != nil {
		return nil, err
	}
	b := *a
	v := a.Versions()[name] + 1
	switch name {
	case LayerStations:
		b.Stations = NewLayer(d.Stations, v)
	case LayerResponders:
		b.Responders = NewLayer(d.Responders, v)
	case LayerCameras:
		b.Cameras = NewLayer(deriveGrids(d.Cameras, a.gridID, func(c *Camera) *string { return &c.Grid }), v)
	case LayerIncidents:
		b.Incidents = NewLayer(deriveGrids(d.Incidents, a.gridID, func(c *Incident) *string { return &c.Grid }), v)
	case LayerPlaces:
		b.Places = NewLayer(deriveGrids(d.Places, a.gridID, func(c *Place) *string { return &c.Grid }), v)
	}
	return &b, nil
}

// rebuilt re-indexes a dataset whose polygon layer name changed, carrying
// the versions over and bumping the changed layer's and its dependents'.
func (a *Atlas) rebuilt(d *Dataset, name string) (*Atlas, error) {
	var network *route.Network
	if name != LayerRoads && name != LayerWaterways {
		network = a.network // the road network is rebuilt only when roads or waterways change
	}
	b, err := newAtlas(d, Options{}, network)
	if err != nil {
		return nil, err
	}
	old := a.Versions()
	bump := map[string]bool{name: true}
	if name == LayerGrids {
		bump[LayerCameras], bump[LayerIncidents], bump[LayerPlaces] = true, true, true
	}
	for _, n := range LayerNames {
		v := old[n]
		if bump[n] {
			v++
		}
		l, _ := b.Layer(n)
		l.setVersion(v)
	}
	return b, nil
}
