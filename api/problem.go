package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"gridwatch/geo"
)

// Media types of the responses.
const (
	mediaJSON    = "application/json"
	mediaGeoJSON = "application/geo+json"
	mediaProblem = "application/problem+json"
	mediaHTML    = "text/html; charset=utf-8"
	mediaOpenAPI = "application/vnd.oai.openapi+json;version=3.0"
)

// problemTypePrefix starts the type URI of every problem; the error code
// ends it.
const problemTypePrefix = "urn:gridwatch:problem:"

// problem is an RFC 9457 problem details object.
type problem struct {
	Type      string   `json:"type"`
	Title     string   `json:"title"`
	Status    int      `json:"status"`
	Detail    string   `json:"detail,omitempty"`
	Instance  string   `json:"instance,omitempty"`
	Code      geo.Code `json:"code"`
	RequestID string   `json:"request_id,omitempty"`
	// ClientRequestID is the client's X-Request-Id, kept apart.
	ClientRequestID string        `json:"client_request_id,omitempty"`
	Limit           string        `json:"limit,omitempty"`
	Max             int64         `json:"max,omitempty"`
	Errors          []geo.Problem `json:"errors,omitempty"`
}

// codeStatus maps every error code to its HTTP status and title; it is the
// only place that does.
var codeStatus = map[geo.Code]struct {
	status int
	title  string
}{
	geo.Invalid:          {http.StatusBadRequest, "Invalid request"},
	geo.Unauthorized:     {http.StatusUnauthorized, "Unauthorized"},
	geo.Forbidden:        {http.StatusForbidden, "Forbidden"},
	geo.NotFound:         {http.StatusNotFound, "Not found"},
	geo.Conflict:         {http.StatusConflict, "Conflict"},
	geo.Precondition:     {http.StatusPreconditionFailed, "Precondition failed"},
	geo.TooLarge:         {http.StatusRequestEntityTooLarge, "Too large"},
	geo.RateLimited:      {http.StatusTooManyRequests, "Too many requests"},
	geo.Unavailable:      {http.StatusServiceUnavailable, "Service unavailable"},
	geo.StoreUnavailable: {http.StatusServiceUnavailable, "Store unavailable"},
	geo.Internal:         {http.StatusInternalServerError, "Internal error"},
}

// StatusOf returns the HTTP status of an error code (500 for an unknown one).
func StatusOf(code geo.Code) int {
	if cs, ok := codeStatus[code]; ok {
		return cs.status
	}
	return http.StatusInternalServerError
}

// handlerFunc is a handler that returns its error to the adapter.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handlerFunc: a returned error is written as a problem.
func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	}
}

// writeError writes err as problem+json and logs it.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	err = s.asLimitError(r, err)
	code := geo.ErrorCode(err)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		code = geo.Unavailable
	}
	cs, ok := codeStatus[code]
	if !ok {
		code, cs = geo.Internal, codeStatus[geo.Internal]
	}
	p := problem{
		Type: problemTypePrefix + string(code), Title: cs.title, Status: cs.status,
		Code: code, Instance: r.URL.Path, RequestID: requestID(r.Context()), ClientRequestID: clientRequestID(r.Context()),
	}
	var ge *geo.Error
	switch {
	case code == geo.Internal:
		p.Detail = "an internal error occurred; the server log has the details under the request id"
	case errors.As(err, &ge):
		p.Detail = ge.Message
		if p.Detail == "" || ge.Err != nil {
			p.Detail = ge.Error()
		}
		p.Errors, p.Limit, p.Max = ge.Problems, ge.Limit, ge.Max
	default:
		p.Detail = err.Error()
	}
	s.noteRefusal(p.Limit)
	log := s.logger(r.Context())
	if cs.status >= 500 {
		log.Error("request failed", "status", cs.status, "code", code, "err", err)
	} else {
		log.Info("request refused", "status", cs.status, "code", code, "err", err)
	}
	s.writeProblem(w, p)
}

// writeProblem writes p with its status.
func (s *Server) writeProblem(w http.ResponseWriter, p problem) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(p); err != nil {
		http.Error(w, p.Title, p.Status)
		return
	}
	h := w.Header()
	h.Del("ETag")
	h.Set("Content-Type", mediaProblem)
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_, _ = w.Write(buf.Bytes())
}

// notFound answers routes that do not exist.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, geo.Errorf(geo.NotFound, "no route %s", r.URL.Path))
}

// methodNotAllowed answers a known route asked with a method it lacks.
func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", "GET, HEAD, OPTIONS")
	s.logger(r.Context()).Info("request refused", "status", http.StatusMethodNotAllowed, "method", r.Method)
	s.writeProblem(w, problem{
		Type: problemTypePrefix + "method_not_allowed", Title: "Method not allowed",
		Status: http.StatusMethodNotAllowed, Code: "method_not_allowed",
		Detail:   "method " + r.Method + " is not allowed here; use GET, HEAD or OPTIONS",
		Instance: r.URL.Path, RequestID: requestID(r.Context()), ClientRequestID: clientRequestID(r.Context()),
	})
}

// logger returns the request's logger, which carries its request id.
func (s *Server) logger(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok {
		return l
	}
	return s.log
}
