package coverage

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

func TestWindow_CountsChinaDays(t *testing.T) {
	t.Parallel()
	a := &geo.Atlas{Meta: geo.Meta{AsOf: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)}}
	w, err := NewWindow(a, time.Time{}, 365, time.Now())
	require.NoError(t, err)
	cases := []struct {
		at   string
		want bool
	}{
		{"2026-06-30T23:59:59+08:00", true},
		{"2026-06-30T16:00:00Z", false}, // 1 July 00:00 in China
		{"2026-06-30T15:59:59Z", true},
		{"2025-07-01T00:00:00+08:00", true}, // 365 whole days: 1 July 2025 to 30 June 2026
		{"2025-06-30T23:59:59+08:00", false},
		{"2025-06-30T12:00:00+08:00", false},
	}
	for _, tc := range cases {
		at, err := time.Parse(time.RFC3339, tc.at)
		require.NoError(t, err)
		require.Equal(t, tc.want, w.Contains(at), tc.at)
	}
	last := w.Last(30)
	require.True(t, last.Contains(time.Date(2026, 6, 1, 0, 0, 1, 0, China)))
	require.False(t, last.Contains(time.Date(2026, 5, 31, 23, 0, 0, 0, China)))
}

func TestWindow_Defaults(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	w, err := NewWindow(&geo.Atlas{}, time.Time{}, 7, now)
	require.NoError(t, err)
	require.Equal(t, time.Date(2027, 1, 3, 0, 0, 0, 0, China).Add(-time.Nanosecond), w.End, "no as_of: today in China")
	_, err = NewWindow(&geo.Atlas{}, time.Time{}, 0, now)
	require.Equal(t, geo.Invalid, geo.ErrorCode(err))
}
