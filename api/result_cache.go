package api

import "sync"

// resultCache keeps the last results of an analysis endpoint by key (the
// tags of the layers they read and their resolved options), computing each
// once even when requests for it arrive together. A failed computation is
// not kept.
type resultCache struct {
	mu    sync.Mutex
	size  int
	order []string // oldest first
	byKey map[string]*resultEntry
}

type resultEntry struct {
	once sync.Once
	val  any
	err  error
}

// newResultCache returns a cache of the size last results.
func newResultCache(size int) *resultCache {
	return &resultCache{size: size, byKey: map[string]*resultEntry{}}
}

// get returns the value for key, running compute when it is not cached.
func (c *resultCache) get(key string, compute func() (any, error)) (any, error) {
	c.mu.Lock()
	e, ok := c.byKey[key]
	if !ok {
		e = &resultEntry{}
		c.byKey[key] = e
		c.order = append(c.order, key)
		if len(c.order) > c.size {
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

// cached returns the value for key as a T, computing it when needed.
func cached[T any](c *resultCache, key string, compute func() (T, error)) (T, error) {
	v, err := c.get(key, func() (any, error) { return compute() })
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}
