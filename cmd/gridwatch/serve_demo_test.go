package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/api"
	"gridwatch/geo"
)

// Finding 13: the local demo (no tokens) served any --data store to
// anyone. It now refuses a store whose dataset is not marked synthetic,
// unless --demo-real-data.
func TestServe_DemoRefusesRealData(t *testing.T) {
	t.Parallel()
	src := filepath.Join("..", "..", "testdata", "tiny")
	real := t.TempDir()
	entries, err := os.ReadDir(src)
	require.NoError(t, err)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		require.NoError(t, err)
		if e.Name() == "meta.json" {
			b = []byte(strings.Replace(string(b), `"synthetic": true`, `"synthetic": false`, 1))
		}
		require.NoError(t, os.WriteFile(filepath.Join(real, e.Name()), b, 0o600))
	}
	dir := t.TempDir()
	code, _, errOut := runCLI(t, "import", "--data", dir, real)
	require.Equal(t, 0, code, errOut)
	code, _, errOut = runCLI(t, "serve", "--data", dir, "--addr", "127.0.0.1:0")
	require.Equal(t, 2, code, errOut)
	require.Contains(t, errOut, "--demo-real-data")

	f := serveFlags{store: storeFlags{dataDir: dir}}
	require.Error(t, checkDemoData(f, nil, geo.Meta{Name: "real"}))
	require.NoError(t, checkDemoData(f, nil, geo.Meta{Name: "synthetic", Synthetic: true}))
	require.NoError(t, checkDemoData(f, api.NewTokenSet(), geo.Meta{Name: "real"}), "with tokens")
	f.demoRealData = true
	require.NoError(t, checkDemoData(f, nil, geo.Meta{Name: "real"}))
	require.NoError(t, checkDemoData(serveFlags{}, nil, geo.Meta{Name: "embedded or --dataset"}))
}
