package coverage_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

func TestVideoCache_KeysOnTheLayersCoverageReads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := vidAtlas(t, true)
	c := coverage.NewVideoCache(0)
	v, err := c.Get(ctx, a, 0)
	require.NoError(t, err)
	require.Equal(t, coverage.DefaultVideoResolution, v.Resolution())
	again, err := c.Get(ctx, a, coverage.DefaultVideoResolution)
	require.NoError(t, err)
	require.Same(t, v, again, "a repeated request is served from the cache")

	// Responder positions are another layer: the cached coverage stays.
	resp, err := a.WithLayer(geo.LayerResponders, nil)
	require.NoError(t, err)
	r, err := c.Get(ctx, resp, 0)
	require.NoError(t, err)
	require.Same(t, v, r)

	// A camera write derives a new coverage, equal to a full recomputation.
	c1, _ := a.Cameras.Get("c1")
	moved := *c1
	moved.BearingDeg = 180
	next, err := a.Apply(geo.LayerCameras, []geo.Feature{&moved}, nil)
	require.NoError(t, err)
	n, err := c.Get(ctx, next, 0)
	require.NoError(t, err)
	require.NotSame(t, v, n)
	w := vidWindow(t, a)
	requireSameVideo(t, "camera write", mustVideo(t, next), n, w)

	// Another resolution is another entry.
	r11, err := c.Get(ctx, a, 11)
	require.NoError(t, err)
	require.Equal(t, 11, r11.Resolution())
	_, err = c.Get(ctx, a, 8)
	require.Equal(t, geo.Invalid, geo.ErrorCode(err))
}

func TestVideoCache_ConcurrentRequestsShareOneComputation(t *testing.T) {
	t.Parallel()
	a := vidAtlas(t, true)
	c := coverage.NewVideoCache(2)
	var wg sync.WaitGroup
	got := make([]*coverage.Video, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.Get(context.Background(), a, 0)
			require.NoError(t, err)
			got[i] = v
		}()
	}
	wg.Wait()
	for _, v := range got {
		require.Same(t, got[0], v)
	}
	// A cancelled wait on a computation already done still returns it.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	v, err := c.Get(ctx, a, 0)
	require.NoError(t, err)
	require.Same(t, got[0], v)
}
