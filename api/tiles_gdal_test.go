package api

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// TestGDAL_ReadsTiles reads tiles of the default dataset with GDAL's MVT
// driver (as a client would: the tile fetched over HTTP, then ogr2ogr to
// GeoJSON in EPSG:4326) and checks that it finds the same features as the
// items whose geometry meets the tile, with their properties.
func TestGDAL_ReadsTiles(t *testing.T) {
	t.Parallel()
	requireGDAL(t)
	a := defaultAtlas(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: New(Options{Atlas: func() *geo.Atlas { return a }}), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	base := "http://" + ln.Addr().String()
	fetch := func(url string) []byte {
		res, err := http.Get(url)
		require.NoError(t, err)
		defer res.Body.Close()
		require.Equal(t, http.StatusOK, res.StatusCode, url)
		b, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return b
	}
	centre := a.Grids.Bound().Center()
	for _, layer := range []string{"townships", "grids", "incidents", "cameras", "roads"} {
		if l, _ := a.Layer(layer); l.Len() == 0 {
			continue
		}
		for _, z := range []maptile.Zoom{10, 13} {
			tl := maptile.At(centre, z)
			dir := t.TempDir()
			file := filepath.Join(dir, "tile.mvt")
			require.NoError(t, os.WriteFile(file, fetch(base+tilePath("/collections/"+layer, tl)), 0o600))
			read := func(clip string) ogrFeatures {
				out := filepath.Join(dir, "tile-"+clip+".geojson")
				runGDAL(t, "ogr2ogr", "-f", "GeoJSON", "-t_srs", "EPSG:4326", out, "MVT:"+file, "-oo", "CLIP="+clip,
					"-oo", fmt.Sprintf("X=%d", tl.X), "-oo", fmt.Sprintf("Y=%d", tl.Y), "-oo", fmt.Sprintf("Z=%d", tl.Z))
				raw, err := os.ReadFile(out)
				require.NoError(t, err)
				var fc ogrFeatures
				require.NoError(t, json.Unmarshal(raw, &fc))
				return fc
			}
			items := func(b orb.Bound) []string {
				var fc testFC
				require.NoError(t, json.Unmarshal(fetch(fmt.Sprintf("%s/collections/%s/items?limit=10000&bbox=%.9f,%.9f,%.9f,%.9f",
					base, layer, b.Min[0], b.Min[1], b.Max[0], b.Max[1])), &fc))
				return fc.ids()
			}
			// Unclipped, GDAL reads every feature of the tile: those
			// meeting the tile grown by its buffer.
			whole := read("NO")
			require.Equal(t, items(tileBound(tl)), whole.ids(t), "%s z%d, unclipped", layer, z)
			// Clipped to the tile, it keeps those meeting the tile, but for
			// any within one grid cell of its edge, which the grid's integer
			// coordinates may put on either side.
			clipped := read("YES")
			b := tl.Bound()
			cell := orb.Point{(b.Max[0] - b.Min[0]) / tileExtent, (b.Max[1] - b.Min[1]) / tileExtent}
			inner := orb.Bound{Min: orb.Point{b.Min[0] + cell[0], b.Min[1] + cell[1]}, Max: orb.Point{b.Max[0] - cell[0], b.Max[1] - cell[1]}}
			outer := orb.Bound{Min: orb.Point{b.Min[0] - cell[0], b.Min[1] - cell[1]}, Max: orb.Point{b.Max[0] + cell[0], b.Max[1] + cell[1]}}
			got := clipped.ids(t)
			require.Empty(t, missing(items(outer), got), "%s z%d, clipped: more than the tile", layer, z)
			require.Empty(t, missing(got, items(inner)), "%s z%d, clipped: less than the tile", layer, z)
			fc := whole
			l, _ := a.Layer(layer)
			for _, f := range fc.Features {
				it, _ := l.FeatureByID(f.Properties["id"].(string))
				compareOGRFeature(t, it, f.Properties)
			}
		}
	}
}

// missing returns the ids of want that are not in have.
func missing(have, want []string) []string {
	in := map[string]bool{}
	for _, id := range have {
		in[id] = true
	}
	var out []string
	for _, id := range want {
		if !in[id] {
			out = append(out, id)
		}
	}
	return out
}
