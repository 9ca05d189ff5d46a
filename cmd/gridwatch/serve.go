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
	"time"

	"gridwatch/api"
)

// serveFlags are the flags of `gridwatch serve`.
type serveFlags struct {
	addr     string
	dataset  string
	baseURL  string
	logJSON  bool
	shutdown time.Duration
}

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	var f serveFlags
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&f.dataset, "dataset", "", "dataset folder to serve read-only (default: the embedded synthetic district)")
	fs.StringVar(&f.baseURL, "base-url", "", "public URL of the API root for links (default: from each request's Host)")
	fs.BoolVar(&f.logJSON, "log-json", false, "log JSON lines instead of text")
	fs.DurationVar(&f.shutdown, "shutdown-timeout", 10*time.Second, "how long SIGTERM waits for requests in flight")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gridwatch serve: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	var h slog.Handler = slog.NewTextHandler(stderr, nil)
	if f.logJSON {
		h = slog.NewJSONHandler(stderr, nil)
	}
	log := slog.New(h)

	start := time.Now()
	atlas, err := loadAtlas(f.dataset, stderr)
	if err != nil {
		return err
	}
	counts := atlas.Dataset().Counts()
	log.Info("dataset loaded", "name", atlas.Meta.Name, "synthetic", atlas.Meta.Synthetic,
		"grids", counts["grids"], "cameras", counts["cameras"], "incidents", counts["incidents"],
		"took", time.Since(start).Round(time.Millisecond))

	holder := api.NewAtlasHolder(atlas)
	handler := api.New(api.Options{Atlas: holder.Load, Logger: log, BaseURL: f.baseURL})
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
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
