package geo

import (
	"sync"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// Layer is one indexed, immutable layer of an Atlas: its items in order, an
// index by id, an R-tree on their bounds and a version that changes with
// every write to the layer.
//
// After Update moves points, the tree may also hold stale entries: an
// entry is live when its box is the bound of its item as it is now, and
// Search and Nearby skip the others (layer_cow.go).
type Layer[T Feature] struct {
	chunks   [][]T // the items in order, chunkSize a chunk
	n        int   // items
	flat     []T   // the items as one slice; built on demand after Update
	flatOnce sync.Once
	byID     map[string]int
	tree     rtree.RTreeG[int]
	entries  int // in tree: one live entry per item, and stale ones
	bound    orb.Bound
	version  uint64
}

// NewLayer indexes items. It does not validate them; ids must be unique.
func NewLayer[T Feature](items []T, version uint64) *Layer[T] {
	l := &Layer[T]{chunks: chunked(items), n: len(items), flat: items, byID: make(map[string]int, len(items)),
		entries: len(items), version: version}
	for i, it := range items {
		l.byID[it.FeatureID()] = i
		b := boundOf(it.FeatureGeometry())
		l.tree.Insert([2]float64{b.Min[0], b.Min[1]}, [2]float64{b.Max[0], b.Max[1]}, i)
		if i == 0 {
			l.bound = b
		} else {
			l.bound = l.bound.Union(b)
		}
	}
	return l
}

func boundOf(g Geometry) orb.Bound {
	if og, ok := g.(orb.Geometry); ok {
		return og.Bound()
	}
	return orb.Bound{}
}

// Len returns the number of items.
func (l *Layer[T]) Len() int { return l.n }

// Items returns the items in layer order. The slice must not be modified.
func (l *Layer[T]) Items() []T {
	l.flatOnce.Do(func() {
		if l.flat == nil && l.n > 0 {
			l.flat = make([]T, 0, l.n)
			for _, c := range l.chunks {
				l.flat = append(l.flat, c...)
			}
		}
	})
	return l.flat
}

// At returns the i-th item.
func (l *Layer[T]) At(i int) T { return l.chunks[i>>chunkBits][i&(chunkSize-1)] }

// chunkBits sets the size of the chunks the items are kept in, so that a
// write copies the chunks it changes rather than every item.
const (
	chunkBits = 6
	chunkSize = 1 << chunkBits
)

// chunked splits items into chunks that share its array.
func chunked[T any](items []T) [][]T {
	out := make([][]T, 0, (len(items)+chunkSize-1)/chunkSize)
	for lo := 0; lo < len(items); lo += chunkSize {
		hi := min(lo+chunkSize, len(items))
		out = append(out, items[lo:hi:hi])
	}
	return out
}

// Get returns the item with the id.
func (l *Layer[T]) Get(id string) (T, bool) {
	i, ok := l.byID[id]
	if !ok {
		var zero T
		return zero, false
	}
	return l.At(i), true
}

// Index returns the position of the item with the id, or -1.
func (l *Layer[T]) Index(id string) int {
	if i, ok := l.byID[id]; ok {
		return i
	}
	return -1
}

// Bound returns the bounding box of every item; the zero Bound when empty.
func (l *Layer[T]) Bound() orb.Bound { return l.bound }

// Version returns the layer's version.
func (l *Layer[T]) Version() uint64 { return l.version }

// Search calls fn with the index of every item whose bounding box meets b,
// in no particular order, until fn returns false.
func (l *Layer[T]) Search(b orb.Bound, fn func(i int) bool) {
	if l.entries == l.n {
		l.tree.Search([2]float64{b.Min[0], b.Min[1]}, [2]float64{b.Max[0], b.Max[1]},
			func(_, _ [2]float64, i int) bool { return fn(i) })
		return
	}
	l.tree.Search([2]float64{b.Min[0], b.Min[1]}, [2]float64{b.Max[0], b.Max[1]},
		func(min, max [2]float64, i int) bool { return !l.live(min, max, i) || fn(i) })
}

// Nearby calls fn with item indexes in increasing order of their bounding
// box's planar distance in degrees from pt, until fn returns false; degDist2
// is that distance squared (0 when the box holds pt). Callers that need
// metres re-rank by geodesic distance.
func (l *Layer[T]) Nearby(pt orb.Point, fn func(i int, degDist2 float64) bool) {
	target := [2]float64{pt[0], pt[1]}
	if l.entries == l.n {
		l.tree.Nearby(rtree.BoxDist[float64, int](target, target, nil),
			func(_, _ [2]float64, i int, dist float64) bool { return fn(i, dist) })
		return
	}
	l.tree.Nearby(rtree.BoxDist[float64, int](target, target, nil),
		func(min, max [2]float64, i int, dist float64) bool { return !l.live(min, max, i) || fn(i, dist) })
}
