package api

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// auditNote collects what a handler reports about a request for the audit
// log: how many features it wrote or returned and which ids it changed.
type auditNote struct {
	mu    sync.Mutex
	layer string
	items int
	ids   []string
	// outcome is what became of a write: applied, dry_run, refused or
	// not_applied (withdrawn at its deadline, or the store failed).
	outcome string
}

type auditKey struct{}

// maxAuditIDs caps the ids listed on one audit line.
const maxAuditIDs = 20

// noteAudit records, for the audit log, that the request touched n items
// of layer (ids lists some of them). It does nothing for requests that are
// not audited.
func noteAudit(ctx context.Context, layer string, n int, ids ...string) {
	a, ok := ctx.Value(auditKey{}).(*auditNote)
	if !ok {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.layer = layer
	a.items += n
	for _, id := range ids {
		if len(a.ids) == maxAuditIDs {
			break
		}
		a.ids = append(a.ids, id)
	}
}

// noteOutcome records, for the audit log, what became of the request's
// write.
func noteOutcome(ctx context.Context, outcome string) {
	a, ok := ctx.Value(auditKey{}).(*auditNote)
	if !ok {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.outcome = outcome
}

// audit logs one audited request when it ends: who (the token's name and
// role), what (method, route, path, parameters) and the result (status,
// bytes, items).
func (s *Server) audit(next http.Handler, w *guardWriter, r *http.Request, m routeMatch, p principal) {
	note := &auditNote{}
	start := time.Now()
	next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), auditKey{}, note)))
	note.mu.Lock()
	defer note.mu.Unlock()
	attrs := []any{
		slog.String("request_id", requestID(r.Context())),
		slog.String("token", p.Name), slog.String("role", string(p.Role)),
		slog.String("method", r.Method), slog.String("route", m.Pattern), slog.String("path", r.URL.Path),
		slog.String("query", r.URL.RawQuery), slog.String("remote", r.RemoteAddr),
		slog.Int("status", w.code()), slog.Int64("bytes", w.bytes),
		slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
	}
	if cid := clientRequestID(r.Context()); cid != "" {
		attrs = append(attrs, slog.String("client_request_id", cid))
	}
	if m.Collection != "" {
		attrs = append(attrs, slog.String("collection", m.Collection))
	}
	if note.layer != "" {
		attrs = append(attrs, slog.String("layer", note.layer))
	}
	if note.items > 0 || note.layer != "" {
		attrs = append(attrs, slog.Int("items", note.items))
	}
	if len(note.ids) > 0 {
		attrs = append(attrs, slog.Any("ids", note.ids))
	}
	kind := "read"
	if m.Rule != nil && m.Rule.Write {
		kind = "write"
		if note.outcome == "" && w.code() >= 400 {
			note.outcome = "refused" // before it reached the write pipeline
		}
	}
	if note.outcome != "" {
		attrs = append(attrs, slog.String("outcome", note.outcome))
	}
	s.sec.audit.Info(kind, attrs...)
}

// auditAuthFailure logs a request whose credentials were refused (a wrong,
// expired or malformed token), whatever its route, with the client's
// address: repeated failures are how a token is guessed.
func (s *Server) auditAuthFailure(r *http.Request, m routeMatch, status int, err error) {
	attrs := []any{
		slog.String("request_id", requestID(r.Context())), slog.String("outcome", "refused"),
		slog.String("method", r.Method), slog.String("route", m.Pattern), slog.String("path", r.URL.Path),
		slog.String("remote", r.RemoteAddr), slog.Int("status", status), slog.String("reason", err.Error()),
	}
	if cid := clientRequestID(r.Context()); cid != "" {
		attrs = append(attrs, slog.String("client_request_id", cid))
	}
	s.sec.audit.Info("auth_failed", attrs...)
}
