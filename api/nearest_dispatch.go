package api

import (
	"sync/atomic"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// dispatch is the state of the dispatcher's endpoints (nearest responders,
// response times, live positions): the arrival-time model and caches keyed
// by layer values.
type dispatch struct {
	eta          coverage.ETA
	devPositions bool
	assignments  atomic.Pointer[assignmentsEntry]
	responses    *resultCache
}

// newDispatch sets up the dispatcher's state from the options. An invalid
// arrival-time model is a wiring mistake and panics.
func newDispatch(opt Options) *dispatch {
	d := &dispatch{eta: opt.ETA, devPositions: opt.DevPositions, responses: newResultCache(8)}
	if d.eta == nil {
		d.eta = coverage.DefaultETA()
	}
	if err := d.eta.Validate(); err != nil {
		panic("api: Options.ETA: " + err.Error())
	}
	return d
}

// assignmentsEntry is the cached index of responders by grid and the
// version of the responders layer it was built for.
type assignmentsEntry struct {
	as      *coverage.Assignments
	version uint64
}

// assignmentsFor returns the index of a's responders by grid: the cached
// one, carried over to a new responders layer when only positions changed
// (coverage.Assignments.Reindex), or a new one. The cache only moves
// forward: a reader still holding an older atlas gets its index without
// replacing the newer one that the write pipeline readied.
func (d *dispatch) assignmentsFor(a *geo.Atlas) *coverage.Assignments {
	old := d.assignments.Load()
	if old != nil && old.as.For(a.Responders) {
		return old.as
	}
	var as *coverage.Assignments
	if old != nil {
		as = old.as.Reindex(a.Responders)
	} else {
		as = coverage.NewAssignments(a.Responders)
	}
	if v := a.Responders.Version(); old == nil || v > old.version {
		d.assignments.CompareAndSwap(old, &assignmentsEntry{as: as, version: v})
	}
	return as
}

// carryAssignments readies the index of next's responders by grid, given
// that next is prev with only the named responders moved (a group of
// position reports): the cached index of prev carries over after checking
// those responders alone.
func (d *dispatch) carryAssignments(prev, next *geo.Atlas, moved []string) {
	old := d.assignments.Load()
	if old == nil || !old.as.For(prev.Responders) {
		d.assignmentsFor(next)
		return
	}
	as := old.as.Moved(prev.Responders, next.Responders, moved)
	d.assignments.CompareAndSwap(old, &assignmentsEntry{as: as, version: next.Responders.Version()})
}
