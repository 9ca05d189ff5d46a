package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
)

// errHelp marks a -h or --help already answered with the usage: the
// command ends with status 0.
var errHelp = errors.New("help")

// parseFlags parses a command's flags. -h or --help prints the usage
// once, on stdout, and returns errHelp (exit status 0); a bad flag prints
// the flag package's message and the usage once, on stderr, and returns
// errUsage (exit status 2).
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	var buf bytes.Buffer
	fs.SetOutput(&buf)
	err := fs.Parse(args)
	fs.SetOutput(stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		_, _ = stdout.Write(buf.Bytes())
		return errHelp
	case err != nil:
		_, _ = stderr.Write(buf.Bytes())
		return errUsage
	}
	return nil
}

// problems counts problems in words: "1 problem", "2 problems".
func problems(n int) string {
	if n == 1 {
		return "1 problem"
	}
	return fmt.Sprintf("%d problems", n)
}

// requiredFloat is a float flag without a default: its usage says
// "(required)" and shows no default, and Set reports whether it was given.
type requiredFloat struct {
	v   float64
	set bool
}

// String implements flag.Value: empty until set, so that the usage shows
// no default.
func (f *requiredFloat) String() string {
	if f == nil || !f.set {
		return ""
	}
	return strconv.FormatFloat(f.v, 'g', -1, 64)
}

// Set implements flag.Value.
func (f *requiredFloat) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return errors.New("expected a number")
	}
	f.v, f.set = v, true
	return nil
}

// value returns the number, NaN when not given.
func (f *requiredFloat) value() float64 {
	if !f.set {
		return math.NaN()
	}
	return f.v
}
