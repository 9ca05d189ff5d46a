package api

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/geo"
)

// getTile fetches a tile and decodes it (one layer, or none when empty),
// projected back to lon/lat.
func getTile(t *testing.T, h http.Handler, target, secret string) (*mvt.Layer, *http.Response) {
	t.Helper()
	rec := call(t, h, http.MethodGet, target, secret, nil, "Accept-Encoding", "gzip")
	res := rec.Result()
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, mediaMVT, rec.Header().Get("Content-Type"))
	body := rec.Body.Bytes()
	if rec.Header().Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		require.NoError(t, err)
		body, err = io.ReadAll(zr)
		require.NoError(t, err)
	}
	ls, err := mvt.Unmarshal(body)
	require.NoError(t, err)
	if len(ls) == 0 {
		return &mvt.Layer{}, res
	}
	require.Len(t, ls, 1)
	return ls[0], res
}

// tileIDs returns the ids of a decoded tile layer, in order.
func tileIDs(l *mvt.Layer) []string {
	out := []string{}
	for _, f := range l.Features {
		out = append(out, fmt.Sprint(f.Properties["id"]))
	}
	return out
}

// tilePath returns the path of a tile of WebMercatorQuad under base.
func tilePath(base string, t maptile.Tile) string {
	return fmt.Sprintf("%s/tiles/WebMercatorQuad/%d/%d/%d", base, t.Z, t.Y, t.X)
}

// TestTiles_SameFeaturesAsItems checks tiles of every layer of the default
// dataset at several zooms against a brute force: the features whose
// geometry clipping to the buffered tile leaves something, in layer order,
// with their properties, and points where they are (within a grid cell).
func TestTiles_SameFeaturesAsItems(t *testing.T) {
	t.Parallel()
	a := defaultAtlas(t)
	s := New(Options{Atlas: func() *geo.Atlas { return a }})
	centre := a.Grids.Bound().Center()
	for _, layer := range geo.LayerNames {
		l, _ := a.Layer(layer)
		if l.Len() == 0 {
			continue
		}
		for _, z := range []maptile.Zoom{8, 11, 13, 15} {
			tl := maptile.At(centre, z)
			box := tileBound(tl)
			want := bruteForce(a, layer, func(f *testFeatureItem) bool {
				return clipMeets(f.item.FeatureGeometry().(orb.Geometry), box)
			})
			got, _ := getTile(t, s, tilePath("/collections/"+layer, tl), "")
			require.Equal(t, want, tileIDs(got), "%s z%d", layer, z)
			if len(want) > 0 {
				require.Equal(t, layer, got.Name)
			}
			got.ProjectToWGS84(tl)
			cell := (box.Max[0] - box.Min[0]) / (tileExtent + 2*tileBuffer)
			for _, f := range got.Features {
				it, ok := l.FeatureByID(fmt.Sprint(f.Properties["id"]))
				require.True(t, ok)
				props := tileProperties(geojsonProps(it))
				for k, v := range props {
					if n, isNum := v.(int); isNum {
						v = float64(n)
					}
					require.EqualValues(t, v, f.Properties[k], "%s %s %s", layer, it.FeatureID(), k)
				}
				if p, ok := it.FeatureGeometry().(orb.Point); ok {
					q := f.Geometry.(orb.Point)
					require.InDelta(t, p[0], q[0], cell, it.FeatureID())
				}
			}
		}
	}
}

func geojsonProps(f geo.Feature) geojson.Properties {
	return data.ToFeature(f).Properties
}

// TestTiles_ETagAndVersions checks that a tile answers 304 to its ETag,
// and that a new version of its layer gives a new ETag and new features
// while other layers' tiles keep theirs.
func TestTiles_ETagAndVersions(t *testing.T) {
	t.Parallel()
	small, big := fixtureAtlas(t, 10), fixtureAtlas(t, 200)
	cur := small
	s := New(Options{Atlas: func() *geo.Atlas { return cur }})
	tl := maptile.At(fixPoint(1, 1), 14)
	inc := tilePath("/collections/incidents", tl)
	first, res := getTile(t, s, inc, "")
	tag := res.Header.Get("ETag")
	require.NotEmpty(t, tag)
	rec := call(t, s, http.MethodGet, inc, "", nil, "If-None-Match", tag)
	require.Equal(t, http.StatusNotModified, rec.Code)

	cur = big
	second, res2 := getTile(t, s, inc, "")
	require.NotEqual(t, tag, res2.Header.Get("ETag"))
	require.Greater(t, len(second.Features), len(first.Features))
	require.Equal(t, bruteForce(big, "incidents", func(f *testFeatureItem) bool { return tileBound(tl).Contains(f.item.FeatureGeometry().(orb.Point)) }), tileIDs(second))
}

