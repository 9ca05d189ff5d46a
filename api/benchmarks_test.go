package api

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// benchmarkGet measures GET target on a server over the fixture with n
// incidents, after one warming request.
func benchmarkGet(b *testing.B, n int, target string) {
	s, _ := newTestServer(b, n)
	if rec := get(b, s, target); rec.Code != http.StatusOK {
		b.Fatalf("GET %s: %d %s", target, rec.Code, rec.Body.String())
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	}
}

func BenchmarkItems_Page1000(b *testing.B) {
	benchmarkGet(b, 10_000, "/collections/incidents/items?limit=1000&offset=5000")
}

func BenchmarkItems_BBox(b *testing.B) {
	benchmarkGet(b, 10_000, "/collections/incidents/items?bbox=106.002,37.402,106.006,37.406")
}

func BenchmarkItems_FilterAndDatetime(b *testing.B) {
	benchmarkGet(b, 10_000, "/collections/incidents/items?source=110&datetime=2024-06-01T00:00:00Z/..")
}

func BenchmarkCollections(b *testing.B) {
	benchmarkGet(b, 10_000, "/collections")
}
