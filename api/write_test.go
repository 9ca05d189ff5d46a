package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/geo"
)

// placeFeature returns a GeoJSON place feature.
func placeFeature(id string, lon, lat float64, kind string) string {
	return fmt.Sprintf(`{"type":"Feature","id":%q,"geometry":{"type":"Point","coordinates":[%g,%g]},"properties":{"name":"Place %s","kind":%q}}`, id, lon, lat, id, kind)
}

func featureCollection(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

func TestWrite_PostFeatureIs201WithLocationAndIsStored(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	before := ss.versions()
	rec := call(t, ss, "POST", "/collections/places/items", adminSecret, []byte(placeFeature("p99", 106.005, 37.405, "school")), "Content-Type", mediaGeoJSON)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	require.Equal(t, "http://example.com/collections/places/items/p99", rec.Header().Get("Location"))
	require.NotEmpty(t, rec.Header().Get("ETag"))
	p, ok := ss.atlasNow().Places.Get("p99")
	require.True(t, ok)
	require.Equal(t, "g1", p.Grid, "the derived grid is computed")
	after := ss.versions()
	require.Equal(t, before[geo.LayerPlaces]+1, after[geo.LayerPlaces])
	for _, name := range geo.LayerNames {
		if name != geo.LayerPlaces {
			require.Equal(t, before[name], after[name], "%s is untouched", name)
		}
	}
	require.Equal(t, 1, ss.store.count())
	require.Equal(t, "p99", ss.store.commits[0][0].Items[0].FeatureID())
	got := call(t, ss, "GET", "/collections/places/items/p99", adminSecret, nil)
	require.Equal(t, http.StatusOK, got.Code)
}

func TestWrite_PostFeatureCollectionAddsAll(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	body := featureCollection(placeFeature("p90", 106.005, 37.405, "school"), placeFeature("p91", 106.015, 37.415, "clinic"))
	rec := call(t, ss, "POST", "/collections/places/items", adminSecret, []byte(body), "Content-Type", mediaGeoJSON)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	sum := decode[writeSummary](t, rec)
	require.Equal(t, []string{"p90", "p91"}, sum.Created)
	require.Equal(t, 8, sum.Features)
	require.Equal(t, 8, ss.atlasNow().Places.Len())
}

func TestWrite_DuplicateIdIs409AndChangesNothing(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"existing id":           placeFeature("p1", 106.005, 37.405, "school"),
		"twice in one request":  featureCollection(placeFeature("p90", 106.005, 37.405, "school"), placeFeature("p90", 106.006, 37.406, "school")),
		"existing among others": featureCollection(placeFeature("p90", 106.005, 37.405, "school"), placeFeature("p2", 106.006, 37.406, "school")),
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ss := newSecureServer(t, nil)
			before := ss.versions()
			rec := call(t, ss, "POST", "/collections/places/items", adminSecret, []byte(body), "Content-Type", mediaGeoJSON)
			p := requireProblem(t, rec, http.StatusConflict)
			require.NotEmpty(t, p.Errors)
			require.Equal(t, "id", p.Errors[0].Field)
			require.Equal(t, before, ss.versions())
			require.Zero(t, ss.store.count())
		})
	}
}

func TestWrite_PutReplacesTheLayerFromGeoJSONOrCSV(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, contentType, body string
		want                    []string
	}{
		{"geojson", mediaGeoJSON, featureCollection(placeFeature("q1", 106.005, 37.405, "school"), placeFeature("q2", 106.015, 37.415, "market")), []string{"q1", "q2"}},
		{"csv", "text/csv; charset=utf-8", "id,lon,lat,name,kind\nq7,106.005,37.405,School,school\n", []string{"q7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ss := newSecureServer(t, nil)
			rec := call(t, ss, "PUT", "/collections/places/items", adminSecret, []byte(tt.body), "Content-Type", tt.contentType)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			var ids []string
			for _, p := range ss.atlasNow().Places.Items() {
				ids = append(ids, p.ID)
			}
			require.Equal(t, tt.want, ids)
			require.True(t, ss.store.commits[0][0].Replace)
		})
	}
}

