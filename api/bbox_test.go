package api

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/planar"
	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/geo"
)

// clipMeets is the reference of the exact bbox test, by another method:
// a polygon meets the box when orb's clipping leaves it a positive area, a
// point when the box holds it, a line when clipping leaves a piece. Random boxes practically never merely touch
// an outline, where the two would differ.
func clipMeets(g orb.Geometry, box orb.Bound) bool {
	switch v := g.(type) {
	case orb.Point:
		return box.Contains(v)
	case orb.Polygon:
		return planar.Area(clip.Polygon(box, v.Clone())) > 0
	case orb.MultiPolygon:
		return planar.Area(clip.MultiPolygon(box, v.Clone())) > 0
	case orb.LineString:
		return len(clip.LineString(box, v.Clone())) > 0
	case orb.MultiLineString:
		return len(clip.MultiLineString(box, v.Clone())) > 0
	}
	panic(fmt.Sprintf("clipMeets: %T", g))
}

// defaultAtlas returns the atlas of the embedded default dataset.
func defaultAtlas(t testing.TB) *geo.Atlas {
	t.Helper()
	d, err := data.Default()
	require.NoError(t, err)
	a, err := geo.NewAtlas(d, geo.Options{})
	require.NoError(t, err)
	return a
}

// TestItems_BBoxIsExact checks bbox on the default dataset: the grids of
// the box 106.0,37.3,106.2,37.5 leave out G0198 and G0365, whose bounding
// boxes meet it but whose outlines do not, and every polygon and point
// layer answers random boxes as clipping the geometries does.
func TestItems_BBoxIsExact(t *testing.T) {
	t.Parallel()
	a := defaultAtlas(t)
	s := New(Options{Atlas: func() *geo.Atlas { return a }})

	box := orb.Bound{Min: orb.Point{106.0, 37.3}, Max: orb.Point{106.2, 37.5}}
	ids, _ := getAll(t, s, "/collections/grids/items?limit=1000&bbox=106.0,37.3,106.2,37.5")
	byBound := bruteForce(a, "grids", func(f *testFeatureItem) bool { return f.bound.Intersects(box) })
	require.Len(t, byBound, 210, "bounding boxes meeting the box")
	require.Len(t, ids, 208)
	require.NotContains(t, ids, "G0198")
	require.NotContains(t, ids, "G0365")
	require.Equal(t, bruteForce(a, "grids", func(f *testFeatureItem) bool {
		return clipMeets(f.item.FeatureGeometry().(orb.Geometry), box)
	}), ids)

	rng := rand.New(rand.NewPCG(16, 2))
	ext := a.Grids.Bound()
	for _, layer := range []string{"townships", "villages", "grids", "beats", "settlements", "cameras"} {
		for range 6 {
			w, h := 0.2*rng.Float64(), 0.2*rng.Float64()
			x := ext.Min[0] + (ext.Max[0]-ext.Min[0]-w)*rng.Float64()
			y := ext.Min[1] + (ext.Max[1]-ext.Min[1]-h)*rng.Float64()
			q := fmt.Sprintf("%.7f,%.7f,%.7f,%.7f", x, y, x+w, y+h)
			var b orb.Bound
			_, err := fmt.Sscanf(q, "%f,%f,%f,%f", &b.Min[0], &b.Min[1], &b.Max[0], &b.Max[1])
			require.NoError(t, err)
			want := bruteForce(a, layer, func(f *testFeatureItem) bool {
				return clipMeets(f.item.FeatureGeometry().(orb.Geometry), b)
			})
			got, _ := getAll(t, s, "/collections/"+layer+"/items?limit=10000&bbox="+q)
			require.Equal(t, want, got, "%s bbox=%s", layer, q)
		}
	}
}

// TestViewsheds_BBoxIsExact checks the viewsheds' bbox against clipping
// each served sector polygon.
func TestViewsheds_BBoxIsExact(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 5)
	rng := rand.New(rand.NewPCG(16, 3))
	cornersOnly := 0
	for range 40 {
		x, y := fixLon0-0.002+0.024*rng.Float64(), fixLat0-0.002+0.024*rng.Float64()
		q := fmt.Sprintf("%.7f,%.7f,%.7f,%.7f", x, y, x+0.002*rng.Float64(), y+0.002*rng.Float64())
		var b orb.Bound
		_, err := fmt.Sscanf(q, "%f,%f,%f,%f", &b.Min[0], &b.Min[1], &b.Max[0], &b.Max[1])
		require.NoError(t, err)
		want := []string{}
		for _, c := range a.Cameras.Items() {
			if clipMeets(geo.Viewshed(c), b) {
				want = append(want, c.ID)
			}
		}
		got, _ := getAll(t, s, "/collections/viewsheds/items?limit=1000&bbox="+q)
		require.Equal(t, want, got, q)
		for _, c := range a.Cameras.Items() {
			if geo.CameraSector(c).Bound().Intersects(b) && !slices.Contains(got, c.ID) {
				cornersOnly++
			}
		}
	}
	require.Greater(t, cornersOnly, 0, "some boxes meet a sector's bounding box only")
}
