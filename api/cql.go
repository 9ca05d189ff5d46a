package api

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// CQL2 text (OGC API - Features Part 3), the subset the items accept:
// comparisons (= <> < <= > >=), AND, OR, NOT, LIKE, IN, BETWEEN, IS NULL,
// S_INTERSECTS with a BBOX, POINT, LINESTRING or POLYGON, and
// T_INTERSECTS with a TIMESTAMP, DATE or INTERVAL on timed layers.
// Anything else is refused, naming the construct.

// cqlToken is one lexical token.
type cqlToken struct {
	kind byte // 'i' identifier, 's' string, 'n' number, 'o' operator or punctuation, 0 end
	text string
	num  float64
	pos  int
}

// lexCQL splits a CQL2 text into tokens.
func lexCQL(s string) ([]cqlToken, error) {
	var out []cqlToken
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(s) {
					return nil, fmt.Errorf("a string opened at %d is not closed", i+1)
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(s[j])
				j++
			}
			out = append(out, cqlToken{kind: 's', text: b.String(), pos: i})
			i = j + 1
		case c == '"':
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				return nil, fmt.Errorf("a quoted name opened at %d is not closed", i+1)
			}
			out = append(out, cqlToken{kind: 'i', text: s[i+1 : i+1+j], pos: i})
			i += j + 2
		case c >= '0' && c <= '9' || c == '.' || (c == '-' || c == '+') && i+1 < len(s) && (s[i+1] >= '0' && s[i+1] <= '9' || s[i+1] == '.') && numberMayStart(out):
			j := i + 1
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == 'e' || s[j] == 'E' ||
				(s[j] == '-' || s[j] == '+') && (s[j-1] == 'e' || s[j-1] == 'E')) {
				j++
			}
			f, err := strconv.ParseFloat(s[i:j], 64)
			if err != nil {
				return nil, fmt.Errorf("bad number %q at %d", s[i:j], i+1)
			}
			out = append(out, cqlToken{kind: 'n', text: s[i:j], num: f, pos: i})
			i = j
		case c == '_' || unicode.IsLetter(rune(c)):
			j := i + 1
			for j < len(s) && (s[j] == '_' || s[j] == '.' || s[j] == ':' || unicode.IsLetter(rune(s[j])) || unicode.IsDigit(rune(s[j]))) {
				j++
			}
			out = append(out, cqlToken{kind: 'i', text: s[i:j], pos: i})
			i = j
		default:
			for _, op := range []string{"<>", "<=", ">=", "=", "<", ">", "(", ")", ",", "[", "]"} {
				if strings.HasPrefix(s[i:], op) {
					out = append(out, cqlToken{kind: 'o', text: op, pos: i})
					i += len(op)
					goto next
				}
			}
			return nil, fmt.Errorf("unexpected %q at %d (arithmetic and other operators are not supported)", string(c), i+1)
		next:
		}
	}
	return append(out, cqlToken{pos: len(s)}), nil
}

// numberMayStart reports whether a sign here starts a number (after an
// operator, a comma or an opening parenthesis, or at the start).
func numberMayStart(prev []cqlToken) bool {
	if len(prev) == 0 {
		return true
	}
	p := prev[len(prev)-1]
	return p.kind == 'o' && p.text != ")" && p.text != "]" || p.kind == 'i' && isKeyword(p.text)
}

func isKeyword(s string) bool {
	switch strings.ToUpper(s) {
	case "AND", "OR", "NOT", "LIKE", "BETWEEN", "IN", "IS":
		return true
	}
	return false
}

// cqlSyntaxError is a malformed or unsupported filter.
type cqlSyntaxError struct{ msg string }

func (e *cqlSyntaxError) Error() string { return e.msg }

// cqlParser parses tokens into an expression tree.
type cqlParser struct {
	toks []cqlToken
	at   int
	src  string
}

func (p *cqlParser) peek() cqlToken { return p.toks[p.at] }
func (p *cqlParser) next() cqlToken {
	t := p.toks[p.at]
	if t.kind != 0 {
		p.at++
	}
	return t
}

// is reports whether the next token is the keyword (case-insensitive) or
// operator s.
func (p *cqlParser) is(s string) bool {
	t := p.peek()
	return (t.kind == 'i' || t.kind == 'o') && strings.EqualFold(t.text, s)
}

func (p *cqlParser) fail(format string, args ...any) error {
	t := p.peek()
	where := "at the end"
	if t.kind != 0 {
		where = fmt.Sprintf("at %d (%q)", t.pos+1, t.text)
	}
	return &cqlSyntaxError{msg: fmt.Sprintf(format, args...) + " " + where}
}

func (p *cqlParser) expect(s string) error {
	if !p.is(s) {
		return p.fail("expected %s", s)
	}
	p.next()
	return nil
}