func TestWrite_PatchIsAMergePatch(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	before, _ := ss.atlasNow().Cameras.Get("c02")
	rec := call(t, ss, "PATCH", "/collections/cameras/items/c02", adminSecret,
		[]byte(`{"properties":{"online":false,"bearing_deg":12.5}}`), "Content-Type", mediaMergePatch)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	after, _ := ss.atlasNow().Cameras.Get("c02")
	require.False(t, after.Online)
	require.Equal(t, 12.5, after.BearingDeg)
	require.Equal(t, before.Point, after.Point, "what the patch leaves out stays exactly")
	require.Equal(t, before.Installed, after.Installed)
	require.Equal(t, ss.atlasNow().Cameras.Index("c02"), 1, "a patched feature keeps its place")
}

func TestWrite_PatchRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, target, body string
		status             int
		field              string
	}{
		{"id change", "/collections/cameras/items/c02", `{"id":"zz"}`, 400, "id"},
		{"bad value", "/collections/cameras/items/c02", `{"properties":{"fov_deg":"wide"}}`, 400, "fov_deg"},
		{"unknown property", "/collections/cameras/items/c02", `{"properties":{"colour":"red"}}`, 400, "colour"},
		{"unknown member", "/collections/cameras/items/c02", `{"style":{}}`, 400, "style"},
		{"removing a required property", "/collections/cameras/items/c02", `{"properties":{"source":null}}`, 400, "source"},
		{"no such feature", "/collections/cameras/items/nope", `{"properties":{"online":true}}`, 404, ""},
		{"not an object", "/collections/cameras/items/c02", `[1,2]`, 400, "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ss := newSecureServer(t, nil)
			before := ss.versions()
			rec := call(t, ss, "PATCH", tt.target, adminSecret, []byte(tt.body), "Content-Type", mediaMergePatch)
			p := requireProblem(t, rec, tt.status)
			if tt.field != "" {
				require.NotEmpty(t, p.Errors, rec.Body.String())
				require.Equal(t, tt.field, p.Errors[0].Field, rec.Body.String())
			}
			require.Equal(t, before, ss.versions())
			require.Zero(t, ss.store.count())
		})
	}
}

func TestWrite_TrackerMayPatchPositionAvailabilityAndTimeOnly(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	rec := call(t, ss, "PATCH", "/collections/responders/items/r2", trackerSecret, []byte(`{"properties":{"name":"Renamed"}}`), "Content-Type", mediaMergePatch)
	requireProblem(t, rec, http.StatusForbidden)
	rec = call(t, ss, "PATCH", "/collections/responders/items/r2", trackerSecret, []byte(`{"geometry":{"type":"Point","coordinates":[106.012,37.402]}}`), "Content-Type", mediaMergePatch)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	r, _ := ss.atlasNow().Responders.Get("r2")
	require.Equal(t, [2]float64{106.012, 37.402}, [2]float64(r.Point))
	require.NotEqual(t, fixtureResponderTime.Add(90*time.Minute), r.Updated, "a move without a time is dated now")
	rec = call(t, ss, "PATCH", "/collections/responders/items/r2", adminSecret, []byte(`{"properties":{"name":"Renamed"}}`), "Content-Type", mediaMergePatch)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
}

func TestWrite_DeleteRemovesOneFeature(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	rec := call(t, ss, "DELETE", "/collections/incidents/items/i0003", adminSecret, nil)
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	_, ok := ss.atlasNow().Incidents.Get("i0003")
	require.False(t, ok)
	requireProblem(t, call(t, ss, "DELETE", "/collections/incidents/items/i0003", adminSecret, nil), http.StatusNotFound)
}

func TestWrite_DeleteOfAReferencedFeatureIsRefused(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	before := ss.versions()
	rec := call(t, ss, "DELETE", "/collections/stations/items/S1", adminSecret, nil)
	p := requireProblem(t, rec, http.StatusBadRequest)
	require.NotEmpty(t, p.Errors)
	require.Equal(t, before, ss.versions())
}

