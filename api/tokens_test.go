package api

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

func hashOf(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return "sha256:" + hex.EncodeToString(h[:])
}

func TestParseTokenFile_ReadsRolesNamesAndExpiries(t *testing.T) {
	t.Parallel()
	text := strings.Join([]string{
		"# role hash name [expires]",
		"",
		"admin " + hashOf("a-secret-000000000") + " ada",
		"viewer " + hashOf("v-secret-000000000") + " vera 2030-01-01T00:00:00Z",
		"tracker " + hashOf("t-secret-000000000") + " tom expires 2030-01-01T08:00:00+08:00",
	}, "\n")
	ts, err := ParseTokenFile(strings.NewReader(text))
	require.NoError(t, err)
	require.Equal(t, 3, ts.Len())
	now := time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		secret  string
		role    Role
		name    string
		expires time.Time
	}{
		{"a-secret-000000000", RoleAdmin, "ada", time.Time{}},
		{"v-secret-000000000", RoleViewer, "vera", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"t-secret-000000000", RoleTracker, "tom", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		tok, err := ts.Lookup(tt.secret, now)
		require.NoError(t, err, tt.name)
		require.Equal(t, tt.role, tok.Role)
		require.Equal(t, tt.name, tok.Name)
		require.True(t, tt.expires.Equal(tok.Expires), tt.name)
	}
	_, err = ts.Lookup("v-secret-000000000", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	require.ErrorIs(t, err, errTokenExpired, "a token stops at its expiry")
	_, err = ts.Lookup("v-secret-00000000", now)
	require.ErrorIs(t, err, errTokenUnknown)
	_, err = ts.Lookup("", now)
	require.ErrorIs(t, err, errTokenUnknown)
}

func TestParseTokenFile_ReportsEveryBadLine(t *testing.T) {
	t.Parallel()
	text := strings.Join([]string{
		"root " + hashOf("x") + " ada",                               // line 1: role
		"admin sha256:abcd ada",                                      // line 2: hash
		"admin " + hashOf("y") + " ada tomorrow",                     // line 3: expiry
		"admin " + hashOf("z") + " zed",                              // fine
		"viewer " + hashOf("w") + " zed",                             // line 5: name again
		"admin",                                                      // line 6: fields
		"admin " + strings.TrimPrefix(hashOf("q"), "sha256:") + " q", // line 7: no sha256:
	}, "\n")
	_, err := ParseTokenFile(strings.NewReader(text))
	var ge *geo.Error
	require.True(t, errors.As(err, &ge))
	got := map[int]string{}
	for _, p := range ge.Problems {
		got[p.Line] = p.Field
	}
	require.Equal(t, map[int]string{1: "role", 2: "hash", 3: "expires", 5: "name", 6: "line", 7: "hash"}, got)
}

func TestParseTokenEnv(t *testing.T) {
	t.Parallel()
	ts, err := ParseTokenEnv("admin:admin-secret-123456, viewer:viewer-secret-12345,viewer:viewer-secret-67890")
	require.NoError(t, err)
	require.Equal(t, 3, ts.Len())
	tok, err := ts.Lookup("viewer-secret-67890", time.Now())
	require.NoError(t, err)
	require.Equal(t, RoleViewer, tok.Role)
	require.Equal(t, "env-viewer-2", tok.Name)
	for _, bad := range []string{"admin", "root:long-enough-secret-1", "admin:short", "admin:"} {
		_, err := ParseTokenEnv(bad)
		require.Error(t, err, bad)
	}
}

func TestTokenSet_LookupFindsEachTokenAmongMany(t *testing.T) {
	t.Parallel()
	var toks []Token
	for i := range 50 {
		toks = append(toks, NewToken(RoleViewer, "t"+string(rune('A'+i)), "secret-number-"+string(rune('A'+i)), time.Time{}))
	}
	ts := NewTokenSet(toks...)
	for i := range 50 {
		tok, err := ts.Lookup("secret-number-"+string(rune('A'+i)), time.Now())
		require.NoError(t, err)
		require.Equal(t, toks[i].Name, tok.Name)
	}
	var empty *TokenSet
	_, err := empty.Lookup("x", time.Now())
	require.Error(t, err)
}

func TestParseTokenFile_BindsTrackersToResponders(t *testing.T) {
	t.Parallel()
	hash := "sha256:" + strings.Repeat("ab", 32)
	ts, err := ParseTokenFile(strings.NewReader("tracker " + hash + " van-7 responders=R0777,R0778\n" +
		"tracker " + strings.Replace(hash, "ab", "cd", 1) + " van-8 2030-01-01T00:00:00Z responders=R0779\n"))
	require.NoError(t, err)
	got := ts.Tokens()
	require.Equal(t, []string{"R0777", "R0778"}, got[0].Responders)
	require.Equal(t, []string{"R0779"}, got[1].Responders)
	require.Equal(t, 2030, got[1].Expires.Year())

	for _, line := range []string{"admin " + hash + " ada responders=R1", "tracker " + hash + " t responders=R1,,R2"} {
		_, err := ParseTokenFile(strings.NewReader(line + "\n"))
		require.Error(t, err, line)
		require.Equal(t, "responders", problemsOf(err)[0].Field, line)
	}
}
