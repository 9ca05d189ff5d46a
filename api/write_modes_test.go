package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/data"
	"gridwatch/geo"
)

// The write rules are one set whatever the mode: the tables below run
// against every write mode. A mode is a way to run the write pipeline (no
// store, the GeoPackage store; a PostGIS store adds itself to writeModes
// from its own test file, skipping when no server is at hand).

// modeNow is the clock of the mode servers: an hour after the fixture's
// responders last reported.
var modeNow = fixtureResponderTime.Add(time.Hour)

// writeMode starts a server over the fixture in one mode.
type writeMode struct {
	name string
	// durable is true when the mode keeps a store (it takes every write;
	// without one, only responder patches).
	durable bool
	// open returns the mode's store over the dataset (nil for none) and a
	// function that reads the dataset back from it.
	open func(t testing.TB, d *geo.Dataset) (Store, func() *geo.Dataset)
}

// writeModes are the modes every write table runs in.
var writeModes = []writeMode{
	{name: "memory", open: func(testing.TB, *geo.Dataset) (Store, func() *geo.Dataset) { return nil, nil }},
	{name: "geopackage", durable: true, open: openGeoPackageMode},
}

// openGeoPackageMode opens a GeoPackage store seeded with d in a
// temporary directory.
func openGeoPackageMode(t testing.TB, d *geo.Dataset) (Store, func() *geo.Dataset) {
	dir := filepath.Join(t.TempDir(), "store")
	st, err := data.OpenStore(context.Background(), dir, data.StoreOptions{Seed: func() (*geo.Dataset, error) { return d, nil }})
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	return st, func() *geo.Dataset {
		got, err := st.Load(context.Background())
		require.NoError(t, err)
		return got
	}
}

// modeServer is a server in one mode with the test tokens (and a tracker
// bound to r1 and r2), the test clock and an atlas holder.
type modeServer struct {
	*Server
	mode   writeMode
	holder *AtlasHolder
	stored func() *geo.Dataset // nil without a store
	audit  *syncBuffer
}

// boundSecret is a tracker token bound to responders r1 and r2.
const boundSecret = "bound-tracker-secret-0123456789"

func startMode(t testing.TB, m writeMode) *modeServer {
	t.Helper()
	a := fixtureAtlas(t, 20)
	st, stored := m.open(t, a.Dataset())
	h := NewAtlasHolder(a)
	tokens := NewTokenSet(append(testTokenSet().Tokens(), Token{Role: RoleTracker, Name: "bound", Responders: []string{"r1", "r2"}})...)
	tokens.tokens[len(tokens.tokens)-1].hash = NewToken(RoleTracker, "bound", boundSecret, time.Time{}).hash
	ms := &modeServer{mode: m, holder: h, stored: stored, audit: &syncBuffer{}}
	ms.Server = New(Options{Holder: h, Store: st, Tokens: NewTokens(tokens), Now: func() time.Time { return modeNow },
		Audit: slog.New(slog.NewJSONHandler(ms.audit, nil))})
	t.Cleanup(func() { _ = ms.Close() })
	return ms
}

// responder returns r as served and, with a store, as stored.
func (ms *modeServer) responder(t testing.TB, id string) (served, stored *geo.Responder) {
	t.Helper()
	served, ok := ms.holder.Load().Responders.Get(id)
	require.True(t, ok, id)
	if ms.stored == nil {
		return served, nil
	}
	for _, r := range ms.stored().Responders {
		if r.ID == id {
			return served, r
		}
	}
	t.Fatalf("%s is not in the store", id)
	return nil, nil
}

// responderPatch is one row of the responder-patch table.
type responderPatch struct {
	name, secret, query, id, body string
	status                        int
	field                         string // the first problem's field, for a 4xx
	// check, for a 2xx, checks r1 (or id) after the write, served and as
	// stored (nil without a store), and the answer.
	check func(t *testing.T, ms *modeServer, served, stored *geo.Responder, answer map[string]any)
}

func pointPatch(p orb.Point) string {
	return fmt.Sprintf(`{"geometry": {"type": "Point", "coordinates": [%v, %v]}}`, p[0], p[1])
}

