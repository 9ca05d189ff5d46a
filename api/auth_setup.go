package api

import (
	"io"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/httprate"

	"gridwatch/geo"
)

// security is a server's credentials, limits, metrics, audit log and
// write pipeline.
type security struct {
	tokens       *Tokens // nil: the local demo
	publicViewer bool
	limits       Limits
	limiter      *httprate.RateLimiter
	analyses     *analysisGate
	table        permissionTable
	metrics      *metrics
	audit        *slog.Logger
	writes       *committer // nil: the server does not write
	// durable is true when writes go to a store; without one the write
	// pipeline takes responder patches alone (live positions, in memory).
	durable bool
	// positionLinger is how long a responder patch waits to share its
	// group.
	positionLinger time.Duration
}

// newSecurity sets up the security of a server from its options. It
// panics on a wiring mistake (a store without a way to publish).
func newSecurity(s *Server, opt Options) *security {
	sec := &security{
		tokens:       opt.Tokens,
		publicViewer: opt.PublicViewer,
		limits:       opt.Limits.withDefaults(),
		table:        newPermissionTable(append(slices.Clone(permissions), tilePermissions(permissions)...)),
		metrics:      newMetrics(s.atlas),
		audit:        opt.Audit,
	}
	sec.limiter = newRateLimiter(sec.limits.RatePerMinute)
	sec.analyses = newAnalysisGate(sec.limits.MaxAnalyses, sec.limits.MaxAnalysesPerClient)
	if sec.audit == nil {
		sec.audit = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	sec.positionLinger = opt.PositionLinger
	if sec.positionLinger == 0 {
		sec.positionLinger = DefaultPositionLinger
	}
	sec.positionLinger = min(max(sec.positionLinger, 0), maxLinger)
	publish := opt.Publish
	if publish == nil && opt.Holder != nil {
		publish = opt.Holder.Store
	}
	if opt.Store != nil && publish == nil {
		panic("api: Options.Store is set but neither Options.Publish nor Options.Holder is")
	}
	if publish != nil {
		sec.durable = opt.Store != nil
		sec.writes = newCommitter(committerOptions{
			store: opt.Store, current: s.atlas, publish: publish, prepare: s.disp.prepareWrite,
			metrics: sec.metrics, log: s.log, linger: opt.CommitLinger,
		})
	}
	return sec
}

// securityRoutes adds the routes of this part of the API: /readyz,
// /metrics and, when the server writes, the write routes (without a
// durable store they refuse every write but a responder's PATCH, which
// has its own route).
func (s *Server) securityRoutes(r chi.Router) {
	r.Get("/readyz", s.handle(s.readyz))
	r.Get("/metrics", s.handle(s.serveMetrics))
	if s.sec.writes != nil {
		s.writeRoutes(r)
		return
	}
	noStore := s.handle(func(http.ResponseWriter, *http.Request) error { return errNoStore })
	r.Put("/collections/{collectionId}/items", noStore)
	r.Post("/collections/{collectionId}/items", noStore)
	r.Delete("/collections/{collectionId}/items/{featureId}", noStore)
}

// errNoStore refuses a write to a server without a durable store.
var errNoStore = geo.Errorf(geo.Forbidden, "this server keeps no durable store, so it takes no writes: start it with --data DIR")

// Close stops the server's write pipeline after the writes in flight; it
// does not close the store. A server without a store has nothing to stop.
func (s *Server) Close() error {
	if s.sec.writes != nil {
		s.sec.writes.close()
	}
	return nil
}
