package api

import (
	"context"
	"errors"
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

// Group commit: every write — a PUT, POST, PATCH or DELETE of any layer,
// a tracker's position report — queues for one goroutine, which applies
// each to the atlas in turn (validating it against the result of the
// writes before it), commits the group's changes to the store in one
// transaction (one fsync), readies the caches of the new atlas, then
// publishes it and answers every write of the group. A group is what
// queued while the previous group was being written (up to maxGroup), so
// groups form under load and a lone write waits for nothing; a write may
// ask to wait for company (a position report's group starts no sooner
// than its linger, at most maxLinger, after the previous group: a stream
// of reports shares one transaction and one atlas version per linger). Readers never see a write before it is on disk, and
// a failed commit publishes nothing. Without a store (the in-memory
// mode) the same pipeline runs with nothing to commit.
//
// A write is applied or it is not, and its answer says which: a request
// whose deadline passes while its write waits in the queue withdraws the
// write (it is answered 503 and never applied); once the committer has
// taken a write, the request waits for the group's outcome whatever its
// deadline.

// maxGroup is the most writes committed in one transaction.
const maxGroup = 1000

// maxLinger caps how long a group may wait for more writes.
const maxLinger = 50 * time.Millisecond

// commitTimeout bounds one commit.
const commitTimeout = time.Minute

type committerOptions struct {
	// store makes writes durable; nil commits nothing (the in-memory
	// mode).
	store   Store
	current func() *geo.Atlas
	publish func(*geo.Atlas)
	// prepare, when set, readies caches for next (prev with the group's
	// changes) before it is published, so that readers find them built.
	prepare func(prev, next *geo.Atlas, changes []data.Change)
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
	lastGroup time.Time   // when the previous group was taken (run's goroutine only)
}

// The states of a queued write: the committer takes it, or its request
// withdraws it first.
const (
	opQueued int32 = iota
	opTaken
	opWithdrawn
)

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
	// linger, when set, holds this write's group until that long after
	// the previous group was taken (at most maxLinger), for others to
	// share it.
	linger time.Duration
	// deadline is the request's (zero: none): the group's commit is
	// abandoned, and none of its writes applied, once every write of the
	// group has passed its deadline.
	deadline time.Time
	// conditional marks a write with If-Match: the store may refuse its
	// group because its layer changed in the store meanwhile.
	conditional bool
	state       atomic.Int32
	reply       chan writeReply
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

// errWithdrawn is the error of a write whose request ended before the
// committer took it: the write was not applied.
type errWithdrawn struct{ cause error }

func (e errWithdrawn) Error() string {
	return "the request ended before its write was applied; the write was not applied: " + e.cause.Error()
}

func (e errWithdrawn) Unwrap() error { return e.cause }

// submit queues a write and waits until its group is on disk (or the
// write is refused). The atlas returned is the one just after the write.
// When ctx ends before the committer takes the write, the write is
// withdrawn (an errWithdrawn: not applied); after, submit waits for the
// outcome.
func (c *committer) submit(ctx context.Context, w *writeOp) (*geo.Atlas, error) {
	w.reply = make(chan writeReply, 1)
	if w.apply == nil {
		w.apply = editApply(w.layer, w.edit)
	}
	w.deadline, _ = ctx.Deadline()
	select {
	case c.ops <- w:
	case <-c.quit:
		return nil, geo.Errorf(geo.Unavailable, "the server is shutting down; the write was not applied")
	case <-ctx.Done():
		return nil, errWithdrawn{ctx.Err()}
	}
	select {
	case rep := <-w.reply:
		return rep.atlas, rep.err
	case <-ctx.Done():
		if w.state.CompareAndSwap(opQueued, opWithdrawn) {
			return nil, errWithdrawn{ctx.Err()}
		}
		// Taken: the group is being applied and committed, and the answer
		// must say how that ended.
		rep := <-w.reply
		return rep.atlas, rep.err
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

// collect gathers the writes queued behind first. A group waits for more
// writes up to the committer's linger counted from when first was taken,
// and, while it holds a write with a linger of its own (a position
// report), up to that linger counted from when the previous group was
// taken: a stream of reports makes at most one group per linger, and a
// report after a quiet spell waits for nothing.
func (c *committer) collect(first *writeOp) []*writeOp {
	group := []*writeOp{first}
	start := time.Now()
	prev := c.lastGroup
	c.lastGroup = start
	until := start.Add(c.linger)
	join := func(op *writeOp) {
		if op.linger > 0 {
			if t := prev.Add(min(op.linger, maxLinger)); t.After(until) {
				until = t
			}
		}
	}
	join(first)
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for len(group) < maxGroup {
		select {
		case op := <-c.ops:
			group = append(group, op)
			join(op)
			continue
		default:
		}
		wait := time.Until(until)
		if wait <= 0 {
			break
		}
		if timer == nil {
			timer = time.NewTimer(wait)
		} else {
			timer.Reset(wait)
		}
		select {
		case op := <-c.ops:
			group = append(group, op)
			join(op)
			timer.Stop() // since Go 1.23 a stopped timer delivers no stale tick
			continue
		case <-timer.C:
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
	group = slices.DeleteFunc(group, func(op *writeOp) bool { return !op.state.CompareAndSwap(opQueued, opTaken) })
	slices.SortStableFunc(group, func(x, y *writeOp) int { return layerRank(x.layer) - layerRank(y.layer) })
	prev := c.current()
	a := prev
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
	c.persist(prev, a, accepted, after, changes)
}

// persist commits the group's changes and then readies, publishes and
// answers, or answers every write with the failure. prev is the atlas the
// group was applied to, a the atlas after it.
func (c *committer) persist(prev, a *geo.Atlas, accepted []*writeOp, after []*geo.Atlas, changes []data.Change) {
	var err error
	if c.store != nil {
		ctx, cancel := context.WithDeadline(context.Background(), groupDeadline(accepted))
		start := time.Now()
		err = c.store.Commit(ctx, changes)
		cancel()
		c.metrics.commits.Observe(time.Since(start).Seconds())
	}
	c.metrics.groups.Observe(float64(len(accepted)))
	if err != nil {
		reply := error(geo.Errorf(geo.StoreUnavailable, "the write could not be stored, so it was not applied; retry later"))
		if errors.Is(err, context.DeadlineExceeded) {
			// Every request of the group had passed its deadline.
			reply = errWithdrawn{context.DeadlineExceeded}
			c.log.Warn("commit abandoned at its writes' deadline; none was applied", "writes", len(accepted), "err", err)
		} else if geo.ErrorCode(err) != geo.Precondition {
			c.failing.Store(true)
			c.log.Error("commit failed; the group's writes were refused", "writes", len(accepted), "err", err)
		}
		precondition := geo.ErrorCode(err) == geo.Precondition
		if precondition {
			// Another process wrote the layer of a conditional write since
			// it was checked: that write fails its condition; the others
			// of the group were not applied and may be retried.
			reply = geo.Errorf(geo.Unavailable, "the write was not applied: a conditional write in its group met a layer changed by another server; retry it")
			c.log.Warn("commit refused: a conditional write's layer changed in the store", "writes", len(accepted), "err", err)
		}
		for _, op := range accepted {
			c.metrics.writes.WithLabelValues(op.layer, op.op, "failed").Inc()
			if precondition && op.conditional {
				op.reply <- writeReply{err: err}
				continue
			}
			op.reply <- writeReply{err: reply}
		}
		return
	}
	c.failing.Store(false)
	if c.prepare != nil {
		c.prepare(prev, a, changes)
	}
	c.publish(a)
	for i, op := range accepted {
		c.metrics.writes.WithLabelValues(op.layer, op.op, "ok").Inc()
		op.reply <- writeReply{atlas: after[i]}
	}
}

// groupDeadline is when a group's commit is abandoned: the latest deadline
// of its writes, and at most commitTimeout from now.
func groupDeadline(ops []*writeOp) time.Time {
	limit := time.Now().Add(commitTimeout)
	var latest time.Time
	for _, op := range ops {
		if op.deadline.IsZero() {
			return limit
		}
		if op.deadline.After(latest) {
			latest = op.deadline
		}
	}
	if latest.After(limit) {
		return limit
	}
	return latest
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
