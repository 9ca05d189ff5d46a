package api

import (
	"github.com/klauspost/compress/gzip"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// compressible lists the media types worth compressing.
var compressible = map[string]bool{
	mediaJSON: true, mediaGeoJSON: true, mediaProblem: true, "text/html": true,
	"application/vnd.oai.openapi+json": true, "application/schema+json": true,
	"text/javascript": true, "text/css": true,
}

// gzipResponses compresses compressible responses for clients that accept
// gzip. Every response varies on Accept-Encoding, and on Accept because the
// format of a resource follows it.
func (s *Server) gzipResponses(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept, Accept-Encoding")
		if r.Method == http.MethodHead || !acceptsGzip(r.Header.Get("Accept-Encoding")) {
			next.ServeHTTP(w, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w, s: s}
		defer gw.close()
		next.ServeHTTP(gw, r)
	})
}

// acceptsGzip reports whether an Accept-Encoding header admits gzip.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "x-gzip" && name != "*" {
			continue
		}
		return qValue(params) > 0
	}
	return false
}

// qValue returns the q parameter of a header element's parameters (1 when
// absent or malformed).
func qValue(params string) float64 {
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return 1
			}
			return q
		}
	}
	return 1
}

// gzipWriter decides at the first write whether to compress: only for a
// compressible content type, a status with a body, and no encoding set.
type gzipWriter struct {
	http.ResponseWriter
	s       *Server
	decided bool
	gz      *gzip.Writer
}

func (w *gzipWriter) decide(status int) {
	if w.decided {
		return
	}
	w.decided = true
	h := w.Header()
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if status < 200 || status == http.StatusNoContent || status == http.StatusNotModified ||
		h.Get("Content-Encoding") != "" || !compressible[mt] {
		return
	}
	h.Set("Content-Encoding", "gzip")
	h.Del("Content-Length")
	gz, _ := w.s.gzips.Get().(*gzip.Writer)
	if gz == nil {
		gz, _ = gzip.NewWriterLevel(w.ResponseWriter, gzip.DefaultCompression)
	} else {
		gz.Reset(w.ResponseWriter)
	}
	w.gz = gz
}

func (w *gzipWriter) WriteHeader(status int) {
	w.decide(status)
	w.ResponseWriter.WriteHeader(status)
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	if !w.decided {
		w.WriteHeader(http.StatusOK)
	}
	if w.gz == nil {
		return w.ResponseWriter.Write(b)
	}
	return w.gz.Write(b)
}

// Flush flushes the compressed stream and the connection.
func (w *gzipWriter) Flush() {
	if w.gz != nil {
		_ = w.gz.Flush()
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *gzipWriter) close() {
	if w.gz == nil {
		return
	}
	_ = w.gz.Close()
	w.gz.Reset(io.Discard)
	w.s.gzips.Put(w.gz)
	w.gz = nil
}
