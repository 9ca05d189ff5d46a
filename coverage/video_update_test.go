package coverage_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// vidGenerated returns a small generated district (fast under -race).
func vidGenerated(t testing.TB, scale float64) *geo.Atlas {
	t.Helper()
	ds, err := data.Generate(data.GenerateOptions{Seed: 7, Scale: scale})
	require.NoError(t, err)
	a, err := geo.NewAtlas(ds, geo.Options{})
	require.NoError(t, err)
	return a
}

// vidCameraEdits are the changes the incremental test makes, each to the
// atlas of the previous one.
func vidCameraEdits(a *geo.Atlas) []struct {
	name   string
	upsert []geo.Feature
	remove []string
} {
	cams := a.Cameras.Items()
	moved := *cams[0]
	moved.Point = geo.Destination(moved.Point, 45, 120)
	moved.BearingDeg = 200
	toggled := *cams[1]
	toggled.Online = !toggled.Online
	widened := *cams[2]
	widened.RangeM, widened.FOVDeg = 900, 120
	added := *cams[3]
	added.ID, added.Type, added.RangeM = "new-camera", geo.TypeHighMast, 1200
	return []struct {
		name   string
		upsert []geo.Feature
		remove []string
	}{
		{"move one camera", []geo.Feature{&moved}, nil},
		{"take one offline or back", []geo.Feature{&toggled}, nil},
		{"widen one camera", []geo.Feature{&widened}, nil},
		{"add a high-mast camera", []geo.Feature{&added}, nil},
		{"remove two cameras", nil, []string{cams[4].ID, cams[5].ID}},
		{"remove the added one", nil, []string{"new-camera"}},
	}
}

func TestVideoWithCameras_EqualsFullRecomputation(t *testing.T) {
	t.Parallel()
	a := vidGenerated(t, 0.05)
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	w, err := coverage.NewWindow(a, time.Time{}, 365, time.Now())
	require.NoError(t, err)
	for _, e := range vidCameraEdits(a) {
		next, err := a.Apply(geo.LayerCameras, e.upsert, e.remove)
		require.NoError(t, err, e.name)
		var ids []string
		for _, f := range e.upsert {
			ids = append(ids, f.FeatureID())
		}
		inc, err := v.WithCameras(next, append(ids, e.remove...))
		require.NoError(t, err)
		full, err := coverage.NewVideo(next, coverage.VideoOptions{})
		require.NoError(t, err)
		requireSameVideo(t, e.name, full, inc, w)
		upd, err := v.Update(next)
		require.NoError(t, err)
		requireSameVideo(t, e.name+" (Update)", full, upd, w)
		a, v = next, inc
	}
}

// requireSameVideo compares every output of two coverages exactly.
func requireSameVideo(t *testing.T, name string, want, got *coverage.Video, w coverage.Window) {
	t.Helper()
	a := want.Atlas()
	for _, variant := range coverage.Variants {
		require.Equal(t, want.Grids(variant, w), got.Grids(variant, w), "%s: %s grids", name, variant)
		wg, wn := want.Gaps(coverage.VideoGapQuery{Variant: variant, Window: w})
		gg, gn := got.Gaps(coverage.VideoGapQuery{Variant: variant, Window: w})
		require.Equal(t, wn, gn, "%s: %s gaps", name, variant)
		require.Equal(t, wg, gg, "%s: %s gaps", name, variant)
		wh, _, err := want.Hotspots(coverage.VideoHotspotQuery{Variant: variant, Window: w})
		require.NoError(t, err)
		gh, _, err := got.Hotspots(coverage.VideoHotspotQuery{Variant: variant, Window: w})
		require.NoError(t, err)
		require.Equal(t, wh, gh, "%s: %s hotspots", name, variant)
		for i := range a.Incidents.Len() {
			require.Equal(t, want.IncidentSeen(i, variant), got.IncidentSeen(i, variant), "%s: incident %d", name, i)
		}
		for i := range a.Places.Len() {
			require.Equal(t, want.PlaceSeen(i, variant), got.PlaceSeen(i, variant), "%s: place %d", name, i)
		}
	}
}