func TestWrite_IfMatch(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	post := func() string {
		rec := call(t, ss, "POST", "/collections/places/items", adminSecret, []byte(placeFeature("p90", 106.005, 37.405, "school")), "Content-Type", mediaGeoJSON)
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		return rec.Header().Get("ETag")
	}
	// The write's tag, the items' ETag and * name the current version.
	conditions := map[string]func(writeTag string) string{
		"write tag": func(tag string) string { return tag },
		"items ETag": func(string) string {
			return call(t, ss, "GET", "/collections/places/items", adminSecret, nil).Header().Get("ETag")
		},
		"star":        func(string) string { return "*" },
		"in the list": func(tag string) string { return `"x", ` + tag },
	}
	for name, cond := range conditions {
		tag := post()
		rec := call(t, ss, "DELETE", "/collections/places/items/p90", adminSecret, nil, "If-Match", cond(tag))
		require.Equal(t, http.StatusNoContent, rec.Code, "%s: %s", name, rec.Body.String())
	}
	stale := post()
	require.Equal(t, http.StatusCreated, call(t, ss, "POST", "/collections/places/items", adminSecret,
		[]byte(placeFeature("p91", 106.006, 37.406, "school")), "Content-Type", mediaGeoJSON).Code)
	before := ss.versions()
	rec := call(t, ss, "DELETE", "/collections/places/items/p90", adminSecret, nil, "If-Match", stale)
	requireProblem(t, rec, http.StatusPreconditionFailed)
	require.Equal(t, before, ss.versions(), "a stale write changes nothing")
}

func TestWrite_DryRunReportsEveryErrorAndAppliesNothing(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	before := ss.versions()
	good := featureCollection(placeFeature("p90", 106.005, 37.405, "school"))
	rec := call(t, ss, "POST", "/collections/places/items?dry_run=true", adminSecret, []byte(good), "Content-Type", mediaGeoJSON)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	sum := decode[writeSummary](t, rec)
	require.True(t, sum.DryRun)
	require.True(t, sum.Valid)
	require.Equal(t, before[geo.LayerPlaces]+1, sum.Version)

	bad := featureCollection(
		placeFeature("p90", 200, 37.405, "school"),
		`{"type":"Feature","id":"p91","geometry":{"type":"Point","coordinates":[106,37.4]},"properties":{"name":"x","kind":"castle","colour":"red"}}`,
		placeFeature("p92", 106.005, 91, "school"),
	)
	rec = call(t, ss, "POST", "/collections/places/items?dry_run=true", adminSecret, []byte(bad), "Content-Type", mediaGeoJSON)
	p := requireProblem(t, rec, http.StatusBadRequest)
	got := map[string]bool{}
	for _, e := range p.Errors {
		got[fmt.Sprintf("%d:%s", e.Index, e.Field)] = true
		require.Equal(t, geo.LayerPlaces, e.Layer)
		require.NotEmpty(t, e.Expected)
	}
	require.True(t, got["1:colour"], rec.Body.String())
	require.Equal(t, before, ss.versions())
	require.Zero(t, ss.store.count())
}

func TestWrite_ValidationListsEveryProblem(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	bad := featureCollection(
		placeFeature("p90", 200, 37.405, "school"),
		placeFeature("p91", 106.005, 91, "school"),
		placeFeature("p92", 106.005, 37.405, "castle"),
	)
	rec := call(t, ss, "POST", "/collections/places/items", adminSecret, []byte(bad), "Content-Type", mediaGeoJSON)
	p := requireProblem(t, rec, http.StatusBadRequest)
	indexes := map[int]bool{}
	for _, e := range p.Errors {
		indexes[e.Index] = true
	}
	require.Equal(t, map[int]bool{0: true, 1: true, 2: true}, indexes, rec.Body.String())
	require.Contains(t, rec.Body.String(), `"layer":"places"`)
}

func TestWrite_FailedCommitAppliesNothing(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	ss.store.setFail(errors.New("disk full"))
	before := ss.versions()
	rec := call(t, ss, "POST", "/collections/places/items", adminSecret, []byte(placeFeature("p90", 106.005, 37.405, "school")), "Content-Type", mediaGeoJSON)
	p := requireProblem(t, rec, http.StatusServiceUnavailable)
	require.NotContains(t, p.Detail, "disk full", "internal details stay in the log")
	require.Equal(t, before, ss.versions())
	_, ok := ss.atlasNow().Places.Get("p90")
	require.False(t, ok)
	requireProblem(t, call(t, ss, "GET", "/readyz", "", nil), http.StatusServiceUnavailable)
}

func TestWrite_ConcurrentWritesAreGroupedAndNoneIsLost(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, func(o *Options) { o.CommitLinger = 5e6 })
	const n = 60
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := placeFeature(fmt.Sprintf("n%02d", i), 106.001+0.0003*float64(i), 37.405, "school")
			codes[i] = call(t, ss, "POST", "/collections/places/items", adminSecret, []byte(body), "Content-Type", mediaGeoJSON).Code
		}()
	}
	wg.Wait()
	for i, c := range codes {
		require.Equal(t, http.StatusCreated, c, i)
	}
	require.Equal(t, 6+n, ss.atlasNow().Places.Len())
	stored := 0
	for _, group := range ss.store.commits {
		for _, ch := range group {
			stored += len(ch.Items)
		}
	}
	require.Equal(t, n, stored, "every acknowledged write is in a commit")
	require.Less(t, ss.store.count(), n, "writes share commits")
}