func responderPatches() []responderPatch {
	want := fixPoint(0.3, 1.7)
	gcj := data.GCJ02.FromWGS84(want)
	ahead := modeNow.Add(24 * time.Hour).UTC().Format(time.RFC3339)
	within := modeNow.Add(4 * time.Minute).UTC().Format(time.RFC3339)
	moved := func(t *testing.T, ms *modeServer, served, stored *geo.Responder, _ map[string]any) {
		require.Less(t, geo.Distance(served.Point, want), 1e-3, "served")
		if stored != nil {
			require.Less(t, geo.Distance(stored.Point, want), 1e-3, "stored")
		}
	}
	return []responderPatch{
		{name: "gcj02 input is converted", secret: trackerSecret, query: "?input_crs=gcj02", id: "r1", body: pointPatch(gcj), status: 200, check: moved},
		{name: "wgs84 by default", secret: trackerSecret, id: "r1", body: pointPatch(want), status: 200, check: moved},
		{name: "an admin may use input_crs too", secret: adminSecret, query: "?input_crs=gcj02", id: "r1", body: pointPatch(gcj), status: 200,
			check: func(t *testing.T, ms *modeServer, served, stored *geo.Responder, answer map[string]any) {
				moved(t, ms, served, stored, answer)
				require.Equal(t, "Feature", answer["type"], "an admin gets the feature")
			}},
		{name: "unknown input_crs", secret: trackerSecret, query: "?input_crs=utm", id: "r1", body: pointPatch(want), status: 400, field: "input_crs"},
		{name: "updated 24 h ahead", secret: trackerSecret, id: "r1", body: `{"properties": {"updated": "` + ahead + `"}}`, status: 400, field: "properties.updated"},
		{name: "updated in 2099", secret: adminSecret, id: "r1", body: `{"properties": {"updated": "2099-01-01T00:00:00Z"}}`, status: 400, field: "properties.updated"},
		{name: "updated within the skew", secret: trackerSecret, id: "r1", body: `{"properties": {"updated": "` + within + `"}}`, status: 200,
			check: func(t *testing.T, ms *modeServer, served, stored *geo.Responder, _ map[string]any) {
				require.Equal(t, within, served.Updated.UTC().Format(time.RFC3339))
				if stored != nil {
					require.Equal(t, within, stored.Updated.UTC().Format(time.RFC3339))
				}
			}},
		{name: "a move is dated now", secret: trackerSecret, id: "r1", body: pointPatch(want), status: 200,
			check: func(t *testing.T, ms *modeServer, served, stored *geo.Responder, _ map[string]any) {
				require.Equal(t, modeNow.UTC().Truncate(time.Second), served.Updated.UTC())
			}},
		{name: "dry run", secret: trackerSecret, query: "?dry_run=true", id: "r1", body: pointPatch(want), status: 200,
			check: func(t *testing.T, ms *modeServer, served, stored *geo.Responder, answer map[string]any) {
				require.Equal(t, true, answer["dry_run"])
				require.Equal(t, fixtureAtlas(t, 20).Responders.Version(), ms.holder.Load().Responders.Version(), "nothing applied")
				require.Greater(t, geo.Distance(served.Point, want), 1.0, "not moved")
			}},
		{name: "dry run of a bad patch", secret: trackerSecret, query: "?dry_run=true", id: "r1", body: `{"geometry": {"coordinates": [106.07]}}`, status: 400, field: "geometry.coordinates"},
		{name: "repeated dry_run", secret: trackerSecret, query: "?dry_run=true&dry_run=false", id: "r1", body: pointPatch(want), status: 400, field: "dry_run"},
		{name: "empty coordinates", secret: trackerSecret, id: "r1", body: `{"geometry": {"type": "Point", "coordinates": []}}`, status: 400, field: "geometry.coordinates"},
		{name: "one coordinate", secret: adminSecret, id: "r1", body: `{"geometry": {"type": "Point", "coordinates": [106.07]}}`, status: 400, field: "geometry.coordinates"},
		{name: "empty patch", secret: trackerSecret, id: "r1", body: `{}`, status: 400, field: "body"},
		{name: "empty patch of an admin", secret: adminSecret, id: "r1", body: `{"type": "Feature", "properties": {}}`, status: 400, field: "body"},
		{name: "a tracker gets id and version only", secret: trackerSecret, id: "r3", body: `{"properties": {"available": false}}`, status: 200,
			check: func(t *testing.T, ms *modeServer, served, stored *geo.Responder, answer map[string]any) {
				require.Equal(t, map[string]any{"id": "r3", "version": float64(ms.holder.Load().Responders.Version())}, answer)
				require.False(t, served.Available)
				if stored != nil {
					require.False(t, stored.Available)
				}
			}},
		{name: "a tracker may not rename", secret: trackerSecret, id: "r1", body: `{"properties": {"name": "X"}}`, status: 403, field: "properties.name"},
		{name: "a bound tracker reports for its own", secret: boundSecret, id: "r2", body: pointPatch(want), status: 200,
			check: func(t *testing.T, ms *modeServer, served, stored *geo.Responder, _ map[string]any) {
				require.Less(t, geo.Distance(served.Point, want), 1e-3)
			}},
		{name: "a bound tracker may not report for others", secret: boundSecret, id: "r3", body: pointPatch(want), status: 403},
		{name: "unknown responder", secret: trackerSecret, id: "r99", body: pointPatch(want), status: 404},
		{name: "another id", secret: adminSecret, id: "r1", body: `{"id": "r2", "properties": {"available": true}}`, status: 400, field: "id"},
	}
}

