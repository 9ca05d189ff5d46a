package api

import (
	"net/http"
	"slices"
)

// CORS headers. With tokens any origin may read the API (it serves no
// cookies, and a page has no token unless its user gives it one). The
// local demo (no tokens) answers every read without credentials, so any
// web page its user visits could read it through the browser: it shares
// its answers with the origins of Options.CORSOrigins (--cors-origin) and
// no other. The request headers a map front-end sends are allowed and the
// caching and paging headers exposed.
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
		if !s.demo() {
			h.Set("Access-Control-Allow-Origin", "*")
		} else {
			h.Add("Vary", "Origin")
			if o := r.Header.Get("Origin"); o != "" && slices.Contains(s.corsOrigins, o) {
				h.Set("Access-Control-Allow-Origin", o)
			}
		}
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
