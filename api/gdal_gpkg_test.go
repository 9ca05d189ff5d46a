package api

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/geo"
)

// runGDALSilent runs a GDAL tool and fails on anything it writes to
// standard error (warnings included).
func runGDALSilent(t *testing.T, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "NO_PROXY=127.0.0.1,localhost", "no_proxy=127.0.0.1,localhost",
		"GDAL_HTTP_TIMEOUT=30", "CPL_VSIL_CURL_USE_CACHE=NO")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Run(), "%s %s: %s", name, strings.Join(args, " "), stderr.String())
	require.Empty(t, strings.TrimSpace(stderr.String()), "%s %s", name, strings.Join(args, " "))
}

// TestGDAL_GeoPackageColumns copies every collection to a GeoPackage as
// docs/clients.md says, without a single warning, and checks that the
// columns are the schema's properties plus id, once each, every one filled.
func TestGDAL_GeoPackageColumns(t *testing.T) {
	t.Parallel()
	requireGDAL(t)
	g := startGDALServer(t)
	for _, name := range append(slices.Clone(geo.LayerNames), viewshedsName) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			gpkg := filepath.Join(dir, name+".gpkg")
			// responders' grids is a list: GeoPackage has no list type, so
			// it is mapped to a string as docs/clients.md does.
			runGDALSilent(t, "ogr2ogr", "-f", "GPKG", gpkg, "OAPIF:"+g.url, name,
				"-oo", "PAGE_SIZE=1000", "-mapFieldType", "StringList=String")
			out := filepath.Join(dir, name+".geojson")
			runGDALSilent(t, "ogr2ogr", "-f", "GeoJSON", out, gpkg)
			raw, err := os.ReadFile(out)
			require.NoError(t, err)
			var fc struct {
				Features []struct {
					Properties map[string]any `json:"properties"`
				} `json:"features"`
			}
			require.NoError(t, json.Unmarshal(raw, &fc))
			var sc data.LayerSchema
			if name == viewshedsName {
				sc = viewshedSchema()
			} else {
				sc, _ = data.SchemaOf(name)
			}
			want := []string{"id"}
			for _, p := range sc.Properties {
				want = append(want, p.Name)
			}
			slices.Sort(want)
			n := g.atlas.Cameras.Len()
			if l, ok := g.atlas.Layer(name); ok {
				n = l.Len()
			}
			require.Len(t, fc.Features, n)
			for i, f := range fc.Features {
				var cols []string
				for k, v := range f.Properties {
					cols = append(cols, k)
					require.NotNil(t, v, "feature %d column %s is empty", i, k)
				}
				slices.Sort(cols)
				require.Equal(t, want, cols, "feature %d", i)
			}
		})
	}
}
