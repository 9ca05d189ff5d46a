package api

import (
	"os"
	"runtime/debug"
)

// ServerGCPercent is the garbage collector's target (GOGC) a server runs
// with unless the environment sets GOGC. A server's heap is mostly its
// atlas, which lives as long as the process; at Go's default of 100 the
// collector marks the whole atlas again every time requests have
// allocated as much as it holds, and each mark takes a core's share from
// the requests for a while (about 100 ms at scale 20, whose heap is about
// 140 MB). At 400 it marks a quarter as often, for a heap of up to five
// times the atlas (docs/response.md has the measurements).
const ServerGCPercent = 400

// SetServerGC sets the collector's target to ServerGCPercent unless GOGC
// is set in the environment, and returns the target in force.
func SetServerGC() int {
	if v, ok := os.LookupEnv("GOGC"); ok && v != "" {
		old := debug.SetGCPercent(100)
		debug.SetGCPercent(old)
		return old
	}
	debug.SetGCPercent(ServerGCPercent)
	return ServerGCPercent
}
