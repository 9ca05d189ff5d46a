package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Helpers of the black-box tests that run the gridwatch binary.

// buildOnce builds the binary once per test process.
var buildOnce struct {
	sync.Once
	path string
	err  error
	out  []byte
}

// gridwatchBinary builds cmd/gridwatch (without the race detector, so that
// the process under test runs at full speed) and returns its path.
func gridwatchBinary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the gridwatch binary")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gridwatch-bin-")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.path = filepath.Join(dir, "gridwatch")
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "build", "-o", buildOnce.path, "gridwatch/cmd/gridwatch")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		buildOnce.out, buildOnce.err = cmd.CombinedOutput()
	})
	require.NoError(t, buildOnce.err, string(buildOnce.out))
	return buildOnce.path
}

// freeAddr returns a loopback address with a port that was free a moment
// ago.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// gwProcess is a running `gridwatch serve`.
type gwProcess struct {
	cmd  *exec.Cmd
	url  string
	logs *syncBuffer
	done chan error
}

// startServe starts `gridwatch serve --data dir` with an admin token and
// waits until /readyz answers 200.
func startServe(t testing.TB, bin, dir string, extra ...string) *gwProcess {
	t.Helper()
	addr := freeAddr(t)
	args := append([]string{"serve", "--data", dir, "--addr", addr, "--log-json"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "GRIDWATCH_TOKENS=admin:"+adminSecret+",analyst:"+analystSecret+",tracker:"+trackerSecret)
	p := &gwProcess{cmd: cmd, url: "http://" + addr, logs: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	require.NoError(t, cmd.Start())
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() { p.kill() })
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-p.done:
			p.done <- err
			t.Fatalf("gridwatch serve exited: %v\n%s", err, p.logs.String())
		default:
		}
		resp, err := http.Get(p.url + "/readyz")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("gridwatch serve not ready in time\n%s", p.logs.String())
	return nil
}

// kill sends SIGKILL and waits for the process to go.
func (p *gwProcess) kill() {
	if p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	select {
	case err := <-p.done:
		p.done <- err
	case <-time.After(30 * time.Second):
	}
}

// stop sends SIGTERM and waits for a clean exit.
func (p *gwProcess) stop(t testing.TB) {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-p.done:
		p.done <- err
		require.NoError(t, err, p.logs.String())
	case <-time.After(time.Minute):
		t.Fatal("gridwatch serve did not stop on SIGTERM")
	}
}

// runGridwatch runs a command of the binary to its end.
func runGridwatch(t testing.TB, bin string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	return string(out), err
}

// client sends requests with a token to a running server.
type client struct {
	base, secret string
	http         *http.Client
}

func newClient(base, secret string) *client {
	return &client{base: base, secret: secret, http: &http.Client{Timeout: time.Minute,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
}

// do sends a request and returns the status and body; a transport error
// (the server died) is returned as is.
func (c *client) do(method, path, contentType string, body []byte) (int, []byte, error) {
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.secret)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}

// incident returns a GeoJSON incident feature in the tiny dataset's area.
func incident(id string, i int) string {
	return fmt.Sprintf(`{"type":"Feature","id":%q,"geometry":{"type":"Point","coordinates":[%.7f,%.7f]},`+
		`"properties":{"time":"2026-01-05T08:00:00+08:00","category":"dispute","source":"110","resolved_level":"grid"}}`,
		id, 106.0005+float64(i%190)*0.0001, 37.4005+float64(i/190%190)*0.0001)
}

// ids returns the ids of every feature of a collection of the server.
func (c *client) ids(t testing.TB, collection string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	next := "/collections/" + collection + "/items?limit=10000"
	for next != "" {
		status, raw, err := c.do("GET", next, "", nil)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, status, string(raw))
		var page struct {
			Features []struct {
				ID string `json:"id"`
			} `json:"features"`
			Links []link `json:"links"`
		}
		require.NoError(t, json.Unmarshal(raw, &page))
		for _, f := range page.Features {
			out[f.ID] = true
		}
		next = ""
		for _, l := range page.Links {
			if l.Rel == "next" {
				next = strings.TrimPrefix(l.Href, c.base)
			}
		}
	}
	return out
}
