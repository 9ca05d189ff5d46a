package geo

import (
	"fmt"
	"slices"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// Update returns a new Atlas in which existing items of a point layer
// (stations, cameras, responders, incidents, places) are replaced by the
// given items of the same ids: moves and attribute changes, never inserts
// or removals (use Apply for those). The receiver is unchanged.
//
// It is the fast path for streams of position updates. Apply re-indexes
// the whole layer (about 30 ms for 26,000 responders); Update copies the
// layer's R-tree on write (tidwall/rtree's Copy is O(1) and later writes
// copy only the nodes they touch), moves the replaced entries and shares
// the id index, so its cost grows with the number of items updated plus
// one copy of the layer's item slice. The layer's version goes up by one;
// every other layer is shared.
//
// Each item is validated as Apply validates it, its references (a
// responder's station and grids) are checked against the atlas, and the
// derived grid of cameras, incidents and places is recomputed. Problems
// name the item's position in items; an id the layer lacks is NotFound.
func (a *Atlas) Update(name string, items []Feature) (*Atlas, error) {
	if !pointLayers[name] {
		return nil, Errorf(Invalid, "%s: Update replaces points of a point layer; use Apply", name)
	}
	l, _ := a.Layer(name)
	var ps Problems
	seen := make(map[string]int, len(items))
	for i, it := range items {
		id := it.FeatureID()
		if j, dup := seen[id]; dup {
			ps.Add(name, i, id, "id", fmt.Sprintf("a unique id (feature %d has it too)", j))
		}
		seen[id] = i
		validateItem(&ps, name, i, it)
		if r, ok := it.(*Responder); ok {
			a.responderReferences(&ps, i, r)
		}
	}
	if err := ps.Err("invalid " + name); err != nil {
		return nil, err
	}
	for _, it := range items {
		if _, ok := l.FeatureByID(it.FeatureID()); !ok {
			return nil, Errorf(NotFound, "%s: no feature %q", name, it.FeatureID())
		}
	}
	b := *a
	v := l.Version() + 1
	var err error
	switch name {
	case LayerStations:
		b.Stations, err = updated(a.Stations, name, items, v, nil)
	case LayerResponders:
		b.Responders, err = updated(a.Responders, name, items, v, nil)
	case LayerCameras:
		b.Cameras, err = updated(a.Cameras, name, items, v, func(c *Camera) *Camera {
			return deriveGrids([]*Camera{c}, a.gridID, func(c *Camera) *string { return &c.Grid })[0]
		})
	case LayerIncidents:
		b.Incidents, err = updated(a.Incidents, name, items, v, func(c *Incident) *Incident {
			return deriveGrids([]*Incident{c}, a.gridID, func(c *Incident) *string { return &c.Grid })[0]
		})
	case LayerPlaces:
		b.Places, err = updated(a.Places, name, items, v, func(c *Place) *Place {
			return deriveGrids([]*Place{c}, a.gridID, func(c *Place) *string { return &c.Grid })[0]
		})
	}
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// responderReferences checks that a responder's station and grids exist,
// each grid once.
func (a *Atlas) responderReferences(ps *Problems, i int, r *Responder) {
	if _, ok := a.Stations.Get(r.Station); !ok {
		ps.Add(LayerResponders, i, r.ID, "station", fmt.Sprintf("the id of a station; no station %q", r.Station))
	}
	seen := map[string]bool{}
	for _, g := range r.Grids {
		if _, ok := a.Grids.Get(g); !ok {
			ps.Add(LayerResponders, i, r.ID, "grids", fmt.Sprintf("ids of grids; no grid %q", g))
		} else if seen[g] {
			ps.Add(LayerResponders, i, r.ID, "grids", fmt.Sprintf("each grid once; %q is listed twice", g))
		}
		seen[g] = true
	}
}

// updated returns a copy of l with the items of the same ids replaced and
// the given version. When derive is set, it fills in each item's derived
// fields (returning a copy when they change).
//
// A moved item's old tree entry is left in place, stale, and an entry for
// its new box is inserted, unless a stale entry of the item with that very
// box is already there (it is live again). Deleting the old entry would
// copy every node the deletion searches, several times what inserting
// copies; stale entries cost readers a check each, and once they number
// a quarter of the items the tree is built anew.
func updated[T Feature](l *Layer[T], name string, items []Feature, version uint64, derive func(T) T) (*Layer[T], error) {
	// A shallow copy of the tree struct shares every node and changes
	// nothing in l; its Copy gives the new tree fresh copy-on-write marks,
	// so the writes below copy the nodes they touch instead of changing
	// nodes that l's readers may be walking.
	base := l.tree
	tree := base.Copy()
	nl := &Layer[T]{chunks: slices.Clone(l.chunks), n: l.n, byID: l.byID, tree: *tree, entries: l.entries, version: version}
	moved := make([]int, 0, len(items))
	copied := make(map[int]bool, len(items)) // chunks copied for nl
	for k, f := range items {
		it, ok := f.(T)
		if !ok {
			return nil, &Error{Code: Invalid, Message: "invalid " + name,
				Problems: []Problem{{Layer: name, Index: k, ID: f.FeatureID(), Field: "type", Expected: fmt.Sprintf("a %T", *new(T))}}}
		}
		if derive != nil {
			it = derive(it)
		}
		i := l.byID[it.FeatureID()]
		old := boundOf(nl.At(i).FeatureGeometry())
		nb := boundOf(it.FeatureGeometry())
		if c := i >> chunkBits; !copied[c] {
			nl.chunks[c] = slices.Clone(nl.chunks[c])
			copied[c] = true
		}
		nl.chunks[i>>chunkBits][i&(chunkSize-1)] = it
		moved = append(moved, i)
		if nb != old && !nl.hasEntry(nb, i) {
			nl.tree.Insert([2]float64{nb.Min[0], nb.Min[1]}, [2]float64{nb.Max[0], nb.Max[1]}, i)
			nl.entries++
		}
	}
	if stale := nl.entries - nl.n; stale > 0 && stale >= nl.n/4 {
		nl.reindex()
	}
	nl.bound = updatedBound(l, nl, moved)
	return nl, nil
}

// hasEntry reports whether the tree holds an entry of item i with box b.
func (l *Layer[T]) hasEntry(b orb.Bound, i int) bool {
	lo, hi := [2]float64{b.Min[0], b.Min[1]}, [2]float64{b.Max[0], b.Max[1]}
	found := false
	l.tree.Search(lo, hi, func(min, max [2]float64, j int) bool {
		found = j == i && min == lo && max == hi
		return !found
	})
	return found
}

// live reports whether the tree entry (min, max, i) is item i's box as
// the item is now.
func (l *Layer[T]) live(min, max [2]float64, i int) bool {
	it := l.At(i)
	if p, ok := any(it).(located); ok {
		pt := p.location()
		return min == max && min == [2]float64{pt[0], pt[1]}
	}
	b := boundOf(it.FeatureGeometry())
	return min == [2]float64{b.Min[0], b.Min[1]} && max == [2]float64{b.Max[0], b.Max[1]}
}

// reindex builds the tree anew from the items, without stale entries.
func (l *Layer[T]) reindex() {
	l.tree = rtree.RTreeG[int]{}
	for i := range l.n {
		b := boundOf(l.At(i).FeatureGeometry())
		l.tree.Insert([2]float64{b.Min[0], b.Min[1]}, [2]float64{b.Max[0], b.Max[1]}, i)
	}
	l.entries = l.n
}

// located is an item that is a point.
type located interface{ location() orb.Point }

func (r *Responder) location() orb.Point { return r.Point }
func (c *Camera) location() orb.Point    { return c.Point }
func (i *Incident) location() orb.Point  { return i.Point }
func (p *Place) location() orb.Point     { return p.Point }
func (s *Station) location() orb.Point   { return s.Point }

// updatedBound returns the bound of nl's items, given that it differs from
// l only at the indexes moved. Unless a moved item's old box touched the
// edge of l's bound, the items left in place still reach every edge, so
// the bound is l's widened by the moved items' new boxes; otherwise it is
// recomputed over every item.
func updatedBound[T Feature](l, nl *Layer[T], moved []int) orb.Bound {
	b := l.bound
	for _, i := range moved {
		ob := boundOf(l.At(i).FeatureGeometry())
		if ob.Min[0] <= b.Min[0] || ob.Min[1] <= b.Min[1] || ob.Max[0] >= b.Max[0] || ob.Max[1] >= b.Max[1] {
			for j := range nl.n {
				if ib := boundOf(nl.At(j).FeatureGeometry()); j == 0 {
					b = ib
				} else {
					b = b.Union(ib)
				}
			}
			return b
		}
	}
	for _, i := range moved {
		b = b.Union(boundOf(nl.At(i).FeatureGeometry()))
	}
	return b
}
