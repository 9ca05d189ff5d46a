package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"gridwatch/geo"
)

const tinyDir = "../testdata/tiny"

func readTiny(t *testing.T) (*geo.Dataset, *geo.Atlas) {
	t.Helper()
	ds, err := ReadDir(tinyDir)
	require.NoError(t, err)
	a, err := geo.NewAtlas(ds, geo.Options{})
	require.NoError(t, err)
	return ds, a
}

func problemsOf(t *testing.T, err error) []geo.Problem {
	t.Helper()
	require.Error(t, err)
	var ge *geo.Error
	require.True(t, errors.As(err, &ge), "want a *geo.Error, got %T: %v", err, err)
	require.Equal(t, geo.Invalid, ge.Code)
	return ge.Problems
}

func TestReadDir_Tiny(t *testing.T) {
	t.Parallel()
	ds, a := readTiny(t)
	require.Equal(t, map[string]int{"townships": 2, "villages": 2, "grids": 4, "beats": 2, "stations": 1,
		"cameras": 4, "responders": 4, "incidents": 6, "settlements": 4, "places": 3, "waterways": 0, "roads": 0}, ds.Counts())
	require.Equal(t, "2026-06-30", a.Meta.AsOf.Format(DateLayout))

	// places.csv is GB18030, cameras.csv UTF-8 with a byte-order mark.
	p, ok := a.Places.Get("P1")
	require.True(t, ok)
	require.Equal(t, "红寺堡第一小学", p.Name)
	require.Equal(t, "G1", p.Grid)
	c, ok := a.Cameras.Get("C3")
	require.True(t, ok)
	require.Equal(t, "G2", c.Grid, "a derived grid given in the file is recomputed")
	r, ok := a.Responders.Get("R1")
	require.True(t, ok)
	require.Equal(t, []string{"G1", "G2"}, r.Grids)
	r3, _ := a.Responders.Get("R3")
	require.Empty(t, r3.Grids)
	in, _ := a.Incidents.Get("I6")
	require.Equal(t, "", in.Grid, "an incident outside every grid has no grid")
}

func TestGeoJSON_RoundTrip(t *testing.T) {
	t.Parallel()
	ds, _ := readTiny(t)
	for _, compress := range []bool{false, true} {
		dir := t.TempDir()
		require.NoError(t, WriteDir(dir, ds, compress))
		back, err := ReadDir(dir)
		require.NoError(t, err)
		_, err = geo.NewAtlas(back, geo.Options{})
		require.NoError(t, err)
		require.Equal(t, ds, back, "compress=%v", compress)
	}
}

func TestCSV_RoundTrip(t *testing.T) {
	t.Parallel()
	ds, _ := readTiny(t)
	for _, layer := range CSVLayers {
		var buf bytes.Buffer
		require.NoError(t, EncodeCSV(&buf, layer, ds.Layer(layer)))
		back, err := DecodeCSV(layer, bytes.NewReader(buf.Bytes()))
		require.NoError(t, err, layer)
		require.Equal(t, ds.Layer(layer), back, "%s in UTF-8", layer)

		gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(buf.Bytes())
		require.NoError(t, err)
		back, err = DecodeCSV(layer, bytes.NewReader(gb))
		require.NoError(t, err, layer)
		require.Equal(t, ds.Layer(layer), back, "%s in GB18030", layer)
	}
}

