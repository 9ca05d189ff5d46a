package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// wrkReport is wrk 4.1's report of a run with --latency.
const wrkReport = `Running 10s test @ http://127.0.0.1:40000
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.32ms    3.01ms  48.52ms   94.48%
    Req/Sec     7.05k     1.10k    9.31k    70.50%
  Latency Distribution
     50%  635.00us
     75%    1.02ms
     90%    2.10ms
     99%   24.22ms
  140311 requests in 10.00s, 150.00MB read
Requests/sec:  14027.55
Transfer/sec:     15.00MB
`

func TestParseWrk(t *testing.T) {
	r, err := parseWrk(wrkReport)
	require.NoError(t, err)
	require.InDelta(t, 14027.55, r.rps, 1e-9)
	require.Equal(t, 635*time.Microsecond, r.p50)
	require.Equal(t, 24220*time.Microsecond, r.p99)

	_, err = parseWrk(wrkReport + "  Non-2xx or 3xx responses: 12\n")
	require.ErrorContains(t, err, "Non-2xx")
	_, err = parseWrk("unable to connect to 127.0.0.1:1 Connection refused\n")
	require.Error(t, err)
	require.Equal(t, 1020*time.Millisecond, wrkDuration("1.02s"))
}
