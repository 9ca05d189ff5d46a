package api

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestServe_SIGTERMFinishesCleanly starts the real binary, makes a durable
// write, stops it with SIGTERM (a clean exit, status 0) and finds the write
// after a restart.
func TestServe_SIGTERMFinishesCleanly(t *testing.T) {
	t.Parallel()
	bin := gridwatchBinary(t)
	dir := t.TempDir()
	out, err := runGridwatch(t, bin, "import", "--data", dir, "../testdata/tiny")
	require.NoError(t, err, out)

	p := startServe(t, bin, dir, "--rate", "0")
	c := newClient(p.url, adminSecret)
	code, body, err := c.do(http.MethodPost, "/collections/incidents/items", mediaGeoJSON, []byte(incident("term-1", 1)))
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, code, string(body))
	p.stop(t)
	require.Contains(t, p.logs.String(), "shutting down")

	p2 := startServe(t, bin, dir, "--rate", "0")
	require.True(t, newClient(p2.url, adminSecret).ids(t, "incidents")["term-1"], "the write survives a clean stop")
	p2.stop(t)
}
