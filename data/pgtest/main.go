package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

// shared is the cluster of the package's test run, started lazily by the
// first Database call and stopped by Main.
var shared struct {
	once    sync.Once
	cluster *Cluster
	err     error
}

// Main runs a package's tests (call it from TestMain) and stops the
// shared cluster, if one was started, when they are done. It returns the
// exit code for os.Exit.
func Main(m *testing.M) int {
	code := m.Run()
	if shared.cluster != nil {
		shared.cluster.Stop()
	}
	RemovePristine()
	return code
}

// Shared returns the package's shared cluster, starting it on first use
// (once per test binary). It skips tb when PostgreSQL cannot be run and
// RequireEnv is not set, and fails it when it is.
func Shared(tb testing.TB) *Cluster {
	tb.Helper()
	shared.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		shared.cluster, shared.err = Start(ctx, Options{})
	})
	switch {
	case errors.Is(shared.err, ErrMissing):
		Unavailable(tb, shared.err)
	case shared.err != nil:
		tb.Fatalf("%v", shared.err)
	}
	return shared.cluster
}

// Unavailable ends tb because PostgreSQL cannot be run: a skip, or a
// failure when RequireEnv is set (as make test sets it).
func Unavailable(tb testing.TB, err error) {
	tb.Helper()
	if os.Getenv(RequireEnv) == "1" {
		tb.Fatalf("PostgreSQL is required (%s=1) but cannot be run: %v", RequireEnv, err)
	}
	tb.Skipf("skipping: PostgreSQL with PostGIS cannot be run here (%v); make test installs it", err)
}

// Database creates a fresh database with postgis on the shared cluster,
// drops it when tb ends, and returns its connection URL.
func Database(tb testing.TB) string {
	tb.Helper()
	c := Shared(tb)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	name, err := c.NewDatabase(ctx)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := c.DropDatabase(ctx, name); err != nil {
			tb.Logf("pgtest: %v", err)
		}
	})
	return c.URL(name)
}

// Own starts a cluster for tb alone (for tests that stop and restart the
// server) and stops it when tb ends.
func Own(tb testing.TB, opt Options) *Cluster {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := Start(ctx, opt)
	if errors.Is(err, ErrMissing) {
		Unavailable(tb, err)
	}
	if err != nil {
		tb.Fatalf("%v", err)
	}
	tb.Cleanup(c.Stop)
	return c
}

// String describes the cluster.
func (c *Cluster) String() string {
	return fmt.Sprintf("PostgreSQL on 127.0.0.1:%d in %s", c.port, c.dir)
}
