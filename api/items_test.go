package api

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/geo"
)

// testFeature and testFC decode the server's GeoJSON.
type testFeature struct {
	Type       string         `json:"type"`
	ID         string         `json:"id"`
	Properties map[string]any `json:"properties"`
	Geometry   map[string]any `json:"geometry"`
	Links      []link         `json:"links"`
}

type testFC struct {
	Type           string        `json:"type"`
	NumberMatched  int           `json:"numberMatched"`
	NumberReturned int           `json:"numberReturned"`
	TimeStamp      string        `json:"timeStamp"`
	Links          []link        `json:"links"`
	Features       []testFeature `json:"features"`
}

func (fc testFC) ids() []string {
	out := []string{}
	for _, f := range fc.Features {
		out = append(out, f.ID)
	}
	return out
}

// getItems fetches one page and checks its envelope.
func getItems(t testing.TB, s http.Handler, target string) testFC {
	t.Helper()
	rec := get(t, s, target)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, mediaGeoJSON, rec.Header().Get("Content-Type"))
	fc := decode[testFC](t, rec)
	require.Equal(t, "FeatureCollection", fc.Type)
	require.Equal(t, len(fc.Features), fc.NumberReturned)
	require.NotEmpty(t, fc.TimeStamp)
	return fc
}

// getAll follows next links from target and returns every feature id and
// the number of pages.
func getAll(t testing.TB, s http.Handler, target string) ([]string, int) {
	t.Helper()
	ids := []string{}
	pages := 0
	for target != "" {
		fc := getItems(t, s, target)
		pages++
		ids = append(ids, fc.ids()...)
		next, ok := linkByRel(fc.Links, "next")
		target = ""
		if ok {
			require.NotZero(t, fc.NumberReturned, "a next link after an empty page")
			target = next.Href
		}
		require.Less(t, pages, 20000, "next links loop")
	}
	return ids, pages
}

// bruteForce returns the ids, in layer order, of the items for which keep
// returns true.
func bruteForce(a *geo.Atlas, layer string, keep func(f *testFeatureItem) bool) []string {
	l, _ := a.Layer(layer)
	out := []string{}
	for i := range l.Len() {
		it := l.Feature(i)
		f := &testFeatureItem{item: it, props: data.ToFeature(it).Properties,
			bound: it.FeatureGeometry().(orb.Geometry).Bound()}
		if keep(f) {
			out = append(out, it.FeatureID())
		}
	}
	return out
}

type testFeatureItem struct {
	item  geo.Feature
	props map[string]any
	bound orb.Bound
}

func TestItems_PagingWithNextAndPrev(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 50)
	all := bruteForce(a, "incidents", func(*testFeatureItem) bool { return true })

	fc := getItems(t, s, "/collections/incidents/items?limit=7")
	require.Equal(t, 50, fc.NumberMatched)
	require.Equal(t, 7, fc.NumberReturned)
	require.Equal(t, all[:7], fc.ids())
	_, hasPrev := linkByRel(fc.Links, "prev")
	require.False(t, hasPrev, "no prev on the first page")
	self, _ := linkByRel(fc.Links, "self")
	require.Equal(t, "http://example.com/collections/incidents/items?f=json&limit=7", self.Href)
	alt, _ := linkByRel(fc.Links, "alternate")
	require.Equal(t, mediaHTML, alt.Type)
	next, _ := linkByRel(fc.Links, "next")
	require.Equal(t, "http://example.com/collections/incidents/items?f=json&limit=7&offset=7", next.Href)

	ids, pages := getAll(t, s, "/collections/incidents/items?limit=7")
	require.Equal(t, all, ids)
	require.Equal(t, 8, pages)

	last := getItems(t, s, "/collections/incidents/items?limit=7&offset=49")
	require.Equal(t, 50, last.NumberMatched)
	require.Equal(t, []string{all[49]}, last.ids())
	_, hasNext := linkByRel(last.Links, "next")
	require.False(t, hasNext, "no next on the last page")
	prev, ok := linkByRel(last.Links, "prev")
	require.True(t, ok)
	require.Equal(t, "http://example.com/collections/incidents/items?f=json&limit=7&offset=42", prev.Href)

	mid := getItems(t, s, "/collections/incidents/items?limit=7&offset=3")
	prev, _ = linkByRel(mid.Links, "prev")
	require.Equal(t, "http://example.com/collections/incidents/items?f=json&limit=7", prev.Href, "prev never goes below 0")

	beyond := getItems(t, s, "/collections/incidents/items?offset=500")
	require.Equal(t, 50, beyond.NumberMatched)
	require.Empty(t, beyond.Features)
	_, hasNext = linkByRel(beyond.Links, "next")
	require.False(t, hasNext)

	def := getItems(t, s, "/collections/incidents/items")
	require.Equal(t, 50, def.NumberReturned, "the default limit is 100")
}

func TestItems_NextKeepsTheOtherParameters(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 200)
	want := bruteForce(a, "incidents", func(f *testFeatureItem) bool {
		in := f.item.(*geo.Incident)
		return in.Source == geo.Source110 && in.Point[0] <= 106.012
	})
	require.Greater(t, len(want), 10)
	fc := getItems(t, s, "/collections/incidents/items?source=110&bbox=105,37,106.012,38&limit=4")
	next, _ := linkByRel(fc.Links, "next")
	u, err := url.Parse(next.Href)
	require.NoError(t, err)
	require.Equal(t, url.Values{"source": {"110"}, "bbox": {"105,37,106.012,38"}, "limit": {"4"}, "offset": {"4"}, "f": {"json"}}, u.Query())
	ids, _ := getAll(t, s, "/collections/incidents/items?source=110&bbox=105,37,106.012,38&limit=4")
	require.Equal(t, want, ids)
}

