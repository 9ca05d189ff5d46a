package geo

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an Error; only the api package maps codes to HTTP status.
type Code string

// The error codes of gridwatch.
const (
	Invalid      Code = "invalid"      // the input is malformed or breaks a rule
	Unauthorized Code = "unauthorized" // no credential, or a wrong or expired one
	Forbidden    Code = "forbidden"    // the credential's role may not do this
	NotFound     Code = "not_found"    // no such collection, feature or route
	Conflict     Code = "conflict"     // a duplicate id
	Precondition Code = "precondition" // a conditional request whose condition failed
	TooLarge     Code = "too_large"    // a body, feature count or batch above its limit
	RateLimited  Code = "rate_limited" // too many requests
	Unavailable  Code = "unavailable"  // timed out or not ready
	// StoreUnavailable: the durable store does not answer, so writes are
	// refused (reads go on from the last snapshot).
	StoreUnavailable Code = "store_unavailable"
	Internal         Code = "internal" // a bug or a failed dependency
)

// Error is the one coded error type of gridwatch.
type Error struct {
	// Code classifies the error.
	Code Code
	// Message says what went wrong, for people.
	Message string
	// Problems lists every validation problem found, when there are any.
	Problems []Problem
	// Limit names the limit that refused the request, when one did.
	Limit string
	// Max is the limit's value, when Limit is set.
	Max int64
	// Err is the underlying error, if any.
	Err error
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	if e.Err != nil {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Err.Error())
	}
	for i, p := range e.Problems {
		if i == 10 {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-10)
			break
		}
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// ErrorCode returns the code of the first *Error in err's chain, or Internal.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Problem is one validation failure: where it is and what was expected.
type Problem struct {
	// Layer is the layer's collection id, e.g. "grids".
	Layer string `json:"layer"`
	// Index is the feature's zero-based position in its layer or file, or -1
	// when the problem is not about one feature.
	Index int `json:"index"`
	// ID is the feature's id, empty when it has none.
	ID string `json:"id"`
	// Field is the property or member at fault, e.g. "bearing_deg" or "geometry".
	Field string `json:"field"`
	// Expected says what a valid value is.
	Expected string `json:"expected"`
	// Line is the 1-based line of a CSV file the problem is on, 0 otherwise.
	Line int `json:"line,omitempty"`
}

// String formats the problem for logs and command-line output.
func (p Problem) String() string {
	where := p.Layer
	if p.Index >= 0 {
		where += fmt.Sprintf("[%d]", p.Index)
	}
	if p.Line > 0 {
		where += fmt.Sprintf(" line %d", p.Line)
	}
	if p.ID != "" {
		where += fmt.Sprintf(" id %q", p.ID)
	}
	return fmt.Sprintf("%s field %q: expected %s", where, p.Field, p.Expected)
}

// Problems collects validation problems.
type Problems []Problem

// Add appends a problem.
func (ps *Problems) Add(layer string, index int, id, field, expected string) {
	*ps = append(*ps, Problem{Layer: layer, Index: index, ID: id, Field: field, Expected: expected})
}

// Err returns nil when there are no problems, else an Invalid *Error
// carrying them all.
func (ps Problems) Err(message string) error {
	if len(ps) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Message: message, Problems: ps}
}
