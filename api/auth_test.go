package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// routeClass is one class of route in the route × role table, with a
// request that stands for it.
type routeClass struct {
	name, method, target string
	body                 string
	contentType          string
}

const newPlace = `{"type":"Feature","id":"p99","geometry":{"type":"Point","coordinates":[106.005,37.405]},"properties":{"name":"New school","kind":"school"}}`

const trackerPatch = `{"geometry":{"type":"Point","coordinates":[106.011,37.411]},"properties":{"available":true,"updated":"2024-06-01T09:00:00Z"}}`

var routeClasses = []routeClass{
	{name: "public", method: "GET", target: "/readyz"},
	{name: "viewer landing", method: "GET", target: "/"},
	{name: "viewer collections", method: "GET", target: "/collections"},
	{name: "viewer restricted description", method: "GET", target: "/collections/cameras"},
	{name: "viewer items", method: "GET", target: "/collections/grids/items"},
	{name: "viewer item", method: "GET", target: "/collections/grids/items/g1"},
	{name: "viewer health", method: "GET", target: "/healthz"},
	{name: "viewer openapi", method: "GET", target: "/openapi.json"},
	{name: "analyst cameras", method: "GET", target: "/collections/cameras/items"},
	{name: "analyst responder", method: "GET", target: "/collections/responders/items/r1"},
	{name: "analyst incidents", method: "GET", target: "/collections/incidents/items?limit=2"},
	{name: "analyst metrics", method: "GET", target: "/metrics"},
	{name: "tracker position", method: "PATCH", target: "/collections/responders/items/r1", body: trackerPatch, contentType: mediaMergePatch},
	{name: "admin add", method: "POST", target: "/collections/places/items", body: newPlace, contentType: mediaGeoJSON},
	{name: "admin delete", method: "DELETE", target: "/collections/places/items/p1"},
}

// allowedFor returns the role classes that may call a route class.
func allowedFor(class string) []string {
	switch {
	case class == "public":
		return []string{"anonymous", "viewer", "analyst", "tracker", "admin"}
	case strings.HasPrefix(class, "viewer"):
		return []string{"viewer", "analyst", "admin"}
	case strings.HasPrefix(class, "analyst"):
		return []string{"analyst", "admin"}
	case strings.HasPrefix(class, "tracker"):
		return []string{"tracker", "admin"}
	}
	return []string{"admin"}
}

func TestAuth_EachRoleAgainstEachClassOfRoute(t *testing.T) {
	t.Parallel()
	callers := []struct{ name, secret string }{
		{"anonymous", ""}, {"viewer", viewerSecret}, {"analyst", analystSecret},
		{"tracker", trackerSecret}, {"admin", adminSecret}, {"expired", expiredSecret}, {"wrong", "not-a-token-at-all-000"},
	}
	for _, rc := range routeClasses {
		for _, c := range callers {
			t.Run(rc.name+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				ss := newSecureServer(t, nil)
				before := ss.versions()
				rec := call(t, ss, rc.method, rc.target, c.secret, bodyOf(rc.body), "Content-Type", rc.contentType)
				allowed := contains(allowedFor(rc.name), c.name)
				switch {
				case c.name == "expired" || c.name == "wrong" || (c.name == "anonymous" && !allowed):
					p := requireProblem(t, rec, http.StatusUnauthorized)
					require.Equal(t, geo.Unauthorized, p.Code)
					require.Contains(t, rec.Header().Get("WWW-Authenticate"), "Bearer")
				case !allowed:
					p := requireProblem(t, rec, http.StatusForbidden)
					require.Equal(t, geo.Forbidden, p.Code)
				default:
					require.Less(t, rec.Code, 300, rec.Body.String())
					require.GreaterOrEqual(t, rec.Code, 200, rec.Body.String())
				}
				if !allowed || c.name == "expired" || c.name == "wrong" {
					require.Equal(t, before, ss.versions(), "a refused request changes nothing")
					require.Zero(t, ss.store.count())
				}
			})
		}
	}
}

func bodyOf(s string) []byte {
	if s == "" {
		return nil
	}
	return []byte(s)
}

