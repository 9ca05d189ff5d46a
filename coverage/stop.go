package coverage

import "context"

// stopEvery is how many steps of a long loop run between two looks at the
// context: a look costs a few nanoseconds, a step microseconds.
const stopEvery = 256

// stopper tells a long loop when its context has ended, looking at the
// context once every stopEvery steps.
type stopper struct {
	ctx context.Context
	n   int
	err error
}

func newStopper(ctx context.Context) *stopper {
	if ctx == nil {
		ctx = context.Background()
	}
	return &stopper{ctx: ctx}
}

// stop reports whether the loop must stop; the reason is then in s.err.
func (s *stopper) stop() bool {
	if s.err != nil {
		return true
	}
	s.n++
	if s.n%stopEvery != 0 {
		return false
	}
	s.err = s.ctx.Err()
	return s.err != nil
}

// now looks at the context at once (between the phases of an analysis).
func (s *stopper) now() error {
	if s.err == nil {
		s.err = s.ctx.Err()
	}
	return s.err
}
