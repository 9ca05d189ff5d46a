package api

import (
	"context"
	"net/http"
	"time"

	"gridwatch/geo"
)

// readyDoc reports whether the server can take traffic.
type readyDoc struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

// readyTimeout bounds the store's ping.
const readyTimeout = 2 * time.Second

// LiveStore is a Store whose Ping fails exactly while it cannot take
// writes (a shared database whose connection it watches, as the PostGIS
// replica does): readiness then follows Ping alone, so that a replica is
// ready again as soon as the database is back, before any write succeeds.
type LiveStore interface {
	Store
	// PingIsLive marks the store.
	PingIsLive()
}

// readyz serves GET /readyz: 200 when the server can answer reads and
// take writes (a dataset is loaded; the store, when there is one, answers
// and its last commit succeeded), else a 503 problem naming what is not
// ready. Unlike /healthz it needs no token, says nothing about the data,
// and checks the store.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r.URL.Query()); err != nil {
		return err
	}
	doc := readyDoc{Status: "ready", Checks: map[string]string{"dataset": "ok"}}
	var failed []string
	if s.atlas() == nil {
		doc.Checks["dataset"] = "not loaded"
		failed = append(failed, "no dataset is loaded")
	}
	if c := s.sec.writes; c != nil && c.store != nil {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		doc.Checks["store"] = "ok"
		if err := c.store.Ping(ctx); err != nil {
			doc.Checks["store"] = "not answering"
			failed = append(failed, "the store does not answer")
			s.logger(r.Context()).Error("readiness: store ping failed", "err", err)
		} else if _, live := c.store.(LiveStore); c.failing.Load() && !live {
			doc.Checks["store"] = "last commit failed"
			failed = append(failed, "the last commit to the store failed")
		}
	}
	if len(failed) > 0 {
		return geo.Errorf(geo.Unavailable, "not ready: %s", orNone(failed))
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, mediaJSON, doc)
}
