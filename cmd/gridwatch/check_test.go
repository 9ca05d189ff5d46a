package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/data"
)

// gridwatch check --data DIR runs the full integrity check: ok on a good
// store, exit 1 naming the damage on a damaged one; an empty file is
// refused, not seeded.
func TestCheck_FullIntegrityCheck(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	code, _, errOut := runCLI(t, "import", "--data", dir, filepath.Join("..", "..", "testdata", "tiny"))
	require.Equal(t, 0, code, errOut)
	code, out, errOut := runCLI(t, "check", "--data", dir)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "ok")

	path := filepath.Join(dir, data.StoreFile)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	for i := 4096; i < len(b)-4096; i++ {
		b[i] = byte(i * 13)
	}
	require.NoError(t, os.WriteFile(path, b, 0o600))
	code, _, errOut = runCLI(t, "check", "--data", dir)
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "damaged store")

	empty := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(empty, data.StoreFile), nil, 0o600))
	code, _, errOut = runCLI(t, "check", "--data", empty)
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "empty (0 bytes)")
	code, _, _ = runCLI(t, "check", "--data", t.TempDir())
	require.Equal(t, 2, code, "no store: bad input")
}
