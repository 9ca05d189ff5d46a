package api

import (
	"crypto/rand"
	"encoding/hex"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gridwatch/coverage"
	"gridwatch/geo"
)

// Default limits of the items endpoint.
const (
	// DefaultLimit is the page size when a request gives no limit.
	DefaultLimit = 100
	// MaxLimit is the largest page size; a larger limit is clamped to it.
	MaxLimit = 10_000
)

// Options configure a Server. Only Atlas is required.
type Options struct {
	// Atlas returns the atlas to serve. It is called once per request, so a
	// write may swap the atlas at any moment (see AtlasHolder); a request
	// keeps the snapshot it started with. A nil atlas is answered with 503.
	Atlas func() *geo.Atlas
	// Logger receives one line per request and every error; nil discards.
	Logger *slog.Logger
	// BaseURL is the public URL of the API root used in links, e.g.
	// "https://gridwatch.example.org/ogc" (mount the handler under that path
	// with http.StripPrefix). Empty derives it from each request's Host.
	BaseURL string
	// TrustForwarded makes links honour X-Forwarded-Proto and
	// X-Forwarded-Host; set it only behind a proxy that sets them.
	TrustForwarded bool
	// DefaultLimit is the page size when a request gives none; 0 means
	// DefaultLimit.
	DefaultLimit int
	// MaxLimit caps the page size (larger limits are clamped); 0 means
	// MaxLimit.
	MaxLimit int
	// Now returns the current time for the timeStamp of item pages; nil
	// means time.Now.
	Now func() time.Time
	// BasemapURL is the tile URL template ({z}/{x}/{y}, optionally {s})
	// of the map page's basemap, e.g. an in-house or Tianditu tile server;
	// empty means no basemap, so the page loads nothing from outside.
	BasemapURL string
	// CORSOrigins are the web origins (scheme://host[:port]) that the
	// local demo (no tokens) lets read its answers from another page; a
	// server with tokens lets any origin read, since a page holds no
	// token of its own.
	CORSOrigins []string
	// Tokens are the credentials (see api/auth.go). Nil runs the local
	// demo: every read is allowed, every write refused.
	Tokens *Tokens
	// PublicViewer gives requests without a token the viewer role.
	PublicViewer bool
	// Store makes writes durable; nil takes no writes but responder
	// patches (live positions, in memory, when Holder or Publish is set).
	Store Store
	// Publish makes the atlas after a write current; nil means
	// Holder.Store. Store needs one of them.
	Publish func(*geo.Atlas)
	// CommitLinger is how long a write group waits for more writes before
	// it is committed (0 to 50 ms; 0 commits what is queued at once).
	CommitLinger time.Duration
	// PositionLinger bounds how often responder patches (position
	// reports) make a commit: a report's group starts no sooner than this
	// after the previous group, so that reports share one transaction and
	// one atlas version; 0 means DefaultPositionLinger, a negative value
	// waits for nothing, and at most 50 ms.
	PositionLinger time.Duration
	// Limits bound requests; zero fields take DefaultLimits (the rate
	// limit is off when RatePerMinute is 0).
	Limits Limits
	// Audit receives one line per write and per read of police data; nil
	// discards them.
	Audit *slog.Logger
	// DevPositions accepts PATCH /collections/responders/items/{id}
	// (position, available, updated) without a token: a development flag
	// (gridwatch serve --dev-positions) until trackers carry tokens.
	DevPositions bool
	// Holder holds the atlas that writes publish into (when Publish is
	// nil); with neither, responder patches are refused with 503. When
	// Atlas is nil, Holder.Load serves.
	Holder *AtlasHolder
	// ETagEpoch, when set, starts every ETag instead of a value made anew
	// by each process, and layer versions alone identify layer contents: a
	// store shared by several processes gives its lineage here and its
	// layer versions to the atlas (geo.Atlas.WithVersions), so that ETags
	// agree across the processes and survive restarts.
	ETagEpoch string
	// Staleness, when set, tells whether the atlas may be behind a shared
	// store (its connection lost) and since how long; responses then carry
	// SnapshotAgeHeader.
	Staleness func() (time.Duration, bool)
	// ETA is the arrival-time model of the nearest-responder and response
	// endpoints; nil means coverage.DefaultETA() (docs/response.md).
	ETA coverage.ETA
}

