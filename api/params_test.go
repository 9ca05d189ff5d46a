package api

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

func TestParseBBox(t *testing.T) {
	t.Parallel()
	box := func(a, b, c, d float64) orb.Bound { return orb.Bound{Min: orb.Point{a, b}, Max: orb.Point{c, d}} }
	tests := []struct {
		name, in string
		want     []orb.Bound
		bad      bool
	}{
		{"four", "106,37.4,106.01,37.41", []orb.Bound{box(106, 37.4, 106.01, 37.41)}, false},
		{"six uses the horizontal parts", "106,37.4,-10,106.01,37.41,100", []orb.Bound{box(106, 37.4, 106.01, 37.41)}, false},
		{"spaces", " 106, 37.4 ,106.01,37.41", []orb.Bound{box(106, 37.4, 106.01, 37.41)}, false},
		{"antimeridian", "170,-10,-170,10", []orb.Bound{box(170, -10, 180, 10), box(-180, -10, -170, 10)}, false},
		{"whole world", "-180,-90,180,90", []orb.Bound{box(-180, -90, 180, 90)}, false},
		{"three numbers", "1,2,3", nil, true},
		{"five numbers", "1,2,3,4,5", nil, true},
		{"not a number", "a,b,c,d", nil, true},
		{"empty part", "1,,3,4", nil, true},
		{"NaN", "NaN,1,2,3", nil, true},
		{"Inf", "1,1,Inf,3", nil, true},
		{"minlat above maxlat", "0,10,1,5", nil, true},
		{"latitude beyond the pole", "0,-91,1,5", nil, true},
		{"longitude beyond 180", "0,0,181,1", nil, true},
		{"heights reversed", "0,0,10,1,1,5", nil, true},
		{"empty", "", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, msg := parseBBox(tt.in)
			if tt.bad {
				require.NotEmpty(t, msg)
				return
			}
			require.Empty(t, msg)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseInterval(t *testing.T) {
	t.Parallel()
	t1 := time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)
	t2 := time.Date(2024, 3, 9, 17, 30, 0, 0, time.UTC)
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	endOfDay := day.Add(24*time.Hour - time.Nanosecond)
	tests := []struct {
		name, in string
		want     interval
		bad      bool
	}{
		{"instant", "2024-03-01T08:00:00Z", interval{start: t1, end: t1}, false},
		{"instant with offset", "2024-03-01T16:00:00+08:00", interval{start: t1, end: t1}, false},
		{"date is its day", "2024-03-01", interval{start: day, end: endOfDay}, false},
		{"interval", "2024-03-01T08:00:00Z/2024-03-09T17:30:00Z", interval{start: t1, end: t2}, false},
		{"open start", "../2024-03-09T17:30:00Z", interval{openStart: true, end: t2}, false},
		{"empty start", "/2024-03-09T17:30:00Z", interval{openStart: true, end: t2}, false},
		{"open end", "2024-03-01T08:00:00Z/..", interval{start: t1, openEnd: true}, false},
		{"empty end", "2024-03-01T08:00:00Z/", interval{start: t1, openEnd: true}, false},
		{"dates", "2024-03-01/2024-03-01", interval{start: day, end: endOfDay}, false},
		{"GDAL's date", "2024-03-01T/..", interval{start: day, openEnd: true}, false},
		{"both open", "../..", interval{openStart: true, openEnd: true}, false},
		{"start after end", "2024-03-09T17:30:00Z/2024-03-01T08:00:00Z", interval{}, true},
		{"garbage", "yesterday", interval{}, true},
		{"truncated", "2024-03-01T08", interval{}, true},
		{"no zone", "2024-03-01T08:00:00", interval{}, true},
		{"three parts", "2024-03-01/2024-03-02/2024-03-03", interval{}, true},
		{"lone dots", "..", interval{}, true},
		{"empty", "", interval{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, msg := parseInterval(tt.in)
			if tt.bad {
				require.NotEmpty(t, msg)
				return
			}
			require.Empty(t, msg)
			require.True(t, tt.want.start.Equal(got.start), "start %v, want %v", got.start, tt.want.start)
			require.True(t, tt.want.end.Equal(got.end), "end %v, want %v", got.end, tt.want.end)
			require.Equal(t, tt.want.openStart, got.openStart)
			require.Equal(t, tt.want.openEnd, got.openEnd)
		})
	}
}

// boundsMeet is the brute-force bbox test: the item's bounding box meets
// one of the boxes.
func boundsMeet(b orb.Bound, boxes ...orb.Bound) bool {
	for _, box := range boxes {
		if b.Min[0] <= box.Max[0] && b.Max[0] >= box.Min[0] && b.Min[1] <= box.Max[1] && b.Max[1] >= box.Min[1] {
			return true
		}
	}
	return false
}

func TestItems_BBoxMatchesBruteForce(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 400)
	for _, layer := range geo.LayerNames {
		t.Run(layer, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(7, 7))
			boxes := [][4]float64{
				{106, 37.4, 106.02, 37.42},             // everything
				{106.0, 37.4, 106.01, 37.41},           // g1, touching its neighbours' edges
				{106.0123, 37.4051, 106.0124, 37.4052}, // tiny
				{100, 30, 101, 31},                     // nothing
			}
			for range 20 {
				x, y := fixLon0-0.002+0.024*rng.Float64(), fixLat0-0.002+0.024*rng.Float64()
				boxes = append(boxes, [4]float64{x, y, x + 0.012*rng.Float64(), y + 0.012*rng.Float64()})
			}
			for _, b := range boxes {
				q := fmt.Sprintf("%.7f,%.7f,%.7f,%.7f", b[0], b[1], b[2], b[3])
				var parsed [4]float64
				_, err := fmt.Sscanf(q, "%f,%f,%f,%f", &parsed[0], &parsed[1], &parsed[2], &parsed[3])
				require.NoError(t, err)
				box := orb.Bound{Min: orb.Point{parsed[0], parsed[1]}, Max: orb.Point{parsed[2], parsed[3]}}
				want := bruteForce(a, layer, func(f *testFeatureItem) bool { return boundsMeet(f.bound, box) })
				ids, _ := getAll(t, s, "/collections/"+layer+"/items?limit=50&bbox="+q)
				require.Equal(t, want, ids, q)
			}
		})
	}
}

