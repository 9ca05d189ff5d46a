package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// wrkResult is what wrk reports of a run.
type wrkResult struct {
	rps      float64
	p50, p99 time.Duration
	cmd      string
}

// wrkScript cycles through the request paths of a file, one per line.
const wrkScript = `local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local i = math.random(#paths)
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
`

// runWrk runs wrk against base with the paths in pathsFile.
func runWrk(dir, base, pathsFile string, d time.Duration) (wrkResult, error) {
	script := filepath.Join(dir, "paths-"+strconv.FormatInt(time.Now().UnixNano(), 36)+".lua")
	if err := os.WriteFile(script, []byte(fmt.Sprintf(wrkScript, pathsFile)), 0o644); err != nil {
		return wrkResult{}, err
	}
	args := []string{"-t2", "-c16", "-d" + d.String(), "--latency", "-s", script, base}
	out, err := exec.Command("wrk", args...).CombinedOutput()
	cmd := "wrk " + strings.Join(args, " ")
	if err != nil {
		return wrkResult{cmd: cmd}, fmt.Errorf("%s: %w: %s", cmd, err, out)
	}
	r, err := parseWrk(string(out))
	r.cmd = cmd
	if err != nil {
		return r, fmt.Errorf("%s: %w", cmd, err)
	}
	return r, nil
}

// parseWrk reads the rate and the 50th and 99th percentiles of wrk
// --latency's report; non-2xx answers are an error.
func parseWrk(out string) (wrkResult, error) {
	var r wrkResult
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "Requests/sec:":
			r.rps, _ = strconv.ParseFloat(f[1], 64)
		case len(f) == 2 && f[0] == "50%":
			r.p50 = wrkDuration(f[1])
		case len(f) == 2 && f[0] == "99%":
			r.p99 = wrkDuration(f[1])
		case len(f) > 3 && f[0] == "Non-2xx":
			return r, fmt.Errorf("%s", sc.Text())
		}
	}
	if r.rps == 0 {
		return r, fmt.Errorf("no rate in %q", out)
	}
	return r, nil
}

// wrkDuration reads wrk's latencies (635.00us, 24.22ms, 1.02s).
func wrkDuration(s string) time.Duration {
	for _, u := range []struct {
		suffix string
		unit   time.Duration
	}{{"us", time.Microsecond}, {"ms", time.Millisecond}, {"m", time.Minute}, {"s", time.Second}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return time.Duration(f * float64(u.unit))
		}
	}
	return 0
}

// fixedRate sends GETs of the paths at rate a second for d, open loop:
// each request's latency counts from when it was due, so that a stall
// is not hidden by the requests it delayed. It returns the p50 and p99.
func fixedRate(base string, paths []string, rate float64, d time.Duration) (p50, p99 time.Duration, sent int, err error) {
	tr := &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	n := int(rate * d.Seconds())
	due := make(chan time.Time, n)
	lat := make([]time.Duration, 0, n)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	ctx, cancel := context.WithTimeout(context.Background(), d+30*time.Second)
	defer cancel()
	for w := range 64 {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			i := w
			for t := range due {
				i = (i + 64) % len(paths)
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+paths[i], nil)
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("GET %s: %s", paths[i], resp.Status)
					}
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				lat = append(lat, time.Since(t))
				mu.Unlock()
			}
		}(w)
	}
	start := time.Now()
	for i := range n {
		t := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
		if wait := time.Until(t); wait > 0 {
			time.Sleep(wait)
		}
		due <- t
	}
	close(due)
	wg.Wait()
	if firstErr != nil {
		return 0, 0, 0, firstErr
	}
	slices.Sort(lat)
	return lat[len(lat)/2], lat[len(lat)*99/100], len(lat), nil
}
