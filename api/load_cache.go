package api

import "sync"

// loadCacheSize is how many load, congruence and reallocation results the
// load endpoints keep.
const loadCacheSize = 32

// loadCache keeps the last results of the load endpoints by key (the tags
// of the layers they read and their resolved options), computing each once
// even when requests for it arrive together. A failed computation is not
// kept.
type loadCache struct {
	mu    sync.Mutex
	order []string // oldest first
	byKey map[string]*loadEntry
}

type loadEntry struct {
	once sync.Once
	val  any
	err  error
}

func newLoadCache() *loadCache { return &loadCache{byKey: map[string]*loadEntry{}} }

// get returns the value for key, running compute when it is not cached.
func (c *loadCache) get(key string, compute func() (any, error)) (any, error) {
	c.mu.Lock()
	e, ok := c.byKey[key]
	if !ok {
		e = &loadEntry{}
		c.byKey[key] = e
		c.order = append(c.order, key)
		if len(c.order) > loadCacheSize {
			delete(c.byKey, c.order[0])
			c.order = c.order[1:]
		}
	}
	c.mu.Unlock()
	e.once.Do(func() { e.val, e.err = compute() })
	if e.err != nil {
		c.mu.Lock()
		if c.byKey[key] == e {
			delete(c.byKey, key)
			for i, k := range c.order {
				if k == key {
					c.order = append(c.order[:i], c.order[i+1:]...)
					break
				}
			}
		}
		c.mu.Unlock()
	}
	return e.val, e.err
}

// loadCached returns the value for key as a T, computing it when needed.
func loadCached[T any](c *loadCache, key string, compute func() (T, error)) (T, error) {
	v, err := c.get(key, func() (any, error) { return compute() })
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}
