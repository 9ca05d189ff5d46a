package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// gridwatchServer is a `gridwatch serve` child process.
type gridwatchServer struct {
	cmd   *exec.Cmd
	url   string
	ready time.Duration // from start to the first 200 from /readyz
	args  []string
}

// startGridwatch starts bin serve with the given source flags on a free
// loopback port and waits until /readyz answers 200.
func startGridwatch(bin string, logTo io.Writer, source ...string) (*gridwatchServer, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	args := append([]string{"serve", "--addr", addr, "--rate", "0"}, source...)
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logTo, logTo
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &gridwatchServer{cmd: cmd, url: "http://" + addr, args: append([]string{bin}, args...)}
	client := &http.Client{Timeout: time.Second}
	for deadline := start.Add(5 * time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		resp, err := client.Get(s.url + "/readyz")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.ready = time.Since(start)
				return s, nil
			}
		}
		if cmd.ProcessState != nil {
			break
		}
	}
	s.stop()
	return nil, fmt.Errorf("%s did not become ready", strings.Join(s.args, " "))
}

func (s *gridwatchServer) stop() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = s.cmd.Process.Kill()
			<-done
		}
	}
}

// rssMiB returns the server's resident set size, MiB.
func (s *gridwatchServer) rssMiB() float64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}

// fetch GETs a path (asking for gzip when gz) and returns the body (its
// plain bytes) and the time to the last byte.
func fetch(url string, gz bool) ([]byte, time.Duration, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, 0, err
	}
	if gz {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	start := time.Now()
	resp, err := (&http.Client{Transport: tr, Timeout: 10 * time.Minute}).Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	took := time.Since(start)
	if err != nil {
		return nil, 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, 0, fmt.Errorf("GET %s: %s: %.300s", url, resp.Status, body)
	}
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(strings.NewReader(string(body)))
		if err != nil {
			return nil, 0, err
		}
		if body, err = io.ReadAll(zr); err != nil {
			return nil, 0, err
		}
	}
	return body, took, nil
}

// gridShares reads coverage_area of every grid of a /coverage/grids answer.
func gridShares(body []byte) (map[string]float64, error) {
	var fc struct {
		Features []struct {
			ID         string `json:"id"`
			Properties struct {
				Share *float64 `json:"coverage_area"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, f := range fc.Features {
		if f.Properties.Share != nil {
			out[f.ID] = *f.Properties.Share
		}
	}
	return out, nil
}

// nearestIDs reads the responder ids of a /responders/nearest answer, in
// rank order.
func nearestIDs(body []byte) ([]string, error) {
	var fc struct {
		Features []struct {
			ID         string `json:"id"`
			Properties struct {
				Kind string `json:"kind"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		return nil, err
	}
	var ids []string
	for _, f := range fc.Features {
		if f.Properties.Kind == "responder" {
			ids = append(ids, f.ID)
		}
	}
	return ids, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
