package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"gridwatch/api"
	"gridwatch/data"
	"gridwatch/data/postgis"
	"gridwatch/geo"
)

// serveFlags are the flags of `gridwatch serve`.
type serveFlags struct {
	addr         string
	dataset      string
	store        storeFlags
	baseURL      string
	tokensFile   string
	auditLog     string
	basemap      string
	logJSON      bool
	publicViewer bool
	devPositions bool
	demoRealData bool
	corsOrigins  string
	shutdown     time.Duration
	linger       time.Duration
	posLinger    time.Duration
	limits       api.Limits
}

// tokensEnv names the variable of development tokens.
const tokensEnv = "GRIDWATCH_TOKENS"

func parseServeFlags(args []string, stderr io.Writer) (serveFlags, error) {
	f := serveFlags{limits: api.DefaultLimits()}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address to listen on (anything but loopback needs tokens)")
	fs.StringVar(&f.dataset, "dataset", "", "dataset folder to serve read-only (default: the embedded synthetic district)")
	f.store.register(fs, "durable store directory: DIR/gridwatch.gpkg (seeded from the embedded dataset when empty); writes are accepted")
	fs.StringVar(&f.baseURL, "base-url", "", "public URL of the API root for links (default: from each request's Host)")
	fs.StringVar(&f.tokensFile, "tokens", "", "token file: lines 'role sha256:<hex> name [expires]'; reloaded on SIGHUP (also "+tokensEnv+"=role:token,...)")
	fs.StringVar(&f.auditLog, "audit-log", "", "audit log file (default: DIR/audit.log with --data, else standard error)")
	fs.StringVar(&f.basemap, "basemap", "", "tile URL template of the map page's basemap (default: none)")
	fs.BoolVar(&f.logJSON, "log-json", false, "log JSON lines instead of text")
	fs.BoolVar(&f.publicViewer, "public-viewer", false, "give requests without a token the viewer role")
	fs.BoolVar(&f.demoRealData, "demo-real-data", false, "let the local demo (no tokens) serve a --data or --store dataset that is not marked synthetic")
	fs.StringVar(&f.corsOrigins, "cors-origin", "", "comma-separated web origins (scheme://host[:port]) the local demo shares its answers with (with tokens every origin may read)")
	fs.BoolVar(&f.devPositions, "dev-positions", false, "accept position updates without a token (development only)")
	fs.DurationVar(&f.shutdown, "shutdown-timeout", 10*time.Second, "how long SIGTERM waits for requests in flight")
	fs.DurationVar(&f.linger, "commit-linger", 0, "how long a group of writes waits for more before its commit (0 to 50ms)")
	fs.DurationVar(&f.posLinger, "position-linger", api.DefaultPositionLinger, "position reports make at most one commit per this long, so that they share a transaction and an atlas version (0 to 50ms)")
	fs.Int64Var(&f.limits.MaxBodyBytes, "max-body", f.limits.MaxBodyBytes, "largest request body in bytes (413)")
	fs.IntVar(&f.limits.MaxFeatures, "max-features", f.limits.MaxFeatures, "most features in one write (413)")
	fs.IntVar(&f.limits.MaxK, "max-k", f.limits.MaxK, "largest k of a nearest-responders query (400)")
	fs.IntVar(&f.limits.MaxBatch, "max-batch", f.limits.MaxBatch, "most points in one batch request (413)")
	fs.Float64Var(&f.limits.MaxQueryCost, "max-query-cost", f.limits.MaxQueryCost, "largest items page: limit × km² of bbox within the layer (400)")
	fs.IntVar(&f.limits.MaxJSONDepth, "max-json-depth", f.limits.MaxJSONDepth, "deepest nesting of a JSON body (400)")
	fs.DurationVar(&f.limits.Timeout, "timeout", f.limits.Timeout, "longest time a request may run (503)")
	fs.Float64Var(&f.limits.PlausibleMarginM, "plausible-margin-m", f.limits.PlausibleMarginM, "how far (m) outside the district's grids a responder's position may be reported (400)")
	fs.IntVar(&f.limits.MaxAnalyses, "max-analyses", f.limits.MaxAnalyses, "analyses (/coverage, /load, /response) the server runs at once (503)")
	fs.IntVar(&f.limits.MaxAnalysesPerClient, "max-analyses-per-client", f.limits.MaxAnalysesPerClient, "analyses one token or client address runs at once (429)")
	fs.IntVar(&f.limits.RatePerMinute, "rate", f.limits.RatePerMinute, "requests a minute per token or client address (429); 0 turns it off")
	if err := parseFlags(fs, args, stderr, stderr); err != nil {
		return f, err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gridwatch serve: unexpected argument %q\n", fs.Arg(0))
		return f, errUsage
	}
	if f.dataset != "" && f.store.given() {
		fmt.Fprintln(stderr, "gridwatch serve: --dataset (read-only folder) and --data or --store (durable stores) exclude each other")
		return f, errUsage
	}
	if err := f.store.check("serve", stderr); err != nil {
		return f, err
	}
	return f, nil
}

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	f, err := parseServeFlags(args, stderr)
	if err != nil {
		return err
	}
	var h slog.Handler = slog.NewTextHandler(stderr, nil)
	if f.logJSON {
		h = slog.NewJSONHandler(stderr, nil)
	}
	log := slog.New(h)

	tokens, err := loadTokens(f.tokensFile)
	if err != nil {
		return err
	}
	if err := checkListen(f.addr, tokens); err != nil {
		return err
	}
	audit, closeAudit, err := openAuditLog(f, stderr)
	if err != nil {
		return err
	}
	defer closeAudit()

	log.Info("garbage collector", "gogc", api.SetServerGC())
	holder := api.NewAtlasHolder(nil)
	opt := api.Options{Atlas: holder.Load, Holder: holder, Logger: log, BaseURL: f.baseURL, BasemapURL: f.basemap,
		PublicViewer: f.publicViewer, DevPositions: f.devPositions, Limits: f.limits, Audit: audit, CommitLinger: f.linger,
		PositionLinger: positionLinger(f.posLinger), CORSOrigins: splitList(f.corsOrigins)}
	if tokens != nil {
		opt.Tokens = api.NewTokens(tokens)
	}
	go reloadTokensOnHangup(ctx, f.tokensFile, opt.Tokens, log)

	start := time.Now()
	if f.store.url != "" {
		// A replica of a shared PostgreSQL store: it loads the district
		// (waiting for the database with backoff) and follows the other
		// replicas' commits.
		rep, err := startReplica(ctx, f, holder, log)
		if err != nil {
			return err
		}
		opt.Store, opt.Publish, opt.ETagEpoch, opt.Staleness = rep, rep.Publish, rep.Store().Lineage(), rep.Stale
	} else {
		atlas, store, err := openDataset(ctx, f, stderr)
		if err != nil {
			return err
		}
		if store != nil {
			defer store.Close()
			opt.Store, opt.Publish = store, holder.Store
		}
		holder.Store(atlas)
	}
	atlas := holder.Load()
	if err := checkDemoData(f, tokens, atlas.Meta); err != nil {
		return err
	}
	counts := atlas.Dataset().Counts()
	log.Info("dataset loaded", "name", atlas.Meta.Name, "synthetic", atlas.Meta.Synthetic,
		"grids", counts["grids"], "cameras", counts["cameras"], "incidents", counts["incidents"],
		"store", storeName(f), "took", time.Since(start).Round(time.Millisecond))
	store := opt.Store
	logMode(log, f, tokens, store != nil)
	handler := api.New(opt)
	defer handler.Close()
	return listenAndServe(ctx, f, handler, log)
}

