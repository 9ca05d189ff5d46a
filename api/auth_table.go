package api

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"gridwatch/geo"
)

// routeRule says who may call one route.
type routeRule struct {
	// Methods lists the methods, space-separated (GET covers HEAD).
	Methods string
	// Pattern is the chi route pattern; parameter names do not matter.
	Pattern string
	// Allow is the set of roles that may call it.
	Allow roleSet
	// ByCollection makes the {collectionId} decide instead of Allow:
	// reads of a restricted collection need an analyst, writes an admin
	// (a tracker may PATCH responders).
	ByCollection bool
	// Audit logs every call to the audit log (writes are always logged).
	Audit bool
	// Write marks a route that changes the dataset.
	Write bool
}

// restrictedCollections hold police data: their items need an analyst.
// They still appear in /collections, so that clients know they exist.
var restrictedCollections = map[string]bool{
	geo.LayerCameras: true, geo.LayerResponders: true, geo.LayerIncidents: true, "viewsheds": true,
}

// permissions is the route × role table. A route missing from it is
// refused to every role once tokens are configured (and a test fails).
// README.md shows the same table.
var permissions = []routeRule{
	{Methods: "GET", Pattern: "/readyz", Allow: everyone},

	{Methods: "GET", Pattern: "/", Allow: viewers},
	{Methods: "GET", Pattern: "/conformance", Allow: viewers},
	{Methods: "GET", Pattern: "/openapi.json", Allow: viewers},
	{Methods: "GET", Pattern: "/api.html", Allow: viewers},
	{Methods: "GET", Pattern: "/healthz", Allow: viewers},
	{Methods: "GET", Pattern: "/map", Allow: everyone}, // the page holds no data; it asks for a token
	{Methods: "GET", Pattern: "/map/*", Allow: everyone},
	{Methods: "GET", Pattern: "/collections", Allow: viewers},
	{Methods: "GET", Pattern: "/collections/{}", Allow: viewers},
	{Methods: "GET", Pattern: "/collections/{}/schema", Allow: viewers},
	{Methods: "GET", Pattern: "/collections/{}/items", ByCollection: true},
	{Methods: "GET", Pattern: "/collections/{}/items/{}", ByCollection: true},
	{Methods: "GET", Pattern: "/coverage/grids", Allow: viewers},
	{Methods: "GET", Pattern: "/coverage/summary", Allow: viewers},
	{Methods: "GET", Pattern: "/coverage/gaps", Allow: viewers},
	{Methods: "GET", Pattern: "/coverage/hotspots", Allow: viewers},
	{Methods: "GET", Pattern: "/load/grids", Allow: viewers},
	{Methods: "GET", Pattern: "/load/summary", Allow: viewers},
	{Methods: "GET", Pattern: "/load/congruence", Allow: viewers},
	{Methods: "GET", Pattern: "/response/grids", Allow: viewers},
	{Methods: "GET", Pattern: "/response/gaps", Allow: viewers},
	{Methods: "GET", Pattern: "/route", Allow: viewers},      // roads only, no police points
	{Methods: "GET", Pattern: "/isochrones", Allow: viewers}, // roads, settlements and grids
	{Methods: "GET", Pattern: "/stations/{}/isochrones", Allow: viewers},

	{Methods: "GET", Pattern: "/cameras/{}/viewshed", Allow: analysts, Audit: true},
	{Methods: "GET POST", Pattern: "/responders/nearest", Allow: analysts, Audit: true},
	{Methods: "GET POST", Pattern: "/load/reallocate", Allow: analysts},
	{Methods: "GET POST", Pattern: "/coverage/placement", Allow: analysts},
	{Methods: "GET POST", Pattern: "/coverage/scenario", Allow: analysts},
	{Methods: "GET POST", Pattern: "/coverage/repairs", Allow: analysts},
	{Methods: "GET", Pattern: "/metrics", Allow: analysts},

	{Methods: "PATCH", Pattern: "/collections/responders/items/{}", Allow: trackers, Write: true},

	{Methods: "PUT POST", Pattern: "/collections/{}/items", Allow: admins, Write: true},
	{Methods: "PATCH", Pattern: "/collections/{}/items/{}", ByCollection: true, Write: true},
	{Methods: "DELETE", Pattern: "/collections/{}/items/{}", Allow: admins, Write: true},
}

// permissionTable indexes the rules by method and normalised pattern.
type permissionTable map[string]*routeRule

func newPermissionTable(rules []routeRule) permissionTable {
	t := permissionTable{}
	for i := range rules {
		for _, m := range strings.Fields(rules[i].Methods) {
			t[m+" "+normalizePattern(rules[i].Pattern)] = &rules[i]
		}
	}
	return t
}

// normalizePattern replaces every {parameter} with {} and drops a
// trailing slash, so that rules do not depend on parameter names.
func normalizePattern(p string) string {
	var b strings.Builder
	depth := 0
	for _, c := range p {
		switch {
		case c == '{':
			if depth == 0 {
				b.WriteString("{}")
			}
			depth++
		case c == '}':
			depth--
		case depth == 0:
			b.WriteRune(c)
		}
	}
	out := b.String()
	if len(out) > 1 {
		out = strings.TrimSuffix(out, "/")
	}
	return out
}

// routeMatch is what the router would do with a request.
type routeMatch struct {
	// Pattern is the route pattern, "" when no route matches the method
	// and path.
	Pattern string
	// Collection is the {collectionId} of a /collections/ route.
	Collection string
	// Rule is the route's permission rule; nil when it has none.
	Rule *routeRule
}

// matchRoute finds the route a request will reach, without serving it.
func (s *Server) matchRoute(r *http.Request) routeMatch {
	rctx := chi.RouteContext(r.Context())
	if rctx == nil || rctx.Routes == nil {
		return routeMatch{}
	}
	path := rctx.RoutePath
	if path == "" {
		path = r.URL.RawPath
		if path == "" {
			path = r.URL.Path
		}
	}
	method := r.Method
	if rctx.RouteMethod != "" {
		method = rctx.RouteMethod
	}
	if method == http.MethodHead {
		method = http.MethodGet
	}
	tmp := chi.NewRouteContext()
	pattern := rctx.Routes.Find(tmp, method, path)
	if pattern == "" && method != r.Method {
		pattern = rctx.Routes.Find(chi.NewRouteContext(), r.Method, path)
	}
	m := routeMatch{Pattern: pattern}
	if pattern == "" {
		return m
	}
	norm := normalizePattern(pattern)
	if strings.HasPrefix(norm, "/collections/{}") && len(tmp.URLParams.Values) > 0 {
		m.Collection = tmp.URLParams.Values[0]
	}
	m.Rule = s.sec.table[method+" "+norm]
	return m
}

// allowed returns the roles that may make the request matched by m.
func (m routeMatch) allowed(method string) roleSet {
	if m.Rule == nil {
		return 0
	}
	if !m.Rule.ByCollection {
		return m.Rule.Allow
	}
	switch {
	case method == http.MethodPatch && m.Collection == geo.LayerResponders:
		return trackers&^bitLocal | admins
	case m.Rule.Write:
		return admins
	case restrictedCollections[m.Collection]:
		return analysts
	}
	return viewers
}

// audited reports whether calls matched by m go to the audit log.
func (m routeMatch) audited() bool {
	if m.Rule == nil {
		return false
	}
	return m.Rule.Audit || m.Rule.Write || (m.Rule.ByCollection && restrictedCollections[m.Collection])
}
