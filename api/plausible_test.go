package api

import (
	"net/http"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// Finding 6: a tracker reported [-179.9, -89.9], and every default page of
// responders then failed with 400 query_cost for everyone. The report is
// now refused with 400 naming the coordinates, changing nothing; and a far
// point already in a layer does not make its pages costly.
func TestPlausible_FarReportRefusedAndListingsStillServed(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	before := ss.versions()
	far := `{"type": "Feature", "geometry": {"type": "Point", "coordinates": [-179.9, -89.9]}, "properties": {"available": true}}`
	rec := call(t, ss, http.MethodPatch, "/collections/responders/items/r1", trackerSecret, []byte(far), "Content-Type", mediaMergePatch)
	requireProblemField(t, rec, "geometry.coordinates")
	require.Equal(t, before, ss.versions(), "nothing applied")
	near := `{"type": "Feature", "geometry": {"type": "Point", "coordinates": [106.005, 37.405]}, "properties": {"available": true}}`
	rec = call(t, ss, http.MethodPatch, "/collections/responders/items/r1", trackerSecret, []byte(near), "Content-Type", mediaMergePatch)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	// A far point that is already there (a store written before the check).
	d := fixtureDataset(20)
	odd := *d.Responders[0]
	odd.ID, odd.Point, odd.Grids = "r-far", orb.Point{-179.9, -89.9}, nil
	d.Responders = append(d.Responders, &odd)
	a, err := geo.NewAtlas(d, geo.Options{})
	require.NoError(t, err)
	srv := New(Options{Atlas: func() *geo.Atlas { return a }, Tokens: NewTokens(testTokenSet())})
	rec = call(t, srv, http.MethodGet, "/collections/responders/items", analystSecret, nil)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	// The whole world as bbox costs what it touches: the district.
	rec = call(t, srv, http.MethodGet, "/collections/responders/items?bbox=-180,-90,180,90&limit=10000", analystSecret, nil)
	require.Equal(t, http.StatusOK, rec.Code, "the world clipped to the district: %s", rec.Body.String())
}
