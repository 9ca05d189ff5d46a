package api

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"gridwatch/geo"
)

// Token is one credential: the SHA-256 of a bearer token, its role, a name
// for the logs and an optional expiry.
type Token struct {
	// Role is what the token may do.
	Role Role
	// Name identifies the token's holder in the logs and the audit log.
	Name string
	// Expires is when the token stops working; zero for never.
	Expires time.Time
	// Responders binds a tracker token to these responder ids: it may
	// report their positions alone. Empty: any responder.
	Responders []string
	hash       [sha256.Size]byte
}

// TokenSet is an immutable set of tokens.
type TokenSet struct {
	tokens []Token
}

// Len returns the number of tokens.
func (ts *TokenSet) Len() int {
	if ts == nil {
		return 0
	}
	return len(ts.tokens)
}

// Tokens returns a copy of the tokens.
func (ts *TokenSet) Tokens() []Token {
	if ts == nil {
		return nil
	}
	return append([]Token(nil), ts.tokens...)
}

// Merge returns a set with the tokens of ts and other.
func (ts *TokenSet) Merge(other *TokenSet) *TokenSet {
	return &TokenSet{tokens: append(ts.Tokens(), other.Tokens()...)}
}

// errTokenUnknown and errTokenExpired are the two ways a token fails; both
// are answered 401.
var (
	errTokenUnknown = geo.Errorf(geo.Unauthorized, "the bearer token is not valid")
	errTokenExpired = geo.Errorf(geo.Unauthorized, "the bearer token has expired")
)

// Lookup returns the token whose hash is the SHA-256 of secret. It compares
// against every token in constant time (no early exit), so the time taken
// does not tell how much of a guess was right.
func (ts *TokenSet) Lookup(secret string, now time.Time) (Token, error) {
	if ts == nil {
		return Token{}, errTokenUnknown
	}
	h := sha256.Sum256([]byte(secret))
	found := -1
	for i := range ts.tokens {
		eq := subtle.ConstantTimeCompare(h[:], ts.tokens[i].hash[:])
		found = subtle.ConstantTimeSelect(eq, i, found)
	}
	if found < 0 {
		return Token{}, errTokenUnknown
	}
	t := ts.tokens[found]
	if !t.Expires.IsZero() && !now.Before(t.Expires) {
		return Token{}, errTokenExpired
	}
	return t, nil
}

// ParseTokenFile reads a token file: one token a line,
//
//	role sha256:<hex of the token's SHA-256> name [expires] [responders=ID,ID...]
//
// where expires is an RFC 3339 time (optionally after the word "expires")
// and responders= binds a tracker token to the responders it may report
// for.
// Blank lines and lines starting with # are skipped. Every bad line is
// reported.
func ParseTokenFile(r io.Reader) (*TokenSet, error) {
	sc := bufio.NewScanner(r)
	ts := &TokenSet{}
	var ps geo.Problems
	names := map[string]int{}
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		t, bad := parseTokenLine(text)
		if bad.Field == "" && names[t.Name] > 0 {
			bad = geo.Problem{Field: "name", Expected: fmt.Sprintf("a name used once (line %d has %q too)", names[t.Name], t.Name)}
		}
		if bad.Field != "" {
			bad.Layer, bad.Index, bad.Line = "tokens", -1, line
			ps = append(ps, bad)
			continue
		}
		names[t.Name] = line
		ts.tokens = append(ts.tokens, t)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read tokens: %w", err)
	}
	if err := ps.Err("invalid token file"); err != nil {
		return nil, err
	}
	return ts, nil
}

