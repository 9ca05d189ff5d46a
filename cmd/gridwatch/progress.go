package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"
)

// progress reports long work on a terminal and says nothing when the output
// is not one (a pipe, a file, CI).
type progress struct {
	w     io.Writer
	on    bool
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer) *progress {
	on := false
	if f, ok := w.(*os.File); ok {
		on = term.IsTerminal(int(f.Fd()))
	}
	return &progress{w: w, on: on, start: time.Now()}
}

// stage prints a stage name.
func (p *progress) stage(name string) {
	if p.on {
		fmt.Fprintf(p.w, "\r\033[K%6.1fs  %s", time.Since(p.start).Seconds(), name)
	}
}

// step prints done/total of a stage, at most ten times a second.
func (p *progress) step(done, total int, stage string) {
	if !p.on || (time.Since(p.last) < 100*time.Millisecond && done < total) {
		return
	}
	p.last = time.Now()
	if total > 0 {
		fmt.Fprintf(p.w, "\r\033[K%6.1fs  %s %d/%d (%d%%)", time.Since(p.start).Seconds(), stage, done, total, 100*done/total)
	} else {
		p.stage(stage)
	}
}

// done ends the progress line.
func (p *progress) done() {
	if p.on {
		fmt.Fprintf(p.w, "\r\033[K")
	}
}
