package api

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSetServerGC(t *testing.T) {
	before := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(before) })

	t.Setenv("GOGC", "")
	require.Equal(t, ServerGCPercent, SetServerGC())
	require.Equal(t, ServerGCPercent, debug.SetGCPercent(ServerGCPercent), "the target in force")

	// GOGC in the environment wins: the target the runtime read is kept.
	debug.SetGCPercent(150)
	t.Setenv("GOGC", "150")
	require.Equal(t, 150, SetServerGC())
	require.Equal(t, 150, debug.SetGCPercent(150))

	debug.SetGCPercent(-1)
	t.Setenv("GOGC", "off")
	require.Equal(t, -1, SetServerGC(), "off stays off")
	require.Equal(t, -1, debug.SetGCPercent(100))
}