func TestItems_BBoxAcrossTheAntimeridian(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 200)
	tests := []struct {
		bbox  string
		boxes []orb.Bound
	}{
		// From 170°E east across 180° to 106.008°E: the western part of the fixture.
		{"170,37,106.008,38", []orb.Bound{
			{Min: orb.Point{170, 37}, Max: orb.Point{180, 38}}, {Min: orb.Point{-180, 37}, Max: orb.Point{106.008, 38}}}},
		// From 106.013°E across 180° to 170°W: the eastern part.
		{"106.013,37,-170,38", []orb.Bound{
			{Min: orb.Point{106.013, 37}, Max: orb.Point{180, 38}}, {Min: orb.Point{-180, 37}, Max: orb.Point{-170, 38}}}},
		// From 120°E to 100°E the long way round: everything.
		{"120,-90,100,90", []orb.Bound{
			{Min: orb.Point{120, -90}, Max: orb.Point{180, 90}}, {Min: orb.Point{-180, -90}, Max: orb.Point{100, 90}}}},
		// From 170°E to 170°W: nothing here.
		{"170,-90,-170,90", []orb.Bound{
			{Min: orb.Point{170, -90}, Max: orb.Point{180, 90}}, {Min: orb.Point{-180, -90}, Max: orb.Point{-170, 90}}}},
	}
	for _, tt := range tests {
		for _, layer := range []string{"incidents", "grids", "settlements"} {
			want := bruteForce(a, layer, func(f *testFeatureItem) bool { return boundsMeet(f.bound, tt.boxes...) })
			ids, _ := getAll(t, s, "/collections/"+layer+"/items?limit=1000&bbox="+tt.bbox)
			require.Equal(t, want, ids, "%s %s", layer, tt.bbox)
		}
	}
	west := getItems(t, s, "/collections/grids/items?bbox=170,37,106.008,38")
	require.Equal(t, []string{"g1", "g2"}, west.ids())
}

func TestItems_MalformedBBoxIs400(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	for _, b := range []string{"1,2,3", "a,b,c,d", "106,37.5,106.1,37.4", "0,0,0,0,0", "106,37,200,38", ""} {
		p := requireProblem(t, get(t, s, "/collections/grids/items?bbox="+url.QueryEscape(b)), http.StatusBadRequest)
		require.Equal(t, "bbox", p.Errors[0].Field, b)
	}
}

