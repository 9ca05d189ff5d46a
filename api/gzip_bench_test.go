package api

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"gridwatch/geo"
)

// BenchmarkItems_GzipCost serves a page of 100 grids of the default
// dataset plain (the baseline) and gzipped, 200 times each per iteration;
// x_plain is the gzipped time over the plain time, measured in the same
// run.
func BenchmarkItems_GzipCost(b *testing.B) {
	a := defaultAtlas(b)
	s := New(Options{Atlas: func() *geo.Atlas { return a }})
	target := "/collections/grids/items?limit=100"
	serve := func(enc string) time.Duration {
		start := time.Now()
		for range 200 {
			req := httptest.NewRequest(http.MethodGet, target, nil)
			if enc != "" {
				req.Header.Set("Accept-Encoding", enc)
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != enc {
				b.Fatalf("GET %s (%q): %d %q", target, enc, rec.Code, rec.Header().Get("Content-Encoding"))
			}
		}
		return time.Since(start)
	}
	serve("")
	b.ReportAllocs()
	var plain, gz time.Duration
	for b.Loop() {
		plain += serve("")
		gz += serve("gzip")
	}
	b.ReportMetric(float64(plain.Microseconds())/float64(200*b.N), "plain_us/page")
	b.ReportMetric(float64(gz.Microseconds())/float64(200*b.N), "gzip_us/page")
	b.ReportMetric(float64(gz)/float64(plain), "x_plain")
}
