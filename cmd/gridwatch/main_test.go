package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestGen_SameSeedSameBytes(t *testing.T) {
	t.Parallel()
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		code, out, errOut := runCLI(t, "gen", "--out", dir, "--scale", "0.05", "--seed", "7")
		require.Equal(t, 0, code, errOut)
		require.Contains(t, out, "grids")
	}
	names, err := filepath.Glob(filepath.Join(a, "*"))
	require.NoError(t, err)
	require.Len(t, names, 1+len(geo.LayerNames), "meta.json and a file per layer")
	for _, name := range names {
		x, err := os.ReadFile(name)
		require.NoError(t, err)
		y, err := os.ReadFile(filepath.Join(b, filepath.Base(name)))
		require.NoError(t, err)
		require.True(t, bytes.Equal(x, y), "%s differs", filepath.Base(name))
	}
	code, out, errOut := runCLI(t, "validate", a)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "valid")
}

func TestValidate_BadDataExitsTwo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "stations.geojson"), []byte(
		`{"type":"FeatureCollection","features":[{"type":"Feature","id":"S1","geometry":{"type":"Point","coordinates":[200,37]},"properties":{"name":"x"}}]}`), 0o644))
	code, _, errOut := runCLI(t, "validate", dir)
	require.Equal(t, 2, code)
	require.Contains(t, errOut, `stations[0] id "S1" field "geometry"`)
	require.Contains(t, errOut, "longitude in [-180, 180]")
}

func TestRun_Usage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
		code int
	}{
		{"no command", nil, 2},
		{"unknown command", []string{"frobnicate"}, 2},
		{"help", []string{"help"}, 0},
		{"gen without --out", []string{"gen"}, 2},
		{"bad flag", []string{"serve", "--nope"}, 2},
		{"bad scale", []string{"gen", "--out", "x", "--scale", "-1"}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, _, _ := runCLI(t, tc.args...)
			require.Equal(t, tc.code, code)
		})
	}
}

// -h answers every command with its usage, once, and status 0.
func TestRun_HelpForEveryCommand(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"serve"}, {"gen"}, {"validate"}, {"bench"}, {"import"}, {"backup"}, {"migrate"},
		{"analyze"}, {"analyze", "coverage"}, {"analyze", "load"}, {"analyze", "reallocate"}, {"analyze", "nearest"},
		{"analyze", "placement"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCLI(t, append(args, "-h")...)
			require.Equal(t, 0, code, errOut)
			all := strings.ToLower(out + errOut)
			require.Equal(t, 1, strings.Count(all, "usage"), "usage once:\n%s", all)
		})
	}
	_, out, _ := runCLI(t, "analyze", "nearest", "-h")
	require.NotContains(t, out, "NaN", "required flags show no default")
	require.Contains(t, out, "(required)")
}

func TestRun_CountsProblemsInWords(t *testing.T) {
	t.Parallel()
	require.Equal(t, "1 problem", problems(1))
	require.Equal(t, "2 problems", problems(2))
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "stations.geojson"), []byte(
		`{"type":"FeatureCollection","features":[{"type":"Feature","id":"S1","geometry":{"type":"Point","coordinates":[200,37]},"properties":{"name":"x"}}]}`), 0o644))
	_, _, errOut := runCLI(t, "validate", dir)
	require.Contains(t, errOut, "(1 problem)")
	code, _, errOut := runCLI(t, "validate", filepath.Join(dir, "missing"))
	require.Equal(t, 2, code)
	require.Contains(t, errOut, "no such directory")
}
