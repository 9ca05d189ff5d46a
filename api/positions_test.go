package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/geo"
)

func patch(t testing.TB, s http.Handler, target, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPatch, target, strings.NewReader(body))
	req.Header.Set("Content-Type", mediaMergePatch)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

func TestPositions_RefusedWithoutTheDevelopmentFlag(t *testing.T) {
	t.Parallel()
	s, h := newDispatchServer(t, false)
	before := h.Load()
	p := requireProblem(t, patch(t, s, "/collections/responders/items/r1", `{"properties": {"available": false}}`), http.StatusForbidden)
	require.Contains(t, p.Detail, "--dev-positions")
	require.Same(t, before, h.Load())
}

func TestPositions_PatchIsVisibleToReads(t *testing.T) {
	t.Parallel()
	s, h := newDispatchServer(t, true)
	target := fixPoint(1.9, 0.1) // the south-east corner, far from r2
	rec := patch(t, s, "/collections/responders/items/r2",
		fmt.Sprintf(`{"type": "Feature", "geometry": {"type": "Point", "coordinates": [%v, %v]}, "properties": {"available": true}}`, target[0], target[1]))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	got := decode[map[string]any](t, rec)
	require.Equal(t, map[string]any{"id": "r2", "version": float64(h.Load().Responders.Version())}, got,
		"a reporter gets back the id and the version, not the record")

	r, _ := h.Load().Responders.Get("r2")
	require.Equal(t, target, r.Point)
	require.True(t, r.Available)
	require.Equal(t, dispatchNow.UTC().Format(time.RFC3339), r.Updated.UTC().Format(time.RFC3339), "a move without updated is dated now")
	fc := getNearest(t, s, fmt.Sprintf("lon=%v&lat=%v&k=1", target[0], target[1]))
	require.Equal(t, []string{"r2"}, fc.ids(), "the moved, available, fresh responder is now the nearest")
	require.InDelta(t, 0, fc.Features[1].Props["distance_m"], 1e-9)
}

func TestPositions_UpdatedAndGCJ02(t *testing.T) {
	t.Parallel()
	s, h := newDispatchServer(t, true)
	want := fixPoint(0.3, 1.7)
	in := data.GCJ02.FromWGS84(want)
	when := dispatchNow.Add(-time.Minute).UTC().Format(time.RFC3339)
	rec := patch(t, s, "/collections/responders/items/r3?input_crs=gcj02",
		fmt.Sprintf(`{"geometry": {"coordinates": [%v, %v]}, "properties": {"updated": %q}}`, in[0], in[1], when))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	r, _ := h.Load().Responders.Get("r3")
	require.Less(t, geo.Distance(r.Point, want), 1e-6)
	require.Equal(t, when, r.Updated.UTC().Format(time.RFC3339))
}

func TestPositions_Refused(t *testing.T) {
	t.Parallel()
	s, h := newDispatchServer(t, true)
	before := h.Load()
	future := dispatchNow.Add(time.Hour).UTC().Format(time.RFC3339)
	tests := []struct {
		name, id, body string
		status         int
		field          string
	}{
		{"unknown responder", "r99", `{"properties": {"available": true}}`, http.StatusNotFound, ""},
		{"other property", "r1", `{"properties": {"name": "X"}}`, http.StatusForbidden, "properties.name"},
		{"role", "r1", `{"properties": {"role": "police"}}`, http.StatusForbidden, "properties.role"},
		{"unknown member", "r1", `{"bbox": [1, 2, 3, 4], "geometry": {"coordinates": [106, 37]}}`, http.StatusForbidden, "bbox"},
		{"unknown member alone", "r1", `{"bbox": [1, 2, 3, 4]}`, http.StatusBadRequest, "body"},
		{"null geometry", "r1", `{"geometry": null}`, http.StatusBadRequest, "geometry"},
		{"not a point", "r1", `{"geometry": {"type": "LineString", "coordinates": [[106, 37], [106.1, 37]]}}`, http.StatusBadRequest, "geometry"},
		{"bad coordinates", "r1", `{"geometry": {"coordinates": [106]}}`, http.StatusBadRequest, "geometry.coordinates"},
		{"no coordinates", "r1", `{"geometry": {"coordinates": []}}`, http.StatusBadRequest, "geometry.coordinates"},
		{"out of range", "r1", `{"geometry": {"coordinates": [206, 37]}}`, http.StatusBadRequest, "geometry"},
		{"null available", "r1", `{"properties": {"available": null}}`, http.StatusBadRequest, "available"},
		{"bad time", "r1", `{"properties": {"updated": "yesterday"}}`, http.StatusBadRequest, "updated"},
		{"future time", "r1", `{"properties": {"updated": "` + future + `"}}`, http.StatusBadRequest, "properties.updated"},
		{"other id", "r1", `{"id": "r2"}`, http.StatusBadRequest, "id"},
		{"not JSON", "r1", `available=true`, http.StatusBadRequest, "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := patch(t, s, "/collections/responders/items/"+tt.id, tt.body)
			p := requireProblem(t, rec, tt.status)
			if tt.field != "" {
				require.Equal(t, tt.field, p.Errors[0].Field)
			}
		})
	}
	req := httptest.NewRequest(http.MethodPatch, "/collections/responders/items/r1", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "text/plain")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	require.Equal(t, "Content-Type", requireProblem(t, rec, http.StatusBadRequest).Errors[0].Field)
	require.Same(t, before, h.Load(), "nothing was applied")
}

// TestPositions_ConcurrentPatchesAreBatched sends many patches at once:
// every one is applied (to its own responder, or in order to the same
// one) and the atlas changes in far fewer batches than patches.
func TestPositions_ConcurrentPatchesAreBatched(t *testing.T) {
	t.Parallel()
	s, h := newDispatchServer(t, true)
	v0 := h.Load().Responders.Version()
	const n = 64
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("r%d", 1+i%8)
			p := fixPoint(0.01*float64(i), 0.5)
			codes[i] = patch(t, s, "/collections/responders/items/"+id,
				fmt.Sprintf(`{"geometry": {"coordinates": [%v, %v]}}`, p[0], p[1])).Code
		}()
	}
	wg.Wait()
	for i, c := range codes {
		require.Equal(t, http.StatusOK, c, "patch %d", i)
	}
	batches := h.Load().Responders.Version() - v0
	require.Positive(t, batches)
	require.Less(t, batches, uint64(n), "patches share batches")
	for _, r := range h.Load().Responders.Items() {
		require.InDelta(t, fixPoint(0, 0.5)[1], r.Point[1], 1e-12, "%s was moved", r.ID)
	}
}
