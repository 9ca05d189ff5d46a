package api

import (
	"bytes"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/go-chi/chi/v5"

	"gridwatch/data"
	"gridwatch/geo"
)

// The fuzz targets feed hostile input to every decoder and query parser of
// the API. `go test` runs their seeds; `go test -fuzz` explores. Each
// checks that nothing panics and that bad input gets a coded error, never
// a 5xx.

// checkCoded fails unless err is nil or a *geo.Error with a 4xx code.
func checkCoded(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var ge *geo.Error
	if !errors.As(err, &ge) {
		t.Fatalf("not a *geo.Error: %T %v", err, err)
	}
	if s := StatusOf(ge.Code); s < 400 || s >= 500 {
		t.Fatalf("status %d for bad input: %v", s, err)
	}
}

func FuzzParseBBox(f *testing.F) {
	for _, s := range []string{"106,37,107,38", "170,37,106,38", "1,2,3", "NaN,0,1,1", "-180,-90,180,90", "1e309,0,1,1",
		"0,0,0,0,0,0", " 1 , 2 ,3,4", "0x1p-2,0,1,1", "106,38,107,37"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		boxes, msg := parseBBox(v)
		if msg != "" {
			if boxes != nil {
				t.Fatalf("boxes and a message for %q", v)
			}
			return
		}
		for _, b := range boxes {
			for _, c := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
				if math.IsNaN(c) || math.IsInf(c, 0) {
					t.Fatalf("%q gave a non-finite box %v", v, b)
				}
			}
			if b.Min[0] > b.Max[0] || b.Min[1] > b.Max[1] || b.Min[0] < -180 || b.Max[0] > 180 || b.Min[1] < -90 || b.Max[1] > 90 {
				t.Fatalf("%q gave an impossible box %v", v, b)
			}
		}
	})
}

func FuzzParseInterval(f *testing.F) {
	for _, s := range []string{"2024-01-01", "2024-01-01T00:00:00Z/..", "../2024-01-01", "/", "..", "2024-13-01",
		"2024-01-01T00:00:00+08:00/2024-01-02", "2024-01-02/2024-01-01", "\x00", "2024-01-01T25:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		iv, msg := parseInterval(v)
		if msg != "" {
			return
		}
		_ = iv.meets(timeSpan{})
	})
}

func FuzzItemsQuery(f *testing.F) {
	s := New(Options{Atlas: func() *geo.Atlas { return nil }})
	for _, q := range []string{"limit=5&offset=10", "bbox=106,37,107,38&datetime=2024-01-01", "limit=-1", "limit=99999999999999999999",
		"source=110", "online=1", "f=html", "bbox=1&bbox=2", "%zz", "name=%00", "datetime=..%2F..", "role=police&available=maybe"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		for _, sc := range data.Schemas {
			out, err := s.parseItemsQuery(q, sc)
			checkCoded(t, err)
			if err == nil && (out.limit < 1 || out.limit > s.maxLimit || out.offset < 0) {
				t.Fatalf("%q: limit %d offset %d", raw, out.limit, out.offset)
			}
		}
	})
}

// fuzzServer is the server the body fuzz targets write to: its commits
// are refused, so no input changes the fixture between runs.
var fuzzServer = sync.OnceValue(func() *Server {
	h := NewAtlasHolder(nil)
	return New(Options{Atlas: h.Load, Publish: h.Store, Store: &memStore{fail: errors.New("fuzz: no commits")},
		Tokens: NewTokens(testTokenSet()), Limits: Limits{MaxBodyBytes: 1 << 20, MaxFeatures: 100}})
})