func TestItems_LimitIsClampedTo10000(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 10_050)
	fc := getItems(t, s, "/collections/incidents/items?limit=20000")
	require.Equal(t, 10_050, fc.NumberMatched)
	require.Equal(t, 10_000, fc.NumberReturned)
	self, _ := linkByRel(fc.Links, "self")
	require.Contains(t, self.Href, "limit=10000")
	next, ok := linkByRel(fc.Links, "next")
	require.True(t, ok)
	require.Contains(t, next.Href, "offset=10000")
	rest := getItems(t, s, next.Href)
	require.Equal(t, 50, rest.NumberReturned)
}

func TestItems_BadLimitAndOffsetAre400(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	for _, q := range []string{"limit=0", "limit=abc", "limit=-3", "limit=1.5", "limit=", "offset=-1", "offset=x",
		"offset=1e3", "limit=5&limit=6"} {
		p := requireProblem(t, get(t, s, "/collections/incidents/items?"+q), http.StatusBadRequest)
		require.Equal(t, geo.Invalid, p.Code, q)
		require.NotEmpty(t, p.Errors, q)
		name, _, _ := strings.Cut(q, "=")
		require.Equal(t, name, p.Errors[0].Field, q)
	}
}

func TestItems_UnknownParameterIs400NamingIt(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	p := requireProblem(t, get(t, s, "/collections/grids/items?colour=red&limit=2"), http.StatusBadRequest)
	require.Len(t, p.Errors, 1)
	require.Equal(t, "colour", p.Errors[0].Field)
	require.Contains(t, p.Errors[0].Expected, "township")
	require.Contains(t, p.Detail, "grids")

	p = requireProblem(t, get(t, s, "/collections/grids/items?population=230"), http.StatusBadRequest)
	require.Equal(t, "population", p.Errors[0].Field)
	require.Contains(t, p.Errors[0].Expected, "filterable")

	p = requireProblem(t, get(t, s, "/collections/grids/items?f=xml"), http.StatusBadRequest)
	require.Equal(t, "f", p.Errors[0].Field)
}

func TestItems_PropertyFiltersMatchBruteForce(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 300)
	tests := []struct {
		layer string
		query url.Values
	}{
		{"grids", url.Values{"township": {"T1"}}},
		{"grids", url.Values{"township": {"t1"}}}, // case-sensitive: none
		{"grids", url.Values{"name": {scriptName}}},
		{"villages", url.Values{"kind": {"community"}}},
		{"settlements", url.Values{"grid": {"g3"}}},
		{"beats", url.Values{"station": {"S1"}}},
		{"cameras", url.Values{"online": {"true"}}},
		{"cameras", url.Values{"online": {"false"}, "source": {"xueliang"}}},
		{"cameras", url.Values{"grid": {"g2"}}},
		{"responders", url.Values{"available": {"true"}, "role": {"police"}}},
		{"incidents", url.Values{"source": {"110"}}},
		{"incidents", url.Values{"resolved_level": {""}}},
		{"incidents", url.Values{"category": {"theft"}, "source": {"12345"}}},
		{"incidents", url.Values{"grid": {"g4"}, "resolved_level": {"grid"}}},
		{"places", url.Values{"kind": {"school"}}},
	}
	for _, tt := range tests {
		t.Run(tt.layer+"?"+tt.query.Encode(), func(t *testing.T) {
			t.Parallel()
			want := bruteForce(a, tt.layer, func(f *testFeatureItem) bool {
				for k, v := range tt.query {
					if fmt.Sprint(f.props[k]) != v[0] {
						return false
					}
				}
				return true
			})
			ids, _ := getAll(t, s, "/collections/"+tt.layer+"/items?limit=9&"+tt.query.Encode())
			require.Equal(t, want, ids)
			fc := getItems(t, s, "/collections/"+tt.layer+"/items?limit=9&"+tt.query.Encode())
			require.Equal(t, len(want), fc.NumberMatched)
		})
	}
}

func TestItems_BooleanFilterAcceptsOneAndZero(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	for _, pair := range [][2]string{{"true", "1"}, {"false", "0"}, {"true", "TRUE"}} {
		a := getItems(t, s, "/collections/cameras/items?online="+pair[0])
		b := getItems(t, s, "/collections/cameras/items?online="+pair[1])
		require.Equal(t, a.ids(), b.ids())
	}
	p := requireProblem(t, get(t, s, "/collections/cameras/items?online=yes"), http.StatusBadRequest)
	require.Equal(t, "online", p.Errors[0].Field)
}

func TestItems_FeaturesAreRounded(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 50)
	fc := getItems(t, s, "/collections/incidents/items?limit=50")
	for k, f := range fc.Features {
		in := a.Incidents.At(k)
		require.Equal(t, in.ID, f.ID)
		require.Equal(t, in.ID, f.Properties["id"])
		coords := f.Geometry["coordinates"].([]any)
		for j, c := range coords {
			v := c.(float64)
			require.InDelta(t, in.Point[j], v, 0.6e-7)
			s := strconv.FormatFloat(v, 'f', -1, 64)
			_, frac, _ := strings.Cut(s, ".")
			require.LessOrEqual(t, len(frac), 7, s)
		}
	}
}

func TestItems_LayerOrderIsStable(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 100)
	for _, name := range geo.LayerNames {
		want := bruteForce(a, name, func(*testFeatureItem) bool { return true })
		fc := getItems(t, s, "/collections/"+name+"/items?limit=10000")
		require.Equal(t, want, fc.ids(), name)
		require.True(t, slices.Equal(want, fc.ids()))
	}
}
