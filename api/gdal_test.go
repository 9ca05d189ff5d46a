package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// The GDAL suite is black-box: it starts the real handler on a loopback
// port and reads it with GDAL's OAPIF driver (ogrinfo, ogr2ogr), which pages
// only through next links and sends the filters the OpenAPI document
// declares on each collection's literal path.

// gdalIncidents is more than one page of PAGE_SIZE=1000, so ogr2ogr must
// follow next links.
const gdalIncidents = 2500

// requireGDAL fails (never skips) when GDAL's tools are missing.
func requireGDAL(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"ogrinfo", "ogr2ogr"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found: install the Debian package gdal-bin (apt-get install -y gdal-bin); `make test` does", tool)
		}
	}
}

// gdalServer serves the fixture on a free loopback port; logs holds the
// server's JSON log, one line per request.
type gdalServer struct {
	url   string
	atlas *geo.Atlas
	logs  *syncBuffer
}

func startGDALServer(t *testing.T) *gdalServer {
	t.Helper()
	a := fixtureAtlas(t, gdalIncidents)
	logs := &syncBuffer{}
	h := New(Options{Atlas: func() *geo.Atlas { return a }, Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	return &gdalServer{url: "http://" + ln.Addr().String(), atlas: a, logs: logs}
}

// requestedQueries returns the queries of the logged requests to path.
func (g *gdalServer) requestedQueries(t *testing.T, path string) []string {
	t.Helper()
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(g.logs.String()), "\n") {
		var e struct {
			Msg, Path, Query string
		}
		require.NoError(t, json.Unmarshal([]byte(line), &e))
		if e.Msg == "request" && e.Path == path {
			out = append(out, e.Query)
		}
	}
	return out
}

// runGDAL runs a GDAL tool and returns its standard output.
func runGDAL(t *testing.T, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "NO_PROXY=127.0.0.1,localhost", "no_proxy=127.0.0.1,localhost",
		"GDAL_HTTP_TIMEOUT=30", "CPL_VSIL_CURL_USE_CACHE=NO")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	require.NoError(t, err, "%s %s\nstdout: %s\nstderr: %s", name, strings.Join(args, " "), stdout.String(), stderr.String())
	require.NotContains(t, stderr.String(), "ERROR", "%s %s", name, strings.Join(args, " "))
	return stdout.String()
}