func TestWrite_AcknowledgedOnlyAfterTheCommit(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	hold := make(chan struct{})
	ss.store.hold = hold
	done := make(chan int, 1)
	go func() {
		done <- call(t, ss, "POST", "/collections/places/items", adminSecret, []byte(placeFeature("p90", 106.005, 37.405, "school")), "Content-Type", mediaGeoJSON).Code
	}()
	select {
	case code := <-done:
		t.Fatalf("answered %d before the commit finished", code)
	case <-time.After(100 * time.Millisecond):
	}
	_, visible := ss.atlasNow().Places.Get("p90")
	require.False(t, visible, "readers do not see a write before it is on disk")
	close(hold)
	require.Equal(t, http.StatusCreated, <-done)
}

func TestWrite_WithoutAStoreWritesAreRefusedWithTheReason(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	p := requireProblem(t, do(t, s, http.MethodPost, "/collections/places/items"), http.StatusForbidden)
	require.Contains(t, p.Detail, "local demo")

	ss := newSecureServer(t, func(o *Options) { o.Store = nil })
	for _, method := range []string{"POST", "PUT"} {
		rec := call(t, ss, method, "/collections/places/items", adminSecret, []byte(placeFeature("p90", 106.005, 37.405, "school")), "Content-Type", mediaGeoJSON)
		p := requireProblem(t, rec, http.StatusForbidden)
		require.Contains(t, p.Detail, "--data DIR")
	}
	_, ok := ss.holder.Load().Places.Get("p90")
	require.False(t, ok)
}

func TestWrite_SummaryAndFeatureAnswersAreJSON(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	rec := call(t, ss, "POST", "/collections/places/items", adminSecret, []byte(placeFeature("p90", 106.005, 37.405, "school")), "Content-Type", mediaGeoJSON)
	require.Equal(t, mediaGeoJSON, rec.Header().Get("Content-Type"))
	var f map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &f))
	require.Equal(t, "p90", f["id"])
}

func TestCommitter_RunsShareOneApplyAndRefuseOnlyTheirBadWrites(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	before := ss.versions()
	decodeOne := func(raw string) geo.Feature {
		item, ps := data.DecodeFeature(geo.LayerPlaces, 0, []byte(raw))
		require.Empty(t, ps)
		return item
	}
	add := func(raw string) *writeOp {
		item := decodeOne(raw)
		return &writeOp{layer: geo.LayerPlaces, op: "add", edit: func(lookup func(string) (geo.Feature, bool)) ([]geo.Feature, []string, error) {
			return []geo.Feature{item}, nil, duplicates(lookup, geo.LayerPlaces, []geo.Feature{item})
		}}
	}
	del := &writeOp{layer: geo.LayerPlaces, op: "delete", edit: func(func(string) (geo.Feature, bool)) ([]geo.Feature, []string, error) {
		return nil, []string{"p1"}, nil
	}}
	group := []*writeOp{
		add(placeFeature("p90", 106.005, 37.405, "school")),
		add(placeFeature("p91", 106.005, 37.405, "castle")), // refused by Atlas.Apply: the run falls back to one by one
		add(placeFeature("p90", 106.006, 37.406, "clinic")), // refused: p90 was added just before
		del,
	}
	for _, op := range group {
		op.reply = make(chan writeReply, 1)
		op.apply = editApply(op.layer, op.edit)
	}
	ss.sec.writes.commit(group)
	codes := make([]geo.Code, len(group))
	for i, op := range group {
		if rep := <-op.reply; rep.err != nil {
			codes[i] = geo.ErrorCode(rep.err)
		}
	}
	require.Equal(t, []geo.Code{"", geo.Invalid, geo.Conflict, ""}, codes)
	a := ss.atlasNow()
	_, added := a.Places.Get("p90")
	_, deleted := a.Places.Get("p1")
	require.True(t, added)
	require.False(t, deleted)
	require.Equal(t, 1, ss.store.count(), "one commit for the group")
	require.Equal(t, before[geo.LayerCameras], ss.versions()[geo.LayerCameras])

	// Without a bad write, the run is one Atlas.Apply: one version step.
	v := ss.versions()[geo.LayerPlaces]
	group = []*writeOp{add(placeFeature("p93", 106.005, 37.405, "school")), add(placeFeature("p94", 106.015, 37.415, "market"))}
	for _, op := range group {
		op.reply = make(chan writeReply, 1)
		op.apply = editApply(op.layer, op.edit)
	}
	ss.sec.writes.commit(group)
	for _, op := range group {
		require.NoError(t, (<-op.reply).err)
	}
	require.Equal(t, v+1, ss.versions()[geo.LayerPlaces])
}

