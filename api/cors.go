package api

import "net/http"

// CORS headers: any origin may read the API (it serves no cookies); the
// request headers a map front-end sends are allowed and the caching and
// paging headers exposed.
const (
	corsAllowHeaders  = "Authorization, Content-Type, If-None-Match, If-Match"
	corsExposeHeaders = "ETag, Link, X-Request-Id"
	corsAllowMethods  = "GET, HEAD, OPTIONS"
	corsMaxAge        = "86400"
)

// cors adds the CORS headers to every response and answers every OPTIONS
// request (a preflight or not) with 204.
func (s *Server) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
		if r.Method == http.MethodOptions {
			h.Set("Access-Control-Allow-Methods", corsAllowMethods)
			h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
			h.Set("Access-Control-Max-Age", corsMaxAge)
			h.Set("Allow", corsAllowMethods)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
