package api

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// linkByRel returns the first link with the rel (and the type, when given).
func linkByRel(links []link, rel string, typ ...string) (link, bool) {
	for _, l := range links {
		if l.Rel == rel && (len(typ) == 0 || l.Type == typ[0]) {
			return l, true
		}
	}
	return link{}, false
}

func TestLanding_Links(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 10)
	rec := get(t, s, "/")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, mediaJSON, rec.Header().Get("Content-Type"))
	doc := decode[landingDoc](t, rec)
	require.Equal(t, "Test district", doc.Title)
	require.Contains(t, doc.Description, "Synthetic")
	require.True(t, doc.Synthetic)

	want := map[string][2]string{
		"self":         {"http://example.com/?f=json", mediaJSON},
		"alternate":    {"http://example.com/?f=html", mediaHTML},
		"service-desc": {"http://example.com/openapi.json", "application/vnd.oai.openapi+json;version=3.0"},
		"service-doc":  {"http://example.com/api.html", mediaHTML},
		"conformance":  {"http://example.com/conformance?f=json", mediaJSON},
		"data":         {"http://example.com/collections?f=json", mediaJSON},
	}
	for rel, w := range want {
		l, ok := linkByRel(doc.Links, rel)
		require.True(t, ok, rel)
		require.Equal(t, w[0], l.Href, rel)
		require.Equal(t, w[1], l.Type, rel)
	}
	// Every link the landing page gives resolves.
	for _, l := range doc.Links {
		require.Equal(t, http.StatusOK, get(t, s, l.Href).Code, l.Href)
	}
}

func TestLanding_NotSyntheticSaysNothing(t *testing.T) {
	t.Parallel()
	d := fixtureDataset(5)
	d.Meta = geo.Meta{Name: "Real district", Description: "Surveyed."}
	a, err := geo.NewAtlas(d, geo.Options{})
	require.NoError(t, err)
	s := New(Options{Atlas: func() *geo.Atlas { return a }})
	doc := decode[landingDoc](t, get(t, s, "/"))
	require.Equal(t, "Surveyed.", doc.Description)
	require.False(t, doc.Synthetic)
}

func TestLanding_BaseURLOption(t *testing.T) {
	t.Parallel()
	a := fixtureAtlas(t, 5)
	s := New(Options{Atlas: func() *geo.Atlas { return a }, BaseURL: "https://gw.example.org/ogc/"})
	doc := decode[landingDoc](t, get(t, s, "/"))
	l, _ := linkByRel(doc.Links, "data")
	require.Equal(t, "https://gw.example.org/ogc/collections?f=json", l.Href)
}

func TestLanding_ForwardedHeadersOnlyWhenTrusted(t *testing.T) {
	t.Parallel()
	a := fixtureAtlas(t, 5)
	headers := []string{"X-Forwarded-Proto", "https", "X-Forwarded-Host", "maps.example.org"}
	for trust, want := range map[bool]string{true: "https://maps.example.org/collections?f=json", false: "http://example.com/collections?f=json"} {
		s := New(Options{Atlas: func() *geo.Atlas { return a }, TrustForwarded: trust})
		l, _ := linkByRel(decode[landingDoc](t, get(t, s, "/", headers...)).Links, "data")
		require.Equal(t, want, l.Href)
	}
}

func TestConformance_Classes(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	rec := get(t, s, "/conformance")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, mediaJSON, rec.Header().Get("Content-Type"))
	doc := decode[conformanceDoc](t, rec)
	require.ElementsMatch(t, []string{
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
		"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
		"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
		"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
		"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
		"http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
		"http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
		"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
		"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
		"http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions",
		"http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
		"http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
		"http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
	}, doc.ConformsTo)
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 12)
	rec := get(t, s, "/healthz")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, mediaJSON, rec.Header().Get("Content-Type"))
	require.NotEmpty(t, rec.Header().Get("ETag"))
	doc := decode[healthDoc](t, rec)
	require.Equal(t, "ok", doc.Status)
	require.Equal(t, "Test district", doc.Dataset)
	require.Equal(t, a.Versions(), doc.Versions)
	require.Equal(t, a.Dataset().Counts(), doc.Counts)
	require.Equal(t, 12, doc.Counts["incidents"])
}