func TestAuth_PublicViewerGivesAnonymousTheViewerRole(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, func(o *Options) { o.PublicViewer = true })
	rec := call(t, ss, "GET", "/collections/grids/items", "", nil)
	require.Equal(t, http.StatusOK, rec.Code)
	require.NotContains(t, rec.Header().Get("Cache-Control"), "private", "a public answer may be cached")
	requireProblem(t, call(t, ss, "GET", "/collections/cameras/items", "", nil), http.StatusForbidden)
	requireProblem(t, call(t, ss, "GET", "/collections/grids/items", "wrong-token-0000000000", nil), http.StatusUnauthorized)
}

func TestAuth_LocalDemoReadsEverythingAndWritesNothing(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, func(o *Options) { o.Tokens = nil })
	for _, rc := range routeClasses {
		t.Run(rc.name, func(t *testing.T) {
			rec := call(t, ss, rc.method, rc.target, "", bodyOf(rc.body), "Content-Type", rc.contentType)
			if rc.method == http.MethodGet {
				require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
				return
			}
			requireProblem(t, rec, http.StatusForbidden)
		})
	}
	require.Zero(t, ss.store.count())
}

func TestAuth_RestrictedCollectionsAreListedButTheirItemsRefused(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	rec := call(t, ss, "GET", "/collections", viewerSecret, nil)
	require.Equal(t, http.StatusOK, rec.Code)
	doc := decode[collectionsDoc](t, rec)
	var ids []string
	for _, c := range doc.Collections {
		ids = append(ids, c.ID)
	}
	for name := range restrictedCollections {
		if _, ok := ss.atlasNow().Layer(name); ok {
			require.Contains(t, ids, name)
			requireProblem(t, call(t, ss, "GET", "/collections/"+name+"/items", viewerSecret, nil), http.StatusForbidden)
		}
	}
}

func TestAuth_RestrictedAnswersArePrivateAndVaryOnAuthorization(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	for _, target := range []string{"/collections/cameras/items", "/collections/grids/items", "/collections"} {
		rec := call(t, ss, "GET", target, analystSecret, nil)
		require.Equal(t, http.StatusOK, rec.Code)
		require.Contains(t, rec.Header().Get("Cache-Control"), "private", target)
		vary := strings.Join(rec.Header().Values("Vary"), ", ")
		require.Contains(t, vary, "Authorization", target)
		require.Contains(t, vary, "Accept-Encoding", target)
	}
}

func TestAuth_ETagIncludesTheRole(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	viewer := call(t, ss, "GET", "/collections/grids/items", viewerSecret, nil)
	analyst := call(t, ss, "GET", "/collections/grids/items", analystSecret, nil)
	require.NotEmpty(t, viewer.Header().Get("ETag"))
	require.NotEqual(t, viewer.Header().Get("ETag"), analyst.Header().Get("ETag"))
	rec := call(t, ss, "GET", "/collections/grids/items", analystSecret, nil, "If-None-Match", viewer.Header().Get("ETag"))
	require.Equal(t, http.StatusOK, rec.Code, "another role's ETag does not match")
	rec = call(t, ss, "GET", "/collections/grids/items", viewerSecret, nil, "If-None-Match", viewer.Header().Get("ETag"))
	require.Equal(t, http.StatusNotModified, rec.Code)
}

func TestAuth_TokensReloadWithoutRestart(t *testing.T) {
	t.Parallel()
	tokens := NewTokens(testTokenSet())
	ss := newSecureServer(t, func(o *Options) { o.Tokens = tokens })
	require.Equal(t, http.StatusOK, call(t, ss, "GET", "/collections", viewerSecret, nil).Code)
	tokens.Store(NewTokenSet(NewToken(RoleViewer, "new", "brand-new-secret-000000", time.Time{})))
	requireProblem(t, call(t, ss, "GET", "/collections", viewerSecret, nil), http.StatusUnauthorized)
	require.Equal(t, http.StatusOK, call(t, ss, "GET", "/collections", "brand-new-secret-000000", nil).Code)
}

func TestAuth_MalformedAuthorizationIs401(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	for _, h := range []string{"Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", viewerSecret} {
		req := call(t, ss, "GET", "/collections", "", nil, "Authorization", h)
		requireProblem(t, req, http.StatusUnauthorized)
	}
}

