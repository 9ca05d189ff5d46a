package api

import (
	"context"
	"fmt"
	"sync"

	"gridwatch/geo"
)

// resultCache keeps the last results of an analysis endpoint by key (the
// tags of the layers they read and their resolved options), computing each
// once even when requests for it arrive together (they share one
// computation). A computation belongs to every request waiting for it: it
// runs under a context of its own, cancelled when every waiting request
// has given up. A failed or cancelled computation is not kept.
type resultCache struct {
	mu    sync.Mutex
	size  int
	order []string // oldest first
	byKey map[string]*resultEntry
}

type resultEntry struct {
	done      chan struct{}
	val       any
	err       error
	waiters   int // guarded by the cache's mu
	cancel    context.CancelFunc
	cancelled bool
}

// newResultCache returns a cache of the size last results.
func newResultCache(size int) *resultCache {
	return &resultCache{size: size, byKey: map[string]*resultEntry{}}
}

// get returns the value for key, running compute when it is not cached;
// waiting stops when ctx ends (a geo.Unavailable error wrapping ctx's).
func (c *resultCache) get(ctx context.Context, key string, compute func(context.Context) (any, error)) (any, error) {
	c.mu.Lock()
	e, ok := c.byKey[key]
	if ok && e.cancelled {
		c.remove(key, e)
		ok = false
	}
	if !ok {
		cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		e = &resultEntry{done: make(chan struct{}), cancel: cancel}
		c.byKey[key] = e
		c.order = append(c.order, key)
		if len(c.order) > c.size {
			delete(c.byKey, c.order[0])
			c.order = c.order[1:]
		}
		go func() {
			defer cancel()
			defer func() {
				if p := recover(); p != nil {
					e.err = &geo.Error{Code: geo.Internal, Message: fmt.Sprintf("the analysis failed: %v", p)}
					close(e.done)
					c.mu.Lock()
					c.remove(key, e)
					c.mu.Unlock()
				}
			}()
			e.val, e.err = compute(cctx)
			close(e.done)
			if e.err != nil {
				c.mu.Lock()
				c.remove(key, e)
				c.mu.Unlock()
			}
		}()
	}
	e.waiters++
	c.mu.Unlock()

	var val any
	var err error
	select {
	case <-e.done:
		val, err = e.val, e.err
	case <-ctx.Done():
		err = &geo.Error{Code: geo.Unavailable, Message: "the analysis is still being computed", Err: ctx.Err()}
	}
	c.mu.Lock()
	e.waiters--
	if e.waiters == 0 && ctx.Err() != nil {
		select {
		case <-e.done:
		default:
			e.cancelled = true
			e.cancel()
		}
	}
	c.mu.Unlock()
	return val, err
}

// remove drops key's entry when it is e. The caller holds c.mu.
func (c *resultCache) remove(key string, e *resultEntry) {
	if c.byKey[key] != e {
		return
	}
	delete(c.byKey, key)
	for i, k := range c.order {
		if k == key {
			c.order = append(c.order[:i], c.order[i+1:]...)
			break
		}
	}
}

// cached returns the value for key as a T, computing it when needed (see
// resultCache.get).
func cached[T any](ctx context.Context, c *resultCache, key string, compute func(context.Context) (T, error)) (T, error) {
	v, err := c.get(ctx, key, func(ctx context.Context) (any, error) { return compute(ctx) })
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}