func parseTokenLine(text string) (Token, geo.Problem) {
	f := strings.Fields(text)
	var bound []string
	if n := len(f); n > 3 && strings.HasPrefix(f[n-1], "responders=") {
		for _, id := range strings.Split(strings.TrimPrefix(f[n-1], "responders="), ",") {
			if id == "" {
				return Token{}, geo.Problem{Field: "responders", Expected: "responders=ID[,ID...] with no empty id"}
			}
			bound = append(bound, id)
		}
		f = f[:n-1]
	}
	if len(f) == 5 && f[3] == "expires" {
		f = append(f[:3], f[4])
	}
	if len(f) < 3 || len(f) > 4 {
		return Token{}, geo.Problem{Field: "line", Expected: "role sha256:<64 hex digits> name [expires RFC 3339 time] [responders=ID,ID...]"}
	}
	role, err := ParseRole(f[0])
	if err != nil {
		return Token{}, geo.Problem{Field: "role", Expected: "one of " + roleList(TokenRoles) + ", got " + quote(f[0])}
	}
	hexHash, ok := strings.CutPrefix(f[1], "sha256:")
	raw, err := hex.DecodeString(hexHash)
	if !ok || err != nil || len(raw) != sha256.Size {
		return Token{}, geo.Problem{Field: "hash", Expected: "sha256: followed by 64 hex digits (the token's SHA-256, e.g. from sha256sum)"}
	}
	if bound != nil && role != RoleTracker {
		return Token{}, geo.Problem{Field: "responders", Expected: "responders= on a tracker token only (it binds what a tracker may report for)"}
	}
	t := Token{Role: role, Name: f[2], Responders: bound}
	copy(t.hash[:], raw)
	if len(f) == 4 {
		exp, err := time.Parse(time.RFC3339, f[3])
		if err != nil {
			return Token{}, geo.Problem{Field: "expires", Expected: "an RFC 3339 time such as 2026-12-31T23:59:59+08:00, got " + quote(f[3])}
		}
		t.Expires = exp
	}
	return t, geo.Problem{}
}

// LoadTokenFile reads the token file at path.
func LoadTokenFile(path string) (*TokenSet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("token file: %w", err)
	}
	defer f.Close()
	ts, err := ParseTokenFile(f)
	if err != nil {
		return nil, fmt.Errorf("token file %s: %w", path, err)
	}
	return ts, nil
}

// ParseTokenEnv reads development tokens in the form "role:token,role:token"
// (the GRIDWATCH_TOKENS variable). Each is named env-ROLE-N.
func ParseTokenEnv(v string) (*TokenSet, error) {
	ts := &TokenSet{}
	var ps geo.Problems
	count := map[Role]int{}
	for i, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, secret, ok := strings.Cut(part, ":")
		role, err := ParseRole(name)
		switch {
		case !ok || secret == "":
			ps = append(ps, geo.Problem{Layer: "GRIDWATCH_TOKENS", Index: i, Field: "token", Expected: "role:token"})
			continue
		case err != nil:
			ps = append(ps, geo.Problem{Layer: "GRIDWATCH_TOKENS", Index: i, Field: "role", Expected: "one of " + roleList(TokenRoles)})
			continue
		case len(secret) < 16:
			ps = append(ps, geo.Problem{Layer: "GRIDWATCH_TOKENS", Index: i, Field: "token", Expected: "a token of at least 16 characters"})
			continue
		}
		count[role]++
		ts.tokens = append(ts.tokens, Token{Role: role, Name: fmt.Sprintf("env-%s-%d", role, count[role]), hash: sha256.Sum256([]byte(secret))})
	}
	if err := ps.Err("invalid GRIDWATCH_TOKENS"); err != nil {
		return nil, err
	}
	return ts, nil
}

// NewToken returns a token with the role and name whose secret is secret,
// for tests and tools.
func NewToken(role Role, name, secret string, expires time.Time) Token {
	return Token{Role: role, Name: name, Expires: expires, hash: sha256.Sum256([]byte(secret))}
}

// NewTokenSet returns a set of tokens.
func NewTokenSet(tokens ...Token) *TokenSet {
	return &TokenSet{tokens: append([]Token(nil), tokens...)}
}

// Tokens holds the current token set of a server; Store swaps in a new one
// (on SIGHUP) without a restart.
type Tokens struct {
	p atomic.Pointer[TokenSet]
}

// NewTokens returns a holder of ts.
func NewTokens(ts *TokenSet) *Tokens {
	t := &Tokens{}
	t.Store(ts)
	return t
}

// Load returns the current set.
func (t *Tokens) Load() *TokenSet { return t.p.Load() }

// Store makes ts the current set (nil stores an empty set).
func (t *Tokens) Store(ts *TokenSet) {
	if ts == nil {
		ts = &TokenSet{}
	}
	t.p.Store(ts)
}
