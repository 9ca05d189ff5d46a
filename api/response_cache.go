package api

import (
	"sync"

	"gridwatch/coverage"
)

// responseCacheSize is how many response-time analyses are kept.
const responseCacheSize = 8

// responseCache keeps the last analyses by key (the versions of the layers
// they read, the options and the reference time), computing each once even
// when requests for it arrive together.
type responseCache struct {
	mu    sync.Mutex
	order []string // oldest first
	byKey map[string]*responseEntry
}

type responseEntry struct {
	once sync.Once
	res  *coverage.ResponseCoverage
	err  error
}

func newResponseCache() *responseCache {
	return &responseCache{byKey: map[string]*responseEntry{}}
}

// get returns the analysis for key, running compute when it is not cached.
// A failed analysis is not kept.
func (c *responseCache) get(key string, compute func() (*coverage.ResponseCoverage, error)) (*coverage.ResponseCoverage, error) {
	c.mu.Lock()
	e, ok := c.byKey[key]
	if !ok {
		e = &responseEntry{}
		c.byKey[key] = e
		c.order = append(c.order, key)
		if len(c.order) > responseCacheSize {
			delete(c.byKey, c.order[0])
			c.order = c.order[1:]
		}
	}
	c.mu.Unlock()
	e.once.Do(func() { e.res, e.err = compute() })
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
	return e.res, e.err
}