func TestDecodeCSV_Errors(t *testing.T) {
	t.Parallel()
	header := "id,lon,lat,source,type,bearing_deg,fov_deg,range_m,online,installed\n"
	good := "C1,106.005,37.405,xueliang,fixed,90,60,100,true,2024-05-01\n"
	cases := []struct {
		name  string
		text  string
		line  int
		field string
		want  string
	}{
		{"unknown column", "id,lon,lat,colour\nC1,1,2,red\n", 1, "colour", "a known column"},
		{"missing lon column", "id,lat,source\n", 1, "lon", "a column lon"},
		{"short row", header + good + "C2,106\n", 3, "row", "10 fields"},
		{"bad number", header + good + "C2,east,37.4,xueliang,fixed,90,60,100,true,2024-05-01\n", 3, "lon", "a number of degrees"},
		{"bad boolean", header + good + "C2,106,37.4,xueliang,fixed,90,60,100,yes,2024-05-01\n", 3, "online", "true or false"},
		{"bad date", header + good + "C2,106,37.4,xueliang,fixed,90,60,100,true,01/05/2024\n", 3, "installed", "a date YYYY-MM-DD"},
		{"missing required", header + good + "C2,106,37.4,,fixed,90,60,100,true,2024-05-01\n", 3, "source", "required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := DecodeCSV(geo.LayerCameras, strings.NewReader(tc.text))
			ps := problemsOf(t, err)
			require.NotEmpty(t, ps)
			require.Equal(t, tc.line, ps[0].Line)
			require.Equal(t, tc.field, ps[0].Field)
			require.Contains(t, ps[0].Expected, tc.want)
		})
	}
	t.Run("not text", func(t *testing.T) {
		t.Parallel()
		_, err := DecodeCSV(geo.LayerCameras, bytes.NewReader([]byte{0x81, 0x30, 0xff, 0xff}))
		require.Error(t, err)
		require.Equal(t, geo.Invalid, geo.ErrorCode(err))
	})
	t.Run("Latin-1 text is refused, naming its line", func(t *testing.T) {
		t.Parallel()
		latin1 := "id,lon,lat,name,kind\nP1,106.006,37.406,School,school\nP2,106.016,37.414,Caf\xe9,clinic\n"
		_, err := DecodeCSV(geo.LayerPlaces, strings.NewReader(latin1))
		ps := problemsOf(t, err)
		require.Len(t, ps, 1)
		require.Equal(t, 3, ps[0].Line)
		require.Equal(t, "text", ps[0].Field)
		require.Contains(t, ps[0].Expected, "0xe9")
	})
	t.Run("GB18030 sequence outside the mapping is refused", func(t *testing.T) {
		t.Parallel()
		text := "id,lon,lat,name,kind\nP1,106.006,37.406,\xfe\x39\xfe\x39,school\n"
		_, err := DecodeCSV(geo.LayerPlaces, strings.NewReader(text))
		ps := problemsOf(t, err)
		require.Len(t, ps, 1)
		require.Equal(t, 2, ps[0].Line)
	})
	t.Run("polygon layer", func(t *testing.T) {
		t.Parallel()
		_, err := DecodeCSV(geo.LayerGrids, strings.NewReader("id,lon,lat\n"))
		require.Error(t, err)
	})
}

