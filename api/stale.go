package api

import (
	"net/http"
	"strconv"
	"time"
)

// SnapshotAgeHeader is set on every response while the server cannot
// reach its shared store: the seconds since its snapshot was last known
// to be current. Reads go on from that snapshot; writes are refused.
const SnapshotAgeHeader = "Gridwatch-Snapshot-Age"

// staleHeader sets SnapshotAgeHeader while stale says so.
func staleHeader(h http.Handler, stale func() (time.Duration, bool)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if age, ok := stale(); ok {
			w.Header().Set(SnapshotAgeHeader, strconv.FormatInt(int64(age/time.Second), 10))
		}
		h.ServeHTTP(w, r)
	})
}
