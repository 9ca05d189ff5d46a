package main

import (
	"os"
	"runtime/trace"
)

// startTrace starts an execution trace into prefix+suffix when prefix is
// set and on is true, and returns the function that stops it.
func startTrace(prefix string, on bool, suffix string) (stop func() error, err error) {
	if prefix == "" || !on {
		return func() error { return nil }, nil
	}
	f, err := os.Create(prefix + suffix)
	if err != nil {
		return nil, err
	}
	if err := trace.Start(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() error {
		trace.Stop()
		return f.Close()
	}, nil
}
