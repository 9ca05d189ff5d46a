package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"

	"github.com/paulmach/orb"
)

// point returns a random point in the box.
func (lc *loadClient) point(rng *rand.Rand) orb.Point {
	b := lc.box
	return orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
}

// query asks for the 5 nearest available responders of a random point.
func (lc *loadClient) query(rng *rand.Rand) error {
	p := lc.point(rng)
	resp, err := lc.get(fmt.Sprintf("%s/responders/nearest?lon=%.6f&lat=%.6f", lc.base, p[0], p[1]))
	if err != nil {
		return err
	}
	return drain(resp)
}

// patch moves a responder.
func (lc *loadClient) patch(id string, p orb.Point, available bool) error {
	body, err := json.Marshal(map[string]any{
		"geometry":   map[string]any{"type": "Point", "coordinates": []float64{p[0], p[1]}},
		"properties": map[string]any{"available": available},
	})
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPatch, lc.base+"/collections/responders/items/"+url.PathEscape(id), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/merge-patch+json")
	if lc.tracker != "" {
		req.Header.Set("Authorization", "Bearer "+lc.tracker)
	}
	resp, err := lc.http.Do(req)
	if err != nil {
		return err
	}
	return drain(resp)
}

// position reads a responder's position.
func (lc *loadClient) position(id string) (orb.Point, error) {
	resp, err := lc.get(lc.base + "/collections/responders/items/" + url.PathEscape(id))
	if err != nil {
		return orb.Point{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return orb.Point{}, drain(resp)
	}
	var f struct {
		Geometry struct {
			Coordinates []float64 `json:"coordinates"`
		} `json:"geometry"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&f); err != nil || len(f.Geometry.Coordinates) != 2 {
		return orb.Point{}, fmt.Errorf("read %s: %v", id, err)
	}
	return orb.Point{f.Geometry.Coordinates[0], f.Geometry.Coordinates[1]}, nil
}

// get sends a GET with the reader's token (durable mode).
func (lc *loadClient) get(target string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	if lc.reader != "" {
		req.Header.Set("Authorization", "Bearer "+lc.reader)
	}
	return lc.http.Do(req)
}

// drain reads and closes a response, returning an error for a status
// other than 200.
func drain(resp *http.Response) error {
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		if len(body) > 200 {
			body = body[:200]
		}
		return fmt.Errorf("%s: %s", resp.Status, body)
	}
	return nil
}

// roundPoint rounds to the 7 decimals the API answers with.
func roundPoint(p orb.Point) orb.Point {
	return orb.Point{math.Round(p[0]*1e7) / 1e7, math.Round(p[1]*1e7) / 1e7}
}
