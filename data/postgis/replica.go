package postgis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"gridwatch/data"
	"gridwatch/geo"
)

// A Replica keeps one process's in-memory atlas in step with a district
// of the store that other processes write too:
//
//   - It loads the district (retrying with backoff while the database is
//     down) and publishes it with the store's layer versions.
//   - It LISTENs on its district's channel (ChannelOf); a notice of a commit by another process makes
//     it read the rows changed since its last change sequence (Changes) and
//     publish the atlas with them applied.
//   - As the api's store it commits this process's writes; the atlas the
//     writer publishes after a commit is taken as it is when its layer
//     versions are the store's (nothing else was committed in between),
//     else the replica catches up from the store first, so that the writer
//     reads its own writes either way.
//   - It tells when it lost the database (Stale) and catches up by itself
//     when the database is back.
type Replica struct {
	opt   ReplicaOptions
	store atomic.Pointer[Store]

	mu      sync.Mutex // serialises catch-ups and publications
	seq     int64      // change sequence of the atlas last published
	pending State      // where the district stood after this process's last commit

	loaded    chan struct{} // closed when the first atlas is published
	down      atomic.Bool   // the database is not answering
	lastFresh atomic.Int64  // unix nanos when the atlas was last known current
}

// ReplicaOptions configure a Replica.
type ReplicaOptions struct {
	// URL is the database's connection URL.
	URL string
	// Store are the options of the store (district, seed).
	Store Options
	// Current returns the atlas being served (api.AtlasHolder.Load).
	Current func() *geo.Atlas
	// Publish makes an atlas current (api.AtlasHolder.Store).
	Publish func(*geo.Atlas)
	// Log receives the replica's events; nil discards them.
	Log *slog.Logger
	// Check is how often the listener checks the connection when no
	// notice comes (default 500 ms); it bounds how long a lost database
	// goes unnoticed.
	Check time.Duration
	// MaxBackoff caps the wait between reconnection attempts (default 2 s).
	MaxBackoff time.Duration
}

// NewReplica returns a replica; Run starts it.
func NewReplica(opt ReplicaOptions) *Replica {
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Check <= 0 {
		opt.Check = 500 * time.Millisecond
	}
	if opt.MaxBackoff <= 0 {
		opt.MaxBackoff = 2 * time.Second
	}
	r := &Replica{opt: opt, loaded: make(chan struct{})}
	r.down.Store(true)
	return r
}

// Run opens the store (retrying with backoff), loads and publishes the
// district, then follows the other processes' commits until ctx ends. It
// returns ctx's error, or the error that makes retrying pointless (a bad
// URL, a schema newer than this program, an invalid dataset).
func (r *Replica) Run(ctx context.Context) error {
	s, err := r.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := r.loadWithRetry(ctx, s); err != nil {
		return err
	}
	r.listen(ctx, s)
	return ctx.Err()
}

// Loaded is closed once the first atlas is published.
func (r *Replica) Loaded() <-chan struct{} { return r.loaded }

// Store returns the open store, nil before Run has opened it.
func (r *Replica) Store() *Store { return r.store.Load() }

// open opens the store, retrying with backoff while the database does not
// answer and logging each attempt.
func (r *Replica) open(ctx context.Context) (*Store, error) {
	b := r.backoff()
	for attempt := 1; ; attempt++ {
		s, err := Open(ctx, r.opt.URL, r.opt.Store)
		if err == nil {
			r.store.Store(s)
			r.opt.Log.Info("store open", "db", s.Where(), "district", s.District(), "attempts", attempt)
			return s, nil
		}
		if !retryable(err) {
			return nil, err
		}
		wait := b()
		r.opt.Log.Warn("store not reachable; retrying", "attempt", attempt, "retry_in", wait.Round(time.Millisecond), "err", err)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
	}
}

// retryable reports whether an error of Open or a read may pass if tried
// again (the database was down or went away).
func retryable(err error) bool {
	return geo.ErrorCode(err) == geo.Unavailable || isConnErr(err)
}

// backoff returns a function giving successive waits: 100 ms doubling to
// MaxBackoff, with jitter.
func (r *Replica) backoff() func() time.Duration {
	d := 100 * time.Millisecond
	return func() time.Duration {
		w := d/2 + rand.N(d/2+1)
		d = min(2*d, r.opt.MaxBackoff)
		return w
	}
}