// TestAuth_EveryRouteIsInThePermissionTable walks the router: a route
// without a rule would be refused to everyone once tokens are configured.
func TestAuth_EveryRouteIsInThePermissionTable(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	mux, ok := ss.handler.(chi.Routes)
	require.True(t, ok)
	var missing []string
	require.NoError(t, chi.Walk(mux, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodHead || method == http.MethodOptions {
			return nil
		}
		if ss.sec.table[method+" "+normalizePattern(route)] == nil {
			missing = append(missing, method+" "+route)
		}
		return nil
	}))
	require.Empty(t, missing, "add these routes to permissions in api/auth_table.go and to the README's table")
}

func TestAuth_RouteMissingFromTheTableIsRefused(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	r := httpRequestWithRoute(t, ss, "GET", "/collections")
	m := ss.matchRoute(r)
	require.NotNil(t, m.Rule)
	m.Rule = nil // as for a route nobody added to the table
	require.Error(t, ss.authorize(r, m, principal{Name: "ada", Role: RoleAdmin, Token: true}))
}

// httpRequestWithRoute returns a request routed as the server's router
// would see it (with chi's route context).
func httpRequestWithRoute(t *testing.T, ss *secureServer, method, target string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, target, nil)
	require.NoError(t, err)
	rctx := chi.NewRouteContext()
	rctx.Routes = ss.handler.(chi.Routes)
	return req.WithContext(context.WithValue(req.Context(), chi.RouteCtxKey, rctx))
}

func TestRedactCount_ViewersSeeSmallCountsAsLessThan3(t *testing.T) {
	t.Parallel()
	tests := []struct {
		role Role
		n    int
		want any
	}{
		{RoleViewer, 0, 0}, {RoleViewer, 1, "<3"}, {RoleViewer, 2, "<3"}, {RoleViewer, 3, 3}, {RoleViewer, 40, 40},
		{RoleAnalyst, 1, 1}, {RoleAdmin, 2, 2}, {roleLocal, 1, 1},
	}
	for _, tt := range tests {
		ctx := withPrincipal(context.Background(), principal{Role: tt.role})
		require.Equal(t, tt.want, redactCount(ctx, tt.n), "%s %d", tt.role, tt.n)
		require.Equal(t, tt.role != RoleViewer, seesCameraIDs(ctx), tt.role)
	}
	require.True(t, exactCounts(context.Background()), "no authentication (a direct call) is the local demo")
}

func TestNormalizePattern_IgnoresParameterNames(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"/collections/{collectionId}/items/{featureId}": "/collections/{}/items/{}",
		"/cameras/{id:[a-z]+}/viewshed":                 "/cameras/{}/viewshed",
		"/map/*":                                        "/map/*",
		"/":                                             "/",
		"/collections/":                                 "/collections",
	}
	for in, want := range tests {
		require.Equal(t, want, normalizePattern(in), in)
	}
}

// Finding 14: wrong or expired tokens were not counted against any rate
// and left no trace. They now count against the client address's rate
// (429 beyond it) and each goes to the audit log.
func TestAuth_FailedLoginsAreRateLimitedAndAudited(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, func(o *Options) { o.Limits.RatePerMinute = 5 })
	for i := range 5 {
		secret := "wrong-secret-" + strconv.Itoa(i)
		if i == 4 {
			secret = expiredSecret
		}
		requireProblem(t, call(t, ss, http.MethodGet, "/collections", secret, nil), http.StatusUnauthorized)
	}
	p := requireProblem(t, call(t, ss, http.MethodGet, "/collections", "wrong-again", nil), http.StatusTooManyRequests)
	require.Equal(t, "rate", p.Limit)
	// The address is over its rate for requests without a token too.
	requireProblem(t, call(t, ss, http.MethodGet, "/readyz", "", nil), http.StatusTooManyRequests)
	// A valid token has its own rate.
	require.Equal(t, http.StatusOK, call(t, ss, http.MethodGet, "/collections", viewerSecret, nil).Code)

	var failed int
	for _, line := range strings.Split(strings.TrimSpace(ss.audit.String()), "\n") {
		var e map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &e), line)
		if e["msg"] == "auth_failed" {
			failed++
			require.NotEmpty(t, e["remote"])
			require.NotEmpty(t, e["request_id"])
			require.NotContains(t, line, "wrong-secret", "the presented secret is not logged")
		}
	}
	require.Equal(t, 6, failed)
}
