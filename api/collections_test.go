package api

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/geo"
)

func TestCollections_ListsEveryLayerWithExtent(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 50)
	rec := get(t, s, "/collections")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, mediaJSON, rec.Header().Get("Content-Type"))
	doc := decode[collectionsDoc](t, rec)
	_, ok := linkByRel(doc.Links, "self", mediaJSON)
	require.True(t, ok)

	var ids []string
	for _, c := range doc.Collections {
		ids = append(ids, c.ID)
		if c.ID == viewshedsName { // derived from cameras: viewshed_test.go
			continue
		}
		sc, _ := data.SchemaOf(c.ID)
		require.Equal(t, sc.Title, c.Title)
		require.Equal(t, sc.Description, c.Description)
		require.Equal(t, "feature", c.ItemType)
		require.Equal(t, []string{crs84}, c.CRS)
		items, ok := linkByRel(c.Links, "items", mediaGeoJSON)
		require.True(t, ok, c.ID)
		require.Equal(t, "http://example.com/collections/"+c.ID+"/items?f=json", items.Href)
		_, ok = linkByRel(c.Links, "self", mediaJSON)
		require.True(t, ok)
		_, ok = linkByRel(c.Links, "alternate", mediaHTML)
		require.True(t, ok)

		l, _ := a.Layer(c.ID)
		if l.Len() == 0 { // the fixture has no roads or waterways
			require.Nil(t, c.Extent, c.ID)
			continue
		}
		require.NotNil(t, c.Extent.Spatial, c.ID)
		require.Equal(t, crs84, c.Extent.Spatial.CRS)
		b := l.Bound()
		got := c.Extent.Spatial.BBox[0]
		require.InDelta(t, b.Min[0], got[0], 1e-7)
		require.InDelta(t, b.Min[1], got[1], 1e-7)
		require.InDelta(t, b.Max[0], got[2], 1e-7)
		require.InDelta(t, b.Max[1], got[3], 1e-7)
		require.LessOrEqual(t, got[0], b.Min[0])
		require.GreaterOrEqual(t, got[2], b.Max[0])
		if sc.Time == "" {
			require.Nil(t, c.Extent.Temporal, c.ID)
		} else {
			require.NotNil(t, c.Extent.Temporal, c.ID)
			require.Equal(t, gregorian, c.Extent.Temporal.TRS)
		}
	}
	require.Equal(t, append(append([]string{}, geo.LayerNames...), viewshedsName), ids)

	grids := doc.Collections[2]
	require.Equal(t, [4]float64{106, 37.4, 106.02, 37.42}, roundBox(grids.Extent.Spatial.BBox[0]))
}

func roundBox(b [4]float64) [4]float64 {
	for i := range b {
		b[i] = float64(int64(b[i]*1e6+0.5)) / 1e6
	}
	return b
}

func TestCollection_TemporalExtent(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 50)
	tests := []struct {
		name   string
		lo, hi time.Time
	}{
		{"incidents", fixtureIncidentStart, fixtureIncidentStart.Add(49 * fixtureIncidentEvery)},
		{"cameras", fixtureCameraStart, fixtureCameraStart.AddDate(0, 0, 290).Add(24*time.Hour - time.Second)},
		{"responders", fixtureResponderTime, fixtureResponderTime.Add(7 * 90 * time.Minute)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := get(t, s, "/collections/"+tt.name)
			require.Equal(t, http.StatusOK, rec.Code)
			c := decode[collectionDoc](t, rec)
			require.Equal(t, tt.name, c.ID)
			iv := c.Extent.Temporal.Interval[0]
			require.Equal(t, tt.lo.Format(time.RFC3339), *iv[0])
			require.Equal(t, tt.hi.Format(time.RFC3339), *iv[1])
		})
	}
}

func TestCollection_UnknownIs404(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	for _, path := range []string{"/collections/rivers", "/collections/rivers/items", "/collections/rivers/items/1"} {
		p := requireProblem(t, get(t, s, path), http.StatusNotFound)
		require.Contains(t, p.Detail, "rivers")
	}
}

func TestItem_OneFeature(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 5)
	rec := get(t, s, "/collections/grids/items/g3")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, mediaGeoJSON, rec.Header().Get("Content-Type"))
	f := decode[testFeature](t, rec)
	g, _ := a.Grids.Get("g3")
	require.Equal(t, "Feature", f.Type)
	require.Equal(t, "g3", f.ID)
	require.Equal(t, "Polygon", f.Geometry["type"])
	require.Equal(t, "T2", f.Properties["township"])
	require.Equal(t, float64(g.Population), f.Properties["population"])
	self, ok := linkByRel(f.Links, "self", mediaGeoJSON)
	require.True(t, ok)
	require.Equal(t, "http://example.com/collections/grids/items/g3?f=json", self.Href)
	_, ok = linkByRel(f.Links, "collection")
	require.True(t, ok)

	p := requireProblem(t, get(t, s, "/collections/grids/items/g9"), http.StatusNotFound)
	require.Equal(t, geo.NotFound, p.Code)
	requireProblem(t, get(t, s, "/collections/grids/items/g3?limit=3"), http.StatusBadRequest)
}

func TestCollection_Schema(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	for _, sc := range data.Schemas {
		c := decode[collectionDoc](t, get(t, s, "/collections/"+sc.Name))
		l, ok := linkByRel(c.Links, "describedby", mediaSchema)
		require.True(t, ok)
		rec := get(t, s, l.Href)
		require.Equal(t, http.StatusOK, rec.Code)
		require.Equal(t, mediaSchema, rec.Header().Get("Content-Type"))
		doc := decode[featureSchemaDoc](t, rec)
		require.Equal(t, []string{sc.Geometry}, doc.Properties.Geometry.Properties.Type.Enum)
		props := doc.Properties.Properties.Properties
		// properties.id is left out (schema.go says why).
		require.Len(t, props, len(sc.Properties), sc.Name)
		require.NotContains(t, props, "id", sc.Name)
		for _, p := range sc.Properties {
			require.Contains(t, props, p.Name)
		}
	}
}

// featureSchemaDoc decodes the parts of a feature schema the tests read.
type featureSchemaDoc struct {
	Properties struct {
		Geometry struct {
			Properties struct {
				Type struct {
					Enum []string `json:"enum"`
				} `json:"type"`
			} `json:"properties"`
		} `json:"geometry"`
		Properties struct {
			Properties map[string]map[string]any `json:"properties"`
		} `json:"properties"`
	} `json:"properties"`
}
