package api

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"gridwatch/data"
	"gridwatch/geo"
)

// Store makes accepted writes durable; data.Store implements it.
type Store interface {
	// Commit writes changes in one transaction and returns once they are
	// on disk: all of them or none.
	Commit(ctx context.Context, changes []data.Change) error
	// Ping checks that the store answers.
	Ping(ctx context.Context) error
}

// Group commit: writes queue for one goroutine, which applies each to the
// atlas in turn (validating it against the result of the writes before
// it), commits the group's changes to the store in one transaction (one
// fsync), then publishes the new atlas and answers every write of the
// group. A group is what queued while the previous group was being
// written (up to maxGroup), so groups form under load and a lone write
// waits for nothing; no write waits more than the linger (at most 50 ms)
// for its group to start. Readers never see a write before it is on disk,
// and a failed commit publishes nothing.

// maxGroup is the most writes committed in one transaction.
const maxGroup = 1000

// maxLinger caps how long a group may wait for more writes.
const maxLinger = 50 * time.Millisecond

// commitTimeout bounds one commit.
const commitTimeout = time.Minute

type committerOptions struct {
	store   Store
	current func() *geo.Atlas
	publish func(*geo.Atlas)
	metrics *metrics
	log     *slog.Logger
	linger  time.Duration
}

// committer runs the group commit.
type committer struct {
	committerOptions
	ops       chan *writeOp
	quit      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
	failing   atomic.Bool // the last commit failed
}

// writeOp is one write waiting for its group.
type writeOp struct {
	// layer and op ("replace", "add", "update", "delete") label the
	// metrics.
	layer, op string
	// edit, when set, is the write as upserts and removals of layer:
	// consecutive edits of a layer in a group share one Atlas.Apply.
	edit edit
	// apply returns the atlas with the write applied to a, and the changes
	// to store; an error refuses this write alone. Derived from edit when
	// nil.
	apply func(a *geo.Atlas) (*geo.Atlas, []data.Change, error)
	reply chan writeReply
}

// edit computes a write from the layer as the writes before it in its
// group left it (lookup finds an item by id): the items it adds or
// replaces and the ids it removes. An error refuses this write alone.
type edit func(lookup func(id string) (geo.Feature, bool)) (upsert []geo.Feature, remove []string, err error)

// editApply is the apply of one edit on its own.
func editApply(layer string, e edit) func(*geo.Atlas) (*geo.Atlas, []data.Change, error) {
	return func(a *geo.Atlas) (*geo.Atlas, []data.Change, error) {
		l, ok := a.Layer(layer)
		if !ok {
			return nil, nil, geo.Errorf(geo.NotFound, "no collection %s", quote(layer))
		}
		up, rm, err := e(l.FeatureByID)
		if err != nil {
			return nil, nil, err
		}
		na, err := a.Edit(layer, up, rm)
		return na, []data.Change{{Layer: layer, Items: up, Remove: rm}}, err
	}
}

// writeReply is the outcome of a write: the atlas just after it, or why it
// was refused or not stored.
type writeReply struct {
	atlas *geo.Atlas
	err   error
}

