package api

import (
	"context"
	"net/http"
	"strings"

	"gridwatch/geo"
)

// principal is who made a request: the token's name and role.
type principal struct {
	// Name is the token's name ("" without a token).
	Name string
	// Role is the token's role, roleAnonymous without a token, or
	// roleLocal in the local demo.
	Role Role
	// Token is true when the request carried a valid token.
	Token bool
	// Responders are the responder ids a tracker token is bound to
	// (none: any responder).
	Responders []string
}

type principalKey struct{}

// withPrincipal stores p in ctx.
func withPrincipal(ctx context.Context, p principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// principalOf returns the principal of a request context; a context that
// went through no authentication (a handler called directly in a test) is
// the local demo's.
func principalOf(ctx context.Context) principal {
	if p, ok := ctx.Value(principalKey{}).(principal); ok {
		return p
	}
	return principal{Role: roleLocal}
}

// callerRole returns the caller's role, part of every ETag so that callers
// who see different data never share a cached response.
func callerRole(ctx context.Context) string { return string(principalOf(ctx).Role) }

// exactCounts reports whether the caller sees exact small counts and camera
// ids in aggregate answers (the /coverage/* endpoints): analysts, admins
// and the local demo do; viewers see counts below 3 as "<3" and no camera
// ids (see redactCount).
func exactCounts(ctx context.Context) bool {
	return analysts.has(principalOf(ctx).Role)
}

// seesCameraIDs reports whether the caller may see camera ids in aggregate
// answers; it is the same rule as exactCounts.
func seesCameraIDs(ctx context.Context) bool { return exactCounts(ctx) }

// smallCountLimit is the smallest count shown exactly to viewers.
const smallCountLimit = 3

// redactedCount is what a viewer sees instead of a count below 3.
const redactedCount = "<3"

// redactCount returns n for callers who see exact counts, and for the rest
// n itself when it is 0 or at least 3, else "<3". Coverage handlers encode
// the result in place of the number.
func redactCount(ctx context.Context, n int) any {
	if exactCounts(ctx) || n == 0 || n >= smallCountLimit {
		return n
	}
	return redactedCount
}

// redacted reports whether redactCount hides n from the caller.
func redacted(ctx context.Context, n int) bool {
	_, hidden := redactCount(ctx, n).(string)
	return hidden
}

// demo reports whether the server runs as the local demo: no tokens
// configured.
func (s *Server) demo() bool { return s.sec.tokens == nil }

// authenticate finds the request's principal from its Authorization
// header. Without tokens configured everyone is the local demo's
// principal; with them a missing token is anonymous (a viewer with
// --public-viewer) and a wrong or expired one is an Unauthorized error.
func (s *Server) authenticate(r *http.Request) (principal, error) {
	if s.demo() {
		return principal{Role: roleLocal}, nil
	}
	h := r.Header.Get("Authorization")
	if h == "" {
		if s.sec.publicViewer {
			return principal{Role: RoleViewer}, nil
		}
		return principal{Role: roleAnonymous}, nil
	}
	scheme, secret, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
		return principal{}, geo.Errorf(geo.Unauthorized, "the Authorization header must be \"Bearer <token>\"")
	}
	t, err := s.sec.tokens.Load().Lookup(strings.TrimSpace(secret), s.now())
	if err != nil {
		return principal{}, err
	}
	return principal{Name: t.Name, Role: t.Role, Token: true, Responders: t.Responders}, nil
}

// authorize checks the principal against the route's rule.
func (s *Server) authorize(r *http.Request, m routeMatch, p principal) error {
	allowed := m.allowed(r.Method)
	if m.Pattern != "" && m.Rule == nil && !s.demo() {
		s.logger(r.Context()).Warn("route missing from the permission table; refused", "route", m.Pattern, "method", r.Method)
	}
	switch {
	case m.Pattern == "":
		// No such route (404 or 405 follows): only callers who may do
		// something learn that.
		if p.Role == roleAnonymous {
			return errNoToken()
		}
		return nil
	case allowed.has(p.Role):
		return nil
	case p.Role == roleAnonymous:
		return errNoToken()
	case p.Role == roleLocal:
		return geo.Errorf(geo.Forbidden, "this server is a local demo without tokens: it refuses every write (start it with --tokens FILE to accept writes from admin tokens)")
	}
	return geo.Errorf(geo.Forbidden, "the %s role may not %s %s (allowed: %s)", p.Role, r.Method, r.URL.Path, orNone(roleNames(allowed.roles())))
}

func errNoToken() error {
	return geo.Errorf(geo.Unauthorized, "this server needs a bearer token (Authorization: Bearer <token>)")
}

func roleNames(rs []Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}
