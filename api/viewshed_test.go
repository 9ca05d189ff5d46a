package api

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

func TestCameraViewshed_IsTheCamerasSector(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 5)
	for _, id := range []string{"c01", "c02", "c03"} { // fixed, ptz (a disc), dome (a disc)
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			rec := get(t, s, "/cameras/"+id+"/viewshed")
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			require.Equal(t, mediaGeoJSON, rec.Header().Get("Content-Type"))
			requireRFC7946(t, rec.Body.Bytes())
			f := decode[covFeature](t, rec)
			c, _ := a.Cameras.Get(id)
			require.Equal(t, id, f.ID)
			require.Equal(t, "Polygon", f.Geometry["type"])
			require.Equal(t, string(c.Source), f.Properties["source"])
			require.Equal(t, c.Online, f.Properties["online"])
			// The exact area of a spherical sector, computed independently.
			fov := c.FOVDeg
			if c.Type.Omnidirectional() {
				fov = 360
			}
			want := fov / 360 * 2 * math.Pi * geo.EarthRadius * geo.EarthRadius * (1 - math.Cos(c.RangeM/geo.EarthRadius))
			require.InEpsilon(t, want, f.Properties["area_m2"], 1e-4)
			// Every vertex is within range of the camera (the centre is one).
			for _, p := range f.Geometry["coordinates"].([]any)[0].([]any) {
				xy := p.([]any)
				d := geo.Distance(c.Point, [2]float64{xy[0].(float64), xy[1].(float64)})
				require.LessOrEqual(t, d, c.RangeM+0.01)
			}
			tag := rec.Header().Get("ETag")
			require.Equal(t, http.StatusNotModified, get(t, s, "/cameras/"+id+"/viewshed", "If-None-Match", tag).Code)
		})
	}
}

func TestViewshedsCollection(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 5)
	rec := get(t, s, "/collections/viewsheds")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	c := decode[collectionDoc](t, rec)
	require.Equal(t, viewshedsName, c.ID)
	require.NotNil(t, c.Extent)
	for _, cam := range a.Cameras.Items() {
		require.True(t, cam.Point[0] >= c.Extent.Spatial.BBox[0][0] && cam.Point[0] <= c.Extent.Spatial.BBox[0][2])
	}

	page := getCovFC(t, s, "/collections/viewsheds/items?limit=7")
	require.Len(t, page.Features, 7)
	require.Equal(t, a.Cameras.Len(), page.NumberMatched)
	require.Equal(t, "c01", page.Features[0].ID)
	next := getCovFC(t, s, "/collections/viewsheds/items?limit=7&offset=7")
	require.Equal(t, "c08", next.Features[0].ID)

	online := getCovFC(t, s, "/collections/viewsheds/items?online=true&limit=100")
	n := 0
	for _, cam := range a.Cameras.Items() {
		if cam.Online {
			n++
		}
	}
	require.Len(t, online.Features, n)
	for _, f := range online.Features {
		require.Equal(t, true, f.Properties["online"])
	}
	// A box around camera c01's position holds its viewshed and those
	// reaching it.
	c1, _ := a.Cameras.Get("c01")
	box := getCovFC(t, s, "/collections/viewsheds/items?bbox="+bboxAround(c1.Point))
	ids := map[string]bool{}
	for _, f := range box.Features {
		ids[f.ID] = true
	}
	require.True(t, ids["c01"])
	require.Less(t, len(box.Features), a.Cameras.Len())

	one := get(t, s, "/collections/viewsheds/items/c05")
	require.Equal(t, http.StatusOK, one.Code)
	requireRFC7946(t, one.Body.Bytes())
	requireProblem(t, get(t, s, "/collections/viewsheds/items/none"), http.StatusNotFound)
	requireProblem(t, get(t, s, "/collections/viewsheds/items?datetime=2024-01-01"), http.StatusBadRequest)
	requireProblem(t, get(t, s, "/collections/viewsheds/items?colour=red"), http.StatusBadRequest)

	sc := get(t, s, "/collections/viewsheds/schema")
	require.Equal(t, http.StatusOK, sc.Code)
	require.Contains(t, sc.Body.String(), `"area_m2"`)
}

// bboxAround returns a bbox parameter of about 20 m around p.
func bboxAround(p [2]float64) string {
	d := 1e-4
	var parts []string
	for _, v := range []float64{p[0] - d, p[1] - d, p[0] + d, p[1] + d} {
		parts = append(parts, strconv.FormatFloat(v, 'f', 7, 64))
	}
	return strings.Join(parts, ",")
}

func TestOpenAPI_DeclaresTheCoverageEndpoints(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	doc := decode[map[string]any](t, get(t, s, "/openapi.json"))
	paths := doc["paths"].(map[string]any)
	for _, p := range []string{"/coverage/grids", "/coverage/gaps", "/coverage/hotspots", "/coverage/summary",
		"/cameras/{cameraId}/viewshed", "/collections/viewsheds", "/collections/viewsheds/items",
		"/collections/viewsheds/items/{featureId}", "/collections/viewsheds/schema"} {
		require.Contains(t, paths, p)
	}
}
