package api

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

func TestGzip_CompressesEveryJSONTypeAndHTML(t *testing.T) {
	t.Parallel()
	a := fixtureAtlas(t, 300)
	stopped := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	s := New(Options{Atlas: func() *geo.Atlas { return a }, Now: func() time.Time { return stopped }})
	tests := []struct {
		path, mediaType string
		status          int
	}{
		{"/collections/incidents/items?limit=300", mediaGeoJSON, http.StatusOK},
		{"/collections/grids/items/g1", mediaGeoJSON, http.StatusOK},
		{"/collections", mediaJSON, http.StatusOK},
		{"/openapi.json", mediaOpenAPI, http.StatusOK},
		{"/collections/grids/items?f=html", mediaHTML, http.StatusOK},
		{"/collections/nope/items", mediaProblem, http.StatusNotFound},
		{"/collections/grids/items?limit=0", mediaProblem, http.StatusBadRequest},
	}
	for _, tt := range tests {
		rec := get(t, s, tt.path, "Accept-Encoding", "gzip, deflate, br", "X-Request-Id", "same")
		require.Equal(t, tt.status, rec.Code, tt.path)
		require.Equal(t, tt.mediaType, rec.Header().Get("Content-Type"), tt.path)
		require.Equal(t, "gzip", rec.Header().Get("Content-Encoding"), tt.path)
		require.Contains(t, strings.Join(rec.Header().Values("Vary"), ", "), "Accept-Encoding")
		zr, err := gzip.NewReader(rec.Body)
		require.NoError(t, err, tt.path)
		body, err := io.ReadAll(zr)
		require.NoError(t, err, tt.path)
		if tt.mediaType != mediaHTML {
			require.True(t, json.Valid(body), tt.path)
		} else {
			require.Contains(t, string(body), "</html>")
		}
		plain := get(t, s, tt.path, "X-Request-Id", "same")
		require.Empty(t, plain.Header().Get("Content-Encoding"), tt.path)
		require.Contains(t, strings.Join(plain.Header().Values("Vary"), ", "), "Accept-Encoding", tt.path)
		if tt.mediaType == mediaProblem {
			// Each answer has its own request id; the rest is the same.
			var x, y map[string]any
			require.NoError(t, json.Unmarshal(plain.Body.Bytes(), &x))
			require.NoError(t, json.Unmarshal(body, &y))
			delete(x, "request_id")
			delete(y, "request_id")
			require.Equal(t, x, y, tt.path)
			continue
		}
		require.Equal(t, plain.Body.String(), string(body), tt.path)
	}
}

func TestGzip_NotWhenRefusedOrNotModified(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	rec := get(t, s, "/collections", "Accept-Encoding", "gzip;q=0, identity")
	require.Empty(t, rec.Header().Get("Content-Encoding"))
	tag := rec.Header().Get("ETag")
	rec = get(t, s, "/collections", "Accept-Encoding", "gzip", "If-None-Match", tag)
	require.Equal(t, http.StatusNotModified, rec.Code)
	require.Empty(t, rec.Header().Get("Content-Encoding"))
	require.Empty(t, rec.Body.Bytes())
}

func TestAcceptsGzip(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{"": false, "gzip": true, "deflate, gzip;q=0.5": true, "gzip;q=0": false,
		"*": true, "identity": false, "GZIP": true, "br;q=1.0, gzip;q=0.8, *;q=0.1": true}
	for header, want := range tests {
		require.Equal(t, want, acceptsGzip(header), header)
	}
}
