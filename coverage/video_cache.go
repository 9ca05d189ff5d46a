package coverage

import (
	"context"
	"sync"

	"gridwatch/geo"
)

// DefaultVideoCacheSize is the number of coverages a VideoCache keeps when
// NewVideoCache is given 0.
const DefaultVideoCacheSize = 4

// VideoCache keeps the most recent coverages, keyed by the layers they read
// (cameras, grids, settlements, places, incidents: the layer values, which
// are immutable, so a layer rebuilt from scratch with a restarted version
// is still told apart) and their resolution. A write to any other layer,
// such as a stream of responder positions, keeps every entry. A coverage
// for an atlas whose cameras alone changed is derived from a cached one
// with Video.Update, which recomputes only the grids the changed cameras'
// viewsheds touch. Concurrent requests for the same key share one
// computation. Variants and windows need no key: a Video answers for both
// variants and any window.
type VideoCache struct {
	mu      sync.Mutex
	size    int
	entries []*videoEntry // most recently used first
}

type videoKey struct {
	cameras, grids, settlements, places, incidents any
	res                                            int
}

type videoEntry struct {
	key  videoKey
	done chan struct{}
	v    *Video
	err  error
	// waiters counts the requests waiting for the computation (guarded
	// by the cache's mu); when the last gives up, cancel stops it.
	waiters   int
	cancel    context.CancelFunc
	cancelled bool
}

// NewVideoCache returns a cache of size coverages (DefaultVideoCacheSize
// when size is 0 or less).
func NewVideoCache(size int) *VideoCache {
	if size <= 0 {
		size = DefaultVideoCacheSize
	}
	return &VideoCache{size: size}
}

func keyOf(a *geo.Atlas, res int) videoKey {
	return videoKey{cameras: a.Cameras, grids: a.Grids, settlements: a.Settlements, places: a.Places,
		incidents: a.Incidents, res: res}
}

// Get returns the coverage of a at resolution res (0 means
// DefaultVideoResolution), computing it when no cached one fits. Waiting for a
// computation another request started stops when ctx ends.
func (c *VideoCache) Get(ctx context.Context, a *geo.Atlas, res int) (*Video, error) {
	if res == 0 {
		res = DefaultVideoResolution
	}
	if err := CheckVideoResolution(res); err != nil {
		return nil, err
	}
	k := keyOf(a, res)
	c.mu.Lock()
	for i, e := range c.entries {
		if e.key == k && !e.cancelled {
			c.touch(i)
			e.waiters++
			c.mu.Unlock()
			return c.wait(ctx, e)
		}
	}
	base := c.base(k)
	// The computation belongs to every request waiting on it: it is not
	// cancelled with the request that started it, only when every waiting
	// request has given up.
	cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	e := &videoEntry{key: k, done: make(chan struct{}), waiters: 1, cancel: cancel}
	c.entries = append([]*videoEntry{e}, c.entries...)
	if len(c.entries) > c.size {
		c.entries = c.entries[:c.size]
	}
	c.mu.Unlock()

	go func() {
		defer cancel()
		if base != nil {
			e.v, e.err = base.Update(a)
		} else {
			e.v, e.err = NewVideoContext(cctx, a, VideoOptions{Resolution: res})
		}
		close(e.done)
		if e.err != nil {
			c.drop(e)
		}
	}()
	return c.wait(ctx, e)
}

// wait waits for e on behalf of one request that counted itself in
// e.waiters; the last to give up stops the computation.
func (c *VideoCache) wait(ctx context.Context, e *videoEntry) (*Video, error) {
	v, err := e.wait(ctx)
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
	return v, err
}

// base returns a finished coverage that differs from key k in its cameras
// only, or nil. The caller holds c.mu.
func (c *VideoCache) base(k videoKey) *Video {
	for _, e := range c.entries {
		select {
		case <-e.done:
		default:
			continue
		}
		o := e.key
		if e.err == nil && o.res == k.res && o.grids == k.grids && o.settlements == k.settlements &&
			o.places == k.places && o.incidents == k.incidents {
			return e.v
		}
	}
	return nil
}

func (c *VideoCache) touch(i int) {
	e := c.entries[i]
	copy(c.entries[1:i+1], c.entries[:i])
	c.entries[0] = e
}

func (c *VideoCache) drop(e *videoEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, x := range c.entries {
		if x == e {
			c.entries = append(c.entries[:i], c.entries[i+1:]...)
			return
		}
	}
}

func (e *videoEntry) wait(ctx context.Context) (*Video, error) {
	select {
	case <-e.done:
		return e.v, e.err
	default:
	}
	select {
	case <-e.done:
		return e.v, e.err
	case <-ctx.Done():
		return nil, &geo.Error{Code: geo.Unavailable, Message: "coverage is still being computed", Err: ctx.Err()}
	}
}
