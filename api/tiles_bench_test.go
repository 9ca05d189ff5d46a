package api

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/maptile/tilecover"

	"gridwatch/geo"
)

// BenchmarkTiles_District draws a whole layer of the default dataset the
// two ways a map can: every tile covering the district at zoom 11 (cold:
// each tile encoded; warm: from the tile cache), against the baseline of
// one items page with every feature as GeoJSON, measured in the same run.
// x_items is the tile time over the items time.
func BenchmarkTiles_District(b *testing.B) {
	a := defaultAtlas(b)
	for _, layer := range []string{"grids", "incidents"} {
		b.Run(layer, func(b *testing.B) {
			l, _ := a.Layer(layer)
			tiles, err := tilecover.Geometry(l.Bound(), 11)
			if err != nil {
				b.Fatal(err)
			}
			serve := func(s http.Handler, targets []string) time.Duration {
				start := time.Now()
				for _, target := range targets {
					req := httptest.NewRequest(http.MethodGet, target, nil)
					req.Header.Set("Accept-Encoding", "gzip")
					rec := httptest.NewRecorder()
					s.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Fatalf("GET %s: %d", target, rec.Code)
					}
				}
				return time.Since(start)
			}
			var targets []string
			for t := range tiles {
				targets = append(targets, tilePath("/collections/"+layer, maptile.Tile(t)))
			}
			items := []string{"/collections/" + layer + "/items?limit=10000"}
			var cold, warm, page time.Duration
			for b.Loop() {
				s := New(Options{Atlas: func() *geo.Atlas { return a }})
				serve(s, []string{items[0] + "&offset=1"}) // builds the layer's features
				page += serve(s, items)
				cold += serve(s, targets)
				warm += serve(s, targets)
			}
			n := float64(b.N)
			b.ReportMetric(float64(len(targets)), "tiles")
			b.ReportMetric(float64(page.Milliseconds())/n, "items_ms")
			b.ReportMetric(float64(cold.Milliseconds())/n, "tiles_cold_ms")
			b.ReportMetric(float64(warm.Milliseconds())/n, "tiles_warm_ms")
			b.ReportMetric(float64(cold)/float64(page), "x_items_cold")
			b.ReportMetric(float64(warm)/float64(page), "x_items_warm")
		})
	}
}
