package api

import (
	"gridwatch/data"
	"gridwatch/geo"
)

// A run is consecutive edits of one layer in a group, applied together
// with one Atlas.Apply: the layer is re-indexed and its references checked
// once for the run instead of once per write, which is what makes a stream
// of small writes (position updates, new incidents) cheap.

// mergedRun is the outcome of mergeRun.
type mergedRun struct {
	// consumed is how many writes of the group the run took (accepted or
	// refused).
	consumed int
	// ops are the accepted writes; atlas is the atlas after all of them and
	// changes what to store.
	ops     []*writeOp
	atlas   *geo.Atlas
	changes []data.Change
}

// overlay is a layer as the edits of a run so far leave it.
type overlay struct {
	base    geo.AnyLayer
	items   map[string]geo.Feature
	order   []string // upserted ids, first appearance first
	removed map[string]bool
	removes []string
}

func (o *overlay) lookup(id string) (geo.Feature, bool) {
	if o.removed[id] {
		return nil, false
	}
	if it, ok := o.items[id]; ok {
		return it, true
	}
	return o.base.FeatureByID(id)
}

// conflicts reports whether an edit would remove an id the run upserts or
// upsert one it removes (such an edit starts the next run).
func (o *overlay) conflicts(up []geo.Feature, rm []string) bool {
	for _, it := range up {
		if o.removed[it.FeatureID()] {
			return true
		}
	}
	for _, id := range rm {
		if _, ok := o.items[id]; ok {
			return true
		}
	}
	return false
}

func (o *overlay) add(up []geo.Feature, rm []string) {
	for _, it := range up {
		id := it.FeatureID()
		if _, ok := o.items[id]; !ok {
			o.order = append(o.order, id)
		}
		o.items[id] = it
	}
	for _, id := range rm {
		o.removed[id] = true
		o.removes = append(o.removes, id)
	}
}

// mergeRun applies the leading edits of ops that touch one layer as one
// run on a. An edit that fails on its own is refused alone; if the merged
// result fails validation, the run's edits are applied one by one instead,
// so that each failure is reported to its own write.
func (c *committer) mergeRun(a *geo.Atlas, ops []*writeOp) mergedRun {
	layer := ops[0].layer
	base, ok := a.Layer(layer)
	if !ok || isNil(base) {
		c.refuse(ops[0], geo.Errorf(geo.NotFound, "no collection %s", quote(layer)))
		return mergedRun{consumed: 1, atlas: a}
	}
	o := &overlay{base: base, items: map[string]geo.Feature{}, removed: map[string]bool{}}
	var run []*writeOp
	n := 0
	for ; n < len(ops) && ops[n].edit != nil && ops[n].layer == layer; n++ {
		up, rm, err := safeEdit(ops[n].edit, o.lookup)
		if err != nil {
			c.refuse(ops[n], err)
			continue
		}
		if o.conflicts(up, rm) {
			break
		}
		o.add(up, rm)
		run = append(run, ops[n])
	}
	if len(run) == 0 {
		return mergedRun{consumed: max(n, 1), atlas: a}
	}
	upserts := make([]geo.Feature, len(o.order))
	for i, id := range o.order {
		upserts[i] = o.items[id]
	}
	na, _, err := safeApply(func(a *geo.Atlas) (*geo.Atlas, []data.Change, error) {
		na, err := a.Edit(layer, upserts, o.removes)
		return na, nil, err
	}, a)
	if err == nil {
		return mergedRun{consumed: n, ops: run, atlas: na,
			changes: []data.Change{{Layer: layer, Items: upserts, Remove: o.removes}}}
	}
	if len(run) == 1 {
		c.refuse(run[0], err)
		return mergedRun{consumed: n, atlas: a}
	}
	return c.oneByOne(a, run, n)
}

// oneByOne applies a run's writes in turn, each on its own.
func (c *committer) oneByOne(a *geo.Atlas, run []*writeOp, consumed int) mergedRun {
	out := mergedRun{consumed: consumed, atlas: a}
	for _, op := range run {
		na, ch, err := safeApply(op.apply, out.atlas)
		if err != nil {
			c.refuse(op, err)
			continue
		}
		out.atlas = na
		out.ops = append(out.ops, op)
		out.changes = append(out.changes, ch...)
	}
	return out
}

// safeEdit runs an edit, turning a panic into an Internal error.
func safeEdit(e edit, lookup func(string) (geo.Feature, bool)) (up []geo.Feature, rm []string, err error) {
	defer func() {
		if v := recover(); v != nil {
			up, rm, err = nil, nil, geo.Errorf(geo.Internal, "write panicked: %v", v)
		}
	}()
	return e(lookup)
}