// Server serves the OGC API - Features collections of an atlas. It is an
// http.Handler; build it with New.
type Server struct {
	atlas       func() *geo.Atlas
	log         *slog.Logger
	baseURL     string
	forwarded   bool
	defLimit    int
	maxLimit    int
	now         func() time.Time
	basemap     string   // tile URL template of the map page
	corsOrigins []string // origins the local demo shares its answers with
	epoch       string   // changes with every process, part of request ids
	tagEpoch    string   // part of every ETag: Options.ETagEpoch, else epoch
	requestSeq  atomic.Uint64
	layers      *layerCache
	pages       map[string]*template.Template
	gzips       sync.Pool
	sec         *security
	disp        *dispatch            // nearest responders, response times, positions
	videos      *coverage.VideoCache // the coverages of the coverage and planning endpoints
	tiles       *tileState           // vector tiles: encoded tiles, decoded analyses
	answers     *answerCache         // encoded answers of large analyses, by ETag
	gridGeoms   *gridGeometries      // the grids' encoded outlines
	gridFeats   *gridFeatures        // the grids' encoded coverage features
	handler     http.Handler
}

// New returns a Server for the options. It panics when opt.Atlas is nil,
// which is a wiring mistake rather than a runtime condition.
func New(opt Options) *Server {
	if opt.Atlas == nil && opt.Holder != nil {
		opt.Atlas = opt.Holder.Load
	}
	if opt.Atlas == nil {
		panic("api: Options.Atlas is nil")
	}
	s := &Server{
		atlas:       opt.Atlas,
		log:         opt.Logger,
		baseURL:     trimSlash(opt.BaseURL),
		forwarded:   opt.TrustForwarded,
		defLimit:    opt.DefaultLimit,
		maxLimit:    opt.MaxLimit,
		now:         opt.Now,
		basemap:     opt.BasemapURL,
		corsOrigins: opt.CORSOrigins,
		epoch:       newEpoch(),
		layers:      newLayerCache(opt.ETagEpoch != ""),
		pages:       parsePages(),
		disp:        newDispatch(opt),
		videos:      coverage.NewVideoCache(0),
		answers:     newAnswerCache(),
		gridGeoms:   &gridGeometries{},
		gridFeats:   &gridFeatures{},
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s.tagEpoch = s.epoch
	if opt.ETagEpoch != "" {
		s.tagEpoch = opt.ETagEpoch + strings.Repeat("0", max(0, 8-len(opt.ETagEpoch)))
	}
	if s.maxLimit <= 0 {
		s.maxLimit = MaxLimit
	}
	if s.defLimit <= 0 {
		s.defLimit = min(DefaultLimit, s.maxLimit)
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.sec = newSecurity(s, opt)
	s.handler = s.routes()
	if opt.Staleness != nil {
		s.handler = staleHeader(s.handler, opt.Staleness)
	}
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// current returns the atlas to serve, or an Unavailable error when there is
// none yet.
func (s *Server) current() (*geo.Atlas, error) {
	a := s.atlas()
	if a == nil {
		return nil, geo.Errorf(geo.Unavailable, "no dataset is loaded yet")
	}
	return a, nil
}

func newEpoch() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return time.Now().UTC().Format(time.RFC3339Nano)
	}
	return hex.EncodeToString(b[:])
}

func trimSlash(s string) string {
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}

// AtlasHolder holds the current atlas for a Server: a write stores a new
// atlas and readers load it without locks. Pass its Load method as
// Options.Atlas.
type AtlasHolder struct {
	p atomic.Pointer[geo.Atlas]
}

// NewAtlasHolder returns a holder of a (which may be nil).
func NewAtlasHolder(a *geo.Atlas) *AtlasHolder {
	h := &AtlasHolder{}
	h.p.Store(a)
	return h
}

// Load returns the current atlas.
func (h *AtlasHolder) Load() *geo.Atlas { return h.p.Load() }

// Store makes a the current atlas.
func (h *AtlasHolder) Store(a *geo.Atlas) { h.p.Store(a) }
