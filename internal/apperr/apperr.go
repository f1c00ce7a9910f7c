// Package apperr is provim's domain error: a machine code and a message for
// people, in Albanian. HTTP layers map the code to a status in one place.
package apperr

import (
	"errors"
	"fmt"
)

// Codes.
const (
	Invalid      = "invalid"      // bad input; 422
	NotFound     = "not_found"    // 404 (also used for objects outside the caller's scope)
	Forbidden    = "forbidden"    // 403
	Unauthorized = "unauthorized" // 401
	Conflict     = "conflict"     // 409
	TooMany      = "too_many"     // 429
	Internal     = "internal"     // 500
)

// Error is a domain error.
type Error struct {
	Code    string
	Message string
	// Details carries per-row problems of an import, etc.
	Details []string
}

func (e *Error) Error() string { return e.Message }

// New returns an error with a code and a message.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Coded is a domain error of another package that carries a code, and
// whose Error() is a message for people (e.g. registry.ImportError).
type Coded interface {
	error
	ErrorCode() string
}

// CodeOf returns the code of err, Internal when it is not a domain error.
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var c Coded
	if errors.As(err, &c) {
		return c.ErrorCode()
	}
	return Internal
}

// MessageOf returns the user-facing message of err; internal errors get a
// generic sentence so that no detail leaks.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	var c Coded
	if errors.As(err, &c) {
		return c.Error()
	}
	return "Ndodhi një gabim i brendshëm. Provoni përsëri ose njoftoni administratorin."
}

// Is reports whether err carries code.
func Is(err error, code string) bool { return CodeOf(err) == code }