func (r *Replica) loadWithRetry(ctx context.Context, s *Store) error {
	b := r.backoff()
	for {
		err := r.reload(ctx, s)
		if err == nil {
			r.markUp()
			close(r.loaded)
			return nil
		}
		if !retryable(err) {
			return err
		}
		wait := b()
		r.opt.Log.Warn("store not readable; retrying", "retry_in", wait.Round(time.Millisecond), "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// reload reads the whole district and publishes it.
func (r *Replica) reload(ctx context.Context, s *Store) error {
	start := time.Now()
	d, st, err := s.Snapshot(ctx)
	if err != nil {
		return err
	}
	a, err := geo.NewAtlas(d, geo.Options{})
	if err != nil {
		return fmt.Errorf("postgis: the district %q in %s: %w", s.District(), s.Where(), err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.opt.Publish(a.WithVersions(uint64s(st.Versions)))
	r.seq = st.Seq
	r.opt.Log.Info("district loaded", "seq", st.Seq, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

func uint64s(m map[string]int64) map[string]uint64 {
	out := make(map[string]uint64, len(m))
	for k, v := range m {
		out[k] = uint64(max(v, 0))
	}
	return out
}

// listen follows the commits of other processes until ctx ends,
// reconnecting with backoff when the connection is lost.
func (r *Replica) listen(ctx context.Context, s *Store) {
	b := r.backoff()
	for ctx.Err() == nil {
		err := r.listenOnce(ctx, s)
		if ctx.Err() != nil {
			return
		}
		if r.down.CompareAndSwap(false, true) {
			r.opt.Log.Error("store connection lost; serving the last snapshot, refusing writes", "err", err)
		}
		wait := b()
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		if err == nil {
			b = r.backoff()
		}
	}
}

// listenOnce LISTENs on a connection of its own, catches up, then catches
// up again at every notice of a newer commit, checking the connection when
// none comes.
func (r *Replica) listenOnce(ctx context.Context, s *Store) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN "+ident(ChannelOf(s.District()))); err != nil {
		return err
	}
	defer func() {
		// The connection goes back to the pool: stop listening on it.
		uctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if _, err := conn.Exec(uctx, "UNLISTEN *"); err != nil {
			conn.Conn().Close(uctx) //nolint:errcheck // it is being dropped
		}
	}()
	if err := r.CatchUp(ctx); err != nil {
		return err
	}
	if r.down.CompareAndSwap(true, false) {
		r.opt.Log.Info("store connection restored; caught up", "seq", r.Seq())
	}
	for {
		r.lastFresh.Store(time.Now().UnixNano())
		wctx, cancel := context.WithTimeout(ctx, r.opt.Check)
		n, err := conn.Conn().WaitForNotification(wctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil && errors.Is(err, context.DeadlineExceeded):
			if err := conn.Ping(ctx); err != nil {
				return err
			}
			continue
		case err != nil:
			return err
		}
		var notice Notice
		if err := json.Unmarshal([]byte(n.Payload), &notice); err != nil {
			r.opt.Log.Warn("ignoring a malformed notice", "payload", n.Payload, "err", err)
			continue
		}
		if notice.District != s.District() || notice.Seq <= r.Seq() {
			continue
		}
		if err := r.CatchUp(ctx); err != nil {
			return err
		}
	}
}

// Seq returns the change sequence of the atlas last published.
func (r *Replica) Seq() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seq
}

// CatchUp reads what was committed since the atlas last published and
// publishes the atlas with it applied.
func (r *Replica) CatchUp(ctx context.Context) error {
	s := r.store.Load()
	if s == nil {
		return geo.Errorf(geo.Unavailable, "the store is not open yet")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.catchUpLocked(ctx, s)
}

func (r *Replica) catchUpLocked(ctx context.Context, s *Store) error {
	delta, err := s.Changes(ctx, r.seq)
	if err != nil {
		return err
	}
	if delta.State.Seq <= r.seq {
		return nil
	}
	cur := r.opt.Current()
	a, err := applyDelta(cur, delta)
	if err != nil {
		// The changes do not apply on their own (another process's write
		// broke a reference this one checked): read the district whole.
		r.opt.Log.Warn("changes do not apply; reading the district whole", "seq", delta.State.Seq, "err", err)
		d, st, err := s.Snapshot(ctx)
		if err != nil {
			return err
		}
		full, err := geo.NewAtlas(d, geo.Options{})
		if err != nil {
			return fmt.Errorf("postgis: the district %q in %s: %w", s.District(), s.Where(), err)
		}
		a, delta.State = full, st
	}
	r.opt.Publish(a.WithVersions(uint64s(delta.State.Versions)))
	r.seq = delta.State.Seq
	return nil
}

// applyDelta applies the changes to a, layer by layer in dependency order.
func applyDelta(a *geo.Atlas, d *Delta) (*geo.Atlas, error) {
	if a == nil {
		return nil, errors.New("no atlas to apply changes to")
	}
	var err error
	for _, name := range geo.LayerNames {
		ld := d.Layers[name]
		if ld == nil {
			continue
		}
		if ld.Reload {
			if a, err = a.WithLayer(name, ld.Items); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			continue
		}
		l, _ := a.Layer(name)
		written := make(map[string]bool, len(ld.Items))
		for _, it := range ld.Items {
			written[it.FeatureID()] = true
		}
		var remove []string
		for _, id := range ld.Removed {
			if _, ok := l.FeatureByID(id); ok && !written[id] {
				remove = append(remove, id)
			}
		}
		if len(ld.Items) == 0 && len(remove) == 0 {
			continue
		}
		if a, err = a.Edit(name, ld.Items, remove); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	if a.Meta != d.Meta {
		a = a.WithMeta(d.Meta)
	}
	return a, nil
}

// Commit commits this process's writes (it is the api's store). A
// database that is known to be down refuses at once.
func (r *Replica) Commit(ctx context.Context, changes []data.Change) error {
	if len(changes) == 0 {
		return nil
	}
	s := r.store.Load()
	if s == nil || r.down.Load() {
		return &geo.Error{Code: geo.StoreUnavailable, Message: "the store does not answer; the write was not applied"}
	}
	st, err := s.CommitState(ctx, changes)
	if err != nil {
		if retryable(err) {
			r.down.Store(true)
			return &geo.Error{Code: geo.StoreUnavailable, Message: "the store does not answer; the write was not applied", Err: err}
		}
		return err
	}
	r.mu.Lock()
	r.pending = st
	r.mu.Unlock()
	return nil
}

// Publish makes the atlas after this process's last commit current. It is
// taken as it is when it carries the store's versions just after that
// commit (it then holds every commit up to it); otherwise the replica
// catches up from the store, whose state includes the commit.
func (r *Replica) Publish(a *geo.Atlas) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.pending
	if st.Seq <= r.seq {
		return // a catch-up already published the commit
	}
	if sameVersions(a, st.Versions) {
		r.opt.Publish(a)
		r.seq = st.Seq
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s := r.store.Load()
	err := r.catchUpLocked(ctx, s)
	if err == nil {
		return
	}
	// The commit is in the store; serve it at least, and leave r.seq for
	// the next catch-up to redo.
	r.opt.Log.Error("catching up after a commit failed; publishing the writer's atlas", "err", err)
	r.opt.Publish(a)
}

func sameVersions(a *geo.Atlas, want map[string]int64) bool {
	for name, v := range a.Versions() {
		if int64(v) != want[name] {
			return false
		}
	}
	return true
}

// Ping checks that the database answers (for /readyz).
func (r *Replica) Ping(ctx context.Context) error {
	s := r.store.Load()
	if s == nil {
		return &geo.Error{Code: geo.StoreUnavailable, Message: "the store is not open yet"}
	}
	if r.down.Load() {
		return &geo.Error{Code: geo.StoreUnavailable, Message: "the store connection is lost"}
	}
	return s.Ping(ctx)
}

// Stale reports whether the atlas may be behind the store (the database
// connection is lost, or the district not loaded yet) and, if so, how long
// ago it was last known current.
func (r *Replica) Stale() (time.Duration, bool) {
	if !r.down.Load() {
		return 0, false
	}
	last := r.lastFresh.Load()
	if last == 0 {
		return 0, true
	}
	return time.Since(time.Unix(0, last)), true
}

// markUp records that the store answered the first load: writes are taken
// from then on, before the listener has started (it catches up after its
// LISTEN, so nothing committed in between is missed).
func (r *Replica) markUp() {
	r.lastFresh.Store(time.Now().UnixNano())
	r.down.Store(false)
}

// PingIsLive marks Ping as following the connection (api.LiveStore).
func (r *Replica) PingIsLive() {}
