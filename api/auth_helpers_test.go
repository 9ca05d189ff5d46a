package api

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"gridwatch/data"
	"gridwatch/geo"
)

// The test tokens: one of each role, an expired admin token, and their
// secrets.
const (
	viewerSecret  = "viewer-secret-0123456789"
	analystSecret = "analyst-secret-0123456789"
	trackerSecret = "tracker-secret-0123456789"
	adminSecret   = "admin-secret-0123456789"
	expiredSecret = "expired-secret-0123456789"
)

// testTokenSet returns the test tokens.
func testTokenSet() *TokenSet {
	return NewTokenSet(
		NewToken(RoleViewer, "vera", viewerSecret, time.Time{}),
		NewToken(RoleAnalyst, "anna", analystSecret, time.Time{}),
		NewToken(RoleTracker, "tom", trackerSecret, time.Time{}),
		NewToken(RoleAdmin, "ada", adminSecret, time.Time{}),
		NewToken(RoleAdmin, "old", expiredSecret, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)),
	)
}

// memStore is a Store in memory: it records every commit, and can be made
// to fail or to hold commits until released.
type memStore struct {
	mu      sync.Mutex
	commits [][]data.Change
	fail    error
	hold    chan struct{} // when set, Commit waits for it to close
}

func (m *memStore) Commit(ctx context.Context, changes []data.Change) error {
	m.mu.Lock()
	hold := m.hold
	m.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	m.commits = append(m.commits, changes)
	return nil
}

func (m *memStore) Ping(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return errors.New("store down")
	}
	return nil
}

func (m *memStore) setFail(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fail = err
}

func (m *memStore) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.commits)
}

// secureServer is a server with tokens and a memory store over the fixture.
type secureServer struct {
	*Server
	holder *AtlasHolder
	store  *memStore
	audit  *syncBuffer
}

// newSecureServer returns a server over the fixture atlas with the test
// tokens and a memory store; edit adjusts its options.
func newSecureServer(t testing.TB, edit func(*Options)) *secureServer {
	t.Helper()
	h := NewAtlasHolder(fixtureAtlas(t, 20))
	ss := &secureServer{holder: h, store: &memStore{}, audit: &syncBuffer{}}
	opt := Options{Atlas: h.Load, Publish: h.Store, Store: ss.store, Tokens: NewTokens(testTokenSet()),
		Audit: slog.New(slog.NewJSONHandler(ss.audit, nil))}
	if edit != nil {
		edit(&opt)
	}
	ss.Server = New(opt)
	t.Cleanup(func() { _ = ss.Close() })
	return ss
}

// call makes a request with the secret as bearer token ("" for none);
// headers come in name, value pairs.
func call(t testing.TB, h http.Handler, method, target, secret string, body []byte, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	if body == nil {
		req = httptest.NewRequest(method, target, nil)
	}
	if secret != "" {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// versions returns the layer versions of the server's current atlas.
func (ss *secureServer) versions() map[string]uint64 { return ss.holder.Load().Versions() }

// atlasNow returns the current atlas.
func (ss *secureServer) atlasNow() *geo.Atlas { return ss.holder.Load() }
