package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// auditOutcomes returns the outcome of each write line of the audit log,
// by the path written.
func auditOutcomes(t testing.TB, log string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		if line == "" {
			continue
		}
		var rec struct {
			Msg, Path, Outcome string
			Status             int
		}
		require.NoError(t, json.Unmarshal([]byte(line), &rec), line)
		if rec.Msg == "write" {
			out[rec.Path] = append(out[rec.Path], fmt.Sprintf("%d %s", rec.Status, rec.Outcome))
		}
	}
	return out
}

// TestWrite_503MeansNotApplied: writes that reach their deadline while
// their group's commit hangs, or while they wait behind it, answer 503
// and are not applied once the store answers again; the audit log says
// not_applied. (Before, such writes were answered 503 and applied.)
func TestWrite_503MeansNotApplied(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, func(o *Options) { o.Limits = Limits{Timeout: 100 * time.Millisecond} })
	ss.store.hold = make(chan struct{})
	var wg sync.WaitGroup
	codes := make([]int, 6)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The first is taken and its commit hangs; the others queue
			// behind it (or join a later group) and reach their deadline.
			time.Sleep(time.Duration(i) * 5 * time.Millisecond)
			codes[i] = call(t, ss, "POST", "/collections/places/items", adminSecret,
				[]byte(placeFeature(fmt.Sprintf("p%d", 90+i), 106.005, 37.405, "school")), "Content-Type", mediaGeoJSON).Code
		}()
	}
	wg.Wait()
	close(ss.store.hold)
	for i, c := range codes {
		require.Equal(t, http.StatusServiceUnavailable, c, "write %d", i)
	}
	// A write after the store answers again is applied, and it is the
	// only one.
	rec := call(t, ss, "POST", "/collections/places/items", adminSecret, []byte(placeFeature("p80", 106.005, 37.405, "school")), "Content-Type", mediaGeoJSON)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	a := ss.atlasNow()
	for i := range codes {
		_, applied := a.Places.Get(fmt.Sprintf("p%d", 90+i))
		require.False(t, applied, "p%d answered 503 and must not be applied", 90+i)
	}
	require.Equal(t, 1, ss.store.count(), "one commit: p80's")
	require.Equal(t, "p80", ss.store.commits[0][0].Items[0].FeatureID())
	outcomes := auditOutcomes(t, ss.audit.String())["/collections/places/items"]
	require.Len(t, outcomes, len(codes)+1)
	for _, o := range outcomes[:len(codes)] {
		require.Equal(t, "503 not_applied", o)
	}
	require.Equal(t, "201 applied", outcomes[len(codes)])
}

// TestWrite_FailedCommitIsAuditedNotApplied: a store that fails answers
// 503 and the audit log says not_applied.
func TestWrite_FailedCommitIsAuditedNotApplied(t *testing.T) {
	t.Parallel()
	ss := newSecureServer(t, nil)
	ss.store.setFail(fmt.Errorf("disk full"))
	rec := call(t, ss, "POST", "/collections/places/items", adminSecret, []byte(placeFeature("p90", 106.005, 37.405, "school")), "Content-Type", mediaGeoJSON)
	require.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
	_, applied := ss.atlasNow().Places.Get("p90")
	require.False(t, applied)
	require.Equal(t, []string{"503 not_applied"}, auditOutcomes(t, ss.audit.String())["/collections/places/items"])
}