func TestItems_DatetimeMatchesBruteForce(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 300)
	at := func(i int) time.Time { return fixtureIncidentStart.Add(time.Duration(i) * fixtureIncidentEvery) }
	f := func(t time.Time) string { return t.Format(time.RFC3339) }
	type span struct{ lo, hi time.Time }
	open := time.Time{}
	tests := []struct {
		layer, datetime string
		span            span // zero lo or hi is open
	}{
		{"incidents", f(at(10)), span{at(10), at(10)}},
		{"incidents", f(at(10).Add(time.Second)), span{at(10).Add(time.Second), at(10).Add(time.Second)}},
		{"incidents", f(at(20)) + "/" + f(at(40)), span{at(20), at(40)}},
		{"incidents", f(at(20).Add(time.Minute)) + "/" + f(at(40).Add(-time.Minute)), span{at(20).Add(time.Minute), at(40).Add(-time.Minute)}},
		{"incidents", "../" + f(at(17)), span{open, at(17)}},
		{"incidents", "/" + f(at(17)), span{open, at(17)}},
		{"incidents", f(at(250)) + "/..", span{at(250), open}},
		{"incidents", f(at(250)) + "/", span{at(250), open}},
		{"incidents", "2024-01-05", span{time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 5, 23, 59, 59, 999999999, time.UTC)}},
		{"incidents", "2030-01-01T00:00:00Z/..", span{time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), open}},
		{"cameras", "2023-01-11T12:00:00Z", span{time.Date(2023, 1, 11, 12, 0, 0, 0, time.UTC), time.Date(2023, 1, 11, 12, 0, 0, 0, time.UTC)}},
		{"cameras", "2023-02-01T00:00:00Z/2023-05-01T00:00:00Z", span{time.Date(2023, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC)}},
		{"responders", "2024-06-01T09:00:00Z/..", span{time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC), open}},
	}
	for _, tt := range tests {
		t.Run(tt.layer+" "+tt.datetime, func(t *testing.T) {
			t.Parallel()
			want := bruteForce(a, tt.layer, func(fi *testFeatureItem) bool {
				var lo, hi time.Time
				switch v := fi.item.(type) {
				case *geo.Incident:
					lo, hi = v.Time, v.Time
				case *geo.Responder:
					lo, hi = v.Updated, v.Updated
				case *geo.Camera: // an installation date covers its day
					lo, hi = v.Installed, v.Installed.Add(24*time.Hour-time.Nanosecond)
				}
				return (tt.span.hi.IsZero() || !lo.After(tt.span.hi)) && (tt.span.lo.IsZero() || !hi.Before(tt.span.lo))
			})
			ids, _ := getAll(t, s, "/collections/"+tt.layer+"/items?limit=40&datetime="+url.QueryEscape(tt.datetime))
			require.Equal(t, want, ids)
		})
	}
	require.Equal(t, []string{"i0011"}, getItems(t, s, "/collections/incidents/items?datetime="+f(at(10))).ids())
	require.Equal(t, []string{"c02"}, getItems(t, s, "/collections/cameras/items?datetime=2023-01-11T12:00:00Z").ids())
}

func TestItems_DatetimeOnLayerWithoutTimeIs400(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	for _, layer := range []string{"grids", "townships", "places", "settlements", "beats", "stations", "villages"} {
		p := requireProblem(t, get(t, s, "/collections/"+layer+"/items?datetime=2024-01-01T00:00:00Z"), http.StatusBadRequest)
		require.Equal(t, "datetime", p.Errors[0].Field)
		require.Contains(t, p.Errors[0].Expected, "incidents")
	}
	for _, bad := range []string{"soon", "2024-13-01T00:00:00Z", "2024-02-01T00:00:00Z/2024-01-01T00:00:00Z", "a/b/c"} {
		p := requireProblem(t, get(t, s, "/collections/incidents/items?datetime="+url.QueryEscape(bad)), http.StatusBadRequest)
		require.Equal(t, "datetime", p.Errors[0].Field, bad)
	}
}

func TestItems_EveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	p := requireProblem(t, get(t, s, "/collections/grids/items?limit=0&bbox=x&datetime=2024-01-01&zzz=1"), http.StatusBadRequest)
	var fields []string
	for _, e := range p.Errors {
		fields = append(fields, e.Field)
		require.Equal(t, "grids", e.Layer)
		require.Equal(t, -1, e.Index)
	}
	require.Equal(t, []string{"bbox", "datetime", "limit", "zzz"}, fields)
}
