package api

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// TestClientsDoc runs every command of the sh blocks of docs/clients.md
// against the default dataset on a loopback port: each must exit 0 and
// print nothing on standard error (no GDAL warning).
func TestClientsDoc(t *testing.T) {
	t.Parallel()
	requireGDAL(t)
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("curl not found: install the Debian package curl (make test does)")
	}
	doc, err := os.ReadFile("../docs/clients.md")
	require.NoError(t, err)
	var cmds []string
	in := false
	for _, line := range strings.Split(string(doc), "\n") {
		switch {
		case line == "```sh":
			in = true
		case strings.HasPrefix(line, "```"):
			in = false
		case in && strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "#"):
			cmds = append(cmds, line)
		}
	}
	require.GreaterOrEqual(t, len(cmds), 10, "the doc's commands")
	a := defaultAtlas(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: New(Options{Atlas: func() *geo.Atlas { return a }}), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	dir := t.TempDir()
	for _, c := range cmds {
		ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
		cmd := exec.CommandContext(ctx, "bash", "-c", c)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GW=http://"+ln.Addr().String(), "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		cancel()
		require.NoError(t, err, "%s: %s", c, stderr.String())
		require.Empty(t, strings.TrimSpace(stderr.String()), c)
	}
	// What the commands made.
	for _, f := range []string{"district.gpkg", "grids.shp", "grids.cpg", "cameras.csv", "big-grids.geojson", "tile.geojson", "queryables.json", "grids.json", "incidents.json", "tilejson.json", "tms.json"} {
		st, err := os.Stat(dir + "/" + f)
		require.NoError(t, err, f)
		require.NotZero(t, st.Size(), f)
	}
}