// TestFeatureDoc_IsTheFeaturesJSON: the document a patch merges into,
// built without encoding, is what encoding the feature and decoding it
// again gives, for every item of every layer.
func TestFeatureDoc_IsTheFeaturesJSON(t *testing.T) {
	t.Parallel()
	a := fixtureAtlas(t, 20)
	for _, name := range geo.LayerNames {
		l, _ := a.Layer(name)
		for i := range l.Len() {
			it := l.Feature(i)
			f := data.ToFeature(it)
			f.Geometry = it.FeatureGeometry().(orb.Geometry)
			raw, err := json.Marshal(f)
			require.NoError(t, err)
			var want any
			require.NoError(t, json.Unmarshal(raw, &want))
			wantJSON, err := json.Marshal(want)
			require.NoError(t, err)
			for _, patch := range []map[string]any{{"properties": map[string]any{}}, {"geometry": map[string]any{}}} {
				doc, err := featureDoc(it, patch)
				require.NoError(t, err)
				got, err := json.Marshal(doc)
				require.NoError(t, err)
				require.JSONEq(t, string(wantJSON), string(got), "%s %s", name, it.FeatureID())
			}
		}
	}
}

// TestPatchedItem_DecodesAsTheEncodedFeatureWould: a merged patch decoded
// from its JSON value gives the item and problems that encoding it and
// decoding the text (data.DecodeFeature) give.
func TestPatchedItem_DecodesAsTheEncodedFeatureWould(t *testing.T) {
	t.Parallel()
	a := fixtureAtlas(t, 20)
	patches := []string{
		`{"geometry":{"type":"Point","coordinates":[106.011,37.409]}}`, `{"geometry":{"coordinates":[106.012,37.408]}}`,
		`{"geometry":{"coordinates":[]}}`, `{"geometry":{"coordinates":[106.07]}}`, `{"geometry":null}`,
		`{"geometry":{"type":"LineString","coordinates":[[106,37],[106.1,37]]}}`, `{"geometry":{"coordinates":[206,37]}}`,
		`{"properties":{"available":false,"updated":"2024-06-01T10:00:00Z"}}`, `{"properties":{"available":"yes"}}`,
		`{"properties":{"name":null}}`, `{"properties":{"online":false}}`, `{"properties":{"grids":["g1","g2"]}}`,
		`{"properties":{"population":12.5}}`, `{"properties":{"extra":1}}`, `{"properties":null}`,
		`{"geometry":{"type":"Polygon","coordinates":[[[106.0,37.4],[106.01,37.4],[106.01,37.41],[106.0,37.4]]]}}`,
	}
	for _, name := range geo.LayerNames {
		l, _ := a.Layer(name)
		for i := 0; i < l.Len(); i += 3 {
			it := l.Feature(i)
			for _, raw := range patches {
				var patch map[string]any
				require.NoError(t, json.Unmarshal([]byte(raw), &patch))
				doc, err := featureDoc(it, patch)
				require.NoError(t, err)
				text, err := json.Marshal(mergePatch(doc, patch))
				require.NoError(t, err)
				want, wantPs := data.DecodeFeature(name, 0, text)
				got, err := patchedItem(it, name, it.FeatureID(), patch)
				if len(wantPs) > 0 {
					require.Error(t, err, "%s %s %s", name, it.FeatureID(), raw)
					fields := func(ps []geo.Problem) []string {
						var out []string
						for _, p := range ps {
							out = append(out, p.Field)
						}
						sort.Strings(out)
						return out
					}
					require.Equal(t, fields(wantPs), fields(problemsOf(err)), "%s %s %s: %v", name, it.FeatureID(), raw, err)
					continue
				}
				require.NoError(t, err, "%s %s %s", name, it.FeatureID(), raw)
				require.Equal(t, want, got, "%s %s %s", name, it.FeatureID(), raw)
			}
		}
	}
}
