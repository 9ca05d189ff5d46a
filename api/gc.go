package api

import (
	"os"
	"runtime/debug"
	rtmetrics "runtime/metrics"
)

// ServerGCPercent is the garbage collector's target (GOGC) a server runs
// with unless the environment sets GOGC. A server's heap is mostly its
// atlas, which lives as long as the process; at Go's default of 100 the
// collector marks the whole atlas again every time requests have
// allocated as much as it holds, and each mark takes a core's share from
// the requests for a while (about 100 ms at scale 20, whose heap is about
// 140 MB). At 400 it marks a quarter as often, for a heap of up to five
// times the live heap (docs/response.md has the measurements).
const ServerGCPercent = 400

// SetServerGC sets the collector's target to ServerGCPercent unless GOGC
// is set in the environment, and returns the target in force (-1 when
// collection is off).
func SetServerGC() int {
	if v, ok := os.LookupEnv("GOGC"); ok && v != "" {
		return gcPercent()
	}
	debug.SetGCPercent(ServerGCPercent)
	return ServerGCPercent
}

// gcPercent reads the collector's target without changing it.
func gcPercent() int {
	s := []rtmetrics.Sample{{Name: "/gc/gogc:percent"}}
	rtmetrics.Read(s)
	if s[0].Value.Kind() != rtmetrics.KindUint64 {
		return -1
	}
	return int(int64(s[0].Value.Uint64())) // off reads as the all-ones word: -1
}
