package api

import "github.com/go-chi/chi/v5"

// dispatchRoutes adds the dispatcher's routes: nearest responders (one
// point or a batch), response-time gaps and grids, and the live position
// PATCH of a responder.
func (s *Server) dispatchRoutes(r chi.Router) {
	r.Get("/responders/nearest", s.handle(s.nearest))
	r.Post("/responders/nearest", s.handle(s.nearestBatch))
	r.Get("/response/gaps", s.handle(s.responseGaps))
	r.Get("/response/grids", s.handle(s.responseGrids))
	r.Patch("/collections/responders/items/{featureId}", s.handle(s.patchResponder))
}
