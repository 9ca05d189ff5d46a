package coverage

import (
	"cmp"
	"context"
	"slices"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"gridwatch/geo"
)

// cellDelta is a change to who sees a cell's sample points.
type cellDelta struct {
	cell h3.Cell
	mask uint8
	d    viewers
}

// videoUpdate gathers the changes that changed cameras make: per bucket,
// the probe cells whose viewers change (when the base coverage has built
// its cells), and the grids whose figures or gaps a changed view reaches.
type videoUpdate struct {
	v       *Video
	cells   bool // the base's cells are built: derive them too
	table   *videoTable
	surf    *videoSurface
	deltas  map[int32][]cellDelta
	touched map[int32]bool
}

// camera adds (sign 1) or removes (sign -1) a camera's view.
func (u *videoUpdate) camera(c *geo.Camera, sign int32) {
	s := geo.CameraSector(c)
	d := viewers{sign, 0}
	if c.Online {
		d[1] = sign
	}
	b := s.Bound()
	for g, r := range u.v.static.regions {
		if r.Intersects(b) {
			u.touch(int32(g))
		}
	}
	if u.cells {
		for _, cm := range s.AppendCellMasks(nil, u.v.res) {
			if _, ok := u.surf.probeOwner(cm.Cell); !ok {
				continue
			}
			g := u.table.gridOf(cm.Cell)
			u.deltas[g] = append(u.deltas[g], cellDelta{cm.Cell, cm.Mask, d})
		}
	}
}

func (u *videoUpdate) touch(g int32) {
	if g >= 0 && int(g) < len(u.v.grids) {
		u.touched[g] = true
	}
}

// apply merges the gathered deltas into copies of the buckets they change.
func (u *videoUpdate) apply(buckets []*cellBucket) {
	for g, ds := range u.deltas {
		slices.SortStableFunc(ds, func(a, b cellDelta) int { return cmp.Compare(a.cell, b.cell) })
		old := buckets[g].cells
		out := make([]videoCellState, 0, len(old)+len(ds))
		i := 0
		for j := 0; j < len(ds); {
			c := ds[j].cell
			for ; i < len(old) && old[i].cell < c; i++ {
				out = append(out, old[i])
			}
			st := videoCellState{cell: c}
			if i < len(old) && old[i].cell == c {
				st = old[i]
				i++
			} else {
				st.area = u.table.areaOf(c)
			}
			for ; j < len(ds) && ds[j].cell == c; j++ {
				st.add(ds[j].mask, ds[j].d)
			}
			if st.n != ([2][7]int32{}) {
				out = append(out, st)
			}
		}
		out = append(out, old[i:]...)
		if len(out) == 0 {
			out = nil // as a full build leaves an empty bucket
		}
		buckets[g] = &cellBucket{cells: out}
	}
}

// WithCameras returns the coverage of atlas a, which must differ from the
// receiver's atlas only in the cameras with the given ids (changed, added
// or removed): only the grids whose regions the old and new views reach
// are measured again, and each old camera's view is taken away from the
// incidents, places and surface cells it sees and each new one's added;
// the rest is shared with the receiver, which is unchanged. The result
// equals NewVideo(a) exactly (tested): a grid's figures depend only on the
// cameras that reach it, and counts are integers. When a's other layers
// differ, it falls back to NewVideo.
func (v *Video) WithCameras(a *geo.Atlas, ids []string) (*Video, error) {
	if !v.static.sameStatic(a) {
		return NewVideo(a, VideoOptions{Resolution: v.res, SweepStepM: v.step})
	}
	nv := &Video{atlas: a, res: v.res, step: v.step, reach: maxCameraRange(a), camBounds: v.derivedBounds(a), static: v.static, cells: &videoCells{},
		grids: slices.Clone(v.grids), incSeen: slices.Clone(v.incSeen), plcSeen: slices.Clone(v.plcSeen)}
	u := &videoUpdate{v: nv, cells: v.cells.ready.Load(), deltas: map[int32][]cellDelta{}, touched: map[int32]bool{}}
	if u.cells {
		t, surf := v.static.surface()
		u.table, u.surf = t.fork(), surf
	}
	ids = slices.Clone(ids)
	slices.Sort(ids)
	for _, id := range slices.Compact(ids) {
		old, hadOld := v.atlas.Cameras.Get(id)
		cur, hasCur := a.Cameras.Get(id)
		if hadOld && hasCur && old == cur {
			continue
		}
		if hadOld {
			u.camera(old, -1)
		}
		if hasCur {
			u.camera(cur, 1)
		}
	}
	if u.cells {
		buckets := slices.Clone(v.cells.buckets)
		u.apply(buckets)
		nv.cells.buckets = buckets
		nv.cells.ready.Store(true)
	}
	touched := make([]int32, 0, len(u.touched))
	for g := range u.touched {
		touched = append(touched, g)
	}
	_ = nv.measureGrids(context.Background(), touched) // a background context never ends
	nv.seeOutside()
	return nv, nil
}