func FuzzWriteBody(f *testing.F) {
	f.Add("places", mediaGeoJSON, []byte(placeFeature("p9", 106.005, 37.405, "school")))
	f.Add("places", mediaGeoJSON, []byte(featureCollection(placeFeature("p9", 106.005, 37.405, "school"))))
	f.Add("places", "text/csv", []byte("id,lon,lat,name,kind\np9,106.005,37.405,School,school\n"))
	f.Add("grids", mediaGeoJSON, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":"g","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]},"properties":{}}]}`))
	f.Add("places", "", []byte(`{"type":"Feature","x":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}`))
	f.Add("places", mediaGeoJSON, []byte("{\"type\":\"Feature\",\"id\":\"\xff\"}"))
	f.Add("cameras", "text/csv; charset=gb18030", []byte("id,lon,lat\n\xb0\xa1,1,2\n"))
	s := fuzzServer()
	f.Fuzz(func(t *testing.T, layer, contentType string, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/collections/"+url.PathEscape(layer)+"/items", bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		wb, err := s.decodeWriteBody(req, writeTarget{layer: layer, crs: data.WGS84}, body)
		checkCoded(t, err)
		if err == nil {
			for i, it := range wb.items {
				if it == nil || it.FeatureGeometry() == nil {
					t.Fatalf("item %d decoded without a geometry", i)
				}
			}
		}
	})
}

func FuzzMergePatch(f *testing.F) {
	a := fixtureAtlas(f, 5)
	s := fuzzServer()
	for _, p := range []string{`{"properties":{"online":false}}`, `{"geometry":{"type":"Point","coordinates":[106.01,37.41]}}`,
		`{"geometry":null}`, `{"id":"other"}`, `{"properties":null}`, `{"properties":{"id":7}}`, `[]`, `null`, `{"type":"Polygon"}`} {
		f.Add("c01", p)
		f.Add("r1", p)
	}
	f.Fuzz(func(t *testing.T, id, raw string) {
		patch, err := s.parsePatch([]byte(raw), id)
		checkCoded(t, err)
		if err != nil {
			return
		}
		for _, layer := range []string{geo.LayerCameras, geo.LayerResponders} {
			l, _ := a.Layer(layer)
			base, ok := l.FeatureByID(id)
			if !ok {
				continue
			}
			item, err := patchedItem(base, layer, id, patch)
			checkCoded(t, err)
			if err == nil && item.FeatureID() != id {
				t.Fatalf("the patch changed the id %q to %q", id, item.FeatureID())
			}
		}
	})
}

func FuzzTokenFile(f *testing.F) {
	f.Add("admin sha256:" + strings.Repeat("ab", 32) + " ada 2030-01-01T00:00:00Z\n# comment\n\nviewer sha256:" + strings.Repeat("0", 64) + " vera\n")
	f.Add("root sha256:xyz x\n")
	f.Add("admin sha256:" + strings.Repeat("ab", 32) + " ada expires 2030-01-01T00:00:00+08:00\n")
	f.Add("admin " + strings.Repeat("ab", 32) + " ada soon\n")
	f.Fuzz(func(t *testing.T, text string) {
		ts, err := ParseTokenFile(strings.NewReader(text))
		if err != nil {
			checkCoded(t, err)
			return
		}
		for _, tok := range ts.Tokens() {
			if _, err := ParseRole(string(tok.Role)); err != nil || tok.Name == "" {
				t.Fatalf("accepted a token with role %q name %q", tok.Role, tok.Name)
			}
		}
	})
}

// fuzzRoutes are the GET routes of the router with their parameters
// filled in, for FuzzEveryRouteQuery.
func fuzzRoutes(t testing.TB, s *Server) []string {
	mux := s.handler.(chi.Routes)
	var out []string
	err := chi.Walk(mux, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method != http.MethodGet || strings.HasSuffix(route, "*") {
			return nil
		}
		path := normalizePattern(route)
		for _, fill := range []string{"cameras", "grids"} {
			p := strings.Replace(path, "/collections/{}", "/collections/"+fill, 1)
			p = strings.ReplaceAll(p, "/items/{}", map[string]string{"cameras": "/items/c01", "grids": "/items/g1"}[fill])
			p = strings.ReplaceAll(p, "{}", "c01")
			if !contains(out, p) {
				out = append(out, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// FuzzEveryRouteQuery sends the same raw query to every GET route (every
// query parser of the API, whoever wrote it): none may answer 5xx.
func FuzzEveryRouteQuery(f *testing.F) {
	s, _ := newTestServer(f, 30)
	routes := fuzzRoutes(f, s)
	for _, q := range []string{"", "limit=5", "lon=106.01&lat=37.41&k=3", "bbox=106,37,107,38", "k=-1", "k=1e9", "lon=NaN&lat=1",
		"days=30&as_of=2024-03-01", "level=township", "f=html", "%zz", "limit=1&limit=2", "lon=200&lat=95", "max_distance_m=1e400",
		"as_of=2024-02-30", "res=99", "datetime=2024-01-01/..", "\x00=\x00"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, rawQuery string) {
		for _, path := range routes {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.URL.RawQuery = rawQuery
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("GET %s?%s: %d %s", path, rawQuery, rec.Code, rec.Body.String())
			}
		}
	})
}
