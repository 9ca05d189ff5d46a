package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"gridwatch/geo"
)

// guard runs in front of every route: it authenticates the request,
// applies the rate limit, checks the route × role table and the request
// limits, sets the request's deadline, marks restricted answers private,
// logs audited requests, and counts every answer in the metrics.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		m := s.matchRoute(r)
		gw := &guardWriter{ResponseWriter: w}
		defer func() { s.sec.metrics.observe(m.Pattern, r.Method, gw.code(), time.Since(start)) }()

		p, err := s.authenticate(r)
		if err != nil {
			// A failed login counts against the client address's rate
			// (guessing tokens is rate-limited like any request without
			// one) and goes to the audit log.
			if rerr := s.checkRate(gw, r, principal{Role: roleAnonymous}); rerr != nil {
				s.auditAuthFailure(r, m, StatusOf(geo.ErrorCode(rerr)), err)
				s.writeError(gw, r, rerr)
				return
			}
			s.auditAuthFailure(r, m, StatusOf(geo.ErrorCode(err)), err)
			s.refuse(gw, r, err)
			return
		}
		r = r.WithContext(withPrincipal(r.Context(), p))
		if !s.demo() {
			// Answers depend on the Authorization header: caches must keep
			// them apart, and answers to a token are the token holder's.
			gw.Header().Add("Vary", "Authorization, Accept-Encoding")
			gw.private = p.Token || !m.allowed(r.Method).has(roleAnonymous) && !viewersPublic(s, m, r.Method)
		} else if restricted := m.Rule != nil && !m.allowed(r.Method).has(RoleViewer); restricted {
			gw.private = true
		}
		if err := s.checkRate(gw, r, p); err != nil {
			s.writeError(gw, r, err)
			return
		}
		serve := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.admit(next, w, r, m, p) })
		if m.audited() {
			// Refused attempts at police data are logged too.
			s.audit(serve, gw, r, m, p)
			return
		}
		serve.ServeHTTP(gw, r)
	})
}

// admit checks the route × role table and the request limits, then serves
// the request under its deadline and body limit.
func (s *Server) admit(next http.Handler, w http.ResponseWriter, r *http.Request, m routeMatch, p principal) {
	if err := s.authorize(r, m, p); err != nil {
		s.refuse(w, r, err)
		return
	}
	if err := s.checkRequestLimits(r, m); err != nil {
		s.writeError(w, r, err)
		return
	}
	release, ok := s.admitAnalysis(w, r, m, p)
	if !ok {
		return
	}
	defer release()
	ctx, cancel := context.WithTimeout(r.Context(), s.sec.limits.Timeout)
	defer cancel()
	r = r.WithContext(ctx)
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = http.MaxBytesReader(w, r.Body, s.sec.limits.MaxBodyBytes)
	}
	next.ServeHTTP(w, r)
}

// viewersPublic reports whether anonymous requests get the route's answer
// as viewers (--public-viewer), so that the answer is not private.
func viewersPublic(s *Server, m routeMatch, method string) bool {
	return s.sec.publicViewer && m.allowed(method).has(RoleViewer)
}

// refuse answers an authentication or authorization failure; a 401 names
// the scheme to use (RFC 6750).
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, err error) {
	if geo.ErrorCode(err) == geo.Unauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="gridwatch"`)
	}
	s.writeError(w, r, err)
}

// guardWriter records the status and size of an answer and makes
// restricted answers private to their caller.
type guardWriter struct {
	http.ResponseWriter
	status  int
	bytes   int64
	private bool
}

func (w *guardWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// WriteHeader implements http.ResponseWriter.
func (w *guardWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
		if w.private {
			makePrivate(w.Header())
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

// Write implements http.ResponseWriter.
func (w *guardWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Flush implements http.Flusher.
func (w *guardWriter) Flush() {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *guardWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// makePrivate turns the Cache-Control of an answer into a private one: no
// shared cache may keep it. no-store stays as it is.
func makePrivate(h http.Header) {
	cc := h.Get("Cache-Control")
	if strings.Contains(cc, "no-store") || strings.Contains(cc, "private") {
		return
	}
	var keep []string
	for _, d := range strings.Split(cc, ",") {
		d = strings.TrimSpace(d)
		name, _, _ := strings.Cut(strings.ToLower(d), "=")
		if d == "" || name == "public" || name == "s-maxage" {
			continue
		}
		keep = append(keep, d)
	}
	h.Set("Cache-Control", strings.Join(append([]string{"private"}, keep...), ", "))
}
