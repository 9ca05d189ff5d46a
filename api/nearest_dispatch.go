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
	assignments  atomic.Pointer[coverage.Assignments]
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

// assignmentsFor returns the index of a's responders by grid: the cached
// one, carried over to a new responders layer when only positions changed
// (coverage.Assignments.Reindex), or a new one.
func (d *dispatch) assignmentsFor(a *geo.Atlas) *coverage.Assignments {
	old := d.assignments.Load()
	if old != nil && old.For(a.Responders) {
		return old
	}
	as := old.Reindex(a.Responders)
	d.assignments.CompareAndSwap(old, as)
	return as
}

// carryAssignments readies the index of next's responders by grid, given
// that next is prev with only the named responders moved (a group of
// position reports): the cached index of prev carries over after checking
// those responders alone.
func (d *dispatch) carryAssignments(prev, next *geo.Atlas, moved []string) {
	old := d.assignments.Load()
	if old == nil || !old.For(prev.Responders) {
		d.assignmentsFor(next)
		return
	}
	d.assignments.CompareAndSwap(old, old.Moved(prev.Responders, next.Responders, moved))
}