// Update returns the coverage of atlas a, derived from the receiver's when
// only cameras changed (found by comparing the two camera layers item by
// item, as geo.Atlas.Apply keeps unchanged items) and few enough of them
// that an incremental update is cheaper than NewVideo.
func (v *Video) Update(a *geo.Atlas) (*Video, error) {
	switch {
	case a == v.atlas:
		return v, nil
	case !v.static.sameStatic(a):
		return NewVideo(a, VideoOptions{Resolution: v.res, SweepStepM: v.step})
	case a.Cameras == v.atlas.Cameras:
		return &Video{atlas: a, res: v.res, step: v.step, reach: v.reach, camBounds: v.camBounds, static: v.static, cells: v.cells,
			grids: v.grids, incSeen: v.incSeen, plcSeen: v.plcSeen}, nil
	}
	ids := ChangedCameras(v.atlas.Cameras, a.Cameras)
	if len(ids) > max(64, a.Cameras.Len()/20) {
		return NewVideo(a, VideoOptions{Resolution: v.res, SweepStepM: v.step})
	}
	return v.WithCameras(a, ids)
}

// ChangedCameras returns the ids of the cameras that differ between two
// camera layers: changed (a different item), added or removed, sorted.
// Layers of the same length are compared position by position first (a
// write keeps unchanged items where they were), and only the ids at
// positions that differ are looked up.
func ChangedCameras(old, cur *geo.Layer[*geo.Camera]) []string {
	var ids []string
	if old.Len() == cur.Len() {
		var maybe []string
		for i := range old.Len() {
			if o, c := old.At(i), cur.At(i); o != c {
				maybe = append(maybe, o.ID, c.ID)
			}
		}
		slices.Sort(maybe)
		for _, id := range slices.Compact(maybe) {
			o, _ := old.Get(id)
			c, _ := cur.Get(id)
			if o != c {
				ids = append(ids, id)
			}
		}
		return ids
	}
	for _, c := range old.Items() {
		if n, ok := cur.Get(c.ID); !ok || n != c {
			ids = append(ids, c.ID)
		}
	}
	for _, c := range cur.Items() {
		if _, ok := old.Get(c.ID); !ok {
			ids = append(ids, c.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// derivedBounds returns the viewshed bounds of a's cameras, reusing v's
// where a camera is the same item at the same position.
func (v *Video) derivedBounds(a *geo.Atlas) []orb.Bound {
	old, cur := v.atlas.Cameras, a.Cameras
	if old.Len() != cur.Len() || len(v.camBounds) != old.Len() {
		return cameraBounds(a)
	}
	out := slices.Clone(v.camBounds)
	for i := range cur.Len() {
		if c := cur.At(i); c != old.At(i) {
			out[i] = geo.ViewshedBound(c)
		}
	}
	return out
}