func newCommitter(opt committerOptions) *committer {
	opt.linger = min(max(opt.linger, 0), maxLinger)
	c := &committer{committerOptions: opt, ops: make(chan *writeOp, 4*maxGroup),
		quit: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c
}

// submit queues a write and waits until its group is on disk (or the
// write is refused). The atlas returned is the one just after the write.
func (c *committer) submit(ctx context.Context, w *writeOp) (*geo.Atlas, error) {
	w.reply = make(chan writeReply, 1)
	if w.apply == nil {
		w.apply = editApply(w.layer, w.edit)
	}
	select {
	case c.ops <- w:
	case <-c.quit:
		return nil, geo.Errorf(geo.Unavailable, "the server is shutting down; the write was not applied")
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case rep := <-w.reply:
		return rep.atlas, rep.err
	case <-ctx.Done():
		// The write may still be committed; the client is not told so.
		return nil, ctx.Err()
	}
}

func (c *committer) close() {
	c.closeOnce.Do(func() { close(c.quit) })
	<-c.done
}

func (c *committer) run() {
	defer close(c.done)
	for {
		var first *writeOp
		select {
		case first = <-c.ops:
		case <-c.quit:
			c.drain()
			return
		}
		c.commit(c.collect(first))
	}
}

// collect gathers the writes queued behind first, waiting up to the linger
// for more.
func (c *committer) collect(first *writeOp) []*writeOp {
	group := []*writeOp{first}
	var timeout <-chan time.Time
	if c.linger > 0 {
		t := time.NewTimer(c.linger)
		defer t.Stop()
		timeout = t.C
	}
	for len(group) < maxGroup {
		select {
		case op := <-c.ops:
			group = append(group, op)
			continue
		default:
		}
		if timeout == nil {
			break
		}
		select {
		case op := <-c.ops:
			group = append(group, op)
			continue
		case <-timeout:
		}
		break
	}
	return group
}

// drain refuses the writes still queued at shutdown.
func (c *committer) drain() {
	for {
		select {
		case op := <-c.ops:
			op.reply <- writeReply{err: geo.Errorf(geo.Unavailable, "the server is shutting down; the write was not applied")}
		default:
			return
		}
	}
}

// commit applies a group to the current atlas, stores it and publishes it.
// The writes of a group are concurrent (none is acknowledged yet), so any
// order is one they could have arrived in: they are taken layer by layer,
// in dependency order (a new station before the beat that names it), and
// in arrival order within a layer, so that each layer's edits form one run.
func (c *committer) commit(group []*writeOp) {
	slices.SortStableFunc(group, func(x, y *writeOp) int { return layerRank(x.layer) - layerRank(y.layer) })
	a := c.current()
	var accepted []*writeOp
	var after []*geo.Atlas
	var changes []data.Change
	for i := 0; i < len(group); {
		if a == nil {
			c.refuse(group[i], geo.Errorf(geo.Unavailable, "no dataset is loaded yet"))
			i++
			continue
		}
		if group[i].edit != nil {
			r := c.mergeRun(a, group[i:])
			i += r.consumed
			if len(r.ops) > 0 {
				a = r.atlas
				accepted = append(accepted, r.ops...)
				for range r.ops {
					after = append(after, r.atlas)
				}
				changes = append(changes, r.changes...)
			}
			continue
		}
		op := group[i]
		i++
		na, ch, err := safeApply(op.apply, a)
		if err != nil {
			c.refuse(op, err)
			continue
		}
		a = na
		accepted = append(accepted, op)
		after = append(after, na)
		changes = append(changes, ch...)
	}
	if len(accepted) == 0 {
		return
	}
	c.persist(a, accepted, after, changes)
}

// persist commits the group's changes and then publishes and answers, or
// answers every write with the failure.
func (c *committer) persist(a *geo.Atlas, accepted []*writeOp, after []*geo.Atlas, changes []data.Change) {
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	defer cancel()
	start := time.Now()
	err := c.store.Commit(ctx, changes)
	c.metrics.commits.Observe(time.Since(start).Seconds())
	c.metrics.groups.Observe(float64(len(accepted)))
	if err != nil {
		c.failing.Store(true)
		c.log.Error("commit failed; the group's writes were refused", "writes", len(accepted), "err", err)
		for _, op := range accepted {
			c.metrics.writes.WithLabelValues(op.layer, op.op, "failed").Inc()
			op.reply <- writeReply{err: geo.Errorf(geo.Unavailable, "the write could not be stored, so it was not applied; retry later")}
		}
		return
	}
	c.failing.Store(false)
	c.publish(a)
	for i, op := range accepted {
		c.metrics.writes.WithLabelValues(op.layer, op.op, "ok").Inc()
		op.reply <- writeReply{atlas: after[i]}
	}
}

// layerRank is a layer's place in dependency order (unknown layers last).
func layerRank(layer string) int {
	if i := slices.Index(geo.LayerNames, layer); i >= 0 {
		return i
	}
	return len(geo.LayerNames)
}

// refuse answers a write that was not accepted.
func (c *committer) refuse(op *writeOp, err error) {
	c.metrics.writes.WithLabelValues(op.layer, op.op, "invalid").Inc()
	op.reply <- writeReply{err: err}
}

// safeApply runs apply, turning a panic into an Internal error.
func safeApply(apply func(*geo.Atlas) (*geo.Atlas, []data.Change, error), a *geo.Atlas) (na *geo.Atlas, ch []data.Change, err error) {
	defer func() {
		if v := recover(); v != nil {
			na, ch, err = nil, nil, &geo.Error{Code: geo.Internal, Message: "write panicked", Err: fmt.Errorf("%v", v)}
		}
	}()
	return apply(a)
}
