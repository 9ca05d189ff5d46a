package api

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath is where Debian's chromium package installs the browser.
const chromiumPath = "/usr/bin/chromium"

// artifactsEnv names a directory for the browser tests' screenshots; without
// it they go to a temporary directory that the test removes.
const artifactsEnv = "GRIDWATCH_ARTIFACTS"

// browser is one headless Chromium tab with the console problems it saw.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	problems []string
}

// newBrowser starts Debian's chromium headless with a fresh profile. A
// missing browser fails the test: it never skips.
func newBrowser(tb testing.TB, width, height int) *browser {
	tb.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		tb.Fatalf("the browser test needs Chromium at %s: install the Debian package chromium (apt-get install -y chromium): %v", chromiumPath, err)
	}
	profile := tb.TempDir()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(width, height),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	tb.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	b := &browser{ctx: ctx}
	if err := chromedp.Listen(ctx, b.record); err != nil {
		tb.Fatalf("start chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, struct{}{}); err != nil {
		tb.Fatalf("enable the browser log: %v", err)
	}
	return b
}

// record keeps console errors, uncaught exceptions and error log entries
// (failed loads, refused content). It runs on the event loop: it only
// appends.
func (b *browser) record(ev any) {
	var msg string
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type != runtime.ConsoleAPICalledTypeError && e.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var parts []string
		for _, a := range e.Args {
			parts = append(parts, remoteText(a))
		}
		msg = "console." + string(e.Type) + ": " + strings.Join(parts, " ")
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg = "exception: " + d.Text
		if d.Exception != nil {
			msg += " " + remoteText(d.Exception)
		}
	case *log.EventEntryAdded:
		if e.Entry.Level != log.EntryLevelError {
			return
		}
		msg = fmt.Sprintf("log %s: %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL)
	default:
		return
	}
	b.mu.Lock()
	b.problems = append(b.problems, msg)
	b.mu.Unlock()
}

func remoteText(o *runtime.RemoteObject) string {
	if o == nil {
		return ""
	}
	if o.Description != "" {
		return o.Description
	}
	return string(o.Value)
}

// consoleProblems returns what the console reported so far.
func (b *browser) consoleProblems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.problems...)
}

// do runs actions, failing the test on an error.
func (b *browser) do(tb testing.TB, steps ...chromedp.Action[chromedp.Void]) {
	tb.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		tb.Fatalf("browser: %v (console: %v)", err, b.consoleProblems())
	}
}

// eval evaluates a JavaScript expression and decodes its JSON value into T.
func eval[T any](tb testing.TB, b *browser, expr string) T {
	tb.Helper()
	raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]byte](expr))
	if err != nil {
		tb.Fatalf("evaluate %s: %v (console: %v)", expr, err, b.consoleProblems())
	}
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		tb.Fatalf("decode the value of %s: %v: %s", expr, err, raw)
	}
	return v
}

// run evaluates a JavaScript expression for its effect, ignoring its value.
func (b *browser) run(tb testing.TB, js string) {
	tb.Helper()
	if err := chromedp.Do(b.ctx, chromedp.Evaluate[chromedp.Void]("void ("+js+")")); err != nil {
		tb.Fatalf("evaluate %s: %v (console: %v)", js, err, b.consoleProblems())
	}
}

// waitFor polls a JavaScript predicate until it is true.
func (b *browser) waitFor(tb testing.TB, what, predicate string, timeout time.Duration) {
	tb.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](predicate,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(timeout)))
	if err != nil {
		tb.Fatalf("waiting for %s (%s): %v; console: %v", what, predicate, err, b.consoleProblems())
	}
}

// disableCache makes every load fetch from the server, as a first visit.
func (b *browser) disableCache(tb testing.TB) {
	tb.Helper()
	if _, err := chromedp.Call(b.ctx, network.Enable, network.EnableParams{}); err != nil {
		tb.Fatalf("enable the network domain: %v", err)
	}
	if _, err := chromedp.Call(b.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		tb.Fatalf("disable the cache: %v", err)
	}
}

// screenshot saves a PNG of the page and logs its path.
func (b *browser) screenshot(tb testing.TB, name string) string {
	tb.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.Fatalf("screenshot: %v", err)
	}
	dir := os.Getenv(artifactsEnv)
	if dir == "" {
		dir = tb.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatalf("screenshot directory: %v", err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.Fatalf("save the screenshot: %v", err)
	}
	tb.Logf("screenshot: %s (set %s to keep it)", path, artifactsEnv)
	return path
}
