package api

import (
	"net/http"
	"strings"
	"sync"

	"gridwatch/geo"
)

// analysisGate bounds how many analysis requests run at once, on the
// whole server and per client (token, or address without one): an
// analysis can hold cores and memory for seconds. Beyond the client's
// bound a request is refused with 429 (limit "analyses_per_client"),
// beyond the server's with 503 (limit "analyses"), both with Retry-After.
type analysisGate struct {
	server    chan struct{}
	perClient int
	mu        sync.Mutex
	running   map[string]int
}

func newAnalysisGate(server, perClient int) *analysisGate {
	return &analysisGate{server: make(chan struct{}, server), perClient: perClient, running: map[string]int{}}
}

// analysisRoute reports whether a route pattern is an analysis the gate
// bounds: the coverage, load and response analyses, placement, scenarios
// and repairs.
func analysisRoute(pattern string) bool {
	for _, p := range []string{"/coverage/", "/load/", "/response/"} {
		if strings.HasPrefix(pattern, p) {
			return true
		}
	}
	return false
}

// enter admits one request of client, or returns the refusal; release
// must be called when the request ends.
func (g *analysisGate) enter(client string) (release func(), err error) {
	g.mu.Lock()
	if g.running[client] >= g.perClient {
		g.mu.Unlock()
		return nil, limitError(geo.RateLimited, "analyses_per_client", int64(g.perClient),
			"%d analyses of this client are running; at most %d run at once: wait for one to finish", g.perClient, g.perClient)
	}
	g.running[client]++
	g.mu.Unlock()
	leave := func() {
		g.mu.Lock()
		if g.running[client]--; g.running[client] <= 0 {
			delete(g.running, client)
		}
		g.mu.Unlock()
	}
	select {
	case g.server <- struct{}{}:
	default:
		leave()
		return nil, limitError(geo.Unavailable, "analyses", int64(cap(g.server)),
			"the server is running %d analyses, its most at once: retry shortly", cap(g.server))
	}
	return func() { <-g.server; leave() }, nil
}

// admitAnalysis runs the gate for an analysis request; it answers the
// refusal itself and returns false then.
func (s *Server) admitAnalysis(w http.ResponseWriter, r *http.Request, m routeMatch, p principal) (release func(), ok bool) {
	if !analysisRoute(m.Pattern) {
		return func() {}, true
	}
	release, err := s.sec.analyses.enter(rateKey(r, p))
	if err != nil {
		w.Header().Set("Retry-After", "1")
		s.writeError(w, r, err)
		return nil, false
	}
	return release, true
}
