package data

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/paulmach/orb"

	"gridwatch/geo"
)

// The fuzz targets check that hostile input never panics, hangs or gets
// through half-decoded: every outcome is items or a coded *geo.Error (an
// Invalid one for bad input), never both and never another error.

// checkDecoded fails unless exactly one of items and err is set and err is
// an Invalid *geo.Error whose problems each say what was expected. (A blank
// CSV header cell is reported with an empty field name, so the field may be
// empty.)
func checkDecoded(t *testing.T, items []geo.Feature, err error) {
	t.Helper()
	if err == nil {
		for i, it := range items {
			if it == nil {
				t.Fatalf("item %d is nil without an error", i)
			}
		}
		return
	}
	if items != nil {
		t.Fatalf("items and an error: %v", err)
	}
	var ge *geo.Error
	if !errors.As(err, &ge) || ge.Code != geo.Invalid {
		t.Fatalf("not an Invalid *geo.Error: %T %v", err, err)
	}
	for _, p := range ge.Problems {
		if p.Expected == "" {
			t.Fatalf("a problem without an expectation: %+v", p)
		}
	}
}

func addFileSeed(f *testing.F, path string) {
	if raw, err := os.ReadFile(path); err == nil {
		f.Add(raw)
	}
}

func FuzzDecodeGeoJSON(f *testing.F) {
	addFileSeed(f, "../testdata/tiny/grids.geojson")
	addFileSeed(f, "../testdata/tiny/stations.geojson")
	for _, s := range []string{
		`{"type":"FeatureCollection","features":[]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","id":"s1","geometry":{"type":"Point","coordinates":[106,37]},"properties":{"name":"x"}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1e400,37]},"properties":{}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]},"properties":{"id":7}}]}`,
		`{"type":"Feature"}`, `[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]`, "\xff\xfe{}", `{"type":"FeatureCollection","features":[null,1,"x"]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, layer := range []string{geo.LayerStations, geo.LayerGrids} {
			items, err := DecodeGeoJSON(layer, bytes.NewReader(raw))
			checkDecoded(t, items, err)
		}
	})
}

func FuzzDecodeCSV(f *testing.F) {
	addFileSeed(f, "../testdata/tiny/cameras.csv")
	addFileSeed(f, "../testdata/tiny/responders.csv")
	for _, s := range []string{
		"id,lon,lat,name,kind\np1,106,37,School,school\n",
		"id,lon,lat\n", "", "\xef\xbb\xbfid,lon,lat,name,kind\np1,NaN,37,x,school\n",
		"id,lon,lat,name,kind\n\"p1,106,37\n", "id,id,lon\n", "id,lon,lat,name,kind\np1,200,95,x,school\n",
		"id,lon,lat,name\xff,kind\np1,1,2,\xb0\xa1,school\n", " ",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, layer := range []string{geo.LayerPlaces, geo.LayerCameras} {
			items, err := DecodeCSV(layer, bytes.NewReader(raw))
			checkDecoded(t, items, err)
		}
	})
}

// FuzzGeoPackageGeometry checks that decoding any blob is safe and that
// whatever decodes encodes back to a blob that decodes to the same geometry.
func FuzzGeoPackageGeometry(f *testing.F) {
	for _, g := range []orb.Geometry{
		orb.Point{106.1, 37.4},
		orb.Polygon{{{106, 37}, {106.1, 37}, {106.1, 37.1}, {106, 37}}},
		orb.MultiPolygon{{{{106, 37}, {106.1, 37}, {106.1, 37.1}, {106, 37}}}},
	} {
		blob, err := EncodeGeoPackageGeometry(g)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(blob)
	}
	f.Add([]byte("GP\x00\x01\xe6\x10\x00\x00"))
	f.Add([]byte("GP\x00\x03\xe6\x10\x00\x00\x01\x03\x00\x00\x00\xff\xff\xff\x7f"))
	f.Fuzz(func(t *testing.T, blob []byte) {
		g, err := DecodeGeoPackageGeometry(blob)
		if err != nil {
			if !errors.Is(err, errGeometryBlob) {
				t.Fatalf("error not marked as a malformed geometry: %v", err)
			}
			return
		}
		again, err := EncodeGeoPackageGeometry(g)
		if err != nil {
			return // a geometry type the store never writes
		}
		g2, err := DecodeGeoPackageGeometry(again)
		if err != nil {
			t.Fatalf("re-encoded blob does not decode: %v", err)
		}
		if !orb.Equal(g, g2) && !hasNaN(g) {
			t.Fatalf("round trip changed %v into %v", g, g2)
		}
	})
}

// hasNaN reports whether any coordinate of g is NaN (NaN != NaN).
func hasNaN(g orb.Geometry) bool {
	b := g.Bound()
	for _, v := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
		if v != v {
			return true
		}
	}
	return false
}
