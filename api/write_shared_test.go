package api

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/data/pgtest"
	"gridwatch/data/postgis"
	"gridwatch/geo"
)

// Two servers on one PostGIS store give the same ETags, and a conditional
// write is checked again in the store's transaction: of two writes made
// against the same ETag on different servers, only the first is applied,
// even though the second server has not seen the first write yet.
func TestWrite_IfMatchIsCheckedInTheSharedStore(t *testing.T) {
	t.Parallel()
	a := fixtureAtlas(t, 20)
	url := pgtest.Database(t)
	ctx := context.Background()
	open := func() (*Server, *postgis.Store) {
		st, err := postgis.Open(ctx, url, postgis.Options{Seed: func() (*geo.Dataset, error) { return a.Dataset(), nil }})
		require.NoError(t, err)
		t.Cleanup(func() { _ = st.Close() })
		state, err := st.State(ctx)
		require.NoError(t, err)
		versions := map[string]uint64{}
		for k, v := range state.Versions {
			versions[k] = uint64(v)
		}
		h := NewAtlasHolder(a.WithVersions(versions))
		s := New(Options{Holder: h, Store: st, Tokens: NewTokens(testTokenSet()), ETagEpoch: st.Lineage()})
		t.Cleanup(func() { _ = s.Close() })
		return s, st
	}
	s1, st := open()
	s2, _ := open()
	tag := call(t, s1, http.MethodGet, "/collections/places/items", adminSecret, nil).Header().Get("ETag")
	require.NotEmpty(t, tag)
	require.Equal(t, tag, call(t, s2, http.MethodGet, "/collections/places/items", adminSecret, nil).Header().Get("ETag"),
		"servers of one store agree on ETags")
	places := a.Places.Items()
	require.GreaterOrEqual(t, len(places), 2)
	first, second := places[0].ID, places[1].ID

	rec := call(t, s1, http.MethodDelete, "/collections/places/items/"+first, adminSecret, nil, "If-Match", tag)
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	rec = call(t, s2, http.MethodDelete, "/collections/places/items/"+second, adminSecret, nil, "If-Match", tag)
	requireProblem(t, rec, http.StatusPreconditionFailed)

	d, err := st.Load(ctx)
	require.NoError(t, err)
	ids := map[string]bool{}
	for _, p := range d.Places {
		ids[p.ID] = true
	}
	require.False(t, ids[first], "the first conditional write is stored")
	require.True(t, ids[second], "the second, checked against the same version, is not")
}