// TestTiles_Roles checks that tiles follow the items' permissions: a
// viewer gets grids but not incidents, and an analysis tile carries what
// the analysis gives the caller (the viewer floor included).
func TestTiles_Roles(t *testing.T) {
	t.Parallel()
	srv, a := defaultFloorServer(t)
	tl := maptile.At(a.Grids.Bound().Center(), 11)
	require.Equal(t, http.StatusForbidden, call(t, srv, http.MethodGet, tilePath("/collections/incidents", tl), viewerSecret, nil).Code)
	require.Equal(t, http.StatusUnauthorized, call(t, srv, http.MethodGet, tilePath("/collections/grids", tl), "", nil).Code)
	got, _ := getTile(t, srv, tilePath("/collections/grids", tl), viewerSecret)
	require.NotEmpty(t, got.Features)

	const q = "?resolution=13&window_days=30"
	for _, secret := range []string{viewerSecret, analystSecret} {
		fc := floorGet(t, srv, "/coverage/hotspots"+q, secret)
		want := []string{}
		for _, f := range fc.Features {
			if clipMeets(f.Geometry, tileBound(tl)) {
				key := f.Properties["id"]
				if key == nil {
					key = f.ID
				}
				want = append(want, fmt.Sprint(key, f.Properties["incidents"]))
			}
		}
		layer, _ := getTile(t, srv, tilePath("/coverage/hotspots", tl)+q, secret)
		require.Equal(t, "coverage_hotspots", layer.Name)
		gotIDs := []string{}
		for _, f := range layer.Features {
			gotIDs = append(gotIDs, fmt.Sprint(f.Properties["id"], f.Properties["incidents"]))
			if secret == viewerSecret {
				require.NotContains(t, f.Properties, "cell", "the viewer floor holds in tiles")
			}
		}
		slices.Sort(want)
		slices.Sort(gotIDs)
		require.Equal(t, want, gotIDs, secret)
		require.NotEmpty(t, gotIDs)
	}
	// The endpoint's own refusal reaches the caller.
	requireProblemField(t, call(t, srv, http.MethodGet, tilePath("/coverage/hotspots", tl)+"?window_days=1", viewerSecret, nil), "window_days")
}

func TestTiles_BadRequests(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	for _, tt := range []struct {
		target string
		status int
		field  string
	}{
		{"/collections/grids/tiles/WebMercatorQuad/23/0/0", 400, "tileMatrix"},
		{"/collections/grids/tiles/WebMercatorQuad/2/4/0", 400, "tileRow"},
		{"/collections/grids/tiles/WebMercatorQuad/2/0/-1", 400, "tileCol"},
		{"/collections/grids/tiles/WebMercatorQuad/x/0/0", 400, "tileMatrix"},
		{"/collections/grids/tiles/WebMercatorQuad/14/6200/13433?bbox=1,2,3,4", 400, "bbox"},
		{"/collections/grids/tiles/WebMercatorQuad/14/6200/13433?nosuch=1", 400, "nosuch"},
		{"/collections/grids/tiles/WorldCRS84Quad/0/0/0", 404, ""},
		{"/collections/nosuch/tiles/WebMercatorQuad/0/0/0", 404, ""},
	} {
		rec := get(t, s, tt.target)
		if tt.field != "" {
			requireProblemField(t, rec, tt.field)
		} else {
			requireProblem(t, rec, tt.status)
		}
	}
}

func TestTiles_Metadata(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 5)
	tj := decode[map[string]any](t, get(t, s, "/collections/grids/tiles/WebMercatorQuad/tilejson"))
	require.Equal(t, "3.0.0", tj["tilejson"])
	require.Equal(t, []any{"http://example.com/collections/grids/tiles/WebMercatorQuad/{z}/{y}/{x}"}, tj["tiles"])
	b := a.Grids.Bound()
	require.Equal(t, []any{floor7(b.Min[0]), floor7(b.Min[1]), ceil7(b.Max[0]), ceil7(b.Max[1])}, tj["bounds"])
	ts := decode[map[string]any](t, get(t, s, "/collections/incidents/tiles/WebMercatorQuad?source=110"))
	var item map[string]any
	for _, l := range ts["links"].([]any) {
		if l.(map[string]any)["rel"] == "item" {
			item = l.(map[string]any)
		}
	}
	require.Equal(t, "http://example.com/collections/incidents/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}?source=110", item["href"])
	tms := decode[map[string]any](t, get(t, s, "/tileMatrixSets/WebMercatorQuad"))
	ms := tms["tileMatrices"].([]any)
	require.Len(t, ms, tileMaxZoom+1)
	z0 := ms[0].(map[string]any)
	require.InDelta(t, 156543.03392804097, z0["cellSize"], 1e-6)
	require.InDelta(t, 559082264.0287178, z0["scaleDenominator"], 1e-3)
	list := decode[map[string]any](t, get(t, s, "/coverage/grids/tiles"))
	require.Len(t, list["tilesets"], 1)
}

func TestTileCache_Bounded(t *testing.T) {
	t.Parallel()
	c := newTileCache(10_000)
	for i := range 100 {
		c.put(fmt.Sprint(i), encodedTile{raw: make([]byte, 900)})
	}
	require.LessOrEqual(t, c.size, 10_000)
	require.Equal(t, 10, c.len(), "as many 966-byte entries as fit in 10,000 bytes")
	_, ok := c.get("99")
	require.True(t, ok, "the newest stays")
	_, ok = c.get("0")
	require.False(t, ok, "the oldest went")
	c.put("big", encodedTile{raw: make([]byte, 20_000)})
	_, ok = c.get("big")
	require.False(t, ok, "a tile above the budget is not kept")
	require.Equal(t, 10, c.len())
}
