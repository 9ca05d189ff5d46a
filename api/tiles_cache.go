package api

import (
	"container/list"
	"sync"
)

// encodedTile is a tile as served: its MVT bytes and their gzip (nil for
// an empty tile).
type encodedTile struct {
	raw, gz []byte
}

// tileCache keeps encoded tiles by ETag, least recently used first out,
// within a byte budget. The ETag holds the versions of what the tile read,
// so a write makes new keys and the old tiles age out unused.
type tileCache struct {
	mu    sync.Mutex
	max   int
	size  int
	order *list.List // of *tileEntry, most recent at the front
	index map[string]*list.Element
}

type tileEntry struct {
	key  string
	tile encodedTile
}

func newTileCache(maxBytes int) *tileCache {
	return &tileCache{max: maxBytes, order: list.New(), index: map[string]*list.Element{}}
}

func (e *tileEntry) bytes() int { return len(e.key) + len(e.tile.raw) + len(e.tile.gz) + 64 }

// get returns the tile cached under key.
func (c *tileCache) get(key string) (encodedTile, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.index[key]
	if !ok {
		return encodedTile{}, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*tileEntry).tile, true
}

// put caches a tile under key, evicting the least recently used tiles
// beyond the budget. A tile larger than the budget is not kept.
func (c *tileCache) put(key string, t encodedTile) {
	e := &tileEntry{key: key, tile: t}
	if e.bytes() > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.index[key]; ok {
		c.size -= el.Value.(*tileEntry).bytes()
		c.order.Remove(el)
	}
	c.index[key] = c.order.PushFront(e)
	c.size += e.bytes()
	for c.size > c.max {
		last := c.order.Back()
		old := last.Value.(*tileEntry)
		c.order.Remove(last)
		delete(c.index, old.key)
		c.size -= old.bytes()
	}
}

// len returns the number of cached tiles.
func (c *tileCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.index)
}
