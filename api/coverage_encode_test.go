package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/data"
	"gridwatch/geo"
)

// TestAppendGridCoverage_SameBytesAsTheEncoder holds the coverage answer's
// own encoder to the bytes writeJSON writes for GridCoverageFeatures, on a
// generated district (Chinese names, null shares, hidden small counts).
func TestAppendGridCoverage_SameBytesAsTheEncoder(t *testing.T) {
	t.Parallel()
	ds, err := data.Generate(data.GenerateOptions{Seed: 5, Scale: 0.05})
	require.NoError(t, err)
	a, err := geo.NewAtlas(ds, geo.Options{})
	require.NoError(t, err)
	v, err := coverage.NewVideo(a, coverage.VideoOptions{})
	require.NoError(t, err)
	w, err := coverage.NewWindow(a, time.Time{}, coverage.DefaultWindowDays, time.Now())
	require.NoError(t, err)
	q := coverageQuery{variant: coverage.Operational, window: w}
	geoms := (&gridGeometries{}).of(a.Grids)
	for _, tc := range []struct {
		name string
		ctx  context.Context
		keep func(*geo.Grid) bool
	}{
		{"local", context.Background(), nil},
		{"viewer", withPrincipal(context.Background(), principal{Role: RoleViewer}), nil},
		{"one township", context.Background(), func(g *geo.Grid) bool { return g.Township == a.Grids.At(0).Township }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows := v.Grids(q.variant, q.window)
			fc := GridCoverageFeatures(tc.ctx, rows, tc.keep)
			fc.ExtraMembers = about(v, q)
			fc.ExtraMembers["numberReturned"] = len(fc.Features)
			rec := httptest.NewRecorder()
			require.NoError(t, writeJSON(rec, mediaGeoJSON, fc))
			got, n, fs, err := appendGridCoverage(nil, tc.ctx, rows, geoms, tc.keep, about(v, q), nil)
			require.NoError(t, err)
			require.Equal(t, len(fc.Features), n)
			require.Positive(t, n)
			require.Equal(t, rec.Body.String(), string(got))

			// After a camera moved, reusing the unchanged grids' bytes
			// gives the bytes of encoding everything afresh. (The first
			// cameras whose move changes a figure: a camera under a
			// high mast's disc changes nothing.)
			var nv *coverage.Video
			var nrows []coverage.GridVideo
			changed := 0
			for i := 0; changed == 0 && i < a.Cameras.Len(); i += 7 {
				c := a.Cameras.At(i)
				moved := *c
				moved.Point = geo.Destination(c.Point, 45, 60)
				moved.RangeM, moved.FOVDeg = 3*c.RangeM, 360
				next, err := a.Apply(geo.LayerCameras, []geo.Feature{&moved}, nil)
				require.NoError(t, err)
				nv, err = v.Update(next)
				require.NoError(t, err)
				nrows = nv.Grids(q.variant, q.window)
				for i := range nrows {
					if nrows[i].VideoFigures != rows[i].VideoFigures {
						changed++
					}
				}
			}
			require.Positive(t, changed, "a move changes some grid")
			fresh, _, _, err := appendGridCoverage(nil, tc.ctx, nrows, geoms, tc.keep, about(nv, q), nil)
			require.NoError(t, err)
			reused, _, _, err := appendGridCoverage(nil, tc.ctx, nrows, geoms, tc.keep, about(nv, q), fs)
			require.NoError(t, err)
			require.Equal(t, string(fresh), string(reused))
			require.Less(t, changed, len(rows), "and not every grid")
		})
	}
}

// TestCoverageGrids_RepeatedAnswerFromItsBytes checks that a repeated
// request gets the same bytes (and their gzip), that the role and the
// query keep answers apart, and that a camera write changes the answer.
func TestCoverageGrids_RepeatedAnswerFromItsBytes(t *testing.T) {
	t.Parallel()
	s, a := newTestServer(t, 200)
	first := get(t, s, "/coverage/grids?as_of=2024-12-31")
	require.Equal(t, http.StatusOK, first.Code, first.Body.String())
	again := get(t, s, "/coverage/grids?as_of=2024-12-31")
	require.Equal(t, first.Body.String(), again.Body.String())
	require.Equal(t, first.Header().Get("ETag"), again.Header().Get("ETag"))
	require.NotNil(t, s.answers.get(first.Header().Get("ETag")), "kept by its ETag")

	zipped := get(t, s, "/coverage/grids?as_of=2024-12-31", "Accept-Encoding", "gzip")
	require.Equal(t, "gzip", zipped.Header().Get("Content-Encoding"))
	zr, err := gzip.NewReader(bytes.NewReader(zipped.Body.Bytes()))
	require.NoError(t, err)
	plain, err := io.ReadAll(zr)
	require.NoError(t, err)
	require.Equal(t, first.Body.String(), string(plain))

	other := get(t, s, "/coverage/grids?as_of=2024-12-31&variant=operational")
	require.NotEqual(t, first.Header().Get("ETag"), other.Header().Get("ETag"))
	require.Equal(t, "operational", decode[covFC](t, other).Variant)

	// The same request after a camera moved: a new ETag and the figures
	// of the moved camera's coverage, computed directly.
	c := a.Cameras.At(0)
	moved := *c
	moved.Point = geo.Destination(c.Point, 90, 30)
	next, err := a.Apply(geo.LayerCameras, []geo.Feature{&moved}, nil)
	require.NoError(t, err)
	s2 := New(Options{Atlas: func() *geo.Atlas { return next }})
	s2.answers, s2.videos = s.answers, s.videos
	after := get(t, s2, "/coverage/grids?as_of=2024-12-31")
	require.NotEqual(t, first.Header().Get("ETag"), after.Header().Get("ETag"))
	want := covVideo(t, next, coverage.Installed)
	for _, f := range decode[covFC](t, after).Features {
		require.Equal(t, want[f.ID].CoveredAreaM2, f.Properties["covered_area_m2"], f.ID)
	}
}