func TestVideoUpdate_OtherLayersFallBackOrShare(t *testing.T) {
	t.Parallel()
	a := vidAtlas(t, true)
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	same, err := v.Update(a)
	require.NoError(t, err)
	require.Same(t, v, same)
	// A responder write leaves everything coverage reads: nothing to redo.
	resp, err := a.WithLayer(geo.LayerResponders, nil)
	require.NoError(t, err)
	shared, err := v.Update(resp)
	require.NoError(t, err)
	require.Same(t, resp, shared.Atlas())
	w := vidWindow(t, a)
	require.Equal(t, v.Grids(coverage.Installed, w), shared.Grids(coverage.Installed, w))
	// A write to places changes the watched surface: recomputed in full.
	p, _ := a.Places.Get("p3")
	moved := *p
	moved.Point = vidPt(0.52, 1.52) // under c3a
	placed, err := a.Apply(geo.LayerPlaces, []geo.Feature{&moved}, nil)
	require.NoError(t, err)
	got, err := v.Update(placed)
	require.NoError(t, err)
	full, err := coverage.NewVideo(placed, coverage.VideoOptions{})
	require.NoError(t, err)
	requireSameVideo(t, "places", full, got, w)
	require.Equal(t, 1.0, vidGrid(t, got.Grids(coverage.Installed, w), "g3").PlacesCovered)
}

func TestVideoWithCameras_FixtureEdits(t *testing.T) {
	t.Parallel()
	a := vidAtlas(t, true)
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	w := vidWindow(t, a)
	c2, _ := a.Cameras.Get("c2")
	on := *c2
	on.Online = true
	cases := []struct {
		name   string
		upsert []geo.Feature
		remove []string
		check  func(t *testing.T, rows []coverage.GridVideo)
	}{
		{"c2 back online", []geo.Feature{&on}, nil, func(t *testing.T, rows []coverage.GridVideo) {
			require.Equal(t, 1.0, vidGrid(t, rows, "g2").IncidentsCovered)
		}},
		{"c1 removed", nil, []string{"c1"}, func(t *testing.T, rows []coverage.GridVideo) {
			require.Zero(t, vidGrid(t, rows, "g1").CoveredAreaM2)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			next, err := a.Apply(geo.LayerCameras, tc.upsert, tc.remove)
			require.NoError(t, err)
			var ids []string
			for _, f := range tc.upsert {
				ids = append(ids, f.FeatureID())
			}
			inc, err := v.WithCameras(next, append(ids, tc.remove...))
			require.NoError(t, err)
			full, err := coverage.NewVideo(next, coverage.VideoOptions{})
			require.NoError(t, err)
			requireSameVideo(t, tc.name, full, inc, w)
			tc.check(t, inc.Grids(coverage.Operational, w))
			// The coverage it derives from is unchanged.
			requireSameVideo(t, tc.name+": the original", mustVideo(t, a), v, w)
		})
	}
}

func mustVideo(t testing.TB, a *geo.Atlas) *coverage.Video {
	t.Helper()
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	return v
}

func TestChangedCameras(t *testing.T) {
	t.Parallel()
	a := vidAtlas(t, true)
	c1, _ := a.Cameras.Get("c1")
	moved := *c1
	moved.RangeM = 10
	added := moved
	added.ID = "c9"
	next, err := a.Apply(geo.LayerCameras, []geo.Feature{&moved, &added}, []string{"c4"})
	require.NoError(t, err)
	require.Equal(t, []string{"c1", "c4", "c9"}, coverage.ChangedCameras(a.Cameras, next.Cameras))
	require.Empty(t, coverage.ChangedCameras(a.Cameras, a.Cameras))
	// Same length, one item replaced in place: the positional comparison.
	again, err := a.Apply(geo.LayerCameras, []geo.Feature{&moved}, nil)
	require.NoError(t, err)
	require.Equal(t, []string{"c1"}, coverage.ChangedCameras(a.Cameras, again.Cameras))
	// Lengths differ: every id is looked up.
	fewer, err := a.Apply(geo.LayerCameras, nil, []string{"c2"})
	require.NoError(t, err)
	require.Equal(t, []string{"c2"}, coverage.ChangedCameras(a.Cameras, fewer.Cameras))
	require.Equal(t, fmt.Sprint([]string{}), fmt.Sprint(coverage.ChangedCameras(next.Cameras, next.Cameras)))
}