func TestWriteModes_ResponderPatchFollowsOneSetOfRules(t *testing.T) {
	t.Parallel()
	for _, m := range writeModes {
		for _, tt := range responderPatches() {
			t.Run(m.name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				ms := startMode(t, m)
				id := tt.id
				if tt.status != 200 || id == "r99" {
					id = "r1"
				}
				served0, stored0 := ms.responder(t, id)
				v0 := ms.holder.Load().Versions()
				rec := call(t, ms, http.MethodPatch, "/collections/responders/items/"+tt.id+tt.query, tt.secret, []byte(tt.body),
					"Content-Type", mediaMergePatch)
				if tt.status >= 400 {
					p := requireProblem(t, rec, tt.status)
					if tt.field != "" {
						require.NotEmpty(t, p.Errors, rec.Body.String())
						require.Equal(t, tt.field, p.Errors[0].Field, rec.Body.String())
					}
					served, stored := ms.responder(t, id)
					require.Equal(t, v0, ms.holder.Load().Versions(), "nothing applied")
					require.Equal(t, *served0, *served)
					if stored0 != nil {
						require.Equal(t, stored0.Point, stored.Point, "nothing stored")
						require.Equal(t, stored0.Updated, stored.Updated, "nothing stored")
					}
					return
				}
				require.Equal(t, tt.status, rec.Code, rec.Body.String())
				served, stored := ms.responder(t, id)
				tt.check(t, ms, served, stored, decode[map[string]any](t, rec))
			})
		}
	}
}

// layerWrite is one row of the table of other writes.
type layerWrite struct {
	name, method, target, contentType, body string
	status                                  int // with a store; without one every row is 403
	field                                   string
}

func layerWrites() []layerWrite {
	short := func(coords string) string {
		return `{"type":"Feature","id":"p9","geometry":{"type":"Point","coordinates":` + coords + `},"properties":{"name":"P","kind":"school"}}`
	}
	return []layerWrite{
		{"POST []", "POST", "/collections/places/items", mediaGeoJSON, short("[]"), 400, "geometry.coordinates"},
		{"POST [106.07]", "POST", "/collections/places/items", mediaGeoJSON, short("[106.07]"), 400, "geometry.coordinates"},
		{"POST dry run []", "POST", "/collections/places/items?dry_run=true", mediaGeoJSON, short("[]"), 400, "geometry.coordinates"},
		{"PUT [106.07]", "PUT", "/collections/places/items", mediaGeoJSON, featureCollection(short("[106.07]")), 400, "geometry.coordinates"},
		{"PATCH a place []", "PATCH", "/collections/places/items/p1", mediaMergePatch, `{"geometry":{"coordinates":[]}}`, 400, "geometry.coordinates"},
		{"POST a responder from 2099", "POST", "/collections/responders/items", mediaGeoJSON,
			`{"type":"Feature","id":"r9","geometry":{"type":"Point","coordinates":[106.005,37.405]},"properties":{"name":"N","role":"police","station":"S1","available":true,"updated":"2099-01-01T00:00:00Z"}}`,
			400, "properties.updated"},
		{"POST gcj02", "POST", "/collections/places/items?input_crs=gcj02", mediaGeoJSON,
			`{"type":"Feature","id":"p9","geometry":{"type":"Point","coordinates":[106.01,37.41]},"properties":{"name":"P","kind":"school"}}`, 201, ""},
		{"POST a responder", "POST", "/collections/responders/items", mediaGeoJSON,
			`{"type":"Feature","id":"r9","geometry":{"type":"Point","coordinates":[106.005,37.405]},"properties":{"name":"N","role":"police","station":"S1","available":true,"updated":"2024-06-01T09:03:00Z"}}`,
			201, ""},
		{"DELETE", "DELETE", "/collections/places/items/p1", "", "", 204, ""},
	}
}

func TestWriteModes_LayerWritesFollowOneSetOfRules(t *testing.T) {
	t.Parallel()
	for _, m := range writeModes {
		for _, tt := range layerWrites() {
			t.Run(m.name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				ms := startMode(t, m)
				v0 := ms.holder.Load().Versions()
				var headers []string
				if tt.contentType != "" {
					headers = []string{"Content-Type", tt.contentType}
				}
				rec := call(t, ms, tt.method, tt.target, adminSecret, []byte(tt.body), headers...)
				want := tt.status
				if !m.durable {
					want = http.StatusForbidden
				}
				if want >= 400 {
					p := requireProblem(t, rec, want)
					if m.durable && tt.field != "" {
						require.NotEmpty(t, p.Errors, rec.Body.String())
						require.Equal(t, tt.field, p.Errors[0].Field, rec.Body.String())
					}
					require.Equal(t, v0, ms.holder.Load().Versions(), "nothing applied")
					return
				}
				require.Equal(t, want, rec.Code, rec.Body.String())
				require.NotEqual(t, v0, ms.holder.Load().Versions())
				if p, ok := ms.holder.Load().Places.Get("p9"); ok {
					require.Less(t, geo.Distance(p.Point, data.GCJ02ToWGS84(orb.Point{106.01, 37.41})), 1e-3, "converted from GCJ-02")
					require.Greater(t, geo.Distance(p.Point, orb.Point{106.01, 37.41}), 100.0, "GCJ-02 is shifted by hundreds of metres")
				}
			})
		}
	}
}
