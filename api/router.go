package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// routes builds the router: request id, logging, CORS, gzip and panic
// recovery around every route, including the 404 and 405 answers.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.withRequestID, s.logRequests, s.cors, s.gzipResponses, s.recoverPanics,
		middleware.StripSlashes, middleware.GetHead, s.guard)
	r.NotFound(s.notFound)
	r.MethodNotAllowed(s.methodNotAllowed)

	r.Get("/", s.handle(s.landing))
	r.Get("/conformance", s.handle(s.conformance))
	r.Get("/openapi.json", s.handle(s.openapi))
	r.Get("/api.html", s.handle(s.apiDoc))
	r.Get("/healthz", s.handle(s.healthz))
	r.Get("/collections", s.handle(s.collections))
	r.Get("/collections/{collectionId}", s.handle(s.collection))
	r.Get("/collections/{collectionId}/schema", s.handle(s.collectionSchema))
	r.Get("/collections/{collectionId}/queryables", s.handle(s.queryables))
	r.Get("/collections/{collectionId}/items", s.handle(s.items))
	r.Get("/collections/{collectionId}/items/{featureId}", s.handle(s.item))
	s.securityRoutes(r)
	s.tiles = newTileState()
	analyses := handlerRecorder{Router: r, gets: s.tiles.handlers} // their tiles ask them
	s.dispatchRoutes(analyses)
	s.roadRoutes(r)
	s.loadRoutes(analyses)
	s.coverageRoutes(analyses)
	s.planningRoutes(r)
	s.tileRoutes(r)
	r.Get("/map", s.handle(s.mapPage))
	r.Get("/map/*", s.handle(s.mapAsset))
	return r
}