// startReplica starts following the PostgreSQL store and returns once the
// district is loaded (or ctx ends, or the store is unusable). The replica
// runs until ctx ends.
func startReplica(ctx context.Context, f serveFlags, holder *api.AtlasHolder, log *slog.Logger) (*postgis.Replica, error) {
	rep := postgis.NewReplica(postgis.ReplicaOptions{URL: f.store.url,
		Store:   postgis.Options{District: f.store.district, Seed: data.Default},
		Current: holder.Load, Publish: holder.Store, Log: log.With("component", "store")})
	failed := make(chan error, 1)
	go func() { failed <- rep.Run(ctx) }()
	select {
	case <-rep.Loaded():
		go func() {
			if err := <-failed; err != nil && ctx.Err() == nil {
				log.Error("the store replica stopped; serving the last snapshot", "err", err)
			}
		}()
		return rep, nil
	case err := <-failed:
		return nil, err
	}
}

// logMode says in the log how the server guards its data.
func logMode(log *slog.Logger, f serveFlags, tokens *api.TokenSet, writes bool) {
	switch {
	case tokens == nil:
		log.Warn("local demo: no tokens configured (--tokens FILE or " + tokensEnv + "); every read is allowed, every write refused, and only loopback addresses are served")
	default:
		log.Info("tokens configured", "tokens", tokens.Len(), "public_viewer", f.publicViewer)
	}
	if !writes {
		log.Info("read-only: writes need a durable store (--data DIR or --store URL)")
	}
}

// listenAndServe serves until ctx ends, then shuts down gracefully.
func listenAndServe(ctx context.Context, f serveFlags, handler http.Handler, log *slog.Logger) error {
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: f.limits.Timeout + 30*time.Second,
		IdleTimeout: 2 * time.Minute}
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/")
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", f.shutdown)
	sctx, cancel := context.WithTimeout(context.Background(), f.shutdown)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// openDataset loads the atlas: from the durable store with --data (which
