package route

// item is a node with its tentative key.
type item struct {
	key  float64
	node int32
}

// minHeap is a binary heap of items by key; stale items are skipped by
// the caller (lazy deletion).
type minHeap []item

func (h *minHeap) push(key float64, node int32) {
	*h = append(*h, item{key, node})
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if s[p].key <= s[i].key {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
}

func (h *minHeap) pop() item {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= len(s) {
			break
		}
		m := l
		if r := l + 1; r < len(s) && s[r].key < s[l].key {
			m = r
		}
		if s[i].key <= s[m].key {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}

func (h minHeap) minKey() float64 { return h[0].key }
