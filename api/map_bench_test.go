package api

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/geo"
)

// fetchAll GETs every URL in turn, as a client that only downloads the
// page's data (gzip, no parsing, no drawing) would.
func fetchAll(tb testing.TB, client *http.Client, urls []string) {
	tb.Helper()
	for _, u := range urls {
		req, err := http.NewRequest(http.MethodGet, u, nil)
		require.NoError(tb, err)
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := client.Do(req)
		require.NoError(tb, err)
		_, err = io.Copy(io.Discard, res.Body)
		require.NoError(tb, err)
		require.NoError(tb, res.Body.Close())
		require.Equal(tb, http.StatusOK, res.StatusCode, u)
	}
}

// BenchmarkMap_Load measures the map page on the default dataset: a fresh
// load with the browser cache disabled, until every layer shown reports
// loaded. default_layers is the page as it opens (grids, outlines, gaps);
// district and town_zoom14 show every layer (at the district view the
// viewsheds wait for zoom 13; the town view at zoom 14 loads them too). The baseline, measured in the same
// run, downloads the same page, assets and API answers with Go's HTTP
// client one after another; x_baseline is page time over baseline time
// (what parsing, drawing and the browser add). cold_ms is the first load,
// which also computes the analyses that the server then caches.
func BenchmarkMap_Load(b *testing.B) {
	d, err := data.Default()
	require.NoError(b, err)
	a, err := geo.NewAtlas(d, geo.Options{})
	require.NoError(b, err)
	srv := httptest.NewServer(New(Options{Atlas: func() *geo.Atlas { return a }}))
	b.Cleanup(srv.Close)
	c := a.Cameras.Items()[len(a.Cameras.Items())/2].Point
	views := []struct{ name, query string }{
		{"default_layers", ""},
		{"district", "layers=all"},
		{"town_zoom14", "layers=all&view=" + formatView(c.Lat(), c.Lon(), 14)},
	}
	for _, v := range views {
		b.Run(v.name, func(b *testing.B) {
			benchmarkPage(b, srv, srv.URL+"/map?"+v.query)
		})
	}
}

func formatView(lat, lon float64, zoom int) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	return f(lat) + "," + f(lon) + "," + strconv.Itoa(zoom)
}

// benchmarkPage loads page until ready, b.N times, against the baseline.
func benchmarkPage(b *testing.B, srv *httptest.Server, page string) {
	br := newBrowser(b, 1400, 900)
	br.disableCache(b)
	load := func() time.Duration {
		start := time.Now()
		br.do(b, chromedp.Navigate(page))
		br.waitFor(b, "every layer", "window.gridwatchMap && window.gridwatchMap.ready()", 5*time.Minute)
		return time.Since(start)
	}
	cold := load()
	urls := eval[[]string](b, br, `performance.getEntriesByType('resource').map(e => e.name)`)
	fetched := []string{page}
	for _, u := range urls {
		if strings.HasPrefix(u, srv.URL) {
			fetched = append(fetched, u)
		}
	}
	loaded := 0
	for id, l := range eval[map[string]layerState](b, br, "window.gridwatchMap.layers()") {
		require.Contains(b, []string{"loaded", "zoom", "off"}, l.Status, id)
		require.Equal(b, l.Visible, l.Status != "off", id)
		if l.Status == "loaded" {
			loaded++
		}
	}
	client := srv.Client()

	b.ReportAllocs()
	b.ResetTimer()
	var pageTime, baseTime time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		fetchAll(b, client, fetched)
		baseTime += time.Since(start)
		pageTime += load()
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(pageTime.Milliseconds())/n, "page_ms")
	b.ReportMetric(float64(baseTime.Milliseconds())/n, "baseline_ms")
	b.ReportMetric(pageTime.Seconds()/baseTime.Seconds(), "x_baseline")
	b.ReportMetric(float64(cold.Milliseconds()), "cold_ms")
	b.ReportMetric(float64(len(fetched)), "requests")
	b.ReportMetric(float64(loaded), "layers_loaded")
	require.Empty(b, br.consoleProblems())
}
