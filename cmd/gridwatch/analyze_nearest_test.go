package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/data"
)

func TestAnalyzeNearest(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d, err := data.Generate(data.GenerateOptions{Seed: 3, Scale: 0.05})
	require.NoError(t, err)
	require.NoError(t, data.WriteDir(dir, d, false))
	s := d.Settlements[0].Polygon[0][0]
	tests := []struct {
		name string
		args []string
		want []string
		err  bool
	}{
		{"inside", []string{"--lon", fmt.Sprint(s[0]), "--lat", fmt.Sprint(s[1]), "--k", "3", "--max-age-s", "0"},
			[]string{"grid " + d.Settlements[0].Grid, "rank", "   1  ", "   3  "}, false},
		{"outside", []string{"--lon", "100", "--lat", "30", "--available=false", "--k", "1"},
			[]string{"outside the district", "   1  "}, false},
		{"gcj02", []string{"--lon", fmt.Sprint(s[0]), "--lat", fmt.Sprint(s[1]), "--input-crs", "gcj02"},
			[]string{"in gcj02"}, false},
		{"by distance", []string{"--lon", fmt.Sprint(s[0]), "--lat", fmt.Sprint(s[1]), "--order", "distance"},
			[]string{"ranked by distance", "   1  "}, false},
		{"nobody that close", []string{"--lon", "100", "--lat", "30", "--max-distance-m", "1"},
			[]string{"no responder passes the filters", "0 pass max-distance-m 1;", "the filter that removed the last is max-distance-m 1"}, false},
		{"every report stale", []string{"--lon", fmt.Sprint(s[0]), "--lat", fmt.Sprint(s[1]), "--now", "2030-01-01T00:00:00Z"},
			[]string{"0 pass max-age-s 1800", "the filter that removed the last is max-age-s 1800"}, false},
		{"bad order", []string{"--lon", "106", "--lat", "37", "--order", "fastest"}, nil, true},
		{"no lat", []string{"--lon", "106"}, nil, true},
		{"bad k", []string{"--lon", "106", "--lat", "37", "--k", "500"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			err := analyzeNearest(context.Background(), append([]string{"--dataset", dir}, tt.args...), &out, &errOut)
			if tt.err {
				require.Error(t, err)
				require.Equal(t, 2, exitCode(err, &errOut), "bad input exits 2")
				return
			}
			require.NoError(t, err, errOut.String())
			for _, w := range tt.want {
				require.True(t, strings.Contains(out.String(), w), "%q not in:\n%s", w, out.String())
			}
		})
	}
}

func TestAnalyzeNearest_ThroughTheCLI(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d, err := data.Generate(data.GenerateOptions{Seed: 4, Scale: 0.05})
	require.NoError(t, err)
	require.NoError(t, data.WriteDir(dir, d, false))
	p := d.Responders[0].Point
	code, out, errOut := runCLI(t, "analyze", "nearest", "--dataset", dir, "--lon", fmt.Sprint(p[0]), "--lat", fmt.Sprint(p[1]),
		"--k", "1", "--available=false")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, d.Responders[0].ID)
	code, _, _ = runCLI(t, "analyze", "nearest", "--dataset", dir, "--lon", "106", "--lat", "37", "--role", "sheriff")
	require.Equal(t, 2, code)
}

// gridwatch analyze stops when its context ends (Ctrl-C): a cancelled run
// of the coverage at resolution 13 (seconds of work) ends at once with an
// error.
func TestAnalyze_StopsOnInterrupt(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"coverage", "placement"} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var out, errOut bytes.Buffer
		args := []string{"analyze", name}
		if name == "coverage" {
			args = append(args, "--resolution", "13")
		}
		code := run(ctx, args, &out, &errOut)
		require.Equal(t, 1, code, errOut.String())
		require.Contains(t, errOut.String(), "context canceled", name)
	}
}