// it returns open), else from --dataset or the embedded default.
func openDataset(ctx context.Context, f serveFlags, stderr io.Writer) (*geo.Atlas, data.Backend, error) {
	if !f.store.given() {
		a, err := loadAtlas(f.dataset, stderr)
		return a, nil, err
	}
	p := newProgress(stderr)
	p.stage("opening the " + f.store.where())
	store, err := f.store.open(ctx, data.Default, false)
	if err != nil {
		p.done()
		return nil, nil, err
	}
	p.stage("reading the " + f.store.where())
	ds, err := store.Load(ctx)
	if err == nil {
		var a *geo.Atlas
		a, err = geo.NewAtlas(ds, geo.Options{Progress: p.stage})
		p.done()
		if err == nil {
			return a, store, nil
		}
	}
	p.done()
	_ = store.Close()
	return nil, nil, err
}

// storeName names the store in the log: the GeoPackage's directory, or
// "postgresql" (the URL may hold a password).
func storeName(f serveFlags) string {
	switch {
	case f.store.url != "":
		return "postgresql"
	default:
		return f.store.dataDir
	}
}

// loadTokens reads the token file (if any) and the development tokens of
// the environment; nil when neither is given (the local demo).
func loadTokens(file string) (*api.TokenSet, error) {
	env := os.Getenv(tokensEnv)
	if file == "" && env == "" {
		return nil, nil
	}
	ts := api.NewTokenSet()
	if file != "" {
		fromFile, err := api.LoadTokenFile(file)
		if err != nil {
			return nil, err
		}
		ts = ts.Merge(fromFile)
	}
	if env != "" {
		fromEnv, err := api.ParseTokenEnv(env)
		if err != nil {
			return nil, err
		}
		ts = ts.Merge(fromEnv)
	}
	return ts, nil
}

// reloadTokensOnHangup reloads the tokens on every SIGHUP until ctx ends;
// a file that does not parse leaves the tokens in force. The local demo
// (tokens nil) ignores SIGHUP rather than die of it.
func reloadTokensOnHangup(ctx context.Context, file string, tokens *api.Tokens, log *slog.Logger) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
		}
		if tokens == nil {
			log.Warn("SIGHUP: this server runs as the local demo; restart it with --tokens FILE to use tokens")
			continue
		}
		ts, err := loadTokens(file)
		if err != nil {
			log.Error("SIGHUP: tokens not reloaded; the old ones stay in force", "err", err)
			continue
		}
		tokens.Store(ts)
		log.Info("SIGHUP: tokens reloaded", "tokens", ts.Len())
	}
}

// checkListen refuses to serve the local demo (no tokens) on anything but
// a loopback address.
func checkListen(addr string, tokens *api.TokenSet) error {
	if tokens != nil {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return geo.Errorf(geo.Invalid, "--addr %q: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return geo.Errorf(geo.Invalid, "refusing to serve %s without tokens: the local demo listens on loopback only (127.0.0.1, ::1); configure --tokens FILE to serve other addresses", addr)
}

// openAuditLog opens the audit log: --audit-log, else DIR/audit.log with
// --data, else standard error (marked log=audit).
func openAuditLog(f serveFlags, stderr io.Writer) (*slog.Logger, func(), error) {
	path := f.auditLog
	if path == "" && f.store.dataDir != "" {
		// The store directory holds police data: 0700, as the store makes it.
		if err := os.MkdirAll(f.store.dataDir, 0o700); err != nil {
			return nil, nil, err
		}
		path = filepath.Join(f.store.dataDir, "audit.log")
	}
	if path == "" {
		return slog.New(slog.NewJSONHandler(stderr, nil)).With("log", "audit"), func() {}, nil
	}
	file, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("audit log: %w", err)
	}
	return slog.New(slog.NewJSONHandler(file, nil)), func() { _ = file.Close() }, nil
}

// positionLinger turns the --position-linger flag into
// api.Options.PositionLinger, where 0 means the default: a flag of 0
// waits for nothing.
func positionLinger(d time.Duration) time.Duration {
	if d <= 0 {
		return -1
	}
	return d
}

// checkDemoData refuses to serve a store's dataset that is not marked
// synthetic as the local demo (no tokens), where every read is open to
// anyone on the machine, unless --demo-real-data says so.
func checkDemoData(f serveFlags, tokens *api.TokenSet, m geo.Meta) error {
	if tokens != nil || !f.store.given() || m.Synthetic || f.demoRealData {
		return nil
	}
	return geo.Errorf(geo.Invalid, "refusing to serve the %s without tokens: its dataset %q is not marked synthetic, and the local demo lets anyone read everything; configure --tokens FILE, or pass --demo-real-data to serve it anyway",
		f.store.where(), m.Name)
}

// splitList splits a comma-separated flag value, dropping empty entries.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
