package main

import (
	"net/http"
	"sync/atomic"
	"time"
)

// serverTiming wraps the server's handler and times the nearest queries
// inside the server, to tell the server's share of a latency from the
// network's, the load generator's and the operating system's.
type serverTiming struct {
	next http.Handler
	cur  atomic.Pointer[series]
}

func (t *serverTiming) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	t.next.ServeHTTP(w, r)
	if r.Method == http.MethodGet && r.URL.Path == "/responders/nearest" {
		if s := t.cur.Load(); s != nil {
			s.record(time.Since(start), nil)
		}
	}
}

// reset starts a new series.
func (t *serverTiming) reset() { t.cur.Store(newSeries()) }

// summary returns the current series' figures over a phase of length d.
func (t *serverTiming) summary(d time.Duration) streamReport {
	if s := t.cur.Load(); s != nil {
		return s.summary(d)
	}
	return streamReport{}
}