func TestDecodeGeoJSON_Errors(t *testing.T) {
	t.Parallel()
	pt := `{"type":"Point","coordinates":[106,37.4]}`
	station := func(id, props string) string {
		return `{"type":"Feature","id":` + id + `,"geometry":` + pt + `,"properties":{` + props + `}}`
	}
	cases := []struct {
		name, text string
		index      int
		field      string
		want       string
	}{
		{"not a collection", `{"type":"Feature"}`, -1, "type", `"FeatureCollection"`},
		{"wrong property type", `{"type":"FeatureCollection","features":[` + station(`"A"`, `"name":5`) + `]}`, 0, "name", "a string"},
		{"unknown property", `{"type":"FeatureCollection","features":[` + station(`"A"`, `"name":"x","colour":"red"`) + `]}`, 0, "colour", "no such property"},
		{"conflicting ids", `{"type":"FeatureCollection","features":[` + station(`"A"`, `"id":"B","name":"x"`) + `]}`, 0, "id", "the same id"},
		{"no id", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":` + pt + `,"properties":{"name":"x"}}]}`, 0, "id", "a feature id"},
		{"wrong geometry", `{"type":"FeatureCollection","features":[` + station(`"A"`, `"name":"x"`) + `,{"type":"Feature","id":"B","geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]},"properties":{"name":"y"}}]}`, 1, "geometry", "a Point, got LineString"},
		{"broken feature", `{"type":"FeatureCollection","features":[` + station(`"A"`, `"name":"x"`) + `,{"type":"Feature","geometry":{"type":"Point","coordinates":"x"}}]}`, 1, "feature", "a GeoJSON Feature"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := DecodeGeoJSON(geo.LayerStations, strings.NewReader(tc.text))
			ps := problemsOf(t, err)
			require.NotEmpty(t, ps)
			require.Equal(t, tc.index, ps[0].Index)
			require.Equal(t, tc.field, ps[0].Field)
			require.Contains(t, ps[0].Expected, tc.want)
		})
	}
	t.Run("syntax error names the line", func(t *testing.T) {
		t.Parallel()
		_, err := DecodeGeoJSON(geo.LayerStations, strings.NewReader("{\"type\":\"FeatureCollection\",\n\"features\":[,]}"))
		require.ErrorContains(t, err, "line 2")
	})
	t.Run("integer id", func(t *testing.T) {
		t.Parallel()
		items, err := DecodeGeoJSON(geo.LayerStations, strings.NewReader(`{"type":"FeatureCollection","features":[`+station(`7`, `"name":"x"`)+`]}`))
		require.NoError(t, err)
		require.Equal(t, "7", items[0].FeatureID())
	})
}

func TestReadDir_ReportsEveryFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ds, _ := readTiny(t)
	require.NoError(t, WriteDir(dir, ds, false))
	bad := `{"type":"FeatureCollection","features":[{"type":"Feature","id":"X","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"name":1}}]}`
	require.NoError(t, writeFile(filepath.Join(dir, "stations.geojson"), bad))
	require.NoError(t, writeFile(filepath.Join(dir, "places.csv"), "id,lon,lat,name,kind\nP1,x,2,a,school\n"))
	_, err := ReadDir(dir)
	require.Error(t, err, "two files for one layer")
	require.NoError(t, removeFile(filepath.Join(dir, "places.geojson")))
	_, err = ReadDir(dir)
	ps := problemsOf(t, err)
	layers := map[string]bool{}
	for _, p := range ps {
		layers[p.Layer] = true
	}
	require.Equal(t, map[string]bool{"stations": true, "places": true}, layers)
}

func TestReadDir_NoSuchDirectory(t *testing.T) {
	t.Parallel()
	_, err := ReadDir(filepath.Join(t.TempDir(), "missing"))
	require.Equal(t, geo.Invalid, geo.ErrorCode(err))
	require.Contains(t, err.Error(), "no such directory")
}

// A missing required value does not hide the problems of the features
// that decode: all come back at once, each at its position in the file.
func TestReadDir_EveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d, err := Generate(GenerateOptions{Seed: 3, Scale: 0.02})
	require.NoError(t, err)
	require.NoError(t, WriteDir(dir, d, false))
	edit := func(layer string, change func(fs []map[string]any)) {
		path := filepath.Join(dir, layer+".geojson")
		raw, err := os.ReadFile(path)
		require.NoError(t, err)
		var fc map[string]any
		require.NoError(t, json.Unmarshal(raw, &fc))
		var feats []map[string]any
		for _, f := range fc["features"].([]any) {
			feats = append(feats, f.(map[string]any))
		}
		change(feats)
		raw, err = json.Marshal(fc)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, raw, 0o644))
	}
	edit(geo.LayerResponders, func(fs []map[string]any) {
		delete(fs[1]["properties"].(map[string]any), "station")  // missing: a decoding problem
		fs[3]["properties"].(map[string]any)["role"] = "sheriff" // a checking problem, after it
	})
	_, err = ReadDir(dir)
	var ge *geo.Error
	require.ErrorAs(t, err, &ge)
	got := map[string]int{}
	for _, p := range ge.Problems {
		got[p.Field] = p.Index
	}
	require.Equal(t, map[string]int{"station": 1, "role": 3}, got, "%v", ge.Problems)
}
