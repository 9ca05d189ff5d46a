package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"gridwatch/geo"
)

// metrics are a server's Prometheus metrics, in a registry of its own (so
// that servers in parallel tests do not share counters).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	errors   *prometheus.CounterVec
	writes   *prometheus.CounterVec
	refusals *prometheus.CounterVec
	groups   prometheus.Histogram
	commits  prometheus.Histogram
}

func newMetrics(atlas func() *geo.Atlas) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gridwatch_http_requests_total",
			Help: "HTTP requests by route pattern, method and status."}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "gridwatch_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"route", "method"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gridwatch_http_errors_total",
			Help: "HTTP answers with status 400 or more, by route pattern and status."}, []string{"route", "status"}),
		writes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gridwatch_writes_total",
			Help: "Writes by layer, operation and result (ok, invalid, failed)."}, []string{"layer", "op", "result"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gridwatch_limit_refusals_total",
			Help: "Requests refused by a limit, by the limit's name."}, []string{"limit"}),
		groups: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "gridwatch_write_group_size",
			Help: "Writes committed together in one transaction (one fsync).", Buckets: prometheus.ExponentialBuckets(1, 2, 12)}),
		commits: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "gridwatch_write_commit_seconds",
			Help: "Time to commit one group of writes to the store.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.errors, m.writes, m.refusals, m.groups, m.commits,
		layerCollector{atlas: atlas},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observe records one answered request.
func (m *metrics) observe(route, method string, status int, took time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	code := strconv.Itoa(status)
	m.requests.WithLabelValues(route, method, code).Inc()
	m.latency.WithLabelValues(route, method).Observe(took.Seconds())
	if status >= 400 {
		m.errors.WithLabelValues(route, code).Inc()
	}
}

// noteRefusal counts a request refused by the named limit ("" counts
// nothing).
func (s *Server) noteRefusal(limit string) {
	if limit != "" {
		s.sec.metrics.refusals.WithLabelValues(limit).Inc()
	}
}

// serveMetrics serves GET /metrics in the Prometheus text format.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r.URL.Query()); err != nil {
		return err
	}
	promhttp.HandlerFor(s.sec.metrics.reg, promhttp.HandlerOpts{DisableCompression: true}).ServeHTTP(w, r)
	return nil
}

// layerCollector reports each layer's version and feature count from the
// atlas current at scrape time.
type layerCollector struct {
	atlas func() *geo.Atlas
}

var (
	layerVersionDesc = prometheus.NewDesc("gridwatch_layer_version", "The version of each layer (one more per write).", []string{"layer"}, nil)
	layerSizeDesc    = prometheus.NewDesc("gridwatch_layer_features", "The number of features in each layer.", []string{"layer"}, nil)
)

// Describe implements prometheus.Collector.
func (c layerCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- layerVersionDesc
	ch <- layerSizeDesc
}

// Collect implements prometheus.Collector.
func (c layerCollector) Collect(ch chan<- prometheus.Metric) {
	a := c.atlas()
	if a == nil {
		return
	}
	for _, name := range geo.LayerNames {
		l, ok := a.Layer(name)
		if !ok || isNil(l) {
			continue
		}
		ch <- prometheus.MustNewConstMetric(layerVersionDesc, prometheus.GaugeValue, float64(l.Version()), name)
		ch <- prometheus.MustNewConstMetric(layerSizeDesc, prometheus.GaugeValue, float64(l.Len()), name)
	}
}
