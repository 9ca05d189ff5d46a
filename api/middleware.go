package api

import (
	"context"
	"fmt"
	"net/http"
	"runtime/debug"
	"time"

	"gridwatch/geo"
)

type (
	loggerKey          struct{}
	requestIDKey       struct{}
	clientRequestIDKey struct{}
)

// requestIDHeader carries the request id in both directions.
const requestIDHeader = "X-Request-Id"

// requestID returns the request id stored in ctx, or "".
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// clientRequestID returns the X-Request-Id the client sent, when it is a
// sane token, or "".
func clientRequestID(ctx context.Context) string {
	id, _ := ctx.Value(clientRequestIDKey{}).(string)
	return id
}

// withRequestID gives every request an id of the server's own, sends it
// in the response's X-Request-Id and stores it, with a logger that prints
// it on every line, in the context. A client's X-Request-Id (a sane token)
// is kept beside it as client_request_id, never as the request id: a
// client must not choose, or repeat, the id the audit log files its
// requests under.
func (s *Server) withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := fmt.Sprintf("%s-%06d", s.epoch[:8], s.requestSeq.Add(1))
		w.Header().Set(requestIDHeader, id)
		ctx := context.WithValue(r.Context(), requestIDKey{}, id)
		log := s.log.With("request_id", id)
		if cid := r.Header.Get(requestIDHeader); validRequestID(cid) {
			ctx = context.WithValue(ctx, clientRequestIDKey{}, cid)
			log = log.With("client_request_id", cid)
		}
		ctx = context.WithValue(ctx, loggerKey{}, log)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests writes one log line per request when it ends.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		s.logger(r.Context()).Info("request",
			"method", r.Method, "path", r.URL.Path, "query", r.URL.RawQuery,
			"status", status, "bytes", sw.bytes,
			"duration_ms", float64(time.Since(start).Microseconds())/1000,
			"remote", r.RemoteAddr)
	})
}

// recoverPanics turns a panic in a handler into a 500 problem (when nothing
// has been written yet) and logs it with its stack.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.logger(r.Context()).Error("panic", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if sw.status == 0 {
				s.writeError(sw, r, &geo.Error{Code: geo.Internal, Message: "panic", Err: fmt.Errorf("%v", v)})
			}
		}()
		next.ServeHTTP(sw, r)
	})
}