// ogrFeatures is the GeoJSON ogr2ogr writes.
type ogrFeatures struct {
	Features []struct {
		Properties map[string]any `json:"properties"`
		Geometry   struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

// ogr2ogr copies one layer of the server (with extra arguments) to GeoJSON.
func (g *gdalServer) ogr2ogr(t *testing.T, layer string, extra ...string) ogrFeatures {
	t.Helper()
	out := filepath.Join(t.TempDir(), layer+".geojson")
	args := append([]string{"-f", "GeoJSON", out, "OAPIF:" + g.url, layer, "-oo", "PAGE_SIZE=1000"}, extra...)
	runGDAL(t, "ogr2ogr", args...)
	raw, err := os.ReadFile(out)
	require.NoError(t, err)
	var fc ogrFeatures
	require.NoError(t, json.Unmarshal(raw, &fc))
	return fc
}

func (fc ogrFeatures) ids(t *testing.T) []string {
	t.Helper()
	out := []string{}
	for _, f := range fc.Features {
		id, ok := f.Properties["id"].(string)
		require.True(t, ok, "feature without a string id: %v", f.Properties)
		out = append(out, id)
	}
	return out
}

func TestGDAL_OAPIF(t *testing.T) {
	t.Parallel()
	requireGDAL(t)
	g := startGDALServer(t)

	t.Run("ogrinfo lists every layer", func(t *testing.T) {
		out := runGDAL(t, "ogrinfo", "-ro", "-so", "OAPIF:"+g.url)
		for _, name := range geo.LayerNames {
			require.Regexp(t, fmt.Sprintf(`(?m)^\d+: %s\b`, name), out)
		}
	})

	t.Run("ogrinfo types fields from the schema", func(t *testing.T) {
		out := runGDAL(t, "ogrinfo", "-ro", "-so", "-nomd", "OAPIF:"+g.url, "cameras", "responders", "incidents", "grids")
		for _, field := range []string{"bearing_deg: Real", "range_m: Real", "installed: Date", "online: Integer(Boolean)",
			"updated: DateTime", "grids: StringList", "time: DateTime", "population: Integer", "Feature Count: 2500"} {
			require.Contains(t, out, field)
		}
	})

	for _, name := range geo.LayerNames {
		t.Run("ogr2ogr copies "+name, func(t *testing.T) {
			t.Parallel()
			fc := g.ogr2ogr(t, name)
			want := bruteForce(g.atlas, name, func(*testFeatureItem) bool { return true })
			require.Equal(t, want, fc.ids(t), "every feature, in layer order")
			l, _ := g.atlas.Layer(name)
			for k, f := range fc.Features {
				it := l.Feature(k)
				compareOGRFeature(t, it, f.Properties)
				require.Equal(t, it.FeatureGeometry().GeoJSONType(), f.Geometry.Type)
			}
		})
	}

	t.Run("paging follows next links", func(t *testing.T) {
		t.Parallel()
		fc := g.ogr2ogr(t, "incidents")
		require.Len(t, fc.Features, gdalIncidents)
		qs := g.requestedQueries(t, "/collections/incidents/items")
		var offsets []string
		for _, q := range qs {
			if strings.Contains(q, "offset=") {
				offsets = append(offsets, q)
			}
		}
		require.NotEmpty(t, offsets, "GDAL asked for a second page: %v", qs)
	})

	t.Run("a declared filter reaches the server", func(t *testing.T) {
		t.Parallel()
		fc := g.ogr2ogr(t, "grids", "-where", "township = 'T1'")
		want := bruteForce(g.atlas, "grids", func(f *testFeatureItem) bool { return f.props["township"] == "T1" })
		require.Equal(t, want, fc.ids(t))
		// GDAL sends it as CQL text, as the OpenAPI's filter-lang allows.
		require.Contains(t, strings.Join(g.requestedQueries(t, "/collections/grids/items"), "\n"), "filter=township%20%3D%20'T1'&filter-lang=cql-text")
	})

	t.Run("a filter on incidents pages with the filter kept", func(t *testing.T) {
		t.Parallel()
		fc := g.ogr2ogr(t, "incidents", "-where", "category = 'theft'")
		want := bruteForce(g.atlas, "incidents", func(f *testFeatureItem) bool { return f.props["category"] == "theft" })
		require.Equal(t, want, fc.ids(t))
	})

	t.Run("a where clause goes to the server as CQL2 and gives the brute force's features", func(t *testing.T) {
		t.Parallel()
		fc := g.ogr2ogr(t, "grids", "-where", "(population > 150 AND township <> 'T1') OR name LIKE 'Grid 1%' OR NOT (households >= 20)")
		want := bruteForce(g.atlas, "grids", func(f *testFeatureItem) bool {
			gr := f.item.(*geo.Grid)
			return gr.Population > 150 && gr.Township != "T1" || strings.HasPrefix(gr.Name, "Grid 1") || !(gr.Households >= 20)
		})
		require.Equal(t, want, fc.ids(t))
		qs := strings.Join(g.requestedQueries(t, "/collections/grids/items"), "\n")
		require.Contains(t, qs, "filter=")
		require.Contains(t, qs, "population%20%3E%20150")
	})

	t.Run("comparisons on time fields go to the server", func(t *testing.T) {
		t.Parallel()
		since := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
		fc := g.ogr2ogr(t, "incidents", "-where", "time >= '2024/03/01 00:00:00'")
		want := bruteForce(g.atlas, "incidents", func(f *testFeatureItem) bool { return !f.item.(*geo.Incident).Time.Before(since) })
		require.Equal(t, want, fc.ids(t))

		day := time.Date(2023, 2, 1, 0, 0, 0, 0, time.UTC)
		fc = g.ogr2ogr(t, "cameras", "-where", "installed >= '2023/02/01'")
		want = bruteForce(g.atlas, "cameras", func(f *testFeatureItem) bool { return !f.item.(*geo.Camera).Installed.Before(day) })
		require.Equal(t, want, fc.ids(t))
		require.Contains(t, strings.Join(g.requestedQueries(t, "/collections/cameras/items"), "\n"), "filter=installed%20%3E%3D%20'2023-02-01T'")
	})

	t.Run("bbox", func(t *testing.T) {
		t.Parallel()
		box := orb.Bound{Min: orb.Point{106.003, 37.404}, Max: orb.Point{106.0125, 37.4161}}
		spat := []string{"-spat", "106.003", "37.404", "106.0125", "37.4161"}
		for _, name := range []string{"incidents", "cameras", "grids", "settlements"} {
			fc := g.ogr2ogr(t, name, spat...)
			want := bruteForce(g.atlas, name, func(f *testFeatureItem) bool { return boundsMeet(f.bound, box) })
			require.Equal(t, want, fc.ids(t), name)
		}
		require.Contains(t, strings.Join(g.requestedQueries(t, "/collections/incidents/items"), "\n"), "bbox=")
	})
}

// compareOGRFeature checks the properties GDAL read against the item.
func compareOGRFeature(t *testing.T, it geo.Feature, props map[string]any) {
	t.Helper()
	switch v := it.(type) {
	case *geo.Grid:
		require.Equal(t, v.Name, props["name"])
		require.Equal(t, v.Township, props["township"])
		require.Equal(t, float64(v.Population), props["population"])
	case *geo.Incident:
		require.Equal(t, v.Category, props["category"])
		require.Equal(t, string(v.Source), props["source"])
		require.Equal(t, v.Grid, props["grid"])
		tm, err := time.Parse("2006/01/02 15:04:05-07", fmt.Sprint(props["time"]))
		if err != nil {
			tm, err = time.Parse(time.RFC3339, fmt.Sprint(props["time"]))
		}
		require.NoError(t, err, "time %v", props["time"])
		require.True(t, v.Time.Equal(tm), "time %v, want %v", props["time"], v.Time)
	case *geo.Camera:
		require.Equal(t, string(v.Type), props["type"])
		require.Equal(t, v.BearingDeg, props["bearing_deg"])
		require.Equal(t, v.RangeM, props["range_m"])
		require.Equal(t, v.Installed.Format("2006-01-02"), props["installed"])
		require.Equal(t, v.Online, props["online"])
	case *geo.Responder:
		require.Equal(t, v.Name, props["name"])
		require.Equal(t, string(v.Role), props["role"])
	case *geo.Settlement:
		require.Equal(t, v.Grid, props["grid"])
		require.Equal(t, float64(v.Households), props["households"])
	default:
		require.Equal(t, it.FeatureID(), props["id"])
	}
}
