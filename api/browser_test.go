package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/geo"
)

// browserTimeout bounds each wait of the browser tests (under -race the
// first analysis answers take a few seconds).
const browserTimeout = 45 * time.Second

// browserAtlas is a small generated district (25 grids): every layer has
// features, and the race detector keeps up.
func browserAtlas(tb testing.TB) *geo.Atlas {
	tb.Helper()
	d, err := data.Generate(data.GenerateOptions{Seed: 1, Scale: 0.05})
	require.NoError(tb, err)
	a, err := geo.NewAtlas(d, geo.Options{})
	require.NoError(tb, err)
	return a
}

// apiJSON GETs an API path from the test server and decodes it.
func apiJSON[T any](tb testing.TB, base, path string) T {
	tb.Helper()
	res, err := http.Get(base + path)
	require.NoError(tb, err)
	defer res.Body.Close()
	require.Equal(tb, http.StatusOK, res.StatusCode, path)
	var v T
	require.NoError(tb, json.NewDecoder(res.Body).Decode(&v), path)
	return v
}

// apiCollection is a FeatureCollection with the properties left as JSON.
type apiCollection struct {
	NumberMatched *int `json:"numberMatched"`
	Features      []struct {
		ID         any                        `json:"id"`
		Properties map[string]json.RawMessage `json:"properties"`
	} `json:"features"`
}

// count returns the features a layer's endpoint has in all.
func (c apiCollection) count() int {
	if c.NumberMatched != nil {
		return *c.NumberMatched
	}
	return len(c.Features)
}

// byID returns the properties of the feature with the id.
func (c apiCollection) byID(tb testing.TB, id string) map[string]json.RawMessage {
	tb.Helper()
	for _, f := range c.Features {
		if fmt.Sprint(f.ID) == id || string(f.Properties["id"]) == `"`+id+`"` {
			return f.Properties
		}
	}
	tb.Fatalf("no feature %s", id)
	return nil
}

// sameJSON reports whether two JSON values are equal as values.
func sameJSON(tb testing.TB, a, b string) bool {
	tb.Helper()
	var x, y any
	require.NoError(tb, json.Unmarshal([]byte(a), &x), a)
	require.NoError(tb, json.Unmarshal([]byte(b), &y), b)
	return fmt.Sprint(x) == fmt.Sprint(y)
}

// layerState is what window.gridwatchMap.layers() reports for one layer.
type layerState struct {
	Visible bool   `json:"visible"`
	Status  string `json:"status"`
	Count   int    `json:"count"`
	BBox    string `json:"bbox"`
}

// panelCell is one figure of a panel, as the page printed it.
type panelCell struct {
	Source string `json:"source"`
	Figure string `json:"figure"`
	Value  string `json:"value"`
	Row    int    `json:"row"`
}

const panelCellsJS = `Array.from(document.querySelectorAll('#gw-panel td[data-source][data-figure]')).map(td => {
	const tr = td.closest('tr[data-gap]');
	return {source: td.dataset.source, figure: td.dataset.figure, value: td.dataset.value, row: tr ? Number(tr.dataset.gap) : -1};
})`

