package api

import (
	"sync"
	"time"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// positionBatchEvery is the shortest time between two commits of position
// updates: updates that arrive meanwhile wait and are committed together,
// with one copy-on-write update of the responders layer.
const positionBatchEvery = 20 * time.Millisecond

// positionPatch is one accepted PATCH of a responder, waiting for its
// batch.
type positionPatch struct {
	id        string
	point     *orb.Point
	available *bool
	updated   *time.Time

	done   chan struct{}
	result *geo.Responder // the responder after the batch
	err    error
}

// positionWriter applies position updates in batches: one goroutine, run
// while there are updates, takes every pending patch at most every
// positionBatchEvery, applies them to the current atlas with one
// Atlas.Update, swaps the new atlas in and answers each patch. Readers
// keep the snapshot they loaded; a write is visible to requests that start
// after its batch (within positionBatchEvery plus the commit).
type positionWriter struct {
	holder *AtlasHolder
	// prepare, when set, readies caches for a new atlas before it is
	// swapped in, so that readers find them built; moved names the
	// responders that differ from the previous atlas.
	prepare func(prev, next *geo.Atlas, moved []string)

	mu      sync.Mutex
	pending []*positionPatch
	running bool
}

func newPositionWriter(h *AtlasHolder, prepare func(prev, next *geo.Atlas, moved []string)) *positionWriter {
	return &positionWriter{holder: h, prepare: prepare}
}

// submit queues p and returns once its batch is applied (or ctx ends: the
// update may then still be applied).
func (w *positionWriter) submit(done <-chan struct{}, p *positionPatch) (*geo.Responder, error) {
	p.done = make(chan struct{})
	w.mu.Lock()
	w.pending = append(w.pending, p)
	start := !w.running
	w.running = true
	w.mu.Unlock()
	if start {
		go w.run()
	}
	select {
	case <-p.done:
		return p.result, p.err
	case <-done:
		return nil, geo.Errorf(geo.Unavailable, "the request ended before its position update was applied; it may still be applied")
	}
}

// run commits batches until none is pending.
func (w *positionWriter) run() {
	for {
		w.mu.Lock()
		batch := w.pending
		w.pending = nil
		if len(batch) == 0 {
			w.running = false
			w.mu.Unlock()
			return
		}
		w.mu.Unlock()
		start := time.Now()
		w.commit(batch)
		if wait := positionBatchEvery - time.Since(start); wait > 0 {
			time.Sleep(wait)
		}
	}
}

// commit applies a batch to the current atlas and swaps the result in,
// retrying on an atlas that another writer swapped in meanwhile.
func (w *positionWriter) commit(batch []*positionPatch) {
	for {
		cur := w.holder.Load()
		if cur == nil {
			finishPositions(batch, geo.Errorf(geo.Unavailable, "no dataset is loaded yet"))
			return
		}
		next, moved, results, errs := applyPositions(cur, batch)
		if next != cur && w.prepare != nil {
			w.prepare(cur, next, moved)
		}
		if next != cur && !w.holder.swap(cur, next) {
			continue
		}
		for i, p := range batch {
			p.result, p.err = results[i], errs[i]
			close(p.done)
		}
		return
	}
}

// finishPositions answers every patch of a batch with err.
func finishPositions(batch []*positionPatch, err error) {
	for _, p := range batch {
		p.err = err
		close(p.done)
	}
}

// applyPositions applies the patches in order to a's responders (a later
// patch of the same responder applies on top of an earlier one) with one
// Atlas.Update. It returns the new atlas, the ids of the responders it
// changed and, for each patch, the responder after the batch or why the
// patch was refused; a refused patch does not stop the others.
func applyPositions(a *geo.Atlas, batch []*positionPatch) (next *geo.Atlas, moved []string, results []*geo.Responder, errs []error) {
	results = make([]*geo.Responder, len(batch))
	errs = make([]error, len(batch))
	byID := map[string]*geo.Responder{}
	var order []string
	for i, p := range batch {
		r, ok := byID[p.id]
		if !ok {
			cur, found := a.Responders.Get(p.id)
			if !found {
				errs[i] = geo.Errorf(geo.NotFound, "no feature %s in responders", quote(p.id))
				continue
			}
			cp := *cur
			r = &cp
			byID[p.id] = r
			order = append(order, p.id)
		}
		p.mergeInto(r)
	}
	if len(order) == 0 {
		return a, nil, results, errs
	}
	items := make([]geo.Feature, len(order))
	for i, id := range order {
		items[i] = byID[id]
	}
	next, err := a.Update(geo.LayerResponders, items)
	if err != nil {
		for i := range batch {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		return a, nil, results, errs
	}
	for i, p := range batch {
		if errs[i] == nil {
			results[i] = byID[p.id]
		}
	}
	return next, order, results, errs
}

// mergeInto applies the patch's fields to r.
func (p *positionPatch) mergeInto(r *geo.Responder) {
	if p.point != nil {
		r.Point = *p.point
	}
	if p.available != nil {
		r.Available = *p.available
	}
	if p.updated != nil {
		r.Updated = *p.updated
	}
}

// swap makes next the current atlas if cur still is, and reports whether
// it did.
func (h *AtlasHolder) swap(cur, next *geo.Atlas) bool { return h.p.CompareAndSwap(cur, next) }
