package api

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// newDefaultLimitedServer serves the default dataset (the floor tests'
// atlas) with the test tokens and edited limits.
func newDefaultLimitedServer(t *testing.T, edit func(*Limits)) *Server {
	t.Helper()
	_, a := defaultFloorServer(t)
	l := DefaultLimits()
	edit(&l)
	return New(Options{Atlas: func() *geo.Atlas { return a }, Tokens: NewTokens(testTokenSet()), Limits: l})
}

// Finding 5: analyses ran past --timeout (7-10 s with 2 s). Each now stops
// at the deadline with 503 timeout, and its computation is cancelled once
// no request waits for it.
func TestLimits_AnalysesStopAtTheDeadline(t *testing.T) {
	t.Parallel()
	const timeout = 300 * time.Millisecond
	srv := newDefaultLimitedServer(t, func(l *Limits) { l.Timeout = timeout })
	for _, tc := range []struct{ method, target, body string }{
		{http.MethodGet, "/coverage/grids?resolution=13", ""},
		{http.MethodGet, "/response/gaps?threshold_s=61&resolution=10&scope=district", ""},
		{http.MethodPost, "/coverage/placement", `{"budget": 5, "camera": {"type": "fixed", "fov_deg": 90, "range_m": 80}}`},
	} {
		t.Run(tc.target, func(t *testing.T) {
			start := time.Now()
			var body []byte
			if tc.body != "" {
				body = []byte(tc.body)
			}
			rec := call(t, srv, tc.method, tc.target, analystSecret, body, "Content-Type", "application/json")
			took := time.Since(start)
			require.Less(t, took, timeout+2*time.Second, "answered long after the deadline")
			if rec.Code == http.StatusOK {
				return // answered in time (from a cache): nothing to stop
			}
			p := requireProblem(t, rec, http.StatusServiceUnavailable)
			require.Equal(t, "timeout", p.Limit)
		})
	}
}

// Identical concurrent requests share one computation; it runs under its
// own context, cancelled when every waiting request has given up.
func TestResultCache_SharesAndCancels(t *testing.T) {
	t.Parallel()
	c := newResultCache(4)
	var runs atomic.Int32
	release := make(chan struct{})
	compute := func(ctx context.Context) (any, error) {
		runs.Add(1)
		select {
		case <-release:
			return 42, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			v, err := c.get(context.Background(), "k", compute)
			require.NoError(t, err)
			require.Equal(t, 42, v)
		})
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	require.EqualValues(t, 1, runs.Load(), "one computation for five requests")

	cancelled := make(chan struct{})
	slow := func(ctx context.Context) (any, error) {
		<-ctx.Done()
		close(cancelled)
		return nil, ctx.Err()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.get(ctx, "slow", slow)
	require.Equal(t, geo.Unavailable, geo.ErrorCode(err))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the computation went on with no one waiting")
	}
}

// Expensive analyses run under a bound per client (429) and per server
// (503); a cost estimate refuses, up front, a response analysis that
// would need too many cells, naming the resolution.
func TestLimits_AnalysesBounded(t *testing.T) {
	t.Parallel()
	g := newAnalysisGate(2, 1)
	r1, err := g.enter("a")
	require.NoError(t, err)
	_, err = g.enter("a")
	require.Equal(t, geo.RateLimited, geo.ErrorCode(err))
	r2, err := g.enter("b")
	require.NoError(t, err)
	_, err = g.enter("c")
	require.Equal(t, geo.Unavailable, geo.ErrorCode(err))
	r1()
	r3, err := g.enter("c")
	require.NoError(t, err)
	r2()
	r3()

	srv := newDefaultLimitedServer(t, func(l *Limits) { l.Timeout = 3 * time.Second; l.MaxAnalysesPerClient = 1 })
	done := make(chan int)
	go func() {
		done <- call(t, srv, http.MethodGet, "/response/gaps?threshold_s=62&resolution=10&scope=district", analystSecret, nil).Code
	}()
	time.Sleep(300 * time.Millisecond)
	rec := call(t, srv, http.MethodGet, "/response/grids?threshold_s=63&resolution=10&scope=district", analystSecret, nil)
	p := requireProblem(t, rec, http.StatusTooManyRequests)
	require.Equal(t, "analyses_per_client", p.Limit)
	require.NotEmpty(t, rec.Header().Get("Retry-After"))
	<-done

	rec = call(t, srv, http.MethodGet, "/response/gaps?resolution=11&scope=district", analystSecret, nil)
	p = requireProblem(t, rec, http.StatusBadRequest)
	require.Equal(t, "query_cost", p.Limit)
	require.Equal(t, "resolution", p.Errors[0].Field)
}