// clickablePoint returns a point well inside a grid: its centroid, when
// the grid holds it.
func clickablePoint(tb testing.TB, a *geo.Atlas, skip int) (string, orb.Point) {
	tb.Helper()
	for _, g := range a.Grids.Items() {
		c, _ := planar.CentroidArea(g.Polygon)
		if got, ok := a.GridAt(c); !ok || got.ID != g.ID {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		return g.ID, c
	}
	tb.Fatal("no grid holds its centroid")
	return "", orb.Point{}
}

func TestBrowser_MapPage(t *testing.T) {
	t.Parallel()
	a := browserAtlas(t)
	srv := httptest.NewServer(New(Options{Atlas: func() *geo.Atlas { return a }}))
	t.Cleanup(srv.Close)
	b := newBrowser(t, 1400, 900)
	b.do(t, chromedp.Navigate(srv.URL+"/map?layers=all"))
	b.waitFor(t, "every layer", "window.gridwatchMap && window.gridwatchMap.ready()", browserTimeout)

	t.Run("every layer draws every feature of its endpoint", func(t *testing.T) {
		layers := eval[map[string]layerState](t, b, "window.gridwatchMap.layers()")
		tests := []struct{ layer, path string }{
			{"grids", "/collections/grids/items?limit=10000"},
			{"townships", "/collections/townships/items?limit=10000"},
			{"villages", "/collections/villages/items?limit=10000"},
			{"beats", "/collections/beats/items?limit=10000"},
			{"misfits", "/load/congruence"},
			{"gaps", "/coverage/gaps?variant=installed&limit=10000"},
			{"hotspots", "/coverage/hotspots?variant=installed"},
			{"cameras", "/collections/cameras/items?limit=1"},
			{"responders", "/collections/responders/items?limit=10000"},
			{"incidents", "/collections/incidents/items?limit=1"},
			{"response_gaps", "/response/gaps"},
		}
		require.Len(t, layers, len(tests)+1)
		require.Equal(t, layerState{Visible: true, Status: "zoom"}, layers["viewsheds"], "viewsheds wait for zoom 13")
		for _, tt := range tests {
			t.Run(tt.layer, func(t *testing.T) {
				got := layers[tt.layer]
				require.Equal(t, "loaded", got.Status, tt.layer)
				want := apiJSON[apiCollection](t, srv.URL, tt.path).count()
				require.Positive(t, want, "the fixture must give %s features", tt.layer)
				require.Equal(t, want, got.Count, tt.layer)
			})
		}
	})

	b.screenshot(t, "map-all-layers.png")

	t.Run("viewsheds load by bounding box when zoomed in", func(t *testing.T) {
		cams := a.Cameras.Items()
		require.NotEmpty(t, cams)
		c := cams[len(cams)/2].Point
		b.run(t, fmt.Sprintf("window.gridwatchMap.map.setView([%f, %f], 14, {animate: false})", c.Lat(), c.Lon()))
		b.waitFor(t, "the viewsheds", "(l => l.viewsheds.status === 'loaded')(window.gridwatchMap.layers())", browserTimeout)
		b.waitFor(t, "every layer", "window.gridwatchMap.ready()", browserTimeout)
		got := eval[layerState](t, b, "window.gridwatchMap.layers().viewsheds")
		require.NotEmpty(t, got.BBox)
		want := apiJSON[apiCollection](t, srv.URL, "/collections/viewsheds/items?limit=10000&bbox="+got.BBox).count()
		require.Positive(t, want)
		require.Equal(t, want, got.Count)
		b.run(t, "window.gridwatchMap.fit()")
		b.waitFor(t, "the district view", "window.gridwatchMap.ready()", browserTimeout)
		require.Equal(t, "zoom", eval[string](t, b, "window.gridwatchMap.layers().viewsheds.status"))
	})

	t.Run("filters, variant and downloads follow the API", func(t *testing.T) {
		townships := apiJSON[apiCollection](t, srv.URL, "/collections/townships/items")
		require.NotEmpty(t, townships.Features)
		tw := fmt.Sprint(townships.Features[0].ID)
		b.run(t, fmt.Sprintf("window.gridwatchMap.setTownship(%q)", tw))
		b.waitFor(t, "the township filter", "window.gridwatchMap.ready()", browserTimeout)
		layers := eval[map[string]layerState](t, b, "window.gridwatchMap.layers()")
		for _, tt := range []struct{ layer, path string }{
			{"grids", "/collections/grids/items?limit=10000&township=" + tw},
			{"villages", "/collections/villages/items?limit=10000&township=" + tw},
		} {
			require.Equal(t, apiJSON[apiCollection](t, srv.URL, tt.path).count(), layers[tt.layer].Count, tt.layer)
		}
		grids := eval[apiCollection](t, b, "window.gridwatchMap.geojson('grids')")
		require.Len(t, grids.Features, layers["grids"].Count)
		for _, f := range grids.Features {
			require.Contains(t, f.Properties, "coverage_area", "the download carries the figures")
		}
		b.run(t, "window.gridwatchMap.setTownship('')")

		b.run(t, "window.gridwatchMap.setVariant('operational')")
		b.waitFor(t, "the operational variant", "window.gridwatchMap.ready()", browserTimeout)
		layers = eval[map[string]layerState](t, b, "window.gridwatchMap.layers()")
		for _, tt := range []struct{ layer, path string }{
			{"gaps", "/coverage/gaps?variant=operational&limit=10000"},
			{"hotspots", "/coverage/hotspots?variant=operational"},
			{"cameras", "/collections/cameras/items?limit=1&online=true"},
		} {
			require.Equal(t, apiJSON[apiCollection](t, srv.URL, tt.path).count(), layers[tt.layer].Count, tt.layer)
		}
		b.run(t, "window.gridwatchMap.setVariant('installed')")
		b.waitFor(t, "the installed variant", "window.gridwatchMap.ready()", browserTimeout)
	})

	t.Run("a grid's panel shows the API's figures", func(t *testing.T) {
		id, pt := clickablePoint(t, a, 3)
		b.run(t, `window.gridwatchMap.show(['grids', 'townships', 'villages'])`)
		b.waitFor(t, "the grids alone", "window.gridwatchMap.ready()", browserTimeout)
		px := eval[struct{ X, Y float64 }](t, b, fmt.Sprintf("window.gridwatchMap.pixel(%f, %f)", pt.Lat(), pt.Lon()))
		b.do(t, chromedp.MouseClickXY(px.X, px.Y))
		b.waitFor(t, "the grid panel", `(p => p && p.kind === 'grid' && !p.loading)(window.gridwatchMap.panel())`, browserTimeout)
		require.Equal(t, id, eval[string](t, b, "window.gridwatchMap.panel().id"))

		cells := eval[[]panelCell](t, b, panelCellsJS)
		sources := map[string]apiCollection{
			"coverage": apiJSON[apiCollection](t, srv.URL, "/coverage/grids?variant=installed"),
			"load":     apiJSON[apiCollection](t, srv.URL, "/load/grids"),
			"response": apiJSON[apiCollection](t, srv.URL, "/response/grids"),
			"gaps":     apiJSON[apiCollection](t, srv.URL, "/coverage/gaps?variant=installed&limit=3&grid="+url.QueryEscape(id)),
		}
		checked := map[string]int{}
		for _, c := range cells {
			var props map[string]json.RawMessage
			if c.Source == "gaps" {
				require.Less(t, c.Row, len(sources["gaps"].Features))
				props = sources["gaps"].Features[c.Row].Properties
			} else {
				props = sources[c.Source].byID(t, id)
			}
			want, ok := props[c.Figure]
			require.True(t, ok, "the API has no %s.%s", c.Source, c.Figure)
			require.True(t, sameJSON(t, string(want), c.Value), "%s.%s: page %s, API %s", c.Source, c.Figure, c.Value, want)
			checked[c.Source]++
		}
		require.GreaterOrEqual(t, checked["coverage"], 10, "coverage figures shown")
		require.GreaterOrEqual(t, checked["load"], 15, "load and staffing figures shown")
	})

	t.Run("a point's panel shows the nearest responders", func(t *testing.T) {
		_, pt := clickablePoint(t, a, 10)
		px := eval[struct{ X, Y float64 }](t, b, fmt.Sprintf("window.gridwatchMap.pixel(%f, %f)", pt.Lat(), pt.Lon()))
		b.do(t, chromedp.MouseClickXY(px.X, px.Y, chromedp.ButtonType(input.MouseButtonRight)))
		b.waitFor(t, "the point panel", `(p => p && p.kind === 'point' && !p.loading)(window.gridwatchMap.panel())`, browserTimeout)
		state := eval[struct {
			Status string          `json:"status"`
			Lon    string          `json:"lon"`
			Lat    string          `json:"lat"`
			Drawn  int             `json:"drawn"`
			Query  json.RawMessage `json:"query"`
		}](t, b, "window.gridwatchMap.panel()")
		require.Equal(t, "loaded", state.Status)
		rows := eval[[]struct{ ID, Distance, Eta string }](t, b,
			`Array.from(document.querySelectorAll('#gw-panel tr[data-responder]')).map(r => ({id: r.dataset.responder, distance: r.dataset.distance, eta: r.dataset.eta}))`)
		units := eval[map[string]string](t, b,
			`Object.fromEntries(Array.from(document.querySelectorAll('#gw-panel td[data-figure]')).map(td => [td.dataset.figure, td.dataset.value]))`)

		nearest := apiJSON[apiCollection](t, srv.URL, "/responders/nearest?k=5&lon="+state.Lon+"&lat="+state.Lat)
		require.NotEmpty(t, nearest.Features)
		query := nearest.Features[0].Properties
		require.Len(t, rows, len(nearest.Features)-1)
		require.NotEmpty(t, rows)
		for i, r := range rows {
			p := nearest.Features[i+1].Properties
			require.True(t, sameJSON(t, string(p["id"]), `"`+r.ID+`"`), "rank %d: page %s, API %s", i+1, r.ID, p["id"])
			require.True(t, sameJSON(t, string(p["distance_m"]), r.Distance), "distance of %s", r.ID)
			require.True(t, sameJSON(t, string(p["eta_s"]), r.Eta), "arrival of %s", r.ID)
		}
		for _, k := range []string{"grid", "village", "township", "beat", "station"} {
			require.True(t, sameJSON(t, string(query[k]), units[k]), "%s: page %s, API %s", k, units[k], query[k])
		}
		var wantAssigned, gotAssigned []string
		require.NoError(t, json.Unmarshal(query["assigned"], &wantAssigned))
		require.NoError(t, json.Unmarshal([]byte(units["assigned"]), &gotAssigned))
		sort.Strings(wantAssigned)
		sort.Strings(gotAssigned)
		require.Equal(t, wantAssigned, gotAssigned)
		require.Equal(t, 2*len(rows)+1, state.Drawn, "a line and a marker per responder, and the point")
	})

	t.Run("the language switch", func(t *testing.T) {
		legendTitle := `document.querySelector('#gw-legend h2').textContent`
		require.Equal(t, "图层", eval[string](t, b, legendTitle), "Chinese by default")
		b.do(t, chromedp.Click(chromedp.ID("gw-lang")))
		require.Equal(t, "Layers", eval[string](t, b, legendTitle))
		require.Equal(t, "Dispatch", eval[string](t, b, `document.querySelector('#gw-panel h2').textContent`), "the open panel follows")
		b.do(t, chromedp.Click(chromedp.ID("gw-lang")))
		require.Equal(t, "图层", eval[string](t, b, legendTitle))
		b.waitFor(t, "the panel again", `(p => p && !p.loading)(window.gridwatchMap.panel())`, browserTimeout)
	})

	b.screenshot(t, "map-dispatch.png")
	require.Empty(t, b.consoleProblems(), "the console reported problems")
}

// restrictedLayers are the layers whose endpoints a viewer may not read.
var restrictedLayers = []string{"cameras", "viewsheds", "responders", "incidents"}

func TestBrowser_ViewerThenAnalystToken(t *testing.T) {
	t.Parallel()
	a := browserAtlas(t)
	tokens := NewTokens(NewTokenSet(NewToken(RoleAnalyst, "test analyst", "analyst-secret", time.Time{})))
	srv := httptest.NewServer(New(Options{Atlas: func() *geo.Atlas { return a }, Tokens: tokens, PublicViewer: true}))
	t.Cleanup(srv.Close)
	b := newBrowser(t, 1400, 900)
	b.do(t, chromedp.Navigate(srv.URL+"/map?layers=all&lang=en"))
	b.waitFor(t, "every layer", "window.gridwatchMap && window.gridwatchMap.ready()", browserTimeout)

	t.Run("a viewer is told which layers need an analyst token", func(t *testing.T) {
		layers := eval[map[string]layerState](t, b, "window.gridwatchMap.layers()")
		for id, l := range layers {
			want := "loaded"
			switch {
			case id == "viewsheds":
				want = "zoom"
			case contains(restrictedLayers, id):
				want = "forbidden"
			}
			require.Equal(t, want, l.Status, id)
		}
		need := eval[string](t, b, `document.getElementById('gw-need').textContent`)
		require.Contains(t, need, "analyst token")
		for _, label := range []string{"Cameras", "Responders", "Incidents"} {
			require.Contains(t, need, label)
		}
	})

	t.Run("an analyst token opens every layer and lasts the session", func(t *testing.T) {
		b.do(t,
			chromedp.SendKeys(chromedp.ID("gw-token"), "analyst-secret"),
			chromedp.Click(chromedp.CSS("#gw-token-form button[type=submit]")),
		)
		b.waitFor(t, "the restricted layers", `(l => l.cameras.status === 'loaded' && l.incidents.status === 'loaded')(window.gridwatchMap.layers())`, browserTimeout)
		require.Equal(t, "analyst-secret", eval[string](t, b, `sessionStorage.getItem('gridwatch.token')`))
		b.do(t, chromedp.Navigate(srv.URL+"/map?layers=all&lang=en"))
		b.waitFor(t, "every layer", "window.gridwatchMap && window.gridwatchMap.ready()", browserTimeout)
		for id, l := range eval[map[string]layerState](t, b, "window.gridwatchMap.layers()") {
			if id == "viewsheds" {
				require.Equal(t, "zoom", l.Status)
				continue
			}
			require.Equal(t, "loaded", l.Status, id)
			require.Positive(t, l.Count, id)
		}
		require.Empty(t, eval[string](t, b, `document.getElementById('gw-need').textContent`))
	})

	// The viewer's refused requests are logged by the browser; nothing else is.
	for _, p := range b.consoleProblems() {
		require.Contains(t, p, "status of 403", "only the viewer's refusals: %s", p)
	}
}
